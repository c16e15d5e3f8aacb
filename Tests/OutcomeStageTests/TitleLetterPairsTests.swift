import ClinPipeCore
import ClinPipeText
@testable import OutcomeStage
import Testing

/// `TitleLetterPairs` rules out only texts where the shipped title pattern finds nothing.
@Suite struct TitleLetterPairsTests {
    @Test func theShippedTitleRowIsPreTested() throws {
        #expect(try GuidelineCitations().titleByPairs)
    }

    @Test func everyTitleHoldsAPair() throws {
        let citations = try GuidelineCitations()
        let texts = ["MTUS Chronic Pain Medical Treatment Guidelines, Page(s): 22", "ACOEM Practice Guidelines, 2nd Edition (2004)",
                     "ODG Official Disability Guidelines", "MTUS Acupuncture Medical Treatment Guidelines", "Post-Surgical Guidelines",
                     "Postsurgical Treatment Guideline", "Medical Treatment Utilization Schedule",
                     "American College of Occupational and Environmental Medicine, 2004", "Occupational Medicine Practice Guidelines",
                     "MTUS Low Back Complaints", "The Claims Administrator did not cite any evidence", "", "x", "CHRONIC PAIN TREATMENT",
                     "ODG Knee & Leg", "Chronic Pain Treatment Guidelines Page 99", "Pain Treatment", "ur", "IC",
                     "Chronıc Pain Treatment", "ſurgical", "Officiaℓ Disability Guidelines"]
        for text in texts {
            let bytes = Array(text.utf8)
            let found = try bytes.withUnsafeBufferPointer { try citations.title.firstMatchRange(in: $0) } != nil
            let mayHold = bytes.withUnsafeBufferPointer { TitleLetterPairs.mayHoldTitle($0, isASCII: bytes.allSatisfy { $0 < 0x80 }) }
            #expect(!found || mayHold, "\(text)")
            // The pairs themselves, at the text's edges too.
            let hasPair = text.lowercased().contains("ic") || text.lowercased().contains("ur")
            if bytes.allSatisfy({ $0 < 0x80 }) { #expect(mayHold == hasPair, "\(text)") } else { #expect(mayHold, "\(text)") }
        }
    }
}

import ClinPipeCore
import ClinPipeTestSupport
import NormalizeStage
import Testing

@Suite struct LineRepairTests {
    let stage = try! NormalizeStage()

    func layer(_ text: String) throws -> TextLayer { try stage.normalize(text) }

    @Test func doubledLinesOfThe2014TemplateBecomeParagraphs() throws {
        // The 2014-15 extraction: every line followed by an empty line, paragraphs separated by a line with a space.
        let text = " HOW THE IMR FINAL DETERMINATION WAS MADE \n\nMAXIMUS Federal Services sent the complete case file to an expert reviewer. He/she has no \n\naffiliation with the employer. \n\n \n\nCLINICAL CASE SUMMARY \n\nThe expert reviewer developed the following clinical case summary based on a review of the \n\ncase file, including all medical records: \n\n \n\nThis is a female injured worker."
        #expect(try layer(text).text == """
            HOW THE IMR FINAL DETERMINATION WAS MADE

            MAXIMUS Federal Services sent the complete case file to an expert reviewer. He/she has no affiliation with the employer.

            CLINICAL CASE SUMMARY

            The expert reviewer developed the following clinical case summary based on a review of the case file, including all medical records:

            This is a female injured worker.
            """)
    }

    @Test func pageBreakInsideASentenceIsJoined() throws {
        // pdftotext: a blank line and a form feed in the middle of a sentence.
        let text = "Claims Administrator authorized Skilled nursing facility for 7 days, leaving the original\n\n\u{000C}request IMR eligible. The original request is: Overturned\nClaims Administrator guideline: None."
        #expect(try layer(text).text == "Claims Administrator authorized Skilled nursing facility for 7 days, leaving the original request IMR eligible. The original request is: Overturned\nClaims Administrator guideline: None.")
    }

    @Test func itemLinesAndFieldLabelsKeepTheirOwnLines() throws {
        // pdftotext of the 2016 template: no blank lines between a rationale, the next item and its fields.
        let text = """
            improvement. As such, the request is not medically necessary and appropriate for this patient at this time.
            Pepcid 20mg: Upheld
            Claims Administrator guideline: The Claims Administrator did not cite any medical evidence
            for its decision.
            Decision rationale: The California MTUS 2016 Chronic Pain Guidelines state proton pump
            inhibitors are recommended for patients at intermediate or high risk for gastrointestinal events.
            """
        #expect(try layer(text).text.split(separator: "\n", omittingEmptySubsequences: false) == [
            "improvement. As such, the request is not medically necessary and appropriate for this patient at this time.",
            "", "Pepcid 20mg: Upheld",
            "Claims Administrator guideline: The Claims Administrator did not cite any medical evidence for its decision.",
            "Decision rationale: The California MTUS 2016 Chronic Pain Guidelines state proton pump inhibitors are recommended for patients at intermediate or high risk for gastrointestinal events.",
        ])
    }

    @Test func wrappedItemLineIsOneLine() throws {
        let text = "set forth below:\n\nEight Trigger Point Injections for the Upper Cervical Region, 8 \n\nPositions:  Upheld \n\n \n\nClaims Administrator guideline: Decision based on MTUS."
        let lines = try layer(text).text.split(separator: "\n").map(String.init)
        #expect(lines.contains("Eight Trigger Point Injections for the Upper Cervical Region, 8 Positions: Upheld"))
    }

    @Test func credentialLinesAreNotJoined() throws {
        let text = "The Expert Reviewer has the following credentials:\nState(s) of Licensure: Texas,Ohio\nCertification(s)/Specialty: Physical Medicine & Rehabilitation, Pain Management\nCLINICAL CASE SUMMARY\nThe expert reviewer developed the following clinical case summary based on a review of the\ncase file."
        #expect(try layer(text).text.split(separator: "\n").map(String.init) == [
            "The Expert Reviewer has the following credentials:", "State(s) of Licensure: Texas,Ohio",
            "Certification(s)/Specialty: Physical Medicine & Rehabilitation, Pain Management", "CLINICAL CASE SUMMARY",
            "The expert reviewer developed the following clinical case summary based on a review of the case file.",
        ])
    }

    @Test func hyphenationAcrossLines() throws {
        #expect(try layer("The patient continued treat-\nment with physical therapy and self-\ncare at home on 10-30-\n2016.").text
            == "The patient continued treatment with physical therapy and self-care at home on 10-30-2016.")
        #expect(try layer("She received an injection of 80 mg of Depo-\nMedrol in the right shoulder joint on that day.").text
            == "She received an injection of 80 mg of Depo-Medrol in the right shoulder joint on that day.")
        // Compounds of a number, "drug" or "weight" keep their hyphen (the findings lexicon has "drug-seeking").
        #expect(try layer("There is no evidence of aberrant drug-\nseeking behavior and a four-\nweek trial of partial weight-\nbearing.").text
            == "There is no evidence of aberrant drug-seeking behavior and a four-week trial of partial weight-bearing.")
        // Not "ten": it is a syllable break of "tenderness", "tendon" and "tension" more often than a compound.
        #expect(try layer("There was paraspinal ten-\nderness on palpation of the lumbar spine today.").text
            == "There was paraspinal tenderness on palpation of the lumbar spine today.")
    }

    @Test func pageNumbersAndRunningHeadersNextToPageBreaksAreDropped() throws {
        let text = "Case CM17-0001 Final Determination\nFirst page text continues\nPage 1 of 2\n\u{000C}Case CM17-0001 Final Determination\nsecond page text.\nPage 2 of 2\n\u{000C}Case CM17-0001 Final Determination\nthird page."
        #expect(try layer(text).text == "First page text continues second page text. third page.")
    }

    @Test func everyOriginalCharacterThatSurvivesMapsBackExactly() throws {
        for (name, text) in try TestPaths.seedTexts() {
            let normalized = try layer(text)
            // Every word of the layer maps back to the same word in the original.
            let layerText = normalized.text
            var start: String.Index? = nil
            var checked = 0
            for index in layerText.indices + [layerText.endIndex] {
                let isWordCharacter = index < layerText.endIndex && layerText[index].isLetter
                if isWordCharacter, start == nil { start = index }
                if !isWordCharacter, let wordStart = start {
                    let lower = layerText.utf8.distance(from: layerText.utf8.startIndex, to: wordStart)
                    let upper = layerText.utf8.distance(from: layerText.utf8.startIndex, to: index)
                    let original = normalized.toOriginal(lower..<upper)
                    #expect(text.sliceUTF8(original) == layerText[wordStart..<index], "\(name) at \(lower)")
                    checked += 1
                    start = nil
                }
            }
            #expect(checked > 300)
        }
    }
}

@Suite struct CharacterCanonicalizationTests {
    @Test func dashesThatJoinNumbersOrLevelsBecomeHyphens() throws {
        let stage = try NormalizeStage()
        #expect(try stage.normalize("L4–5 and L5\u{2014}S1, 2014–2015, pain 4–8/10 — stable; “quoted” ‘single’ non\u{00A0}breaking soft\u{00AD}hyphen").text
            == "L4-5 and L5-S1, 2014-2015, pain 4-8/10 — stable; \"quoted\" 'single' non breaking softhyphen")
    }

    @Test func nfkcFoldsLigaturesAndFullwidthFormsAndNFCKeepsThem() throws {
        #expect(try NormalizeStage().normalize("ﬁbromyalgia on １２/３/２０１４").text == "fibromyalgia on 12/3/2014")
        var configuration = NormalizeStage.Configuration()
        configuration.form = .nfc
        let nfc = try NormalizeStage(configuration: configuration)
        #expect(try nfc.normalize("ﬁbromyalgia e\u{301}").text == "ﬁbromyalgia é")
    }

    @Test func ligatureExpansionWidensSpansToTheWholeOriginalCharacter() throws {
        let layer = try NormalizeStage().normalize("a ﬁne day")
        // "fi" in the layer is bytes 2..<4; the original ligature is 3 bytes at 2..<5.
        #expect(layer.text == "a fine day")
        #expect(layer.toOriginal(2..<3) == 2..<5)
        #expect(layer.toOriginal(2..<6) == 2..<7)
    }

    @Test func keepingLinesOnlyCanonicalizesCharactersAndLineEnds() throws {
        var configuration = NormalizeStage.Configuration()
        configuration.repairLines = false
        let stage = try NormalizeStage(configuration: configuration)
        #expect(try stage.normalize("one\r\ntwo  three\rfour\n\nfive").text == "one\ntwo three\nfour\n\nfive")
    }

    @Test func badLineRuleFilesAreReportedWithFileAndLine() throws {
        var configuration = NormalizeStage.Configuration()
        configuration.lineRules = ["/nonexistent/rules.tsv"]
        #expect(throws: (any Error).self) { try NormalizeStage(configuration: configuration) }
    }
}

import ClinPipeCore
import ClinPipeTestSupport
import NormalizeStage
import SentencesStage
import Testing

@Suite struct ClinicalSentenceBreakTests {
    func sentences(_ text: String, normalize: Bool = true) throws -> [String] {
        var document = Document(id: "t", text: text)
        if normalize { try NormalizeStage().process(&document) }
        try SentencesStage().process(&document)
        return document.texts(ofType: "sentence")
    }

    @Test func noBreakAfterClinicalAbbreviations() throws {
        #expect(try sentences("She was seen by Dr. Smith on 3/2/2015. Take Norco 1 p.o. b.i.d. as needed. Compare left vs. right, e.g. at L4-5. No. 5 was denied.")
            == ["She was seen by Dr. Smith on 3/2/2015.", "Take Norco 1 p.o. b.i.d. as needed.",
                "Compare left vs. right, e.g. at L4-5.", "No. 5 was denied."])
    }

    @Test func levelsDecimalsAndDatesDoNotBreak() throws {
        #expect(try sentences("MRI showed a 2.5 mm protrusion at L4-5. The 12.03.2014 report was reviewed. Flexion 45 deg.")
            == ["MRI showed a 2.5 mm protrusion at L4-5.", "The 12.03.2014 report was reviewed.", "Flexion 45 deg."])
    }

    @Test func listNumbersStayWithTheirItem() throws {
        #expect(try sentences("PLAN:\n1. Continue Norco.\n2. Return in 4 weeks.", normalize: false)
            == ["PLAN:", "1. Continue Norco.", "2. Return in 4 weeks."])
    }

    @Test func withoutLineBreaksSentencesRunOnAcrossLines() throws {
        var configuration = SentencesStage.Configuration()
        configuration.breakAtNewlines = false
        let stage = try SentencesStage(configuration: configuration)
        var document = Document(id: "t", text: "The patient reported\nconstant pain. She was seen\r\nby Dr. Smith.\nPLAN:\n1. Continue Norco.")
        try stage.process(&document)
        #expect(document.texts(ofType: "sentence")
            == ["The patient reported\nconstant pain.", "She was seen\r\nby Dr. Smith.", "PLAN:\n1. Continue Norco."])
        // The default ends a sentence at each line break.
        #expect(try sentences("The patient reported\nconstant pain.", normalize: false) == ["The patient reported", "constant pain."])
    }

    @Test func aHeadingIsItsOwnSentence() throws {
        let found = try sentences("CLINICAL CASE SUMMARY \n\nThe expert reviewer developed the following clinical case summary based on a review of the \n\ncase file, including all medical records:")
        #expect(found.first == "CLINICAL CASE SUMMARY")
        #expect(found.count == 2)
        #expect(found[1].hasPrefix("The expert reviewer developed"))
    }

    @Test func sentencesOfTheSampleLettersMapToOriginalText() throws {
        for (name, text) in try TestPaths.seedTexts() {
            var document = Document(id: name, text: text)
            try NormalizeStage().process(&document)
            try SentencesStage().process(&document)
            let found = document.annotations.filter { $0.type == "sentence" }
            #expect(found.count > 20, "\(name)")
            for sentence in found {
                let covered = document.coveredText(of: sentence)
                #expect(covered.first?.isWhitespace == false && covered.last?.isWhitespace == false, "\(name)")
            }
            // The decision line is one sentence.
            #expect(document.texts(ofType: "sentence").contains { $0.hasSuffix("Upheld") }, "\(name)")
        }
    }
}

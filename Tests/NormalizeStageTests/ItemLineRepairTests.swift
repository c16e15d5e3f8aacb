import ClinPipeCore
import ClinPipeTestSupport
import NormalizeStage
import Testing

/// The repair of IMR item lines (`<item>: Upheld`) in both extractions of the letters: `pypdf` (every line followed
/// by a line holding a space, paragraphs by blank lines) and `pdftotext` (no blank lines, form feeds at page
/// breaks). The excerpts are real letters of the development set (DWC IMR decisions, public).
@Suite struct ItemLineRepairTests {
    let stage: NormalizeStage

    init() throws { stage = try NormalizeStage() }

    func lines(_ text: String) throws -> [String] {
        try stage.normalize(text).text.split(separator: "\n", omittingEmptySubsequences: true).map(String.init)
    }

    @Test("pypdf: the first sentence of a partial-authorization item stays on the item line")
    func partialItemFirstSentence() throws {
        // CM16-0247405 (pypdf): the letter wraps right after "was the original request."
        let text = """
            IMR ISSUES, DECISIONS AND RATIONALES \n\
            The Final Determination was based on decisions for the disputed items/services set forth below: \n\
             \n\
            Chiropractic therapy sessions for the cervical spine, #8 was the original request. \n\
            Chiropractic therapy sessions for the cervical spine, #6 was authorized by the Claims \n\
            Administrator. The remaining IMR eligible portion of the original request, Chiropractic \n\
            therapy sessions for the cervical spine, #2 is:  Upheld \n\
             \n\

            Claims Administrator guideline: Decision based on MTUS Neck and Upper Back Complaints \n
            """
        let result = try lines(text)
        #expect(result.contains(
            "Chiropractic therapy sessions for the cervical spine, #8 was the original request. Chiropractic therapy "
                + "sessions for the cervical spine, #6 was authorized by the Claims Administrator. The remaining IMR eligible "
                + "portion of the original request, Chiropractic therapy sessions for the cervical spine, #2 is: Upheld"))
        #expect(result.first == "IMR ISSUES, DECISIONS AND RATIONALES")
        #expect(result.contains("The Final Determination was based on decisions for the disputed items/services set forth below:"))
    }

    @Test("an introduction wrapped before 'below:' is one line, and the item line starts after it")
    func wrappedIntroduction() throws {
        // The seed letters' layout with a narrower wrap, as another extraction or a generated letter gives it.
        for wrapped in ["set forth \n\nbelow: \n\n \n\n", "set forth \nbelow:\n", "set \n\nforth below: \n \n"] {
            let text = "IMR ISSUES, DECISIONS AND RATIONALES \n\n"
                + "The Final Determination was based on decisions for the disputed items/services " + wrapped
                + "Lumbar support brace:  Upheld \n\n \n\nClaims Administrator guideline: Decision based on MTUS. \n"
            let result = try lines(text)
            #expect(result.count == 4, "\(wrapped.debugDescription)")
            #expect(result.dropFirst().first
                    == "The Final Determination was based on decisions for the disputed items/services set forth below:",
                    "\(wrapped.debugDescription)")
            #expect(result.dropFirst(2).first == "Lumbar support brace: Upheld", "\(wrapped.debugDescription)")
        }
    }

    @Test("pdftotext: a partial-authorization item after a rationale is not glued to the rationale")
    func partialItemAfterRationale() throws {
        // CM17-0006634 (pdftotext): no blank line between the rationale's last line and the next item.
        let text = """
            Decision rationale: The California MTUS 2016 Chronic Pain Treatment Guidelines note that topical
            analgesics are largely experimental with use in few randomized control trials to
            determine efficacy or safety. Any compounded product that contains at least one drug or drug
            class it is not recommended is not recommended. The only topical formulation of lidocaine that
            is FDA approved is Lidoderm patches. There was no evidence of the patient failed trial of
            anticonvulsants or antidepressants. There was no clear evidence of neuropathic pain on the
            physical examination provided for review. As such, the request is not medically necessary.
            Physical therapy two times a week for six weeks (12 sessions) was the original request.
            Physical therapy 6 sessions was authorized by the Claims Administrator. The remaining
            IMR eligible portion of the original request, Physical therapy 6 sessions is: Upheld
            Claims Administrator guideline: Decision based on MTUS Chronic Pain Medical Treatment
            2016, Section(s): Physical medicine treatment.

            """
        let result = try lines(text)
        #expect(result.count == 3)
        #expect(result.first?.hasSuffix("As such, the request is not medically necessary.") == true)
        #expect(result.dropFirst().first == "Physical therapy two times a week for six weeks (12 sessions) was the original request. "
            + "Physical therapy 6 sessions was authorized by the Claims Administrator. The remaining IMR eligible portion of "
            + "the original request, Physical therapy 6 sessions is: Upheld")
    }

    @Test("pdftotext: a partial-authorization item wrapped over seven lines is one line")
    func longPartialItem() throws {
        // CM16-0249735 (pdftotext), with the list's introduction right before it.
        let text = """
            IMR ISSUES, DECISIONS AND RATIONALES
            The Final Determination was based on decisions for the disputed items/services set forth below:
            Home aide 12 hours per day, 5 times a week for 4 weeks to assist with mobility, transfer,
            ADL's and safety in the home when wife is working was the original request. Home aide 6
            hours per day, 5 times a week for 4 weeks to assist with mobility, transfer, ADL's and
            safety in the home when wife is working was authorized by the Claims Administrator. The

            remaining IMR eligible portion of the original request, Home aide 6 hours per day, 5 times
            a week for 4 weeks to assist with mobility, transfer, ADL's and safety in the home when
            wife is working is: Upheld
            Claims Administrator guideline: The Claims Administrator based their decision on
            recommendation(s) outside of the MTUS Guidelines.

            """
        let result = try lines(text)
        #expect(result.count == 4)
        #expect(result[1] == "The Final Determination was based on decisions for the disputed items/services set forth below:")
        #expect(result[2].hasPrefix("Home aide 12 hours per day"))
        #expect(result[2].hasSuffix("wife is working is: Upheld"))
    }

    @Test("pdftotext: an outcome alone on its line completes the item line, after a page break or a rationale")
    func outcomeOnItsOwnLine() throws {
        // CM16-0243394 (pdftotext): the page break falls between the introduction and the item.
        let afterPageBreak = """
            IMR ISSUES, DECISIONS AND RATIONALES
            The Final Determination was based on decisions for the disputed items/services set forth below:

            \u{0C}Voltaren gel apply to affected area 4 times a day, #60 grams with 1 refill, DOS: 11/11/2016:
            Upheld
            Claims Administrator guideline: Decision based on MTUS General Approaches 2004,
            Section(s): Initial Approaches to Treatment.

            """
        let first = try lines(afterPageBreak)
        #expect(first[1] == "The Final Determination was based on decisions for the disputed items/services set forth below:")
        #expect(first[2] == "Voltaren gel apply to affected area 4 times a day, #60 grams with 1 refill, DOS: 11/11/2016: Upheld")
        // The same item line right after the previous item's rationale, without a blank line.
        let afterRationale = """
            Decision rationale: The California MTUS 2016 Chronic Pain Treatment Guidelines note that topical
            analgesics are largely experimental with use in few randomized control trials to
            physical examination provided for review. As such, the request is not medically necessary.
            Voltaren gel apply to affected area 4 times a day, #60 grams with 1 refill, DOS: 11/11/2016:
            Upheld
            Claims Administrator guideline: Decision based on MTUS General Approaches 2004,
            Section(s): Initial Approaches to Treatment.

            """
        let second = try lines(afterRationale)
        #expect(second.count == 3)
        #expect(second[1] == "Voltaren gel apply to affected area 4 times a day, #60 grams with 1 refill, DOS: 11/11/2016: Upheld")
    }

    @Test("a rationale sentence about the original request is not taken for an item line")
    func rationaleMentioningOriginalRequest() throws {
        // CM16-0229336 (pdftotext, wrapped): the rationale repeats the partial-authorization wording mid-paragraph.
        let text = """
            Decision rationale: This individual meets published criteria for acute inpatient rehabilitation due to
            the need for intensive musculoskeletal rehabilitation. The Acute inpatient rehabilitation physical
            therapy and occupational therapy 7-10 days for left foot fracture was the original request.
            The Claims Administrator authorized Skilled nursing facility for 7 days with PT/OT once a day for
            left foot fracture, leaving the original request IMR eligible. The original request, Acute inpatient
            rehabilitation physical therapy and occupational therapy 7-10 days for left foot fracture, is
            medically necessary.

            """
        #expect(try lines(text).count == 1)
    }
}

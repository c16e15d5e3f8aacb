import ClinPipeCore
import NormalizeStage
import Testing

/// Two repairs found by comparing the two extractions of the development letters.
@Suite struct PageAndDateRepairTests {
    let stage: NormalizeStage

    init() throws { stage = try NormalizeStage() }

    @Test("a paragraph's last line before an empty page is kept (pdftotext writes \\f\\f)")
    func lastLineBeforeEmptyPage() throws {
        // CM16-0232543 (pdftotext): the letter ends with two form feeds; the rationale's last line stands before
        // both, and once counted twice it looked like a footer repeated on two pages.
        let text = """
            Decision rationale: The California MTUS 2016 Chronic Pain Guidelines state that active therapy is based
            on the philosophy that therapeutic exercise and/or activity are beneficial for restoring flexibility.

            \u{0C}X-rays of the lumbar spine: Upheld
            Decision rationale: However, there was a lack of
            documentation of objective functional deficits found on physical examination to support the
            request for physical therapy. Additionally, the requested duration exceeds guideline
            recommendation. As such, the request is not medically necessary.

            \u{0C}\u{0C}
            """
        let layer = try stage.normalize(text).text
        #expect(layer.hasSuffix("exceeds guideline recommendation. As such, the request is not medically necessary."))
    }

    @Test("a date cut after its hyphen continues on the next line even when that line looks like a list item")
    func dateCutBeforeListLikeLine() throws {
        // CM17-0016204 (pypdf): "On (11-28-" / "16) the injured worker ..." is one date, not the list item "16)".
        let text = """
            Medical records indicate that the injured worker is undergoing treatment for cervicalgia,
            dorsalgia and thoracic spine sprain. The injured worker is working with restrictions. On (11-28-
            16) the injured worker was evaluated for thoracic and cervical spine pain which were noted to be
            unchanged.
            """
        let layer = try stage.normalize(text).text
        #expect(layer.contains("On (11-28-16) the injured worker was evaluated"))
        #expect(!layer.contains("\n"))
        // A real numbered list keeps its lines.
        let list = try stage.normalize("Plan:\n1) Continue physical therapy.\n2) Follow up in 4 weeks.").text
        #expect(list.split(separator: "\n").count == 3)
    }
}

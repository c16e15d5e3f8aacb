import ClinPipeCore
import ClinPipeTestSupport
import DatesStage
import Testing

/// Every written form of a date, in real sentences from the letters (seed letters, imr-dev, MTSamples). The
/// expected spans are marked inline with [[…]]: prefixes (`DOS:`, `DOI`, `dated`, `on`) and parentheses are
/// context, not part of the date.
@Suite struct DateFormatTests {
    @Test(arguments: [
        // Numeric month/day/year, four-digit year.
        "This is a female injured worker with date of injury of [[11/27/1986]]. Medical records indicate",
        "The utilization review determination was rendered on \n\n[[11/19/2014]] recommending non-certification",
        // Two-digit years, slashes and dashes, one- or two-digit fields.
        "The injured worker is a 50-year-old, female who sustained a work related injury on [[11/7/13]]. The",
        "This 63-year-old male sustained an industrial injury on [[8-18-11]]. He subsequently reported low",
        "In the \nPR-2 dated [[3/25/15]], the injured worker complains of increased pain in her low back.",
        "The injured worker is a 61 year old male with an industrial injury date of [[01-10-2014]]. Medical",
        "Physician progress notes dated [[1-21-16]], \nreported the injured worker presented",
        // Prefixes: DOS:, DOS, dated, on.
        "Left gluteal trigger point injection x 1 DOS: [[03/25/2015]]: Upheld",
        "TPI 20553 X6 in the Right Lumbar Paraspinals DOS [[12/29/15]]:  Upheld",
        "The RFA is dated \n[[03/25/15]] and the patient's work status is not provided.",
        "DOI: [[10/20/2016]] UR Denial Date: [[10/28/2016]] Application Received: [[11/28/2016]]",
        "Straight leg raise \n\nwas positive bilaterally. On [[09-23-2015]] the following requests were denied",
        // Parentheses, including a date broken by a hard line break after its separator.
        "Subjective complaints ([[09-16-\n\n2015]]) included pain in bilateral aspects of lumbar spine",
        "Work status ([[09-16-2015]]) is full time \n\nwith modifications.",
        "Subjective complaints ([[09-16- 2015]]) included pain, as a line-joining normalizer may leave it.",
        "The original Utilization Review (UR) ([[10-28-2016]]) modified the requested treatment.",
        // Month names.
        "Date of injury is [[August 18, 2011]]. Request for authorization is [[July 17, 2015]]. According to a",
        "According to a \n\n[[June 19, 2015]] progress note, injured worker symptoms are well controlled on Nucynta.",
        "The UR (utilization review board) denied certification on [[November \n28, 2016]]; for an MRI",
        "Date of injury is [[Aug. 18, 2011]]. Request for authorization is [[Sept. 17, 2015]].",
        "She had a repeat of her CBC again on the [[12th of June 2006]] with hemoglobin of 14",
        "The patient was seen in clinic on [[18 August 2011]] and again on [[3 Sept 2011]].",
        "The treating provider saw him on [[January 03, 2017]] and on [[December 1st, 2016]].",
        // Month and year.
        "most recent documented set of TPIs in \n\n[[December 2014]].  Functional improvement with TPIs",
        "Cyclobenzaprine, Ketoprofen since at least [[October 2016]].On [[1-12-\n17]], she complained",
        "ovarian mass 7 cm at the time of laparoscopy in [[July of 2003]].  The patient",
        "nephrectomy and lymph nodes for which she underwent surgery in [[3/2008]].",
        // Bare years after a temporal cue, with lists and ranges of years.
        "This claimant was injured in [[2016]] \nwith low back, right shoulder, right elbow",
        "This 46y/o RHF with polymyositis since [[1988]], presented with complaint of visual field",
        "Cesarean section X2 in [[1996]] and [[1997]], Appendectomy in [[1971]].",
        "a discectomy performed from [[1990]] to [[1994]].  The area of concern",
        // ISO.
        "MRI of the lumbar spine dated [[2016-11-25]] revealed right lateral recess stenosis.",
    ])
    func findsTheDate(_ marked: String) throws {
        try DatesFixture.expectSpans(marked)
    }

    /// "11/7/13" and "11/07/13" in one letter are the same date.
    @Test func zeroPaddingDoesNotMatter() throws {
        let text = "sustained a work related injury on 11/7/13. The patient was injured on 11/07/13 and presents"
        let values = try DatesFixture.dates(text).compactMap { $0.string("value") }
        #expect(values == ["2013-11-07", "2013-11-07"])
    }

    /// The stage reads the normalized layer and maps back to the original text: here a layer that removed the
    /// hard line break inside a date and turned an en dash into a hyphen.
    @Test func mapsLayerSpansToTheOriginal() throws {
        let original = "Subjective complaints (09-16-\n\n2015) included pain; DOS 9–23–2015."
        let removedBreak = original.utf8.count - "\n\n2015) included pain; DOS 9–23–2015.".utf8.count
        let layerText = "Subjective complaints (09-16-2015) included pain; DOS 9-23-2015."
        let firstDash = original.utf8.count - "–23–2015.".utf8.count
        let secondDash = original.utf8.count - "–2015.".utf8.count
        let map = try OffsetMap(edits: [
            .init(originalRange: removedBreak..<removedBreak + 2, layerRange: removedBreak..<removedBreak),
            .init(originalRange: firstDash..<firstDash + 3, layerRange: firstDash - 2..<firstDash - 1),
            .init(originalRange: secondDash..<secondDash + 3, layerRange: secondDash - 4..<secondDash - 3),
        ], originalLength: original.utf8.count, layerLength: layerText.utf8.count)
        var document = Document(id: "layer", text: original)
        try document.setLayer(TextLayer(name: Document.normalizedLayerName, text: layerText, map: map))
        try DatesFixture.stage.process(&document)
        #expect(document.texts(ofType: "date") == ["09-16-\n\n2015", "9–23–2015"])
        #expect(document.annotations(ofType: "date").compactMap { $0.string("value") } == ["2015-09-16", "2015-09-23"])
    }
}

import ClinPipeCore
import ClinPipeTestSupport
import ClinPipeText
import Foundation
import SectionsStage
import Testing

/// The sections stage on real passages: both IMR letter templates, the partial-authorization items, MTSamples
/// notes with flattened headings, and the negative cases (field labels, decision-like lines outside the issues
/// section, capitals quoted inside a rationale).
@Suite struct SectionsStageTests {
    let harness: Harness

    init() throws { harness = try Harness() }

    // MARK: IMR letters

    /// The 2014-15 template (sample 000): credentials in one sentence, one item.
    @Test("2014-15 template: sections, item block and credentials sentence")
    func template2014() throws {
        let text = try String(contentsOf: TestPaths.seedLetters.appendingPathComponent("000_ccb6dedda2d825ee.txt"), encoding: .utf8)
        let document = try harness.run(text)
        #expect(document.sectionTitles == ["HOW THE IMR FINAL DETERMINATION WAS MADE", "CLINICAL CASE SUMMARY",
                                           "IMR ISSUES, DECISIONS AND RATIONALES"])
        #expect(document.sectionNames == ["imr_how_determination_made", "clinical_case_summary", "imr_issues_decisions"])
        #expect(document.attributes["reviewer_specialties"] == .strings(["Preventive Medicine", "Occupational Medicine"]))
        #expect(document.attributes["reviewer_licensure"] == .strings(["Iowa"]))
        let items = document.sorted("imr.item")
        #expect(items.count == 1)
        #expect(document.string("item", of: items[0]) == "Eight Trigger Point Injections for the Upper Cervical Region, 8 Positions")
        #expect(document.string("outcome", of: items[0]) == "upheld")
        #expect(items[0].attributes["index"] == .int(1))
        #expect(items[0].attributes["partial"] == .bool(false))
        // The item line wrapped in the PDF text; its span covers both lines of the original.
        let line = try #require(document.sorted("imr.item.line").first)
        #expect(collapse(document.coveredText(of: line)) == "Eight Trigger Point Injections for the Upper Cervical Region, 8 Positions: Upheld")
        #expect(document.sorted("imr.item.claims_guideline").map { collapse(document.coveredText(of: $0)) }
            == ["Decision based on MTUS Acupuncture Treatment Guidelines,Chronic Pain Treatment Guidelines Trigger Point Injections and Physical Therapy."])
        #expect(document.sorted("imr.item.maximus_guideline").map { collapse(document.coveredText(of: $0)) }
            == ["Decision based on MTUS Chronic Pain Treatment Guidelines Trigger Point Injections Page(s): 122."])
        let rationale = try #require(document.sorted("imr.item.rationale").first)
        #expect(collapse(document.coveredText(of: rationale)).hasPrefix("MTUS states that Trigger Point Injections are \"Recommended only"))
        // Every child lies inside its item, every item inside the issues section.
        let issues = try #require(document.sorted("section").last)
        #expect(issues.range.contains(items[0].range.lowerBound) && items[0].range.upperBound <= issues.range.upperBound)
        for type in ["imr.item.line", "imr.item.request", "imr.item.claims_guideline", "imr.item.maximus_guideline", "imr.item.rationale"] {
            for child in document.annotations(ofType: type) {
                #expect(items[0].range.lowerBound <= child.range.lowerBound && child.range.upperBound <= items[0].range.upperBound)
                #expect(child.attributes["parent"] == .int(items[0].id.rawValue))
            }
        }
    }

    /// The 2016-17 template (sample 002): credentials as fields with lists, two items, the first one's guideline
    /// field directly under the item line.
    @Test("2016-17 template: credential fields and two item blocks")
    func template2016() throws {
        let text = try String(contentsOf: TestPaths.seedLetters.appendingPathComponent("002_9e462060fe828150.txt"), encoding: .utf8)
        let document = try harness.run(text)
        #expect(document.attributes["reviewer_licensure"] == .strings(["California", "Texas", "Florida"]))
        #expect(document.attributes["reviewer_specialties"] == .strings(["Anesthesiology", "Pain Management", "Hospice & Palliative Medicine"]))
        let items = document.sorted("imr.item")
        #expect(items.map { document.string("item", of: $0) } == [
            "Acupuncture 6 sessions", "Ultrasound guided Lumbar Paraspinal Muscle Trigger Point Injections at L4-5, L5-S1.",
        ])
        #expect(items.map { $0.attributes["index"] } == [.int(1), .int(2)])
        // Each block ends before the next item line; each has its three fields.
        #expect(items[0].range.upperBound < items[1].range.lowerBound)
        #expect(collapse(document.coveredText(of: items[0])).hasSuffix("As such, the currently requested Acupuncture 6 sessions is not medically necessary."))
        for item in items {
            let fields = document.annotations.filter { $0.attributes["parent"] == .int(item.id.rawValue) }.map(\.type)
            #expect(fields == ["imr.item.line", "imr.item.request", "imr.item.claims_guideline", "imr.item.maximus_guideline",
                               "imr.item.rationale"])
        }
    }

    /// Partial-authorization items from the development letters, on their normalized lines.
    @Test("partial authorization: one item, with the original request and the authorized portion", arguments: [
        // CM17-0001749
        ("Partial Hospitalization day treatment was the original request. The Claims Administrator authorized an Evaluation "
            + "only for a Partial Hospitalization day treatment, leaving the original request IMR eligible. The original "
            + "request, Partial Hospitalization day treatment is: Overturned",
         "Partial Hospitalization day treatment", "overturned", "Partial Hospitalization day treatment",
         "an Evaluation only for a Partial Hospitalization day treatment"),
        // CM16-0229336: a comma after the final request
        ("Acute inpatient rehabilitation physical therapy and occupational therapy 7-10 days for left foot fracture was the "
            + "original request. The Claims Administrator authorized Skilled nursing facility for 7 days with PT/OT once a day "
            + "for left foot fracture, leaving the original request IMR eligible. The original request, Acute inpatient "
            + "rehabilitation physical therapy and occupational therapy 7-10 days for left foot fracture, is: Overturned",
         "Acute inpatient rehabilitation physical therapy and occupational therapy 7-10 days for left foot fracture", "overturned",
         "Acute inpatient rehabilitation physical therapy and occupational therapy 7-10 days for left foot fracture",
         "Skilled nursing facility for 7 days with PT/OT once a day for left foot fracture"),
        // CM17-0003192: the remaining portion, worded differently from the original
        ("Chiropractic physiotherapy 2 times a week for 4 weeks (8 sessions) to the left elbow was the original request. "
            + "Chiropractic physiotherapy for 3 sessions was authorized by the Claims Administrator. The remaining IMR eligible "
            + "portion of the original request, 5 sessions of chiropractic physiotherapy for the left elbow is: Upheld",
         "5 sessions of chiropractic physiotherapy for the left elbow", "upheld",
         "Chiropractic physiotherapy 2 times a week for 4 weeks (8 sessions) to the left elbow",
         "Chiropractic physiotherapy for 3 sessions"),
        // CM17-0006634 without its first sentence: no original request written
        ("Physical therapy 6 sessions was authorized by the Claims Administrator. The remaining IMR eligible portion of the "
            + "original request, Physical therapy 6 sessions is: Upheld",
         "Physical therapy 6 sessions", "upheld", "", "Physical therapy 6 sessions"),
    ])
    func partialAuthorization(line: String, item: String, outcome: String, original: String, authorized: String) throws {
        let text = """
            IMR ISSUES, DECISIONS AND RATIONALES

            The Final Determination was based on decisions for the disputed items/services set forth below:

            \(line)

            Claims Administrator guideline: Decision based on MTUS Chronic Pain Medical Treatment 2016.

            MAXIMUS guideline: Decision based on MTUS Chronic Pain Medical Treatment 2016.

            Decision rationale: The request is not medically necessary.
            """
        let document = try harness.run(text)
        let items = document.sorted("imr.item")
        try #require(items.count == 1)
        #expect(document.string("item", of: items[0]) == item)
        #expect(document.string("outcome", of: items[0]) == outcome)
        #expect(items[0].attributes["partial"] == .bool(true))
        #expect(document.string("original_request", of: items[0]) == (original.isEmpty ? nil : original))
        #expect(document.string("authorized_portion", of: items[0]) == authorized)
        #expect(document.texts(ofType: "imr.item.request").map(collapse) == [item])
        #expect(document.texts(ofType: "imr.item.line") == [line])
    }

    @Test("a first sentence the letter set on its own line joins the item (sections alone, without normalize)")
    func prefixLine() throws {
        // CM16-0247405 as pypdf lays it out once wrapped lines are joined but before the normalize fix joined it.
        let text = """
            IMR ISSUES, DECISIONS AND RATIONALES

            The Final Determination was based on decisions for the disputed items/services set forth below:

            Chiropractic therapy sessions for the cervical spine, #8 was the original request.

            Chiropractic therapy sessions for the cervical spine, #6 was authorized by the Claims Administrator. The remaining IMR eligible portion of the original request, Chiropractic therapy sessions for the cervical spine, #2 is: Upheld

            Claims Administrator guideline: Decision based on MTUS Neck and Upper Back Complaints.
            """
        let document = try harness.sectionsOnly(text)
        let item = try #require(document.sorted("imr.item").first)
        #expect(document.string("item", of: item) == "Chiropractic therapy sessions for the cervical spine, #2")
        #expect(document.string("original_request", of: item) == "Chiropractic therapy sessions for the cervical spine, #8")
        #expect(collapse(document.coveredText(of: item)).hasPrefix("Chiropractic therapy sessions for the cervical spine, #8 was the original request."))
    }

    @Test("negative cases: decision-like lines outside the issues section, field labels, quoted capitals")
    func negatives() throws {
        let text = """
            HOW THE IMR FINAL DETERMINATION WAS MADE

            MAXIMUS Federal Services sent the complete case file to an expert reviewer.

            CLINICAL CASE SUMMARY

            The utilization review determination was: Upheld

            IMR ISSUES, DECISIONS AND RATIONALES

            The Final Determination was based on decisions for the disputed items/services set forth below:

            MRI OF THE LUMBAR SPINE: Upheld

            Claims Administrator guideline: Decision based on ACOEM.

            MAXIMUS guideline: Decision based on ACOEM.

            Decision rationale: ACOEM states:

            CRITERIA FOR ORDERING IMAGING STUDIES

            Emergence of a red flag. ODG: Not recommended. The request is not medically necessary.

            Norco 10/325mg #60: Overturned

            Decision rationale: Norco is medically necessary. The prior review of the same request was: Upheld
            """
        let document = try harness.run(text)
        // The all-capital item line is an item, not a heading; the quoted capitals are a subsection of the issues
        // section and do not end it; `ODG:` after a sentence is no heading; field labels are no headings.
        #expect(document.sectionTitles == ["HOW THE IMR FINAL DETERMINATION WAS MADE", "CLINICAL CASE SUMMARY",
                                           "IMR ISSUES, DECISIONS AND RATIONALES", "CRITERIA FOR ORDERING IMAGING STUDIES"])
        let sections = document.sorted("section")
        #expect(sections[3].attributes["level"] == .int(2))
        #expect(sections[3].attributes["parent"] == .int(sections[2].id.rawValue))
        #expect(sections[3].attributes["mapped"] == .bool(false))
        #expect(sections[3].attributes["name"] == .string("criteria_for_ordering_imaging_studies"))
        #expect(sections[2].range.upperBound == document.utf8Count)
        // Items only inside the issues section, in order; the second block holds the quoted capitals.
        let items = document.sorted("imr.item")
        #expect(items.map { document.string("item", of: $0) } == ["MRI OF THE LUMBAR SPINE", "Norco 10/325mg #60"])
        #expect(items.map { document.string("outcome", of: $0) } == ["upheld", "overturned"])
        #expect(collapse(document.texts(ofType: "imr.item.rationale")[0]).hasSuffix("The request is not medically necessary."))
        #expect(document.annotations(ofType: "imr.item.claims_guideline").count == 1)
        // A field that happens to end like a decision line is no item line.
        #expect(collapse(document.texts(ofType: "imr.item.rationale")[1]).hasSuffix("The prior review of the same request was: Upheld"))
    }

    @Test("a letter without IMR sections gets no items and no credentials")
    func noImrSections() throws {
        let text = "Acupuncture 6 sessions: Upheld\n\nThe expert reviewer is Board Certified in Surgery and is licensed to practice in Ohio.\n"
        let document = try harness.run(text)
        #expect(document.annotations(ofType: "imr.item").isEmpty)
        #expect(document.annotations(ofType: "section").isEmpty)
        #expect(document.attributes["reviewer_licensure"] == nil)
    }

    @Test("credential lists: states split at commas and 'and', specialties kept whole")
    func credentialLists() throws {
        let text = """
            HOW THE IMR FINAL DETERMINATION WAS MADE

            The expert reviewer is Board Certified in Physical Medicine and Rehabilitation, has a subspecialty in Pain Medicine and is licensed to practice in California, Texas and New York. He/she has been in active clinical practice for more than five years.

            CLINICAL CASE SUMMARY

            The injured worker is a 50-year-old female.
            """
        let document = try harness.run(text)
        #expect(document.attributes["reviewer_specialties"] == .strings(["Physical Medicine and Rehabilitation", "Pain Medicine"]))
        #expect(document.attributes["reviewer_licensure"] == .strings(["California", "Texas", "New York"]))
    }

    // MARK: Generic clinical notes

    /// MTSamples note 1394, as the CSV writes it: line breaks flattened to commas.
    static let mtsamples1394 = "SUBJECTIVE:,  The patient states that he feels sick and weak.,PHYSICAL EXAMINATION:,VITAL SIGNS:  Highest "
        + "temperature recorded over the past 24 hours was 101.1, and current temperature is 99.2.,GENERAL:  The patient looks "
        + "tired.,HEENT:  Oral mucosa is dry.,CHEST:  Clear to auscultation.  He states that he has a mild cough, not productive.,"
        + "CARDIOVASCULAR:  First and second heart sounds were heard.  No murmur was appreciated.,ABDOMEN:  Soft and nontender.  "
        + "Bowel sounds are positive. Murphy's sign is negative.,EXTREMITIES:  There is no swelling.,NEURO:  The patient is alert "
        + "and oriented x 3.  Examination is nonfocal.,LABORATORY DATA: , White count is normal at 6.8, hemoglobin is 15.8, and "
        + "platelets 257,000.  Glucose is in the low 100s.,ASSESSMENT AND PLAN:,1.  Fever of undetermined origin, probably viral "
        + "since white count is normal.,2.  Dehydration.  Hydrate the patient."

    @Test("MTSamples: flattened headings, examination parts nested as subsections")
    func flattenedNote() throws {
        let document = try harness.run(Self.mtsamples1394)
        let sections = document.sorted("section")
        #expect(document.sectionNames == ["subjective", "physical_examination", "vital_signs", "general", "heent", "chest", "heart",
                                          "abdomen", "extremities", "neurological", "laboratory", "assessment_and_plan"])
        let exam = sections[1]
        for part in sections[2...9] {
            #expect(part.attributes["level"] == .int(2))
            #expect(part.attributes["parent"] == .int(exam.id.rawValue))
            #expect(exam.range.lowerBound < part.range.lowerBound && part.range.upperBound <= exam.range.upperBound)
        }
        #expect(sections[10].attributes["level"] == .int(1))
        // Bodies stop before the flattened line break (the comma) that precedes the next heading.
        #expect(document.coveredText(of: sections[0]) == "SUBJECTIVE:,  The patient states that he feels sick and weak.")
        #expect(document.coveredText(of: sections[4]) == "HEENT:  Oral mucosa is dry.")
        #expect(document.texts(ofType: "section.heading").prefix(3) == ["SUBJECTIVE", "PHYSICAL EXAMINATION", "VITAL SIGNS"])
    }

    @Test("headings on their own lines and at line starts, in capitals or (when known) mixed case")
    func lineHeadings() throws {
        let text = """
            HISTORY OF PRESENT ILLNESS:
            The patient is a 45-year-old woman with low back pain radiating to the left leg since a fall at work.

            Past Medical History: Hypertension.
            Medications: Norco 10/325 mg one tablet p.o. q.6h. p.r.n. pain.
            Claims status: open.
            PHYSICAL EXAMINATION:
            NECK: Supple. LUNGS: Clear. Abdomen: Soft. Straight leg raise is positive on the left at 40 degrees.
            OPERATIVE TECHNIQUE NOTES: none.
            IMPRESSION: Lumbar radiculopathy at L5-S1.
            PLAN: MRI of the lumbar spine. Follow up at 10:30 next week.
            """
        let document = try harness.run(text)
        // "Claims status:" is not a known heading and not in capitals; "Abdomen:" after a sentence is in mixed case,
        // where only capitals count (a rationale's "... noted. Plan: continue" is no heading).
        #expect(document.sectionTitles == ["HISTORY OF PRESENT ILLNESS", "Past Medical History", "Medications", "PHYSICAL EXAMINATION",
                                           "NECK", "LUNGS", "OPERATIVE TECHNIQUE NOTES", "IMPRESSION", "PLAN"])
        #expect(document.sectionNames == ["history_of_present_illness", "past_medical_history", "medications", "physical_examination",
                                          "neck", "lungs", "operative_technique_notes", "impression", "plan"])
        let sections = document.sorted("section")
        // "LUNGS:" after a sentence: level 2, inside the examination; the unmapped heading after the subsection
        // "LUNGS" is taken for another part of the examination.
        #expect(sections[5].attributes["level"] == .int(2))
        #expect(sections[6].attributes["level"] == .int(2))
        #expect(sections[6].attributes["mapped"] == .bool(false))
        #expect(sections[7].attributes["level"] == .int(1))
        #expect(sections.last.map { document.coveredText(of: $0) } == "PLAN: MRI of the lumbar spine. Follow up at 10:30 next week.")
    }

    @Test("sections alone on a note without normalization: offsets are the original text's")
    func identityLayer() throws {
        let text = "CHIEF COMPLAINT:,  Low back pain.,HISTORY OF PRESENT ILLNESS:,  Pain for 3 weeks.\r\nASSESSMENT:\r\nSprain."
        let document = try harness.sectionsOnly(text)
        #expect(document.texts(ofType: "section.heading") == ["CHIEF COMPLAINT", "HISTORY OF PRESENT ILLNESS", "ASSESSMENT"])
        #expect(document.texts(ofType: "section") == ["CHIEF COMPLAINT:,  Low back pain.", "HISTORY OF PRESENT ILLNESS:,  Pain for 3 weeks.",
                                                       "ASSESSMENT:\r\nSprain."])
    }

    // MARK: Configuration

    @Test("a user heading file adds and remaps headings; a bad one is reported by file and line")
    func userHeadings() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("sections-test-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        try "heading\tname\tlevel\nWORK STATUS\twork_status\nPLAN\ttreatment_plan\n".write(
            to: folder.appendingPathComponent("mine.tsv"), atomically: true, encoding: .utf8)
        var configuration = SectionsStage.Configuration()
        configuration.headings = ["mine.tsv"]
        let custom = try Harness(sections: configuration, environment: StageEnvironment(baseDirectory: folder, stageName: "sections"))
        let document = try custom.run("Work Status: Modified duty.\n\nPLAN: Continue.\n\nMedications: None.")
        #expect(document.sectionNames == ["work_status", "treatment_plan", "medications"])

        try "heading\tname\tlevel\nWORK STATUS\tWork Status\nPLAN\tplan\tzero\n".write(
            to: folder.appendingPathComponent("bad.tsv"), atomically: true, encoding: .utf8)
        configuration.headings = ["bad.tsv"]
        #expect {
            _ = try SectionsStage(configuration: configuration, environment: StageEnvironment(baseDirectory: folder, stageName: "sections"))
        } throws: { error in
            let problems = (error as? RuleFileError)?.problems ?? []
            return problems.contains { $0.hasPrefix("bad.tsv:2:") } && problems.contains { $0.hasPrefix("bad.tsv:3:") }
        }
    }

    @Test("the stage reports the annotation types of its item rules")
    func produces() throws {
        let stage = try SectionsStage()
        #expect(stage.produces.contains("imr.item.rationale"))
        #expect(stage.requires.isEmpty)
    }
}

import ClinPipeClassifier
import ClinPipeCore
import ClinPipeTestSupport
import ContextStage
import DatesStage
import DrugsStage
import Foundation
import NormalizeStage
@testable import OutcomeStage
import SectionsStage
import SentencesStage
import Testing

/// The stages the outcome stage reads, in default-pipeline order.
enum OutcomeTesting {
    static let stages: [any Stage] = {
        let environment = { (name: String) in StageEnvironment(stageName: name) }
        return [
            try! NormalizeStage(), try! SentencesStage(),
            try! SectionsStage(configuration: .init(), environment: environment("sections")),
            try! DatesStage(configuration: .init(), environment: environment("dates")),
            try! DrugsStage(configuration: .init(), environment: environment("drugs")),
            try! ContextStage(configuration: .init(), environment: environment("context")),
            try! OutcomeStage(),
        ]
    }()

    static func run(_ text: String, id: String = "t") throws -> Document {
        var document = Document(id: id, text: text)
        for stage in stages { try stage.process(&document) }
        return document
    }

    static func decisions(_ document: Document) -> [Annotation] {
        document.annotations.filter { $0.type == "imr.decision" }.sorted { $0.range.lowerBound < $1.range.lowerBound }
    }
}

@Suite struct OutcomeStageTests {
    @Test func sampleLettersGiveOneDecisionPerItemAllUpheldAndConsistent() throws {
        var items: [String] = []
        for (name, text) in try TestPaths.seedTexts() {
            let document = try OutcomeTesting.run(text, id: name)
            let decisions = OutcomeTesting.decisions(document)
            #expect(document.attributes["decision_count"] == .int(decisions.count), "\(name)")
            #expect(document.attributes["upheld_count"] == .int(decisions.count), "\(name)")
            for decision in decisions {
                #expect(decision.attributes["outcome"] == "upheld")
                #expect(decision.attributes["rationale_conclusion"] == "not_medically_necessary", "\(name)")
                #expect(decision.attributes["consistent"] == true, "\(name)")
                #expect(decision.attributes["guidelines"]?.listValue?.isEmpty == false, "\(name)")
                items.append(decision.attributes["item"]?.stringValue ?? "")
            }
        }
        #expect(items.count == 8)
        #expect(items.contains("Physical Therapy 2x8 for the Lumbar Spine"))
    }

    @Test func itemDetailsOfTheSampleLetters() throws {
        let text = try TestPaths.seedTexts().first { $0.name.hasPrefix("004") }!.text
        let decisions = OutcomeTesting.decisions(try OutcomeTesting.run(text))
        let tpi = try #require(decisions.first { $0.attributes["item"]?.stringValue?.hasPrefix("TPI") == true })
        #expect(tpi.attributes["cpt"] == .strings(["20553"]))
        #expect(tpi.attributes["quantity"] == .strings(["X6"]))
        #expect(tpi.attributes["category"] == "injection")
        #expect(tpi.attributes["service_date"] == "2015-12-29")
        let therapy = try #require(decisions.first { $0.attributes["item"]?.stringValue?.hasPrefix("Physical") == true })
        #expect(therapy.attributes["quantity"] == .strings(["2x8"]))
        #expect(therapy.attributes["category"] == "physical therapy")
        #expect(therapy.attributes["reasons"]?.listValue?.contains("exceeds_guideline_quantity") == true)
        let citation = therapy.attributes["guidelines"]?.listValue?.compactMap(\.objectValue)
            .first { $0["cited_in"] == "maximus" }
        #expect(citation?["source"] == "MTUS")
        #expect(citation?["pages"] == "98-99")
    }

    @Test func guidelineLinesBecomeCitations() throws {
        let citations = try GuidelineCitations()
        let first = try citations.citations(inGuidelineLine: "Decision based on MTUS Chronic Pain Treatment Guidelines Trigger Point Injections Page(s): 122.")
        #expect(first.count == 1)
        #expect(first[0]["source"] == "MTUS")
        #expect(first[0]["title"] == "Chronic Pain Treatment Guidelines")
        #expect(first[0]["section"] == "Trigger Point Injections")
        #expect(first[0]["pages"] == "122")
        let two = try citations.citations(inGuidelineLine: "Decision based on MTUS General Approaches 2004, Section(s): Initial Approaches to Treatment. Decision based on Non-MTUS Citation Official Disability Guidelines (ODG) Low back section.")
        #expect(two.map { $0["source"] } == ["MTUS", "ODG"])
        #expect(two[0]["section"] == "Initial Approaches to Treatment")
        #expect(two[1]["section"] == "Low back")
        let pages = try citations.citations(inGuidelineLine: "MTUS Chronic Pain Medical Treatment Guidelines, Physical Medicine, Page(s): 98-99 of 127")
        #expect(pages.first?["pages"] == "98-99")
        let acoem = try citations.citations(inGuidelineLine: "Decision based on ACOEM Practice Guidelines, 2nd Edition (2004), Chapter 12 Low Back Complaints, page 303")
        #expect(acoem.first?["source"] == "ACOEM")
        #expect(acoem.first?["pages"] == "303")
    }

    @Test func quantitiesAndCodesAreReadButNotDatesOrYears() throws {
        let details = try ItemDetails()
        #expect(try details.quantities(in: "Chiropractic 2x4 for the lumbar spine") == ["2x4"])
        #expect(try details.quantities(in: "Norco 10/325mg #60") == ["#60"])
        #expect(try details.quantities(in: "Acupuncture 6 sessions") == ["6 sessions"])
        #expect(try details.quantities(in: "MRI of the lumbar spine") == [])
        #expect(try details.cptCodes(in: "Trigger point injections (CPT 20552, 20553) DOS 1/5/2015") == ["20552", "20553"])
        #expect(try details.cptCodes(in: "ODG 2016 guidelines 20610") == ["20610"])
        #expect(try details.serviceDate(in: "Toradol injection DOS: 03/25/2015") == "03/25/2015")
    }

    @Test func categoriesFollowTheRuleFile() throws {
        let stage = try OutcomeStage()
        _ = stage
        let categories = try PatternTable(file: "categories.tsv", labelColumn: "category")
        func category(_ text: String) throws -> String? { try text.withUTF8Bytes { try categories.firstMatch(in: $0)?.label } }
        #expect(try category("Lumbar epidural steroid injection at L4-5") == "injection")
        #expect(try category("MRI of the cervical spine without contrast") == "imaging")
        #expect(try category("Physical therapy 2 times a week for 6 weeks") == "physical therapy")
        #expect(try category("Cognitive behavioral therapy 6 sessions") == "psychological")
        #expect(try category("Lumbar brace") == "DME")
        #expect(try category("Right knee arthroscopy with partial meniscectomy") == "surgery")
        #expect(try category("Flexeril 10mg #60") == "medication")
        #expect(try category("Acupuncture 2x3") == "acupuncture")
        #expect(try category("Chiropractic manipulation 2x4") == "chiropractic")
        #expect(try category("Functional capacity evaluation") == "other")
    }

    @Test func aRationaleThatContradictsTheOutcomeIsFlagged() throws {
        let letter = """
            IMR ISSUES, DECISIONS AND RATIONALES

            The Final Determination was based on decisions for the disputed items/services set forth below:

            Norco 10/325mg #60: Upheld

            Claims Administrator guideline: Decision based on MTUS Chronic Pain Treatment Guidelines Opioids Page(s): 78.

            MAXIMUS guideline: Decision based on MTUS Chronic Pain Treatment Guidelines Opioids Page(s): 78-80.

            Decision rationale: The records document pain relief from 8/10 to 4/10 and improved function with Norco. \
            A urine drug screen was consistent. Therefore, the request for Norco 10/325mg #60 is medically necessary.

            Lumbar MRI: Overturned

            Claims Administrator guideline: Decision based on ACOEM Practice Guidelines, Chapter 12, page 303.

            MAXIMUS guideline: Decision based on ACOEM Practice Guidelines, Chapter 12, page 303.

            Decision rationale: There is no documentation of red flags and no failed conservative treatment. \
            The request for lumbar MRI is not medically necessary.
            """
        let decisions = OutcomeTesting.decisions(try OutcomeTesting.run(letter))
        #expect(decisions.count == 2)
        #expect(decisions[0].attributes["rationale_conclusion"] == "medically_necessary")
        #expect(decisions[0].attributes["consistent"] == false)
        #expect(decisions[0].attributes["category"] == "medication")
        #expect(decisions[0].attributes["reasons"] == .strings([]))
        #expect(decisions[1].attributes["outcome"] == "overturned")
        #expect(decisions[1].attributes["consistent"] == false)
        #expect(decisions[1].attributes["reasons"]?.listValue?.contains("conservative_care_not_tried") == true)
    }

    @Test func aConfiguredModelAddsPredictionsWithConfidence() throws {
        let examples = (0..<20).map { index in
            index.isMultiple(of: 2)
                ? LabeledText(text: "There is no documentation of functional improvement and no trigger points \(index).", label: "upheld", group: "u\(index)")
                : LabeledText(text: "The records document functional improvement and pain relief with the treatment \(index).", label: "overturned", group: "o\(index)")
        }
        var trainer = TrainerConfiguration(algorithm: .naiveBayes)
        trainer.balanceClasses = true
        let model = try TextClassifierTrainer(configuration: trainer).train(examples)
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("outcome-model-\(UUID().uuidString).json")
        defer { try? FileManager.default.removeItem(at: url) }
        try model.save(to: url)
        var configuration = OutcomeStage.Configuration()
        configuration.model = url.path
        configuration.summaryModel = url.path
        let stage = try OutcomeStage(configuration: configuration, environment: StageEnvironment(stageName: "outcome"))
        let text = try TestPaths.seedTexts().first { $0.name.hasPrefix("002") }!.text
        var document = Document(id: "002", text: text)
        for earlier in OutcomeTesting.stages.dropLast() { try earlier.process(&document) }
        try stage.process(&document)
        let decisions = OutcomeTesting.decisions(document)
        #expect(decisions.count == 2)
        for decision in decisions {
            #expect(["upheld", "overturned"].contains(decision.attributes["predicted_outcome"]?.stringValue ?? ""))
            let confidence = try #require({ () -> Double? in
                if case .double(let value)? = decision.attributes["confidence"] { return value } else { return nil }
            }())
            #expect(confidence >= 0.5 && confidence <= 1)
            #expect(decision.attributes["predicted_outcome_from_summary"] != nil)
        }
        var missing = OutcomeStage.Configuration()
        missing.model = "/nonexistent/model.json"
        #expect(throws: (any Error).self) { try OutcomeStage(configuration: missing, environment: StageEnvironment(stageName: "outcome")) }
    }

    @Test func theDevelopmentLettersAgainstDecisionsCSV() throws {
        guard let root = TestPaths.sharedCorpora else {
            print("skipped: ../shared/corpora is absent")
            return
        }
        let csv = try String(contentsOf: root.appendingPathComponent("imr-dev/decisions.csv"), encoding: .utf8)
        var expected: [String: [String]] = [:]
        for line in csv.split(whereSeparator: \.isNewline).dropFirst() {
            let fields = CSVLine.split(String(line))
            guard fields.count >= 5 else { continue }
            expected[fields[0], default: []].append(fields[4].trimmingCharacters(in: .whitespacesAndNewlines).lowercased())
        }
        let folder = root.appendingPathComponent("imr-dev/text")
        var found = 0, outcomeMatches = 0, flagged: [String] = [], withConclusion = 0
        for file in try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted() where file.hasSuffix(".txt") {
            let id = String(file.dropLast(4))
            let document = try OutcomeTesting.run(try String(contentsOf: folder.appendingPathComponent(file), encoding: .utf8), id: id)
            let decisions = OutcomeTesting.decisions(document)
            found += decisions.count
            for (decision, outcome) in zip(decisions, expected[id] ?? []) where decision.attributes["outcome"]?.stringValue == outcome {
                outcomeMatches += 1
            }
            for decision in decisions {
                if decision.attributes["rationale_conclusion"] != nil { withConclusion += 1 }
                if decision.attributes["consistent"] == false { flagged.append(id) }
            }
        }
        print("imr-dev: \(found) decisions, \(outcomeMatches) outcomes match decisions.csv, \(withConclusion) with a rationale conclusion, consistent=false in \(flagged)")
        #expect(found == 114)
        #expect(outcomeMatches == 114)
        #expect(withConclusion == 114)
        #expect(flagged.isEmpty)
    }
}

/// Splits one CSV line with quoted fields (no line breaks inside fields).
enum CSVLine {
    static func split(_ line: String) -> [String] {
        var fields: [String] = [], field = "", quoted = false
        var characters = Array(line)[...]
        while let character = characters.popFirst() {
            if quoted {
                if character == "\"" {
                    if characters.first == "\"" { field.append("\""); characters.removeFirst() } else { quoted = false }
                } else { field.append(character) }
            } else if character == "," { fields.append(field); field = "" }
            else if character == "\"" { quoted = true }
            else { field.append(character) }
        }
        fields.append(field)
        return fields
    }
}

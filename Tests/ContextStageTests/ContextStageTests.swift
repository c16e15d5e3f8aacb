import ClinPipeCore
import ClinPipeTestSupport
import ClinPipeText
import ContextStage
import Foundation
import LexiconStage
import NormalizeStage
import SentencesStage
import Testing

@Suite struct ContextStageTests {
    let harness: ContextHarness
    init() throws { harness = try ContextHarness() }

    // MARK: - The findings lexicon and the example

    @Test func documentedTriggerPointsAndTwitchResponseAreBothNegated() throws {
        let (document, _) = try harness.run(
            "There are no documented circumscribed trigger points with evidence upon palpation of a twitch response.")
        let findings = document.annotations(ofType: "finding")
        #expect(findings.map { String(document.coveredText(of: $0)) } == ["circumscribed trigger points", "twitch response"])
        #expect(findings.map(ContextHarness.flags(of:)) == ["N", "N"])
        #expect(findings.map { $0.attributes["normalized"]?.stringValue } == ["trigger_point", "twitch_response"])
    }

    @Test func findingsAreAffirmedWithoutATrigger() throws {
        let (document, _) = try harness.run("Trigger points with a positive twitch response and referred pain were palpated in the trapezius.")
        let findings = document.annotations(ofType: "finding")
        #expect(findings.count == 3)
        #expect(findings.allSatisfy { ContextHarness.flags(of: $0) == "-" })
    }

    /// The opioid, proton pump inhibitor and surgery criteria of IMR rationales.
    @Test func opioidGastrointestinalAndInstabilityCriteria() throws {
        let cases: [(String, String, String, String)] = [
            ("There is no documentation of aberrant drug-seeking behavior.", "aberrant drug-seeking behavior",
             "aberrant_behavior", "N"),
            ("The records do not document any gastrointestinal risk factors for the injured worker.",
             "gastrointestinal risk factors", "gastrointestinal_risk", "N"),
            ("The patient is at intermediate risk for gastrointestinal events.", "risk for gastrointestinal events",
             "gastrointestinal_risk", "-"),
            ("Flexion-extension views show no evidence of segmental instability at L4-5.", "segmental instability",
             "instability", "N"),
            ("Urine drug screens were consistent and there was no aberrant behavior.", "aberrant behavior",
             "aberrant_behavior", "N"),
        ]
        for (text, finding, normalized, flags) in cases {
            let (document, _) = try harness.run(text)
            let found = document.annotations(ofType: "finding")
            #expect(found.map { String(document.coveredText(of: $0)) } == [finding], "\(text)")
            #expect(found.map { $0.attributes["normalized"]?.stringValue } == [normalized], "\(text)")
            #expect(found.map(ContextHarness.flags(of:)) == [flags], "\(text)")
        }
    }

    @Test func treatmentNamesAreNotReportedAsFindings() throws {
        let (document, _) = try harness.run("The request for trigger point injections is not medically necessary.")
        #expect(document.texts(ofType: "finding").isEmpty)
        #expect(document.texts(ofType: "procedure") == ["trigger point injections"])
    }

    @Test func findingsCanBeTurnedOff() throws {
        var configuration = ContextStage.Configuration()
        configuration.findings = false
        let (document, _) = try ContextHarness(configuration).run("There is no radiculopathy.")
        #expect(document.annotations(ofType: "finding").isEmpty)
        #expect(document.annotations(ofType: ContextStage.modifierType).isEmpty)
    }

    @Test func findingsLexiconIsExposed() throws {
        let lexicon = try FindingsLexicon.builtIn()
        #expect(lexicon.types.contains("finding"))
        let normalized = Set(lexicon.entries.filter { $0.type == "finding" }.map(\.normalized))
        for expected in ["trigger_point", "twitch_response", "referred_pain", "radiculopathy", "myofascial_pain",
                         "functional_improvement", "spasm", "tenderness", "decreased_sensation",
                         "straight_leg_raise_positive", "neurologic_deficit", "pain_relief", "home_exercise_program",
                         "conservative_treatment_failure"] {
            #expect(normalized.contains(expected), "missing \(expected)")
        }
        // Another stage can match it: the generic lexicon stage.
        var document = Document(id: "x", text: "Objective functional improvement and a home exercise program.")
        try LexiconStage(lexicon: lexicon, stageName: "findings").process(&document)
        #expect(document.texts(ofType: "finding") == ["Objective functional improvement", "home exercise program"])
    }

    // MARK: - Negation

    @Test func preTriggersNegateForward() throws {
        #expect(try harness.flags("The patient denies [[numbness]] or [[tingling]].") == ["N", "N"])
        #expect(try harness.flags("No [[fever]], [[chills]], or [[night sweats]].") == ["N", "N", "N"])
        #expect(try harness.flags("[[Pain]] at rest, no [[swelling]].") == ["-", "N"])
        #expect(try harness.flags("Examination was negative for [[sensory deficits]].") == ["N"])
        #expect(try harness.flags("He is without focal [[neurologic deficits]].") == ["N"])
    }

    @Test func imrLetterNegationForms() throws {
        #expect(try harness.flags("There is no documentation of [[objective functional improvement]].") == ["N"])
        #expect(try harness.flags("The records do not indicate [[myofascial pain]].") == ["N"])
        #expect(try harness.flags("The clinical notes fail to document a [[positive straight leg raise]].") == ["N"])
        #expect(try harness.flags("There is a lack of [[acute muscle spasm]] on examination.") == ["N"])
        #expect(try harness.flags("There is no objective evidence of [[radiculopathy]].") == ["N"])
        #expect(try harness.flags("[[Functional improvement]] was not documented.") == ["N"])
        #expect(try harness.flags("There are no documented [[trigger points]].") == ["N"])
        #expect(try harness.flags("There is an absence of [[red flags]].") == ["N"])
        #expect(try harness.flags("Without evidence of [[radiculopathy]] on examination.") == ["N"])
    }

    @Test func postTriggersNegateBackward() throws {
        #expect(try harness.flags("[[Radiculopathy]] was ruled out by EMG.") == ["N"])
        #expect(try harness.flags("[[Spasm]] is not present today.") == ["N"])
        #expect(try harness.flags("[[Straight leg raise]] tests were negative bilaterally.") == ["N"])
        #expect(try harness.flags("The [[numbness]] has resolved.") == ["N"])
        // Backward only: what follows the post-trigger is not negated.
        #expect(try harness.flags("[[Fracture]] was ruled out and [[effusion]] is large.") == ["N", "-"])
    }

    @Test func decisionPhrasesDoNotNegateTheTreatment() throws {
        #expect(try harness.flags("The request for [[Norco]] is not medically necessary.") == ["-"])
        #expect(try harness.flags("[[Cyclobenzaprine]] 7.5 mg is not certified.") == ["-"])
        #expect(try harness.flags("Non-certification of [[physical therapy]] was upheld.") == ["-"])
        #expect(try harness.flags("[[Gabapentin]] is not recommended for this patient.") == ["-"])
        #expect(try harness.flags("The [[epidural steroid injection]] is not medically reasonable.") == ["-"])
        #expect(try harness.flags("The utilization review denied the request for [[acupuncture]].") == ["-"])
        // The decision phrase also ends an earlier negation's scope.
        #expect(try harness.flags("No [[trigger points]] were documented; the request for [[TPI]] is not medically necessary.")
            == ["N", "-"])
        // The reason given after the decision is still negated.
        #expect(try harness.flags("[[Ambien]] is not medically necessary as there is no documentation of [[insomnia]].")
            == ["-", "N"])
    }

    @Test func pseudoTriggersBlockTheTriggerInside() throws {
        #expect(try harness.flags("There has been no change in his [[radicular symptoms]].") == ["-"])
        #expect(try harness.flags("There was no increase in [[pain]] with extension.") == ["-"])
        #expect(try harness.flags("Cultures grew gram negative [[rods]].") == ["-"])
        #expect(try harness.flags("He walks without difficulty and has [[tenderness]].") == ["-"])
        #expect(try harness.flags("Not only [[back pain]] but also [[leg pain]].") == ["-", "-"])
        #expect(try harness.flags("MRI without contrast showed a [[disc protrusion]].") == ["-"])
        #expect(try harness.flags("Symptoms did not improve with [[physical therapy]].") == ["-"])
        #expect(try harness.flags("The patient did not deny using [[marijuana]].") == ["-"])
    }

    @Test func terminatorsEndScopes() throws {
        #expect(try harness.flags("Denies [[numbness]] but complains of [[weakness]].") == ["N", "-"])
        #expect(try harness.flags("No [[tenderness]]; however, there is [[spasm]].") == ["N", "-"])
        #expect(try harness.flags("No [[swelling]], which was present last week, and [[bruising]].") == ["N", "-"])
        #expect(try harness.flags("Sensation intact except for [[decreased sensation]] over the foot.") == ["-"])
        #expect(try harness.flags("There is no [[documentation of benefit]] to support the use of [[gabapentin]].") == ["N", "-"])
        #expect(try harness.flags("Without evidence of [[radiculopathy]], the [[injection]] is not supported.") == ["N", "-"])
    }

    @Test func scopesStayInsideTheSentence() throws {
        #expect(try harness.flags("He denies [[fever]]. He has a [[cough]].") == ["N", "-"])
        #expect(try harness.flags("[[Cough]] persists. Pneumonia was ruled out.") == ["-"])
    }

    @Test func maxScopeLimitsTheReach() throws {
        // "non" reaches one word.
        #expect(try harness.flags("Paraspinals were non-[[tender]] and [[spasm]] was present.") == ["N", "-"])
        // "prior" reaches six words.
        #expect(try harness.flags("Prior [[physical therapy]] helped.") == ["T"])
        #expect(try harness.flags("Prior one two three four five six seven [[physical therapy]] helped.") == ["-"])
    }

    @Test func doubleNegationIsNotNegation() throws {
        #expect(try harness.flags("[[Cervical radiculopathy]] cannot be ruled out.") == ["U"])
        #expect(try harness.flags("The patient is not without [[pain]].") == ["-"])
    }

    // MARK: - Other categories

    @Test func uncertainty() throws {
        #expect(try harness.flags("Possible [[carpal tunnel syndrome]].") == ["U"])
        #expect(try harness.flags("Findings are suggestive of [[radiculopathy]].") == ["U"])
        #expect(try harness.flags("Rule out [[disc herniation]].") == ["U"])
        #expect(try harness.flags("[[Radiculopathy]] versus [[facet syndrome]].") == ["U", "U"])
        #expect(try harness.flags("Symptoms may be related to [[myofascial pain]].") == ["U"])
        // A bare modal is not a hedge on what follows.
        #expect(try harness.flags("The patient may continue [[Norco]] and could resume [[work]].") == ["-", "-"])
    }

    @Test func hypothetical() throws {
        #expect(try harness.flags("If [[radicular symptoms]] develop, an MRI may be considered.") == ["H"])
        #expect(try harness.flags("Should the [[pain]] worsen, he will return.") == ["H"])
        #expect(try harness.flags("Return if [[fever]] occurs.") == ["H"])
        #expect(try harness.flags("TPIs are recommended for patients with [[myofascial pain]].") == ["H"])
        // "should" alone is not hypothetical.
        #expect(try harness.flags("The patient should continue [[gabapentin]].") == ["-"])
    }

    @Test func historical() throws {
        #expect(try harness.flags("History of [[lumbar laminectomy]].") == ["T"])
        #expect(try harness.flags("Status post [[carpal tunnel release]].") == ["T"])
        #expect(try harness.flags("She had previous [[epidural injections]].") == ["T"])
        #expect(try harness.flags("Pain began prior to the [[surgery]].") == ["-"])
        #expect(try harness.flags("A 45-year-old man with [[back pain]].") == ["-"])
    }

    @Test func experiencer() throws {
        #expect(try harness.flags("Family history of [[rheumatoid arthritis]].") == ["F"])
        #expect(try harness.flags("His mother has [[breast cancer]].") == ["F"])
        #expect(try harness.flags("His coworker developed [[carpal tunnel syndrome]].") == ["O"])
        #expect(try harness.flags("His wife reports that he has been [[snoring]].") == ["-"])
        #expect(try harness.flags("He lives with his wife and reports [[low back pain]].") == ["-"])
        #expect(try harness.flags("No family history of [[bleeding disorders]].") == ["NF"])
    }

    // MARK: - Output shape

    @Test func everyTargetGetsEveryAttributeExplicitly() throws {
        let (document, ids) = try harness.run("The [[patient]] takes [[Norco]] daily. No [[fever]].")
        for id in ids {
            let attributes = document.annotation(id)!.attributes
            for key in ["negated", "uncertain", "hypothetical", "historical"] {
                #expect(attributes[key]?.boolValue != nil, "\(key) missing")
            }
            #expect(attributes["experiencer"]?.stringValue != nil)
        }
        #expect(document.annotation(ids[0])!.attributes["negated"] == .bool(false))
        #expect(document.annotation(ids[0])!.attributes["experiencer"] == .string("patient"))
        #expect(document.annotation(ids[2])!.attributes["negated"] == .bool(true))
    }

    @Test func modifierAnnotationsLinkToTheirTargets() throws {
        let (document, ids) = try harness.run("No [[fever]] or [[chills]], but [[cough]].")
        let modifiers = document.annotations(ofType: ContextStage.modifierType)
        #expect(modifiers.count == 1)
        let modifier = try #require(modifiers.first)
        #expect(document.coveredText(of: modifier) == "No")
        #expect(modifier.attributes["category"] == .string("negated"))
        #expect(modifier.attributes["direction"] == .string("forward"))
        #expect(modifier.attributes["targets"] == .list([.int(ids[0].rawValue), .int(ids[1].rawValue)]))
        let rule = try #require(modifier.attributes["rule"]?.stringValue)
        #expect(rule.hasPrefix("context-rules.tsv:"))
        #expect(modifier.provenance == Provenance(stage: "context", rule: rule))
        // Terminators and triggers that modify nothing leave no annotation.
        let (quiet, _) = try harness.run("No fever, but [[cough]].")
        #expect(quiet.annotations(ofType: ContextStage.modifierType).isEmpty)
    }

    @Test func experiencerModifiersCarryTheirValue() throws {
        let (document, _) = try harness.run("Her sister has [[fibromyalgia]].")
        let modifier = try #require(document.annotations(ofType: ContextStage.modifierType).first)
        #expect(modifier.attributes["category"] == .string("experiencer"))
        #expect(modifier.attributes["value"] == .string("family"))
    }

    @Test func structuralTypesAreNotTargets() throws {
        var document = Document(id: "x", text: "No fever. Heading text here.")
        let section = try document.addAnnotation(type: "section.heading", range: 10..<22, provenance: .input)
        let item = try document.addAnnotation(type: "imr.item", range: 0..<9, provenance: .input)
        let fever = try document.addAnnotation(type: "symptom", range: 3..<8, provenance: .input)
        try harness.normalize.process(&document)
        try harness.sentences.process(&document)
        try harness.context.process(&document)
        #expect(document.annotation(section)!.attributes["negated"] == nil)
        #expect(document.annotation(item)!.attributes["negated"] == nil)
        #expect(document.annotation(fever)!.attributes["negated"] == .bool(true))
        for sentence in document.annotations(ofType: "sentence") { #expect(sentence.attributes.isEmpty) }
    }

    @Test func includeListRestrictsTargets() throws {
        var configuration = ContextStage.Configuration()
        configuration.includeTypes = ["drug*"]
        configuration.findings = false
        let harness = try ContextHarness(configuration)
        var document = Document(id: "x", text: "No Norco and no fever.")
        let drug = try document.addAnnotation(type: "drug", range: 3..<8, provenance: .input)
        let symptom = try document.addAnnotation(type: "symptom", range: 16..<21, provenance: .input)
        try harness.normalize.process(&document)
        try harness.sentences.process(&document)
        try harness.context.process(&document)
        #expect(document.annotation(drug)!.attributes["negated"] == .bool(true))
        #expect(document.annotation(symptom)!.attributes["negated"] == nil)
        #expect(TargetTypeFilter(exclude: ["section*"]).accepts("section") == false)
        #expect(TargetTypeFilter(exclude: ["section*"]).accepts("sections.x") == false)
        #expect(TargetTypeFilter(exclude: ["imr.*"]).accepts("imr") == true)
    }

    @Test func lexiconStageEntitiesAreTargets() throws {
        let lexicon = try Lexicon(name: "devices.tsv", text: "term\ttype\nwalker\tdevice\nTENS unit\tdevice\n")
        var document = Document(id: "x", text: "She does not use a walker. A TENS unit helps.")
        try harness.normalize.process(&document)
        try harness.sentences.process(&document)
        try LexiconStage(lexicon: lexicon, stageName: "devices").process(&document)
        try harness.context.process(&document)
        let devices = document.annotations(ofType: "device")
        #expect(devices.map(ContextHarness.flags(of:)) == ["N", "-"])
    }

    /// The stage's own findings are added after ConText with all their attributes at once: the keys come in the
    /// order `setAttribute` on an added finding gave (`normalized`, the entry's attributes with ConText values
    /// replaced in place, then the missing ConText keys), ids follow the earlier annotations, modifiers link to
    /// them, a span already annotated with the type is skipped, and a finding that is not a target gets no
    /// ConText keys.
    @Test func ownFindingsCarryTheirAttributesInSetAttributeOrder() throws {
        let lexicon = try Lexicon(name: "f.tsv", text: """
            term	type	normalized	attributes
            spasm	finding	SPASM	source=lex;negated=true;historical=false
            spasm	sign	SPASM2	
            walker	device	WALKER	
            fever	finding	FEVER	

            """)
        var configuration = ContextStage.Configuration()
        configuration.excludeTypes += ["device"]
        let stage = try ContextStage(configuration: configuration, ruleSet: try ContextRuleSet.builtIn(), findings: lexicon)
        var document = Document(id: "x", text: "Fever noted. She denies spasm and uses a walker. Cough.")
        let cough = try document.addAnnotation(type: "symptom", range: 49..<54, provenance: .input)
        let existing = try document.addAnnotation(type: "finding", range: 0..<5, provenance: .input)
        try harness.normalize.process(&document)
        try harness.sentences.process(&document)
        let before = document.annotations.count
        try stage.process(&document)
        let added = Array(document.annotations[before...])
        // "Fever" already carries a finding; "spasm" gives a finding and a sign; "walker" a device (no target).
        #expect(added.map(\.type) == ["finding", "sign", "device", ContextStage.modifierType])
        #expect(added.map(\.id.rawValue) == Array(before + 1...before + 4))
        let spasm = added[0]
        #expect(spasm.attributes.keys == ["normalized", "source", "negated", "historical", "uncertain", "hypothetical", "experiencer"])
        #expect(spasm.attributes["negated"] == .bool(true) && spasm.attributes["historical"] == .bool(false))
        #expect(added[1].attributes.keys == ["normalized", "negated", "uncertain", "hypothetical", "historical", "experiencer"])
        #expect(added[2].attributes.keys == ["normalized"])
        #expect(added[3].attributes["targets"] == .list([.int(before + 1), .int(before + 2)]))
        #expect(document.annotation(existing)!.attributes["negated"] == .bool(false))
        #expect(document.annotation(cough)!.attributes["negated"] == .bool(false))
    }

    @Test func offsetsAreInTheOriginalText() throws {
        // Curly quotes, a no-break space and a hard-wrapped line: the normalized layer differs from the original.
        let text = "The patient\u{2019}s exam:\u{00A0}there is no\nevidence of radiculopathy or \u{201C}spasm\u{201D}."
        var document = Document(id: "x", text: text)
        try harness.normalize.process(&document)
        try harness.sentences.process(&document)
        try harness.context.process(&document)
        let findings = document.annotations(ofType: "finding")
        #expect(findings.map { String(document.coveredText(of: $0)) } == ["radiculopathy", "spasm"])
        #expect(findings.allSatisfy { $0.attributes["negated"] == .bool(true) })
        let modifier = try #require(document.annotations(ofType: ContextStage.modifierType).first)
        #expect(document.coveredText(of: modifier) == "no\nevidence of")
    }

    @Test func documentsWithoutSentencesUseLines() throws {
        var document = Document(id: "x", text: "No fever\nCough present")
        let fever = try document.addAnnotation(type: "symptom", range: 3..<8, provenance: .input)
        let cough = try document.addAnnotation(type: "symptom", range: 9..<14, provenance: .input)
        try harness.context.process(&document)
        #expect(document.annotation(fever)!.attributes["negated"] == .bool(true))
        #expect(document.annotation(cough)!.attributes["negated"] == .bool(false))
    }

    @Test func isDeterministicAcrossThreads() throws {
        let letters = try TestPaths.seedTexts()
        let stages: [any Stage] = [harness.normalize, harness.sentences, harness.context]
        @Sendable func run(_ text: String) throws -> [Annotation] {
            var document = Document(id: "x", text: text)
            for stage in stages { try stage.process(&document) }
            return document.annotations
        }
        let expected = try letters.map { try run($0.text) }
        let results = UnsafeResults(count: letters.count * 4)
        DispatchQueue.concurrentPerform(iterations: letters.count * 4) { index in
            results.set(index, try? run(letters[index % letters.count].text))
        }
        for index in 0..<(letters.count * 4) { #expect(results.get(index) == expected[index % letters.count]) }
    }
}

/// Results written from `concurrentPerform` (each slot by one iteration only).
final class UnsafeResults: @unchecked Sendable {
    private var values: [[Annotation]?]
    private let lock = NSLock()
    init(count: Int) { values = Array(repeating: nil, count: count) }
    func set(_ index: Int, _ value: [Annotation]?) { lock.lock(); values[index] = value; lock.unlock() }
    func get(_ index: Int) -> [Annotation]? { lock.lock(); defer { lock.unlock() }; return values[index] }
}

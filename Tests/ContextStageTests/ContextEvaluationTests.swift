import ClinPipeCore
import ClinPipeTestSupport
import ContextStage
import ClinPipeText
import Foundation
import NormalizeStage
import SentencesStage
import Testing

/// The hand-labelled evaluation set `Corpora/context/context-eval.tsv` (sentences written for the project in the
/// style of the IMR letters and clinical notes), scored through the public `ContextEvaluation` API.
@Suite struct ContextEvaluationTests {
    static let evaluationFile = TestPaths.corpora.appendingPathComponent("context/context-eval.tsv")
    /// Written after the rules were tuned on `evaluationFile`; the rules were not changed for it.
    static let heldOutFile = TestPaths.corpora.appendingPathComponent("context/context-heldout.tsv")

    static func makeEvaluation() throws -> ContextEvaluation {
        ContextEvaluation(stages: [try NormalizeStage(), try SentencesStage(), try ContextStage()])
    }

    @Test func reportIsPrintableAndCountsErrors() throws {
        let examples = try ContextExample.parse(name: "mini.tsv", text: """
            id\tsentence\ttarget\tlabel\tuncertain\texperiencer
            a\tNo fever.\tfever\tNegated\tfalse\tpatient
            b\tHe has a cough.\tcough\tNegated\t\t
            c\tPossible fracture.\tfracture\tAffirmed\ttrue\t
            """)
        let report = try Self.makeEvaluation().evaluate(examples)
        #expect(report.negated.truePositives == 1 && report.negated.falseNegatives == 1 && report.negated.trueNegatives == 1)
        #expect(report.negated.precision == 1 && report.negated.recall == 0.5)
        #expect(report.uncertain.total == 2 && report.uncertain.accuracy == 1)
        #expect(report.experiencer.total == 1)
        #expect(report.errors.map(\.id) == ["b"])
        let text = report.formatted()
        #expect(text.contains("negated: accuracy 66.7%"))
        #expect(text.contains("b (mini.tsv:3) negated: expected true, got false"))
        #expect(!text.contains("cough"))  // no sentence text in the report
    }

    @Test func badEvaluationFilesAreRejected() {
        #expect(throws: RuleFileError.self) {
            _ = try ContextExample.parse(name: "x.tsv", text: "id\tsentence\ttarget\tlabel\na\tNo fever.\tcough\tNegated\n")
        }
        #expect(throws: RuleFileError.self) {
            _ = try ContextExample.parse(name: "x.tsv", text: "id\tsentence\ttarget\tlabel\na\tNo fever.\tfever\tMaybe\n")
        }
    }

    @Test func evaluationSetIsLargeAndWellFormed() throws {
        let examples = try ContextExample.load(from: Self.evaluationFile)
        #expect(examples.count >= 300)
        #expect(Set(examples.map(\.sentence)).count >= 300)
        #expect(examples.contains { $0.negated } && examples.contains { !$0.negated })
    }

    @Test(arguments: [evaluationFile, heldOutFile])
    func scoresOnTheEvaluationSet(file: URL) throws {
        let examples = try ContextExample.load(from: file)
        let report = try Self.makeEvaluation().evaluate(examples)
        print("\(file.lastPathComponent): \(report.formatted(listErrors: false))")
        if ProcessInfo.processInfo.environment["CONTEXT_EVAL_VERBOSE"] != nil {
            for prediction in report.predictions {
                let e = prediction.example
                var wrong: [String] = []
                if e.negated != prediction.negated { wrong.append("negated \(prediction.negated)") }
                if let u = e.uncertain, u != prediction.uncertain { wrong.append("uncertain \(prediction.uncertain)") }
                if let h = e.hypothetical, h != prediction.hypothetical { wrong.append("hypothetical \(prediction.hypothetical)") }
                if let t = e.historical, t != prediction.historical { wrong.append("historical \(prediction.historical)") }
                if let x = e.experiencer, x != prediction.experiencer { wrong.append("experiencer \(prediction.experiencer)") }
                if !wrong.isEmpty {
                    print("\(e.id) [\(e.target)] got \(wrong.joined(separator: ", ")) via \(prediction.triggers) :: \(e.sentence)")
                }
            }
        }
        #expect(report.missingTargets.isEmpty)
        // Floors a little under what was measured. context-eval.tsv (422 targets; the rules were tuned on it):
        // negated P 97.5% R 100% F1 98.7%; uncertain, hypothetical, historical, experiencer accuracy >= 99.5%.
        // context-heldout.tsv (162 targets, written after tuning, rules unchanged for it): negated P 95.6% R 92.9%
        // F1 94.2%; the other accuracies >= 99.4%.
        let heldOut = file == Self.heldOutFile
        #expect(report.negated.precision >= (heldOut ? 0.93 : 0.95))
        #expect(report.negated.recall >= (heldOut ? 0.90 : 0.97))
        #expect(report.negated.f1 >= (heldOut ? 0.92 : 0.96))
        #expect(report.uncertain.accuracy >= 0.97)
        #expect(report.hypothetical.accuracy >= 0.97)
        #expect(report.historical.accuracy >= 0.97)
        #expect(report.experiencer.accuracy >= 0.97)
    }
}

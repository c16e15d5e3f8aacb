import ClinPipeCore
import ClinPipeTestSupport
import ContextStage
import Foundation
import NormalizeStage
import SentencesStage
import Testing

/// The hand-labelled evaluation set `Corpora/context/context-eval.tsv` (sentences written for the project in the
/// style of the IMR letters and clinical notes), scored through the public `ContextEvaluation` API.
@Suite struct ContextEvaluationTests {
    static let evaluationFile = TestPaths.corpora.appendingPathComponent("context/context-eval.tsv")

    static func makeEvaluation() throws -> ContextEvaluation {
        ContextEvaluation(stages: [try NormalizeStage(), try SentencesStage(), try ContextStage()])
    }

    @Test func evaluationSetIsLargeAndWellFormed() throws {
        let examples = try ContextExample.load(from: Self.evaluationFile)
        #expect(examples.count >= 300)
        #expect(Set(examples.map(\.sentence)).count >= 300)
        #expect(examples.contains { $0.negated } && examples.contains { !$0.negated })
    }

    @Test func scoresOnTheEvaluationSet() throws {
        let examples = try ContextExample.load(from: Self.evaluationFile)
        let report = try Self.makeEvaluation().evaluate(examples)
        print(report.formatted(listErrors: false))
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
        #expect(report.negated.precision >= 0.0)
        #expect(report.negated.recall >= 0.0)
    }
}

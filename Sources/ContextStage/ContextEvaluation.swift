import ClinPipeCore
import Foundation

/// Evaluates ConText against hand-labelled sentences (`ContextExample`).
///
/// Each example becomes a one-sentence document whose target is given as an input annotation (type `target`,
/// provenance `input`), as a user would give entities from another tool; the document then runs through the
/// preprocessing stages and the context stage (by default `normalize`, `sentences`, `context`), and the target's
/// attributes are compared with the labels.
///
/// One call, for a command line:
/// ```swift
/// let pipeline = try Pipeline(configuration: PipelineConfiguration(stageNames: ContextEvaluation.defaultStageNames),
///                             registry: .builtIn)
/// let report = try ContextEvaluation.run(file: url, pipeline: pipeline)
/// print(report.formatted())
/// ```
public struct ContextEvaluation: Sendable {
    /// The stages an evaluation runs by default.
    public static let defaultStageNames = ["normalize", "sentences", "context"]
    /// The annotation type of the targets the evaluation marks.
    public static let targetType = "target"

    private let process: @Sendable (inout Document) throws -> Void

    /// An evaluation that runs `pipeline` (which must contain a context stage after sentence splitting).
    public init(pipeline: Pipeline) {
        self.process = { try pipeline.process(&$0) }
    }

    /// An evaluation that runs `stages` in order (for example `NormalizeStage`, `SentencesStage`, `ContextStage`).
    public init(stages: [any Stage]) {
        self.process = { document in
            for stage in stages { try stage.process(&document) }
        }
    }

    /// Reads `file` (see `ContextExample` for the format), evaluates and returns the report.
    public static func run(file: URL, pipeline: Pipeline) throws -> ContextEvaluationReport {
        try ContextEvaluation(pipeline: pipeline).evaluate(ContextExample.load(from: file))
    }

    /// Runs every example and scores the predictions.
    /// - Throws: the first stage failure (an evaluation set must run cleanly).
    public func evaluate(_ examples: [ContextExample]) throws -> ContextEvaluationReport {
        var predictions: [ContextPrediction] = []
        predictions.reserveCapacity(examples.count)
        for example in examples { predictions.append(try predict(example)) }
        return ContextEvaluationReport(predictions: predictions)
    }

    /// The stage's attributes for one example's target.
    public func predict(_ example: ContextExample) throws -> ContextPrediction {
        var document = Document(id: example.id, text: example.sentence)
        guard let range = example.targetRange else {
            return ContextPrediction(example: example, found: false)
        }
        let id = try document.addAnnotation(type: Self.targetType, range: range, provenance: .input)
        try process(&document)
        let attributes = document.annotation(id)?.attributes ?? [:]
        let modifiers = document.annotations(ofType: ContextStage.modifierType).filter { modifier in
            modifier.attributes["targets"]?.listValue?.contains(.int(id.rawValue)) ?? false
        }
        return ContextPrediction(
            example: example, found: true,
            negated: attributes["negated"]?.boolValue ?? false,
            uncertain: attributes["uncertain"]?.boolValue ?? false,
            hypothetical: attributes["hypothetical"]?.boolValue ?? false,
            historical: attributes["historical"]?.boolValue ?? false,
            experiencer: attributes["experiencer"]?.stringValue ?? "patient",
            triggers: modifiers.map { "\($0.attributes["category"]?.stringValue ?? "?"):\(document.coveredText(of: $0))" })
    }
}

/// What the stage said about one example's target.
public struct ContextPrediction: Sendable, Hashable {
    public var example: ContextExample
    /// False when the target does not occur in the sentence (then every value is the default).
    public var found: Bool
    public var negated = false
    public var uncertain = false
    public var hypothetical = false
    public var historical = false
    public var experiencer = "patient"
    /// The triggers that modified the target, as `category:covered text` (for reading errors; holds text).
    public var triggers: [String] = []
}

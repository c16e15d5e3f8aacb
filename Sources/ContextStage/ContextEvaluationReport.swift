/// Counts of a binary decision against gold labels.
public struct BinaryScores: Sendable, Hashable {
    public var truePositives = 0
    public var falsePositives = 0
    public var falseNegatives = 0
    public var trueNegatives = 0

    public init() {}

    public mutating func add(expected: Bool, predicted: Bool) {
        switch (expected, predicted) {
        case (true, true): truePositives += 1
        case (false, true): falsePositives += 1
        case (true, false): falseNegatives += 1
        case (false, false): trueNegatives += 1
        }
    }

    public var total: Int { truePositives + falsePositives + falseNegatives + trueNegatives }
    /// Gold positives.
    public var positives: Int { truePositives + falseNegatives }
    /// TP / (TP + FP); 0 when nothing was predicted positive.
    public var precision: Double { ratio(truePositives, truePositives + falsePositives) }
    /// TP / (TP + FN); 0 when there are no gold positives.
    public var recall: Double { ratio(truePositives, truePositives + falseNegatives) }
    /// Harmonic mean of precision and recall.
    public var f1: Double { precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall) }
    /// (TP + TN) / total.
    public var accuracy: Double { ratio(truePositives + trueNegatives, total) }

    private func ratio(_ a: Int, _ b: Int) -> Double { b == 0 ? 0 : Double(a) / Double(b) }
}

/// Correct predictions of a categorical attribute (the experiencer).
public struct AccuracyScore: Sendable, Hashable {
    public var correct = 0
    public var total = 0
    public init() {}
    public var accuracy: Double { total == 0 ? 0 : Double(correct) / Double(total) }
}

/// One disagreement between the stage and the gold labels. Holds ids and values only, no sentence text, so it
/// can be printed for any evaluation set.
public struct ContextEvaluationError: Sendable, Hashable {
    public var id: String
    public var source: String
    public var attribute: String
    public var expected: String
    public var predicted: String
}

/// The scores of a ConText evaluation: precision, recall and F1 for `negated`, accuracy for `uncertain`,
/// `hypothetical`, `historical` and `experiencer` (over the examples labelled for each).
public struct ContextEvaluationReport: Sendable {
    public let predictions: [ContextPrediction]
    /// `negated` over every example whose target was found.
    public private(set) var negated = BinaryScores()
    public private(set) var uncertain = BinaryScores()
    public private(set) var hypothetical = BinaryScores()
    public private(set) var historical = BinaryScores()
    public private(set) var experiencer = AccuracyScore()
    /// Examples whose target was not in the sentence (not scored).
    public private(set) var missingTargets: [String] = []
    public private(set) var errors: [ContextEvaluationError] = []

    public init(predictions: [ContextPrediction]) {
        self.predictions = predictions
        for prediction in predictions {
            let example = prediction.example
            guard prediction.found else {
                missingTargets.append(example.id)
                continue
            }
            func check(_ name: String, _ expected: Bool?, _ predicted: Bool, into scores: inout BinaryScores) {
                guard let expected else { return }
                scores.add(expected: expected, predicted: predicted)
                if expected != predicted {
                    errors.append(ContextEvaluationError(id: example.id, source: example.source, attribute: name,
                                                         expected: String(expected), predicted: String(predicted)))
                }
            }
            check("negated", example.negated, prediction.negated, into: &negated)
            check("uncertain", example.uncertain, prediction.uncertain, into: &uncertain)
            check("hypothetical", example.hypothetical, prediction.hypothetical, into: &hypothetical)
            check("historical", example.historical, prediction.historical, into: &historical)
            if let expected = example.experiencer {
                experiencer.total += 1
                if expected == prediction.experiencer { experiencer.correct += 1 } else {
                    errors.append(ContextEvaluationError(id: example.id, source: example.source, attribute: "experiencer",
                                                         expected: expected, predicted: prediction.experiencer))
                }
            }
        }
    }

    /// A printable report: the scores, then (with `listErrors`) one line per disagreement (ids, no text).
    public func formatted(listErrors: Bool = true) -> String {
        func percent(_ value: Double) -> String {
            let scaled = (value * 1000).rounded() / 10
            return "\(scaled)%"
        }
        func binary(_ name: String, _ scores: BinaryScores) -> String {
            guard scores.total > 0 else { return "\(name): not labelled" }
            return "\(name): accuracy \(percent(scores.accuracy)) (\(scores.truePositives + scores.trueNegatives)/\(scores.total)), "
                + "precision \(percent(scores.precision)), recall \(percent(scores.recall)), F1 \(percent(scores.f1)) "
                + "[TP \(scores.truePositives), FP \(scores.falsePositives), FN \(scores.falseNegatives), TN \(scores.trueNegatives)]"
        }
        var lines = ["ConText evaluation: \(predictions.count) examples"]
        if !missingTargets.isEmpty { lines.append("targets not found (not scored): \(missingTargets.joined(separator: ", "))") }
        lines.append(binary("negated", negated))
        lines.append(binary("uncertain", uncertain))
        lines.append(binary("hypothetical", hypothetical))
        lines.append(binary("historical", historical))
        lines.append(experiencer.total > 0
            ? "experiencer: accuracy \(percent(experiencer.accuracy)) (\(experiencer.correct)/\(experiencer.total))"
            : "experiencer: not labelled")
        if listErrors && !errors.isEmpty {
            lines.append("disagreements (\(errors.count)):")
            for error in errors {
                lines.append("  \(error.id) (\(error.source)) \(error.attribute): expected \(error.expected), got \(error.predicted)")
            }
        }
        return lines.joined(separator: "\n")
    }
}

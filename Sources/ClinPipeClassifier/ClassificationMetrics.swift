import Foundation

/// Accuracy, per-label precision, recall and F1, and the confusion matrix of predicted against gold labels.
///
/// Conventions (as scikit-learn's with `zero_division=0`): a label never predicted has precision 0, a label never
/// in the gold has recall 0, and F1 is 0 when precision and recall are both 0. Macro averages weigh every label
/// the same; they cover the labels with gold examples or predictions.
public struct ClassificationMetrics: Sendable, Hashable, Codable {
    /// Precision, recall and F1 of one label.
    public struct LabelMetrics: Sendable, Hashable, Codable {
        public var label: String
        public var precision: Double
        public var recall: Double
        public var f1: Double
        /// Gold examples of the label.
        public var support: Int
        /// Examples predicted as the label.
        public var predicted: Int
        public var truePositives: Int
    }

    /// The labels, in the order of the confusion matrix's rows and columns.
    public let labels: [String]
    /// `confusion[gold][predicted]`: how many examples of gold label `labels[gold]` were predicted as
    /// `labels[predicted]`.
    public let confusion: [[Int]]
    public let perLabel: [LabelMetrics]
    public let count: Int
    public let correct: Int
    /// Mean negative log probability of the gold label (natural log), when probabilities were given; gold labels
    /// the model does not know count as probability 1e-15.
    public let logLoss: Double?

    /// Correct predictions over all examples (0 for no examples).
    public var accuracy: Double { count == 0 ? 0 : Double(correct) / Double(count) }
    public var macroPrecision: Double { mean(perLabel.map(\.precision)) }
    public var macroRecall: Double { mean(perLabel.map(\.recall)) }
    public var macroF1: Double { mean(perLabel.map(\.f1)) }

    /// The metrics of `label`, or nil when it is not among `labels`.
    public func metrics(for label: String) -> LabelMetrics? { perLabel.first { $0.label == label } }

    /// Compares `predicted` with `gold` (same length, paired by position).
    /// - Parameter labels: the labels to report, in order; by default every gold or predicted label in byte
    ///   order. Labels outside the given list still count in accuracy.
    public init(gold: [String], predicted: [String], labels: [String]? = nil) {
        self.init(gold: gold, predicted: predicted, labels: labels, goldProbabilities: nil)
    }

    /// Compares predictions (with their probabilities, for the log loss) with `gold`.
    /// - Parameter modelLabels: the label order of each prediction's `probabilities` (`TextClassifier.labels`).
    public init(gold: [String], predictions: [Prediction], modelLabels: [[String]], labels: [String]? = nil) {
        precondition(predictions.count == modelLabels.count, "one label list per prediction")
        var goldProbabilities: [Double] = []
        for (index, prediction) in predictions.enumerated() {
            let position = modelLabels[index].firstIndex(of: gold[index])
            goldProbabilities.append(position.map { prediction.probabilities[$0] } ?? 0)
        }
        self.init(gold: gold, predicted: predictions.map(\.label), labels: labels, goldProbabilities: goldProbabilities)
    }

    private init(gold: [String], predicted: [String], labels given: [String]?, goldProbabilities: [Double]?) {
        precondition(gold.count == predicted.count, "gold and predicted differ in length")
        let labels = given ?? Array(Set(gold).union(predicted)).sorted(by: bytesPrecede)
        let position = Dictionary(labels.enumerated().map { ($1, $0) }, uniquingKeysWith: { first, _ in first })
        var confusion = [[Int]](repeating: [Int](repeating: 0, count: labels.count), count: labels.count)
        var correct = 0
        for (goldLabel, predictedLabel) in zip(gold, predicted) {
            if goldLabel == predictedLabel { correct += 1 }
            if let row = position[goldLabel], let column = position[predictedLabel] { confusion[row][column] += 1 }
        }
        var perLabel: [LabelMetrics] = []
        for label in labels {
            let support = gold.reduce(0) { $0 + ($1 == label ? 1 : 0) }
            let predictedCount = predicted.reduce(0) { $0 + ($1 == label ? 1 : 0) }
            let truePositives = zip(gold, predicted).reduce(0) { $0 + ($1.0 == label && $1.1 == label ? 1 : 0) }
            let precision = predictedCount == 0 ? 0 : Double(truePositives) / Double(predictedCount)
            let recall = support == 0 ? 0 : Double(truePositives) / Double(support)
            let f1 = precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall)
            perLabel.append(LabelMetrics(label: label, precision: precision, recall: recall, f1: f1, support: support,
                                         predicted: predictedCount, truePositives: truePositives))
        }
        self.labels = labels
        self.confusion = confusion
        self.perLabel = perLabel
        self.count = gold.count
        self.correct = correct
        if let goldProbabilities, !goldProbabilities.isEmpty {
            let total = goldProbabilities.reduce(0.0) { $0 - log(max($1, 1e-15)) }
            self.logLoss = total / Double(goldProbabilities.count)
        } else {
            self.logLoss = nil
        }
    }

    /// A plain-text report: accuracy, a table of precision, recall, F1 and support per label with macro averages,
    /// and the confusion matrix (rows gold, columns predicted).
    public func report() -> String {
        var lines: [String] = []
        lines.append("examples: \(count)   accuracy: \(Self.format(accuracy)) (\(correct)/\(count))"
            + (logLoss.map { "   log loss: \(Self.format($0))" } ?? ""))
        let width = max(12, (labels.map(\.count).max() ?? 0) + 2)
        func pad(_ text: String, _ size: Int, left: Bool = false) -> String {
            let padding = String(repeating: " ", count: max(0, size - text.count))
            return left ? text + padding : padding + text
        }
        lines.append(pad("label", width, left: true) + pad("precision", 11) + pad("recall", 9) + pad("F1", 9) + pad("support", 9))
        for metrics in perLabel {
            lines.append(pad(metrics.label, width, left: true) + pad(Self.format(metrics.precision), 11)
                + pad(Self.format(metrics.recall), 9) + pad(Self.format(metrics.f1), 9) + pad(String(metrics.support), 9))
        }
        lines.append(pad("macro avg", width, left: true) + pad(Self.format(macroPrecision), 11)
            + pad(Self.format(macroRecall), 9) + pad(Self.format(macroF1), 9) + pad(String(count), 9))
        lines.append("")
        lines.append(confusionMatrixTable())
        return lines.joined(separator: "\n")
    }

    /// The confusion matrix as a text table: rows are gold labels, columns predicted labels.
    public func confusionMatrixTable() -> String {
        let cellWidth = max(8, (labels.map(\.count).max() ?? 0) + 2, String(count).count + 2)
        let rowHeader = max(12, (labels.map(\.count).max() ?? 0) + 2)
        func pad(_ text: String, _ size: Int, left: Bool = false) -> String {
            let padding = String(repeating: " ", count: max(0, size - text.count))
            return left ? text + padding : padding + text
        }
        var lines = [pad("gold \\ predicted", rowHeader, left: true) + labels.map { pad($0, cellWidth) }.joined()]
        for (row, label) in labels.enumerated() {
            lines.append(pad(label, rowHeader, left: true) + confusion[row].map { pad(String($0), cellWidth) }.joined())
        }
        return lines.joined(separator: "\n")
    }

    static func format(_ value: Double) -> String { String(format: "%.3f", value) }

    private func mean(_ values: [Double]) -> Double { values.isEmpty ? 0 : values.reduce(0, +) / Double(values.count) }
}

import ClinPipeText
import Foundation

/// A trained text classifier: a feature space and a linear model over it, saved and loaded as JSON.
///
/// Both algorithms end as the same linear form: the score of label c is `bias[c] + Σ_f x_f · weights[c][f]`
/// over the text's feature vector x, and the probabilities are the softmax of the scores. For naive Bayes,
/// `bias` holds the log priors and `weights` the log feature likelihoods, so its probabilities are the exact
/// posterior of the model (often over-confident: naive Bayes treats overlapping n-grams as independent); for
/// logistic regression they are the fitted probabilities, which L2 regularization keeps reasonably calibrated.
/// A two-label logistic regression is stored symmetrically (`weights[1] = -weights[0]`, half the fitted vector).
///
/// Immutable and `Sendable`: one model predicts on every thread. Build one with `TextClassifierTrainer`.
public struct TextClassifier: Sendable {
    /// The algorithms.
    public enum Algorithm: String, Codable, Sendable, Hashable, CaseIterable {
        case naiveBayes = "naive_bayes"
        case logisticRegression = "logistic_regression"
    }

    /// The model file format this library writes and reads.
    public static let currentFormatVersion = 1

    public let formatVersion: Int
    public let algorithm: Algorithm
    /// The labels; predictions' `probabilities` follow this order.
    public let labels: [String]
    public let features: FeatureExtractor
    /// One bias per label.
    public let bias: [Double]
    /// One row per label, one weight per feature column.
    public let weights: [[Double]]
    public let training: TrainingMetadata

    /// Assembles a model from its parts, checking that they fit together.
    /// - Throws: `ClassifierError.invalidModel` listing every mismatch.
    public init(algorithm: Algorithm, labels: [String], features: FeatureExtractor, bias: [Double], weights: [[Double]],
                training: TrainingMetadata) throws
    {
        var problems: [String] = []
        if labels.count < 2 { problems.append("a model needs at least 2 labels") }
        if Set(labels).count != labels.count { problems.append("labels repeat") }
        if bias.count != labels.count { problems.append("\(bias.count) biases for \(labels.count) labels") }
        if weights.count != labels.count { problems.append("\(weights.count) weight rows for \(labels.count) labels") }
        for (row, values) in weights.enumerated() where values.count != features.featureCount {
            problems.append("weight row \(row) has \(values.count) values for \(features.featureCount) features")
        }
        if bias.contains(where: { !$0.isFinite }) || weights.contains(where: { $0.contains { !$0.isFinite } }) {
            problems.append("a weight is not finite")
        }
        if !problems.isEmpty { throw ClassifierError.invalidModel(problems) }
        self.formatVersion = Self.currentFormatVersion
        self.algorithm = algorithm
        self.labels = labels
        self.features = features
        self.bias = bias
        self.weights = weights
        self.training = training
    }

    // MARK: - Prediction

    /// The predicted label of `text`, its probability, and every label's probability.
    public func predict(_ text: String) -> Prediction { predict(vector: features.vector(for: text)) }

    /// The prediction for UTF-8 `bytes` (for example a span of a document's normalized layer).
    public func predict(bytes: UnsafeBufferPointer<UInt8>) -> Prediction { predict(vector: features.vector(for: bytes)) }

    /// The prediction for a feature vector of this model's feature space.
    public func predict(vector: SparseVector) -> Prediction {
        let probabilities = Self.softmax(scores(vector: vector))
        var best = 0
        for index in probabilities.indices where probabilities[index] > probabilities[best] { best = index }
        return Prediction(label: labels[best], confidence: probabilities[best], probabilities: probabilities)
    }

    /// The linear score of each label for a feature vector (log-odds up to a shared constant).
    public func scores(vector: SparseVector) -> [Double] {
        var scores = bias
        for row in weights.indices {
            scores[row] += weights[row].withUnsafeBufferPointer { vector.dot($0) }
        }
        return scores
    }

    /// The softmax of `scores`, computed without overflow.
    public static func softmax(_ scores: [Double]) -> [Double] {
        guard let maximum = scores.max() else { return [] }
        var exponentials = scores.map { exp($0 - maximum) }
        let sum = exponentials.reduce(0, +)
        for index in exponentials.indices { exponentials[index] /= sum }
        return exponentials
    }

    /// The features that most raise the probability of `label` relative to the other labels (weight minus the
    /// mean weight of the others), strongest first, with that difference: a readable summary of what the model
    /// learned. Ties are broken by column order.
    public func strongestFeatures(for label: String, count: Int = 20) -> [(feature: String, weight: Double)] {
        guard let row = labels.firstIndex(of: label), count > 0 else { return [] }
        let others = Double(labels.count - 1)
        var contributions: [(column: Int, weight: Double)] = []
        contributions.reserveCapacity(features.featureCount)
        for column in 0..<features.featureCount {
            var otherSum = 0.0
            for other in weights.indices where other != row { otherSum += weights[other][column] }
            contributions.append((column, weights[row][column] - otherSum / others))
        }
        contributions.sort { $0.weight != $1.weight ? $0.weight > $1.weight : $0.column < $1.column }
        return contributions.prefix(count).map { (features.featureName($0.column), $0.weight) }
    }

    // MARK: - Saving and loading

    /// The model as JSON (keys sorted, compact): the same model always gives the same bytes.
    public func jsonData() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return try encoder.encode(self)
    }

    /// Reads a model from JSON written by `jsonData()` or `save(to:)`.
    /// - Throws: `ClassifierError.unsupportedFormatVersion` for a file of another format version,
    ///   `ClassifierError.invalidModel` for inconsistent parts, or a `DecodingError`.
    public init(jsonData: Data) throws {
        self = try JSONDecoder().decode(TextClassifier.self, from: jsonData)
    }

    /// Writes the model as a JSON file (atomically).
    public func save(to url: URL) throws {
        try jsonData().write(to: url, options: .atomic)
    }

    /// Reads a model file written by `save(to:)`.
    public static func load(from url: URL) throws -> TextClassifier {
        try TextClassifier(jsonData: try Data(contentsOf: url))
    }
}

extension TextClassifier: Codable {
    enum CodingKeys: String, CodingKey { case formatVersion, algorithm, labels, features, bias, weights, training }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let version = try container.decode(Int.self, forKey: .formatVersion)
        guard version == Self.currentFormatVersion else {
            throw ClassifierError.unsupportedFormatVersion(found: version, supported: Self.currentFormatVersion)
        }
        try self.init(
            algorithm: try container.decode(Algorithm.self, forKey: .algorithm),
            labels: try container.decode([String].self, forKey: .labels),
            features: try container.decode(FeatureExtractor.self, forKey: .features),
            bias: try container.decode([Double].self, forKey: .bias),
            weights: try container.decode([[Double]].self, forKey: .weights),
            training: try container.decode(TrainingMetadata.self, forKey: .training))
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(formatVersion, forKey: .formatVersion)
        try container.encode(algorithm, forKey: .algorithm)
        try container.encode(labels, forKey: .labels)
        try container.encode(features, forKey: .features)
        try container.encode(bias, forKey: .bias)
        try container.encode(weights, forKey: .weights)
        try container.encode(training, forKey: .training)
    }
}

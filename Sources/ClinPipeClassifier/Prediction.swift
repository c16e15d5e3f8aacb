/// A classifier's answer for one text.
public struct Prediction: Sendable, Hashable, Codable {
    /// The most probable label (ties go to the label that comes first in the model's `labels`).
    public var label: String
    /// The probability of `label`, in [1/K, 1] for K labels.
    public var confidence: Double
    /// The probability of each of the model's labels, in the order of `TextClassifier.labels`; sums to 1.
    public var probabilities: [Double]

    public init(label: String, confidence: Double, probabilities: [Double]) {
        self.label = label
        self.confidence = confidence
        self.probabilities = probabilities
    }
}

/// Errors of the classifier library. Messages never contain document text.
public enum ClassifierError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Configuration values that cannot work, each problem described.
    case invalidConfiguration([String])
    /// A model file whose parts do not fit together.
    case invalidModel([String])
    /// A model file written in a format version this library cannot read.
    case unsupportedFormatVersion(found: Int, supported: Int)
    /// Training data that cannot train a model (no examples, a single label, ...).
    case invalidTrainingData(String)
    /// Cross-validation that cannot be set up (fewer groups than folds, ...).
    case invalidCrossValidation(String)

    public var description: String {
        switch self {
        case .invalidConfiguration(let problems): "invalid classifier configuration: " + problems.joined(separator: "; ")
        case .invalidModel(let problems): "invalid classifier model: " + problems.joined(separator: "; ")
        case .unsupportedFormatVersion(let found, let supported):
            "classifier model format version \(found) is not supported (this version reads \(supported))"
        case .invalidTrainingData(let message): "invalid training data: \(message)"
        case .invalidCrossValidation(let message): "invalid cross-validation: \(message)"
        }
    }
}

/// How a model was trained: recorded in the model so that it can be reproduced and described. Holds no time
/// stamp and no text, so that training the same data twice gives byte-identical model files.
public struct TrainingMetadata: Codable, Sendable, Hashable {
    /// The number of training examples.
    public var exampleCount: Int
    /// The number of distinct groups among them (examples without a group count one each).
    public var groupCount: Int
    /// Training examples per label.
    public var labelCounts: [String: Int]
    /// The weight each label's examples had in training (1 without balancing or custom weights).
    public var classWeights: [String: Double]
    /// The trainer's configuration.
    public var trainer: TrainerConfiguration
    /// Optimizer iterations (0 for naive Bayes, which has a closed form).
    public var iterations: Int
    /// False when logistic regression stopped at `maximumIterations` or in a failed line search before its
    /// gradient fell below the tolerance. Always true for naive Bayes.
    public var converged: Bool
    /// The final value of the regularized objective (logistic regression only).
    public var finalObjective: Double?
    /// Free-form notes from the caller (for example the label file and the masking rules used).
    public var notes: [String: String]

    public init(exampleCount: Int, groupCount: Int, labelCounts: [String: Int], classWeights: [String: Double],
                trainer: TrainerConfiguration, iterations: Int, converged: Bool, finalObjective: Double?,
                notes: [String: String] = [:])
    {
        self.exampleCount = exampleCount
        self.groupCount = groupCount
        self.labelCounts = labelCounts
        self.classWeights = classWeights
        self.trainer = trainer
        self.iterations = iterations
        self.converged = converged
        self.finalObjective = finalObjective
        self.notes = notes
    }
}

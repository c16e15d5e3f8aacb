/// Everything that decides how a model is trained: the algorithm, its options, the features and the class weights.
///
/// Codable with defaults for every field (a configuration file may name only what it changes) and stored in the
/// trained model's `training.trainer`, so a model records how it was made.
public struct TrainerConfiguration: Codable, Sendable, Hashable {
    /// The algorithm; `init(algorithm:)` picks matching feature defaults.
    public var algorithm: TextClassifier.Algorithm = .logisticRegression
    /// The features; by default `FeatureConfiguration.logisticRegressionDefault` for logistic regression and
    /// `.naiveBayesDefault` for naive Bayes.
    public var features: FeatureConfiguration = .logisticRegressionDefault
    public var naiveBayes = NaiveBayesOptions()
    public var logisticRegression = LogisticRegressionOptions()
    /// Weight each class by n / (K · n_c) (n examples, K classes, n_c examples of the class), so that every class
    /// weighs the same in training: useful when one label is rare (overturned is about 10% of IMR items).
    public var balanceClasses = false
    /// Extra weight per label, multiplied with the balancing weight (absent labels: 1).
    public var classWeights: [String: Double] = [:]
    /// The labels, in the order of the model's `labels`. Empty (default): the training labels in byte order.
    /// Every listed label needs at least one training example, and every example's label must be listed.
    public var labels: [String] = []

    public init() {}

    public init(algorithm: TextClassifier.Algorithm) {
        self.algorithm = algorithm
        self.features = algorithm == .naiveBayes ? .naiveBayesDefault : .logisticRegressionDefault
    }

    enum CodingKeys: String, CodingKey {
        case algorithm, features, naiveBayes, logisticRegression, balanceClasses, classWeights, labels
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let algorithm = try container.value(.algorithm, default: TextClassifier.Algorithm.logisticRegression)
        let defaults = TrainerConfiguration(algorithm: algorithm)
        self.algorithm = algorithm
        features = try container.value(.features, default: defaults.features)
        naiveBayes = try container.value(.naiveBayes, default: defaults.naiveBayes)
        logisticRegression = try container.value(.logisticRegression, default: defaults.logisticRegression)
        balanceClasses = try container.value(.balanceClasses, default: defaults.balanceClasses)
        classWeights = try container.value(.classWeights, default: defaults.classWeights)
        labels = try container.value(.labels, default: defaults.labels)
    }

    /// Problems with the values, empty when valid.
    public var problems: [String] {
        var problems = features.problems
        switch algorithm {
        case .naiveBayes: problems += naiveBayes.problems
        case .logisticRegression: problems += logisticRegression.problems
        }
        for (label, weight) in classWeights.sorted(by: { bytesPrecede($0.key, $1.key) }) where !(weight.isFinite && weight >= 0) {
            problems.append("classWeights[\(label)] must be a finite number ≥ 0")
        }
        if Set(labels).count != labels.count { problems.append("labels repeat") }
        return problems
    }
}

/// Options of multinomial naive Bayes.
public struct NaiveBayesOptions: Codable, Sendable, Hashable {
    /// Additive (Lidstone) smoothing of feature counts: 1 is Laplace smoothing; smaller values trust the counts more.
    public var smoothing = 1.0
    /// Use the (weighted) label frequencies as priors; false gives every label the same prior.
    public var fitPriors = true

    public init() {}

    public init(smoothing: Double = 1.0, fitPriors: Bool = true) {
        self.smoothing = smoothing
        self.fitPriors = fitPriors
    }

    enum CodingKeys: String, CodingKey { case smoothing, fitPriors }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        smoothing = try container.value(.smoothing, default: 1.0)
        fitPriors = try container.value(.fitPriors, default: true)
    }

    var problems: [String] {
        smoothing.isFinite && smoothing > 0 ? [] : ["naiveBayes.smoothing must be a finite number > 0"]
    }
}

/// Options of L2-regularized logistic regression (binary for two labels, softmax for more).
public struct LogisticRegressionOptions: Codable, Sendable, Hashable {
    /// The optimizer. Both minimize the same strictly convex objective from zero weights, in a fixed order, so
    /// training is deterministic; L-BFGS converges in far fewer iterations.
    public enum Optimizer: String, Codable, Sendable, Hashable, CaseIterable {
        case lbfgs
        /// Full-batch gradient descent with a backtracking line search starting at `learningRate`.
        case gradientDescent
    }

    /// λ in the objective (1/W) Σ c_i · loss_i + (λ/2) ‖w‖², where c_i is the example's class weight and W = Σ c_i
    /// (the biases are not penalized). About 1/(C·n) for scikit-learn's C with n examples.
    public var l2 = 1e-2
    public var optimizer: Optimizer = .lbfgs
    /// Stop after this many iterations (the model records whether it converged).
    public var maximumIterations = 1000
    /// Converged when the largest gradient component is below this.
    public var gradientTolerance = 1e-6
    /// L-BFGS: the number of correction pairs kept.
    public var memory = 10
    /// Gradient descent: the first step tried at each iteration.
    public var learningRate = 1.0

    public init() {}

    public init(l2: Double = 1e-2, optimizer: Optimizer = .lbfgs, maximumIterations: Int = 1000) {
        self.l2 = l2
        self.optimizer = optimizer
        self.maximumIterations = maximumIterations
    }

    enum CodingKeys: String, CodingKey { case l2, optimizer, maximumIterations, gradientTolerance, memory, learningRate }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let defaults = LogisticRegressionOptions()
        l2 = try container.value(.l2, default: defaults.l2)
        optimizer = try container.value(.optimizer, default: defaults.optimizer)
        maximumIterations = try container.value(.maximumIterations, default: defaults.maximumIterations)
        gradientTolerance = try container.value(.gradientTolerance, default: defaults.gradientTolerance)
        memory = try container.value(.memory, default: defaults.memory)
        learningRate = try container.value(.learningRate, default: defaults.learningRate)
    }

    var problems: [String] {
        var problems: [String] = []
        if !(l2.isFinite && l2 >= 0) { problems.append("logisticRegression.l2 must be a finite number ≥ 0") }
        if maximumIterations < 1 { problems.append("logisticRegression.maximumIterations must be at least 1") }
        if !(gradientTolerance.isFinite && gradientTolerance > 0) { problems.append("logisticRegression.gradientTolerance must be > 0") }
        if memory < 1 { problems.append("logisticRegression.memory must be at least 1") }
        if !(learningRate.isFinite && learningRate > 0) { problems.append("logisticRegression.learningRate must be > 0") }
        return problems
    }
}

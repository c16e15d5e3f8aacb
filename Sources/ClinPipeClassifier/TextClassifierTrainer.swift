/// Trains a `TextClassifier` from labeled texts, as a `TrainerConfiguration` says.
///
/// Deterministic: the same examples in the same order with the same configuration give a model whose JSON is
/// byte-identical. (Reordering the examples may change the last bits of the weights: sums run in example order.)
public struct TextClassifierTrainer: Sendable {
    public var configuration: TrainerConfiguration

    public init(configuration: TrainerConfiguration = TrainerConfiguration()) {
        self.configuration = configuration
    }

    public init(algorithm: TextClassifier.Algorithm) {
        self.configuration = TrainerConfiguration(algorithm: algorithm)
    }

    /// Trains on `examples`. `notes` are stored in the model's training metadata.
    /// - Throws: `ClassifierError.invalidConfiguration` for a bad configuration, `.invalidTrainingData` when the
    ///   examples cannot train a model (none, fewer than two labels, a configured label without examples, an
    ///   example whose label is not configured).
    public func train(_ examples: [LabeledText], notes: [String: String] = [:]) throws -> TextClassifier {
        let problems = configuration.problems
        if !problems.isEmpty { throw ClassifierError.invalidConfiguration(problems) }
        guard !examples.isEmpty else { throw ClassifierError.invalidTrainingData("no examples") }
        var labelCounts: [String: Int] = [:]
        for example in examples { labelCounts[example.label, default: 0] += 1 }
        let labels: [String]
        if configuration.labels.isEmpty {
            labels = labelCounts.keys.sorted(by: bytesPrecede)
        } else {
            labels = configuration.labels
            let unknown = labelCounts.keys.filter { !labels.contains($0) }.sorted(by: bytesPrecede)
            if !unknown.isEmpty {
                throw ClassifierError.invalidTrainingData("labels not in the configured labels: \(unknown.joined(separator: ", "))")
            }
            let missing = labels.filter { labelCounts[$0] == nil }
            if !missing.isEmpty {
                throw ClassifierError.invalidTrainingData("configured labels without training examples: \(missing.joined(separator: ", "))")
            }
        }
        guard labels.count >= 2 else {
            throw ClassifierError.invalidTrainingData("the examples have \(labels.count) label; a classifier needs at least 2")
        }
        let classIndex = Dictionary(uniqueKeysWithValues: labels.enumerated().map { ($1, $0) })
        var classWeights: [String: Double] = [:]
        for label in labels {
            var weight = configuration.balanceClasses
                ? Double(examples.count) / (Double(labels.count) * Double(labelCounts[label]!)) : 1
            weight *= configuration.classWeights[label] ?? 1
            classWeights[label] = weight
        }
        if labels.allSatisfy({ classWeights[$0] == 0 }) {
            throw ClassifierError.invalidTrainingData("every class weight is 0")
        }

        let features = try FeatureExtractor.fit(configuration.features, texts: examples.map(\.text))
        var data = TrainingSet(featureCount: features.featureCount, classCount: labels.count)
        for example in examples {
            data.append(features.vector(for: example.text), classIndex: classIndex[example.label]!,
                        weight: classWeights[example.label]!)
        }

        let bias: [Double], weights: [[Double]]
        var iterations = 0, converged = true
        var objective: Double?
        switch configuration.algorithm {
        case .naiveBayes:
            (bias, weights) = NaiveBayesFitter.fit(data, options: configuration.naiveBayes)
        case .logisticRegression:
            let fit = LogisticRegressionFitter.fit(data, options: configuration.logisticRegression)
            (bias, weights) = (fit.bias, fit.weights)
            iterations = fit.iterations
            converged = fit.converged
            objective = fit.objective
        }
        var groups = Set<String>()
        var ungrouped = 0
        for example in examples {
            if let group = example.group { groups.insert(group) } else { ungrouped += 1 }
        }
        let training = TrainingMetadata(
            exampleCount: examples.count, groupCount: groups.count + ungrouped, labelCounts: labelCounts,
            classWeights: classWeights, trainer: configuration, iterations: iterations, converged: converged,
            finalObjective: objective, notes: notes)
        return try TextClassifier(algorithm: configuration.algorithm, labels: labels, features: features,
                                  bias: bias, weights: weights, training: training)
    }
}

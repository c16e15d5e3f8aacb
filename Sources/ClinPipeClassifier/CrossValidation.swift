/// k-fold cross-validation by group: each fold's examples are predicted by a model trained on the other folds.
///
/// Folds come from `GroupFolds.assign` (deterministic from the seed; a group never straddles two folds). Folds run
/// one after another in fold order, so the whole run is deterministic.
public enum CrossValidation {
    /// The outcome of a cross-validation run.
    public struct Report: Sendable {
        /// The fold of each example (input order).
        public var folds: [Int]
        /// The out-of-fold prediction of each example (input order).
        public var predictions: [Prediction]
        /// The label order of each example's `probabilities` (the labels of the model that predicted it).
        public var modelLabels: [[String]]
        /// Metrics over all out-of-fold predictions.
        public var metrics: ClassificationMetrics
        /// Metrics of each fold on its own.
        public var foldMetrics: [ClassificationMetrics]
    }

    /// Cross-validates `trainer` on `examples`.
    /// - Parameters:
    ///   - folds: the number of folds (at least 2, at most the number of groups).
    ///   - seed: the fold assignment seed.
    ///   - stratified: balance labels across folds as far as groups allow.
    ///   - labels: the labels of the metrics, in order (default: all labels in byte order).
    public static func run(_ examples: [LabeledText], trainer: TextClassifierTrainer, folds: Int = 5, seed: UInt64 = 1,
                           stratified: Bool = true, labels: [String]? = nil) throws -> Report
    {
        try run(examples, folds: folds, seed: seed, stratified: stratified, labels: labels) { training in
            let model = try trainer.train(training)
            return (model.labels, { model.predict($0) })
        }
    }

    /// Cross-validates any training procedure: `train` receives a fold's training examples and returns the
    /// model's label order and a function predicting a text.
    public static func run(_ examples: [LabeledText], folds: Int = 5, seed: UInt64 = 1, stratified: Bool = true,
                           labels: [String]? = nil,
                           train: ([LabeledText]) throws -> (labels: [String], predict: (String) -> Prediction)) throws -> Report
    {
        let assignment = try GroupFolds.assign(examples, folds: folds, seed: seed, stratified: stratified)
        var predictions = [Prediction?](repeating: nil, count: examples.count)
        var modelLabels = [[String]](repeating: [], count: examples.count)
        let metricLabels = labels ?? Array(Set(examples.map(\.label))).sorted(by: bytesPrecede)
        var foldMetrics: [ClassificationMetrics] = []
        for fold in 0..<folds {
            let training = examples.indices.filter { assignment[$0] != fold }.map { examples[$0] }
            let testing = examples.indices.filter { assignment[$0] == fold }
            let model = try train(training)
            for index in testing {
                predictions[index] = model.predict(examples[index].text)
                modelLabels[index] = model.labels
            }
            foldMetrics.append(ClassificationMetrics(
                gold: testing.map { examples[$0].label }, predictions: testing.map { predictions[$0]! },
                modelLabels: testing.map { modelLabels[$0] }, labels: metricLabels))
        }
        let all = predictions.map { $0! }
        let metrics = ClassificationMetrics(gold: examples.map(\.label), predictions: all, modelLabels: modelLabels,
                                            labels: metricLabels)
        return Report(folds: assignment, predictions: all, modelLabels: modelLabels, metrics: metrics,
                      foldMetrics: foldMetrics)
    }
}

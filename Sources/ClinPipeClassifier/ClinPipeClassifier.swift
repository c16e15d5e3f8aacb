// ClinPipeClassifier: deterministic text classification for ClinPipe (the `outcome` stage's classifiers).
//
// The pieces, each in its own file:
//   Tokenizer, TokenizerConfiguration   UTF-8 words, lowercased, digits normalized, optional stop words
//   FeatureConfiguration, FeatureExtractor, SparseVector
//                                       word and bigram (up to trigram) features, vocabulary or hashed,
//                                       count / binary / TF-IDF, optional L2 normalization
//   TrainerConfiguration, TextClassifierTrainer
//                                       multinomial naive Bayes and L2-regularized logistic regression
//                                       (binary or softmax, L-BFGS or gradient descent), class weights
//   TextClassifier, Prediction, TrainingMetadata
//                                       the trained model: predict(text) -> label, confidence, probabilities;
//                                       JSON save/load with a format version
//   ClassificationMetrics, GroupFolds, CrossValidation
//                                       accuracy, per-label precision/recall/F1, confusion matrix, log loss;
//                                       k-fold cross-validation with group folds (all items of a letter together)
//   DecisionMasker, MaskRule, ClassifierRules
//                                       masks decision wording (Rules/decision-patterns.tsv, decision-phrases.txt)
//
// Typical use (outcome stage): at training time,
//
//     let masker = try DecisionMasker.builtIn()
//     let examples = items.map { LabeledText(text: try masker.mask($0.rationale), label: $0.outcome, group: $0.caseNumber) }
//     var configuration = TrainerConfiguration(algorithm: .logisticRegression)
//     configuration.balanceClasses = true
//     let report = try CrossValidation.run(examples, trainer: TextClassifierTrainer(configuration: configuration), folds: 5, seed: 1)
//     print(report.metrics.report())
//     try TextClassifierTrainer(configuration: configuration).train(examples).save(to: modelURL)
//
// and in the stage's init, `let model = try TextClassifier.load(from: url)`; in `process`,
// `model.predict(try masker.mask(bytes: rationaleBytes))` gives `label` and `confidence`. Models, maskers and
// tokenizers are immutable and Sendable: build them once, use them from every thread.

import ClinPipeClassifier
import Foundation
import Testing

/// Prints cross-validated figures of several configurations on the IMR development letters (masked rationales,
/// unmasked rationales, case summaries) and on MTSamples. Opt-in, as it only reports:
/// `CLINPIPE_CLASSIFIER_FIGURES=1 swift test --filter ClassifierFigures`.
@Suite(.enabled(if: ProcessInfo.processInfo.environment["CLINPIPE_CLASSIFIER_FIGURES"] != nil))
struct ClassifierFigures {
    static var configurations: [(name: String, configuration: TrainerConfiguration)] {
        var list: [(String, TrainerConfiguration)] = []
        for balanced in [false, true] {
            var naiveBayes = TrainerConfiguration(algorithm: .naiveBayes)
            naiveBayes.balanceClasses = balanced
            list.append(("naive Bayes" + (balanced ? ", balanced" : ""), naiveBayes))
            var logistic = TrainerConfiguration(algorithm: .logisticRegression)
            logistic.balanceClasses = balanced
            list.append(("logistic" + (balanced ? ", balanced" : ""), logistic))
            logistic.features.maximumNGram = 1
            list.append(("logistic words" + (balanced ? ", balanced" : ""), logistic))
            var tfidf = TrainerConfiguration(algorithm: .logisticRegression)
            tfidf.features = .tfidfDefault
            tfidf.logisticRegression.l2 = 1e-3
            tfidf.balanceClasses = balanced
            list.append(("logistic tf-idf λ=0.001" + (balanced ? ", balanced" : ""), tfidf))
        }
        return list
    }

    func report(_ title: String, _ examples: [LabeledText], positive: String) throws {
        print("== \(title): \(examples.count) examples in \(Set(examples.compactMap(\.group)).count) groups, 5 folds")
        for (name, configuration) in Self.configurations {
            let metrics = try CrossValidation.run(examples, trainer: TextClassifierTrainer(configuration: configuration), folds: 5, seed: 1).metrics
            let label = metrics.metrics(for: positive)!
            print(String(format: "%-36@ accuracy %.3f  macro F1 %.3f  %@ P %.3f R %.3f F1 %.3f  log loss %.3f",
                         name as NSString, metrics.accuracy, metrics.macroF1, positive as NSString, label.precision,
                         label.recall, label.f1, metrics.logLoss ?? .nan))
        }
    }

    @Test func imrDevelopmentLetters() throws {
        guard let (items, _) = try RealData.developmentItems(), let (summaries, _) = try RealData.developmentItems(summaries: true) else { return }
        let masker = try DecisionMasker.builtIn()
        let masked = try items.map { LabeledText(text: try masker.mask($0.text), label: $0.label, group: $0.group) }
        try report("IMR rationales, decision wording masked", masked, positive: "overturned")
        try report("IMR rationales, unmasked", items, positive: "overturned")
        try report("IMR clinical case summaries", summaries, positive: "overturned")
    }

    @Test func mtsamples() throws {
        guard let examples = try RealData.mtsamples(specialties: RealDataTests.twoSpecialties) else { return }
        try report("MTSamples Orthopedic vs Cardiovascular / Pulmonary", examples, positive: "Orthopedic")
    }
}

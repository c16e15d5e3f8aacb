import ClinPipeClassifier
import Foundation
import Testing

@Suite struct NaiveBayesTests {
    /// The worked example of Manning, Raghavan and Schütze, Introduction to Information Retrieval, §13.2.
    let examples = [
        LabeledText(text: "Chinese Beijing Chinese", label: "china"),
        LabeledText(text: "Chinese Chinese Shanghai", label: "china"),
        LabeledText(text: "Chinese Macao", label: "china"),
        LabeledText(text: "Tokyo Japan Chinese", label: "japan"),
    ]

    func trainer(smoothing: Double = 1, fitPriors: Bool = true) -> TextClassifierTrainer {
        var configuration = TrainerConfiguration(algorithm: .naiveBayes)
        configuration.features.maximumNGram = 1
        configuration.naiveBayes = NaiveBayesOptions(smoothing: smoothing, fitPriors: fitPriors)
        return TextClassifierTrainer(configuration: configuration)
    }

    @Test func textbookExample() throws {
        let model = try trainer().train(examples)
        #expect(model.labels == ["china", "japan"])
        #expect(model.features.vocabulary == ["beijing", "chinese", "japan", "macao", "shanghai", "tokyo"])
        // P(chinese|china) = (5+1)/(8+6) = 3/7, P(tokyo|china) = P(japan|china) = 1/14;
        // P(chinese|japan) = P(tokyo|japan) = P(japan|japan) = (1+1)/(3+6) = 2/9; priors 3/4 and 1/4.
        let china = 3.0 / 4 * pow(3.0 / 7, 3) * pow(1.0 / 14, 2)
        let japan = 1.0 / 4 * pow(2.0 / 9, 5)
        let prediction = model.predict("Chinese Chinese Chinese Tokyo Japan")
        #expect(prediction.label == "china")
        #expect(abs(prediction.probabilities[0] - china / (china + japan)) < 1e-12)
        #expect(abs(prediction.confidence - prediction.probabilities[0]) == 0)
        #expect(abs(model.weights[0][1] - log(3.0 / 7)) < 1e-12)
        #expect(abs(model.bias[1] - log(0.25)) < 1e-12)
        #expect(model.training.iterations == 0 && model.training.converged)
    }

    @Test func uniformPriorsAndLidstoneSmoothing() throws {
        let model = try trainer(smoothing: 0.5, fitPriors: false).train(examples)
        // P(chinese|china) = (5+0.5)/(8+3), P(tokyo|china) = 0.5/11; P(·|japan) = 1.5/(3+3) for the three words.
        let china = 0.5 * pow(5.5 / 11, 3) * pow(0.5 / 11, 2)
        let japan = 0.5 * pow(1.5 / 6, 5)
        let prediction = model.predict("Chinese Chinese Chinese Tokyo Japan")
        #expect(abs(prediction.probabilities[1] - japan / (china + japan)) < 1e-12)
    }

    @Test func textWithoutKnownFeaturesGetsThePriors() throws {
        let model = try trainer().train(examples)
        let prediction = model.predict("completely unrelated")
        #expect(abs(prediction.probabilities[0] - 0.75) < 1e-12)
    }

    @Test func balancedClassWeightsEqualizeThePriors() throws {
        var configuration = trainer().configuration
        configuration.balanceClasses = true
        let model = try TextClassifierTrainer(configuration: configuration).train(examples)
        #expect(abs(model.predict("unrelated").probabilities[0] - 0.5) < 1e-12)
        #expect(model.training.classWeights == ["china": 4.0 / 6, "japan": 2.0])
    }
}

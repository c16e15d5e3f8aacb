import ClinPipeClassifier
import Foundation
import Testing

@Suite struct LogisticRegressionTests {
    func countsTrainer(l2: Double, optimizer: LogisticRegressionOptions.Optimizer = .lbfgs) -> TextClassifierTrainer {
        var configuration = TrainerConfiguration(algorithm: .logisticRegression)
        configuration.features = FeatureConfiguration()
        configuration.features.maximumNGram = 1
        configuration.logisticRegression = LogisticRegressionOptions(l2: l2, optimizer: optimizer, maximumIterations: 20_000)
        configuration.logisticRegression.gradientTolerance = 1e-10
        return TextClassifierTrainer(configuration: configuration)
    }

    /// Two examples, one word each: the objective is ½[softplus(−(a + b)) + softplus(c + b)] + (λ/2)(a² + c²),
    /// whose minimum is b = 0, c = −a with λ·a = ½·σ(−a). Found here by bisection, independently of the library.
    @Test func binaryWeightsMatchTheClosedFormOptimum() throws {
        let lambda = 0.1
        var low = 0.0, high = 10.0
        for _ in 0..<200 {
            let middle = (low + high) / 2
            if lambda * middle - 0.5 / (1 + exp(middle)) < 0 { low = middle } else { high = middle }
        }
        let a = (low + high) / 2
        let model = try countsTrainer(l2: lambda).train([
            LabeledText(text: "good", label: "pos"), LabeledText(text: "bad", label: "neg"),
        ])
        #expect(model.labels == ["neg", "pos"])
        #expect(model.features.vocabulary == ["bad", "good"])
        // Stored symmetrically: half the fitted vector for "pos", minus half for "neg".
        #expect(abs(model.weights[1][1] - a / 2) < 1e-7)
        #expect(abs(model.weights[1][0] + a / 2) < 1e-7)
        #expect(abs(model.weights[0][1] + a / 2) < 1e-7)
        #expect(abs(model.bias[1]) < 1e-7)
        #expect(model.training.converged)
        let prediction = model.predict("good")
        #expect(prediction.label == "pos")
        #expect(abs(prediction.confidence - 1 / (1 + exp(-a))) < 1e-7)
    }

    let threeTopics = [
        LabeledText(text: "knee arthroscopy meniscus tear", label: "orthopedic"),
        LabeledText(text: "rotator cuff tear shoulder arthroscopy", label: "orthopedic"),
        LabeledText(text: "fracture of the distal radius cast", label: "orthopedic"),
        LabeledText(text: "chest pain troponin ekg", label: "cardiology"),
        LabeledText(text: "atrial fibrillation ekg anticoagulation", label: "cardiology"),
        LabeledText(text: "coronary artery disease chest pain stent", label: "cardiology"),
        LabeledText(text: "colonoscopy polyp biopsy", label: "gastro"),
        LabeledText(text: "abdominal pain endoscopy gastritis", label: "gastro"),
        LabeledText(text: "colonoscopy diverticulosis abdominal", label: "gastro"),
    ]

    @Test func softmaxSeparatesThreeTopics() throws {
        for optimizer in LogisticRegressionOptions.Optimizer.allCases {
            let model = try countsTrainer(l2: 0.01, optimizer: optimizer).train(threeTopics)
            #expect(model.labels == ["cardiology", "gastro", "orthopedic"])
            for example in threeTopics { #expect(model.predict(example.text).label == example.label) }
            #expect(model.predict("EKG shows atrial fibrillation").label == "cardiology")
            #expect(model.predict("meniscus tear of the knee").label == "orthopedic")
            #expect(model.predict("colonoscopy next year").label == "gastro")
            let probabilities = model.predict("chest pain").probabilities
            #expect(abs(probabilities.reduce(0, +) - 1) < 1e-12)
        }
    }

    @Test func lbfgsAndGradientDescentReachTheSameOptimum() throws {
        let lbfgs = try countsTrainer(l2: 0.05).train(threeTopics)
        let descent = try countsTrainer(l2: 0.05, optimizer: .gradientDescent).train(threeTopics)
        let first = try #require(lbfgs.training.finalObjective)
        let second = try #require(descent.training.finalObjective)
        #expect(abs(first - second) < 1e-9)
        for row in lbfgs.weights.indices {
            for column in lbfgs.weights[row].indices {
                #expect(abs(lbfgs.weights[row][column] - descent.weights[row][column]) < 1e-4)
            }
        }
        #expect(lbfgs.training.iterations < descent.training.iterations)
    }

    @Test func classWeightsRaiseTheRareLabelsProbability() throws {
        var examples = (0..<9).map { LabeledText(text: "routine follow up visit number \($0) pain", label: "upheld") }
        examples.append(LabeledText(text: "significant functional improvement documented pain", label: "overturned"))
        var trainer = countsTrainer(l2: 0.01)
        let plain = try trainer.train(examples)
        trainer.configuration.balanceClasses = true
        let balanced = try trainer.train(examples)
        let text = "pain with functional improvement"
        #expect(plain.labels == ["overturned", "upheld"])
        #expect(balanced.predict(text).probabilities[0] > plain.predict(text).probabilities[0])
        #expect(balanced.training.classWeights == ["overturned": 5, "upheld": 10.0 / 18])
        trainer.configuration.classWeights = ["overturned": 2]
        #expect(try trainer.train(examples).training.classWeights["overturned"] == 10)
    }

    @Test func rejectsTrainingDataThatCannotTrain() {
        let trainer = TextClassifierTrainer()
        #expect(throws: ClassifierError.self) { try trainer.train([]) }
        #expect(throws: ClassifierError.self) { try trainer.train([LabeledText(text: "a", label: "x")]) }
        var configured = trainer
        configured.configuration.labels = ["upheld", "overturned"]
        #expect(throws: ClassifierError.invalidTrainingData("configured labels without training examples: overturned")) {
            try configured.train([LabeledText(text: "a", label: "upheld"), LabeledText(text: "b", label: "upheld")])
        }
        #expect(throws: ClassifierError.self) {
            try configured.train([LabeledText(text: "a", label: "upheld"), LabeledText(text: "b", label: "partial")])
        }
    }

    @Test func configuredLabelOrderIsKept() throws {
        var trainer = countsTrainer(l2: 0.1)
        trainer.configuration.labels = ["pos", "neg"]
        let model = try trainer.train([LabeledText(text: "good", label: "pos"), LabeledText(text: "bad", label: "neg")])
        #expect(model.labels == ["pos", "neg"])
        #expect(model.predict("good").probabilities[0] > 0.5)
    }
}

import ClinPipeClassifier
import Foundation
import Testing

@Suite struct ModelPersistenceTests {
    let examples: [LabeledText] = [
        ("Trigger point injections are not supported without a twitch response", "upheld", "A"),
        ("There was no documentation of functional improvement with prior acupuncture", "upheld", "A"),
        ("The patient has failed conservative care and has radiculopathy on MRI", "overturned", "B"),
        ("Six additional sessions exceed the guideline maximum", "upheld", "C"),
        ("Objective functional improvement was documented after the trial", "overturned", "D"),
        ("Long-term opioid use without urine drug screens", "upheld", "D"),
    ].map { LabeledText(text: $0.0, label: $0.1, group: $0.2) }

    static let configurations: [TrainerConfiguration] = {
        var hashed = TrainerConfiguration(algorithm: .logisticRegression)
        hashed.features.space = .hashed
        hashed.features.hashBits = 18
        hashed.features.minimumDocumentFrequency = 1
        hashed.balanceClasses = true
        var stops = TrainerConfiguration(algorithm: .naiveBayes)
        stops.features.tokenizer.stopWords = ClassifierRules.englishStopWords
        var idf = TrainerConfiguration(algorithm: .logisticRegression)
        idf.features = .tfidfDefault
        idf.features.minimumDocumentFrequency = 1
        return [TrainerConfiguration(algorithm: .naiveBayes), idf, hashed, stops]
    }()

    @Test(arguments: configurations)
    func trainingIsDeterministic(configuration: TrainerConfiguration) throws {
        let trainer = TextClassifierTrainer(configuration: configuration)
        let first = try trainer.train(examples).jsonData()
        let second = try trainer.train(examples).jsonData()
        #expect(first == second)
        #expect(!first.isEmpty)
    }

    @Test(arguments: configurations)
    func saveAndLoadRoundTrip(configuration: TrainerConfiguration) throws {
        let model = try TextClassifierTrainer(configuration: configuration).train(examples, notes: ["labels": "test"])
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("clinpipe-classifier-\(UUID().uuidString).json")
        defer { try? FileManager.default.removeItem(at: url) }
        try model.save(to: url)
        let loaded = try TextClassifier.load(from: url)
        #expect(try loaded.jsonData() == model.jsonData())
        #expect(loaded.labels == model.labels)
        #expect(loaded.training == model.training)
        #expect(loaded.training.notes == ["labels": "test"])
        for text in examples.map(\.text) + ["an unseen text about injections", ""] {
            #expect(loaded.predict(text) == model.predict(text))
            #expect(text.utf8CString.withUnsafeBufferPointer { pointer in
                pointer.withMemoryRebound(to: UInt8.self) { loaded.predict(bytes: UnsafeBufferPointer(rebasing: $0.dropLast())) }
            } == model.predict(text))
        }
    }

    @Test func modelJSONNamesItsParts() throws {
        var configuration = TrainerConfiguration(algorithm: .logisticRegression)
        configuration.features = .tfidfDefault
        let model = try TextClassifierTrainer(configuration: configuration).train(examples)
        let object = try #require(try JSONSerialization.jsonObject(with: model.jsonData()) as? [String: Any])
        #expect(object["formatVersion"] as? Int == TextClassifier.currentFormatVersion)
        #expect(object["algorithm"] as? String == "logistic_regression")
        #expect(object["labels"] as? [String] == ["overturned", "upheld"])
        let features = try #require(object["features"] as? [String: Any])
        #expect(features["vocabulary"] is [String])
        #expect(features["inverseDocumentFrequency"] is [Double])
        let training = try #require(object["training"] as? [String: Any])
        #expect(training["exampleCount"] as? Int == 6)
        #expect(training["groupCount"] as? Int == 4)
    }

    @Test func rejectsAnotherFormatVersionAndInconsistentModels() throws {
        let model = try TextClassifierTrainer(algorithm: .naiveBayes).train(examples)
        var object = try #require(try JSONSerialization.jsonObject(with: model.jsonData()) as? [String: Any])
        object["formatVersion"] = 99
        #expect(throws: ClassifierError.unsupportedFormatVersion(found: 99, supported: 1)) {
            try TextClassifier(jsonData: try JSONSerialization.data(withJSONObject: object))
        }
        object["formatVersion"] = 1
        object["bias"] = [0.0]
        #expect(throws: ClassifierError.self) { try TextClassifier(jsonData: try JSONSerialization.data(withJSONObject: object)) }
    }

    @Test func configurationsDecodeWithDefaultsForMissingFields() throws {
        let json = #"{"algorithm": "naive_bayes", "naiveBayes": {"smoothing": 0.5}, "features": {"maximumNGram": 1}, "balanceClasses": true}"#
        let configuration = try JSONDecoder().decode(TrainerConfiguration.self, from: Data(json.utf8))
        #expect(configuration.algorithm == .naiveBayes)
        #expect(configuration.naiveBayes == NaiveBayesOptions(smoothing: 0.5, fitPriors: true))
        #expect(configuration.features.maximumNGram == 1)
        #expect(configuration.features.weighting == .count)
        #expect(configuration.balanceClasses)
        #expect(configuration.logisticRegression == LogisticRegressionOptions())
        let empty = try JSONDecoder().decode(TrainerConfiguration.self, from: Data("{}".utf8))
        #expect(empty == TrainerConfiguration())
        #expect(empty.features == .logisticRegressionDefault)
    }

    @Test func strongestFeaturesExplainTheModel() throws {
        var configuration = TrainerConfiguration(algorithm: .logisticRegression)
        configuration.features.minimumDocumentFrequency = 1
        configuration.features.maximumNGram = 1
        let model = try TextClassifierTrainer(configuration: configuration).train([
            LabeledText(text: "improvement documented", label: "overturned"),
            LabeledText(text: "improvement documented again", label: "overturned"),
            LabeledText(text: "no improvement", label: "upheld"),
            LabeledText(text: "no change", label: "upheld"),
        ])
        #expect(model.strongestFeatures(for: "upheld", count: 1).first?.feature == "no")
        #expect(model.strongestFeatures(for: "overturned", count: 1).first?.feature == "documented")
    }
}

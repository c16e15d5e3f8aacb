import ClinPipeClassifier
import ClinPipeCore
import Testing

@Suite struct GroupFoldsTests {
    /// 40 letters with 1 to 6 items each; about one item in eight overturned, as in the IMR development set.
    static func letters(seed: UInt64) -> [LabeledText] {
        var generator = SplitMix64(seed: seed)
        var examples: [LabeledText] = []
        for letter in 0..<40 {
            for item in 0...generator.nextInt(below: 6) {
                let label = generator.nextInt(below: 8) == 0 ? "overturned" : "upheld"
                examples.append(LabeledText(text: "letter \(letter) item \(item)", label: label, group: "CM16-\(letter)"))
            }
        }
        return examples
    }

    @Test(arguments: [1, 2, 3, 99] as [UInt64])
    func aGroupIsNeverSplit(seed: UInt64) throws {
        let examples = Self.letters(seed: seed)
        for stratified in [true, false] {
            let folds = try GroupFolds.assign(examples, folds: 5, seed: seed, stratified: stratified)
            var foldOfGroup: [String: Int] = [:]
            for (example, fold) in zip(examples, folds) {
                #expect((0..<5).contains(fold))
                if let known = foldOfGroup[example.group!] { #expect(known == fold) } else { foldOfGroup[example.group!] = fold }
            }
            // Every fold is used.
            #expect(Set(folds).count == 5)
        }
    }

    @Test func deterministicAndIndependentOfInputOrder() throws {
        let examples = Self.letters(seed: 7)
        let first = try GroupFolds.assign(examples, folds: 5, seed: 42)
        #expect(try GroupFolds.assign(examples, folds: 5, seed: 42) == first)
        let reversed = try GroupFolds.assign(examples.reversed(), folds: 5, seed: 42)
        #expect(Array(reversed.reversed()) == first)
        #expect(try GroupFolds.assign(examples, folds: 5, seed: 43) != first)
    }

    @Test func stratificationSpreadsTheRareLabel() throws {
        let examples = Self.letters(seed: 11)
        let rare = examples.filter { $0.label == "overturned" }.count
        let folds = try GroupFolds.assign(examples, folds: 5, seed: 3, stratified: true)
        var perFold = [Int](repeating: 0, count: 5)
        for (example, fold) in zip(examples, folds) where example.label == "overturned" { perFold[fold] += 1 }
        // Each fold holds about a fifth of the overturned items (groups permitting).
        for count in perFold { #expect(abs(Double(count) - Double(rare) / 5) <= 2) }
        var sizes = [Int](repeating: 0, count: 5)
        for fold in folds { sizes[fold] += 1 }
        #expect(sizes.max()! - sizes.min()! <= 6)
    }

    @Test func ungroupedExamplesAreGroupsOfTheirOwn() throws {
        let examples = (0..<10).map { LabeledText(text: "\($0)", label: $0 % 2 == 0 ? "a" : "b") }
        let folds = try GroupFolds.assign(examples, folds: 5, seed: 1)
        var sizes = [Int](repeating: 0, count: 5)
        for fold in folds { sizes[fold] += 1 }
        #expect(sizes == [2, 2, 2, 2, 2])
    }

    @Test func rejectsTooFewGroups() {
        let examples = (0..<6).map { LabeledText(text: "\($0)", label: "a", group: $0 < 3 ? "one" : "two") }
        #expect(throws: ClassifierError.self) { try GroupFolds.assign(examples, folds: 3, seed: 1) }
        #expect(throws: ClassifierError.self) { try GroupFolds.assign(examples, folds: 1, seed: 1) }
    }

    @Test func crossValidationPredictsEachExampleFromAModelThatNeverSawItsGroup() throws {
        // Every letter's items share a word that only that letter has; a model that saw the letter would know it.
        var examples: [LabeledText] = []
        for letter in 0..<10 {
            let label = letter % 2 == 0 ? "upheld" : "overturned"
            let cue = label == "upheld" ? "lack of documentation" : "improvement documented"
            for item in 0..<3 {
                examples.append(LabeledText(text: "\(cue) letter\(letter)marker item\(item)", label: label, group: "L\(letter)"))
            }
        }
        var configuration = TrainerConfiguration(algorithm: .naiveBayes)
        configuration.features.maximumNGram = 1
        let trainer = TextClassifierTrainer(configuration: configuration)
        var seenGroups: [[String]] = []
        let report = try CrossValidation.run(examples, folds: 5, seed: 9) { training in
            seenGroups.append(Array(Set(training.compactMap(\.group))).sorted())
            let model = try trainer.train(training)
            return (model.labels, { model.predict($0) })
        }
        for (index, example) in examples.enumerated() {
            #expect(!seenGroups[report.folds[index]].contains(example.group!))
        }
        #expect(report.metrics.accuracy == 1)
        #expect(report.metrics.count == 30)
        #expect(report.foldMetrics.map(\.count).reduce(0, +) == 30)
        let again = try CrossValidation.run(examples, trainer: trainer, folds: 5, seed: 9)
        #expect(again.predictions == report.predictions)
        #expect(again.folds == report.folds)
    }
}

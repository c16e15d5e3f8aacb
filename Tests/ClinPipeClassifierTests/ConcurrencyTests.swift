import ClinPipeClassifier
import Foundation
import Synchronization
import Testing

@Suite struct ConcurrencyTests {
    /// One model and one masker serve many threads at once (as in a pipeline stage) with the same answers.
    @Test func predictionsAndMasksAreTheSameOnManyThreads() throws {
        let letters = try RealData.seedLetters()
        let masker = try DecisionMasker.builtIn()
        var examples: [LabeledText] = []
        for (index, letter) in letters.enumerated() {
            for rationale in RealData.rationales(in: letter.text) {
                examples.append(LabeledText(text: try masker.mask(rationale), label: index % 2 == 0 ? "even" : "odd", group: letter.name))
            }
        }
        let model = try TextClassifierTrainer().train(examples)
        let texts = letters.flatMap { RealData.rationales(in: $0.text) }
        let expected = try texts.map { model.predict(try masker.mask($0)) }
        let mismatches = Mutex(0)
        DispatchQueue.concurrentPerform(iterations: 8) { worker in
            for round in 0..<20 {
                let index = (worker + round) % texts.count
                let prediction = try? model.predict(masker.mask(texts[index]))
                if prediction != expected[index] { mismatches.withLock { $0 += 1 } }
            }
        }
        #expect(mismatches.withLock { $0 } == 0)
    }
}

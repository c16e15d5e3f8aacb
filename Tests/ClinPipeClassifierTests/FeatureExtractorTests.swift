import ClinPipeClassifier
import Foundation
import Testing

@Suite struct FeatureExtractorTests {
    let texts = ["low back pain", "back pain and neck pain", "neck pain"]

    @Test func vocabularyHoldsWordsAndBigramsInByteOrder() throws {
        let extractor = try FeatureExtractor.fit(FeatureConfiguration(), texts: texts)
        #expect(extractor.vocabulary == ["and", "and neck", "back", "back pain", "low", "low back", "neck", "neck pain",
                                         "pain", "pain and"])
        let vector = extractor.vector(for: "Neck pain, back pain; more back pain")
        // Columns: back(2)=2, back pain(3)=2, neck(6)=1, neck pain(7)=1, pain(8)=3; "more", "pain back",
        // "pain more", "more back" are unknown and ignored.
        #expect(vector.indices == [2, 3, 6, 7, 8])
        #expect(vector.values == [2, 2, 1, 1, 3])
    }

    @Test func minimumDocumentFrequencyAndVocabularyLimit() throws {
        var configuration = FeatureConfiguration()
        configuration.minimumDocumentFrequency = 2
        let frequent = try FeatureExtractor.fit(configuration, texts: texts)
        #expect(frequent.vocabulary == ["back", "back pain", "neck", "neck pain", "pain"])
        configuration.minimumDocumentFrequency = 1
        configuration.maximumVocabularySize = 2
        // "pain" is in 3 texts; "back", "back pain", "neck", "neck pain" in 2: the tie goes to byte order.
        #expect(try FeatureExtractor.fit(configuration, texts: texts).vocabulary == ["back", "pain"])
        configuration.maximumVocabularySize = 0
        configuration.maximumNGram = 1
        #expect(try FeatureExtractor.fit(configuration, texts: texts).vocabulary == ["and", "back", "low", "neck", "pain"])
    }

    @Test func trigramsWhenAsked() throws {
        var configuration = FeatureConfiguration()
        configuration.maximumNGram = 3
        let extractor = try FeatureExtractor.fit(configuration, texts: ["low back pain"])
        #expect(extractor.vocabulary == ["back", "back pain", "low", "low back", "low back pain", "pain"])
    }

    @Test func tfidfWeightsMatchHandComputedValues() throws {
        var configuration = FeatureConfiguration()
        configuration.maximumNGram = 1
        configuration.weighting = .tfidf
        let extractor = try FeatureExtractor.fit(configuration, texts: texts)
        // N = 3; df(and)=1, df(back)=2, df(low)=1, df(neck)=2, df(pain)=3; idf = ln((1+N)/(1+df)) + 1.
        let expected = [log(4.0 / 2) + 1, log(4.0 / 3) + 1, log(4.0 / 2) + 1, log(4.0 / 3) + 1, log(4.0 / 4) + 1]
        #expect(extractor.inverseDocumentFrequency == expected)
        let vector = extractor.vector(for: "pain pain neck")
        #expect(vector.indices == [3, 4])
        #expect(vector.values == [1 * expected[3], 2 * expected[4]])

        configuration.sublinearTF = true
        configuration.l2Normalize = true
        let normalized = try FeatureExtractor.fit(configuration, texts: texts).vector(for: "pain pain neck")
        let raw = [expected[3], (1 + log(2.0)) * expected[4]]
        let length = (raw[0] * raw[0] + raw[1] * raw[1]).squareRoot()
        #expect(abs(normalized.values[0] - raw[0] / length) < 1e-15)
        #expect(abs(normalized.values[1] - raw[1] / length) < 1e-15)
    }

    @Test func binaryWeighting() throws {
        var configuration = FeatureConfiguration()
        configuration.weighting = .binary
        let vector = try FeatureExtractor.fit(configuration, texts: texts).vector(for: "pain pain pain")
        #expect(vector.values == [1])
    }

    @Test func hashedSpaceKeepsOnlyTrainingBucketsAndAgreesWithTheVocabularyWithoutCollisions() throws {
        var hashed = FeatureConfiguration()
        hashed.space = .hashed
        hashed.hashBits = 24
        let extractor = try FeatureExtractor.fit(hashed, texts: texts)
        #expect(extractor.featureCount == 10)
        #expect(extractor.buckets == extractor.buckets.sorted())
        #expect(extractor.buckets.allSatisfy { $0 < 1 << 24 })
        let vocabulary = try FeatureExtractor.fit(FeatureConfiguration(), texts: texts)
        let sample = "Neck pain, back pain; more back pain"
        // Same multiset of values (columns differ: buckets are ordered by number, not by n-gram).
        #expect(extractor.vector(for: sample).values.sorted() == vocabulary.vector(for: sample).values.sorted())

        // With 1 bit every n-gram falls into bucket 0 or 1.
        hashed.hashBits = 1
        let tiny = try FeatureExtractor.fit(hashed, texts: texts)
        #expect(tiny.featureCount <= 2)
        #expect(tiny.vector(for: "low back pain").values.reduce(0, +) == 5)
    }

    /// Long texts over a large vocabulary (the radix sort's several passes): columns strictly ascending, and the
    /// counts add up to the number of n-grams in the vocabulary.
    @Test func longTextsGiveSortedDistinctColumns() throws {
        let letters = try RealData.seedLetters().map(\.text)
        for space in FeatureConfiguration.Space.allCases {
            var configuration = FeatureConfiguration()
            configuration.space = space
            configuration.hashBits = 16
            let extractor = try FeatureExtractor.fit(configuration, texts: letters)
            #expect(extractor.featureCount > 1_000)
            for letter in letters {
                let vector = extractor.vector(for: letter)
                #expect(zip(vector.indices, vector.indices.dropFirst()).allSatisfy { $0 < $1 })
                let tokens = Tokenizer().tokens(in: letter)
                // Every n-gram of a training text is in the feature space.
                #expect(Int(vector.values.reduce(0, +)) == tokens.count + max(tokens.count - 1, 0))
            }
        }
    }

    @Test func rejectsInvalidConfigurations() {
        var configuration = FeatureConfiguration()
        configuration.maximumNGram = 4
        configuration.tokenizer.minimumLength = 0
        #expect(throws: ClassifierError.self) { try FeatureExtractor.fit(configuration, texts: texts) }
        #expect(configuration.problems.count == 2)
    }

    @Test func emptyAndUnknownTextsGiveEmptyVectors() throws {
        let extractor = try FeatureExtractor.fit(FeatureConfiguration(), texts: texts)
        #expect(extractor.vector(for: "").count == 0)
        #expect(extractor.vector(for: "... ;; unrelated words only").count == 0)
    }
}

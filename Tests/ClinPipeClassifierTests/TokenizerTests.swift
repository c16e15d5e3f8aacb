import ClinPipeClassifier
import ClinPipeCore
import ClinPipeTestSupport
import ClinPipeText
import Testing

@Suite struct TokenizerTests {
    @Test func lowercasesAndSplitsOnPunctuation() {
        let tokenizer = Tokenizer()
        #expect(tokenizer.tokens(in: "Utilization Review (UR) non-certified the request.")
            == ["utilization", "review", "ur", "non", "certified", "the", "request"])
    }

    @Test func normalizesDigitsAsConfigured() {
        let text = "Norco 10/325mg #60, L4-5, DOS: 03/25/2015"
        #expect(Tokenizer().tokens(in: text) == ["norco", "0", "0mg", "0", "l0", "0", "dos", "0", "0", "0"])
        #expect(Tokenizer(configuration: .init(digits: .zero)).tokens(in: text)
            == ["norco", "00", "000mg", "00", "l0", "0", "dos", "00", "00", "0000"])
        #expect(Tokenizer(configuration: .init(digits: .keep)).tokens(in: text)
            == ["norco", "10", "325mg", "60", "l4", "5", "dos", "03", "25", "2015"])
    }

    @Test func dropsStopWordsButKeepsNegations() {
        let tokenizer = Tokenizer(configuration: .init(stopWords: ClassifierRules.englishStopWords))
        #expect(tokenizer.tokens(in: "There is no documentation of the trigger points and it is not recommended")
            == ["no", "documentation", "trigger", "points", "not", "recommended"])
        #expect(!ClassifierRules.englishStopWords.contains("not"))
        #expect(!ClassifierRules.englishStopWords.contains("no"))
    }

    @Test func stopWordsAreNormalizedLikeText() {
        let tokenizer = Tokenizer(configuration: .init(stopWords: ["The", "MG"]))
        #expect(tokenizer.tokens(in: "the Norco mg the") == ["norco"])
    }

    @Test func keepsNonASCIIWordsWholeAndDropsTokensOutsideTheLengthBounds() {
        #expect(Tokenizer().tokens(in: "Café naïve – ﬁbromyalgia “quoted” 👩‍⚕️ e\u{301}x") == ["café", "naïve", "ﬁbromyalgia", "quoted", "e\u{301}x"])
        let bounded = Tokenizer(configuration: .init(minimumLength: 2, maximumLength: 5))
        #expect(bounded.tokens(in: "a pain is excruciating x") == ["pain", "is"])
        let long = String(repeating: "7", count: 200)
        #expect(Tokenizer().tokens(in: "dose \(long) mg") == ["dose", "0", "mg"])
    }

    @Test func tokenKeysMatchTheStringTokens() {
        let tokenizer = Tokenizer()
        let text = "Physical therapy 2-3 times a week"
        var keys: [UInt64] = []
        text.utf8CString.withUnsafeBufferPointer { pointer in
            pointer.withMemoryRebound(to: UInt8.self) { bytes in
                tokenizer.appendTokenKeys(in: UnsafeBufferPointer(rebasing: bytes.dropLast()), to: &keys)
            }
        }
        #expect(keys == tokenizer.tokens(in: text).map { FeatureHash.token($0) })
    }

    /// The prediction path (keys hashed while normalizing) and the string path agree on any text and configuration.
    @Test(arguments: TokenizerConfiguration.Digits.allCases)
    func keysAgreeWithStringsOnRandomText(digits: TokenizerConfiguration.Digits) {
        var generator = SeededGenerator(seed: 2024)
        let configurations = [
            TokenizerConfiguration(digits: digits),
            TokenizerConfiguration(digits: digits, minimumLength: 2, maximumLength: 6, stopWords: ["the", "pain", "x", "L4"]),
        ]
        for _ in 0..<200 {
            let text = RandomText.make(&generator, pieces: 30) + "12345 007 a1b22c333"
            for configuration in configurations {
                let tokenizer = Tokenizer(configuration: configuration)
                var keys: [UInt64] = []
                text.withUTF8Bytes { tokenizer.appendTokenKeys(in: $0, to: &keys) }
                #expect(keys == tokenizer.tokens(in: text).map { FeatureHash.token($0) })
            }
        }
    }

    @Test func featureHashesAreStableAcrossRuns() {
        // Fixed values: a saved model depends on them, so they must never change.
        #expect(FeatureHash.token("pain") == FeatureHash.token(Array("pain".utf8)))
        #expect(FeatureHash.token("pain") != FeatureHash.token("pains"))
        #expect(FeatureHash.combine(FeatureHash.token("back"), FeatureHash.token("pain"))
            != FeatureHash.combine(FeatureHash.token("pain"), FeatureHash.token("back")))
        // Computed independently (FNV-1a 64, then the SplitMix64 finalizer) in Python.
        #expect(FeatureHash.token("pain") == 0xD8D2_6BE1_A412_3D8E)
        #expect(FeatureHash.combine(FeatureHash.token("back"), FeatureHash.token("pain")) == 0x230D_90D9_A67B_D1B1)
    }

    @Test func splitMix64IsTheReferenceSequence() {
        // Reference values of SplitMix64 with seed 1234567 (from the published C implementation).
        var generator = SplitMix64(seed: 1_234_567)
        #expect(generator.next() == 6_457_827_717_110_365_317)
        #expect(generator.next() == 3_203_168_211_198_807_973)
        #expect(generator.next() == 9_817_491_932_198_370_423)
    }
}

import ClinPipeCore
import ClinPipeTestSupport
import ClinPipeText
@testable import ContextStage
import Testing

/// The shortcuts of the `context` stage give exactly what the plain code gives: `PrefilteredMatcher` the matches of
/// `LexiconMatcher` over the whole text, `SpanMapper` the spans of `OffsetMap`, `Bytes` the classes of `ByteClass`.
@Suite struct ContextSpeedupTests {
    /// Words that start, continue or nearly match the built-in triggers and findings, with separators that
    /// whitespace runs, punctuation and non-ASCII bytes put between them.
    static let words = [
        "no", "No", "NOT", "not", "evidence", "of", "the", "patient's", "mother", "trigger", "point", "points",
        "trigger-point", "twitch", "response", "pain", "relief", "history", "r/o", "s/p", "w/o", "contrast",
        "is", "was", "ruled", "out", "denies", "should", "develop", "from", "relief from", "with", "prior", "no.",
        "#", "3", "L4-5", "spasm", "tenderness", "é", "患者", "x", "notable", "nothing", "pains", "triggers",
        "family", "history", "of", "negative", "for", "in", "case", "if", "but", "however", "referred",
    ]
    static let separators = [" ", " ", " ", "  ", "\n", " \n\t", ", ", ". ", "-", "/", "'", "", "\u{00A0}", "(", ")"]

    static func randomText(_ generator: inout SeededGenerator, words count: Int) -> String {
        var text = ""
        for _ in 0..<count {
            text += words[Int(generator.next() % UInt64(words.count))]
            text += separators[Int(generator.next() % UInt64(separators.count))]
        }
        return text
    }

    static func plainMatches(_ matcher: LexiconMatcher, _ bytes: UnsafeBufferPointer<UInt8>) -> [[Int]] {
        var result: [[Int]] = []
        matcher.forEachMatch(in: bytes) { range, group in result.append([range.lowerBound, range.upperBound, group]) }
        return result
    }

    static func prefilteredMatches(_ matcher: PrefilteredMatcher, _ bytes: UnsafeBufferPointer<UInt8>) -> [[Int]] {
        var result: [[Int]] = []
        matcher.forEachMatch(in: bytes) { range, group in result.append([range.lowerBound, range.upperBound, group]) }
        return result
    }

    static let termLists: [[String]] = {
        let triggers = try! ContextRuleSet.builtIn().rules.compactMap { rule -> String? in
            if case .literal(let phrase) = rule.trigger { return phrase }
            return nil
        }
        let findings = try! FindingsLexicon.builtIn().entries.map(\.term)
        // Terms that start with non-word bytes, end with them, or are single bytes.
        let odd = ["#", "# 3", "(r/o)", "no.", ",", "- x", "é", "患者 pain", "pain,", "x"]
        return [triggers, findings, odd, triggers + odd]
    }()

    @Test(arguments: testSeeds(40))
    func prefilteredMatcherFindsWhatTheLexiconMatcherFinds(seed: UInt64) {
        var generator = SeededGenerator(seed: seed)
        let text = Self.randomText(&generator, words: 200)
        for terms in Self.termLists {
            let prefiltered = PrefilteredMatcher(terms: terms)
            text.withUTF8Bytes { bytes in
                #expect(Self.prefilteredMatches(prefiltered, bytes) == Self.plainMatches(prefiltered.matcher, bytes),
                        "seed \(seed)")
                // Any slice, as the trigger matcher passes runs of sentences.
                let cut = Int(generator.next() % UInt64(bytes.count + 1))
                let slice = UnsafeBufferPointer(rebasing: bytes[cut...])
                #expect(Self.prefilteredMatches(prefiltered, slice) == Self.plainMatches(prefiltered.matcher, slice),
                        "seed \(seed), cut \(cut)")
            }
        }
    }

    @Test(arguments: testSeeds(20))
    func prefilteredMatcherOnUnicodeText(seed: UInt64) {
        var generator = SeededGenerator(seed: seed)
        let text = RandomText.make(pieceCount: 300, using: &generator)
        for terms in Self.termLists {
            let prefiltered = PrefilteredMatcher(terms: terms)
            text.withUTF8Bytes { bytes in
                #expect(Self.prefilteredMatches(prefiltered, bytes) == Self.plainMatches(prefiltered.matcher, bytes),
                        "seed \(seed)")
            }
        }
    }

    @Test func prefilteredMatcherFindsLongTermsAcrossWhitespaceRuns() {
        let prefiltered = PrefilteredMatcher(terms: ["no evidence of", "no", "evidence"])
        let text = "No   \n\n   evidence \t of pain; no evidence\nof; evidence of no"
        text.withUTF8Bytes { bytes in
            let found = Self.prefilteredMatches(prefiltered, bytes)
            #expect(found == Self.plainMatches(prefiltered.matcher, bytes))
            #expect(found.count == 5)
        }
    }

    @Test func bytesAgreeWithByteClass() {
        for value in 0...255 {
            let byte = UInt8(value)
            #expect(Bytes.isWord(byte) == ByteClass.isWord(byte))
            #expect(Bytes.isSpace(byte) == ByteClass.isSpace(byte))
            #expect(Bytes.lower(byte) == ByteClass.lower(byte))
            #expect(Bytes.fold(byte) == (ByteClass.isWord(byte) ? ByteClass.lower(byte) : 0))
        }
    }

    /// Random maps (empty, inserted, deleted and replaced spans) and random spans, visited in and out of order.
    @Test(arguments: testSeeds(60))
    func spanMapperMapsAsOffsetMap(seed: UInt64) throws {
        var generator = SeededGenerator(seed: seed)
        func random(_ bound: Int) -> Int { Int(generator.next() % UInt64(max(bound, 1))) }
        var edits: [OffsetMap.Edit] = []
        var original = 0, layer = 0
        for _ in 0..<random(40) {
            let gap = 1 + random(6)
            original += gap
            layer += gap
            let removed = random(4), added = random(4)
            edits.append(OffsetMap.Edit(originalRange: original..<(original + removed), layerRange: layer..<(layer + added)))
            original += removed
            layer += added
        }
        let tail = random(5)
        let map = try OffsetMap(edits: edits, originalLength: original + tail, layerLength: layer + tail)
        for towardsLayer in [true, false] {
            var mapper = SpanMapper(map, towardsLayer: towardsLayer)
            let length = towardsLayer ? map.originalLength : map.layerLength
            var spans: [Range<Int>] = []
            for _ in 0..<200 {
                let lower = random(length + 1)
                spans.append(lower..<(lower + random(length - lower + 1)))
            }
            for span in spans + spans.sorted(by: { $0.lowerBound < $1.lowerBound }) {
                let expected = towardsLayer ? map.toLayer(span) : map.toOriginal(span)
                #expect(mapper.map(span) == expected, "seed \(seed), \(span)")
            }
        }
    }
}

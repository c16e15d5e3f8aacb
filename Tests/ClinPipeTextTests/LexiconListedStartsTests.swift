import ClinPipeTestSupport
@testable import ClinPipeText
import Testing

/// A scan that lists another matcher's starts finds its own matches as `forEachMatch` does, and the other matcher's
/// scans of ranges from the listed starts find what its plain scans of those ranges find: ranges that start or end
/// inside words, at the text's ends, empty ones, over ASCII and non-ASCII text, in both case modes.
@Suite struct LexiconListedStartsTests {
    static func plainMatches(_ matcher: LexiconMatcher, _ text: UnsafeBufferPointer<UInt8>) -> [[Int]] {
        var result: [[Int]] = []
        matcher.forEachMatch(in: text) { range, group in result.append([range.lowerBound, range.upperBound, group]) }
        return result
    }

    /// Checks both scans over `text`, with ranges cut at `cuts` (ascending offsets of `text`; each pair of neighbours
    /// one range, and every other pair skipped too).
    static func check(first: LexiconMatcher, second: LexiconMatcher, text: [UInt8], cuts: [Int], _ label: String) {
        text.withUnsafeBufferPointer { buffer in
            var listed: [Int] = []
            var own: [[Int]] = []
            first.forEachMatch(in: buffer, listingStartsFor: second, into: &listed) { range, group in
                own.append([range.lowerBound, range.upperBound, group])
            }
            #expect(own == plainMatches(first, buffer), "\(label): the listing scan's own matches")
            #expect(listed == listed.sorted() && Set(listed).count == listed.count, "\(label): listed starts ascending")
            for step in [1, 2] {
                var ranges: [Range<Int>] = []
                var index = 0
                while index + 1 < cuts.count {
                    ranges.append(cuts[index]..<cuts[index + 1])
                    index += step
                }
                var cursor = 0
                for range in ranges {
                    var fast: [[Int]] = []
                    second.forEachMatch(in: buffer, range: range, listedStarts: listed, cursor: &cursor) { found, group in
                        fast.append([found.lowerBound, found.upperBound, group])
                    }
                    let plain = plainMatches(second, UnsafeBufferPointer(rebasing: buffer[range]))
                    #expect(fast == plain, "\(label): range \(range) of \(text.count) bytes")
                }
            }
        }
    }

    @Test("random lexicons, text and ranges", arguments: testSeeds(12))
    func random(seed: UInt64) {
        var generator = SeededGenerator(seed: seed)
        let vocabulary = (0..<120).map { _ in LexiconMatcherTests.randomWord(using: &generator) }
        // Terms that start with a word byte (the scans share only then, `canListStarts`), with punctuation inside.
        func terms(_ count: Int) -> [String] {
            (0..<count).map { _ in
                (0..<Int.random(in: 1...3, using: &generator)).map { _ in vocabulary.randomElement(using: &generator)! }
                    .joined(separator: [" ", "  ", "-", "/", " (", "'s "].randomElement(using: &generator)!)
            }.filter { ByteClass.isWord($0.utf8.first!) }
        }
        let firstTerms = terms(300), secondTerms = terms(600)
        var text = ""
        for _ in 0..<1_500 {
            let word = Int.random(in: 0..<4, using: &generator) == 0 ? LexiconMatcherTests.randomWord(using: &generator)
                : vocabulary.randomElement(using: &generator)!
            text += LexiconMatcherTests.randomCase(word, using: &generator)
            text += [" ", " ", "\n", ", ", ". ", "-", "(", "é", ""].randomElement(using: &generator)!
        }
        let bytes = Array(text.utf8)
        // Cuts anywhere (inside words and characters too, as a range never is in the stage, but the scans must not
        // care), always with the text's ends.
        var cuts = Set([0, bytes.count])
        for _ in 0..<120 { cuts.insert(Int.random(in: 0...bytes.count, using: &generator)) }
        let sortedCuts = cuts.sorted()
        for caseSensitive in [false, true] {
            let first = LexiconMatcher(terms: firstTerms, caseSensitive: caseSensitive)
            let second = LexiconMatcher(terms: secondTerms, caseSensitive: caseSensitive)
            #expect(first.canListStarts(for: second))
            Self.check(first: first, second: second, text: bytes, cuts: sortedCuts, "seed \(seed), case-sensitive \(caseSensitive)")
            // The roles swapped, and a matcher listing for itself.
            Self.check(first: second, second: first, text: bytes, cuts: sortedCuts, "seed \(seed) swapped")
            Self.check(first: first, second: first, text: bytes, cuts: sortedCuts, "seed \(seed) itself")
        }
    }

    @Test func edges() {
        let first = LexiconMatcher(terms: ["pain", "no pain"])
        let second = LexiconMatcher(terms: ["no", "no evidence of", "denies", "é", "x"])
        for text in ["", "no", "x", "é", "no evidence of", "No evidence of pain", "noé", "éno", "a no b", "no\nevidence\nof"] {
            let bytes = Array(text.utf8)
            Self.check(first: first, second: second, text: bytes, cuts: Array(Set([0, bytes.count / 2, bytes.count])).sorted(), text)
            Self.check(first: first, second: second, text: bytes, cuts: Array(0...bytes.count), text)
        }
    }

    @Test func matchersThatCannotShare() {
        let folding = LexiconMatcher(terms: ["no"])
        #expect(!folding.canListStarts(for: LexiconMatcher(terms: ["no"], caseSensitive: true)))
        #expect(!folding.canListStarts(for: LexiconMatcher(terms: ["(no"])))
        #expect(!LexiconMatcher(terms: [",no"]).canListStarts(for: folding))
    }
}

import ClinPipeTestSupport
import ClinPipeText
@testable import ContextStage
import Testing

/// `StartCandidateFilter` never turns away a position where the anchored pattern matches (it only spares PCRE2 the
/// positions where it cannot), and the readings of the pattern it is built from keep to what they understand.
@Suite struct StartCandidateFilterTests {
    /// Words around the built-in patterns' starts, lookbehinds and lookaheads, with near misses and non-ASCII
    /// characters that caseless UTF matching equates with ASCII letters (long s, Kelvin sign).
    static let words = ContextSpeedupTests.patternWords + [
        "response", "responses", "reaction", "reactions", "Response to", "REACTION TO", "relief", "benefit", "results", "this",
        "further", "and", "so", "they", "we", "i", "his", "previous", "recent", "No", "no.", "#3", "rea\u{17F}ponse", "\u{212A}",
        "responseto", "response_", "x response",
    ]
    static let separators = ContextSpeedupTests.patternSeparators + [",", ",\n", ", ", "\u{A0}", "\r\n"]

    /// The built-in patterns and a few more with lookbehinds and trailing lookaheads.
    static let patterns = ContextSpeedupTests.patterns + [
        "\\b(?:to(?<=response to|x\\w)|from)\\b", "\\bno(?=\\s*,|\\d)", ",(?=\\s*[a-c])", "\\b(?:so(?<=also)|and)",
    ]

    @Test(arguments: testSeeds(30))
    func neverRejectsWhereTheAnchoredPatternMatches(seed: UInt64) throws {
        var generator = SeededGenerator(seed: seed)
        var text = ""
        for _ in 0..<200 {
            text += Self.words[Int(generator.next() % UInt64(Self.words.count))]
            text += Self.separators[Int(generator.next() % UInt64(Self.separators.count))]
        }
        // Slices too: lookbehinds see nothing before the subject, lookaheads nothing after it.
        let bytes = Array(text.utf8)
        let cut = bytes.count / 3
        for pattern in Self.patterns {
            guard let start = PatternStart(pattern: pattern) else { continue }
            let filter = StartCandidateFilter(pattern: pattern, start: start)
            let anchored = try PCRE2Pattern("\\G(?:" + pattern + ")", options: [.caseless])
            for subject in [bytes, Array(bytes[cut...]), Array(bytes[..<cut]), []] {
                try subject.withUnsafeBufferPointer { buffer in
                    var rejected = 0, matched = 0
                    for position in 0..<buffer.count where buffer[position] & 0xC0 != 0x80 {
                        let found = try anchored.firstMatchRange(in: buffer, from: position)
                        let matches = found?.lowerBound == position
                        let admitted = filter.admits(buffer, at: position)
                        #expect(admitted || !matches, "seed \(seed), \(pattern) at \(position)")
                        // Exact where it answers "no" and PCRE2 agrees; count both to see the filter at work.
                        if !admitted && start.mayStart(buffer.baseAddress!, count: buffer.count, at: position) { rejected += 1 }
                        if matches { matched += 1 }
                    }
                    // Where `mayStart` alone lets many positions through, the filter turns some away.
                    if subject.count == bytes.count && [",", "\\bno", "\\bwith", "\\b(?:from"].contains(where: pattern.hasPrefix) {
                        #expect(rejected > 0, "seed \(seed), \(pattern) turns nothing away (\(matched) matches)")
                    }
                }
            }
        }
    }

    @Test func lookbehindsAfterPrefixesAreRead() {
        #expect(PatternStart(pattern: "\\b(?:from(?<=relief from|help from)|to(?<=response to))\\b")?.lookbehinds
            == ["relief from|help from", "response to"])
        #expect(PatternStart(pattern: "\\b(?:from(?<=a)x|to)\\b")?.lookbehinds == [nil, nil])
        #expect(PatternStart(pattern: "\\b(?:tos?(?<=a)|to(?<!b))")?.lookbehinds == [nil, nil])
        #expect(PatternStart(pattern: "\\bto(?<=a)")?.lookbehinds == [nil])
        #expect(PatternStart(pattern: ",(?<=a)")?.lookbehinds == [nil])
    }

    @Test func trailingLookaheadsAreReadAsGroups() {
        #expect(PatternStart.trailingLookaheadAsGroup("\\bwith(?=\\s+the)") == "\\bwith(?:\\s+the)")
        #expect(PatternStart.trailingLookaheadAsGroup(",(?:\\s+and)?(?=\\s+(?:the|it)\\b)") == ",(?:\\s+and)?(?:\\s+(?:the|it)\\b)")
        #expect(PatternStart.trailingLookaheadAsGroup("\\bno(?=[)(])") == "\\bno(?:[)(])")
        // Not a trailing lookahead at the top level: left as it is.
        for source in ["\\bno(?=a)b", "\\bno(?:a(?=b))", "\\bno(?=a)?", "\\bno\\(?=a\\)", "\\bno[(?=a)]", "(?=a)|b", "\\bno(?<=a)",
                       "\\bno(?!a)", "", ")", "\\bno(?=a"] {
            #expect(PatternStart.trailingLookaheadAsGroup(source) == source, "\(source)")
        }
    }
}

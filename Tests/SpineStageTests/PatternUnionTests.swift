import ClinPipeCore
import ClinPipeTestSupport
import ClinPipeText
@testable import SpineStage
import Testing

/// `PatternUnion` answers "does any cue match here" in one call; these tests compare it with asking every cue, on
/// the built-in head cues, over windows of the seed letters and of random level-dense text.
@Suite struct PatternUnionTests {
    static func builtInGroups() throws -> [(String, [PCRE2Pattern])] {
        var rules = SpineRules()
        try rules.load(.cues, name: "cues.tsv", text: EmbeddedRules.text("cues.tsv"))
        return [("all heads", rules.heads.map(\.pattern)),
                ("heads after pairs", rules.heads.filter { $0.applies == .any }.map(\.pattern))]
    }

    static func expectSame(_ text: String, _ label: String) throws {
        for (name, members) in try builtInGroups() {
            let union = try #require(PatternUnion(members), "\(name)")
            try text.withUTF8Bytes { bytes in
                let window = ContextWindow(bytes: bytes)
                // Windows starting and ending on every character boundary of a stride, 64 bytes long at most.
                var start = 0
                while start < bytes.count {
                    for length in [0, 1, 8, 40, 64] {
                        let range = start..<window.alignBackward(min(bytes.count, start + length))
                        guard range.lowerBound <= range.upperBound else { continue }
                        let expected = try members.contains { try window.matches($0, in: range) }
                        #expect(try union.matches(in: window, range) == expected, "\(label) \(name) at \(range)")
                    }
                    start = window.alignForward(start + 7)
                }
            }
        }
    }

    @Test func seedLetters() throws {
        for (name, text) in try TestPaths.seedTexts() { try Self.expectSame(text, name) }
    }

    @Test func randomText() throws {
        let pieces = ["L5 ", "dermatome", "left ", "right-sided ", " bilaterally", "radiculopathy", " on the left",
                      "S1 nerve root", "decreased sensation at ", "motor ", "b/l ", ", ", ". ", "é", "\n", "disc ",
                      "  ", "distribution", "myotome", "reflex 2+/4", "both sides", "more left", "x"]
        for seed in testSeeds(100) {
            var generator = SeededGenerator(seed: seed)
            var text = ""
            for _ in 0..<60 { text += pieces[Int(generator.next() % UInt64(pieces.count))] }
            try Self.expectSame(text, "seed \(seed)")
        }
    }

    @Test func refusesMembersThatCouldSeeEachOther() throws {
        #expect(PatternUnion([try PCRE2Pattern("(a)\\1"), try PCRE2Pattern("b")]) == nil)
        #expect(PatternUnion([try PCRE2Pattern("a(*COMMIT)b"), try PCRE2Pattern("ac")]) == nil)
        #expect(PatternUnion([try PCRE2Pattern("a(?R)?"), try PCRE2Pattern("b")]) == nil)
        #expect(PatternUnion([try PCRE2Pattern("a", options: .caseless), try PCRE2Pattern("b")]) == nil)
        #expect(PatternUnion([]) == nil)
        #expect(PatternUnion([try PCRE2Pattern("a"), try PCRE2Pattern("b")]) != nil)
    }
}

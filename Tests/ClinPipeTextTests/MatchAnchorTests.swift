import ClinPipeCore
import ClinPipeTestSupport
import ClinPipeText
import Testing

@Suite("MatchAnchor")
struct MatchAnchorTests {
    @Test func parsesClassesAndLead() throws {
        let anchor = try MatchAnchor(parsing: " [1-9:] 12 ")
        #expect(anchor.lead == 12)
        #expect(anchor.bytes == Set(Array("123456789:".utf8)))
        #expect(anchor.description == "[123456789:] 12")
        #expect(try MatchAnchor(parsing: "[-a] 0").bytes == Set(Array("-a".utf8)))
        for bad in ["1-9 12", "[1-9]", "[^1-9] 3", "[] 3", "[9-1] 2", "[1-9] -1", "[1-9] x"] {
            #expect(throws: MatchAnchor.SyntaxError.self, "\(bad)") { try MatchAnchor(parsing: bad) }
        }
    }

    /// Patterns that keep their promise find exactly the matches of a full scan, on text where anchor bytes are
    /// dense, sparse, clustered, at the edges, and next to multi-byte characters.
    @Test(arguments: [
        (#"(?<![A-Za-z0-9])[CTLS]-?[1-9][0-9]?(?:\s*[-/]\s*[CTLS]?[1-9][0-9]?)*"#, "[1-9] 2"),
        (#"(?i:(?<![a-z])(?:lumbar|cervical)\s{1,3})[1-9]"#, "[1-9] 12"),
        (#"\b\d{1,2}/\d{1,2}/\d{2,4}\b"#, "[/] 2"),
        (#"(?i)\bno\s(?:tender\s)?trigger\b"#, "[Tt] 10"),
        (#"[0-9]+"#, "[0-9] 0"),
    ])
    func sameMatchesAsAFullScan(pattern: String, anchorText: String) throws {
        let anchor = try MatchAnchor(parsing: anchorText)
        let anchored = try PCRE2Pattern(pattern, anchor: anchor)
        let plain = try PCRE2Pattern(pattern)
        let pieces = ["L4-5 ", "L5-S1", " C-6 / 7 ", "lumbar  4", "CERVICAL 5", "12/03/2014", "1/2/15 ", "no ", "no tender ",
                      "trigger points ", "x", "9", "é", "脊椎", "\n", " ", "T12", "S1", "/", "0"]
        for seed in testSeeds(200) {
            var generator = SeededGenerator(seed: seed)
            var text = ""
            for _ in 0..<Int(generator.next() % 60) { text += pieces[Int(generator.next() % UInt64(pieces.count))] }
            let expected = try plain.allMatches(in: text)
            let found = try anchored.allMatches(in: text)
            #expect(found == expected, "seed \(seed): \(pattern)")
            // From an offset inside the text as well.
            let start = text.utf8.count / 2
            let tail = try text.withUTF8Bytes { bytes -> ([Range<Int>], [Range<Int>]) in
                var a: [Range<Int>] = [], b: [Range<Int>] = []
                try plain.forEachMatch(in: bytes, from: start) { a.append($0.range); return true }
                try anchored.forEachMatch(in: bytes, from: start) { b.append($0.range); return true }
                return (a, b)
            }
            #expect(tail.0 == tail.1, "seed \(seed) from \(start): \(pattern)")
        }
    }

    /// The anchor is a promise, not a check: a lead shorter than the pattern needs loses matches, which is why
    /// stages test their declared anchors.
    @Test func aBrokenPromiseLosesMatches() throws {
        let anchored = try PCRE2Pattern(#"lumbar\s+[1-9]"#, anchor: MatchAnchor(parsing: "[1-9] 2"))
        #expect(try anchored.allMatches(in: "lumbar 4").isEmpty)
        let kept = try PCRE2Pattern(#"lumbar\s+[1-9]"#, anchor: MatchAnchor(parsing: "[1-9] 7"))
        #expect(try kept.allMatches(in: "lumbar 4 and lumbar 5").count == 2)
    }

    /// Other patterns may run inside the callback on the same thread (their offset limit is not left set).
    @Test func nestedMatchingInTheCallback() throws {
        let anchored = try PCRE2Pattern(#"L[1-5]"#, anchor: MatchAnchor(parsing: "[1-5] 1"))
        let inner = try PCRE2Pattern(#"pain"#)
        let text = "L4 pain, L5 pain, no pain"
        var innerCounts: [Int] = []
        try text.withUTF8Bytes { bytes in
            try anchored.forEachMatch(in: bytes) { _ in
                var count = 0
                try inner.forEachMatch(in: bytes) { _ in count += 1; return true }
                innerCounts.append(count)
                return true
            }
        }
        #expect(innerCounts == [3, 3])
        #expect(try inner.allMatches(in: text).count == 3)
    }
}

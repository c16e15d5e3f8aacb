import ClinPipeCore
import ClinPipeText

/// Checks that a faster search (`PrefilteredPattern`) finds exactly the matches and groups of the plain PCRE2
/// search, from many start offsets, on texts built to probe it.
public enum PatternEquivalence {
    static let pieces = [
        "HPI:", "MEDICATIONS:", ", ", ",", ".,", "GENERAL:", " ", "\t", "\n", "\r\n", ": Upheld", ":Overturned \n", "A", "AB",
        "ab", "x", "k", "K", "\u{212A}", "s", "\u{017F}", "é", "É", "12:30", ":", "::", "Ab Cd: ", ". NECK: ", "(s)",
        "State(s) of Licensure: Texas", "Board Certified in Surgery.", "licensed to practice in Ohio.", "\u{2028}", "\u{85}",
        "y:", "xy:", "b:", "UPHELD", "\u{000C}", "\r", "Page 3 of 12", "- 4 -", "was the original request.",
        "1. ", "a) ", "• ", "set forth below:", "Decision rationale:", "MAXIMUS guideline: ",
    ]

    /// Short texts from `pieces` and random Unicode text, from a fixed seed.
    public static func texts(extra: [String] = []) -> [String] {
        var generator = SeededGenerator(seed: 7)
        var texts = ["", ":", "A:", "\n", "HPI: x", ",A:,B:,", "K:k:\u{212A}:"] + extra
        for _ in 0..<300 {
            var text = ""
            for _ in 0..<Int(generator.next() % 40) { text += pieces[Int(generator.next() % UInt64(pieces.count))] }
            texts.append(text)
        }
        for _ in 0..<100 { texts.append(RandomText.make(pieceCount: 30, using: &generator)) }
        return texts
    }

    private static func all(_ search: (UnsafeBufferPointer<UInt8>, Int, (PCRE2Match) throws -> Bool) throws -> Void,
                            _ bytes: UnsafeBufferPointer<UInt8>, from start: Int, groups: Int) throws -> [[Range<Int>?]] {
        var found: [[Range<Int>?]] = []
        try search(bytes, start) { match in
            found.append((0...groups).map { match.range($0) })
            return found.count < 50
        }
        return found
    }

    /// Where `PrefilteredPattern(plain)` and `plain` disagree (at most one entry per text), empty when they agree.
    public static func mismatches(_ plain: PCRE2Pattern, texts: [String]) throws -> [String] {
        let filtered = PrefilteredPattern(plain)
        var problems: [String] = []
        for text in texts {
            try text.withUTF8Bytes { bytes in
                for start in RandomText.scalarBoundaries(text) where start % 3 == 0 || start == bytes.count {
                    let expected = try all({ try plain.forEachMatch(in: $0, from: $1, $2) }, bytes, from: start, groups: plain.captureCount)
                    let actual = try all({ try filtered.forEachMatch(in: $0, from: $1, $2) }, bytes, from: start, groups: plain.captureCount)
                    if actual != expected {
                        problems.append("\(plain.pattern) on \(text.debugDescription) from \(start)")
                        return
                    }
                }
            }
        }
        return problems
    }
}

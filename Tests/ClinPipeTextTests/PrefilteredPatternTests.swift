import ClinPipeCore
import ClinPipeTestSupport
import ClinPipeText
import Testing

/// `PrefilteredPattern` must find exactly the matches (and groups) of the plain PCRE2 search, from any start
/// offset, for patterns chosen to probe the analysis (the stages test their built-in rules the same way).
@Suite struct PrefilteredPatternTests {
    static let probes: [(String, PCRE2Pattern.Options)] = [
        ("(?:^|,)[ \\t]*(?<t>[A-Z]+):", []), ("^A:", []), ("(?m)^A:", []), ("(?m)^[^\\n]*:", [.caseless]),
        ("k:", [.caseless]), ("s:", [.caseless]), ("K:", []), ("x*:?", []), (":?", []), ("(?=:)", []), ("$", []),
        ("(?m)$", []), ("(?m)^$", []), ("[A-Z ]*$", []), ("(?m)^[A-Z ]+$", []), ("(?<=\\n)[A-Z]+:", []),
        ("(?<![a-z])[A-Z]+:", []), ("\\d+:", []), ("(?s).:", []), ("[^:]*:", []), ("\\bAB:", []), ("a|b:", []),
        ("(?:a|)b:", []), ("(?:(?=x)|,)y:", []), ("(?i)upheld", []), ("(?i:u)pheld\\s*$", []), ("\\S+\\s*,", []),
        ("é:", []), ("É:", [.caseless]), ("[é-ü]:", []), ("(?:ab)*:", []), ("(?<x>A)(?<y>B)?:", []),
        (",[ \\t]*+[A-Z]{1,3}?,", []), ("\\A[ ]*[A-Z]", []), ("[\\s\\S]{0,3}:", []), ("(?m)^[ \\t]*(?<item>[^\\n]*?\\S)[ \\t]*:[ \\t]*(?<o>Upheld|Overturned)[ \\t]*$", [.caseless]),
        ("\\u", []), ("(*UTF)a:", []), ("(a)\\1:", []), ("a\\Kb:", []),
    ]

    @Test func probesAreExact() throws {
        let texts = PatternEquivalence.texts()
        for (source, options) in Self.probes {
            guard let pattern = try? PCRE2Pattern(source, options: options) else { continue }
            let problems = try PatternEquivalence.mismatches(pattern, texts: texts)
            #expect(problems.isEmpty, "\(problems.prefix(3))")
        }
    }

    /// With `PrefilterKeys` shared by every probe searched over one text (in turn, from several offsets), each probe
    /// still finds the plain search's matches.
    @Test func sharedKeyPositionsAreExact() throws {
        let patterns = Self.probes.compactMap { try? PCRE2Pattern($0.0, options: $0.1) }
        let filtered = patterns.map { PrefilteredPattern($0) }
        for text in PatternEquivalence.texts() {
            try text.withUTF8Bytes { bytes in
                var keys = PrefilterKeys(in: bytes)
                for start in RandomText.scalarBoundaries(text) where start % 5 == 0 || start == bytes.count {
                    for (plain, fast) in zip(patterns, filtered) {
                        var expected: [[Range<Int>?]] = [], actual: [[Range<Int>?]] = []
                        try plain.forEachMatch(in: bytes, from: start) { match in
                            expected.append((0...plain.captureCount).map { match.range($0) })
                            return expected.count < 50
                        }
                        try fast.forEachMatch(in: bytes, from: start, keys: &keys) { match in
                            actual.append((0...plain.captureCount).map { match.range($0) })
                            return actual.count < 50
                        }
                        #expect(actual == expected, "\(plain.pattern) on \(text.debugDescription) from \(start)")
                    }
                }
            }
        }
    }

    @Test func unknownSyntaxIsSearchedPlainly() throws {
        for source in ["(a)\\1:", "a\\Kb:", "(*UTF)a:", "\\p{L}:", "(?x) a :", "(?>a):", "a|b"] {
            #expect(!PrefilteredPattern(try PCRE2Pattern(source)).isPrefiltered, "\(source)")
        }
    }
}

import ClinPipeCore
import ClinPipeTestSupport
import ClinPipeText
@testable import SpineStage
import Testing

/// `WindowPrefilter` (leading bytes, needles) skips PCRE2 on windows where a pattern cannot match; these tests hold
/// it to that on every built-in window pattern (cues, not-a-level contexts, side cues): wherever the pattern matches
/// in a window, the prefilter must let the window through. Windows of every length up to 80 bytes start on every
/// character boundary of level-dense text built from the patterns' own words, random text, the seed letters, text
/// with non-ASCII look-alikes (LONG S, KELVIN SIGN) and empty text.
@Suite struct WindowPrefilterTests {
    static func builtInPatterns() throws -> [(String, PCRE2Pattern, WindowPrefilter)] {
        var rules = SpineRules()
        for kind in [SpineRules.FileKind.cues, .notLevels, .sides] {
            try rules.load(kind, name: kind.builtInName, text: EmbeddedRules.text(kind.builtInName))
        }
        return rules.heads.map { ($0.source, $0.pattern, $0.prefilter) } + rules.befores.map { ($0.source, $0.pattern, $0.prefilter) }
            + rules.notLevels.map { ($0.source, $0.pattern, $0.prefilter) } + rules.sides.map { ($0.source, $0.pattern, $0.prefilter) }
    }

    static func expectSafe(_ text: String, _ label: String, lengths: [Int] = [1, 2, 3, 5, 6, 12, 20, 24, 30, 40, 60, 64, 80]) throws {
        let patterns = try builtInPatterns()
        try text.withUTF8Bytes { bytes throws in
            let window = ContextWindow(bytes: bytes)
            var start = 0
            while start <= bytes.count {
                for length in lengths {
                    let range = start..<max(start, window.alignBackward(min(bytes.count, start + length)))
                    for (source, pattern, prefilter) in patterns where !prefilter.mayMatch(bytes, in: range) {
                        let matched = try window.matches(pattern, in: range)
                        #expect(!matched, "\(label): \(source) matches in \(range)")
                    }
                }
                if start == bytes.count { break }
                start = window.alignForward(start + 1)
            }
        }
    }

    /// Words and pieces of the built-in patterns, white space and punctuation.
    static let pieces = [
        "left", "right", "Left", "RIGHT", "-sided", " sided", "bilateral", "bilaterally", "both sides", "b/l", "B/L",
        " and ", " or ", "on the ", "more ", "greater on the ", "L5", "S1", "T2", "C4", "T3", "dermatome", "dermatomal",
        "sensory", "distribution", "motor", "myotome", "nerve root", "root", "radiculopathy", "radicular pain", "reflex",
        "2+/4", "+1/4", "impingement", "disc", "vertebra", "level", "fracture", "end plate", "spine", "sensation",
        "numbness", "weakness", "strength", "tingling", "pin prick", "PP", "light touch", "heart", "murmur", "S1 and S2",
        "RRR", "weighted", "-weighted", "w ", "axial", "FLAIR", "signal", "brain", "stage", "TNM", " N1", "N0", "carcinoma",
        "thyroid", "free ", "TSH", ": 1.2", "= 3.4", "is 2.5", "tylenol", "mg", "complement", "C1q", "EEG", "Fp1", "-Fp2",
        "-O1", "Cz", "carbon", "methyl", "model ", "type", "no.", "#", "number", "lot", "serial", "catalog", "item",
        ") ", ". ", "times", "x 3", "sessions", "days", "wks", "per week", "%", "/10", "out of 10", "mcg", " cc",
        " ", "  ", "\t", "\n", "\r\n", ", ", "; ", ": ", "(", ")", ".", "é", "ſ", "\u{212A}", "ſide", "\u{212A}s", "x", "z",
        "1", "12/03/2020", "at ", "of ", "in ", "the ", "with ", "then ", "but ",
    ]

    @Test func levelDenseText() throws {
        for seed in testSeeds(60) {
            var generator = SeededGenerator(seed: seed)
            var text = ""
            for _ in 0..<50 { text += Self.pieces[Int(generator.next() % UInt64(Self.pieces.count))] }
            try Self.expectSafe(text, "seed \(seed)")
        }
    }

    @Test func randomText() throws {
        for seed in testSeeds(20) {
            var generator = SeededGenerator(seed: seed)
            try Self.expectSafe(RandomText.make(&generator, pieces: 60), "random seed \(seed)")
        }
    }

    @Test func seedLetters() throws {
        for (name, text) in try TestPaths.seedTexts().prefix(3) { try Self.expectSafe(text, name, lengths: [6, 20, 40, 64, 80]) }
    }

    @Test func edgeCases() throws {
        for text in ["", "l", "left", "LEFT", " right", "ſide", "bilateral", "b/l", "\u{212A}", "é", " \t\n", "-", "\u{2013}x"] {
            try Self.expectSafe(text, "'\(text)'")
        }
    }

    /// The prefilters read the built-in patterns they are meant for (a shipped pattern they stop reading would only
    /// be slower, never wrong: this test says so).
    @Test func readsTheBuiltInPatterns() throws {
        for (source, _, prefilter) in try Self.builtInPatterns() {
            #expect(prefilter.filters, "\(source) is not prefiltered")
        }
    }

    @Test func needlesOfSimplePatterns() throws {
        func needles(_ source: String) throws -> [String]? {
            NeedleFilter(pattern: try PCRE2Pattern(source, options: .caseless)).map { $0.needles.map { String(decoding: $0, as: UTF8.self) } }
        }
        #expect(try needles(#"\b(?:heart|cardio\w*|rubs?|S1\s*(?:and|,)\s*S2)\b"#) == ["heart", "cardio", "rub", "s1"])
        #expect(try needles(#"\bleft(?:[- ]sided)?\b(?:\s+[a-z]+){0,3}\s*$"#) == ["left"])
        #expect(try needles(#"^[^.;,]{0,20}\bright[- ]sided\b"#) == ["right"])
        #expect(try needles(#"(?:a|b)?c"#) == ["c"])
        #expect(try needles(#"x?y*"#) == nil)
        #expect(try needles(#"a|b"#) == nil)
        #expect(try needles(#"(a)\1"#) == nil)
        #expect(try needles(#"\Qab\E"#) == nil)
        #expect(try needles(#"(?=abc)d"#) == ["d"])
        #expect(try needles(#"ab{2}c"#) == ["ab"])
        #expect(try needles(#"mg/dl"#) == ["mg/dl"])
    }

    @Test func leadingBytesOfSimplePatterns() throws {
        #expect(LeadingByteFilter(pattern: try PCRE2Pattern(#"^\s*a|b"#)) == nil)
        #expect(LeadingByteFilter(pattern: try PCRE2Pattern(#"^\s*(?:a|b)"#)) != nil)
        #expect(LeadingByteFilter(pattern: try PCRE2Pattern(#"^\s*a"#, options: .multiline)) == nil)
        // A lazy `\s*?` is read as part of the rest (whose start set then holds white space).
        #expect(LeadingByteFilter(pattern: try PCRE2Pattern(#"^\s*?a"#))?.skipsSpace == false)
        #expect(LeadingByteFilter(pattern: try PCRE2Pattern(#"\s*a"#)) == nil)
        #expect(LeadingByteFilter.hasNoTopLevelAlternation(#"[|](a|b)\|c"#))
        #expect(!LeadingByteFilter.hasNoTopLevelAlternation(#"[]|]a|b"#))
    }
}

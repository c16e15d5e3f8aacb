import ClinPipeCore
import ClinPipeTestSupport
import ClinPipeText
import Testing

@testable import SectionsStage

/// `PrefilteredPattern` must find exactly the matches (and groups) of the plain PCRE2 search, from any start
/// offset, for the stage's built-in rules and for patterns chosen to probe the analysis.
@Suite struct PrefilteredPatternTests {
    static func builtInPatterns() throws -> [PCRE2Pattern] {
        let environment = StageEnvironment(stageName: "sections")
        let shapes = try RuleSources.tables(builtIn: "heading-shapes.tsv", extra: [], required: HeadingFinder.columns, environment: environment)
        let headings = try HeadingTable(tables: RuleSources.tables(builtIn: "headings.tsv", extra: [], required: HeadingTable.columns,
                                                                    environment: environment))
        let finder = try HeadingFinder(tables: shapes, headingTable: headings)
        let items = try ItemRules(tables: RuleSources.tables(builtIn: "imr-items.tsv", extra: [], required: ItemRules.columns,
                                                             environment: environment))
        let credentials = try ReviewerCredentials(tables: RuleSources.tables(
            builtIn: "reviewer-credentials.tsv", extra: [], required: ReviewerCredentials.columns, environment: environment))
        return finder.shapes.map(\.pattern.pattern) + finder.exclusions.map(\.pattern) + [items.decision.pattern]
            + credentials.rules.map(\.pattern.pattern)
    }

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

    static let pieces = [
        "HPI:", "MEDICATIONS:", ", ", ",", ".,", "GENERAL:", " ", "\t", "\n", "\r\n", ": Upheld", ":Overturned \n", "A", "AB",
        "ab", "x", "k", "K", "\u{212A}", "s", "\u{017F}", "é", "É", "12:30", ":", "::", "Ab Cd: ", ". NECK: ", "(s)",
        "State(s) of Licensure: Texas", "Board Certified in Surgery.", "licensed to practice in Ohio.", "\u{2028}", "\u{85}",
        "y:", "xy:", "b:", "UPHELD", "\u{000C}", "\r",
    ]

    static func texts() -> [String] {
        var generator = SeededGenerator(seed: 7)
        var texts = ["", ":", "A:", "\n", "HPI: x", ",A:,B:,", "K:k:\u{212A}:"]
        for _ in 0..<300 {
            var text = ""
            for _ in 0..<Int(generator.next() % 40) { text += pieces[Int(generator.next() % UInt64(pieces.count))] }
            texts.append(text)
        }
        for _ in 0..<100 { texts.append(RandomText.make(pieceCount: 30, using: &generator)) }
        return texts
    }

    static func all(_ search: (UnsafeBufferPointer<UInt8>, Int, (PCRE2Match) throws -> Bool) throws -> Void,
                    _ bytes: UnsafeBufferPointer<UInt8>, from start: Int, groups: Int) throws -> [[Range<Int>?]] {
        var found: [[Range<Int>?]] = []
        try search(bytes, start) { match in
            found.append((0...groups).map { match.range($0) })
            return found.count < 50
        }
        return found
    }

    static func compare(_ plain: PCRE2Pattern, texts: [String]) throws {
        let filtered = PrefilteredPattern(plain)
        for text in texts {
            try text.withUTF8Bytes { bytes in
                for start in RandomText.scalarBoundaries(text) where start % 3 == 0 || start == bytes.count {
                    let expected = try all({ try plain.forEachMatch(in: $0, from: $1, $2) }, bytes, from: start, groups: plain.captureCount)
                    let actual = try all({ try filtered.forEachMatch(in: $0, from: $1, $2) }, bytes, from: start, groups: plain.captureCount)
                    #expect(actual == expected, "\(plain.pattern) on \(text.debugDescription) from \(start)")
                    if actual != expected { return }
                }
            }
        }
    }

    @Test func builtInRulesAreFilteredAndExact() throws {
        let texts = Self.texts()
        for pattern in try Self.builtInPatterns() {
            #expect(PrefilteredPattern(pattern).isPrefiltered, "\(pattern.pattern) is searched the plain way")
            try Self.compare(pattern, texts: texts)
        }
    }

    @Test func probesAreExact() throws {
        let texts = Self.texts()
        for (source, options) in Self.probes {
            guard let pattern = try? PCRE2Pattern(source, options: options) else { continue }
            try Self.compare(pattern, texts: texts)
        }
    }

    @Test func unknownSyntaxIsSearchedPlainly() throws {
        for source in ["(a)\\1:", "a\\Kb:", "(*UTF)a:", "\\p{L}:", "(?x) a :", "(?>a):", "a|b"] {
            #expect(!PrefilteredPattern(try PCRE2Pattern(source)).isPrefiltered, "\(source)")
        }
    }
}

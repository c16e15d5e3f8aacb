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

    @Test func unknownSyntaxIsSearchedPlainly() throws {
        for source in ["(a)\\1:", "a\\Kb:", "(*UTF)a:", "\\p{L}:", "(?x) a :", "(?>a):", "a|b"] {
            #expect(!PrefilteredPattern(try PCRE2Pattern(source)).isPrefiltered, "\(source)")
        }
    }
}

import ClinPipeCore
import ClinPipeTestSupport
import ClinPipeText
import Testing

/// `StartByteSet` may only rule out positions where no match starts: every anchored match found by PCRE2 must
/// start with a byte in the set.
@Suite struct StartByteSetTests {
    static let probes: [(String, PCRE2Pattern.Options)] = [
        ("k:", [.caseless]), ("s", [.caseless]), ("K:", []), ("é:", []), ("É", [.caseless]), ("[é-ü]:", []),
        ("\\s*,\\s*(?:CA|Calif\\.?)\\b", [.caseless]), ("\\s*,?\\s*(?-i:[A-Z]{2})\\s+\\d{5}\\b", [.caseless]),
        ("(?:tablets?|tabs?|tab\\.)", [.caseless]), ("(?:#|No\\.\\s*|qty\\.?:?\\s*)(?<value>\\d+)", [.caseless]),
        ("(?<=a)b", []), ("\\bAB:", []), ("(?:a|)b:", []), ("(?=x)[a-z]", []), ("\\d+(?:\\.\\d+)?\\s*mg", []),
        ("(?:[ \\t,:()\\[\\]/+-]|\\r?\\n(?![ \\t]*\\r?\\n)|\\b(?:take|use)\\b)+", [.caseless]), ("[^a]x", []),
        ("(?i:u)pheld", []), ("\\S+\\s*,", []), ("(?s).:", []),
    ]

    @Test func neverRulesOutAMatch() throws {
        let texts = PatternEquivalence.texts(extra: ["Norco, CA 92860", "Norco 10/325 mg #60", "tab. take 1 TABS",
                                                     "Ab ab AB: kK\u{212A}: ſs S", "É é É: ü:", "\ta  b ,x"])
        var ruledOut = 0
        for (source, options) in Self.probes {
            let anchored = try PCRE2Pattern("\\G(?:" + source + ")", options: options)
            guard let set = StartByteSet(pattern: source, options: options) else { continue }
            for text in texts {
                try text.withUTF8Bytes { bytes in
                    for start in RandomText.scalarBoundaries(text) where start < bytes.count {
                        let match = try anchored.firstMatchRange(in: bytes, from: start)
                        if set.contains(bytes[start]) { continue }
                        ruledOut += 1
                        #expect(match == nil, "\(source) matches at \(start) of \(text.debugDescription) but its set lacks \(bytes[start])")
                    }
                }
            }
        }
        #expect(ruledOut > 10_000, "the sets should rule out most positions")
    }

    @Test func setsWhereThePatternPinsTheFirstByte() throws {
        let comma = try #require(StartByteSet(pattern: ",x"))
        #expect(comma.members == [UInt8(ascii: ",")])
        let caseless = try #require(StartByteSet(pattern: "k:", options: [.caseless]))
        #expect(caseless.contains(UInt8(ascii: "k")) && caseless.contains(UInt8(ascii: "K")))
        #expect(caseless.contains(0xE2), "the Kelvin sign's lead byte")
        #expect(!caseless.contains(UInt8(ascii: "x")) && !caseless.contains(UInt8(ascii: " ")))
        let digits = try #require(StartByteSet(pattern: "\\d+mg"))
        #expect(digits.members == Array(UInt8(ascii: "0")...UInt8(ascii: "9")))
    }

    @Test func noSetWhenAnyPositionCanMatch() {
        #expect(StartByteSet(pattern: "x*") == nil, "matches the empty string")
        #expect(StartByteSet(pattern: "(?m)^A") == nil, "starts at a line start")
        #expect(StartByteSet(pattern: "(") == nil, "does not compile")
    }
}

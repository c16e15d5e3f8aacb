import ClinPipeText
@testable import NormalizeStage
import Testing

@Suite struct PatternEdgesTests {
    func bytes(_ string: String) -> [UInt8] { Array(string.utf8) }

    @Test func builtInEndRulesNeedTheirLastByte() throws {
        let decision = try #require(PatternEdges.analyze("(?:(?i::\\s*(?:Upheld|Overturned)\\s*$))"))
        #expect(!decision.nullable)
        #expect(decision.last.contains(UInt8(ascii: "d")) && decision.last.contains(UInt8(ascii: "D")))
        #expect(decision.last.contains(UInt8(ascii: " ")) && decision.last.contains(0xA9))
        #expect(!decision.last.contains(UInt8(ascii: ".")) && !decision.last.contains(UInt8(ascii: "e")))
        #expect(decision.first.contains(UInt8(ascii: ":")) && !decision.first.contains(UInt8(ascii: "U")))
        let sentence = try #require(PatternEdges.analyze("(?:(?i:was\\s+the\\s+original\\s+request\\s*\\.))"))
        #expect((0...255).filter { sentence.last.contains(UInt8($0)) } == [0x2E])
    }

    @Test func classesRangesAndQuantifiers() throws {
        let label = try #require(PatternEdges.analyze("[A-Z][A-Z0-9 /&(),'-]{1,60}:(?:\\s|$)"))
        #expect(label.first.contains(UInt8(ascii: "Q")) && !label.first.contains(UInt8(ascii: "q")))
        #expect(label.last.contains(UInt8(ascii: ":")) && label.last.contains(UInt8(ascii: "\t")))
        #expect(!label.last.contains(UInt8(ascii: "A")))
        let bullet = try #require(PatternEdges.analyze("[-*\\x{2022}\\x{25CF}]\\s+\\S"))
        #expect(bullet.first.contains(0xE2) && bullet.first.contains(UInt8(ascii: "-")) && !bullet.first.contains(UInt8(ascii: "a")))
        let optional = try #require(PatternEdges.analyze("ab?c*"))
        #expect(optional.last.contains(UInt8(ascii: "a")) && optional.last.contains(UInt8(ascii: "b")))
        #expect(try #require(PatternEdges.analyze("a|")).nullable)
        #expect(try #require(PatternEdges.analyze("(?:x){0,3}")).nullable)
    }

    @Test func unmodelledConstructsGiveNoShortcut() {
        for pattern in ["(?<=a)b", "(?=a)a", "(a)\\1", "(?i)a", "a\\Kb", "(*UCP)\\w", "(?x: a )", "[[:alpha:]]", "\\x41",
                        "\\p{L}", "a{,3}", "(?#c)a", "(?R)", "\\Qa\\E", "\\N{U+41}"] {
            #expect(PatternEdges.analyze(pattern) == nil, "\(pattern)")
        }
    }

    /// Every match found by PCRE2 starts and ends with bytes of the analysed sets.
    @Test func setsContainEveryMatchEdge() throws {
        let patterns = ["(?i:Upheld|Overturned)", "(?i::\\s*(?:Upheld|Overturned)\\s*$)", "\\(?\\d{1,2}[.)]\\s+\\S",
                        "[a-z][.)]\\s+\\S", "[-*\\x{2022}\\x{25CF}\\x{25AA}]\\s+\\S", "(?i:Page\\s+\\d{1,4}(?:\\s+of\\s+\\d{1,4})?\\s*$)",
                        "-?\\s*\\d{1,4}\\s*-?\\s*$", "(?i:k)", "(?i:s+)", "[^a]b", "\\w+\\.", "é|ü?x", "(?<n>a|b)c?", "(?>ab|a)\\S",
                        "[\\x{e9}-\\x{ff}]", "(?i:[a-c])", ".\\h\\v?", "a\\b", "\\D", "(?i-s:K)\\s*"]
        let alphabet = ["a", "b", "c", "k", "s", "K", "S", "x", " ", "\t", ".", ":", "-", "(", ")", "1", "2", "é", "ü", "\u{212A}",
                        "\u{017F}", "\u{2022}", "Upheld", "overturned", "Page ", "\u{00A0}"]
        var generator = SystemRandomNumberGenerator()
        for pattern in patterns {
            let edges = try #require(PatternEdges.analyze(pattern), "\(pattern)")
            let atStart = try PCRE2Pattern("\\A(?:" + pattern + ")")
            let atEnd = try PCRE2Pattern("(?:" + pattern + ")\\z")
            for _ in 0..<400 {
                let text = (0..<Int.random(in: 1...6, using: &generator)).map { _ in alphabet.randomElement(using: &generator)! }.joined()
                let utf8 = bytes(text)
                try utf8.withUnsafeBufferPointer { buffer in
                    if try atStart.matches(buffer), !edges.nullable { #expect(edges.first.contains(utf8[0]), "\(pattern) \(text)") }
                    if try atEnd.matches(buffer), !edges.nullable { #expect(edges.last.contains(utf8[utf8.count - 1]), "\(pattern) \(text)") }
                }
            }
        }
    }
}

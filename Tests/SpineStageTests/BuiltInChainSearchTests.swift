import ClinPipeCore
import ClinPipeTestSupport
import ClinPipeText
import Foundation
@testable import SpineStage
import Testing

/// `BuiltInChainSearch` finds the shipped mention pattern's matches from their possible starts only; these tests
/// compare it with the plain PCRE2 search of the same pattern (no anchor) on level-dense, random and real text, at
/// text starts and ends, on empty input and around non-ASCII characters.
@Suite struct BuiltInChainSearchTests {
    static let shipped: (search: BuiltInChainSearch, plain: PCRE2Pattern) = {
        var rules = SpineRules()
        do {
            try rules.load(.mentions, name: "mentions.tsv", text: EmbeddedRules.text("mentions.tsv"))
            let mention = rules.mentions[0]
            let plain = try PCRE2Pattern(mention.pattern.pattern, options: mention.pattern.options)
            guard let search = mention.builtInSearch else { fatalError("the shipped mention is not searched by byte code") }
            return (search, plain)
        } catch { fatalError("\(error)") }
    }()

    static func expectSame(_ text: String, _ label: String) throws {
        let plain = try shipped.plain.allMatches(in: text).map { $0[0]! }
        let found = try text.withUTF8Bytes { bytes -> [Range<Int>] in
            var found: [Range<Int>] = []
            try shipped.search.forEachMatch(in: bytes) { range in
                found.append(range)
                return true
            }
            return found
        }
        #expect(found == plain, "\(label): \(plain.count) matches by PCRE2, \(found.count) by the byte-coded search")
    }

    @Test func theShippedMentionIsSearchedByByteCode() throws {
        var rules = SpineRules()
        try rules.load(.mentions, name: "mentions.tsv", text: EmbeddedRules.text("mentions.tsv"))
        #expect(rules.mentions.count == 1 && rules.mentions[0].builtInSearch != nil)
    }

    @Test func otherPatternsAreSearchedByPCRE2() throws {
        #expect(BuiltInChainSearch(pattern: try PCRE2Pattern("L[1-5]")) == nil)
        #expect(BuiltInChainSearch(pattern: try PCRE2Pattern(BuiltInChainSearch.source, options: .caseless)) == nil)
        #expect(BuiltInChainSearch(pattern: try PCRE2Pattern(BuiltInChainSearch.source)) != nil)
    }

    @Test func edgeCases() throws {
        for text in ["", "L", "4", "L4", "xL4", "S1 ", " C-6", "lumbar 4", "ſacral 1", "ſ acral 1", "sacral    1",
                     "sacral\t \t2", "éL5", "é lumbar 2", "L4-", "L4-5-", "L5S1", "T12L1x", "L4.5", "L4-5.2", "4L5",
                     "lumbar4", "thoracic 12 through L2", "C\u{212A}5", "Lumbar 5 and ſacral 1", "L4 through ſacral 1",
                     "\u{2028}L4\u{2013}5", "L7", "C-0", "S-1-2", "  L4  ,  L5  and  S1  ", "C7T1T2", "0L4 L04 L40"] {
            try Self.expectSame(text, "'\(text)'")
        }
    }

    @Test func levelDenseText() throws {
        let forms = ["L4", "L4-5", "L4-L5", "L4/5", "L4–5", "L4 - 5", "L5-S1", "C5-6-7", "C-6", "L4-l5", "lumbar 4-5",
                     "lumbar 5-sacral 1", "L3 through S1", "L45", "C56", "L5S1", "T12L1", "THORACIC   12", "Cervical\t7",
                     "L3-4, L4-5 and L5-S1", "C5 and C6 dermatomes", "L4, L5 and S1", "S1 vs. L5", "T2-weighted", "C9",
                     "ſacral 2", "sacral    3", "12/03/2020", "x", "3", "-", " ", "\t", "é", "S", "C-", "lumbar"]
        for seed in testSeeds(200) {
            var generator = SeededGenerator(seed: seed)
            var text = ""
            for _ in 0..<40 {
                text += forms[Int(generator.next() % UInt64(forms.count))]
                text += ["", " ", ", ", " and ", "\n", "é ", "x", "-", " to ", "2014 ", "\t"][Int(generator.next() % 11)]
            }
            try Self.expectSame(text, "seed \(seed)")
        }
    }

    @Test func randomText() throws {
        for seed in testSeeds(100) {
            var generator = SeededGenerator(seed: seed)
            try Self.expectSame(RandomText.make(&generator, pieces: 200), "random seed \(seed)")
        }
    }

    @Test func seedLetters() throws {
        for (name, text) in try TestPaths.seedTexts() { try Self.expectSame(text, name) }
    }

    @Test func sharedCorpora() throws {
        guard let texts = try TestPaths.sharedTexts() else {
            print("skipped: ../shared/corpora is not present")
            return
        }
        for (name, text) in texts { try Self.expectSame(text, name) }
    }
}

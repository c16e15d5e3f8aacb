import ClinPipeCore
import ClinPipeTestSupport
import ClinPipeText
import Foundation
import Testing

@testable import SectionsStage

/// The byte code of `BuiltInItemDecision` finds exactly the matches (with `item` and `outcome`) of the shipped
/// decision row, from any start offset, and stands only for that row.
@Suite struct BuiltInItemDecisionTests {
    static func shippedDecision() throws -> PCRE2Pattern {
        let tables = try RuleSources.tables(builtIn: "imr-items.tsv", extra: [], required: ItemRules.columns,
                                            environment: StageEnvironment(stageName: "sections"))
        let row = try #require(tables[0].rows.first { $0["kind"] == "decision" })
        return try RuleSources.compile(row, in: tables[0])
    }

    static let pieces = [
        "A", "Acupuncture 6 sessions", "MRI OF THE LUMBAR SPINE", "x", " ", "  ", "\t", ":", "::", ": ", " : ", "Upheld",
        "upheld", "UPHELD", "Overturned", "oVeRtUrNeD", "Uphel", "Overturn", "Upheldx", "\n", "\n\n", "\r", "\r\n", "\u{0B}",
        "\u{0C}", "\u{85}", "\u{A0}", "\u{2028}", "é", ".", ",", "Decision rationale", "(s)", "#60", "1.",
    ]

    static let texts: [String] = {
        var texts = PatternEquivalence.texts() + BuiltInItemDecision.probeTexts + [
            "", ":", ": Upheld", "A: Upheld", "A:Upheld", " A : Upheld \t", "A: Upheld\n", "A: Upheld\nB: Overturned",
            "A: B: Upheld", "A:: Upheld", "A\r: Upheld", "\rA: Upheld", "A\u{A0}: Upheld", "é: Upheld", "A: Upheld ", "A: Upheld.",
        ]
        for seed in testSeeds(40) {
            var generator = SeededGenerator(seed: seed)
            for _ in 0..<40 {
                var text = ""
                for _ in 0..<Int(generator.next() % 20) { text += pieces[Int(generator.next() % UInt64(pieces.count))] }
                texts.append(text)
            }
        }
        return texts
    }()

    @Test func shippedRowIsBuiltIn() throws {
        #expect(BuiltInItemDecision(pattern: try Self.shippedDecision()) != nil,
                "the shipped decision row of imr-items.tsv has no byte code: update BuiltInItemDecision")
        #expect(BuiltInItemDecision(pattern: try PCRE2Pattern(BuiltInItemDecision.source)) == nil)
        #expect(BuiltInItemDecision(pattern: try PCRE2Pattern(BuiltInItemDecision.source + "x", options: [.caseless])) == nil)
    }

    @Test func sameMatchesAsPCRE2FromEveryStart() throws {
        let pattern = try Self.shippedDecision()
        let decision = try #require(BuiltInItemDecision(pattern: pattern))
        let item = try #require(pattern.groupNumbers["item"]), outcome = try #require(pattern.groupNumbers["outcome"])
        var problems: [String] = []
        for text in Self.texts {
            try text.withUTF8Bytes { bytes in
                var positions = BytePositions(in: bytes)
                for start in RandomText.scalarBoundaries(text) {
                    var expected: [Range<Int>?] = []
                    try pattern.forEachMatch(in: bytes, from: start) { match in
                        expected += [match.range, match.range(item), match.range(outcome)]
                        return true
                    }
                    var found: [Range<Int>?] = []
                    decision.forEachMatch(in: bytes, from: start, positions: &positions) { match, item, outcome in
                        found += [match, item, outcome]
                        return true
                    }
                    if found != expected { problems.append("\(text.debugDescription) from \(start): \(found) instead of \(expected)") }
                }
            }
        }
        #expect(problems.isEmpty, "\(problems.prefix(3))")
    }

    @Test func stopsWhenAsked() throws {
        let decision = try #require(BuiltInItemDecision(pattern: try Self.shippedDecision()))
        "A: Upheld\nB: Upheld\nC: Upheld".withUTF8Bytes { bytes in
            var positions = BytePositions(in: bytes)
            var seen = 0
            decision.forEachMatch(in: bytes, from: 0, positions: &positions) { _, _, _ in
                seen += 1
                return seen < 2
            }
            #expect(seen == 2)
        }
    }
}

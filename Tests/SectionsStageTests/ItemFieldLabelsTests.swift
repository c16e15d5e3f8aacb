import ClinPipeCore
import ClinPipeTestSupport
import ClinPipeText
import Foundation
import Testing

@testable import SectionsStage

/// The field-label search of `ItemFieldLabels` at filtered line starts finds exactly what the plain PCRE2 search
/// finds, from every start to every end, and runs so only for the shipped `field` rows.
@Suite struct ItemFieldLabelsTests {
    static func shippedLabels() throws -> ItemFieldLabels {
        let tables = try RuleSources.tables(builtIn: "imr-items.tsv", extra: [], required: ItemRules.columns,
                                            environment: StageEnvironment(stageName: "sections"))
        return try #require(try ItemRules(tables: tables).fields)
    }

    static let pieces = [
        "Claims Administrator guideline:", "claims  administrator\nguideline :", "MAXIMUS guideline:", "Maximus guideline",
        "Decision rationale:", "DECISION RATIONALE\t:", "Decision", "Claims", "MAXIMUS", " ", "  ", "\t", "\n", "\n\n", "\r",
        "\r\n", "\u{0B}", "\u{0C}", "\u{85}", "\u{A0}", "\u{2028}", "é", "ſ", "Claimſ Adminiſtrator guideline:", "x", ":",
        "MRI: Upheld", "Medications", "The request", ".", "Decision\u{0}rationale:", "DECISION\tRATIONALE:",
        "Decision rationalex:", "MAXIMUS guidelin", "claims administrator guideline", "Decision rationale", "\u{0}", "@",
    ]

    static let texts: [String] = {
        var texts = ItemFieldLabels.probeTexts + [
            "", "\n", "C", "Decision rationale:", " Decision rationale:", "x\nDecision rationale:", "Decision rationale:\n",
            "Decision rationale:x\nMAXIMUS guideline:\n\nClaims Administrator guideline: y", "é\nMAXIMUS guideline:",
            "\u{A0}MAXIMUS guideline:", "xDecision rationale:",
        ]
        for seed in testSeeds(30) {
            var generator = SeededGenerator(seed: seed)
            for _ in 0..<30 {
                var text = ""
                for _ in 0..<Int(generator.next() % 12) { text += pieces[Int(generator.next() % UInt64(pieces.count))] }
                texts.append(text)
            }
        }
        return texts
    }()

    @Test func shippedRowsAreFiltered() throws {
        #expect(try Self.shippedLabels().isFiltered, "the shipped field rows are not filtered: update ItemFieldLabels.shippedBody")
        let other = try ItemFieldLabels(body: "(?<f0>(?i:Note\\s*:))", fieldCount: 1)
        #expect(!other.isFiltered)
        let edited = try ItemFieldLabels(body: ItemFieldLabels.shippedBody + "|(?<f3>(?i:Note\\s*:))", fieldCount: 4)
        #expect(!edited.isFiltered)
    }

    @Test func sameLabelsAsPlainSearchFromEveryStartToEveryEnd() throws {
        let labels = try Self.shippedLabels()
        var problems: [String] = []
        for text in Self.texts where try !labels.agreesWithPlainSearch(on: text, everyEnd: true) {
            problems.append(text.debugDescription)
        }
        #expect(problems.isEmpty, "\(problems.prefix(3))")
    }

    @Test func matchesLikePlainPattern() throws {
        let labels = try Self.shippedLabels()
        var problems: [String] = []
        for text in Self.texts {
            try text.withUTF8Bytes { bytes in
                // Every slice from a character boundary to the text's end, as the item-line and prefix checks pass.
                for start in RandomText.scalarBoundaries(text) {
                    let slice = UnsafeBufferPointer(rebasing: bytes[start...])
                    if try labels.matches(slice) != labels.pattern.matches(slice) {
                        problems.append("\(text.debugDescription) from \(start)")
                    }
                }
            }
        }
        #expect(problems.isEmpty, "\(problems.prefix(3))")
    }

    @Test func stopsWhenAsked() throws {
        let labels = try Self.shippedLabels()
        try "Decision rationale: a\nMAXIMUS guideline: b\nDecision rationale: c".withUTF8Bytes { bytes in
            var lineFeeds: [Int] = []
            for (i, byte) in bytes.enumerated() where byte == 0x0A { lineFeeds.append(i) }
            var seen: [Int] = []
            try lineFeeds.withUnsafeBufferPointer { lineFeeds in
                try labels.forEachLabel(in: bytes, from: 0, to: bytes.count, lineFeeds: lineFeeds) { field, _ in
                    seen.append(field)
                    return seen.count < 2
                }
            }
            #expect(seen == [2, 1])
        }
    }
}

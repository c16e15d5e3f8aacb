import ClinPipeCore
import ClinPipeTestSupport
import ClinPipeText
import Foundation
@testable import OutcomeStage
import Testing

/// The `keywords` columns of the rule files only skip work: a row is never filtered out of a text it matches.
@Suite struct KeywordFilterTests {
    static let tables = ["reasons.tsv": "code", "conclusions.tsv": "conclusion", "guidelines.tsv": "source", "categories.tsv": "category"]

    /// Letters to check the keywords on: the sample letters and, when present, the development letters in both
    /// extractions, each as written and normalized.
    static func texts() throws -> [(name: String, text: String)] {
        var texts = try TestPaths.seedTexts()
        if let root = TestPaths.sharedCorpora {
            for folder in ["imr-dev/text", "imr-dev/text-pdftotext"] {
                let url = root.appendingPathComponent(folder)
                for file in try FileManager.default.contentsOfDirectory(atPath: url.path).sorted() where file.hasSuffix(".txt") {
                    texts.append((folder + "/" + file, try String(contentsOf: url.appendingPathComponent(file), encoding: .utf8)))
                }
            }
        }
        return try texts + texts.map { ($0.name + " (normalized)", try OutcomeTesting.run($0.text).normalized.text) }
    }

    @Test func everyMatchOfARowContainsItsKeywords() throws {
        let texts = try Self.texts()
        var checked = 0
        for (file, label) in Self.tables {
            let table = try PatternTable(file: file, labelColumn: label)
            for (index, row) in table.rows.enumerated() {
                guard let pattern = row.pattern else { continue }
                for (name, text) in texts {
                    try text.withUTF8Bytes { bytes in
                        try pattern.forEachMatch(in: bytes) { match in
                            let matched = UnsafeBufferPointer(rebasing: bytes[match.range])
                            #expect(table.filter.mayMatch(row: index, table.filter.seen(in: matched)),
                                    "\(row.source) matched '\(String(decoding: matched, as: UTF8.self))' in \(name) without its keywords")
                            checked += 1
                            return true
                        }
                    }
                }
            }
        }
        #expect(checked > 1000)
    }

    @Test func filteredAndUnfilteredRowsAgreeOnRationales() throws {
        let reasons = try PatternTable(file: "reasons.tsv", labelColumn: "code")
        var skipped = 0
        for (_, text) in try Self.texts() {
            let document = try OutcomeTesting.run(text)
            let layer = document.normalized
            for rationale in document.annotations where rationale.type == "imr.item.rationale" {
                try layer.text.withUTF8Bytes { all in
                    let bytes = UnsafeBufferPointer(rebasing: all[layer.toLayer(rationale.range)])
                    let seen = reasons.filter.seen(in: bytes)
                    for (index, row) in reasons.rows.enumerated() {
                        let unfiltered = try row.pattern?.matches(bytes) ?? false
                        #expect(try reasons.matches(index, in: bytes, seen: seen) == unfiltered, "\(row.source)")
                        if !reasons.filter.mayMatch(row: index, seen) { skipped += 1 }
                    }
                }
            }
        }
        #expect(skipped > 0)
    }

    @Test func keywordsAreFoundCaselesslyAnywhereInTheText() throws {
        let filter = try KeywordFilter(fields: ["trigger|twitch", "not & meet|satisfy", ""], names: ["a", "b", "c"])
        func rows(_ text: String) -> [Bool] {
            text.withUTF8Bytes { bytes in
                let seen = filter.seen(in: bytes)
                return (0..<3).map { filter.mayMatch(row: $0, seen) }
            }
        }
        #expect(rows("No TRIGGER points") == [true, false, true])
        #expect(rows("Retriggered; cannot meet") == [true, true, true])
        #expect(rows("it does not satisfy") == [false, true, true])
        #expect(rows("nothing here") == [false, false, true])
        #expect(rows("") == [false, false, true])
        // Overlapping keywords and keywords that end inside others.
        let overlapping = try KeywordFilter(fields: ["she", "he", "hers", "his"], names: ["1", "2", "3", "4"])
        let seen = "ushers".withUTF8Bytes { overlapping.seen(in: $0) }
        #expect((0..<4).map { overlapping.mayMatch(row: $0, seen) } == [true, true, true, false])
    }

    @Test func kelvinSignAndLongSDisableTheFilter() throws {
        // PCRE2's caseless UTF matching lets `k` match U+212A and `s` match U+017F, which are not ASCII.
        let pattern = try PCRE2Pattern("kelvin|ſtriſ", options: [.caseless])
        #expect(try "\u{212A}elvin".withUTF8Bytes { try pattern.matches($0) })
        let long = try PCRE2Pattern("stris", options: [.caseless])
        #expect(try "\u{17F}tri\u{17F}".withUTF8Bytes { try long.matches($0) })
        let filter = try KeywordFilter(fields: ["kelvin", "stris"], names: ["1", "2"])
        for text in ["\u{212A}elvin", "\u{17F}tri\u{17F}"] {
            let seen = text.withUTF8Bytes { filter.seen(in: $0) }
            #expect(filter.mayMatch(row: 0, seen) && filter.mayMatch(row: 1, seen))
        }
        let other = "élan".withUTF8Bytes { filter.seen(in: $0) }
        #expect(!filter.mayMatch(row: 0, other))
    }

    @Test func badKeywordsAreRefused() {
        #expect(throws: RuleFileError.self) { try KeywordFilter(fields: ["L4-5"], names: ["x.tsv:3"]) }
        #expect(throws: RuleFileError.self) { try KeywordFilter(fields: ["a & "], names: ["x.tsv:3"]) }
    }
}

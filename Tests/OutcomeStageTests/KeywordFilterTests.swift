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
                        let scan = table.filter.scan(bytes)
                        try pattern.forEachMatch(in: bytes) { match in
                            let matched = UnsafeBufferPointer(rebasing: bytes[match.range])
                            let text = String(decoding: matched, as: UTF8.self)
                            #expect(table.filter.scan(matched).start(of: index) == 0, "\(row.source) matched '\(text)' in \(name) without its keywords")
                            #expect(!scan.isBySegment(index) || !matched.contains(where: table.filter.isSeparator),
                                    "\(row.source) matched a separator in '\(text)'")
                            #expect(scan.start(of: index).map { $0 <= match.range.lowerBound } == true, "\(row.source) in \(name)")
                            if scan.isBySegment(index) {
                                var inside = false
                                scan.forEachSegment(of: index) { segment in
                                    inside = segment.lowerBound <= match.range.lowerBound && match.range.upperBound <= segment.upperBound
                                    return !inside
                                }
                                #expect(inside, "\(row.source) matched '\(text)' in \(name) outside the segments with its keywords")
                            }
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
                    let scan = reasons.filter.scan(bytes)
                    for (index, row) in reasons.rows.enumerated() {
                        let unfiltered = try row.pattern?.matches(bytes) ?? false
                        #expect(try reasons.matches(index, in: bytes, scan: scan) == unfiltered, "\(row.source)")
                        if scan.start(of: index) == nil { skipped += 1 }
                    }
                }
            }
        }
        #expect(skipped > 0)
    }

    /// Random clauses of words from the rules, separators and Unicode pieces (U+212A and U+017F among them).
    @Test func filteredEqualsUnfilteredOnRandomText() throws {
        let words = ["no", "not", "lack of", "without", "absence of", "functional", "improvement", "pain relief", "decrease in pain",
                     "trigger points", "twitch response", "radiculopathy", "radicular signs", "is", "are", "was", "were",
                     "not recommended", "guidelines", "MTUS", "ODG", "4 A's", "four As", "urine drug screen", "monitoring",
                     "documentation", "unclear", "unknown", "medically necessary", "does not meet", "the", "criteria",
                     "long-term", "chronic", "use", "exceeds", "number", "of sessions", "prior", "failed", "conservative care",
                     "first-line", "frequency", "not specified", "established", "non-certified", "appears", "necessary",
                     "\u{212A}", "\u{17F}", "patient", "x", "epidural steroid injection", "B12 shot", "MRI", "x-ray", "CT scan",
                     "psychotherapy", "cognitive behavioral", "H-wave", "hot/cold", "lumbar brace", "laminectomy", "pre-op",
                     "arthroplasty", "Norco 10mg #60", "chiropractic", "electro-acupuncture", "shower chair", "insoles"]
        let separators = [" ", " ", " ", "  ", ". ", ", ", "; ", ": ", "\n", " (", ") ", "-", "'", "/", "\r\n"]
        var generator = SeededGenerator(seed: 99)
        let tables = [try PatternTable(file: "reasons.tsv", labelColumn: "code"), try PatternTable(file: "conclusions.tsv", labelColumn: "conclusion"),
                      try PatternTable(file: "categories.tsv", labelColumn: "category")]
        var matched = 0
        for _ in 0..<3000 {
            var text = ""
            for _ in 0..<Int.random(in: 1...24, using: &generator) {
                text += Int.random(in: 0..<12, using: &generator) == 0 ? RandomText.piece(using: &generator) : words.randomElement(using: &generator)!
                text += separators.randomElement(using: &generator)!
            }
            for table in tables {
                try text.withUTF8Bytes { bytes in
                    let scan = table.filter.scan(bytes)
                    for (index, row) in table.rows.enumerated() {
                        let unfiltered = try row.pattern?.matches(bytes) ?? false
                        #expect(try table.matches(index, in: bytes, scan: scan) == unfiltered, "\(row.source): \(text.debugDescription)")
                        if unfiltered { matched += 1 }
                    }
                }
            }
        }
        #expect(matched > 1000)
    }

    @Test func keywordsAreFoundCaselesslyAnywhereInTheText() throws {
        // Patterns of unknown alphabet (`.`): keywords anywhere in the text count.
        let filter = try KeywordFilter(fields: ["trigger|twitch", "not & meet|satisfy", ""], patterns: [".", ".", nil], names: ["a", "b", "c"])
        func rows(_ text: String) -> [Int?] {
            text.withUTF8Bytes { bytes in
                let scan = filter.scan(bytes)
                return (0..<3).map { scan.start(of: $0) }
            }
        }
        #expect(rows("No TRIGGER points") == [0, nil, 0])
        #expect(rows("Retriggered; cannot meet") == [0, 0, 0])
        #expect(rows("it does not. It may satisfy") == [nil, 0, 0])
        #expect(rows("nothing here") == [nil, nil, 0])
        #expect(rows("") == [nil, nil, 0])
        // Overlapping keywords and keywords that end inside others.
        let overlapping = try KeywordFilter(fields: ["she", "he", "hers", "his"], patterns: [nil, nil, nil, nil], names: ["1", "2", "3", "4"])
        let scan = "ushers".withUTF8Bytes { overlapping.scan($0) }
        #expect((0..<4).map { scan.start(of: $0) } == [0, 0, 0, nil])
    }

    @Test func keywordsOfAKnownAlphabetMustShareASegment() throws {
        let filter = try KeywordFilter(fields: ["not & meet|satisfy", "trigger"], patterns: [#"\bnot\s+(?:meet|satisfy)\b"#, #"trigger\s+points?"#],
                                       names: ["a", "b"])
        func rows(_ text: String) -> [Int?] {
            text.withUTF8Bytes { bytes in
                let scan = filter.scan(bytes)
                return (0..<2).map { scan.start(of: $0) }
            }
        }
        #expect(rows("it does not. It may satisfy") == [nil, nil])
        // `d` is in neither pattern, so it ends a segment too.
        #expect(rows("It does; it does not satisfy, trigger") == [13, 29])
        #expect(filter.isSeparator(UInt8(ascii: ".")) && filter.isSeparator(UInt8(ascii: ";")) && filter.isSeparator(UInt8(ascii: "D")))
        #expect(!filter.isSeparator(UInt8(ascii: " ")) && !filter.isSeparator(UInt8(ascii: "T")) && !filter.isSeparator(0xC3))
    }

    @Test func patternAlphabets() {
        func alphabet(_ pattern: String) -> String? {
            PatternAlphabet.ascii(of: pattern).map { flags in
                String(decoding: (32..<127).filter { flags[$0] }.map(UInt8.init), as: UTF8.self)
            }
        }
        #expect(alphabet(#"\bno\s+(?:a\s+)?first-line"#) == " -AEFILNORSTaefilnorst")
        #expect(alphabet(#"[-\s]x{2,3}(?<n>y)(?i:z)\."#) == " -.XYZxyz")
        #expect(alphabet(#"4\s*A'?s"#) == " '4ASas")
        #expect(alphabet(#"\d\b"#) == "0123456789")
        #expect(alphabet(#"a.b"#) == nil)
        #expect(alphabet(#"[^a]"#) == nil)
        #expect(alphabet(#"\S"#) == nil)
        #expect(alphabet(#"(?x)a # b"#) == nil)
        #expect(alphabet(#"(a)\1"#) == nil)
        #expect(alphabet(#"a{,3}"#) == nil)
        #expect(alphabet("\u{212A}") == nil)
        #expect(alphabet(#"(*UCP)a"#) == nil)
        #expect(alphabet(#"[[:alpha:]]"#) == nil)
    }

    @Test func badKeywordsAreRefused() {
        #expect(throws: RuleFileError.self) { try KeywordFilter(fields: ["L4-5"], patterns: [nil], names: ["x.tsv:3"]) }
        #expect(throws: RuleFileError.self) { try KeywordFilter(fields: ["a & "], patterns: [nil], names: ["x.tsv:3"]) }
    }
}

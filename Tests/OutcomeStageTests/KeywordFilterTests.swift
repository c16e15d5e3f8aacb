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

/// The keyword scan (an automaton stepping two bytes at a time, with a look bit per step) against a plain
/// substring search in each segment.
@Suite struct KeywordScanTests {
    /// What `scan` should answer, found the slow way: per row, the start of the first segment holding all its groups
    /// (rows of known alphabet), or 0 when the whole text holds them, or nil; and per segment row, its segments.
    static func expected(fields: [String], patterns: [String?], filter: KeywordFilter, text: String)
        -> (starts: [Int?], segments: [[Range<Int>]])
    {
        let bytes = Array(text.utf8)
        if text.unicodeScalars.contains(where: { $0 == "\u{212A}" || $0 == "\u{17F}" }) {
            return (fields.map { _ in 0 }, fields.map { _ in [] })
        }
        let lower = bytes.map { ($0 >= 0x41 && $0 <= 0x5A) ? $0 | 0x20 : $0 }
        let groups: [[[UInt8]]] = fields.map { field in
            field.split(separator: "&").map { group in group.split(separator: "|").map { Array($0.filter { $0 != " " }.lowercased().utf8) } }
        }.joined().map { $0 }
        var rowGroups: [Range<Int>] = []
        for field in fields {
            let start = rowGroups.last?.upperBound ?? 0
            rowGroups.append(start..<(start + field.split(separator: "&").count))
        }
        func holds(_ range: Range<Int>, group: Int) -> Bool {
            groups[group].contains { keyword in
                range.count >= keyword.count && (range.lowerBound...(range.upperBound - keyword.count)).contains { start in
                    Array(lower[start..<(start + keyword.count)]) == keyword
                }
            }
        }
        var segments: [Range<Int>] = []
        var start = 0
        for (offset, byte) in bytes.enumerated() where filter.isSeparator(byte) {
            segments.append(start..<offset)
            start = offset + 1
        }
        segments.append(start..<bytes.count)
        var starts: [Int?] = []
        var rowSegments: [[Range<Int>]] = []
        for (row, field) in fields.enumerated() {
            let required = rowGroups[row]
            guard !field.isEmpty else {
                starts.append(0)
                rowSegments.append([])
                continue
            }
            if let pattern = patterns[row], PatternAlphabet.ascii(of: pattern) != nil {
                let found = segments.filter { segment in required.allSatisfy { holds(segment, group: $0) } }
                starts.append(found.first?.lowerBound)
                rowSegments.append(found)
            } else {
                starts.append(required.allSatisfy { holds(0..<bytes.count, group: $0) } ? 0 : nil)
                rowSegments.append([])
            }
        }
        return (starts, rowSegments)
    }

    /// Texts with more keyword segments than the log's first (stack) storage holds, around its size: the log moves to
    /// the heap and keeps every segment.
    @Test func manySegmentsOutgrowTheFirstStorage() throws {
        let fields = ["ab", "b & c"], patterns: [String?] = [#"\bab\b"#, #"b\s+c"#]
        let filter = try KeywordFilter(fields: fields, patterns: patterns, names: ["t:1", "t:2"])
        for count in [0, 1, 30, 31, 32, 33, 34, 35, 64, 65, 200] {
            for piece in ["ab. ", "b c;", "ab.b c, x. ", "é ab."] {
                let text = String(repeating: piece, count: count)
                Self.check(fields: fields, patterns: patterns, filter: filter, text: text)
                Self.check(fields: fields, patterns: patterns, filter: filter, text: text + "ab")
            }
        }
    }

    static func check(fields: [String], patterns: [String?], filter: KeywordFilter, text: String) {
        let expected = expected(fields: fields, patterns: patterns, filter: filter, text: text)
        text.withUTF8Bytes { bytes in
            let scan = filter.scan(bytes)
            #expect(fields.indices.map { scan.start(of: $0) } == expected.starts, "\(fields) on \(text.debugDescription)")
            for row in fields.indices where scan.isBySegment(row) {
                var segments: [Range<Int>] = []
                scan.forEachSegment(of: row) { segments.append($0); return true }
                #expect(segments == expected.segments[row], "row \(row) \(fields[row]) on \(text.debugDescription)")
            }
        }
    }

    /// Random keyword sets over a tiny alphabet (keywords inside, overlapping and ending in one another stress the
    /// failure links), with and without a known alphabet, on random text with separators and Unicode.
    @Test func scanEqualsASubstringSearchOnRandomKeywords() throws {
        var generator = SeededGenerator(seed: 2_025)
        let words = ["a", "b", "ab", "ba", "aab", "abab", "bab", "abc", "c", "ca", "bc", "cab", "b1", "1", "aaa"]
        let pieces = ["a", "b", "c", "A", "B", "C", "1", " ", " ", ".", ";", "ab", "AB", "ba", "aab", "é", "\u{212A}", "\u{17F}",
                      "x", "-", "\n"]
        let alphabets: [String?] = ["[abc1 ]+", "[abc1x\\- ]+", "(?:ab|c)\\s+1", nil, "a.b"]
        for _ in 0..<400 {
            let fields = (0..<Int.random(in: 1...6, using: &generator)).map { _ in
                (0..<Int.random(in: 0...3, using: &generator)).map { _ in
                    (0..<Int.random(in: 1...3, using: &generator)).map { _ in words.randomElement(using: &generator)! }.joined(separator: "|")
                }.joined(separator: " & ")
            }
            let patterns = fields.map { _ in alphabets.randomElement(using: &generator)! }
            let filter = try KeywordFilter(fields: fields, patterns: patterns, names: fields.indices.map { "row \($0)" })
            for _ in 0..<25 {
                let text = (0..<Int.random(in: 0...30, using: &generator)).map { _ in pieces.randomElement(using: &generator)! }.joined()
                Self.check(fields: fields, patterns: patterns, filter: filter, text: text)
            }
        }
    }

    /// Tables whose rows outgrow a cache line: keywords over every letter and digit (37 classes: 128-byte rows) and
    /// more than 32 groups (8-byte group sets), on texts of every length up to 40 bytes (the scan takes four bytes a
    /// turn) with separators, non-ASCII bytes and U+212A.
    @Test func scanEqualsASubstringSearchOnWideTables() throws {
        var generator = SeededGenerator(seed: 77)
        let characters = Array("abcdefghijklmnopqrstuvwxyz0123456789")
        let pieces = [" ", " ", ".", ";", "é", "\u{212A}", "\u{17F}", "-", "\n", "Q", "Z9"]
        for groupCount in [20, 31, 40, 63] {
            var fields = ["abcdefghijklmnopqrstuvwxyz0123456789"]
            fields += (0..<groupCount).map { _ in
                (0..<Int.random(in: 1...3, using: &generator)).map { _ in
                    String((0..<Int.random(in: 1...3, using: &generator)).map { _ in characters.randomElement(using: &generator)! })
                }.joined(separator: "|")
            }
            let keywords = fields.flatMap { $0.split(separator: "|").map(String.init) }
            let patterns: [String?] = fields.indices.map { $0 % 3 == 0 ? nil : "[a-z0-9 ]+" }
            let filter = try KeywordFilter(fields: fields, patterns: patterns, names: fields.indices.map { "row \($0)" })
            for length in 0...40 {
                for _ in 0..<6 {
                    var text = ""
                    while text.utf8.count < length {
                        text += Bool.random(using: &generator) ? keywords.randomElement(using: &generator)!.uppercased()
                            : pieces.randomElement(using: &generator)!
                    }
                    Self.check(fields: fields, patterns: patterns, filter: filter, text: text)
                }
            }
        }
    }

    /// A table of thousands of states (rows past 64 KB: states named by their row offset / 8 instead of the offset).
    @Test func scanEqualsASubstringSearchOnLargeTables() throws {
        var generator = SeededGenerator(seed: 78)
        let letters = Array("abcdefghijklmnopqrstuvwxyz")
        let fields = (0..<30).map { _ in
            (0..<20).map { _ in String((0..<Int.random(in: 3...8, using: &generator)).map { _ in letters.randomElement(using: &generator)! }) }
                .joined(separator: "|")
        }
        let keywords = fields.flatMap { $0.split(separator: "|").map(String.init) }
        let patterns: [String?] = fields.indices.map { $0 % 2 == 0 ? nil : "[a-z ]+" }
        let filter = try KeywordFilter(fields: fields, patterns: patterns, names: fields.indices.map { "row \($0)" })
        let pieces = [" ", ".", "x", "é", "-"]
        for length in stride(from: 0, through: 200, by: 7) {
            var text = ""
            while text.utf8.count < length {
                text += Bool.random(using: &generator) ? keywords.randomElement(using: &generator)! : pieces.randomElement(using: &generator)!
            }
            Self.check(fields: fields, patterns: patterns, filter: filter, text: text)
        }
    }

    /// The rule tables, and the table that joins reasons and sources, on the letters.
    @Test func scanEqualsASubstringSearchOnTheRuleTables() throws {
        let reasons = try PatternTable(file: "reasons.tsv", labelColumn: "code")
        let sources = try PatternTable(file: "guidelines.tsv", labelColumn: "source")
        let tables = [reasons, sources, try PatternTable(file: "conclusions.tsv", labelColumn: "conclusion"),
                      try PatternTable(file: "categories.tsv", labelColumn: "category"),
                      try PatternTable(joining: [reasons, PatternTable(sources, keeping: { $0.label != "other" })])]
        for (_, text) in try TestPaths.seedTexts() {
            for table in tables {
                Self.check(fields: table.keywords, patterns: table.rows.map { $0.pattern?.pattern }, filter: table.filter, text: text)
            }
        }
    }
}

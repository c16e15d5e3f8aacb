import ClinPipeCore
import ClinPipeTestSupport
import ClinPipeText
import Foundation
@testable import OutcomeStage
import Testing

/// The byte-level citation reader gives what the String/Foundation version it replaced gave, for any text.
@Suite struct GuidelineCitationsTests {
    /// Guideline-line pieces, mixed with the Unicode stress pieces.
    static let linePieces = [
        "Decision based on ", "MTUS ", "Chronic Pain Medical Treatment Guidelines ", "Page(s): ", "98-99 ", "of 127",
        "; ", ", ", ". ", "Non-MTUS Citation ", "Official Disability Guidelines (ODG) ", "Low back ", "section", "Chapter 12 ",
        "Section(s): ", "Initial Approaches to Treatment", "ACOEM Practice Guidelines, 2nd Edition (2004) ", "page ",
        "Trigger Point Injections ", "Guidelines", "PAGE", "\u{212A}", "\u{17F}ection", "—", "“ODG”", " \u{301}", "\u{85}",
    ]

    static func randomLines() -> [String] {
        var generator = SeededGenerator(seed: 20_240_611)
        return (0..<1500).map { _ in
            var line = ""
            for _ in 0..<Int.random(in: 1...14, using: &generator) {
                line += Int.random(in: 0..<3, using: &generator) == 0
                    ? RandomText.piece(using: &generator) : linePieces.randomElement(using: &generator)!
            }
            return line
        }
    }

    @Test func citationsEqualTheFoundationReference() throws {
        let citations = try GuidelineCitations()
        let reference = try ReferenceCitations()
        var lines = Self.randomLines()
        for (_, text) in try TestPaths.seedTexts() {
            lines += text.split(separator: "\n").filter { $0.contains("guideline") }.map(String.init)
        }
        var nonEmpty = 0
        for line in lines {
            let found = try citations.citations(inGuidelineLine: line)
            #expect(found == (try reference.citations(inGuidelineLine: line)), "\(line.debugDescription)")
            if !found.isEmpty { nonEmpty += 1 }
        }
        #expect(nonEmpty > 300)
    }

    /// A citation rule file with a problem fails to load, naming its file and line.
    @Test(arguments: [
        ("split\t;\ntitle\t(?<name>x)", "lacks the group 'title'"),
        ("split\t;\nsplit\t,", "part 'split' given twice"),
        ("splitter\t;", "unknown part 'splitter'"),
        ("split\t(", "test.tsv:2: pattern"),
        ("section-prefix\tODG", "gives its text in `text`"),
        ("split\t;", "no 'pages' row"),
    ])
    func badRuleFilesAreRejected(rows: String, problem: String) throws {
        let testRows = rows.split(separator: "\n").map(String.init)
        let testParts = Set(testRows.map { String($0.prefix { $0 != "\t" }) })
        // The shipped rows of the parts the test rows do not give (none when a part is meant to be missing).
        let shipped = EmbeddedRules.text("citations.tsv").split(separator: "\n").map(String.init)
            .filter { !$0.hasPrefix("#") }.dropFirst()
            .filter { !testParts.contains(String($0.prefix { $0 != "\t" })) }
        let body = (testRows + (problem.hasPrefix("no ") ? [] : Array(shipped))).joined(separator: "\n")
        let text = "part\tpattern\ttext\tnote\n" + body
        do {
            _ = try GuidelineCitations(citationRules: "test.tsv", text: text)
            Issue.record("loaded a rule file with: \(problem)")
        } catch let error as RuleFileError {
            #expect(error.problems.contains { $0.contains(problem) }, "\(error.problems)")
        }
    }

    /// The shipped rule file gives the section prefixes in their order.
    @Test func shippedRulesLoad() throws {
        let citations = try GuidelineCitations()
        let found = try citations.citations(inGuidelineLine: "ODG Official Disability Guidelines (ODG) Low Back chapter, Page 12")
        #expect(found.first?["section"] == .string("Low Back"))
    }

    /// The stage's splitter (`[.,]\K`) finds the same matches as the lookbehind form, from every start a scan
    /// can resume at.
    @Test func splitterEqualsTheLookbehindForm() throws {
        let splitter = try GuidelineCitations().splitter
        let reference = try PCRE2Pattern(ReferenceCitations.lookbehindSplitter, options: [.caseless])
        var lines = Self.randomLines() + [". MTUS", ".  ODG", ", Official  Disability", ";. ACOEM", ".;MTUS", "..MTUS", ". . MTUS",
                                          ".\u{85}MTUS", ".\u{A0}ODG", "x.\tNon-MTUS", ". mtus", ".MTUS", ". MTUSx", "Decision based on. ODG"]
        for (_, text) in try TestPaths.seedTexts() { lines += text.split(separator: "\n").map(String.init) }
        var splits = 0
        for line in lines {
            try line.withUTF8Bytes { bytes in
                for start in RandomText.scalarBoundaries(line) where start == 0 || start % 7 == 0 {
                    // A resumed scan starts at a match's end, never right after `.` or `,`; other starts are not used.
                    guard start == 0 || (bytes[start - 1] != UInt8(ascii: ".") && bytes[start - 1] != UInt8(ascii: ",")) else { continue }
                    var expected: [Range<Int>] = [], actual: [Range<Int>] = []
                    try reference.forEachMatch(in: bytes, from: start) { expected.append($0.range); return true }
                    try splitter.forEachMatch(in: bytes, from: start) { actual.append($0.range); return true }
                    #expect(actual == expected, "\(line.debugDescription) from \(start)")
                    splits += expected.count
                }
            }
        }
        #expect(splits > 1000)
    }

    /// The byte-loop splitter finds what PCRE2 finds with the shipped `split` row, in ASCII lines.
    @Test func byteSplitterEqualsTheSplitPattern() throws {
        let splitter = try GuidelineCitations().splitter
        #expect(splitter.pattern == GuidelineLineSplitter.pattern)
        var generator = SeededGenerator(seed: 29)
        let pieces = ["Decision", "decision", "DECISION", "based", "on", "Decision based on", "Decision\tbased  on", "Decision basedon",
                      ";", ".", ",", " ", "  ", "\n", "\u{0B}", "MTUS", "mtus", "ODG", "ODGs", "ACOEM", "Official", "Official Disability",
                      "official\tdisability", "Non-MTUS", "non-mtus", "Non-MTUS Citation", "Non-MTUS  Citations", "Citation", "xNon-MTUS",
                      "_", "x", "9", "-", "(", "Page(s): 12"]
        var lines = Self.randomLines() + [". MTUS", ".MTUS", ", ODG_", ". Non-MTUS Citation", "xNon-MTUS Citation", "Non-MTUS Citation_",
                                          "Decision based on;. ACOEM", ".  Official \t Disability"]
        lines += (0..<3000).map { _ in
            (0..<Int.random(in: 0...10, using: &generator)).map { _ in pieces.randomElement(using: &generator)! }.joined()
        }
        for (_, text) in try TestPaths.seedTexts() { lines += text.split(separator: "\n").map(String.init) }
        var matches = 0
        for line in lines where line.utf8.allSatisfy({ $0 < 0x80 }) {
            try line.withUTF8Bytes { bytes in
                var expected: [Range<Int>] = [], actual: [Range<Int>] = []
                try splitter.forEachMatch(in: bytes) { expected.append($0.range); return true }
                GuidelineLineSplitter.forEachMatch(in: bytes) { actual.append($0) }
                #expect(actual == expected, "\(line.debugDescription)")
                matches += expected.count
            }
        }
        #expect(matches > 1000)
    }

    @Test func partWordsAreTheFirstCaselessOccurrences() {
        var generator = SeededGenerator(seed: 11)
        let pieces = ["section", "Section", "SECTION", "page", "Page(s)", "PAGES", "sectio", "pag", "s", "p", " ", ".", "\u{17F}ection", "é",
                      "x", "chapter"]
        for _ in 0..<2000 {
            let text = (0..<Int.random(in: 0...8, using: &generator)).map { _ in pieces.randomElement(using: &generator)! }.joined()
            text.withUTF8Bytes { bytes in
                let words = PartWords(bytes)
                if text.utf8.allSatisfy({ $0 < 0x80 }) {
                    #expect(words.isASCII && words.section == ASCII.find("section", in: bytes) && words.page == ASCII.find("page", in: bytes),
                            "\(text.debugDescription)")
                } else {
                    #expect(!words.isASCII && words.section == 0 && words.page == 0, "\(text.debugDescription)")
                }
            }
        }
    }

    @Test func edgeTrimmingEqualsFoundation() {
        let sets = [CharacterSet.whitespacesAndNewlines.union(.punctuationCharacters),
                    CharacterSet.whitespacesAndNewlines.union(CharacterSet(charactersIn: ",.;:"))]
        var generator = SeededGenerator(seed: 7)
        let texts = ["", " ", " ; ", "  MTUS, page 9. ", "—ODG—", " \u{301}x ", "«ACOEM»", "x\u{85}", "\u{A0}a\u{A0}",
                     "(ODG) Low back.\r\n", "é.", ".é", "\r\n"]
            + (0..<500).map { _ in RandomText.make(pieceCount: Int.random(in: 0...6, using: &generator), using: &generator) }
        for set in sets {
            let trimmer = EdgeTrimmer(set)
            for text in texts {
                text.withUTF8Bytes { bytes in
                    #expect(trimmer.trimmed(bytes, 0..<bytes.count) == text.trimmingCharacters(in: set), "\(text.debugDescription)")
                }
            }
        }
    }

    @Test func asciiSearchIgnoresCase() {
        func find(_ text: String, last: Bool = false) -> Int? {
            text.withUTF8Bytes { ASCII.find("page", in: $0, last: last) }
        }
        #expect(find("MTUS Page(s): 9, page 10") == 5)
        #expect(find("MTUS Page(s): 9, PAGE 10", last: true) == 17)
        #expect(find("pag") == nil)
        #expect(find("") == nil)
    }

    /// `ASCII.occurs` (every byte compared, one branch) against a plain byte-by-byte comparison, at every offset of
    /// texts of every length, near misses at each place of the needle, the needle cut by the buffer's end, and bytes
    /// that differ from a letter only in bit 5 or lie outside ASCII.
    @Test func asciiOccursEqualsAByteByByteComparison() {
        func reference(_ needle: String, _ bytes: [UInt8], _ start: Int) -> Bool {
            let letters = Array(needle.utf8)
            guard start + letters.count <= bytes.count else { return false }
            return letters.indices.allSatisfy { ByteClass.lower(bytes[start + $0]) == letters[$0] }
        }
        var generator = SeededGenerator(seed: 29)
        let pieces: [[UInt8]] = ["page", "PaGe", "pagf", "qage", "p", "ag", "e", "PAG", " ", "\u{7F}", "@", "`", "é"].map { Array($0.utf8) }
        for _ in 0..<3000 {
            let bytes = (0..<Int.random(in: 0...5, using: &generator)).flatMap { _ in pieces.randomElement(using: &generator)! }
            bytes.withUnsafeBufferPointer { buffer in
                for start in 0...bytes.count {
                    #expect(ASCII.occurs("page", in: buffer, at: start) == reference("page", bytes, start), "\(bytes) at \(start)")
                }
            }
        }
    }

    @Test func asciiContainsIsACaseSensitiveSearch() {
        var generator = SeededGenerator(seed: 13)
        let pieces = ["section", "Section", "sectio", "n", "chapter", "CHAPTER", "s", " ", "x"]
        for _ in 0..<2000 {
            let text = (0..<Int.random(in: 0...6, using: &generator)).map { _ in pieces.randomElement(using: &generator)! }.joined()
            text.withUTF8Bytes { bytes in
                #expect(ASCII.contains("section", in: bytes) == text.contains("section"), "\(text.debugDescription)")
            }
        }
    }
}

/// The citation reader as it was before it worked on bytes (Strings, Foundation trimming and searching), kept as
/// the reference the byte-level version must equal.
private struct ReferenceCitations {
    private static let edgeCharacters = CharacterSet.whitespacesAndNewlines.union(CharacterSet(charactersIn: ",.;:"))
    private static let partEdges = CharacterSet.whitespacesAndNewlines.union(.punctuationCharacters)
    private let sources: PatternTable
    private let splitter, pages, sectionLabel, title, odgSection: PCRE2Pattern

    /// The splitter as first written, with a lookbehind (the stage's `\K` form must split alike).
    static let lookbehindSplitter = #"(?:Decision\s+based\s+on|;|\bNon-MTUS\s+Citation\b|(?<=[.,])\s+(?=(?:MTUS|ODG|ACOEM|Official\s+Disability|Non-MTUS)\b))"#

    init() throws {
        sources = try PatternTable(file: "guidelines.tsv", labelColumn: "source")
        let mirror = try GuidelineCitations()
        splitter = try PCRE2Pattern(Self.lookbehindSplitter, options: [.caseless])
        pages = mirror.pages
        sectionLabel = mirror.sectionLabel
        title = mirror.title
        odgSection = mirror.odgSection
    }

    func citations(inGuidelineLine text: String) throws -> [Attributes] {
        var result: [Attributes] = []
        for part in try split(text) {
            let trimmed = part.trimmingCharacters(in: Self.partEdges)
            guard !trimmed.isEmpty else { continue }
            guard let source = try trimmed.withUTF8Bytes({ bytes in
                try sources.rows.first { try $0.pattern?.matches(bytes) == true }
            })?.label else { continue }
            var citation: Attributes = ["source": .string(source)]
            if let title = try capture(title, "title", in: trimmed) { citation["title"] = .string(title) }
            if let section = try capture(sectionLabel, "section", in: trimmed) ?? odgSectionName(in: trimmed) ?? sectionBeforePages(trimmed) {
                citation["section"] = .string(section)
            }
            if let pages = try capture(pages, "pages", in: trimmed) {
                citation["pages"] = .string(pages.replacingOccurrences(of: " ", with: ""))
            }
            citation["text"] = .string(trimmed)
            result.append(citation)
        }
        return result
    }

    private func split(_ text: String) throws -> [String] {
        var parts: [String] = []
        try text.withUTF8Bytes { bytes in
            var start = 0
            try splitter.forEachMatch(in: bytes) { match in
                let range = match.range
                if range.lowerBound > start {
                    parts.append(String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<range.lowerBound]), as: UTF8.self))
                }
                start = range.upperBound
                return true
            }
            if start < bytes.count {
                parts.append(String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<bytes.count]), as: UTF8.self))
            }
        }
        return parts
    }

    private func capture(_ pattern: PCRE2Pattern, _ group: String, in text: String) throws -> String? {
        try text.withUTF8Bytes { bytes in
            guard let match = try pattern.firstMatch(in: bytes), let number = pattern.groupNumbers[group],
                  let range = match[number] else { return nil }
            let value = String(decoding: UnsafeBufferPointer(rebasing: bytes[range]), as: UTF8.self)
                .trimmingCharacters(in: Self.edgeCharacters)
            return value.isEmpty ? nil : value
        }
    }

    private func odgSectionName(in text: String) throws -> String? {
        let lowered = text.lowercased()
        guard lowered.contains("section") || lowered.contains("chapter") else { return nil }
        guard let first = try capture(odgSection, "section", in: text) ?? capture(odgSection, "section2", in: text) else { return nil }
        var section = first
        for prefix in ["Official Disability Guidelines (ODG)", "Official Disability Guidelines", "(ODG)", "ODG"] where section.hasPrefix(prefix) {
            section = String(section.dropFirst(prefix.count)).trimmingCharacters(in: .whitespaces)
        }
        return section.isEmpty ? nil : section
    }

    private func sectionBeforePages(_ text: String) -> String? {
        guard let pagesRange = text.range(of: "Page", options: [.caseInsensitive]) else { return nil }
        let before = text[..<pagesRange.lowerBound]
        guard let guidelinesRange = before.range(of: "Guidelines", options: [.caseInsensitive, .backwards]) else { return nil }
        let section = before[guidelinesRange.upperBound...].trimmingCharacters(in: Self.edgeCharacters)
        return section.isEmpty ? nil : section
    }
}

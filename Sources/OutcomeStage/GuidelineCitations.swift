import Foundation
import ClinPipeCore
import ClinPipeText

/// Guideline citations in an item's guideline lines and rationale, as `{source, title, section, pages}` objects.
/// The patterns are data: `Rules/citations.tsv`.
///
/// A guideline line (`MAXIMUS guideline: Decision based on MTUS Chronic Pain Treatment Guidelines Trigger Point
/// Injections Page(s): 122`) is split into citations at `Decision based on`, `;` and the start of each new source;
/// each citation's `source` comes from `Rules/guidelines.tsv` (MTUS, ODG, ACOEM, other), `title` from the words
/// naming the guideline document, `section` from `Section(s):`, a `section` word or the words before `Page(s)`,
/// and `pages` from `Page(s): 98-99 of 127` (`98-99`). Sources named in the rationale (`ODG states`, read by
/// `RationaleReading`) are added with `cited_in: rationale` when the guideline lines did not already cite them.
struct GuidelineCitations: Sendable {
    /// Characters trimmed from captured values.
    private static let edgeCharacters = EdgeTrimmer(CharacterSet.whitespacesAndNewlines.union(CharacterSet(charactersIn: ",.;:")))
    /// Characters trimmed from the citations a line splits into.
    private static let partEdges = EdgeTrimmer(CharacterSet.whitespacesAndNewlines.union(.punctuationCharacters))

    /// The guideline sources (`Rules/guidelines.tsv`); `RationaleReading` looks for them in rationales.
    let sources: PatternTable
    // Internal, not private: the tests' reference implementation uses the same patterns (`Rules/citations.tsv`).
    let splitter: PCRE2Pattern
    let pages: PCRE2Pattern
    let sectionLabel: PCRE2Pattern
    let title: PCRE2Pattern
    let odgSection: PCRE2Pattern
    /// Whether `splitter` is the shipped pattern, which `GuidelineLineSplitter` matches in ASCII text.
    private let splitsByBytes: Bool
    /// Whether `title` is the shipped pattern, which `TitleLetterPairs` pre-tests.
    let titleByPairs: Bool
    /// Whether `sources` holds the shipped rows, which `GuidelineSourceWords` matches in ASCII text.
    let sourcesByWords: Bool
    /// The numbers of the groups read from `title`, `sectionLabel` and `pages`.
    private let titleGroup: Int, sectionLabelGroup: Int, pagesGroup: Int
    /// The numbers of `odgSection`'s two section groups, in the order they are read.
    private let odgSectionGroups: [Int]

    /// Literal text removed, in order, from the start of an `odg-section` name.
    private let sectionPrefixes: [String]

    /// The columns of `Rules/citations.tsv`.
    static let columns = ["part", "pattern", "text", "note"]

    /// Reads `Rules/citations.tsv` and `Rules/guidelines.tsv`.
    init() throws {
        try self.init(citationRules: "citations.tsv", text: EmbeddedRules.text("citations.tsv"))
    }

    /// Reads a citation rule file (the format of `Rules/citations.tsv`) and `Rules/guidelines.tsv`.
    /// - Throws: `RuleFileError` naming the file and line of every problem: an unknown part, a pattern part missing or
    ///   given twice, a pattern that does not compile or lacks a group the stage reads.
    init(citationRules name: String, text: String) throws {
        sources = try PatternTable(file: "guidelines.tsv", labelColumn: "source")
        sourcesByWords = GuidelineSourceWords.isShipped(sources.rows.map { ($0.label, $0.pattern?.pattern ?? "") })
            && sources.rows.allSatisfy { $0.pattern?.options == [.caseless] }
        let table = try RuleTable(name: name, text: text, required: ["part"], knownColumns: Self.columns)
        /// The groups the stage reads from each pattern part.
        let groups: [String: [String]] = ["split": [], "title": ["title"], "section-label": ["section"],
                                          "odg-section": ["section", "section2"], "pages": ["pages"]]
        var problems: [String] = []
        var patterns: [String: PCRE2Pattern] = [:]
        var prefixes: [String] = []
        var given: Set<String> = []
        for row in table.rows {
            let place = "\(name):\(row.line)"
            let part = row["part"]
            if part == "section-prefix" {
                if row["text"].isEmpty || !row["pattern"].isEmpty {
                    problems.append("\(place): a section-prefix row gives its text in `text` and no pattern")
                } else {
                    prefixes.append(row["text"])
                }
                continue
            }
            guard let needed = groups[part] else {
                let known = (groups.keys.sorted() + ["section-prefix"]).joined(separator: ", ")
                problems.append("\(place): unknown part '\(part)' (known: \(known))")
                continue
            }
            guard given.insert(part).inserted else {
                problems.append("\(place): part '\(part)' given twice")
                continue
            }
            do {
                let pattern = try PCRE2Pattern(row["pattern"], options: [.caseless])
                for group in needed where pattern.groupNumbers[group] == nil {
                    problems.append("\(place): the \(part) pattern lacks the group '\(group)'")
                }
                patterns[part] = pattern
            } catch {
                problems.append("\(place): pattern: \(error)")
            }
        }
        for part in groups.keys.sorted() where !given.contains(part) {
            problems.append("\(name): no '\(part)' row")
        }
        guard problems.isEmpty, let splitter = patterns["split"], let title = patterns["title"],
              let sectionLabel = patterns["section-label"], let odgSection = patterns["odg-section"],
              let pages = patterns["pages"],
              let titleGroup = title.groupNumbers["title"], let sectionLabelGroup = sectionLabel.groupNumbers["section"],
              let pagesGroup = pages.groupNumbers["pages"], let odgSection1 = odgSection.groupNumbers["section"],
              let odgSection2 = odgSection.groupNumbers["section2"]
        else { throw RuleFileError(problems: problems) }
        self.splitter = splitter
        splitsByBytes = splitter.pattern == GuidelineLineSplitter.pattern
        titleByPairs = title.pattern == TitleLetterPairs.shippedPattern && title.options == [.caseless]
        self.title = title
        self.sectionLabel = sectionLabel
        self.odgSection = odgSection
        self.pages = pages
        self.titleGroup = titleGroup
        self.sectionLabelGroup = sectionLabelGroup
        self.pagesGroup = pagesGroup
        odgSectionGroups = [odgSection1, odgSection2]
        sectionPrefixes = prefixes
    }

    /// Citations in one guideline line's text (after its label). Returns JSON-like attribute objects.
    func citations(inGuidelineLine text: String) throws -> [Attributes] {
        try text.withSpecializedUTF8Bytes { try citations(inGuidelineLine: $0) }
    }

    /// Citations in one guideline line's text (UTF-8, after its label): objects with `source`, then `title`,
    /// `section` and `pages` when found, then `text`.
    func citations(inGuidelineLine line: UnsafeBufferPointer<UInt8>) throws -> [Attributes] {
        var result: [Attributes] = []
        for part in try split(line) {
            if let trimmed = Self.partEdges.trimmedRange(line, part) {
                // ASCII edges: the part's bytes are read where they lie.
                guard !trimmed.isEmpty else { continue }
                let bytes = UnsafeBufferPointer(rebasing: line[trimmed])
                if var citation = try citation(in: bytes) {
                    citation.appendNew("text", .string(String(decoding: bytes, as: UTF8.self)))
                    result.append(citation)
                }
                continue
            }
            let trimmed = Self.partEdges.trimmed(line, part)
            guard !trimmed.isEmpty else { continue }
            if var citation = try trimmed.withSpecializedUTF8Bytes({ try citation(in: $0) }) {
                citation.appendNew("text", .string(trimmed))
                result.append(citation)
            }
        }
        return result
    }

    /// The citation in one trimmed part of a guideline line (UTF-8), without its `text`; nil when it names no
    /// source.
    private func citation(in part: UnsafeBufferPointer<UInt8>) throws -> Attributes? {
        let isASCII = OffsetConverter.isASCII(part)
        // A part is short and nearly always names its source in its first words: a keyword scan would cost more
        // than the patterns it spares. The shipped rows are matched word by word in ASCII text.
        let row = sourcesByWords && isASCII
            ? GuidelineSourceWords.firstRow(in: part).map { sources.rows[$0] }
            : try sources.firstMatch(in: part, prefilter: false)
        guard let source = row?.label else { return nil }
        var citation = Attributes()
        // Room for `cited_in` too, which the stage adds.
        citation.reserveCapacity(6)
        citation.appendNew("source", .string(source))
        let words = PartWords(part, isASCII: isASCII)
        if !titleByPairs || TitleLetterPairs.mayHoldTitle(part, isASCII: words.isASCII),
           let title = try capture(title, titleGroup, in: part)
        {
            citation.appendNew("title", .string(title))
        }
        // `sectionLabel` matches start with `section`, `pages` matches with `page`.
        if let section = try words.section.flatMap({ try capture(sectionLabel, sectionLabelGroup, in: part, from: $0) })
            ?? odgSectionName(in: part, words: words) ?? sectionBeforePages(part, words: words)
        {
            citation.appendNew("section", .string(section))
        }
        if let pages = try words.page.flatMap({ try capture(pages, pagesGroup, in: part, from: $0) }) {
            citation.appendNew("pages", .string(pages.utf8.allSatisfy { $0 < 0x80 }
                ? String(decoding: pages.utf8.filter { $0 != UInt8(ascii: " ") }, as: UTF8.self)
                : pages.replacingOccurrences(of: " ", with: "")))
        }
        return citation
    }

    /// The parts of a guideline line between splitter matches, as UTF-8 ranges (none empty).
    private func split(_ bytes: UnsafeBufferPointer<UInt8>) throws -> [Range<Int>] {
        var parts: [Range<Int>] = []
        parts.reserveCapacity(4)
        var start = 0
        if splitsByBytes && OffsetConverter.isASCII(bytes) {
            GuidelineLineSplitter.forEachMatch(in: bytes) { range in
                if range.lowerBound > start { parts.append(start..<range.lowerBound) }
                start = range.upperBound
            }
        } else {
            try splitter.forEachMatch(in: bytes) { match in
                let range = match.range
                if range.lowerBound > start { parts.append(start..<range.lowerBound) }
                // A source name that starts the next citation is kept (the split before it is zero-width).
                start = range.upperBound
                return true
            }
        }
        if start < bytes.count { parts.append(start..<bytes.count) }
        return parts
    }

    /// The trimmed value of group `number` in the first match of `pattern` at or after `start`, or nil when it is
    /// absent or empty.
    private func capture(_ pattern: PCRE2Pattern, _ number: Int, in bytes: UnsafeBufferPointer<UInt8>, from start: Int = 0) throws
        -> String?
    {
        var value: String?
        try pattern.forEachMatch(in: bytes, from: start) { match in
            if let range = match.range(number) { value = Self.edgeCharacters.trimmed(bytes, range) }
            return false
        }
        return value?.isEmpty == false ? value : nil
    }

    private func odgSectionName(in bytes: UnsafeBufferPointer<UInt8>, words: PartWords) throws -> String? {
        // The pattern is costly (a lazy run from every capital); most citations name no section or chapter.
        if words.isASCII {
            // The pattern is case-sensitive: each match holds `section` or `chapter` in lowercase.
            guard Self.containsSectionOrChapter(bytes) else { return nil }
        } else {
            // Text that is not ASCII keeps the test on lowercased Characters (a word that ends in a combining mark
            // does not count). That needs the words' bytes, ASCII case ignored (no other character lowercases to
            // these letters alone), which a byte search rules out first.
            guard ASCII.find("section", in: bytes) != nil || ASCII.find("chapter", in: bytes) != nil else { return nil }
            let lowered = String(decoding: bytes, as: UTF8.self).lowercased()
            guard lowered.contains("section") || lowered.contains("chapter") else { return nil }
        }
        // The first match names its section in one of two groups.
        var first: String?
        let groups = odgSectionGroups
        try odgSection.forEachMatch(in: bytes) { match in
            for group in groups {
                if let range = match.range(group), case let value = Self.edgeCharacters.trimmed(bytes, range), !value.isEmpty {
                    first = value
                    break
                }
            }
            return false
        }
        guard let first else { return nil }
        // Drop a guideline name that precedes the section ("Official Disability Guidelines (ODG) Low back").
        var section = first
        for prefix in sectionPrefixes where section.hasPrefix(prefix) {
            section = String(section.dropFirst(prefix.count)).trimmingCharacters(in: .whitespaces)
        }
        return section.isEmpty ? nil : section
    }

    /// Where `section` or `chapter` (exact case) can start: `se`, `ch`.
    private static let sectionOrChapterStarts = BytePairSet([(UInt8(ascii: "s"), 0, UInt8(ascii: "e"), 0), (UInt8(ascii: "c"), 0, UInt8(ascii: "h"), 0)])

    /// Whether `bytes` contains `section` or `chapter` (exact case): `ASCII.contains` of either, in one pass that
    /// tests sixteen bytes at a time.
    static func containsSectionOrChapter(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        var found = false
        sectionOrChapterStarts.forEachCandidate(in: bytes, from: 0) { offset in
            guard ASCII.occursExactly("section", in: bytes, at: offset) || ASCII.occursExactly("chapter", in: bytes, at: offset) else {
                return offset + 1
            }
            found = true
            return bytes.count
        }
        return found
    }

    /// The words between a guideline title and `Page(s)` (`... Guidelines Trigger Point Injections Page(s): 122`).
    private func sectionBeforePages(_ bytes: UnsafeBufferPointer<UInt8>, words: PartWords) -> String? {
        guard words.isASCII else {
            // Foundation's caseless search, for text that is not all ASCII.
            let text = String(decoding: bytes, as: UTF8.self)
            guard let pagesRange = text.range(of: "Page", options: [.caseInsensitive]) else { return nil }
            let before = text[..<pagesRange.lowerBound]
            guard let guidelinesRange = before.range(of: "Guidelines", options: [.caseInsensitive, .backwards]) else { return nil }
            let section = before[guidelinesRange.upperBound...].trimmingCharacters(in: Self.edgeCharacters.set)
            return section.isEmpty ? nil : section
        }
        guard let pages = words.page,
              let guidelines = ASCII.find("guidelines", in: UnsafeBufferPointer(rebasing: bytes[..<pages]), last: true) else { return nil }
        let section = Self.edgeCharacters.trimmed(bytes, (guidelines + "guidelines".utf8.count)..<pages)
        return section.isEmpty ? nil : section
    }
}

/// Trims the characters of a `CharacterSet` from both ends of UTF-8 text: a byte loop while the edges are ASCII,
/// Foundation's `trimmingCharacters(in:)` (Unicode scalars) as soon as an edge is not.
struct EdgeTrimmer: Sendable {
    let set: CharacterSet
    /// `isEdge[b]`: whether ASCII scalar `b` is in `set`.
    private let isEdge: [Bool]

    init(_ set: CharacterSet) {
        self.set = set
        isEdge = (0..<128).map { set.contains(Unicode.Scalar(UInt8($0))) }
    }

    /// `bytes[range]` (UTF-8, on scalar boundaries) without the set's characters at either end, as a String.
    func trimmed(_ bytes: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) -> String {
        guard let trimmed = trimmedRange(bytes, range) else {
            return String(decoding: UnsafeBufferPointer(rebasing: bytes[range]), as: UTF8.self).trimmingCharacters(in: set)
        }
        return String(decoding: UnsafeBufferPointer(rebasing: bytes[trimmed]), as: UTF8.self)
    }

    /// The part of `range` that `trimmed` keeps (UTF-8 offsets), or nil when an edge is not ASCII (then only
    /// `trimmed` knows).
    func trimmedRange(_ bytes: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) -> Range<Int>? {
        var lower = range.lowerBound, upper = range.upperBound
        while lower < upper, bytes[lower] < 0x80, isEdge[Int(bytes[lower])] { lower += 1 }
        while upper > lower, bytes[upper - 1] < 0x80, isEdge[Int(bytes[upper - 1])] { upper -= 1 }
        if (lower < upper && bytes[lower] >= 0x80) || (upper > lower && bytes[upper - 1] >= 0x80) { return nil }
        return lower..<upper
    }
}

/// Where the words that citation patterns need first occur in a part of a guideline line, found once and shared by
/// the patterns: a pattern whose matches start with a word runs from the word's first occurrence, and not at all
/// when it is absent (`\b` and lookbehinds still see the text before the start).
///
/// Only ASCII text rules anything out: in other text the words may be anywhere (PCRE2 caselessly takes `ſ` for `s`
/// and the Kelvin sign for `k`), so every offset is 0.
struct PartWords {
    let isASCII: Bool
    /// The first `section` (ASCII case ignored, UTF-8 offset), or nil when there is none.
    let section: Int?
    /// The first `page` (ASCII case ignored, UTF-8 offset), or nil when there is none.
    let page: Int?

    /// Where `section` or `page` (ASCII case ignored) can start.
    private static let starts = BytePairSet([(UInt8(ascii: "s"), 0x20, UInt8(ascii: "e"), 0x20), (UInt8(ascii: "p"), 0x20, UInt8(ascii: "a"), 0x20)])

    init(_ bytes: UnsafeBufferPointer<UInt8>) {
        self.init(bytes, isASCII: OffsetConverter.isASCII(bytes))
    }

    /// The words of `bytes`, of which `isASCII` tells whether all bytes are ASCII.
    init(_ bytes: UnsafeBufferPointer<UInt8>, isASCII: Bool) {
        self.isASCII = isASCII
        guard isASCII else {
            section = 0
            page = 0
            return
        }
        // One pass for both words (what `ASCII.find` gives for each), at the offsets where `se` or `pa` (any case)
        // starts, found sixteen bytes at a time.
        var section: Int?, page: Int?
        Self.starts.forEachCandidate(in: bytes, from: 0) { offset in
            switch bytes[offset] | 0x20 {
            case UInt8(ascii: "s") where section == nil && ASCII.occurs("section", in: bytes, at: offset): section = offset
            case UInt8(ascii: "p") where page == nil && ASCII.occurs("page", in: bytes, at: offset): page = offset
            default: break
            }
            return section == nil || page == nil ? offset + 1 : bytes.count
        }
        self.section = section
        self.page = page
    }
}

/// ASCII case-insensitive search in UTF-8 bytes.
enum ASCII {
    /// The offset of the first (or `last`) occurrence of `needle` (lowercase ASCII) in `bytes`, ignoring ASCII
    /// case, or nil.
    static func find(_ needle: StaticString, in bytes: UnsafeBufferPointer<UInt8>, last: Bool = false) -> Int? {
        let pattern = UnsafeBufferPointer(start: needle.utf8Start, count: needle.utf8CodeUnitCount)
        guard !pattern.isEmpty, pattern.count <= bytes.count else { return nil }
        let firstFolded = pattern[0] | 0x20
        func matches(at start: Int) -> Bool {
            // `b | 0x20` is one instruction and equals `firstFolded` whenever `lower(b) == pattern[0]`.
            bytes[start] | 0x20 == firstFolded && occurs(pattern, in: bytes, at: start)
        }
        if last {
            for start in stride(from: bytes.count - pattern.count, through: 0, by: -1) where matches(at: start) { return start }
        } else {
            for start in 0...(bytes.count - pattern.count) where matches(at: start) { return start }
        }
        return nil
    }

    /// Whether `needle` occurs in `bytes` exactly (case counts).
    static func contains(_ needle: StaticString, in bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        let count = needle.utf8CodeUnitCount
        guard let base = bytes.baseAddress, count > 0, count <= bytes.count else { return false }
        let first = needle.utf8Start[0]
        for start in 0...(bytes.count - count) where bytes[start] == first && memcmp(base + start, needle.utf8Start, count) == 0 {
            return true
        }
        return false
    }

    /// Whether `needle` occurs in `bytes` at `start` (exact case).
    static func occursExactly(_ needle: StaticString, in bytes: UnsafeBufferPointer<UInt8>, at start: Int) -> Bool {
        let count = needle.utf8CodeUnitCount
        guard let base = bytes.baseAddress, start + count <= bytes.count else { return false }
        return memcmp(base + start, needle.utf8Start, count) == 0
    }

    /// Whether `needle` (lowercase ASCII) occurs in `bytes` at `start`, ignoring ASCII case.
    static func occurs(_ needle: StaticString, in bytes: UnsafeBufferPointer<UInt8>, at start: Int) -> Bool {
        occurs(UnsafeBufferPointer(start: needle.utf8Start, count: needle.utf8CodeUnitCount), in: bytes, at: start)
    }

    private static func occurs(_ needle: UnsafeBufferPointer<UInt8>, in bytes: UnsafeBufferPointer<UInt8>, at start: Int) -> Bool {
        guard start + needle.count <= bytes.count else { return false }
        // Every byte is compared, the differences or-ed together: one branch at the end instead of one per byte, which
        // mispredicts where a near miss ends (needles are a few letters).
        var difference: UInt8 = 0
        for offset in 0..<needle.count { difference |= ByteClass.lower(bytes[start + offset]) ^ needle[offset] }
        return difference == 0
    }
}

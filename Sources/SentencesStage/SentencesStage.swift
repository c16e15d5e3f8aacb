import ClinPipeCore
import ClinPipeText
import Foundation

/// The `sentences` stage: `sentence` annotations from Unicode sentence breaks over the normalized layer, corrected
/// for clinical text.
///
/// The UAX #29 sentence rules (`SentenceBoundaries`: ICU's root-locale boundaries, computed on the bytes) propose
/// boundaries; the stage then removes a boundary after a known abbreviation
/// (`Dr.`, `p.o.`, `b.i.d.`, `q.h.s.`, `vs.`, `e.g.`, `No. 5`: `Rules/abbreviations.tsv`), after a list number
/// (`1.`, `a)`), or inside a number, date or level (`L4-5.` ends a sentence only before a capital or the end). A
/// line break always ends a sentence (unless `breakAtNewlines` is off): the normalized layer keeps a line per
/// heading, field or paragraph, so a heading is its own sentence. Sentences exclude surrounding whitespace; their spans are mapped to the original
/// text.
public struct SentencesStage: Stage {
    public struct Configuration: StageConfiguration {
        /// More abbreviations (TSV with `abbreviation` and `when` columns), added to the built-in list.
        public var abbreviations: [String] = []
        /// End a sentence at every line break of the normalized layer (the default: the layer keeps a line per
        /// heading, field or paragraph). `false` reads line feeds and carriage returns as spaces, so that a
        /// sentence runs on across line breaks and only sentence ends (and the exceptions below) decide; a heading
        /// then joins the text after it.
        public var breakAtNewlines = true
        public init() {}
    }

    public static let descriptor = StageDescriptor(
        name: "sentences",
        summary: "Sentences from Unicode sentence breaks with clinical abbreviation, list and number exceptions",
        produces: ["sentence"])

    private let abbreviations: AbbreviationTable
    private let configuration: Configuration
    private let stageName: String

    public init(configuration: Configuration = Configuration(), environment: StageEnvironment = StageEnvironment(stageName: "sentences")) throws {
        var tables = [try RuleTable(name: "abbreviations.tsv", text: EmbeddedRules.text("abbreviations.tsv"), required: ["abbreviation", "when"])]
        var problems: [String] = []
        for path in configuration.abbreviations {
            let url = environment.resolve(path)
            guard let text = try? String(contentsOf: url, encoding: .utf8) else {
                problems.append("cannot read abbreviations \(url.path)")
                continue
            }
            do { tables.append(try RuleTable(name: path, text: text, required: ["abbreviation", "when"])) } catch let error as RuleFileError {
                problems += error.problems
            }
        }
        if !problems.isEmpty { throw RuleFileError(problems: problems) }
        self.abbreviations = try AbbreviationTable(tables: tables)
        self.configuration = configuration
        self.stageName = environment.stageName
    }

    public func process(_ document: inout Document) throws {
        let layer = document.normalized
        let spans = try layer.text.withUTF8Bytes { try sentenceSpans(in: $0) }
        try document.addAnnotations(type: "sentence", layerRanges: spans, in: layer, provenance: Provenance(stage: stageName))
    }

    /// Sentence spans (UTF-8 offsets of `bytes`), trimmed of whitespace, in order.
    ///
    /// Every line break is a boundary: the Unicode rules end a sentence after each one (UAX #29 SB4) and
    /// `keepsTogether` never removes a boundary that follows a line break.
    public func sentenceSpans(in bytes: UnsafeBufferPointer<UInt8>) throws -> [Range<Int>] {
        guard !configuration.breakAtNewlines else {
            // The exceptions are asked while the boundaries are found, about the boundaries after a full stop only:
            // `keepsTogether` answers false for every other boundary (it looks back for a period past ASCII spaces
            // and tabs, and stops at a line feed), as `SentenceBoundaries` requires.
            let kept = try SentenceBoundaries.boundaries(in: bytes, droppingAfterFullStop: { keepsTogether(bytes, at: $0) })
            return trimmedSpans(in: bytes, between: kept)
        }
        // Line feeds and carriage returns read as spaces (offsets unchanged), so that only sentence ends split.
        var joined = Array(bytes)
        for index in joined.indices where joined[index] == 0x0A || joined[index] == 0x0D { joined[index] = 0x20 }
        let proposed = try joined.withUnsafeBufferPointer { try SentenceBoundaries.boundaries(in: $0) }
        return spans(in: bytes, proposed: proposed)
    }

    /// `sentenceSpans(in:)` as it was before the exceptions were asked during the boundary scan: every proposed
    /// boundary filtered afterwards (for tests: the plain path).
    func sentenceSpansFilteringAfterwards(in bytes: UnsafeBufferPointer<UInt8>) throws -> [Range<Int>] {
        guard !configuration.breakAtNewlines else {
            return spans(in: bytes, proposed: try SentenceBoundaries.boundaries(in: bytes))
        }
        return try sentenceSpans(in: bytes)
    }

    /// The spans between the `proposed` boundaries that the clinical exceptions keep, trimmed of whitespace.
    private func spans(in bytes: UnsafeBufferPointer<UInt8>, proposed: [Int]) -> [Range<Int>] {
        let kept = proposed.filter { $0 == 0 || $0 == bytes.count || !keepsTogether(bytes, at: $0) }
        return trimmedSpans(in: bytes, between: kept)
    }

    /// The spans between consecutive `boundaries` (ascending, from 0), trimmed of whitespace; empty ones left out.
    private func trimmedSpans(in bytes: UnsafeBufferPointer<UInt8>, between boundaries: [Int]) -> [Range<Int>] {
        var spans: [Range<Int>] = []
        spans.reserveCapacity(boundaries.count)
        var start = 0
        for boundary in boundaries.dropFirst() {
            var lower = start, upper = boundary
            while lower < upper && ByteClass.isSpace(bytes[lower]) { lower += 1 }
            while upper > lower && ByteClass.isSpace(bytes[upper - 1]) { upper -= 1 }
            if upper > lower { spans.append(lower..<upper) }
            start = boundary
        }
        return spans
    }

    /// Whether a proposed boundary at `position` (the start of the next sentence) should be removed.
    private func keepsTogether(_ bytes: UnsafeBufferPointer<UInt8>, at position: Int) -> Bool {
        // The last non-space byte before the boundary and the first after.
        var end = position
        while end > 0 && (bytes[end - 1] == 0x20 || bytes[end - 1] == 0x09) { end -= 1 }
        if end > 0 && bytes[end - 1] == 0x0A { return false }  // a line break is always a boundary
        guard end > 0, bytes[end - 1] == 0x2E else { return false }  // only periods are reconsidered
        let next = position < bytes.count ? bytes[position] : 0
        // The token ending with the period. A token longer than every abbreviation (and than a list number) is
        // neither, so the walk stops one byte past that length (at `floor`).
        let floor = max(end - 1 - max(abbreviations.longestWord, 3), 0)
        var tokenStart = end - 1
        while tokenStart > floor && !ByteClass.isSpace(bytes[tokenStart - 1]) && bytes[tokenStart - 1] != 0x28 { tokenStart -= 1 }
        let token = UnsafeBufferPointer(rebasing: bytes[tokenStart..<end])
        // A list number alone: "1." "12." "a." at the start of a line or sentence.
        if token.count <= 3, token.dropLast().allSatisfy(ByteClass.isDigit) || (token.count == 2 && ByteClass.isWord(token[0])) {
            let lineStart = tokenStart == 0 || bytes[tokenStart - 1] == 0x0A
            if lineStart { return true }
        }
        switch abbreviations.rule(for: token, previousWord: previousWord(bytes, before: tokenStart)) {
        case .always?: return true
        case .beforeDigit?: return ByteClass.isDigit(next)
        case .beforeLowercase?: return next >= 0x61 && next <= 0x7A
        case nil:
            // A period directly followed by a lowercase letter or digit is not a sentence end (ICU rarely proposes it).
            return next >= 0x61 && next <= 0x7A
        }
    }

    private func previousWord(_ bytes: UnsafeBufferPointer<UInt8>, before position: Int) -> UnsafeBufferPointer<UInt8>? {
        var end = position
        while end > 0 && bytes[end - 1] == 0x20 { end -= 1 }
        guard end > 0, end < position else { return nil }
        var start = end
        while start > 0 && !ByteClass.isSpace(bytes[start - 1]) { start -= 1 }
        return UnsafeBufferPointer(rebasing: bytes[start..<end])
    }
}

/// Abbreviations by their lowercased spelling, with the condition under which their period is no sentence end.
struct AbbreviationTable: Sendable {
    enum Rule: String { case always, beforeDigit = "before_digit", beforeLowercase = "before_lower" }

    /// What a lowercased word ending with a period means.
    private struct Entry: Sendable {
        let word: [UInt8]
        /// The rule for the word alone, when it is listed alone (a later row replaces an earlier one).
        var single: Rule?
        /// Two-word abbreviations such as `et al.` ending with the word: the word before, and the rule (the first
        /// row that matches wins).
        var pairs: [(previous: [UInt8], rule: Rule)] = []
    }

    /// Entries by the hash of their word (`hash`), so that a token is looked up without building an array.
    private var entries: [UInt64: [Entry]] = [:]
    /// The length of the longest word: a longer token is no abbreviation.
    private(set) var longestWord = 0

    init(tables: [RuleTable]) throws {
        var problems: [String] = []
        for table in tables {
            for row in table.rows {
                guard let rule = Rule(rawValue: row["when"]) else {
                    problems.append("\(table.name):\(row.line): 'when' must be always, before_digit or before_lower")
                    continue
                }
                let words = row["abbreviation"].lowercased().split(separator: " ").map { Array($0.utf8) }
                guard let last = words.last, last.last == 0x2E else {
                    problems.append("\(table.name):\(row.line): an abbreviation ends with a period")
                    continue
                }
                longestWord = max(longestWord, last.count)
                let key = Self.hash(last)
                var bucket = entries[key] ?? []
                let index: Int
                if let found = bucket.firstIndex(where: { $0.word == last }) {
                    index = found
                } else {
                    bucket.append(Entry(word: last))
                    index = bucket.count - 1
                }
                if words.count == 1 { bucket[index].single = rule } else { bucket[index].pairs.append((words[words.count - 2], rule)) }
                entries[key] = bucket
            }
        }
        if !problems.isEmpty { throw RuleFileError(problems: problems) }
    }

    /// The rule for `token` (a word ending with a period). `previousWord`, the word before it, is only read when the
    /// token ends a two-word abbreviation.
    func rule(for token: UnsafeBufferPointer<UInt8>, previousWord: @autoclosure () -> UnsafeBufferPointer<UInt8>?) -> Rule? {
        guard token.count <= longestWord, let bucket = entries[Self.hash(token)],
              let entry = bucket.first(where: { Self.equalsLowercased($0.word, token) })
        else { return nil }
        if !entry.pairs.isEmpty, let previousWord = previousWord(), let match = entry.pairs.first(where: { Self.equalsLowercased($0.previous, previousWord) }) {
            return match.rule
        }
        return entry.single
    }

    /// FNV-1a of the ASCII-lowercased bytes.
    private static func hash<C: Collection<UInt8>>(_ bytes: C) -> UInt64 {
        var hash: UInt64 = 0xCBF2_9CE4_8422_2325
        for byte in bytes { hash = (hash ^ UInt64(ByteClass.lower(byte))) &* 0x100_0000_01B3 }
        return hash
    }

    /// Whether `bytes` lowercased (ASCII) are `word`.
    private static func equalsLowercased(_ word: [UInt8], _ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        word.count == bytes.count && zip(word, bytes).allSatisfy { $0 == ByteClass.lower($1) }
    }
}

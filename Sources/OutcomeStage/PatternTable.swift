import ClinPipeCore
import ClinPipeText

/// A rule table whose rows each carry a label and a PCRE2 pattern, compiled once, matched in file order.
///
/// An optional `keywords` column (see `KeywordFilter`) names words that every match of the row's pattern contains;
/// a row whose keywords are absent from a text is not run on it. Results are the same as without the column.
struct PatternTable: Sendable {
    struct Row: Sendable {
        let label: String
        let pattern: PCRE2Pattern?
        /// Other columns of the row.
        let extra: [String: String]
        let source: String
    }

    let rows: [Row]
    /// The rows' keywords (never filters when the file has no `keywords` column).
    let filter: KeywordFilter
    /// Each row's `keywords` field, kept to build the filter of a joined table.
    let keywords: [String]

    /// Compiles every row of `file` (an embedded rule file), with `labelColumn` as the label.
    init(file: String, labelColumn: String, extraColumns: [String] = []) throws {
        let table = try RuleTable(name: file, text: EmbeddedRules.text(file), required: [labelColumn])
        rows = try table.rows.map { row in
            var extra: [String: String] = [:]
            for column in extraColumns { extra[column] = row[column] }
            return Row(label: row[labelColumn],
                       pattern: row["pattern"].isEmpty ? nil : try PCRE2Pattern(row["pattern"], options: [.caseless]),
                       extra: extra, source: "\(file):\(row.line)")
        }
        keywords = table.rows.map { $0["keywords"] }
        filter = try KeywordFilter(fields: keywords, patterns: rows.map { $0.pattern?.pattern }, names: rows.map(\.source))
    }

    /// The rows of `tables`, one table after another, with one filter for them all: a single `filter.scan` of a
    /// text then serves the rows of every table.
    /// - Throws: `RuleFileError` when the joined keywords exceed what one filter holds (64 groups).
    init(joining tables: [PatternTable]) throws {
        try self.init(rows: tables.flatMap(\.rows), keywords: tables.flatMap(\.keywords))
    }

    /// The rows of `table` that `keep` accepts, in order.
    init(_ table: PatternTable, keeping keep: (Row) -> Bool) throws {
        let kept = zip(table.rows, table.keywords).filter { keep($0.0) }
        try self.init(rows: kept.map(\.0), keywords: kept.map(\.1))
    }

    private init(rows: [Row], keywords: [String]) throws {
        self.rows = rows
        self.keywords = keywords
        filter = try KeywordFilter(fields: keywords, patterns: rows.map { $0.pattern?.pattern }, names: rows.map(\.source))
    }

    /// Whether row `index` matches `bytes`, given the keyword `scan` of `bytes`.
    func matches(_ index: Int, in bytes: UnsafeBufferPointer<UInt8>, scan: KeywordFilter.Scan) throws -> Bool {
        guard scan.holdsGroups(of: index), let pattern = rows[index].pattern else { return false }
        var found = false
        guard scan.isBySegment(index) else {
            // The text holds the row's keywords: search all of it.
            try pattern.forEachMatch(in: bytes, from: 0) { _ in
                found = true
                return false
            }
            return found
        }
        // A match lies inside one segment: search each from its start, in the text up to and including the
        // separator after it. A match never consumes the separator, so neither can an assertion look past it, and
        // the pattern has no `$` (see `PatternAlphabet`): the matches that start in the segment are the same.
        try scan.forEachSegment(of: index) { segment in
            let subject = UnsafeBufferPointer(rebasing: bytes[..<min(bytes.count, segment.upperBound + 1)])
            try pattern.forEachMatch(in: subject, from: segment.lowerBound) { _ in
                found = true
                return false
            }
            return !found
        }
        return found
    }

    /// Whether row `index` matches `part` of `bytes` read as a text of its own (what `matches(_:in:scan:)` gives for
    /// the part's bytes and their own scan), given the keyword `scan` of the whole of `bytes`.
    ///
    /// The whole text's scan finds every keyword the part holds, in the segment that holds it, and segments end at the
    /// same separators: clipped to the part, the segments are the part's own, each with at least the groups a scan of
    /// the part finds there. So the pattern runs on a superset of the segments (or texts) a scan of the part would
    /// allow, each searched as there, and a match is a match of the pattern in the part: the result is the same.
    func matches(_ index: Int, inPart part: Range<Int>, of bytes: UnsafeBufferPointer<UInt8>, scan: KeywordFilter.Scan) throws -> Bool {
        guard scan.holdsGroups(of: index), let pattern = rows[index].pattern else { return false }
        let text = UnsafeBufferPointer(rebasing: bytes[part])
        var found = false
        guard scan.isBySegment(index) else {
            try pattern.forEachMatch(in: text, from: 0) { _ in
                found = true
                return false
            }
            return found
        }
        try scan.forEachSegment(of: index) { segment in
            // In text order: no segment after one that starts past the part reaches into it.
            guard segment.lowerBound < part.upperBound else { return false }
            guard segment.upperBound > part.lowerBound else { return true }
            // The segment clipped to the part, in the part's offsets; searched as `matches(_:in:scan:)` searches it.
            let start = max(segment.lowerBound, part.lowerBound) - part.lowerBound
            let end = min(segment.upperBound, part.upperBound) - part.lowerBound
            let subject = UnsafeBufferPointer(rebasing: text[..<min(text.count, end + 1)])
            try pattern.forEachMatch(in: subject, from: start) { _ in
                found = true
                return false
            }
            return !found
        }
        return found
    }

    /// The label of the first row (in file order) whose pattern matches `bytes`, else `fallback`: what `firstMatch`
    /// gives, or `fallback` for none. The rows labelled `fallback` at the table's end are not run: matching or not,
    /// they give `fallback` (the `other` row of `Rules/categories.tsv`, `.`, would run on every item no other row
    /// names).
    func firstLabel(in bytes: UnsafeBufferPointer<UInt8>, fallback: String) throws -> String {
        var end = rows.count
        while end > 0 && rows[end - 1].label == fallback { end -= 1 }
        let scan = filter.scan(bytes)
        for index in 0..<end where try matches(index, in: bytes, scan: scan) { return rows[index].label }
        return fallback
    }

    /// The first row (in file order) whose pattern matches `bytes`.
    /// - Parameter prefilter: whether to scan `bytes` for the rows' keywords first. Without, every row runs until
    ///   one matches: cheaper for short texts whose first rows usually match. Results are the same.
    func firstMatch(in bytes: UnsafeBufferPointer<UInt8>, prefilter: Bool = true) throws -> Row? {
        guard prefilter else {
            for row in rows where try row.pattern?.firstMatchRange(in: bytes) != nil { return row }
            return nil
        }
        let scan = filter.scan(bytes)
        for index in rows.indices where try matches(index, in: bytes, scan: scan) { return rows[index] }
        return nil
    }
}

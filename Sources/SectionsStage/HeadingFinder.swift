import ClinPipeCore
import ClinPipeText

/// A heading found in the normalized layer.
struct FoundHeading: Sendable {
    /// The heading's words, without its colon (UTF-8 bytes of the layer).
    var title: Range<Int>
    /// The index of the heading table's entry (`HeadingEntry.index`, see `HeadingFinder.entry(of:)`), or nil for an
    /// unmapped heading: an index rather than the entry, so that headings, sections and their arrays hold no
    /// references (nothing to retain, release or destroy one by one).
    var entry: Int?
    /// The shape that found it: its index in `HeadingFinder.shapes`.
    var shape: Int
}

/// Finds headings with the shapes of `Rules/heading-shapes.tsv` (where a heading may stand: alone on a line, at a
/// line start, after a flattened line break, after a sentence end) and decides, with the heading table, which
/// candidates are headings.
///
/// A candidate is a heading when its title is in the table (and, if written in mixed case, the shape allows mixed
/// case), or when the shape accepts unmapped headings and the title is in capitals with at least `min_letters`
/// letters. A candidate on a line an `exclude` row matches (an IMR decision line) is dropped, and so is one that
/// overlaps an earlier heading. Each shape is one pass over the layer: PCRE2's, or for a shipped row the byte
/// code of `BuiltInHeadingShape`, which finds the same matches.
struct HeadingFinder: Sendable {
    struct Shape: Sendable {
        var name: String
        /// `heading-shapes.tsv:<name>`, the provenance rule of the unmapped headings it finds.
        var rule: String
        var pattern: PrefilteredPattern
        /// The byte code that stands for `pattern` when it is a shipped row (same matches), else nil.
        var builtIn: BuiltInHeadingShape?
        var titleGroup: Int
        var unmapped: Bool
        var mixedCase: Bool
        var minLetters: Int
    }

    let shapes: [Shape]
    let exclusions: [PrefilteredPattern]
    /// Per exclusion, the byte code that stands for it when it is the shipped row, else nil.
    let builtInExclusions: [BuiltInHeadingShape?]
    let table: HeadingTable

    static let columns = ["shape", "pattern"]

    init(tables: [RuleTable], headingTable: HeadingTable) throws {
        var shapes: [Shape] = []
        var exclusions: [PrefilteredPattern] = []
        var builtInExclusions: [BuiltInHeadingShape?] = []
        var problems: [String] = []
        for table in tables {
            for row in table.rows {
                do {
                    let compiled = try RuleSources.compile(row, in: table)
                    let pattern = PrefilteredPattern(compiled)
                    let builtIn = BuiltInHeadingShape(pattern: compiled)
                    if row["shape"] == "exclude" {
                        exclusions.append(pattern)
                        builtInExclusions.append(builtIn)
                        continue
                    }
                    guard let titleGroup = pattern.groupNumbers["title"] else {
                        problems.append("\(table.name):\(row.line): the pattern has no group named 'title'")
                        continue
                    }
                    var minLetters = 2
                    if !row["min_letters"].isEmpty {
                        guard let value = Int(row["min_letters"]), value >= 1 else {
                            problems.append("\(table.name):\(row.line): min_letters must be a positive whole number")
                            continue
                        }
                        minLetters = value
                    }
                    shapes.append(Shape(name: row["shape"], rule: "heading-shapes.tsv:" + row["shape"], pattern: pattern, builtIn: builtIn,
                                        titleGroup: titleGroup,
                                        unmapped: try RuleSources.flag(row, "unmapped", in: table, default: false),
                                        mixedCase: try RuleSources.flag(row, "mixed_case", in: table, default: false),
                                        minLetters: minLetters))
                } catch let error as RuleFileError {
                    problems += error.problems
                }
            }
        }
        if !problems.isEmpty { throw RuleFileError(problems: problems) }
        self.shapes = shapes
        self.exclusions = exclusions
        self.builtInExclusions = builtInExclusions
        self.table = headingTable
    }

    /// The headings of `bytes` (a whole layer), in text order, without overlaps.
    /// - Parameters:
    ///   - unmapped: accept unmapped headings where shapes allow them.
    ///   - keys: the key positions of `bytes`, shared by the shapes (and other patterns searched over the layer).
    ///   - positions: the positions of line feeds, colons and commas of `bytes`, shared the same way by the shipped
    ///     shapes' byte code.
    func headings(in bytes: UnsafeBufferPointer<UInt8>, unmapped acceptUnmapped: Bool, keys: inout PrefilterKeys,
                  positions: inout BytePositions) throws -> [FoundHeading]
    {
        var candidates: [(heading: FoundHeading, order: Int)] = []
        // Room for a letter's candidates at once (about fifteen), not doublings from one.
        candidates.reserveCapacity(32)
        // The title starts of the candidates so far (of earlier shapes), ascending. A later shape's candidate with
        // the same start never survives the selection below (the earlier one comes first in the order, and
        // whatever drops it, an overlap or an exclusion, drops the later one too), so it is not judged.
        var known: [Int] = []
        // One shape's titles, in text order without overlaps (as its matches come), and the starts of those that
        // became candidates; each reused from shape to shape, with room for a letter's at once.
        var titles: [Range<Int>] = []
        titles.reserveCapacity(32)
        var added: [Int] = []
        added.reserveCapacity(32)
        for order in shapes.indices {
            titles.removeAll(keepingCapacity: true)
            added.removeAll(keepingCapacity: true)
            if let builtIn = shapes[order].builtIn {
                builtIn.forEachMatch(in: bytes, positions: &positions) { _, title in titles.append(title) }
            } else {
                let titleGroup = shapes[order].titleGroup
                try shapes[order].pattern.forEachMatch(in: bytes, keys: &keys) { match in
                    if let title = match.range(titleGroup) { titles.append(title) }
                    return true
                }
            }
            var cursor = 0
            for title in titles where !title.isEmpty {
                while cursor < known.count && known[cursor] < title.lowerBound { cursor += 1 }
                if cursor < known.count && known[cursor] == title.lowerBound { continue }
                if let heading = judge(title, in: bytes, shape: order, acceptUnmapped: acceptUnmapped) {
                    candidates.append((heading, order))
                    added.append(title.lowerBound)
                }
            }
            if !added.isEmpty { known = Self.merged(known, added) }
        }
        guard !candidates.isEmpty else { return [] }
        candidates.sort { $0.heading.title.lowerBound != $1.heading.title.lowerBound
            ? $0.heading.title.lowerBound < $1.heading.title.lowerBound : $0.order < $1.order }
        let excluded = try excludedRanges(in: bytes, keys: &keys, positions: &positions)
        var result: [FoundHeading] = []
        result.reserveCapacity(candidates.count)
        var excludedIndex = 0
        for (heading, _) in candidates {
            if let last = result.last, heading.title.lowerBound < last.title.upperBound { continue }
            let start = heading.title.lowerBound
            while excludedIndex < excluded.count && excluded[excludedIndex].upperBound <= start { excludedIndex += 1 }
            if excludedIndex < excluded.count && excluded[excludedIndex].contains(start) { continue }
            result.append(heading)
        }
        return result
    }

    /// The name of the shape (row of `heading-shapes.tsv`) that found `heading`.
    func shapeName(of heading: FoundHeading) -> String { shapes[heading.shape].name }

    /// The provenance rule of `heading`: the table row's `file:line` for a mapped heading, `heading-shapes.tsv:<shape>`
    /// otherwise.
    func rule(of heading: FoundHeading) -> String { entry(of: heading)?.source ?? shapes[heading.shape].rule }

    /// The heading table's entry of `heading`, nil for an unmapped heading.
    func entry(of heading: FoundHeading) -> HeadingEntry? { heading.entry.map { table.entryList[$0] } }

    /// Two ascending arrays as one.
    private static func merged(_ a: [Int], _ b: [Int]) -> [Int] {
        var result: [Int] = []
        result.reserveCapacity(a.count + b.count)
        var i = 0, j = 0
        while i < a.count || j < b.count {
            if j == b.count || (i < a.count && a[i] <= b[j]) {
                result.append(a[i])
                i += 1
            } else {
                result.append(b[j])
                j += 1
            }
        }
        return result
    }

    /// Decides whether one candidate title, found by `shapes[shape]`, is a heading.
    private func judge(_ title: Range<Int>, in bytes: UnsafeBufferPointer<UInt8>, shape: Int, acceptUnmapped: Bool) -> FoundHeading? {
        // The letters are counted for a title in capitals only (a lower-case letter ends the count: such a title is
        // a heading only through the table).
        var letters = 0
        var hasLowercase = false
        for i in title {
            let byte = bytes[i]
            if byte >= 0x61 && byte <= 0x7A {
                hasLowercase = true
                break
            }
            if ByteClass.isUpper(byte) { letters += 1 }
        }
        // A title in mixed case is a heading only through the table, and only where the shape allows mixed case.
        if hasLowercase && !shapes[shape].mixedCase { return nil }
        if let entry = table.entry(forTitle: UnsafeBufferPointer(rebasing: bytes[title])) {
            return FoundHeading(title: title, entry: entry.index, shape: shape)
        }
        guard acceptUnmapped, shapes[shape].unmapped, !hasLowercase, letters >= shapes[shape].minLetters else { return nil }
        return FoundHeading(title: title, entry: nil, shape: shape)
    }

    /// The lines matched by `exclude` rows, sorted and merged.
    private func excludedRanges(in bytes: UnsafeBufferPointer<UInt8>, keys: inout PrefilterKeys, positions: inout BytePositions) throws
        -> [Range<Int>]
    {
        guard !exclusions.isEmpty else { return [] }
        var ranges: [Range<Int>] = []
        // Room for a letter's excluded lines (its item lines, a few) at once, not doublings from one.
        ranges.reserveCapacity(16)
        for index in exclusions.indices {
            if let builtIn = builtInExclusions[index] {
                builtIn.forEachMatch(in: bytes, positions: &positions) { match, _ in ranges.append(match) }
                continue
            }
            try exclusions[index].forEachMatch(in: bytes, keys: &keys) { match in
                ranges.append(match.range)
                return true
            }
        }
        ranges.sort { $0.lowerBound < $1.lowerBound }
        var merged: [Range<Int>] = []
        merged.reserveCapacity(ranges.count)
        for range in ranges {
            if let last = merged.last, range.lowerBound <= last.upperBound {
                merged[merged.count - 1] = last.lowerBound..<max(last.upperBound, range.upperBound)
            } else {
                merged.append(range)
            }
        }
        return merged
    }
}

import CByteScan
/// An exact alignment between an original text and a derived text (a layer), both measured in **UTF-8 bytes**.
///
/// The map is a sorted list of `edits`; text between edits is identical in both, so positions there shift by a
/// constant. Inside an edit the correspondence is unknown, so a span that begins or ends strictly inside an edit
/// widens to the edit's edges. At an edit's edge a span keeps out text that was only inserted or deleted there.
///
/// Invariants (checked at construction): edits are sorted, their ranges lie within the two texts, and two
/// consecutive edits are separated by at least one unchanged byte in both texts (touching edits are merged).
public struct OffsetMap: Sendable, Hashable {
    /// `originalRange` in the original text became `layerRange` in the layer. Either may be empty.
    public struct Edit: Sendable, Hashable {
        public var originalRange: Range<Int>
        public var layerRange: Range<Int>
        public init(originalRange: Range<Int>, layerRange: Range<Int>) {
            self.originalRange = originalRange
            self.layerRange = layerRange
        }

        @inline(__always) func range(_ side: Side) -> Range<Int> { side == .original ? originalRange : layerRange }
    }

    public let edits: [Edit]
    /// Length of the original text in UTF-8 bytes.
    public let originalLength: Int
    /// Length of the layer's text in UTF-8 bytes.
    public let layerLength: Int

    /// The map of a layer identical to its original.
    public static func identity(length: Int) -> OffsetMap {
        OffsetMap(uncheckedEdits: [], originalLength: length, layerLength: length)
    }

    /// Builds a map from edits sorted by position. Touching or overlapping edits are merged.
    /// - Throws: `OffsetMapError` if the edits are unsorted, out of bounds, or disagree on the unchanged text.
    public init(edits: [Edit], originalLength: Int, layerLength: Int) throws {
        var merged: [Edit] = []
        merged.reserveCapacity(edits.count)
        for edit in edits {
            guard edit.originalRange.lowerBound >= 0, edit.layerRange.lowerBound >= 0,
                edit.originalRange.upperBound <= originalLength, edit.layerRange.upperBound <= layerLength
            else { throw OffsetMapError.outOfBounds }
            if let last = merged.last {
                guard edit.originalRange.lowerBound >= last.originalRange.upperBound,
                    edit.layerRange.lowerBound >= last.layerRange.upperBound
                else { throw OffsetMapError.unsorted }
                let gapOriginal = edit.originalRange.lowerBound - last.originalRange.upperBound
                let gapLayer = edit.layerRange.lowerBound - last.layerRange.upperBound
                guard gapOriginal == gapLayer else { throw OffsetMapError.inconsistentGap }
                if gapOriginal == 0 {
                    merged[merged.count - 1] = Edit(
                        originalRange: last.originalRange.lowerBound..<edit.originalRange.upperBound,
                        layerRange: last.layerRange.lowerBound..<edit.layerRange.upperBound)
                    continue
                }
            } else {
                guard edit.originalRange.lowerBound == edit.layerRange.lowerBound else {
                    throw OffsetMapError.inconsistentGap
                }
            }
            merged.append(edit)
        }
        let tailOriginal = originalLength - (merged.last?.originalRange.upperBound ?? 0)
        let tailLayer = layerLength - (merged.last?.layerRange.upperBound ?? 0)
        guard tailOriginal == tailLayer else { throw OffsetMapError.inconsistentGap }
        self.init(uncheckedEdits: merged, originalLength: originalLength, layerLength: layerLength)
    }

    private init(uncheckedEdits: [Edit], originalLength: Int, layerLength: Int) {
        self.edits = uncheckedEdits
        self.originalLength = originalLength
        self.layerLength = layerLength
    }

    /// True when the layer equals the original.
    public var isIdentity: Bool { edits.isEmpty }

    /// Maps a half-open span of the layer to the original text (UTF-8 bytes), widening at edits.
    public func toOriginal(_ range: Range<Int>) -> Range<Int> {
        Self.mapSpan(range, edits: edits, from: .layer, to: .original)
    }

    /// Maps a half-open span of the original text to the layer (UTF-8 bytes), widening at edits.
    public func toLayer(_ range: Range<Int>) -> Range<Int> {
        Self.mapSpan(range, edits: edits, from: .original, to: .layer)
    }

    /// Maps half-open spans of the layer to the original text (UTF-8 bytes), each exactly as `toOriginal(_:)` maps
    /// it. Spans in text order without overlaps (sentences) are the fast case: the edit before each bound is found by
    /// walking on from the previous bound's instead of by a binary search; any other order is mapped correctly too.
    public func toOriginal(_ ranges: [Range<Int>]) -> [Range<Int>] {
        if edits.isEmpty { return ranges }
        var cursor = LayerEditCursor()
        return ranges.map { range in
            let lower = Self.begin(range.lowerBound, lastEdit: cursor.lastEdit(startingAtOrBefore: range.lowerBound, in: edits),
                                   edits: edits, from: .layer, to: .original)
            let upper = Self.end(range.upperBound, lastEdit: cursor.lastEdit(startingAtOrBefore: range.upperBound, in: edits),
                                 edits: edits, from: .layer, to: .original)
            return lower..<max(lower, upper)
        }
    }

    /// Maps a layer position to the original, as the start of a span would map.
    public func toOriginal(position: Int) -> Int { toOriginal(position..<position).lowerBound }

    /// Maps an original position to the layer, as the start of a span would map.
    public func toLayer(position: Int) -> Int { toLayer(position..<position).lowerBound }

    /// The map from the original of `self` to the layer of `next`, where `next` maps `self`'s layer onward.
    /// Edits of the two maps that touch or overlap become one edit.
    public func composed(with next: OffsetMap) -> OffsetMap {
        precondition(next.originalLength == layerLength, "composed maps must share the middle text")
        if edits.isEmpty { return OffsetMap(uncheckedEdits: next.edits, originalLength: originalLength, layerLength: next.layerLength) }
        if next.edits.isEmpty { return OffsetMap(uncheckedEdits: edits, originalLength: originalLength, layerLength: next.layerLength) }
        // Intervals in the middle text: the layer side of `self`, the original side of `next`.
        var clusters: [ClosedRange<Int>] = []
        var i = 0, j = 0
        while i < edits.count || j < next.edits.count {
            let interval: ClosedRange<Int>
            if j >= next.edits.count || (i < edits.count && edits[i].layerRange.lowerBound <= next.edits[j].originalRange.lowerBound) {
                interval = edits[i].layerRange.lowerBound...edits[i].layerRange.upperBound
                i += 1
            } else {
                interval = next.edits[j].originalRange.lowerBound...next.edits[j].originalRange.upperBound
                j += 1
            }
            if let last = clusters.last, interval.lowerBound <= last.upperBound {
                clusters[clusters.count - 1] = last.lowerBound...max(last.upperBound, interval.upperBound)
            } else {
                clusters.append(interval)
            }
        }
        var result: [Edit] = []
        result.reserveCapacity(clusters.count)
        for cluster in clusters {
            let originalLower = Self.lowest(cluster.lowerBound, edits: edits, from: .layer, to: .original)
            let originalUpper = Self.highest(cluster.upperBound, edits: edits, from: .layer, to: .original)
            let layerLower = Self.lowest(cluster.lowerBound, edits: next.edits, from: .original, to: .layer)
            let layerUpper = Self.highest(cluster.upperBound, edits: next.edits, from: .original, to: .layer)
            // Edits whose two sides are the same text would be possible only with equal lengths; keep them: an
            // edit is an upper bound on what changed, never wrong.
            result.append(Edit(originalRange: originalLower..<originalUpper, layerRange: layerLower..<layerUpper))
        }
        // Clusters are separated by at least one byte that no edit touches, so the result keeps the invariants.
        return OffsetMap(uncheckedEdits: result, originalLength: originalLength, layerLength: next.layerLength)
    }

    // MARK: - Position mapping

    /// Which text of an edit a position refers to.
    enum Side { case original, layer }

    /// Byte offsets, inside an `Edit`, of the start of its original range and of its layer range (`Int`s).
    private static let originalStartOffset = MemoryLayout<Edit>.offset(of: \Edit.originalRange)!
        + MemoryLayout<Range<Int>>.offset(of: \Range<Int>.lowerBound)!
    private static let layerStartOffset = MemoryLayout<Edit>.offset(of: \Edit.layerRange)!
        + MemoryLayout<Range<Int>>.offset(of: \Range<Int>.lowerBound)!

    /// Index of the last edit whose `from` range starts at or before `position`, or -1. The search reads the
    /// edits' starts in place (`cbs_count_keys_at_or_before`: conditional moves, so positions looked up all over a
    /// document cost no mispredicted branches).
    private static func lastEdit(startingAtOrBefore position: Int, edits: [Edit], from: Side) -> Int {
        edits.withUnsafeBufferPointer { edits in
            guard let base = edits.baseAddress else { return 0 }
            let offset = from == .original ? Self.originalStartOffset : Self.layerStartOffset
            return Int(cbs_count_keys_at_or_before(UnsafeRawPointer(base) + offset, MemoryLayout<Edit>.stride, edits.count,
                                                   Int64(position)))
        } - 1
    }

    private static func shift(_ position: Int, after index: Int, edits: [Edit], from: Side,
                              to: Side) -> Int
    {
        guard index >= 0 else { return position }
        let edit = edits[index]
        return position - edit.range(from).upperBound + edit.range(to).upperBound
    }

    /// The smallest target position that corresponds to `position`.
    static func lowest(_ position: Int, edits: [Edit], from: Side, to: Side) -> Int {
        lowest(position, lastEdit: lastEdit(startingAtOrBefore: position, edits: edits, from: from), edits: edits, from: from, to: to)
    }

    /// `lowest` with `index`, the last edit starting at or before `position` (or -1), already found.
    private static func lowest(_ position: Int, lastEdit index: Int, edits: [Edit], from: Side, to: Side) -> Int {
        if index >= 0 {
            let edit = edits[index]
            let source = edit.range(from)
            if source.lowerBound == position || position < source.upperBound { return edit.range(to).lowerBound }
            if source.upperBound == position { return edit.range(to).upperBound }
        }
        return shift(position, after: index, edits: edits, from: from, to: to)
    }

    /// The largest target position that corresponds to `position`.
    static func highest(_ position: Int, edits: [Edit], from: Side, to: Side) -> Int {
        highest(position, lastEdit: lastEdit(startingAtOrBefore: position, edits: edits, from: from), edits: edits, from: from, to: to)
    }

    /// `highest` with `index`, the last edit starting at or before `position` (or -1), already found.
    private static func highest(_ position: Int, lastEdit index: Int, edits: [Edit], from: Side, to: Side) -> Int {
        if index >= 0 {
            let edit = edits[index]
            let source = edit.range(from)
            if position <= source.upperBound && (position > source.lowerBound || source.isEmpty) {
                return edit.range(to).upperBound
            }
            if source.lowerBound == position { return edit.range(to).lowerBound }
        }
        return shift(position, after: index, edits: edits, from: from, to: to)
    }

    private static func mapSpan(_ range: Range<Int>, edits: [Edit], from: Side,
                                to: Side) -> Range<Int>
    {
        if edits.isEmpty { return range }
        let lower = begin(range.lowerBound, edits: edits, from: from, to: to)
        let upper = end(range.upperBound, edits: edits, from: from, to: to)
        return lower..<max(lower, upper)
    }

    /// Where a span starting at `position` starts: the edit's start if inside one, else past any empty edit here.
    private static func begin(_ position: Int, edits: [Edit], from: Side, to: Side) -> Int {
        begin(position, lastEdit: lastEdit(startingAtOrBefore: position, edits: edits, from: from), edits: edits, from: from, to: to)
    }

    /// `begin` with `index`, the last edit starting at or before `position` (or -1), already found.
    private static func begin(_ position: Int, lastEdit index: Int, edits: [Edit], from: Side, to: Side) -> Int {
        if index >= 0 {
            let source = edits[index].range(from)
            if source.lowerBound < position && position < source.upperBound { return edits[index].range(to).lowerBound }
        }
        return highest(position, lastEdit: index, edits: edits, from: from, to: to)
    }

    /// Where a span ending at `position` ends: the edit's end if inside one, else before any empty edit here.
    private static func end(_ position: Int, edits: [Edit], from: Side, to: Side) -> Int {
        end(position, lastEdit: lastEdit(startingAtOrBefore: position, edits: edits, from: from), edits: edits, from: from, to: to)
    }

    /// `end` with `index`, the last edit starting at or before `position` (or -1), already found.
    private static func end(_ position: Int, lastEdit index: Int, edits: [Edit], from: Side, to: Side) -> Int {
        if index >= 0 {
            let source = edits[index].range(from)
            if source.lowerBound < position && position < source.upperBound { return edits[index].range(to).upperBound }
        }
        return lowest(position, lastEdit: index, edits: edits, from: from, to: to)
    }
}

/// Finds, for a sequence of layer positions, the last edit whose layer range starts at or before each: what
/// `OffsetMap.lastEdit(startingAtOrBefore:edits:from: .layer)` gives, by walking forward from the previous answer
/// (linear in the edits over an ascending sequence) and by a binary search when a position goes back.
private struct LayerEditCursor {
    /// The number of edits whose layer range starts at or before the last position asked for.
    private var passed = 0

    mutating func lastEdit(startingAtOrBefore position: Int, in edits: [OffsetMap.Edit]) -> Int {
        edits.withUnsafeBufferPointer { edits in
            if passed > 0 && edits[passed &- 1].layerRange.lowerBound > position {
                // Back before the last answer: search the edits passed so far.
                var low = 0, high = passed
                while low < high {
                    let middle = (low &+ high) &>> 1
                    if edits[middle].layerRange.lowerBound <= position { low = middle &+ 1 } else { high = middle }
                }
                passed = low
            }
            while passed < edits.count && edits[passed].layerRange.lowerBound <= position { passed &+= 1 }
            return passed &- 1
        }
    }
}

/// Why a list of edits cannot form an `OffsetMap`.
public enum OffsetMapError: Error, Sendable, CustomStringConvertible {
    case outOfBounds, unsorted, inconsistentGap
    public var description: String {
        switch self {
        case .outOfBounds: "an edit lies outside its text"
        case .unsorted: "edits are not sorted or overlap"
        case .inconsistentGap: "unchanged text between edits has different lengths in the two texts"
        }
    }
}

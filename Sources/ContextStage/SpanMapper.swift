import CByteScan
import ClinPipeCore

/// Maps spans (UTF-8 bytes, half-open) from a document's original text to a layer or back, with exactly the
/// results of `OffsetMap.toLayer(_:)` and `OffsetMap.toOriginal(_:)`, without two calls into another module for
/// every span.
///
/// Each end of a span looks up the last edit that starts at or before it with a binary search whose steps are
/// conditional moves (`cbs_count_keys_at_or_before` over the edits' starts in place), so that spans in any order
/// (a document's annotations come type by type, each type in text order) cost no mispredicted branches.
///
/// The logic repeats `OffsetMap`'s `begin`/`end`/`lowest`/`highest` step for step; a test compares the two on
/// random maps and spans.
struct SpanMapper {
    private let edits: [OffsetMap.Edit]
    /// True: original → layer; false: layer → original.
    private let towardsLayer: Bool
    /// Byte offset, inside an edit, of the start of its source range (`Int`).
    private let sourceStartOffset: Int

    /// A mapper with `map`'s edits, from the original to the layer (`towardsLayer`) or back.
    init(_ map: OffsetMap, towardsLayer: Bool) {
        self.edits = map.edits
        self.towardsLayer = towardsLayer
        sourceStartOffset = MemoryLayout<OffsetMap.Edit>.offset(of: towardsLayer ? \.originalRange : \.layerRange)!
            + MemoryLayout<Range<Int>>.offset(of: \.lowerBound)!
    }

    /// The span `range` maps to (`OffsetMap.toLayer` or `toOriginal`).
    mutating func map(_ range: Range<Int>) -> Range<Int> {
        if edits.isEmpty { return range }
        let lower = begin(range.lowerBound)
        let upper = end(range.upperBound)
        return lower..<max(lower, upper)
    }

    /// The ranges of edit `index`: where the mapper maps from (`source`) and to (`target`).
    @inline(__always) private func sides(_ index: Int) -> (source: Range<Int>, target: Range<Int>) {
        let edit = edits[index]
        return towardsLayer ? (edit.originalRange, edit.layerRange) : (edit.layerRange, edit.originalRange)
    }

    /// Index of the last edit whose source range starts at or before `position`, or -1 (source starts strictly
    /// increase, so the answer is unique).
    @inline(__always) private func lastEdit(startingAtOrBefore position: Int) -> Int {
        edits.withUnsafeBufferPointer { edits in
            guard let base = edits.baseAddress else { return 0 }
            return Int(cbs_count_keys_at_or_before(UnsafeRawPointer(base) + sourceStartOffset,
                                                   MemoryLayout<OffsetMap.Edit>.stride, edits.count, Int64(position)))
        } - 1
    }

    /// Where a span starting at `position` starts (`OffsetMap.begin`, then `highest`).
    private func begin(_ position: Int) -> Int {
        let index = lastEdit(startingAtOrBefore: position)
        if index >= 0 {
            let (from, to) = sides(index)
            if from.lowerBound < position && position < from.upperBound { return to.lowerBound }
            if position <= from.upperBound && (position > from.lowerBound || from.isEmpty) { return to.upperBound }
            if from.lowerBound == position { return to.lowerBound }
            // After the edit: shifted as its end is.
            return position - from.upperBound + to.upperBound
        }
        // Before every edit: unmoved.
        return position
    }

    /// Where a span ending at `position` ends (`OffsetMap.end`, then `lowest`).
    private func end(_ position: Int) -> Int {
        let index = lastEdit(startingAtOrBefore: position)
        if index >= 0 {
            let (from, to) = sides(index)
            if from.lowerBound < position && position < from.upperBound { return to.upperBound }
            if from.lowerBound == position || position < from.upperBound { return to.lowerBound }
            if from.upperBound == position { return to.upperBound }
            // After the edit: shifted as its end is.
            return position - from.upperBound + to.upperBound
        }
        // Before every edit: unmoved.
        return position
    }
}

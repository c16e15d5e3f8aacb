import ClinPipeCore

/// Maps spans (UTF-8 bytes, half-open) from a document's original text to a layer or back, with exactly the
/// results of `OffsetMap.toLayer(_:)` and `OffsetMap.toOriginal(_:)`, but faster when spans come roughly in text
/// order: it remembers which edit the last lookup found and walks from there, instead of a binary search over all
/// edits (a hard-wrapped letter has an edit per line) through two calls into another module for every span.
///
/// The logic repeats `OffsetMap`'s `begin`/`end`/`lowest`/`highest` step for step; a test compares the two on
/// random maps and spans.
struct SpanMapper {
    private let edits: [OffsetMap.Edit]
    /// True: original → layer; false: layer → original.
    private let towardsLayer: Bool
    /// The last edit index found (the answer of `lastEdit` for the previous position), or -1.
    private var hint = -1

    /// A mapper with `map`'s edits, from the original to the layer (`towardsLayer`) or back.
    init(_ map: OffsetMap, towardsLayer: Bool) {
        self.edits = map.edits
        self.towardsLayer = towardsLayer
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
    /// increase, so the answer is unique). Walks a few edits from the previous answer, else searches. The side is
    /// picked once, outside the search.
    private mutating func lastEdit(startingAtOrBefore position: Int) -> Int {
        let hint = self.hint
        let found = edits.withUnsafeBufferPointer { edits in
            towardsLayer ? Self.lastEdit(in: edits, startingAtOrBefore: position, hint: hint) { $0.originalRange.lowerBound }
                : Self.lastEdit(in: edits, startingAtOrBefore: position, hint: hint) { $0.layerRange.lowerBound }
        }
        self.hint = found
        return found
    }

    /// `lastEdit(startingAtOrBefore:)` over `edits` whose source starts `start` reads, from `hint` (an index or -1).
    @inline(__always) private static func lastEdit(in edits: UnsafeBufferPointer<OffsetMap.Edit>, startingAtOrBefore position: Int,
                                                   hint: Int, start: (OffsetMap.Edit) -> Int) -> Int
    {
        let count = edits.count
        var index = hint
        for _ in 0..<4 {
            if index >= 0 && start(edits[index]) > position {
                index -= 1
            } else if index + 1 < count && start(edits[index + 1]) <= position {
                index += 1
            } else {
                return index
            }
        }
        var low = 0, high = count
        while low < high {
            let middle = (low + high) / 2
            if start(edits[middle]) <= position { low = middle + 1 } else { high = middle }
        }
        return low - 1
    }

    /// Where a span starting at `position` starts (`OffsetMap.begin`, then `highest`).
    private mutating func begin(_ position: Int) -> Int {
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
    private mutating func end(_ position: Int) -> Int {
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

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

    @inline(__always) private func source(_ index: Int) -> Range<Int> {
        towardsLayer ? edits[index].originalRange : edits[index].layerRange
    }

    @inline(__always) private func target(_ index: Int) -> Range<Int> {
        towardsLayer ? edits[index].layerRange : edits[index].originalRange
    }

    /// Index of the last edit whose source range starts at or before `position`, or -1 (source starts strictly
    /// increase, so the answer is unique). Walks a few edits from the previous answer, else searches.
    private mutating func lastEdit(startingAtOrBefore position: Int) -> Int {
        let count = edits.count
        var index = hint
        var steps = 0
        while steps < 4 {
            if index >= 0 && source(index).lowerBound > position {
                index -= 1
            } else if index + 1 < count && source(index + 1).lowerBound <= position {
                index += 1
            } else {
                hint = index
                return index
            }
            steps += 1
        }
        var low = 0, high = count
        while low < high {
            let middle = (low + high) / 2
            if source(middle).lowerBound <= position { low = middle + 1 } else { high = middle }
        }
        hint = low - 1
        return low - 1
    }

    @inline(__always) private func shift(_ position: Int, after index: Int) -> Int {
        guard index >= 0 else { return position }
        return position - source(index).upperBound + target(index).upperBound
    }

    /// Where a span starting at `position` starts (`OffsetMap.begin`, then `highest`).
    private mutating func begin(_ position: Int) -> Int {
        let index = lastEdit(startingAtOrBefore: position)
        if index >= 0 {
            let from = source(index)
            if from.lowerBound < position && position < from.upperBound { return target(index).lowerBound }
            if position <= from.upperBound && (position > from.lowerBound || from.isEmpty) { return target(index).upperBound }
            if from.lowerBound == position { return target(index).lowerBound }
        }
        return shift(position, after: index)
    }

    /// Where a span ending at `position` ends (`OffsetMap.end`, then `lowest`).
    private mutating func end(_ position: Int) -> Int {
        let index = lastEdit(startingAtOrBefore: position)
        if index >= 0 {
            let from = source(index)
            if from.lowerBound < position && position < from.upperBound { return target(index).upperBound }
            if from.lowerBound == position || position < from.upperBound { return target(index).lowerBound }
            if from.upperBound == position { return target(index).upperBound }
        }
        return shift(position, after: index)
    }
}

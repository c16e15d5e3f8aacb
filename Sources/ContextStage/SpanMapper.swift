import ClinPipeCore

/// Maps spans between a document's original text and a layer (UTF-8 bytes) exactly as `OffsetMap.toLayer` and
/// `OffsetMap.toOriginal` do (a span that begins or ends inside an edit widens to the edit's edges), with the
/// edits held in flat arrays: the stage maps every sentence, target and new annotation, and this avoids the
/// key-path lookups of the general implementation on that hot path. `SpanMapperTests` checks it against
/// `OffsetMap` on every position of real letters.
struct SpanMapper: Sendable {
    private let fromLower: [Int], fromUpper: [Int], toLower: [Int], toUpper: [Int]

    /// original → layer.
    static func toLayer(_ map: OffsetMap) -> SpanMapper {
        SpanMapper(fromLower: map.edits.map(\.originalRange.lowerBound), fromUpper: map.edits.map(\.originalRange.upperBound),
                   toLower: map.edits.map(\.layerRange.lowerBound), toUpper: map.edits.map(\.layerRange.upperBound))
    }

    /// layer → original.
    static func toOriginal(_ map: OffsetMap) -> SpanMapper {
        SpanMapper(fromLower: map.edits.map(\.layerRange.lowerBound), fromUpper: map.edits.map(\.layerRange.upperBound),
                   toLower: map.edits.map(\.originalRange.lowerBound), toUpper: map.edits.map(\.originalRange.upperBound))
    }

    private init(fromLower: [Int], fromUpper: [Int], toLower: [Int], toUpper: [Int]) {
        self.fromLower = fromLower
        self.fromUpper = fromUpper
        self.toLower = toLower
        self.toUpper = toUpper
    }

    /// The mapped span.
    func map(_ range: Range<Int>) -> Range<Int> {
        if fromLower.isEmpty { return range }
        let lower = begin(range.lowerBound)
        let upper = end(range.upperBound)
        return lower..<max(lower, upper)
    }

    /// Index of the last edit whose source range starts at or before `position`, or -1.
    @inline(__always) private func lastEdit(_ position: Int) -> Int {
        var low = 0, high = fromLower.count
        while low < high {
            let mid = (low + high) >> 1
            if fromLower[mid] <= position { low = mid + 1 } else { high = mid }
        }
        return low - 1
    }

    @inline(__always) private func shift(_ position: Int, after index: Int) -> Int {
        index < 0 ? position : position - fromUpper[index] + toUpper[index]
    }

    private func lowest(_ position: Int, _ index: Int) -> Int {
        if index >= 0 {
            if fromLower[index] == position || position < fromUpper[index] { return toLower[index] }
            if fromUpper[index] == position { return toUpper[index] }
        }
        return shift(position, after: index)
    }

    private func highest(_ position: Int, _ index: Int) -> Int {
        if index >= 0 {
            let lower = fromLower[index], upper = fromUpper[index]
            if position <= upper && (position > lower || lower == upper) { return toUpper[index] }
            if lower == position { return toLower[index] }
        }
        return shift(position, after: index)
    }

    private func begin(_ position: Int) -> Int {
        let index = lastEdit(position)
        if index >= 0 && fromLower[index] < position && position < fromUpper[index] { return toLower[index] }
        return highest(position, index)
    }

    private func end(_ position: Int) -> Int {
        let index = lastEdit(position)
        if index >= 0 && fromLower[index] < position && position < fromUpper[index] { return toUpper[index] }
        return lowest(position, index)
    }
}

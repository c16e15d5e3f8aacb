import ClinPipeTestSupport
import ClinPipeCore

/// A reference model of a text edited by a list of replacements: the two byte arrays, the edits, and for every
/// byte that no edit touched its position in the other text. Tests compare `OffsetMap` against it.
struct EditModel {
    var original: [UInt8]
    var layer: [UInt8]
    /// The edits as generated: sorted, possibly touching (the map merges those).
    var edits: [OffsetMap.Edit]
    /// For each original byte, its position in the layer when no edit touched it.
    var originalToLayer: [Int?]
    /// For each layer byte, its position in the original when no edit touched it.
    var layerToOriginal: [Int?]

    /// Applies up to `maxEdits` random replacements (on scalar boundaries) to `text`: deletions, insertions,
    /// replacements by random pieces, and "replacements" by the same text.
    static func random<G: RandomNumberGenerator>(from text: String, maxEdits: Int, using generator: inout G) -> EditModel {
        let original = Array(text.utf8)
        let boundaries = RandomText.scalarBoundaries(text)
        let editCount = Int.random(in: 0...maxEdits, using: &generator)
        let picks = (0..<(2 * editCount)).map { _ in boundaries.randomElement(using: &generator)! }.sorted()
        var layer: [UInt8] = []
        var edits: [OffsetMap.Edit] = []
        var originalToLayer = [Int?](repeating: nil, count: original.count)
        var layerToOriginal: [Int?] = []
        var cursor = 0
        func copyUnchanged(upTo end: Int) {
            while cursor < end {
                originalToLayer[cursor] = layer.count
                layerToOriginal.append(cursor)
                layer.append(original[cursor])
                cursor += 1
            }
        }
        for index in 0..<editCount {
            let range = picks[2 * index]..<picks[2 * index + 1]
            let replacement: [UInt8]
            switch Int.random(in: 0..<6, using: &generator) {
            case 0: replacement = []
            case 1: replacement = Array(original[range])
            case 2: replacement = Array(RandomText.make(pieceCount: Int.random(in: 1...4, using: &generator), using: &generator).utf8)
            default: replacement = Array(RandomText.piece(using: &generator).utf8)
            }
            if range.isEmpty && replacement.isEmpty { continue }
            copyUnchanged(upTo: range.lowerBound)
            let layerStart = layer.count
            layer += replacement
            layerToOriginal += [Int?](repeating: nil, count: replacement.count)
            edits.append(OffsetMap.Edit(originalRange: range, layerRange: layerStart..<layer.count))
            cursor = range.upperBound
        }
        copyUnchanged(upTo: original.count)
        return EditModel(original: original, layer: layer, edits: edits, originalToLayer: originalToLayer,
                         layerToOriginal: layerToOriginal)
    }

    func makeMap() throws -> OffsetMap {
        try OffsetMap(edits: edits, originalLength: original.count, layerLength: layer.count)
    }

    /// The model of `next` applied after `self` (`next.original` must be `self.layer`).
    func followed(by next: EditModel) -> EditModel {
        precondition(next.original == layer)
        let forward = originalToLayer.map { $0.flatMap { next.originalToLayer[$0] } }
        let backward = next.layerToOriginal.map { $0.flatMap { layerToOriginal[$0] } }
        return EditModel(original: original, layer: next.layer, edits: [], originalToLayer: forward,
                         layerToOriginal: backward)
    }
}

/// The exact image that a span must map to, computed from the byte correspondence of a model and the edits of
/// a map: the smallest span holding the images of the span's unchanged bytes and the other side of every edit
/// the span overlaps (shares a byte with, or holds strictly inside when the edit is empty on this side).
func expectedImage(of span: Range<Int>, correspondence: [Int?], edits: [OffsetMap.Edit],
                   from: KeyPath<OffsetMap.Edit, Range<Int>>, to: KeyPath<OffsetMap.Edit, Range<Int>>) -> Range<Int>?
{
    precondition(!span.isEmpty)
    var lower = Int.max, upper = Int.min
    for position in span {
        if let image = correspondence[position] {
            lower = min(lower, image)
            upper = max(upper, image + 1)
        }
    }
    for edit in edits {
        let source = edit[keyPath: from]
        let overlaps = source.isEmpty
            ? (span.lowerBound < source.lowerBound && source.lowerBound < span.upperBound)
            : (source.lowerBound < span.upperBound && span.lowerBound < source.upperBound)
        if overlaps {
            lower = min(lower, edit[keyPath: to].lowerBound)
            upper = max(upper, edit[keyPath: to].upperBound)
        }
    }
    return lower <= upper ? lower..<upper : nil
}

extension Range where Bound == Int {
    /// True when `self` includes all of `other` (an empty `other` must lie within `self`'s closed bounds).
    func includes(_ other: Range<Int>) -> Bool { lowerBound <= other.lowerBound && other.upperBound <= upperBound }
}

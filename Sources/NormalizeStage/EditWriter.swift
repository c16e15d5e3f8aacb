import ClinPipeCore

/// Builds a derived text from a source text (both UTF-8) and records every difference as an `OffsetMap.Edit`.
///
/// Callers walk the source left to right: `copy` takes source bytes unchanged, `replace` substitutes a source range
/// with other bytes (possibly none). Replacements that turn out identical to their source are not recorded, and
/// adjacent replacements merge when the map is built.
struct EditWriter {
    private(set) var output: [UInt8] = []
    private(set) var edits: [OffsetMap.Edit] = []
    /// The source position up to which everything has been written.
    private(set) var sourcePosition = 0

    init(capacity: Int) {
        output.reserveCapacity(capacity + 64)
        // About one edit per source line (the joints of wrapped lines).
        edits.reserveCapacity(capacity / 64 + 16)
    }

    /// Copies `source[sourcePosition..<end]` unchanged.
    mutating func copy(upTo end: Int, from source: UnsafeBufferPointer<UInt8>) {
        guard end > sourcePosition else { return }
        output.append(contentsOf: UnsafeBufferPointer(rebasing: source[sourcePosition..<end]))
        sourcePosition = end
    }

    /// Replaces `source[sourcePosition..<end]` by `replacement`.
    mutating func replace(upTo end: Int, with replacement: some Collection<UInt8>, from source: UnsafeBufferPointer<UInt8>) {
        precondition(end >= sourcePosition)
        let original = UnsafeBufferPointer(rebasing: source[sourcePosition..<end])
        if original.elementsEqual(replacement) {
            copy(upTo: end, from: source)
            return
        }
        let layerStart = output.count
        output.append(contentsOf: replacement)
        edits.append(OffsetMap.Edit(originalRange: sourcePosition..<end, layerRange: layerStart..<output.count))
        sourcePosition = end
    }

    /// Replaces `source[sourcePosition..<end]` by the single byte `byte` (`replace(upTo:with:from:)` with one byte).
    mutating func replace(upTo end: Int, with byte: UInt8, from source: UnsafeBufferPointer<UInt8>) {
        let start = sourcePosition, layerStart = output.count
        output.append(byte)
        sourcePosition = end
        if end - start == 1 && source[start] == byte { return }
        edits.append(OffsetMap.Edit(originalRange: start..<end, layerRange: layerStart..<layerStart + 1))
    }

    /// Drops `source[sourcePosition..<end]` (`replace(upTo:with:from:)` with nothing).
    mutating func remove(upTo end: Int) {
        precondition(end >= sourcePosition)
        guard end > sourcePosition else { return }
        edits.append(OffsetMap.Edit(originalRange: sourcePosition..<end, layerRange: output.count..<output.count))
        sourcePosition = end
    }

    /// The map from the source to the output.
    func makeMap(sourceLength: Int) throws -> OffsetMap {
        try OffsetMap(edits: edits, originalLength: sourceLength, layerLength: output.count)
    }
}

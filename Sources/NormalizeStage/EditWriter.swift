import ClinPipeCore

/// Builds a derived text from a source text (both UTF-8) and records every difference as an `OffsetMap.Edit`.
///
/// Callers walk the source left to right: `copy` takes source bytes unchanged, `replace` substitutes a source range
/// with other bytes (possibly none). Replacements that turn out identical to their source are not recorded, and
/// adjacent replacements merge when the map is built.
///
/// The output is written into a buffer sized up front (the source length plus some room), with plain memory copies;
/// it grows by doubling only if the output gets longer than that. Bytes `0..<count` of the buffer are the output.
struct EditWriter {
    /// The output so far in `buffer[0..<count]`; the rest is spare room (its contents are not meaningful).
    private var buffer: [UInt8]
    /// Output bytes written.
    private(set) var count = 0
    private(set) var edits: [OffsetMap.Edit] = []
    /// The source position up to which everything has been written.
    private(set) var sourcePosition = 0

    init(capacity: Int) {
        let room = capacity + 64
        buffer = [UInt8](unsafeUninitializedCapacity: room) { _, initialized in initialized = room }
        // About one edit per source line (the joints of wrapped lines, lines of 30 bytes on average and shorter).
        edits.reserveCapacity(capacity / 24 + 16)
    }

    /// The output written so far (a copy).
    var output: [UInt8] { Array(buffer[0..<count]) }

    /// The output written so far, without a copy; the writer is spent afterwards.
    mutating func takeOutput() -> [UInt8] {
        buffer.removeSubrange(count...)
        let result = buffer
        buffer = []
        return result
    }

    /// Makes room for `extra` more output bytes.
    @inline(__always)
    private mutating func reserve(_ extra: Int) {
        if count + extra > buffer.count { grow(to: count + extra) }
    }

    @inline(never)
    private mutating func grow(to needed: Int) {
        let newSize = Swift.max(needed, buffer.count * 2)
        buffer.append(contentsOf: repeatElement(0, count: newSize - buffer.count))
    }

    /// Appends `length` bytes from `source` (room reserved by the caller).
    @inline(__always)
    private mutating func appendBytes(_ source: UnsafePointer<UInt8>, _ length: Int) {
        let at = count
        buffer.withUnsafeMutableBufferPointer { room in (room.baseAddress! + at).update(from: source, count: length) }
        count = at + length
    }

    /// Copies `source[sourcePosition..<end]` unchanged.
    mutating func copy(upTo end: Int, from source: UnsafeBufferPointer<UInt8>) {
        let start = sourcePosition
        guard end > start else { return }
        precondition(end <= source.count)
        reserve(end - start)
        appendBytes(source.baseAddress! + start, end - start)
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
        let layerStart = count
        reserve(replacement.count)
        for byte in replacement {
            buffer[count] = byte
            count += 1
        }
        edits.append(OffsetMap.Edit(originalRange: sourcePosition..<end, layerRange: layerStart..<count))
        sourcePosition = end
    }

    /// Replaces `source[sourcePosition..<end]` by the single byte `byte` (`replace(upTo:with:from:)` with one byte).
    mutating func replace(upTo end: Int, with byte: UInt8, from source: UnsafeBufferPointer<UInt8>) {
        let start = sourcePosition, layerStart = count
        reserve(1)
        buffer[layerStart] = byte
        count = layerStart + 1
        sourcePosition = end
        if end - start == 1 && source[start] == byte { return }
        edits.append(OffsetMap.Edit(originalRange: start..<end, layerRange: layerStart..<layerStart + 1))
    }

    /// Replaces `source[sourcePosition..<end]` by the two bytes `first`, `second` (`replace(upTo:with:from:)` with
    /// `[first, second]`, without the generic comparison).
    mutating func replace(upTo end: Int, with first: UInt8, _ second: UInt8, from source: UnsafeBufferPointer<UInt8>) {
        let start = sourcePosition, layerStart = count
        precondition(end >= start)
        reserve(2)
        buffer[layerStart] = first
        buffer[layerStart + 1] = second
        count = layerStart + 2
        sourcePosition = end
        if end - start == 2 && source[start] == first && source[start + 1] == second { return }
        edits.append(OffsetMap.Edit(originalRange: start..<end, layerRange: layerStart..<layerStart + 2))
    }

    /// Drops `source[sourcePosition..<end]` (`replace(upTo:with:from:)` with nothing).
    mutating func remove(upTo end: Int) {
        precondition(end >= sourcePosition)
        guard end > sourcePosition else { return }
        edits.append(OffsetMap.Edit(originalRange: sourcePosition..<end, layerRange: count..<count))
        sourcePosition = end
    }

    /// The map from the source to the output.
    func makeMap(sourceLength: Int) throws -> OffsetMap {
        try OffsetMap(edits: edits, originalLength: sourceLength, layerLength: count)
    }
}

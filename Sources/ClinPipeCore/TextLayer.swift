/// A text derived from a document's original text (today: the `normalized` layer), with the exact alignment
/// between the two. Stages match patterns on a layer's bytes and map what they find back with `toOriginal`.
public struct TextLayer: Sendable {
    /// The layer's name (`normalized`).
    public let name: String
    /// The derived text. Offsets into it are UTF-8 bytes.
    public let text: String
    /// Alignment between the document's original text and `text`.
    public let map: OffsetMap

    public init(name: String, text: String, map: OffsetMap) {
        precondition(map.layerLength == text.utf8.count, "layer map does not match the layer text")
        self.name = name
        self.text = text
        self.map = map
    }

    /// A layer identical to `text`.
    public static func identity(name: String, text: String) -> TextLayer {
        TextLayer(name: name, text: text, map: .identity(length: text.utf8.count))
    }

    /// Maps a span of this layer (UTF-8 bytes) to the original text (UTF-8 bytes).
    @inlinable public func toOriginal(_ range: Range<Int>) -> Range<Int> { map.toOriginal(range) }

    /// Maps a span of the original text (UTF-8 bytes) to this layer (UTF-8 bytes).
    @inlinable public func toLayer(_ range: Range<Int>) -> Range<Int> { map.toLayer(range) }

    /// The layer text between two UTF-8 offsets.
    public func slice(_ range: Range<Int>) -> Substring { text.sliceUTF8(range) }
}

extension String {
    /// The substring between two UTF-8 byte offsets, which must fall on scalar boundaries.
    public func sliceUTF8(_ range: Range<Int>) -> Substring {
        let start = utf8.index(utf8.startIndex, offsetBy: range.lowerBound)
        let end = utf8.index(start, offsetBy: range.count)
        return self[start..<end]
    }

    /// Calls `body` with the string's UTF-8 bytes, contiguous, without copying native strings. Inlinable, so that
    /// each caller gets it specialized for its result type (a generic call looks up type metadata every time, which
    /// costs more than the work on a short text).
    @inlinable public func withUTF8Bytes<R>(_ body: (UnsafeBufferPointer<UInt8>) throws -> R) rethrows -> R {
        if let result = try utf8.withContiguousStorageIfAvailable(body) { return result }
        var copy = self
        return try copy.withUTF8(body)
    }
}

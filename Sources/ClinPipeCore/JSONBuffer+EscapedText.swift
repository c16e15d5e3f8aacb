import CByteScan

/// A text escaped for JSON strings once, so that any number of its slices are written as JSON strings by copying.
///
/// A JSONL line writes each annotation's covered text; sentences, sections and their blocks overlap, so a letter's
/// text is written several times over. Escaping it once and copying the escaped slices saves the escape scan of every
/// later copy. The escaped bytes are those `JSONBuffer.appendQuoted` writes between the quotes: the escaped slice of
/// `range` equals `appendQuoted(UnsafeBufferPointer(rebasing: text[range]))` without its quotes, byte for byte.
///
/// **Offsets**: ranges are UTF-8 byte offsets into the original text (`0...textCount`). Every escape replaces one
/// byte, so the ends of a range map to the ends of its escaped form. The map keeps, for each 64-byte block of the
/// text, the bytes added by the escapes of the earlier blocks and bit masks of the escaped bytes in the block
/// (`cbs_json_escape_block`, 24 bytes per block); a lookup reads one block and counts the bits below the offset.
///
/// A value is a view of memory that `withEscaped` owns: valid only inside its `body`.
public struct JSONEscapedText {
    @usableFromInline let blocks: UnsafePointer<cbs_json_escape_block>
    /// The escaped text, `count` bytes, followed by `slack` readable scratch bytes.
    @usableFromInline let bytes: UnsafePointer<UInt8>
    /// The length in bytes of the original text.
    public let textCount: Int
    /// The length in bytes of the escaped text.
    public let count: Int

    /// Readable bytes after the escaped text (and after any slice of it), so that slices are copied in whole steps.
    @usableFromInline static let slack = Int(CBS_JSON_ESCAPE_SLACK)

    private init(blocks: UnsafePointer<cbs_json_escape_block>, bytes: UnsafePointer<UInt8>, textCount: Int, count: Int) {
        self.blocks = blocks
        self.bytes = bytes
        self.textCount = textCount
        self.count = count
    }

    /// Escapes `text` (UTF-8; only the ASCII bytes JSON escapes change) and calls `body` with the result, which is
    /// valid only during the call. Two passes over the text: one finds the escaped bytes sixteen at a time, the
    /// other copies the text with its escapes into memory of the right size.
    public static func withEscaped<R>(_ text: UnsafeBufferPointer<UInt8>, _ body: (JSONEscapedText) throws -> R) rethrows -> R {
        let length = text.count
        let blocks = UnsafeMutablePointer<cbs_json_escape_block>.allocate(capacity: cbs_json_escape_block_count(length))
        defer { blocks.deallocate() }
        let escapes = cbs_json_escape_scan_blocks(text.baseAddress, length, blocks)
        let capacity = length + 5 * escapes + slack
        let bytes = UnsafeMutablePointer<UInt8>.allocate(capacity: capacity)
        defer { bytes.deallocate() }
        let count = cbs_json_escape_blocks(bytes, text.baseAddress, length, blocks)
        // The scratch after the text: initialized, since slices are copied in whole steps that may read it.
        (bytes + count).initialize(repeating: UInt8(ascii: " "), count: slack)
        return try body(JSONEscapedText(blocks: blocks, bytes: bytes, textCount: length, count: count))
    }

    /// The offset in the escaped text of the original text's byte offset `offset` (`0...textCount`).
    @inlinable @inline(__always) public func escapedOffset(_ offset: Int) -> Int {
        cbs_json_escaped_offset(blocks, offset)
    }

    /// The escaped form of the original bytes `range` (within `0...textCount`).
    @inlinable @inline(__always) public func escaped(_ range: Range<Int>) -> UnsafeBufferPointer<UInt8> {
        let begin = escapedOffset(range.lowerBound)
        return UnsafeBufferPointer(start: bytes + begin, count: escapedOffset(range.upperBound) &- begin)
    }
}

extension JSONBuffer {
    /// Appends the original bytes `range` of `text` as a JSON string literal: the same bytes as
    /// `appendQuoted(UnsafeBufferPointer(rebasing: original[range]))`, written with one copy (no escape scan). The
    /// copy moves whole 64-byte steps (`cbs_copy_in_steps_of_64`; covered texts are mostly sentences of 30 to 300
    /// bytes): it may read the escaped text's slack (64 bytes) and writes scratch past the closing quote, in room
    /// reserved for it.
    @inlinable @inline(__always) public mutating func appendQuoted(_ range: Range<Int>, of text: JSONEscapedText) {
        let begin = text.escapedOffset(range.lowerBound)
        let length = text.escapedOffset(range.upperBound) &- begin
        reserve(length &+ 66)
        let start = written
        base[start] = UInt8(ascii: "\"")
        cbs_copy_in_steps_of_64(base + (start &+ 1), text.bytes + begin, length)
        base[start &+ 1 &+ length] = UInt8(ascii: "\"")
        written = start &+ 2 &+ length
    }
}

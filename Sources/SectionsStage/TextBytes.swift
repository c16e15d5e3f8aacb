import ClinPipeText

/// Small byte-level helpers over UTF-8 text. All offsets are UTF-8 bytes of the buffer they are given.
enum TextBytes {
    /// `range` without leading and trailing ASCII whitespace (and, with `commas`, without trailing commas: the
    /// flattened line breaks of MTSamples, `...allergies.,MEDICATIONS:`).
    static func trimmed(_ bytes: UnsafeBufferPointer<UInt8>, _ range: Range<Int>, commas: Bool = false) -> Range<Int> {
        var lower = range.lowerBound, upper = range.upperBound
        while lower < upper && ByteClass.isSpace(bytes[lower]) { lower += 1 }
        while upper > lower && (ByteClass.isSpace(bytes[upper - 1]) || (commas && bytes[upper - 1] == 0x2C)) { upper -= 1 }
        return lower..<upper
    }

    /// The text of `range` with every run of whitespace replaced by one space and no space at either end. The
    /// range must start and end on character boundaries (the bytes are valid UTF-8).
    static func collapsed(_ bytes: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) -> String {
        guard !range.isEmpty else { return "" }
        // Most texts (titles, item requests) are already collapsed: words parted by single spaces, no other
        // whitespace, none at either end. Those are copied as they are (`isCollapsed`).
        if isCollapsed(bytes, range) { return String(decoding: UnsafeBufferPointer(rebasing: bytes[range]), as: UTF8.self) }
        // Written straight into the string's storage: at most as many bytes as the range.
        return String(unsafeUninitializedCapacity: range.count) { out in collapse(bytes, range, into: out) }
    }

    /// Writes the bytes of `range` of `bytes` at the start of `out` (at least `range.count` bytes long) with every
    /// run of whitespace as one space and none at either end, and returns how many bytes it wrote (what `collapsed`
    /// returns, as bytes).
    @inline(__always)
    static func collapse(_ bytes: UnsafeBufferPointer<UInt8>, _ range: Range<Int>,
                         into out: UnsafeMutableBufferPointer<UInt8>) -> Int
    {
        var count = 0
        var pendingSpace = false
        for i in range {
            let byte = bytes[i]
            if ByteClass.isSpace(byte) {
                pendingSpace = count != 0
            } else {
                if pendingSpace {
                    out[count] = 0x20
                    count &+= 1
                    pendingSpace = false
                }
                out[count] = byte
                count &+= 1
            }
        }
        return count
    }

    /// Whether `collapsed` leaves the bytes of `range` (not empty) as they are: no whitespace but single spaces
    /// between other bytes. Read without a branch per byte.
    static func isCollapsed(_ bytes: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) -> Bool {
        guard let base = bytes.baseAddress, !range.isEmpty else { return range.isEmpty }
        precondition(range.lowerBound >= 0 && range.upperBound <= bytes.count)
        let first = base[range.lowerBound], last = base[range.upperBound &- 1]
        if ByteClass.isSpace(first) || ByteClass.isSpace(last) { return false }
        // A tab, line break, vertical tab or form feed anywhere, or a space after a space.
        var bad: UInt8 = 0
        var previousSpace: UInt8 = 0
        for i in range {
            let byte = base[i]
            let space: UInt8 = byte == 0x20 ? 1 : 0
            let control: UInt8 = byte &- 0x09 < 5 ? 1 : 0
            bad |= control | (space & previousSpace)
            previousSpace = space
        }
        return bad == 0
    }

    /// A heading table key: ASCII upper case, whitespace runs as one space, no trailing colon or spaces.
    static func headingKey<S: Sequence>(_ text: S) -> String where S.Element == UInt8 {
        var out: [UInt8] = []
        var pendingSpace = false
        for byte in text {
            if ByteClass.isSpace(byte) {
                pendingSpace = !out.isEmpty
            } else {
                if pendingSpace { out.append(0x20) }
                pendingSpace = false
                out.append(byte >= 0x61 && byte <= 0x7A ? byte - 0x20 : byte)
            }
        }
        while let last = out.last, last == 0x3A || last == 0x20 { out.removeLast() }
        return String(decoding: out, as: UTF8.self)
    }

    /// The start of the line holding `position`, or `limit` when the line starts before it.
    static func lineStart(_ bytes: UnsafeBufferPointer<UInt8>, before position: Int, notBefore limit: Int = 0) -> Int {
        guard let base = bytes.baseAddress else { return position }
        var i = position
        // Eight bytes at a time while none is a line feed (`x` has a zero byte where the word has one: a zero byte
        // borrows in `x - ones` and sets its high bit, which `~x` keeps only where `x` had none).
        let raw = UnsafeRawPointer(base)
        let ones: UInt64 = 0x0101_0101_0101_0101
        while i - 8 >= limit {
            let x = raw.loadUnaligned(fromByteOffset: i - 8, as: UInt64.self) ^ (ones &* 0x0A)
            if (x &- ones) & ~x & (ones &* 0x80) != 0 { break }
            i -= 8
        }
        while i > limit && base[i - 1] != 0x0A { i -= 1 }
        return i
    }

    /// The end of the line holding `position` (the offset of its line feed, or the buffer's end).
    static func lineEnd(_ bytes: UnsafeBufferPointer<UInt8>, after position: Int) -> Int {
        var i = position
        while i < bytes.count && bytes[i] != 0x0A { i += 1 }
        return i
    }
}

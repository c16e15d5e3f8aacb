/// A growable buffer of output bytes that JSON text (or any byte format) is written into through a raw pointer.
///
/// Encoders write thousands of small pieces per document (keys, numbers, quoted strings); appending them to an
/// `Array` one by one pays a uniqueness and capacity check per byte. This buffer checks capacity once per piece
/// (once per 4 KiB chunk for long strings) and copies with `memcpy`-sized moves. It is not copyable: it owns
/// its memory and frees it when it goes away; `bytes` copies the written bytes out once.
public struct JSONBuffer: ~Copyable {
    private var base: UnsafeMutablePointer<UInt8>
    private var capacity: Int
    /// The number of bytes written so far.
    public private(set) var count = 0

    /// An empty buffer with room for `capacity` bytes before it first grows.
    public init(capacity: Int = 256) {
        self.capacity = max(capacity, 16)
        self.base = .allocate(capacity: self.capacity)
    }

    deinit { base.deallocate() }

    /// The bytes written so far, as an array (one copy).
    public var bytes: [UInt8] { Array(UnsafeBufferPointer(start: base, count: count)) }

    /// Calls `body` with the bytes written so far (valid only during the call).
    public func withBytes<R>(_ body: (UnsafeBufferPointer<UInt8>) throws -> R) rethrows -> R {
        try body(UnsafeBufferPointer(start: base, count: count))
    }

    /// Makes room for at least `extra` more bytes.
    @inline(__always) private mutating func reserve(_ extra: Int) {
        if count + extra > capacity { grow(to: count + extra) }
    }

    @inline(never) private mutating func grow(to needed: Int) {
        var newCapacity = capacity * 2
        while newCapacity < needed { newCapacity *= 2 }
        let newBase = UnsafeMutablePointer<UInt8>.allocate(capacity: newCapacity)
        newBase.update(from: base, count: count)
        base.deallocate()
        base = newBase
        capacity = newCapacity
    }

    /// Appends one byte.
    @inline(__always) public mutating func append(_ byte: UInt8) {
        reserve(1)
        base[count] = byte
        count += 1
    }

    /// Appends bytes as they are.
    public mutating func append(_ bytes: UnsafeBufferPointer<UInt8>) {
        guard let source = bytes.baseAddress, !bytes.isEmpty else { return }
        reserve(bytes.count)
        (base + count).update(from: source, count: bytes.count)
        count += bytes.count
    }

    /// Appends the bytes of a string literal (JSON punctuation and keys).
    @inline(__always) public mutating func append(_ literal: StaticString) {
        let length = literal.utf8CodeUnitCount
        reserve(length)
        (base + count).update(from: literal.utf8Start, count: length)
        count += length
    }

    /// Appends the UTF-8 bytes of `text` as they are (no quoting).
    public mutating func appendUTF8(_ text: String) {
        text.withUTF8Bytes { append($0) }
    }

    /// Appends a decimal integer.
    public mutating func appendDecimal(_ value: Int) {
        reserve(20)
        if value < 0 {
            base[count] = UInt8(ascii: "-")
            count += 1
        }
        var magnitude = value.magnitude
        if magnitude < 10 {
            base[count] = UInt8(ascii: "0") &+ UInt8(magnitude)
            count += 1
            return
        }
        var digits = 0
        var probe = magnitude
        while probe > 0 { digits += 1; probe /= 10 }
        var position = count + digits
        count = position
        while magnitude > 0 {
            position -= 1
            base[position] = UInt8(ascii: "0") &+ UInt8(magnitude % 10)
            magnitude /= 10
        }
    }

    /// Appends `value` as a JSON string literal (see `appendQuoted(_: UnsafeBufferPointer<UInt8>)`).
    public mutating func appendQuoted(_ value: String) {
        value.withUTF8Bytes { appendQuoted($0) }
    }

    /// Appends `value` as a JSON string literal (see `appendQuoted(_: UnsafeBufferPointer<UInt8>)`).
    public mutating func appendQuoted(_ value: Substring) {
        if let done: Void = value.utf8.withContiguousStorageIfAvailable({ appendQuoted($0) }) { return done }
        appendQuoted(String(value))
    }

    /// Appends valid UTF-8 bytes as a JSON string literal: quotes, backslashes, control characters and DEL are
    /// escaped; everything else (including non-ASCII) is written as it is. Clean runs are found and copied eight
    /// bytes at a time.
    public mutating func appendQuoted(_ value: UnsafeBufferPointer<UInt8>) {
        append(UInt8(ascii: "\""))
        if let source = value.baseAddress {
            // At most six output bytes per input byte (`\u00XX`); room is made per chunk so that a huge string
            // never asks for six times its size at once.
            let chunk = 4096
            var start = 0
            while start < value.count {
                let end = min(value.count, start + chunk)
                reserve((end - start) * 6)
                count = Self.writeEscaped(source, from: start, to: end, into: base, at: count)
                start = end
            }
        }
        append(UInt8(ascii: "\""))
    }

    /// Writes the escaped form of `source[from..<to]` at `out + at` (room already made: six bytes per input byte);
    /// returns the new end. Eight bytes are loaded and stored at a time; where a word holds a byte to escape, the
    /// clean bytes before it are kept and the escape is written after them.
    @inline(__always) private static func writeEscaped(_ source: UnsafePointer<UInt8>, from: Int, to end: Int,
                                                       into out: UnsafeMutablePointer<UInt8>, at: Int) -> Int {
        var index = from
        var written = at
        let raw = UnsafeRawPointer(source)
        let rawOut = UnsafeMutableRawPointer(out)
        while index + 8 <= end {
            let word = raw.loadUnaligned(fromByteOffset: index, as: UInt64.self)
            // Storing all eight bytes is safe: at least 6 × 8 bytes of room remain while 8 input bytes do.
            rawOut.storeBytes(of: word, toByteOffset: written, as: UInt64.self)
            let mask = JSONText.escapeMask(word)
            if mask == 0 {
                index += 8
                written += 8
                continue
            }
            let clean = mask.trailingZeroBitCount >> 3
            index += clean + 1
            written = writeEscape(source[index - 1], into: out, at: written + clean)
        }
        while index < end {
            let byte = source[index]
            index += 1
            if JSONText.needsEscape(byte) {
                written = writeEscape(byte, into: out, at: written)
            } else {
                out[written] = byte
                written += 1
            }
        }
        return written
    }

    /// Writes the JSON escape of `byte` (a control character, `"`, `\\` or DEL) at `out + at`; returns the new end.
    @inline(__always) private static func writeEscape(_ byte: UInt8, into out: UnsafeMutablePointer<UInt8>, at: Int) -> Int {
        out[at] = UInt8(ascii: "\\")
        switch byte {
        case 0x22, 0x5C: out[at + 1] = byte
        case 0x0A: out[at + 1] = UInt8(ascii: "n")
        case 0x0D: out[at + 1] = UInt8(ascii: "r")
        case 0x09: out[at + 1] = UInt8(ascii: "t")
        default:
            let hex: StaticString = "0123456789abcdef"
            let digits = hex.utf8Start
            out[at + 1] = UInt8(ascii: "u")
            out[at + 2] = UInt8(ascii: "0")
            out[at + 3] = UInt8(ascii: "0")
            out[at + 4] = digits[Int(byte >> 4)]
            out[at + 5] = digits[Int(byte & 0xF)]
            return at + 6
        }
        return at + 2
    }
}

import CByteScan

/// A growable buffer of output bytes that JSON text (or any byte format) is written into through a raw pointer.
///
/// Encoders write thousands of small pieces per document (keys, numbers, quoted strings); appending them to an
/// `Array` one by one pays a uniqueness and capacity check per byte. This buffer checks capacity once per piece
/// (and once per escape inside a string) and copies with `memcpy`-sized moves. It is not copyable: it frees the
/// memory it owns when it goes away; `bytes` copies the written bytes out once, and `makeBytes` writes straight
/// into the memory of the array it returns.
///
/// The small appends (a byte, a literal, a decimal) are inlinable, so that an encoder in another module writes its
/// punctuation and numbers without a call per piece.
public struct JSONBuffer: ~Copyable {
    @usableFromInline var base: UnsafeMutablePointer<UInt8>
    @usableFromInline var capacity: Int
    /// The number of bytes written so far.
    public var count: Int { written }
    @usableFromInline var written = 0
    /// False while the buffer writes into memory lent by `makeBytes` (which it must not free).
    private var ownsMemory = true

    /// An empty buffer with room for `capacity` bytes before it first grows.
    public init(capacity: Int = 256) {
        self.capacity = max(capacity, 16)
        self.base = .allocate(capacity: self.capacity)
    }

    /// An empty buffer that writes into `memory` until it needs more room, then moves to memory of its own.
    private init(lending memory: UnsafeMutableBufferPointer<UInt8>) {
        self.base = memory.baseAddress!
        self.capacity = memory.count
        self.ownsMemory = false
    }

    deinit { if ownsMemory { base.deallocate() } }

    /// The bytes that `body` writes, as an array whose memory `body` writes into directly while they fit in
    /// `capacity` bytes (no copy at the end); past that, the buffer grows as usual and the bytes are copied out once.
    /// A good estimate of the size therefore saves a copy; an estimate too small costs only that copy.
    public static func makeBytes(capacity: Int, _ body: (inout JSONBuffer) -> Void) -> [UInt8] {
        var spilled: [UInt8]?
        let bytes = [UInt8](unsafeUninitializedCapacity: max(capacity, 16)) { memory, initialized in
            var buffer = JSONBuffer(lending: memory)
            body(&buffer)
            if buffer.ownsMemory {
                spilled = buffer.bytes
                initialized = 0
            } else {
                initialized = buffer.written
            }
        }
        return spilled ?? bytes
    }

    /// The bytes written so far, as an array (one copy).
    public var bytes: [UInt8] { Array(UnsafeBufferPointer(start: base, count: written)) }

    /// Calls `body` with the bytes written so far (valid only during the call).
    public func withBytes<R>(_ body: (UnsafeBufferPointer<UInt8>) throws -> R) rethrows -> R {
        try body(UnsafeBufferPointer(start: base, count: written))
    }

    /// Makes room for at least `extra` more bytes, so that the next `extra` bytes need no check (the `...Reserved`
    /// appends write into such room). Sizes are far below `Int.max`, so the sums wrap without a check.
    @inlinable @inline(__always) public mutating func reserve(_ extra: Int) {
        if written &+ extra > capacity { grow(to: written &+ extra) }
    }

    @usableFromInline @inline(never) mutating func grow(to needed: Int) {
        var newCapacity = capacity * 2
        while newCapacity < needed { newCapacity *= 2 }
        let newBase = UnsafeMutablePointer<UInt8>.allocate(capacity: newCapacity)
        newBase.update(from: base, count: written)
        if ownsMemory { base.deallocate() }
        ownsMemory = true
        base = newBase
        capacity = newCapacity
    }

    /// Appends one byte.
    @inlinable @inline(__always) public mutating func append(_ byte: UInt8) {
        reserve(1)
        appendReserved(byte)
    }

    /// Appends one byte into room made by `reserve`.
    @inlinable @inline(__always) public mutating func appendReserved(_ byte: UInt8) {
        assert(written < capacity, "no room reserved")
        base[written] = byte
        written &+= 1
    }

    /// Appends bytes as they are.
    public mutating func append(_ bytes: UnsafeBufferPointer<UInt8>) {
        guard let source = bytes.baseAddress, !bytes.isEmpty else { return }
        reserve(bytes.count)
        (base + written).update(from: source, count: bytes.count)
        written += bytes.count
    }

    /// Appends the bytes of a string literal (JSON punctuation and keys).
    @inlinable @inline(__always) public mutating func append(_ literal: StaticString) {
        reserve(literal.utf8CodeUnitCount)
        appendReserved(literal)
    }

    /// Appends the bytes of a string literal into room made by `reserve` (a copy of constant size: a few moves).
    @inlinable @inline(__always) public mutating func appendReserved(_ literal: StaticString) {
        let length = literal.utf8CodeUnitCount
        assert(written &+ length <= capacity, "no room reserved")
        UnsafeMutableRawPointer(base + written).copyMemory(from: literal.utf8Start, byteCount: length)
        written &+= length
    }

    /// Appends the UTF-8 bytes of `text` as they are (no quoting).
    public mutating func appendUTF8(_ text: String) {
        text.withUTF8Bytes { append($0) }
    }

    /// Appends a decimal integer (ASCII digits, a leading `-` when negative).
    @inlinable @inline(__always) public mutating func appendDecimal(_ value: Int) {
        reserve(20)
        appendDecimalReserved(value)
    }

    /// Appends a decimal integer into 20 bytes of room made by `reserve`. Values from 0 to 99,999,999 (offsets, ids,
    /// counts) are written without a branch on their number of digits (`eightDigits`); others take the general way.
    @inlinable @inline(__always) public mutating func appendDecimalReserved(_ value: Int) {
        assert(written &+ 20 <= capacity, "no room reserved")
        if UInt(bitPattern: value) < 100_000_000 {
            let digits = Self.eightDigits(UInt64(truncatingIfNeeded: value))
            UnsafeMutableRawPointer(base + written).storeBytes(of: digits.bytes.littleEndian, as: UInt64.self)
            written &+= digits.count
        } else {
            appendLargeDecimal(value)
        }
    }

    /// The decimal digits of `value` (below 100,000,000) as ASCII, the first digit in the lowest byte, and how many
    /// they are (1 to 8; the bytes after them are scratch). The digits are found for all eight places at once in
    /// the lanes of one word (two 4-digit halves, then 2-digit pairs, then digits), and the leading zeros are
    /// dropped by shifting them out.
    @inlinable @inline(__always) static func eightDigits(_ value: UInt64) -> (bytes: UInt64, count: Int) {
        let high = value / 10_000, low = value &- high &* 10_000
        let halves = high | low << 32
        let hundreds = ((halves &* 10486) >> 20) & 0x0000_007F_0000_007F
        let pairs = (halves &- hundreds &* 100) << 16 | hundreds
        var digits = ((pairs &* 103) >> 10) & 0x000F_000F_000F_000F
        digits |= (pairs &- digits &* 10) << 8
        // Leading zero digits are the low zero bytes; zero itself keeps one digit.
        let leadingZeros = min(digits.trailingZeroBitCount >> 3, 7)
        return ((digits | 0x3030_3030_3030_3030) >> UInt64(leadingZeros << 3), 8 &- leadingZeros)
    }

    /// `appendDecimal` for negative values and values of 100,000,000 and above.
    @usableFromInline mutating func appendLargeDecimal(_ value: Int) {
        var position = written
        if value < 0 {
            base[position] = UInt8(ascii: "-")
            position += 1
        }
        let magnitude = value.magnitude
        if magnitude < 10 {
            base[position] = UInt8(ascii: "0") &+ UInt8(truncatingIfNeeded: magnitude)
            written = position + 1
        } else {
            written = position + Self.writeDigits(of: magnitude, at: base + position)
        }
    }

    /// Writes the decimal digits of `value` (at least 10) at `out`; returns how many were written. Digits are
    /// produced two at a time from a table of the pairs `00` to `99`.
    @usableFromInline static func writeDigits(of value: UInt, at out: UnsafeMutablePointer<UInt8>) -> Int {
        var digits: Int
        if value < 100 {
            digits = 2
        } else if value < 10_000 {
            digits = value < 1_000 ? 3 : 4
        } else if value < 1_000_000 {
            digits = value < 100_000 ? 5 : 6
        } else {
            digits = 7
            var limit: UInt = 10_000_000
            while digits < 20 && value >= limit {
                digits += 1
                if digits < 20 { limit &*= 10 }
            }
        }
        let pairs: StaticString = """
            00010203040506070809101112131415161718192021222324252627282930313233343536373839\
            40414243444546474849505152535455565758596061626364656667686970717273747576777879\
            8081828384858687888990919293949596979899
            """
        let table = pairs.utf8Start
        var remaining = value
        var position = digits
        while remaining >= 100 {
            let quotient = remaining / 100
            let pair = Int(remaining &- quotient &* 100) &* 2
            position -= 2
            out[position] = table[pair]
            out[position + 1] = table[pair + 1]
            remaining = quotient
        }
        if remaining >= 10 {
            let pair = Int(remaining) &* 2
            out[0] = table[pair]
            out[1] = table[pair + 1]
        } else {
            out[0] = UInt8(ascii: "0") &+ UInt8(truncatingIfNeeded: remaining)
        }
        return digits
    }

    /// Appends `value` as a JSON string literal (see `appendQuoted(_: UnsafeBufferPointer<UInt8>)`). Inlinable, so
    /// that a short string's bytes reach the quoting without a call through a closure.
    @inlinable public mutating func appendQuoted(_ value: String) {
        if let done: Void = value.utf8.withContiguousStorageIfAvailable({ appendQuoted($0) }) { return done }
        appendQuotedCopy(value)
    }

    /// The path of `appendQuoted(_: String)` for strings without contiguous UTF-8 (bridged ones).
    @usableFromInline mutating func appendQuotedCopy(_ value: String) {
        var copy = value
        copy.withUTF8 { appendQuoted($0) }
    }

    /// Appends `value` as a JSON string literal (see `appendQuoted(_: UnsafeBufferPointer<UInt8>)`).
    public mutating func appendQuoted(_ value: Substring) {
        if let done: Void = value.utf8.withContiguousStorageIfAvailable({ appendQuoted($0) }) { return done }
        appendQuoted(String(value))
    }

    /// Appends valid UTF-8 bytes as a JSON string literal: quotes, backslashes, control characters and DEL are
    /// escaped; everything else (including non-ASCII) is written as it is. Clean runs are found and copied sixteen
    /// bytes at a time (`cbs_copy_until_json_escape`); a string without escapes takes one call of it.
    public mutating func appendQuoted(_ value: UnsafeBufferPointer<UInt8>) {
        // Room is made for the string as it is plus its quotes, and again at each escape for the escape (at most
        // six bytes, `\u00XX`) and the rest: an estimate of the output's size that allows for the escapes it
        // expects then holds (no worst case of six bytes per byte is reserved up front).
        let total = value.count
        reserve(total &+ 2)
        let start = written
        base[start] = UInt8(ascii: "\"")
        guard let source = value.baseAddress else {
            base[start &+ 1] = UInt8(ascii: "\"")
            written = start &+ 2
            return
        }
        let clean = cbs_copy_until_json_escape(base + (start &+ 1), source, total)
        if clean == total {
            base[start &+ 1 &+ total] = UInt8(ascii: "\"")
            written = start &+ 2 &+ total
            return
        }
        written = start &+ 1 &+ clean
        appendEscaped(source, from: clean, count: total)
    }

    /// Appends the escaped form of `source[index..<count]`, whose first byte needs an escape, and the closing quote
    /// (room for the opening quote and `index` bytes before it was made by the caller).
    @inline(never) private mutating func appendEscaped(_ source: UnsafePointer<UInt8>, from start: Int, count total: Int) {
        var index = start
        while true {
            reserve(total &- index &+ 6)
            written = Self.writeEscape(source[index], into: base, at: written)
            index &+= 1
            let clean = cbs_copy_until_json_escape(base + written, source + index, total &- index)
            index &+= clean
            written &+= clean
            if index == total { break }
        }
        base[written] = UInt8(ascii: "\"")
        written &+= 1
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

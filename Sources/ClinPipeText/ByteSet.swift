/// A set of byte values (256 bits).
struct ByteSet: Sendable, Hashable {
    private var w0: UInt64 = 0, w1: UInt64 = 0, w2: UInt64 = 0, w3: UInt64 = 0

    static let all: ByteSet = { var set = ByteSet(); set.insert(0...255); return set }()
    /// Every byte of a non-ASCII character (lead and continuation bytes).
    static let nonASCII: ByteSet = { var set = ByteSet(); set.insert(0x80...0xFF); return set }()

    @inline(__always) func contains(_ byte: UInt8) -> Bool {
        let word = byte < 0x80 ? (byte < 0x40 ? w0 : w1) : (byte < 0xC0 ? w2 : w3)
        return (word >> UInt64(byte & 63)) & 1 != 0
    }

    mutating func insert(_ byte: UInt8) {
        let bit = UInt64(1) << UInt64(byte & 63)
        switch byte >> 6 {
        case 0: w0 |= bit
        case 1: w1 |= bit
        case 2: w2 |= bit
        default: w3 |= bit
        }
    }

    mutating func insert(_ range: ClosedRange<Int>) { for byte in range { insert(UInt8(byte)) } }
    mutating func formUnion(_ other: ByteSet) {
        w0 |= other.w0; w1 |= other.w1; w2 |= other.w2; w3 |= other.w3
    }
    func union(_ other: ByteSet) -> ByteSet { var set = self; set.formUnion(other); return set }
    func intersection(_ other: ByteSet) -> ByteSet {
        var set = ByteSet()
        set.w0 = w0 & other.w0; set.w1 = w1 & other.w1; set.w2 = w2 & other.w2; set.w3 = w3 & other.w3
        return set
    }
    func inverted() -> ByteSet {
        var set = ByteSet()
        set.w0 = ~w0; set.w1 = ~w1; set.w2 = ~w2; set.w3 = ~w3
        return set
    }
    var isEmpty: Bool { w0 | w1 | w2 | w3 == 0 }
    /// The ASCII members as bits (byte b is bit b % 64 of word b / 64).
    var asciiBits: (UInt64, UInt64) { (w0, w1) }
    /// Whether every member is ASCII.
    var isASCII: Bool { w2 | w3 == 0 }
    /// The number of members.
    var count: Int { w0.nonzeroBitCount + w1.nonzeroBitCount + w2.nonzeroBitCount + w3.nonzeroBitCount }
    /// The members in ascending order.
    var members: [UInt8] {
        var result: [UInt8] = []
        result.reserveCapacity(count)
        for (word, base) in [(w0, 0), (w1, 64), (w2, 128), (w3, 192)] {
            var bits = word
            while bits != 0 {
                result.append(UInt8(base + bits.trailingZeroBitCount))
                bits &= bits - 1
            }
        }
        return result
    }
}

import CByteScan

/// A few two-byte patterns, found sixteen offsets at a time (`cbs_byte_pair_bits16`): the candidate
/// offsets of a search whose matches all start with one of the pairs, so that the search runs only there instead of
/// testing (and branching on) every byte.
///
/// A pair matches at offset `i` when `bytes[i] | firstFold == first` and `next | secondFold == second`, where `next`
/// is `bytes[i + 1]`, or 0 past the last byte. A fold of `0x20` ignores ASCII letter case (`d` then matches `d` and
/// `D`), `0xFF` accepts any byte (with `second` `0xFF`), other folds accept a few neighbouring bytes (`0x2E` with fold
/// `0x02` is `,` or `.`).
struct BytePairSet: Sendable {
    typealias Pair = (first: UInt8, firstFold: UInt8, second: UInt8, secondFold: UInt8)

    private let pairs: [Pair]
    /// Per pair: `firstFold`, `first`, `secondFold`, `second`, each as a row of sixteen equal bytes (the layout of
    /// `cbs_byte_pair_bits16`); 2 or `capacity` pairs (a fixed number, so that the test of a block is unrolled), the
    /// places past `pairs` holding a pair no byte matches (first byte `0xFF` unfolded: never in UTF-8, nor in the zero
    /// padding).
    private let rows: [UInt8]
    static let capacity = 6

    init(_ pairs: [Pair]) {
        precondition(pairs.count <= Self.capacity, "a BytePairSet holds at most \(Self.capacity) pairs")
        self.pairs = pairs
        let slots = pairs.count <= 2 ? 2 : Self.capacity
        let padded = pairs + Array(repeating: (0xFF, 0, 0xFF, 0), count: slots - pairs.count)
        rows = padded.flatMap { pair in
            [pair.firstFold, pair.first, pair.secondFold, pair.second].flatMap { repeatElement($0, count: 16) }
        }
    }

    /// Whether a pair occurs at `offset` of `bytes`.
    func occurs(in bytes: UnsafeBufferPointer<UInt8>, at offset: Int) -> Bool {
        let byte = bytes[offset], next = offset + 1 < bytes.count ? bytes[offset + 1] : 0
        return pairs.contains { byte | $0.firstFold == $0.first && next | $0.secondFold == $0.second }
    }

    /// Calls `body` with each offset from `start` on where a pair occurs, in increasing order; `body` returns the
    /// offset to go on from (greater than the one it was given: a search that matched skips the match).
    @inline(__always)
    func forEachCandidate(in bytes: UnsafeBufferPointer<UInt8>, from start: Int, _ body: (Int) -> Int) {
        var offset = start
        let count = bytes.count
        guard let base = bytes.baseAddress, offset < count else { return }
        rows.withUnsafeBufferPointer { rows in
            let rows = rows.baseAddress!
            /// Calls `body` for the set bits of `bits`, the offsets `block...`; when `body` skips to `end` or past it,
            /// `offset` is set to where to go on.
            @inline(__always) func visit(_ bits: UInt32, block: Int, end: Int) {
                var bits = bits
                while bits != 0 {
                    let resume = body(block + bits.trailingZeroBitCount)
                    if resume >= end {
                        offset = resume
                        return
                    }
                    bits &= ~0 << UInt32(resume - block)
                }
            }
            /// The scan with `slots` pairs a block (a constant where called, so the test of a block is unrolled).
            @inline(__always) func scan(slots: Int) {
                // Blocks of sixteen offsets whose next bytes are all inside the text.
                while offset + 17 <= count {
                    let block = offset
                    offset += 16
                    visit(UInt32(cbs_byte_pair_bits16(base + block, rows, slots)), block: block, end: offset)
                }
                // The last offsets (at most sixteen), from a zero-padded copy.
                guard offset < count else { return }
                var padded: (UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0)
                let rest = count - offset
                let bits = withUnsafeMutableBytes(of: &padded) { padded in
                    padded.baseAddress!.copyMemory(from: base + offset, byteCount: rest)
                    return UInt32(cbs_byte_pair_bits16(padded.baseAddress!.assumingMemoryBound(to: UInt8.self), rows, slots))
                        & (1 << UInt32(rest) - 1)
                }
                let block = offset
                offset = count
                visit(bits, block: block, end: count)
            }
            if self.rows.count == 2 * 64 { scan(slots: 2) } else { scan(slots: Self.capacity) }
        }
    }
}

/// A Bloom filter over the first words of a lexicon's terms, so that a scan can rule out most words of a text with
/// one hash and one memory load instead of a walk down the trie.
///
/// A term's *first word* is the longest prefix of its key made of word bytes (`ByteClass.isWord`: ASCII letters
/// and digits, every byte of a non-ASCII character), taken only for keys that start with a word byte. A match that
/// starts where a word of the text starts must cover that whole word and end it where the term's first word ends
/// (the term goes on with a non-word byte, or ends, and a match never ends inside a word), so the text's word equals
/// the term's first word. Case is folded as the matcher folds it (ASCII only, unless case-sensitive).
///
/// The filter answers "maybe" for every first word it holds and, with about 2 % false positives, for others:
/// a "no" is exact, a "maybe" sends the position to the trie. Two bits per word are set inside one 64-bit word of
/// the table (one cache line per query). Immutable after `init`; read by any number of threads.
final class FirstWordFilter: @unchecked Sendable {
    /// The hash of the empty word; `combine` adds one folded byte.
    static let seed: UInt64 = 0xCBF2_9CE4_8422_2325

    /// Adds a folded word byte to a running hash (FNV-1a).
    @inline(__always) static func combine(_ hash: UInt64, _ byte: UInt8) -> UInt64 {
        (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01B3
    }

    /// The end of the word that starts at `position` of `base[0..<count]` (where the bytes `fold` maps to non-zero
    /// values stop) and its hash: `combine` over the folded bytes from `seed`. Four bytes a step while four remain
    /// (one bound check per step; most words end within the first), then one at a time. `position` is in
    /// `0...count`, so `end` stays in `0...count` and the wrapping arithmetic never wraps.
    @inline(__always) static func readWord(_ base: UnsafePointer<UInt8>, at position: Int, count: Int,
                                           fold: UnsafeMutablePointer<UInt8>) -> (end: Int, hash: UInt64)
    {
        var end = position
        var hash = seed
        let stepLimit = count &- 3
        while end < stepLimit {
            let first = fold[Int(base[end])]
            if first == 0 { return (end, hash) }
            hash = combine(hash, first)
            let second = fold[Int(base[end &+ 1])]
            if second == 0 { return (end &+ 1, hash) }
            hash = combine(hash, second)
            let third = fold[Int(base[end &+ 2])]
            if third == 0 { return (end &+ 2, hash) }
            hash = combine(hash, third)
            let fourth = fold[Int(base[end &+ 3])]
            if fourth == 0 { return (end &+ 3, hash) }
            hash = combine(hash, fourth)
            end &+= 4
        }
        while end < count {
            let byte = fold[Int(base[end])]
            if byte == 0 { break }
            hash = combine(hash, byte)
            end &+= 1
        }
        return (end, hash)
    }

    /// The table: a power of two of 64-bit words, indexed by the top bits of the mixed hash.
    let words: UnsafeMutablePointer<UInt64>
    /// How far a mixed hash is shifted right to give a table word's index (64 minus the index width).
    let indexShift: UInt64
    private let wordCount: Int

    /// A filter holding the first word of every key that starts with a word byte. `fold` maps each byte as the
    /// matcher does before comparing (ASCII lowercase, or identity when case-sensitive).
    init(keys: [[UInt8]], fold: (UInt8) -> UInt8) {
        var hashes: [UInt64] = []
        hashes.reserveCapacity(keys.count)
        for key in keys where !key.isEmpty && ByteClass.isWord(key[0]) {
            var hash = Self.seed
            for byte in key {
                guard ByteClass.isWord(byte) else { break }
                hash = Self.combine(hash, fold(byte))
            }
            hashes.append(hash)
        }
        // About 16 bits per first word, at least 4 KiB bits: two probes give roughly 2 % false positives.
        var indexBits = 6
        while (1 << indexBits) * 64 < max(hashes.count * 16, 4096) { indexBits += 1 }
        wordCount = 1 << indexBits
        indexShift = UInt64(64 - indexBits)
        words = .allocate(capacity: wordCount)
        words.initialize(repeating: 0, count: wordCount)
        for hash in hashes {
            let (index, bits) = Self.probe(hash, indexShift: indexShift)
            words[index] |= bits
        }
    }

    deinit { words.deallocate() }

    /// The table word and the two bits in it that stand for a word's hash.
    @inline(__always) static func probe(_ hash: UInt64, indexShift: UInt64) -> (index: Int, bits: UInt64) {
        let mixed = hash &* 0x9E37_79B9_7F4A_7C15
        let bits = (1 as UInt64) << ((mixed >> 20) & 63) | (1 as UInt64) << ((mixed >> 26) & 63)
        // `indexShift` is below 64 (the table has at least 64 words), so the shift needs no range check.
        return (Int(truncatingIfNeeded: mixed &>> indexShift), bits)
    }

    /// False when no key's first word has this hash (then no term starts with the word); true when one may.
    @inline(__always) func mayContain(_ hash: UInt64) -> Bool {
        Self.mayContain(hash, words: words, indexShift: indexShift)
    }

    /// `mayContain` over a filter's `words` and `indexShift` held in locals (a scan loads them once, not per word).
    @inline(__always) static func mayContain(_ hash: UInt64, words: UnsafeMutablePointer<UInt64>, indexShift: UInt64) -> Bool {
        let (index, bits) = probe(hash, indexShift: indexShift)
        return words[index] & bits == bits
    }
}

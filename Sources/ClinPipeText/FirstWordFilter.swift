import CByteScan

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
    /// The hash of a word's folded bytes (as the matcher folds them), as `readWord` computes it from the text: the
    /// bytes in zero-padded blocks of sixteen, each mixed in by `cbs_word_hash_block` (see `cbs_read_word`).
    static func hash(ofFolded word: some Collection<UInt8>) -> UInt64 {
        var hash = cbs_word_hash_seed()
        var block = [UInt8](repeating: 0, count: 16)
        var filled = 0
        func mix() {
            block.withUnsafeBytes { raw in
                hash = cbs_word_hash_block(hash, raw.loadUnaligned(as: UInt64.self), raw.loadUnaligned(fromByteOffset: 8, as: UInt64.self))
            }
        }
        for byte in word {
            block[filled] = byte
            filled += 1
            if filled == 16 {
                mix()
                block = [UInt8](repeating: 0, count: 16)
                filled = 0
            }
        }
        mix()  // the last block: the bytes left and zeros (all zeros when the length is a multiple of sixteen)
        return cbs_word_hash_finish(hash)
    }

    /// The end of the word that starts at `position` of `base[0..<count]` (the run of `ByteClass.isWord` bytes),
    /// the hash of its bytes, ASCII letters lowercased when `foldsCase` (`hash(ofFolded:)` of the folded word), and
    /// its first block (`firstBlock(ofFolded:)` of the folded word). Sixteen bytes a step, without a branch on where
    /// the word ends inside a step (`cbs_read_word`). `position` is in `0...count`; a position that starts no word
    /// gives `end == position`.
    @inline(__always) static func readWord(_ base: UnsafePointer<UInt8>, at position: Int, count: Int,
                                           foldsCase: Bool) -> (end: Int, hash: UInt64, first: WordBlock)
    {
        let word = cbs_read_word(base + position, count &- position, foldsCase ? 1 : 0)
        return (position &+ word.length, word.hash, WordBlock(low: word.low, high: word.high))
    }

    /// The first sixteen bytes of a word (folded as the matcher folds them), zero-padded, as two 64-bit halves loaded
    /// from memory (as `cbs_read_word` and `hash(ofFolded:)` read a block): the first block that the hash mixes in. Word bytes are never zero, so for a word of up to
    /// sixteen bytes the block and the length give the word exactly.
    struct WordBlock: Equatable {
        var low: UInt64
        var high: UInt64
    }

    /// The first block of a folded word, as `readWord` gives it from the text.
    static func firstBlock(ofFolded word: some Collection<UInt8>) -> WordBlock {
        var block = [UInt8](repeating: 0, count: 16)
        for (index, byte) in word.prefix(16).enumerated() { block[index] = byte }
        return block.withUnsafeBytes { raw in
            WordBlock(low: raw.loadUnaligned(as: UInt64.self), high: raw.loadUnaligned(fromByteOffset: 8, as: UInt64.self))
        }
    }

    /// The table: a power of two of 64-bit words, indexed by the top bits of the mixed hash.
    let words: UnsafeMutablePointer<UInt64>
    /// How far a mixed hash is shifted right to give a table word's index (64 minus the index width).
    let indexShift: UInt64
    private let wordCount: Int

    /// A filter holding the first word of every key that starts with a word byte. `fold` maps each byte as the
    /// matcher does before comparing (ASCII lowercase, or identity when case-sensitive).
    init(keys: [[UInt8]], fold: (UInt8) -> UInt8) {
        // Each distinct first word once: the filter is sized by them, not by the keys (thousands of trigger phrases
        // share a few hundred first words; a filter sized by the keys would be many times larger, and miss the cache
        // as often, for no fewer false positives).
        var seen: Set<UInt64> = []
        var hashes: [UInt64] = []
        for key in keys where !key.isEmpty && ByteClass.isWord(key[0]) {
            let hash = Self.hash(ofFolded: key.prefix(while: ByteClass.isWord).map(fold))
            if seen.insert(hash).inserted { hashes.append(hash) }
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

    /// 1 when `mayContain(hash, words:indexShift:)`, else 0, computed without a branch (for a count kept without
    /// one: a compiler may turn a conditional increment into a branch on the loaded word, which mispredicts as often
    /// as the answers vary).
    @inline(__always) static func mayContainCount(_ hash: UInt64, words: UnsafeMutablePointer<UInt64>, indexShift: UInt64) -> Int {
        let (index, bits) = probe(hash, indexShift: indexShift)
        let missing = ~words[index] & bits
        // `missing | -missing` has its top bit set exactly when `missing` is not zero.
        return Int(truncatingIfNeeded: 1 &- ((missing | (0 &- missing)) &>> 63))
    }

    /// `mayContain` over a filter's `words` and `indexShift` held in locals (a scan loads them once, not per word).
    @inline(__always) static func mayContain(_ hash: UInt64, words: UnsafeMutablePointer<UInt64>, indexShift: UInt64) -> Bool {
        let (index, bits) = probe(hash, indexShift: indexShift)
        return words[index] & bits == bits
    }
}

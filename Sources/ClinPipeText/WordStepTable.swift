/// The first words of a lexicon's keys (see `FirstWordFilter`), each with the trie node its walk from the root ends
/// at, so that a scan that has read a word can start the trie walk after it instead of walking it byte by byte.
///
/// A hash table with open addressing, keyed by the word's `FirstWordFilter` hash (folded bytes) and checked against
/// the word's bytes, so that its answer is exact: the node of a key's first word equal to the text's word (folded),
/// or -1 when no key starts with that word. Immutable after `init`; read by any number of threads.
final class FirstWordTable: @unchecked Sendable {
    /// One slot: a word's hash, its node (-1: empty slot) and where its folded bytes are in `bytes`.
    struct Slot {
        var hash: UInt64 = 0
        var node: Int32 = -1
        var length: Int32 = 0
        var start: Int = 0
    }

    private let slots: UnsafeMutablePointer<Slot>
    /// Slot count minus one (the count is a power of two).
    private let mask: Int
    /// The folded bytes of every word, one after another.
    private let bytes: UnsafeMutablePointer<UInt8>

    /// A table of `words` (folded bytes, distinct) and their nodes.
    init(words: [(word: [UInt8], node: Int32)]) {
        var capacity = 8
        while capacity < words.count * 2 { capacity *= 2 }
        mask = capacity - 1
        slots = .allocate(capacity: capacity)
        slots.initialize(repeating: Slot(), count: capacity)
        let total = words.reduce(0) { $0 + $1.word.count }
        bytes = .allocate(capacity: max(total, 1))
        var start = 0
        for (word, node) in words {
            let hash = FirstWordFilter.hash(ofFolded: word)
            var index = Self.index(hash, mask: mask)
            while slots[index].node >= 0 { index = (index + 1) & mask }
            slots[index] = Slot(hash: hash, node: node, length: Int32(word.count), start: start)
            (bytes + start).initialize(from: word, count: word.count)
            start += word.count
        }
    }

    deinit {
        slots.deallocate()
        bytes.deallocate()
    }

    @inline(__always) private static func index(_ hash: UInt64, mask: Int) -> Int {
        Int(truncatingIfNeeded: (hash &* 0x9E37_79B9_7F4A_7C15) >> 32) & mask
    }

    /// The node of the word `text[start..<end]` (word bytes whose folded hash is `hash`; `fold` maps each byte as
    /// the table's words were folded), or -1 when it is no key's first word.
    @inline(__always) func node(ofWord text: UnsafePointer<UInt8>, from start: Int, to end: Int, hash: UInt64,
                                fold: UnsafeMutablePointer<UInt8>) -> Int32
    {
        var index = Self.index(hash, mask: mask)
        while true {
            let slot = slots[index]
            if slot.node < 0 { return -1 }
            if slot.hash == hash && Int(slot.length) == end &- start {
                // Offsets below the word's length: the wrapping arithmetic never wraps.
                let word = text + start, stored = bytes + slot.start, length = end &- start
                var offset = 0
                while offset < length && fold[Int(word[offset])] == stored[offset] { offset &+= 1 }
                if offset == length { return slot.node }
            }
            index = (index + 1) & mask
        }
    }
}

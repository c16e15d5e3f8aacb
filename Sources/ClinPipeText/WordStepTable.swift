/// Steps of a lexicon trie taken a whole word at a time: for a trie node and a word of the text, the node that the
/// walk down the trie reaches after the word's bytes.
///
/// A *word* is a run of word bytes (`ByteClass.isWord`), read whole from where one starts (see `FirstWordFilter`).
/// A match never ends inside a word of the text, so a walk that meets a word can only go on through all of it: the
/// table holds, for each node a walk can be at when a word starts (`from`), every word that leads from it to a node
/// where a term ends or a non-word byte follows. The matcher keeps two: its keys' first words from the root, and the
/// later words of its keys from the nodes after a non-word byte.
///
/// A hash table with open addressing, keyed by the word's `FirstWordFilter` hash (folded bytes) mixed with `from`, and
/// checked against the word's bytes, so that its answer is exact: the node after the word, or -1 when no key goes on
/// from `from` with that word. The bytes are checked sixteen at a time against the word's first block as the
/// reader gives it (`FirstWordFilter.WordBlock`), so that the check of a word of up to sixteen bytes is two loads and
/// one comparison, not a loop whose exit a processor mispredicts; only the bytes of longer words after their first
/// sixteen are compared one by one. Immutable after `init`; read by any number of threads.
final class WordStepTable: @unchecked Sendable {
    /// One step: from a node, over a word (folded bytes), to a node.
    struct Step {
        var from: Int32
        var word: [UInt8]
        var node: Int32
    }

    /// One slot: a word's hash, the step's nodes (`node` -1: empty slot) and where the word's folded bytes are in
    /// `bytes` (`start` a multiple of sixteen).
    struct Slot {
        var hash: UInt64 = 0
        var from: Int32 = -1
        var node: Int32 = -1
        var start: Int32 = 0
        var length: Int32 = 0
    }

    private let slots: UnsafeMutablePointer<Slot>
    /// Slot count minus one (the count is a power of two).
    private let mask: Int
    /// The folded bytes of every word, each from a multiple of sixteen bytes and zero-padded to one (aligned to
    /// sixteen bytes).
    private let bytes: UnsafeMutableRawPointer
    /// The number of steps held.
    let count: Int

    /// A table of `steps` (distinct pairs of `from` and word), with at least `slotsPerStep` slots per step (a
    /// power of two; more slots make a miss, the common answer of a walk, settle in fewer probes).
    init(steps: [Step], slotsPerStep: Int = 2) {
        var capacity = 8
        while capacity < steps.count * slotsPerStep { capacity *= 2 }
        mask = capacity - 1
        count = steps.count
        slots = .allocate(capacity: capacity)
        slots.initialize(repeating: Slot(), count: capacity)
        let total = steps.reduce(0) { $0 + Self.paddedLength($1.word.count) }
        precondition(total < Int(Int32.max), "lexicon too large for the word step table's 32-bit offsets")
        bytes = .allocate(byteCount: max(total, 16), alignment: 16)
        bytes.initializeMemory(as: UInt8.self, repeating: 0, count: max(total, 16))
        var start = 0
        for step in steps {
            let hash = FirstWordFilter.hash(ofFolded: step.word)
            var index = Self.index(hash, from: step.from, mask: mask)
            while slots[index].node >= 0 { index = (index + 1) & mask }
            slots[index] = Slot(hash: hash, from: step.from, node: step.node, start: Int32(start),
                                length: Int32(step.word.count))
            (bytes + start).copyMemory(from: step.word, byteCount: step.word.count)
            start += Self.paddedLength(step.word.count)
        }
    }

    /// The room a word of `length` bytes takes in `bytes`: at least sixteen, a multiple of sixteen.
    private static func paddedLength(_ length: Int) -> Int { max(16, (length + 15) & ~15) }

    deinit {
        slots.deallocate()
        bytes.deallocate()
    }

    /// The first slot to probe: the word's hash mixed with the node it starts from (the root, node 0, leaves the
    /// hash as it is).
    @inline(__always) private static func index(_ hash: UInt64, from: Int32, mask: Int) -> Int {
        let key = hash ^ (UInt64(UInt32(bitPattern: from)) &* 0xC2B2_AE3D_27D4_EB4F)
        return Int(truncatingIfNeeded: (key &* 0x9E37_79B9_7F4A_7C15) >> 32) & mask
    }

    /// The node after the word `text[start..<end]` (word bytes whose folded hash is `hash` and whose folded first
    /// block is `first`; `fold` maps each byte as the table's words were folded) taken from node `from`, or -1 when no
    /// key goes on that way.
    @inline(__always) func node(from: Int32, word text: UnsafePointer<UInt8>, start: Int, end: Int, hash: UInt64,
                                first: FirstWordFilter.WordBlock, fold: UnsafeMutablePointer<UInt8>) -> Int32
    {
        var index = Self.index(hash, from: from, mask: mask)
        let length = end &- start
        while true {
            let slot = slots[index]
            if slot.node < 0 { return -1 }
            if slot.hash == hash && slot.from == from && Int(slot.length) == length {
                let stored = bytes + Int(slot.start)
                // The first sixteen bytes at once (both sides zero-padded); then the rest of a longer word one by one.
                let differs = (stored.load(as: UInt64.self) ^ first.low)
                    | (stored.load(fromByteOffset: 8, as: UInt64.self) ^ first.high)
                if differs == 0 && (length <= 16 || Self.restMatches(text + start, stored, length: length, fold: fold)) {
                    return slot.node
                }
            }
            index = (index + 1) & mask
        }
    }

    /// Whether bytes 16..<length of the text's word, folded, are the stored ones.
    private static func restMatches(_ word: UnsafePointer<UInt8>, _ stored: UnsafeMutableRawPointer, length: Int,
                                    fold: UnsafeMutablePointer<UInt8>) -> Bool
    {
        // Offsets below the word's length: the wrapping arithmetic never wraps.
        var offset = 16
        while offset < length && fold[Int(word[offset])] == stored.load(fromByteOffset: offset, as: UInt8.self) { offset &+= 1 }
        return offset == length
    }
}

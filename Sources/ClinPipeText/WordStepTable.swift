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
/// from `from` with that word. Immutable after `init`; read by any number of threads.
final class WordStepTable: @unchecked Sendable {
    /// One step: from a node, over a word (folded bytes), to a node.
    struct Step {
        var from: Int32
        var word: [UInt8]
        var node: Int32
    }

    /// One slot: a word's hash, the step's nodes (`node` -1: empty slot) and where the word's folded bytes are in
    /// `bytes`.
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
    /// The folded bytes of every word, one after another.
    private let bytes: UnsafeMutablePointer<UInt8>
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
        let total = steps.reduce(0) { $0 + $1.word.count }
        precondition(total < Int(Int32.max), "lexicon too large for the word step table's 32-bit offsets")
        bytes = .allocate(capacity: max(total, 1))
        var start = 0
        for step in steps {
            let hash = FirstWordFilter.hash(ofFolded: step.word)
            var index = Self.index(hash, from: step.from, mask: mask)
            while slots[index].node >= 0 { index = (index + 1) & mask }
            slots[index] = Slot(hash: hash, from: step.from, node: step.node, start: Int32(start),
                                length: Int32(step.word.count))
            (bytes + start).initialize(from: step.word, count: step.word.count)
            start += step.word.count
        }
    }

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

    /// The node after the word `text[start..<end]` (word bytes whose folded hash is `hash`; `fold` maps each byte as
    /// the table's words were folded) taken from node `from`, or -1 when no key goes on that way.
    @inline(__always) func node(from: Int32, word text: UnsafePointer<UInt8>, start: Int, end: Int, hash: UInt64,
                                fold: UnsafeMutablePointer<UInt8>) -> Int32
    {
        var index = Self.index(hash, from: from, mask: mask)
        while true {
            let slot = slots[index]
            if slot.node < 0 { return -1 }
            if slot.hash == hash && slot.from == from && Int(slot.length) == end &- start {
                // Offsets below the word's length: the wrapping arithmetic never wraps.
                let word = text + start, stored = bytes + Int(slot.start), length = end &- start
                var offset = 0
                while offset < length && fold[Int(word[offset])] == stored[offset] { offset &+= 1 }
                if offset == length { return slot.node }
            }
            index = (index + 1) & mask
        }
    }
}

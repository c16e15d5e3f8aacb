import CByteScan

/// Finds every term of a large lexicon in one left-to-right pass over UTF-8 text.
///
/// Matching is whole-word (a match neither starts nor ends inside a word), **longest match first** (at a given
/// start the longest term wins, and matches never overlap), and case-insensitive for ASCII letters unless built
/// with `caseSensitive`. A space in a term matches any run of whitespace in the text, including line breaks, so
/// `trigger point injection` matches across a hard-wrapped line. Non-ASCII characters match exactly.
///
/// The terms live in a byte trie over a compact alphabet (only the bytes that occur in some term; ASCII case and
/// whitespace folded in the byte-to-symbol table). Nodes with many children (the root and the busy upper levels)
/// have a dense row indexed by symbol; the others keep a short sorted edge list. A pass reads each word sixteen bytes
/// at a time (its end from a bit mask, so that word lengths cost no mispredicted branches), hashes each word whose
/// first byte can start a term and asks a Bloom filter of the terms' first words (`FirstWordFilter`); the few words it
/// cannot rule out are looked up in an exact table of first words (`WordStepTable`), which gives the trie node after
/// the word, so only what follows a term's first word is walked. That walk takes the later words of the text whole
/// too (a second word step table), and only the bytes between words one at a time. It allocates nothing but its
/// results. Tens of thousands of terms build in milliseconds.
public struct LexiconMatcher: Sendable {
    /// One match: UTF-8 offsets into the text and the values of every term with this spelling.
    public struct Match: Sendable, Hashable {
        public var range: Range<Int>
        /// Indices of the terms (in the order given to `init`) that share this normalized spelling.
        public var values: [Int]
    }

    public let caseSensitive: Bool
    public let termCount: Int

    let trie: Trie
    private let valueGroups: [[Int]]

    /// Builds a matcher. Empty terms (after trimming) are ignored.
    public init(terms: [String], caseSensitive: Bool = false) {
        self.caseSensitive = caseSensitive
        self.termCount = terms.count
        // Build a pointer-free trie first: children as dictionaries.
        var keys: [[UInt8]] = []
        keys.reserveCapacity(terms.count)
        var used = [Bool](repeating: false, count: 256)
        for term in terms {
            let key = Self.normalizedKey(term, caseSensitive: caseSensitive)
            for byte in key { used[Int(byte)] = true }
            keys.append(key)
        }
        // Symbols: 0 means "in no term"; the space symbol also stands for every whitespace byte of the text.
        var symbolOf = [UInt8](repeating: 0, count: 256)
        var symbolCount = 1
        for byte in 0..<256 where used[byte] {
            symbolOf[byte] = UInt8(symbolCount)
            symbolCount += 1
        }
        precondition(symbolCount <= 256)
        for byte in 0..<256 {
            let folded = caseSensitive ? UInt8(byte) : ByteClass.lower(UInt8(byte))
            if ByteClass.isSpace(UInt8(byte)) { symbolOf[byte] = symbolOf[0x20] }
            else if folded != UInt8(byte) { symbolOf[byte] = symbolOf[Int(folded)] }
        }
        var children: [[UInt8: Int32]] = [[:]]
        var terminalGroup: [Int32] = [-1]
        var groups: [[Int]] = []
        for (index, key) in keys.enumerated() where !key.isEmpty {
            var node = 0
            for byte in key {
                let symbol = symbolOf[Int(byte)]
                if let next = children[node][symbol] {
                    node = Int(next)
                } else {
                    children.append([:])
                    terminalGroup.append(-1)
                    let next = Int32(children.count - 1)
                    children[node][symbol] = next
                    node = Int(next)
                }
            }
            if terminalGroup[node] < 0 {
                terminalGroup[node] = Int32(groups.count)
                groups.append([index])
            } else {
                groups[Int(terminalGroup[node])].append(index)
            }
        }
        self.trie = Trie(children: children, terminal: terminalGroup, symbolOf: symbolOf, symbolCount: symbolCount,
                         keys: keys, caseSensitive: caseSensitive)
        self.valueGroups = groups
    }

    /// The key a term is stored under: trimmed, inner whitespace collapsed to one space, ASCII-lowercased unless
    /// case-sensitive.
    public static func normalizedKey(_ term: String, caseSensitive: Bool) -> [UInt8] {
        var key: [UInt8] = []
        key.reserveCapacity(term.utf8.count)
        var pendingSpace = false
        for byte in term.utf8 {
            if ByteClass.isSpace(byte) {
                pendingSpace = !key.isEmpty
                continue
            }
            if pendingSpace { key.append(0x20); pendingSpace = false }
            key.append(caseSensitive ? byte : ByteClass.lower(byte))
        }
        return key
    }

    /// All longest, non-overlapping, whole-word matches in `text` (UTF-8 bytes), left to right.
    public func matches(in text: UnsafeBufferPointer<UInt8>) -> [Match] {
        var result: [Match] = []
        forEachMatch(in: text) { range, group in
            result.append(Match(range: range, values: valueGroups[group]))
        }
        return result
    }

    /// All matches in a string.
    public func matches(in text: String) -> [Match] { text.withUTF8Bytes { matches(in: $0) } }

    /// The term indices of a value group reported by `forEachMatch`.
    public func values(ofGroup group: Int) -> [Int] { valueGroups[group] }

    /// The number of value groups (one per distinct normalized spelling), numbered from 0.
    public var groupCount: Int { valueGroups.count }

    /// Calls `body(range, group)` for each match (`range` in UTF-8 offsets of `text`); `group` indexes
    /// `values(ofGroup:)`. Allocates nothing.
    public func forEachMatch(in text: UnsafeBufferPointer<UInt8>, _ body: (Range<Int>, Int) -> Void) {
        guard let base = text.baseAddress, !text.isEmpty else { return }
        if trie.termsStartWithWords {
            forEachMatchAtWordStarts(base, count: text.count, body)
        } else {
            forEachMatchAtEveryStart(base, count: text.count, body)
        }
    }

    /// `forEachMatch` for lexicons whose terms all start with a word byte (every built-in one): only word starts
    /// can start a match, and they are found 64 bytes at a time (`cbs_word_starts64`), so the scan does not branch
    /// on each byte between words. Visits the same starts, in the same order, as `forEachMatchAtEveryStart`. Every
    /// word start visited is read and asked the first-word filter, even one whose first byte starts no term (about
    /// one word in ten): the filter rules it out too, and a test of the first byte before it would be one more
    /// branch per word, a mispredicted one whenever such words come irregularly.
    private func forEachMatchAtWordStarts(_ base: UnsafePointer<UInt8>, count: Int, _ body: (Range<Int>, Int) -> Void) {
        let words = FirstWords(trie, foldsCase: !caseSensitive)
        var chunk = 0
        var previousIsWord = false
        while chunk < count {
            var starts = cbs_word_starts64(base + chunk, count &- chunk, previousIsWord ? 1 : 0)
            var next = chunk &+ 64
            while starts != 0 {
                let position = chunk &+ starts.trailingZeroBitCount
                starts &= starts &- 1
                let (end, group, _) = longestMatch(atWordStart: position, in: base, count: count, words: words)
                guard end >= 0 else { continue }
                body(position..<end, group)
                // The starts inside the match are passed over; past this chunk, the scan goes on from the match's
                // end (a word start there is one: a match ends a word, or ends with a non-word byte).
                if end < next {
                    starts &= ~((1 &<< UInt64(end &- chunk)) &- 1)
                } else {
                    next = end
                    break
                }
            }
            chunk = next
            previousIsWord = chunk < count && chunk > 0 && ByteClass.isWord(base[chunk &- 1])
        }
    }

    /// `forEachMatch` for lexicons with terms that start with a non-word byte: every byte is looked at.
    private func forEachMatchAtEveryStart(_ base: UnsafePointer<UInt8>, count: Int, _ body: (Range<Int>, Int) -> Void) {
        let trie = self.trie
        let startClass = trie.startClass
        let words = FirstWords(trie, foldsCase: !caseSensitive)
        var position = 0
        while position < count {
            // Straight to the next byte that can start a term: bytes that cannot are stepped over, and so is the
            // rest of a word that one begins (the same moves as a failed start below, without the trie).
            var action = startClass[Int(base[position])]
            while action < Trie.startsTerm {
                // A word is stepped over whole (its length from a bit mask, `cbs_word_length`), another byte alone.
                position += action == Trie.skipsWord ? cbs_word_length(base + position, count &- position) : 1
                guard position < count else { return }
                action = startClass[Int(base[position])]
            }
            if action == Trie.startsWord {
                let (end, group, wordEnd) = longestMatch(atWordStart: position, in: base, count: count, words: words)
                if end >= 0 {
                    body(position..<end, group)
                    position = end
                } else {
                    position = wordEnd  // no term starts inside the rest of the word either
                }
                continue
            }
            let (bestEnd, bestGroup) = trie.longestMatch(base, at: position, count: count)
            if bestEnd >= 0 {
                body(position..<bestEnd, bestGroup)
                position = bestEnd
            } else {
                position += 1
            }
        }
    }

    /// What `longestMatch(atWordStart:)` reads of the trie for every word, held in locals by a scan (loaded once,
    /// not again for each word through the trie's reference).
    struct FirstWords {
        let filterWords: UnsafeMutablePointer<UInt64>
        let filterShift: UInt64
        let table: WordStepTable
        let fold: UnsafeMutablePointer<UInt8>
        let foldsCase: Bool

        @inline(__always) init(_ trie: Trie, foldsCase: Bool) {
            filterWords = trie.firstWords.words
            filterShift = trie.firstWords.indexShift
            table = trie.firstWordTable
            fold = trie.wordFold
            self.foldsCase = foldsCase
        }
    }

    /// The longest match that starts at `position`, where a word starts whose first byte starts some term: its end
    /// and value group, or (-1, -1), and the end of the word. A term can start here only if its first word is this
    /// whole word, so the word's hash settles most words without the trie: the Bloom filter rules out most in one
    /// load, the first word table settles the rest exactly and gives the node after the word, from where the walk
    /// goes on.
    @inline(__always) func longestMatch(atWordStart position: Int, in base: UnsafePointer<UInt8>,
                                                count: Int, words: FirstWords) -> (end: Int, group: Int, wordEnd: Int)
    {
        let (wordEnd, hash, first) = FirstWordFilter.readWord(base, at: position, count: count, foldsCase: words.foldsCase)
        guard FirstWordFilter.mayContain(hash, words: words.filterWords, indexShift: words.filterShift) else {
            return (-1, -1, wordEnd)
        }
        let node = words.table.node(from: 0, word: base, start: position, end: wordEnd, hash: hash, first: first,
                                    fold: words.fold)
        guard node >= 0 else { return (-1, -1, wordEnd) }
        let (end, group) = trie.walk(base, from: node, at: wordEnd, count: count)
        return (end, group, wordEnd)
    }
}

extension LexiconMatcher {
    /// The flattened trie: immutable after `init`, read by any number of threads.
    ///
    /// Nodes are numbered breadth-first (node 0 is the root), so the upper levels, where nearly every word's walk
    /// ends, sit together in memory. Each node is one 32-bit word (so that the trie stays in cache while other
    /// stages run between documents): bit 31 terminal, bit 30 dense, bits 28-29 the number of edges of a sparse
    /// node (up to three), bits 0-27 the start of its dense row in `dense` (one child per symbol) or of its sorted
    /// edge list (`edgeSymbol`, `edgeTarget`). A child of -1 means none; a terminal node's value group is in
    /// `terminal`.
    final class Trie: @unchecked Sendable {
        /// Nodes with at least this many children get a dense row (so sparse nodes have at most three edges).
        static let denseThreshold = 4
        static let terminalBit: UInt32 = 1 << 31
        static let denseBit: UInt32 = 1 << 30
        static let offsetMask: UInt32 = (1 << 28) - 1

        let symbolOf: UnsafeMutablePointer<UInt8>
        /// Per byte, what a scan does on meeting it: when some key starts with its symbol, `startsWord` for a word
        /// byte (the word's hash and the first word table come first) or `startsTerm`; else `skipsWord` for a word
        /// byte (no term starts inside the rest of its word) or `skipsByte`. The two starting classes are the
        /// largest, so a scan skips while the class is below `startsTerm`.
        let startClass: UnsafeMutablePointer<UInt8>
        /// Per byte: 0 for a byte that is not a word byte, else the byte as matching folds it (word bytes are never 0).
        let wordFold: UnsafeMutablePointer<UInt8>
        /// The first words of the keys, to rule out words that start no term.
        let firstWords: FirstWordFilter
        /// The first words of the keys with the nodes their paths end at, as steps from the root (exact; asked when
        /// `firstWords` may hold a word).
        let firstWordTable: WordStepTable
        /// The later words of the keys: steps over a word from each node that a non-word byte leads to (see `walk`).
        let nextWordTable: WordStepTable
        /// Whether ASCII case is folded (the matcher is not case-sensitive): how `walk` reads words.
        private let foldsCase: Bool
        /// Whether every key starts with a word byte (no byte is `startsTerm`): then only word starts can start a
        /// match.
        let termsStartWithWords: Bool
        static let skipsByte: UInt8 = 0
        static let skipsWord: UInt8 = 1
        static let startsTerm: UInt8 = 2
        static let startsWord: UInt8 = 3
        let nodes: UnsafeMutablePointer<UInt32>
        /// Per node: the value group of a terminal node, else -1.
        let terminal: UnsafeMutablePointer<Int32>
        /// Start filter, one bit per symbol triple: set when some term's key starts with the triple, or is one or
        /// two symbols long and starts the triple. Nil when the alphabet is too large for it (over 2^21 bits).
        private let startBits: UnsafeMutablePointer<UInt64>?
        /// Per symbol triple: set when a key of at most three symbols starts the triple (a match may end there).
        private let shortBits: UnsafeMutablePointer<UInt64>?
        /// Second filter, a hashed bit set of the first four symbols of every key of four or more (2^19 bits):
        /// a clear bit means no key starts with those four symbols; a set bit may be a collision.
        private let quadBits: UnsafeMutablePointer<UInt64>?
        static let quadBitCount = 1 << 19
        private let symbolCount: Int
        private let dense: UnsafeMutablePointer<Int32>
        private let edgeSymbol: UnsafeMutablePointer<UInt8>
        private let edgeTarget: UnsafeMutablePointer<Int32>
        private let nodeCount: Int
        private let denseCount: Int
        private let edgeTotal: Int

        /// `keys`: the normalized keys (folded as matching folds), in the order `children` was built from.
        init(children: [[UInt8: Int32]], terminal: [Int32], symbolOf: [UInt8], symbolCount: Int,
             keys: [[UInt8]], caseSensitive: Bool)
        {
            self.symbolCount = symbolCount
            self.foldsCase = !caseSensitive
            self.firstWords = FirstWordFilter(keys: keys, fold: { caseSensitive ? $0 : ByteClass.lower($0) })
            self.wordFold = .allocate(capacity: 256)
            for byte in 0..<256 {
                let value = UInt8(byte)
                (self.wordFold + byte).initialize(to: ByteClass.isWord(value) ? (caseSensitive ? value : ByteClass.lower(value)) : 0)
            }
            let tripleCount = symbolCount * symbolCount * symbolCount
            if tripleCount <= 1 << 21 {
                let words = tripleCount / 64 + 1
                let bits = UnsafeMutablePointer<UInt64>.allocate(capacity: words)
                bits.initialize(repeating: 0, count: words)
                let short = UnsafeMutablePointer<UInt64>.allocate(capacity: words)
                short.initialize(repeating: 0, count: words)
                let quad = UnsafeMutablePointer<UInt64>.allocate(capacity: Self.quadBitCount / 64)
                quad.initialize(repeating: 0, count: Self.quadBitCount / 64)
                func set(_ set: UnsafeMutablePointer<UInt64>, _ a: Int, _ b: Int, _ c: Int) {
                    let index = (a * symbolCount + b) * symbolCount + c
                    set[index >> 6] |= 1 << UInt64(index & 63)
                }
                // Walk the trie to depth four: every path of three symbols, every shorter term, every four-symbol start.
                for (a, first) in children[0] {
                    if terminal[Int(first)] >= 0 {
                        for b in 0..<symbolCount { for c in 0..<symbolCount { set(bits, Int(a), b, c); set(short, Int(a), b, c) } }
                    }
                    for (b, second) in children[Int(first)] {
                        if terminal[Int(second)] >= 0 {
                            for c in 0..<symbolCount { set(bits, Int(a), Int(b), c); set(short, Int(a), Int(b), c) }
                        }
                        for (c, third) in children[Int(second)] {
                            set(bits, Int(a), Int(b), Int(c))
                            if terminal[Int(third)] >= 0 { set(short, Int(a), Int(b), Int(c)) }
                            for (d, _) in children[Int(third)] {
                                let index = Self.quadIndex(a, b, c, d)
                                quad[index >> 6] |= 1 << UInt64(index & 63)
                            }
                        }
                    }
                }
                startBits = bits
                shortBits = short
                quadBits = quad
            } else {
                startBits = nil
                shortBits = nil
                quadBits = nil
            }
            // Breadth-first order: `order[new] = old`, `renumber[old] = new`.
            var order: [Int] = [0]
            order.reserveCapacity(children.count)
            var head = 0
            while head < order.count {
                for (_, child) in children[order[head]].sorted(by: { $0.key < $1.key }) { order.append(Int(child)) }
                head += 1
            }
            var renumber = [Int32](repeating: -1, count: children.count)
            for (new, old) in order.enumerated() { renumber[old] = Int32(new) }
            // Each distinct first word (the keys' bytes are folded already) and the node its path ends at.
            var firstSteps: [WordStepTable.Step] = []
            var seenWords: Set<[UInt8]> = []
            for key in keys where !key.isEmpty && ByteClass.isWord(key[0]) {
                let word = Array(key.prefix(while: ByteClass.isWord))
                guard seenWords.insert(word).inserted else { continue }
                var node = 0
                for byte in word { node = Int(children[node][symbolOf[Int(byte)]]!) }
                firstSteps.append(.init(from: 0, word: word, node: renumber[node]))
            }
            self.firstWordTable = WordStepTable(steps: firstSteps)
            self.nextWordTable = WordStepTable(
                steps: Self.laterWordSteps(children: children, terminal: terminal, symbolOf: symbolOf, keys: keys,
                                           renumber: renumber),
                slotsPerStep: 4)

            nodeCount = order.count
            var denseCount = 0
            var edgeTotal = 0
            for old in order {
                if old == 0 || children[old].count >= Self.denseThreshold { denseCount += symbolCount } else { edgeTotal += children[old].count }
            }
            self.denseCount = denseCount
            self.edgeTotal = edgeTotal
            self.symbolOf = .allocate(capacity: 256)
            self.symbolOf.initialize(from: symbolOf, count: 256)
            self.startClass = .allocate(capacity: 256)
            var termsStartWithWords = true
            for byte in 0..<256 {
                let symbol = symbolOf[byte]
                let starts = symbol != 0 && children[0][symbol] != nil
                let isWord = ByteClass.isWord(UInt8(byte))
                let action = starts ? (isWord ? Self.startsWord : Self.startsTerm) : (isWord ? Self.skipsWord : Self.skipsByte)
                (self.startClass + byte).initialize(to: action)
                if action == Self.startsTerm { termsStartWithWords = false }
            }
            self.termsStartWithWords = termsStartWithWords
            precondition(max(denseCount, edgeTotal) <= Int(Self.offsetMask), "lexicon too large for the trie's 28-bit offsets")
            self.nodes = .allocate(capacity: max(nodeCount, 1))
            self.nodes.initialize(repeating: 0, count: max(nodeCount, 1))
            self.terminal = .allocate(capacity: max(nodeCount, 1))
            self.terminal.initialize(repeating: -1, count: max(nodeCount, 1))
            self.dense = .allocate(capacity: max(denseCount, 1))
            self.dense.initialize(repeating: -1, count: max(denseCount, 1))
            self.edgeSymbol = .allocate(capacity: max(edgeTotal, 1))
            self.edgeSymbol.initialize(repeating: 0, count: max(edgeTotal, 1))
            self.edgeTarget = .allocate(capacity: max(edgeTotal, 1))
            self.edgeTarget.initialize(repeating: -1, count: max(edgeTotal, 1))
            var row = 0
            var edge = 0
            for (new, old) in order.enumerated() {
                var word: UInt32 = terminal[old] >= 0 ? Self.terminalBit : 0
                self.terminal[new] = terminal[old]
                if old == 0 || children[old].count >= Self.denseThreshold {
                    word |= Self.denseBit | UInt32(row)
                    for (symbol, child) in children[old] { dense[row + Int(symbol)] = renumber[Int(child)] }
                    row += symbolCount
                } else {
                    word |= UInt32(children[old].count) << 28 | UInt32(edge)
                    for (symbol, child) in children[old].sorted(by: { $0.key < $1.key }) {
                        edgeSymbol[edge] = symbol
                        edgeTarget[edge] = renumber[Int(child)]
                        edge += 1
                    }
                }
                nodes[new] = word
            }
        }

        deinit {
            wordFold.deallocate()
            startClass.deallocate()
            startBits?.deallocate()
            shortBits?.deallocate()
            quadBits?.deallocate()
            symbolOf.deallocate()
            nodes.deallocate()
            terminal.deallocate()
            dense.deallocate()
            edgeSymbol.deallocate()
            edgeTarget.deallocate()
        }

        /// Whether a term may start at `position`: false only when the next three bytes are in the alphabet, are not
        /// whitespace (a run of whitespace counts as one symbol, so it is left to the walk), and no term starts with
        /// them or with their first one or two; or when no key of four or more starts with the next four and no
        /// shorter key starts them. A cheap test that spares most starts the walk down the trie (words have the first
        /// word table instead).
        @inline(__always) func mayStart(_ base: UnsafePointer<UInt8>, at position: Int, count: Int) -> Bool {
            guard let startBits, let shortBits, let quadBits, position + 2 < count else { return true }
            let second = base[position + 1], third = base[position + 2]
            if ByteClass.isSpace(second) || ByteClass.isSpace(third) { return true }
            let a = symbolOf[Int(base[position])], b = symbolOf[Int(second)], c = symbolOf[Int(third)]
            let index = (Int(a) * symbolCount + Int(b)) * symbolCount + Int(c)
            let bit: UInt64 = 1 << UInt64(index & 63)
            guard startBits[index >> 6] & bit != 0 else { return false }
            guard position + 3 < count, shortBits[index >> 6] & bit == 0 else { return true }
            // The fourth byte: whitespace there is the space symbol (the run matters only after it).
            let d = symbolOf[Int(base[position + 3])]
            let quad = Self.quadIndex(a, b, c, d)
            return quadBits[quad >> 6] & (1 << UInt64(quad & 63)) != 0
        }

        @inline(__always) static func quadIndex(_ a: UInt8, _ b: UInt8, _ c: UInt8, _ d: UInt8) -> Int {
            let key = UInt64(a) | UInt64(b) << 8 | UInt64(c) << 16 | UInt64(d) << 24
            return Int(truncatingIfNeeded: (key &* 0x9E37_79B9_7F4A_7C15) >> UInt64(64 - 19))
        }

        /// The steps of `nextWordTable`: from each node that a non-word symbol leads to, every run of word symbols
        /// down the trie (spelled with the keys' folded bytes) that ends at a node where a key ends or a non-word
        /// symbol follows, with that node. `children`, `terminal`: the trie before renumbering; `renumber[old]`:
        /// the breadth-first number of each node.
        private static func laterWordSteps(children: [[UInt8: Int32]], terminal: [Int32], symbolOf: [UInt8],
                                           keys: [[UInt8]], renumber: [Int32]) -> [WordStepTable.Step]
        {
            // Per symbol: whether it stands for word bytes (no symbol stands for both kinds) and the byte keys spell
            // it with.
            var isWordSymbol = [Bool](repeating: false, count: 256)
            var byteOfSymbol = [UInt8](repeating: 0, count: 256)
            for key in keys {
                for byte in key {
                    let symbol = Int(symbolOf[Int(byte)])
                    isWordSymbol[symbol] = ByteClass.isWord(byte)
                    byteOfSymbol[symbol] = byte
                }
            }
            var steps: [WordStepTable.Step] = []
            // Every node has one parent, so each node that a non-word symbol leads to is visited once.
            for parent in children {
                for (symbol, start) in parent where !isWordSymbol[Int(symbol)] {
                    var pending: [(node: Int, word: [UInt8])] = [(Int(start), [])]
                    while let (node, word) = pending.popLast() {
                        for (symbol, child) in children[node] where isWordSymbol[Int(symbol)] {
                            let longer = word + [byteOfSymbol[Int(symbol)]]
                            let next = Int(child)
                            if terminal[next] >= 0 || children[next].keys.contains(where: { !isWordSymbol[Int($0)] }) {
                                steps.append(.init(from: renumber[Int(start)], word: longer, node: renumber[next]))
                            }
                            pending.append((next, longer))
                        }
                    }
                }
            }
            return steps
        }

        /// The longest term that starts at `position` of `base[0..<count]` and ends a word there (the text's end
        /// ends every word): its end and value group, or (-1, -1). Reads only `base[position..<count]`; `position`
        /// must not be inside a word.
        @inline(__always) func longestMatch(_ base: UnsafePointer<UInt8>, at position: Int, count: Int) -> (end: Int, group: Int) {
            if wordFold[Int(base[position])] != 0 {
                // A word starts here: the first word table gives the node after it.
                let (wordEnd, hash, first) = FirstWordFilter.readWord(base, at: position, count: count, foldsCase: foldsCase)
                let node = firstWordTable.node(from: 0, word: base, start: position, end: wordEnd, hash: hash,
                                               first: first, fold: wordFold)
                return node >= 0 ? walk(base, from: node, at: wordEnd, count: count) : (-1, -1)
            }
            let firstSymbol = symbolOf[Int(base[position])]
            // The root's dense row first (one load: no key starts with whitespace or most punctuation), then the
            // start filters.
            guard firstSymbol != 0 else { return (-1, -1) }
            let node = child(of: 0, symbol: firstSymbol)
            guard node >= 0, mayStart(base, at: position, count: count) else { return (-1, -1) }
            var cursor = position + 1
            if firstSymbol == symbolOf[0x20] {
                while cursor < count && ByteClass.isSpace(base[cursor]) { cursor += 1 }
            }
            return walk(base, from: node, at: cursor, count: count)
        }

        /// The longest term whose walk from the root reached `node` with the text read up to `cursor` (the bytes
        /// before it matched the path to `node`), that ends a word: its end and value group, or (-1, -1). A term
        /// that ends before `cursor` is not seen (callers start where none can: inside a word).
        ///
        /// `cursor` must not be inside a word (it is where a word ends, or follows a non-word byte), so that the
        /// walk meets word bytes only where words start: each word is then one step of `nextWordTable` (a match
        /// cannot end inside it, so the walk goes through all of it or stops), and only the bytes between words
        /// are walked one at a time.
        @inline(__always) func walk(_ base: UnsafePointer<UInt8>, from node: Int32, at cursor: Int, count: Int) -> (end: Int, group: Int) {
            let spaceSymbol = symbolOf[0x20]
            var node = node
            var cursor = cursor
            var bestEnd = -1
            var bestGroup = -1
            while true {
                if isTerminal(node) {
                    // Whole word at the end: the next byte must not continue a word that the term's last byte is in.
                    if cursor == count || !ByteClass.isWord(base[cursor]) || !ByteClass.isWord(base[cursor - 1]) {
                        bestEnd = cursor
                        bestGroup = Int(terminal[Int(node)])
                    }
                }
                if cursor >= count { break }
                if wordFold[Int(base[cursor])] != 0 {
                    // A word starts here (see above): one step over all of it.
                    let (wordEnd, hash, first) = FirstWordFilter.readWord(base, at: cursor, count: count, foldsCase: foldsCase)
                    let next = nextWordTable.node(from: node, word: base, start: cursor, end: wordEnd, hash: hash,
                                                  first: first, fold: wordFold)
                    if next < 0 { break }
                    node = next
                    cursor = wordEnd
                    continue
                }
                let symbol = symbolOf[Int(base[cursor])]
                if symbol == 0 { break }
                let next = child(of: node, symbol: symbol)
                if next < 0 { break }
                node = next
                cursor += 1
                if symbol == spaceSymbol {
                    // A space in the term matches a run of whitespace.
                    while cursor < count && ByteClass.isSpace(base[cursor]) { cursor += 1 }
                }
            }
            return (bestEnd, bestGroup)
        }

        @inline(__always) func isTerminal(_ node: Int32) -> Bool { nodes[Int(node)] & Self.terminalBit != 0 }

        /// The child of `node` on `symbol` (non-zero), or -1.
        @inline(__always) func child(of node: Int32, symbol: UInt8) -> Int32 {
            let word = nodes[Int(node)]
            let offset = Int(word & Self.offsetMask)
            if word & Self.denseBit != 0 { return dense[offset + Int(symbol)] }
            var index = offset
            let end = index + Int((word >> 28) & 3)
            while index < end {
                let label = edgeSymbol[index]
                if label == symbol { return edgeTarget[index] }
                if label > symbol { return -1 }
                index += 1
            }
            return -1
        }
    }
}

/// Finds every term of a large lexicon in one left-to-right pass over UTF-8 text.
///
/// Matching is whole-word (a match neither starts nor ends inside a word), **longest match first** (at a given
/// start the longest term wins, and matches never overlap), and case-insensitive for ASCII letters unless built
/// with `caseSensitive`. A space in a term matches any run of whitespace in the text, including line breaks, so
/// `trigger point injection` matches across a hard-wrapped line. Non-ASCII characters match exactly.
///
/// The terms live in a byte trie flattened into arrays (a 256-way table at the root, sorted edge lists below),
/// so a pass costs about one trie walk per word and allocates nothing but its results. Tens of thousands of
/// terms build in milliseconds.
public struct LexiconMatcher: Sendable {
    /// One match: UTF-8 offsets into the text and the values of every term with this spelling.
    public struct Match: Sendable, Hashable {
        public var range: Range<Int>
        /// Indices of the terms (in the order given to `init`) that share this normalized spelling.
        public var values: [Int]
    }

    public let caseSensitive: Bool
    public let termCount: Int

    private var rootTable: [Int32]          // 256 entries: child node of the root per byte, or -1
    private var edgeStart: [Int32]          // per node: first edge index
    private var edgeCount: [UInt16]         // per node: number of edges
    private var edgeByte: [UInt8]
    private var edgeTarget: [Int32]
    private var terminal: [Int32]           // per node: index into `valueGroups`, or -1
    private var valueGroups: [[Int]]

    /// Builds a matcher. Empty terms (after trimming) are ignored.
    public init(terms: [String], caseSensitive: Bool = false) {
        self.caseSensitive = caseSensitive
        self.termCount = terms.count
        // Build a pointer-free trie first: children as dictionaries.
        var children: [[UInt8: Int32]] = [[:]]
        var terminalGroup: [Int32] = [-1]
        var groups: [[Int]] = []
        for (index, term) in terms.enumerated() {
            let key = Self.normalizedKey(term, caseSensitive: caseSensitive)
            if key.isEmpty { continue }
            var node = 0
            for byte in key {
                if let next = children[node][byte] {
                    node = Int(next)
                } else {
                    children.append([:])
                    terminalGroup.append(-1)
                    let next = Int32(children.count - 1)
                    children[node][byte] = next
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
        // Flatten.
        var rootTable = [Int32](repeating: -1, count: 256)
        for (byte, child) in children[0] { rootTable[Int(byte)] = child }
        var edgeStart = [Int32](repeating: 0, count: children.count)
        var edgeCount = [UInt16](repeating: 0, count: children.count)
        var edgeByte: [UInt8] = []
        var edgeTarget: [Int32] = []
        for node in children.indices {
            let sorted = children[node].sorted { $0.key < $1.key }
            edgeStart[node] = Int32(edgeByte.count)
            edgeCount[node] = UInt16(sorted.count)
            for (byte, child) in sorted {
                edgeByte.append(byte)
                edgeTarget.append(child)
            }
        }
        self.rootTable = rootTable
        self.edgeStart = edgeStart
        self.edgeCount = edgeCount
        self.edgeByte = edgeByte
        self.edgeTarget = edgeTarget
        self.terminal = terminalGroup
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

    @inline(__always) private func child(of node: Int32, byte: UInt8) -> Int32 {
        if node == 0 { return rootTable[Int(byte)] }
        let start = Int(edgeStart[Int(node)])
        let end = start + Int(edgeCount[Int(node)])
        var index = start
        while index < end {
            let label = edgeByte[index]
            if label == byte { return edgeTarget[index] }
            if label > byte { return -1 }
            index += 1
        }
        return -1
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

    /// Calls `body(range, group)` for each match; `group` indexes `values(ofGroup:)`. Allocates nothing.
    public func forEachMatch(in text: UnsafeBufferPointer<UInt8>, _ body: (Range<Int>, Int) -> Void) {
        let count = text.count
        var position = 0
        while position < count {
            let first = text[position]
            // A match may start only where a word starts (or at a non-word character).
            if position > 0 && ByteClass.isWord(first) && ByteClass.isWord(text[position - 1]) {
                position += 1
                continue
            }
            var node = rootTable[Int(caseSensitive ? first : ByteClass.lower(first))]
            if node < 0 {
                position += 1
                continue
            }
            var cursor = position + 1
            var bestEnd = -1
            var bestGroup: Int32 = -1
            while true {
                let group = terminal[Int(node)]
                if group >= 0 {
                    // Whole word at the end: the next byte must not continue a word that the term's last byte is in.
                    if cursor == count || !ByteClass.isWord(text[cursor]) || !ByteClass.isWord(text[cursor - 1]) {
                        bestEnd = cursor
                        bestGroup = group
                    }
                }
                if cursor >= count { break }
                var byte = text[cursor]
                if ByteClass.isSpace(byte) {
                    let next = child(of: node, byte: 0x20)
                    if next < 0 { break }
                    // A space in the term matches a run of whitespace.
                    var end = cursor + 1
                    while end < count && ByteClass.isSpace(text[end]) { end += 1 }
                    node = next
                    cursor = end
                    continue
                }
                if !caseSensitive { byte = ByteClass.lower(byte) }
                let next = child(of: node, byte: byte)
                if next < 0 { break }
                node = next
                cursor += 1
            }
            if bestEnd > 0 {
                body(position..<bestEnd, Int(bestGroup))
                position = bestEnd
            } else {
                position += 1
            }
        }
    }
}

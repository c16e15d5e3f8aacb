import CByteScan
import ClinPipeText

/// Trigger patterns searched one by one with the matches of their alternation (see `TriggerMatcher.separable`),
/// each pattern whose start is known (`PatternStart`) run, anchored, only where a match can start.
///
/// One scan over the text lists those positions for all such patterns at once (a byte table of the patterns each
/// byte can start, then `StartCandidateFilter`, which holds `PatternStart.mayStart`); the pattern anchored with `\G` then runs at each listed position
/// in text order, which gives the matches of the plain left-to-right search: a match starts only at a listed
/// position, and a match found at a position is the one the plain search finds there. Positions are UTF-8 byte
/// offsets. Immutable; read by any number of threads.
struct SeparatePatterns: Sendable {
    /// One pattern rule: the pattern, its rule index, and its anchored form when its start is known.
    struct Entry: Sendable {
        let pattern: PCRE2Pattern
        let rule: Int
        let start: PatternStart?
        /// `\G(?:pattern)`, present exactly when `start` is.
        let anchored: PCRE2Pattern?
        /// What a listed position must pass before `anchored` runs there (it includes `start.mayStart`), present
        /// exactly when `start` is.
        let filter: StartCandidateFilter?

        /// Compiles `source` (caseless), and its anchored form when `PatternStart` reads its start.
        init(_ source: String, rule: Int) throws {
            self.pattern = try PCRE2Pattern(source, options: [.caseless])
            self.rule = rule
            if let start = PatternStart(pattern: source),
               let anchored = try? PCRE2Pattern("\\G(?:" + source + ")", options: [.caseless])
            {
                self.start = start
                self.anchored = anchored
                self.filter = StartCandidateFilter(pattern: source, start: start)
            } else {
                self.start = nil
                self.anchored = nil
                self.filter = nil
            }
        }
    }

    let entries: [Entry]

    /// Buffers reused from one `appendMatches` call to the next (their contents mean nothing between calls).
    struct Scratch {
        var candidates: [(position: Int, entry: Int)] = []
        var cursors: [Int] = []
        var next: [Range<Int>?] = []
    }
    /// Per byte: bit `i` set when entry `i` has a known start that this byte can begin (entries 0-63 only; later
    /// ones are searched the plain way).
    private let firstByteMasks: [UInt64]
    /// Per byte: 1 for PCRE2's `\w` without Unicode properties (`PatternStart.isASCIIWord`), else 0.
    private static let asciiWordTable: [UInt8] = (0..<256).map { PatternStart.isASCIIWord(UInt8($0)) ? 1 : 0 }
    /// Whether any entry runs anchored.
    private let anyStarts: Bool
    /// Whether every entry runs anchored (then a text without listed positions has no match).
    private let allAnchored: Bool
    /// Per entry: its rule as the `rules` of a match (one array, shared by every match of the entry).
    private let entryRules: [[Int]]
    /// The two-byte test that `startPositions` runs sixteen offsets at a time on ASCII text (`startPairs`), in
    /// the layout of `cbs_byte_pair_bits16`; nil when the anchored entries' starts need more than `maxPairs` pairs.
    private let pairRows: [UInt8]?
    private let pairCount: Int
    /// The most pairs the two-byte test takes.
    static let maxPairs = 6

    init(_ entries: [Entry]) {
        var masks = [UInt64](repeating: 0, count: 256)
        var anyStarts = false
        for (index, entry) in entries.enumerated() where index < 64 {
            guard let start = entry.start else { continue }
            anyStarts = true
            for byte in start.firstBytes { masks[Int(byte)] |= 1 << UInt64(index) }
        }
        self.entries = entries
        self.firstByteMasks = masks
        self.anyStarts = anyStarts
        self.allAnchored = entries.indices.allSatisfy { $0 < 64 && entries[$0].anchored != nil }
        self.entryRules = entries.map { [$0.rule] }
        let pairs = Self.startPairs(entries.prefix(64).compactMap(\.start))
        if pairs.count <= Self.maxPairs {
            pairRows = pairs.flatMap { pair in
                [pair.firstFold, pair.first, pair.secondFold, pair.second].flatMap { repeatElement($0, count: 16) }
            }
            pairCount = pairs.count
        } else {
            pairRows = nil
            pairCount = 0
        }
    }

    /// A byte pair of the two-byte test: it occurs at offset `i` when `bytes[i] | firstFold == first` and
    /// `bytes[i + 1] | secondFold == second` (a fold of `0x20` ignores ASCII letter case; `0xFF` with `second`
    /// `0xFF` accepts any byte).
    typealias Pair = (first: UInt8, firstFold: UInt8, second: UInt8, secondFold: UInt8)

    /// Pairs such that, in ASCII text, every position where one of `starts` may start (`PatternStart.mayStart`)
    /// has one of them: the first two letters of each prefix of the `\b` form, either case (the first letter and
    /// any byte for a one-letter prefix), and the punctuation byte with any byte. Without duplicates.
    static func startPairs(_ starts: [PatternStart]) -> [Pair] {
        var pairs: [Pair] = []
        for start in starts {
            for prefix in start.prefixes {
                let pair: Pair = start.atWordStart
                    ? (prefix[0], 0x20, prefix.count > 1 ? prefix[1] : 0xFF, prefix.count > 1 ? 0x20 : 0xFF)
                    : (prefix[0], 0, 0xFF, 0xFF)
                if !pairs.contains(where: { $0 == pair }) { pairs.append(pair) }
            }
        }
        return pairs
    }

    /// Whether entry `index` runs anchored at listed positions.
    private func isAnchored(_ index: Int) -> Bool { index < 64 && entries[index].anchored != nil }

    /// The matches of the alternation of the patterns (in order) over `text`, found pattern by pattern: each
    /// pattern's next match from the current position is kept until the position passes its start; the leftmost
    /// start wins, the earlier pattern on a tie (as in an alternation), and matching goes on after it. Empty
    /// matches move on by one character and are not reported, as with the combined pattern. Ranges are `text`'s
    /// offsets plus `offset`.
    /// `scratch` holds the buffers, reused from call to call.
    func appendMatches(in text: UnsafeBufferPointer<UInt8>, offset: Int, scratch: inout Scratch,
                       to result: inout [TriggerMatch]) throws
    {
        if anyStarts { startPositions(in: text, into: &scratch.candidates) } else { scratch.candidates.removeAll(keepingCapacity: true) }
        // Every entry anchored and no position listed: no entry matches (what the loop below would find, in short).
        if allAnchored && scratch.candidates.isEmpty { return }
        // Per entry: the index in `candidates` from which its next listed position is looked for.
        scratch.cursors.removeAll(keepingCapacity: true)
        scratch.cursors.append(contentsOf: repeatElement(0, count: entries.count))
        scratch.next.removeAll(keepingCapacity: true)
        // One allocation for the document's first run, instead of growing step by step.
        scratch.next.reserveCapacity(entries.count)
        for index in entries.indices {
            scratch.next.append(try firstMatch(index, from: 0, in: text, candidates: scratch.candidates,
                                               cursor: &scratch.cursors[index]))
        }
        try appendMatches(in: text, offset: offset, candidates: scratch.candidates, cursors: &scratch.cursors,
                          next: &scratch.next, to: &result)
    }

    /// The loop of `appendMatches(in:offset:scratch:to:)` over its buffers: `next` holds each entry's next match.
    private func appendMatches(in text: UnsafeBufferPointer<UInt8>, offset: Int, candidates: [(position: Int, entry: Int)],
                               cursors: inout [Int], next: inout [Range<Int>?], to result: inout [TriggerMatch]) throws
    {
        while true {
            var best = -1
            for index in next.indices {
                guard let found = next[index] else { continue }
                if best < 0 || found.lowerBound < next[best]!.lowerBound { best = index }
            }
            guard best >= 0, let found = next[best] else { return }
            var position = found.upperBound
            if found.isEmpty {
                position += 1
                while position < text.count && text[position] & 0xC0 == 0x80 { position += 1 }
            } else {
                result.append(TriggerMatch(range: (found.lowerBound + offset)..<(found.upperBound + offset),
                                           rules: entryRules[best]))
            }
            if position > text.count { return }
            for index in next.indices {
                guard let pending = next[index], pending.lowerBound < position else { continue }
                next[index] = try firstMatch(index, from: position, in: text, candidates: candidates, cursor: &cursors[index])
            }
        }
    }

    /// The first match of entry `index` in `text` at or after `start`. For an anchored entry, `cursor` is the index
    /// in `candidates` where its search goes on (`start` never decreases between calls for one entry, so positions
    /// passed stay passed).
    private func firstMatch(_ index: Int, from start: Int, in text: UnsafeBufferPointer<UInt8>,
                            candidates: [(position: Int, entry: Int)], cursor: inout Int) throws -> Range<Int>?
    {
        guard isAnchored(index), let anchored = entries[index].anchored else {
            return try entries[index].pattern.firstMatchRange(in: text, from: start)
        }
        while cursor < candidates.count {
            let candidate = candidates[cursor]
            cursor += 1
            guard candidate.entry == index, candidate.position >= start else { continue }
            if let found = try anchored.firstMatchRange(in: text, from: candidate.position) { return found }
        }
        return nil
    }

    /// Every position of `text` where an anchored entry may start a match (`StartCandidateFilter.admits`), with the
    /// entry, ascending by position, then entry. Listed into `result`, replacing its contents (its capacity is kept).
    ///
    /// Sixteen positions at a time where the text is ASCII: the two-byte test (`cbs_byte_pair_bits16`) leaves only
    /// the positions where some start's first two bytes are, and those are asked `admits`; every other position
    /// is one where no start may start (in ASCII text, a start has one of the pairs). Blocks with a byte of 0x80 or
    /// above (in their sixteen bytes or the one after) and the last bytes ask every position whose byte can begin
    /// a start. Without the pairs, `startPositionsByByte`.
    func startPositions(in text: UnsafeBufferPointer<UInt8>, into result: inout [(position: Int, entry: Int)]) {
        guard let pairRows else { return startPositionsByByte(in: text, into: &result) }
        result.removeAll(keepingCapacity: true)
        guard let base = text.baseAddress else { return }
        let count = text.count
        let pairCount = self.pairCount
        entries.withUnsafeBufferPointer { entries in
            firstByteMasks.withUnsafeBufferPointer { masks in
                pairRows.withUnsafeBufferPointer { rows in
                    let rows = rows.baseAddress!
                    @inline(__always) func check(_ position: Int) {
                        var mask = masks[Int(base[position])]
                        while mask != 0 {
                            let index = mask.trailingZeroBitCount
                            mask &= mask &- 1
                            if entries[index].filter!.admits(text, at: position) { result.append((position, index)) }
                        }
                    }
                    var offset = 0
                    while offset + 17 <= count {
                        let raw = UnsafeRawPointer(base + offset)
                        let high = (raw.loadUnaligned(as: UInt64.self) | raw.loadUnaligned(fromByteOffset: 8, as: UInt64.self))
                            & 0x8080_8080_8080_8080
                        if high != 0 || base[offset + 16] >= 0x80 {
                            for position in offset..<(offset + 16) where masks[Int(base[position])] != 0 { check(position) }
                        } else {
                            var bits = UInt32(cbs_byte_pair_bits16(base + offset, rows, pairCount))
                            while bits != 0 {
                                check(offset + bits.trailingZeroBitCount)
                                bits &= bits &- 1
                            }
                        }
                        offset += 16
                    }
                    for position in offset..<count where masks[Int(base[position])] != 0 { check(position) }
                }
            }
        }
    }

    /// `startPositions` byte by byte: each position whose byte can begin a start is asked `admits`. The rest of
    /// an ASCII word is skipped: no `\b` form starts inside one (its byte before is a word character), and the
    /// punctuation forms start with non-word bytes.
    func startPositionsByByte(in text: UnsafeBufferPointer<UInt8>, into result: inout [(position: Int, entry: Int)]) {
        result.removeAll(keepingCapacity: true)
        guard let base = text.baseAddress else { return }
        let count = text.count
        firstByteMasks.withUnsafeBufferPointer { masks in
            Self.asciiWordTable.withUnsafeBufferPointer { isWord in
                var position = 0
                while position < count {
                    let byte = base[position]
                    var mask = masks[Int(byte)]
                    while mask != 0 {
                        let index = mask.trailingZeroBitCount
                        mask &= mask - 1
                        if entries[index].filter!.admits(text, at: position) { result.append((position, index)) }
                    }
                    position += 1
                    if isWord[Int(byte)] != 0 {
                        while position < count && isWord[Int(base[position])] != 0 { position += 1 }
                    }
                }
            }
        }
    }
}

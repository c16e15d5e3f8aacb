import ClinPipeText

/// Trigger patterns searched one by one with the matches of their alternation (see `TriggerMatcher.separable`),
/// each pattern whose start is known (`PatternStart`) run, anchored, only where a match can start.
///
/// One scan over the text lists those positions for all such patterns at once (a byte table of the patterns each
/// byte can start, then `PatternStart.mayStart`); the pattern anchored with `\G` then runs at each listed position
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

        /// Compiles `source` (caseless), and its anchored form when `PatternStart` reads its start.
        init(_ source: String, rule: Int) throws {
            self.pattern = try PCRE2Pattern(source, options: [.caseless])
            self.rule = rule
            if let start = PatternStart(pattern: source),
               let anchored = try? PCRE2Pattern("\\G(?:" + source + ")", options: [.caseless])
            {
                self.start = start
                self.anchored = anchored
            } else {
                self.start = nil
                self.anchored = nil
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
                                           rules: [entries[best].rule]))
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

    /// Every position of `text` where an anchored entry may start a match (`PatternStart.mayStart`), with the
    /// entry, ascending by position, then entry. The rest of an ASCII word is skipped: no `\b` form starts inside
    /// one (its byte before is a word character), and the punctuation forms start with non-word bytes.
    /// Listed into `result`, replacing its contents (its capacity is kept).
    func startPositions(in text: UnsafeBufferPointer<UInt8>, into result: inout [(position: Int, entry: Int)]) {
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
                        if entries[index].start!.mayStart(base, count: count, at: position) { result.append((position, index)) }
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

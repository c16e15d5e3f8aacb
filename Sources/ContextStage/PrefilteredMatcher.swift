import ClinPipeText

/// A `LexiconMatcher` that walks its trie only where a term can start: the same matches as
/// `LexiconMatcher.forEachMatch` over the whole text, in a fraction of the time when few places can start a term.
///
/// Text and terms are read as *tokens*: a maximal run of word bytes (`ByteClass.isWord`, ASCII-lowercased) or one
/// non-word byte that is not whitespace; whitespace only separates tokens. A match of `LexiconMatcher` (whole words,
/// a space matching a run of whitespace) always covers tokens of the text equal to the term's tokens, starting at
/// the term's first. So one cheap pass over the text hashes each token and looks up the terms' one-token keys and
/// the first two tokens of their longer keys; each hit is a *candidate* start (hash collisions only add
/// candidates). A candidate's window reaches as far as the longest term with those tokens could (each key byte
/// consumes one text byte or one run of whitespace), plus one byte, then on to the next word boundary.
/// Overlapping windows merge into regions, and the matcher runs over each region alone.
///
/// Why the matches are the same as over the whole text: every match starts at a candidate. Between regions the
/// whole-text walk finds nothing, so it enters each region at its first byte, as the region's walk does. Inside a
/// region the two walks read the same bytes; a region ends at a word boundary, where a term may end in both walks
/// alike (and a key never ends with a space), and no match from a candidate reaches the region's end.

struct PrefilteredMatcher: Sendable {
    let matcher: LexiconMatcher
    /// Per hash slot of a token: the longest one-token key (bytes) of that slot, or 0.
    private let singleSlots: [UInt16]
    /// Per hash slot of a pair of tokens: the longest key (bytes) starting with two tokens of that slot, or 0.
    private let pairSlots: [UInt16]

    private static let singleBits = 12
    private static let pairBits = 14

    /// Builds the matcher for `terms` (case-insensitive for ASCII, as `LexiconMatcher(terms:)`).
    init(terms: [String]) {
        self.matcher = LexiconMatcher(terms: terms)
        var singleSlots = [UInt16](repeating: 0, count: 1 << Self.singleBits)
        var pairSlots = [UInt16](repeating: 0, count: 1 << Self.pairBits)
        for term in terms {
            let key = LexiconMatcher.normalizedKey(term, caseSensitive: false)
            guard !key.isEmpty else { continue }
            // A window longer than a slot holds is never needed: clamping would make it too short, so such keys
            // make their slot "search everything" by the largest value, and the window scan stops at the text's end.
            let length = UInt16(clamping: key.count)
            let tokens = key.withUnsafeBufferPointer { Self.tokenHashes(in: $0, limit: 2) }
            if tokens.count == 1 {
                let slot = Self.singleSlot(tokens[0])
                singleSlots[slot] = max(singleSlots[slot], length)
            } else {
                let slot = Self.pairSlot(tokens[0], tokens[1])
                pairSlots[slot] = max(pairSlots[slot], length)
            }
        }
        self.singleSlots = singleSlots
        self.pairSlots = pairSlots
    }

    /// The term indices of a value group (see `LexiconMatcher.values(ofGroup:)`).
    func values(ofGroup group: Int) -> [Int] { matcher.values(ofGroup: group) }

    private static let seed: UInt32 = 2_166_136_261
    private static let prime: UInt32 = 16_777_619

    @inline(__always) private static func singleSlot(_ hash: UInt32) -> Int {
        Int((hash ^ (hash >> 13)) & UInt32((1 << singleBits) - 1))
    }

    @inline(__always) private static func pairSlot(_ first: UInt32, _ second: UInt32) -> Int {
        let hash = (first &* 0x9E37_79B1) ^ second
        return Int((hash ^ (hash >> 15)) & UInt32((1 << pairBits) - 1))
    }

    /// The hashes of the first `limit` tokens of `bytes` (a key, or text).
    static func tokenHashes(in bytes: UnsafeBufferPointer<UInt8>, limit: Int) -> [UInt32] {
        var hashes: [UInt32] = []
        var position = 0
        while position < bytes.count && hashes.count < limit {
            let (hash, _, next) = token(in: bytes, at: position)
            position = next
            if let hash { hashes.append(hash) }
        }
        return hashes
    }

    /// The token at `position`: its hash (nil for whitespace, which is no token), its start, and where the next
    /// token may start.
    @inline(__always)
    private static func token(in bytes: UnsafeBufferPointer<UInt8>, at position: Int) -> (UInt32?, Int, Int) {
        var cursor = position
        let first = bytes[cursor]
        var folded = Bytes.fold(first)
        if folded != 0 {
            var hash = seed
            repeat {
                hash = (hash ^ UInt32(folded)) &* prime
                cursor += 1
                if cursor == bytes.count { break }
                folded = Bytes.fold(bytes[cursor])
            } while folded != 0
            return (hash, position, cursor)
        }
        if Bytes.isSpace(first) { return (nil, position, cursor + 1) }
        return (nonWordHash(first), position, cursor + 1)
    }

    /// The hash of a non-word token, different from a one-byte word's (a collision would only add candidates).
    @inline(__always) private static func nonWordHash(_ byte: UInt8) -> UInt32 { ((seed ^ 0x100) ^ UInt32(byte)) &* prime }

    /// Calls `body(range, group)` for each match in `text` (UTF-8 bytes), left to right, exactly as
    /// `LexiconMatcher.forEachMatch(in:_:)` over the whole of `text` would; `group` indexes `values(ofGroup:)`.
    func forEachMatch(in text: UnsafeBufferPointer<UInt8>, _ body: (Range<Int>, Int) -> Void) {
        guard let bytes = text.baseAddress, text.count > 0 else { return }
        let count = text.count
        var regionStart = 0, regionEnd = 0
        @inline(__always) func candidate(_ start: Int, _ keyLength: UInt16) {
            if start >= regionEnd {
                if regionEnd > regionStart { run(text, regionStart..<regionEnd, body) }
                regionStart = start
            }
            regionEnd = max(regionEnd, Self.windowEnd(text, from: start, keyLength: Int(keyLength)))
        }
        Bytes.foldTable.withUnsafeBufferPointer { fold in
            singleSlots.withUnsafeBufferPointer { singleSlots in
                pairSlots.withUnsafeBufferPointer { pairSlots in
                    let fold = fold.baseAddress!, singleSlots = singleSlots.baseAddress!, pairSlots = pairSlots.baseAddress!
                    var position = 0
                    var previousHash: UInt32 = 0, previousStart = -1
                    while position < count {
                        let start = position
                        let first = bytes[position]
                        var folded = fold[Int(first)]
                        var hash = Self.seed
                        if folded != 0 {
                            repeat {
                                hash = (hash ^ UInt32(folded)) &* Self.prime
                                position &+= 1
                                if position == count { break }
                                folded = fold[Int(bytes[position])]
                            } while folded != 0
                        } else {
                            position &+= 1
                            if Bytes.isSpace(first) { continue }
                            hash = Self.nonWordHash(first)
                        }
                        if previousStart >= 0 {
                            let longest = pairSlots[Self.pairSlot(previousHash, hash)]
                            if longest > 0 { candidate(previousStart, longest) }
                        }
                        let longest = singleSlots[Self.singleSlot(hash)]
                        if longest > 0 { candidate(start, longest) }
                        previousHash = hash
                        previousStart = start
                    }
                }
            }
        }
        if regionEnd > regionStart { run(text, regionStart..<regionEnd, body) }
    }

    private func run(_ text: UnsafeBufferPointer<UInt8>, _ region: Range<Int>, _ body: (Range<Int>, Int) -> Void) {
        let offset = region.lowerBound
        matcher.forEachMatch(in: UnsafeBufferPointer(rebasing: text[region])) { range, group in
            body((range.lowerBound + offset)..<(range.upperBound + offset), group)
        }
    }

    /// The end of a candidate's window: past `keyLength` units from `start` (a unit is one non-space byte or one
    /// run of whitespace, as a key byte consumes), one byte more, then on to a word boundary; at most `text.count`.
    /// A `keyLength` of `UInt16.max` (a clamped longer key) reaches the end of the text.
    @inline(__always)
    static func windowEnd(_ text: UnsafeBufferPointer<UInt8>, from start: Int, keyLength: Int) -> Int {
        let count = text.count
        if keyLength >= Int(UInt16.max) { return count }
        var cursor = start, units = 0
        while units < keyLength && cursor < count {
            if Bytes.isSpace(text[cursor]) {
                cursor += 1
                while cursor < count && Bytes.isSpace(text[cursor]) { cursor += 1 }
            } else {
                cursor += 1
            }
            units += 1
        }
        var end = min(count, cursor + 1)
        while end < count && Bytes.isWord(text[end]) && Bytes.isWord(text[end - 1]) { end += 1 }
        return end
    }
}

/// `ByteClass`'s tests, repeated here so that they inline into the scanning loops (`ByteClass` is not
/// `@inlinable`, so each use from another module is a call). They must agree with `ByteClass` byte for byte.
enum Bytes {
    /// ASCII letters and digits, and every byte of a non-ASCII character (as `ByteClass.isWord`).
    @inline(__always) static func isWord(_ byte: UInt8) -> Bool {
        byte >= 0x80 || (byte >= 0x30 && byte <= 0x39) || ((byte | 0x20) >= 0x61 && (byte | 0x20) <= 0x7A)
    }

    /// Space, tab, line feed, carriage return, vertical tab, form feed (as `ByteClass.isSpace`).
    @inline(__always) static func isSpace(_ byte: UInt8) -> Bool {
        byte == 0x20 || (byte >= 0x09 && byte <= 0x0D)
    }

    /// A word byte ASCII-lowercased, or 0 for a byte that is not a word byte.
    @inline(__always) static func fold(_ byte: UInt8) -> UInt8 { foldTable[Int(byte)] }

    /// `fold` of every byte.
    static let foldTable: [UInt8] = (0...255).map { byte in isWord(UInt8(byte)) ? lower(UInt8(byte)) : 0 }

    /// ASCII lowercase of a byte; other bytes unchanged (as `ByteClass.lower`).
    @inline(__always) static func lower(_ byte: UInt8) -> UInt8 {
        (byte >= 0x41 && byte <= 0x5A) ? byte | 0x20 : byte
    }
}

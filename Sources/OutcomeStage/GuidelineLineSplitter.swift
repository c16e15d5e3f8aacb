import ClinPipeText

/// The shipped `split` pattern of `Rules/citations.tsv`, matched by one byte loop over ASCII text.
///
/// The pattern starts each alternative with a distinct byte (`d`, `;`, `n`, `.`/`,`), so a single pass that tests
/// the one alternative a byte can start finds the matches PCRE2 finds, in order, each search resuming at the end of
/// the last match. Only ASCII text qualifies: PCRE2's caseless UTF mode also takes `ſ` for `s` (and `\s`, `\b` are
/// ASCII there), which the loop does not. `GuidelineCitations` uses the loop only while its `split` row is
/// `pattern`, unchanged.
enum GuidelineLineSplitter {
    /// The pattern the loop stands for (the shipped `split` row).
    static let pattern = #"(?:Decision\s+based\s+on|;|\bNon-MTUS\s+Citation\b|[.,]\K\s+(?=(?:MTUS|ODG|ACOEM|Official\s+Disability|Non-MTUS)\b))"#

    /// Calls `body` with the range (UTF-8 offsets) of each match of `pattern` in `bytes`, which must be ASCII, in
    /// order; what PCRE2's `forEachMatch` reports as `match.range`.
    @inline(__always)
    static func forEachMatch(in bytes: UnsafeBufferPointer<UInt8>, _ body: (Range<Int>) -> Void) {
        starts.forEachCandidate(in: bytes, from: 0) { offset in
            guard let match = match(in: bytes, at: offset) else { return offset + 1 }
            body(match)
            return match.upperBound
        }
    }

    /// The offsets where an alternative can match, by their first two bytes (a superset, tested sixteen at a time):
    /// `de` (Decision), `no` (Non-MTUS), `;`, and `.` or `,` before `\s` (a space, or 08...0F, which holds the other
    /// `\s` bytes 09...0D).
    static let starts = BytePairSet([
        (UInt8(ascii: "d"), 0x20, UInt8(ascii: "e"), 0x20), (UInt8(ascii: "n"), 0x20, UInt8(ascii: "o"), 0x20),
        (UInt8(ascii: ";"), 0, 0xFF, 0xFF), (UInt8(ascii: "."), 0x02, 0x20, 0), (UInt8(ascii: "."), 0x02, 0x0F, 0x07),
    ])

    /// The match that the alternative starting with `bytes[start]` gives at `start`, or nil.
    private static func match(in bytes: UnsafeBufferPointer<UInt8>, at start: Int) -> Range<Int>? {
        switch ByteClass.lower(bytes[start]) {
        case UInt8(ascii: ";"):
            return start..<(start + 1)
        case UInt8(ascii: "d"):
            // Decision\s+based\s+on
            guard start + 1 < bytes.count, bytes[start + 1] | 0x20 == UInt8(ascii: "e"),
                  let decision = end(of: "decision", in: bytes, at: start), let space = endOfSpace(in: bytes, at: decision),
                  let based = end(of: "based", in: bytes, at: space), let space2 = endOfSpace(in: bytes, at: based),
                  let on = end(of: "on", in: bytes, at: space2)
            else { return nil }
            return start..<on
        case UInt8(ascii: "n"):
            // \bNon-MTUS\s+Citation\b
            guard start == 0 || !isWordCharacter(bytes[start - 1]),
                  start + 1 < bytes.count, bytes[start + 1] | 0x20 == UInt8(ascii: "o"),
                  let nonMTUS = end(of: "non-mtus", in: bytes, at: start), let space = endOfSpace(in: bytes, at: nonMTUS),
                  let citation = end(of: "citation", in: bytes, at: space), isWordEnd(bytes, citation)
            else { return nil }
            return start..<citation
        case UInt8(ascii: "."), UInt8(ascii: ","):
            // [.,]\K\s+(?=(?:MTUS|ODG|ACOEM|Official\s+Disability|Non-MTUS)\b): the greedy `\s+` gives back nothing
            // the lookahead could use (it starts with a letter), and the lookahead's words start with distinct
            // letters (`odg` and `official` cannot both be there), so the first found is the only candidate.
            guard let wordStart = endOfSpace(in: bytes, at: start + 1) else { return nil }
            let source = end(of: "mtus", in: bytes, at: wordStart) ?? end(of: "odg", in: bytes, at: wordStart)
                ?? end(of: "acoem", in: bytes, at: wordStart) ?? end(of: "non-mtus", in: bytes, at: wordStart)
                ?? end(of: "official", in: bytes, at: wordStart).flatMap { official in
                    endOfSpace(in: bytes, at: official).flatMap { end(of: "disability", in: bytes, at: $0) }
                }
            guard let source, isWordEnd(bytes, source) else { return nil }
            return (start + 1)..<wordStart
        default:
            return nil
        }
    }

    /// The end of `word` (lowercase ASCII; ASCII case ignored in `bytes`) when it occurs at `offset`, else nil.
    @inline(__always)
    private static func end(of word: StaticString, in bytes: UnsafeBufferPointer<UInt8>, at offset: Int) -> Int? {
        let count = word.utf8CodeUnitCount, letters = word.utf8Start
        guard offset + count <= bytes.count else { return nil }
        // Every byte compared, the differences or-ed together: one branch for the word rather than one per byte.
        var difference: UInt8 = 0
        for index in 0..<count { difference |= ByteClass.lower(bytes[offset + index]) ^ letters[index] }
        return difference == 0 ? offset + count : nil
    }

    /// The end of the run of `\s` at `offset`, or nil when the run is empty.
    private static func endOfSpace(in bytes: UnsafeBufferPointer<UInt8>, at offset: Int) -> Int? {
        var end = offset
        while end < bytes.count, ByteClass.isSpace(bytes[end]) { end += 1 }
        return end > offset ? end : nil
    }

    /// Whether `\b` holds at `offset` after a word character.
    private static func isWordEnd(_ bytes: UnsafeBufferPointer<UInt8>, _ offset: Int) -> Bool {
        offset == bytes.count || !isWordCharacter(bytes[offset])
    }

    /// PCRE2's `\w` for ASCII: letters, digits and `_`.
    private static func isWordCharacter(_ byte: UInt8) -> Bool {
        byte == UInt8(ascii: "_") || ByteClass.isDigit(byte) || ((byte | 0x20) >= 0x61 && (byte | 0x20) <= 0x7A)
    }
}

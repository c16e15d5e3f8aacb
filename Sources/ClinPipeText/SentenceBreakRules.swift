import CByteScan

/// The Unicode sentence-boundary rules (UAX #29 SB1–SB11, SB998) evaluated directly on UTF-8 bytes: the same
/// boundaries as ICU's sentence break iterator (root locale), without ICU's state machine and text iterator.
///
/// The rules, for a position between two characters (SATerm = STerm | ATerm, ParaSep = Sep | CR | LF):
///
///     SB3   CR × LF
///     SB4   ParaSep ÷
///     SB6   ATerm × Numeric
///     SB7   (Upper | Lower) ATerm × Upper
///     SB8   ATerm Close* Sp* × ( ¬(OLetter | Upper | Lower | ParaSep | SATerm) )* Lower
///     SB8a  SATerm Close* Sp* × (SContinue | SATerm)
///     SB9   SATerm Close* × (Close | Sp | ParaSep)
///     SB10  SATerm Close* Sp* × (Sp | ParaSep)
///     SB11  SATerm Close* Sp* ParaSep? ÷
///     SB998 Any × Any
///
/// So a sentence ends only after a paragraph separator (a CR LF pair counts as one) or after a terminator
/// sequence `SATerm Close* Sp*` that SB6–SB8a do not continue; everything else is SB998. The scan therefore looks
/// at terminators and separators only, and is linear in the text: the SB8 look-ahead stops at the first letter,
/// separator or terminator, and the scan resumes where the look-ahead stopped.
///
/// SB5 (Extend and Format characters are transparent) is not implemented: a text holding a character of either
/// class (a combining mark, a zero-width joiner, a soft hyphen, a byte order mark …) is left to ICU, and so is
/// invalid UTF-8 (which ICU reads as U+FFFD).
enum SentenceBreakRules {
    /// Sentence boundaries of `bytes`: UTF-8 byte offsets, strictly ascending, starting with 0 and ending with
    /// `bytes.count` (just `[0]` for empty text, as ICU gives). Every offset is at a character boundary.
    /// Nil when the text holds an Extend or Format character or invalid UTF-8: the caller asks ICU instead.
    static func boundaries(in bytes: UnsafeBufferPointer<UInt8>) -> [Int]? {
        boundaries(in: bytes, droppingAfterFullStop: { _ in false })
    }

    /// `boundaries(in:)` without the boundaries after a full stop (ATerm: a boundary that ends `ATerm Close* Sp*`)
    /// that `drops` (given the boundary's offset) says to drop. `drops` is asked about those boundaries only, never
    /// about the text's end (always a boundary).
    @inline(__always)
    static func boundaries(in bytes: UnsafeBufferPointer<UInt8>, droppingAfterFullStop drops: (Int) -> Bool) -> [Int]? {
        var result: [Int] = []
        result.reserveCapacity(bytes.count / 32 + 2)  // clinical text: a boundary every 40-50 bytes, mostly line breaks
        result.append(0)
        guard let base = bytes.baseAddress, !bytes.isEmpty else { return result }
        let text = Text(base: base, count: bytes.count)
        let count = bytes.count
        var position = 0
        while true {
            // Most characters are neither separators nor terminators: skip them (SB998).
            position = text.nextCandidate(from: position)
            if position == count { break }
            guard let (kind, length) = text.character(at: position) else { return nil }
            switch kind {
            case .cr:
                // SB3, SB4: after CR, or after CR LF.
                position += (position + 1 < count && base[position + 1] == 0x0A) ? 2 : 1
                result.append(position)
            case .lf, .sep:
                position += length  // SB4
                result.append(position)
            case .aTerm, .sTerm:
                guard let step = text.afterTerminator(at: position, kind: kind, length: length) else { return nil }
                if let boundary = step.boundary, kind == .sTerm || !drops(boundary) { result.append(boundary) }
                position = step.resume
            default:
                position += length
            }
        }
        if result.last != count { result.append(count) }  // SB2
        return result
    }

    /// The text being scanned: `count` bytes of UTF-8 at `base`, read without bounds checks (every read is guarded by
    /// an offset test against `count`).
    private struct Text {
        let base: UnsafePointer<UInt8>
        let count: Int

        /// The offset of the first byte at or after `offset` that is '.', '!', '?', CR, LF or not ASCII, or `count`:
        /// every other byte is an ASCII character that neither ends a sentence nor is a separator. Sixteen bytes at a
        /// time (`cbs_next_sentence_candidate`).
        @inline(__always) func nextCandidate(from offset: Int) -> Int {
            offset + cbs_next_sentence_candidate(base + offset, count - offset)
        }

        /// The class and UTF-8 length of the character starting at `offset` (< `count`), or nil for an Extend or
        /// Format character or an invalid UTF-8 sequence (the caller then gives up).
        @inline(__always) func character(at offset: Int) -> (SentenceBreakClass, Int)? {
            let lead = base[offset]
            if lead < 0x80 { return (SentenceBreakClass.of(ascii: lead), 1) }
            guard let (scalar, length) = decode(at: offset) else { return nil }
            let kind = SentenceBreakClass.of(codePoint: scalar)
            return kind == .extend || kind == .format ? nil : (kind, length)
        }

        /// The scalar value and length of the non-ASCII UTF-8 sequence at `offset`, or nil when it is not well formed
        /// (a stray continuation byte, a truncated sequence, an overlong form, a surrogate, or beyond U+10FFFF).
        private func decode(at offset: Int) -> (UInt32, Int)? {
            let lead = UInt32(base[offset])
            let length: Int, minimum: UInt32
            var scalar: UInt32
            switch lead {
            case 0xC2...0xDF: (length, minimum, scalar) = (2, 0x80, lead & 0x1F)
            case 0xE0...0xEF: (length, minimum, scalar) = (3, 0x800, lead & 0x0F)
            case 0xF0...0xF4: (length, minimum, scalar) = (4, 0x1_0000, lead & 0x07)
            default: return nil
            }
            guard offset + length <= count else { return nil }
            for index in 1..<length {
                let byte = UInt32(base[offset + index])
                guard byte & 0xC0 == 0x80 else { return nil }
                scalar = scalar << 6 | byte & 0x3F
            }
            guard scalar >= minimum, scalar <= 0x10_FFFF, !(0xD800...0xDFFF).contains(scalar) else { return nil }
            return (scalar, length)
        }

        /// The class of the character that ends just before `offset` (> 0). Only called on text already read
        /// forwards and found valid, so the sequence is well formed.
        private func characterClass(before offset: Int) -> SentenceBreakClass? {
            var start = offset - 1
            while start > 0 && base[start] & 0xC0 == 0x80 { start -= 1 }
            return character(at: start)?.0
        }

        /// Applies SB6–SB11 to the terminator (`kind`, `length` bytes) at `offset`. `boundary` is the end of
        /// `SATerm Close* Sp*` when a sentence ends there, else nil; `resume` is where the scan goes on: at that end,
        /// or further when the SB8 look-ahead read on (over characters that are neither separators nor
        /// terminators). Nil when a character read holds up the fast path (see `character(at:)`).
        func afterTerminator(at offset: Int, kind: SentenceBreakClass, length: Int) -> (boundary: Int?, resume: Int)? {
            // SB9, SB10: Close* then Sp* stay with the terminator.
            var end = offset + length
            var next = SentenceBreakClass.other, nextLength = 0
            var sawSpace = false
            while end < count {
                guard let character = self.character(at: end) else { return nil }
                (next, nextLength) = character
                guard next == .sp || (next == .close && !sawSpace) else { break }
                sawSpace = sawSpace || next == .sp
                end += nextLength
            }
            // SB2 at the end of the text; SB9–SB11 before a separator (SB4 then ends the sentence after it).
            if end == count || next.isParaSep { return (nil, end) }
            // SB8a: a comma, colon, dash or another terminator continues the sentence.
            if next == .sContinue || next.isTerminator { return (nil, end) }
            guard kind == .aTerm else { return (end, end) }  // SB11 after '!' or '?'
            if end == offset + length {
                if next == .numeric { return (nil, end) }  // SB6: "3.5"
                // SB7: "U.S": a letter, the period, then a capital.
                if next == .upper && offset > 0, let before = characterClass(before: offset), before == .upper || before == .lower {
                    return (nil, end)
                }
            }
            // SB8: a lowercase letter before any other letter, separator or terminator continues the sentence.
            var ahead = end
            while !next.stopsLowercaseLookahead {
                ahead += nextLength
                guard ahead < count else { return (end, ahead) }
                guard let character = self.character(at: ahead) else { return nil }
                (next, nextLength) = character
            }
            return (next == .lower ? nil : end, ahead)
        }
    }
}

import ClinPipeText

/// The `decision` row of the shipped `imr-items.tsv` (an item line `Acupuncture 6 sessions: Upheld`), matched by byte
/// code instead of PCRE2: the same matches, with the same `item` and `outcome` groups, as
/// `PCRE2Pattern.forEachMatch(in:from:)`, found from the colons of the text (`BytePositions`).
///
/// Used only while the row's pattern and options are exactly the shipped ones, and only when the byte code agrees
/// with PCRE2 on probe texts at construction (line breaks other than LF, whitespace other than space and tab);
/// `BuiltInItemDecisionTests` compares the two on generated texts.
///
/// How the pattern is read: a match is a whole line (`(?m)^` to `$`, LF convention) with a colon followed by blanks,
/// `upheld` or `overturned` in any case, and blanks. Only one colon of a line can be followed so (the words and
/// blanks hold no colon). The lazy `item` starts at the line's first byte that is not a blank and ends, at the
/// earliest, where only blanks stand before that colon; its last character must not be whitespace (`\S`: not space,
/// tab, LF, VT, FF or CR; every non-ASCII character is `\S` without PCRE2_UCP), or there is no match on the line.
struct BuiltInItemDecision: Sendable {
    static let source = #"(?m)^[ \t]*(?<item>[^\n]*?\S)[ \t]*:[ \t]*(?<outcome>Upheld|Overturned)[ \t]*$"#
    static let options: PCRE2Pattern.Options = [.caseless]

    /// Probe texts: line breaks other than LF and whitespace other than blanks before and after the colon.
    static let probeTexts = ["A\r: Upheld\nB\u{0B}: Upheld\nC\u{0C}: Overturned\nD: Upheld\r\nE: Upheld\u{85}\nF\u{A0}: Upheld\n",
                             "\u{85}G: Upheld\u{2028}H: upheld\n\u{2029}I :\tOVERTURNED \t\n\rJ: Upheld\n\u{0C}K: Upheld",
                             "  : Upheld\n x : y: Upheld\nL:: Upheld\nM: Upheld.\nN: Upheldx\n\tO\t:\tOverturned"]

    /// Nil unless `pattern` is the shipped decision row and the byte code agrees with it on `probeTexts`.
    init?(pattern: PCRE2Pattern) {
        guard pattern.pattern == Self.source, pattern.options == Self.options,
              let item = pattern.groupNumbers["item"], let outcome = pattern.groupNumbers["outcome"]
        else { return nil }
        for text in Self.probeTexts {
            var utf8 = Array(text.utf8)
            let same = utf8.withUnsafeMutableBufferPointer { mutable -> Bool in
                let bytes = UnsafeBufferPointer(mutable)
                var expected: [Range<Int>?] = []
                do {
                    try pattern.forEachMatch(in: bytes) { match in
                        expected += [match.range, match.range(item), match.range(outcome)]
                        return true
                    }
                } catch {
                    return false
                }
                var found: [Range<Int>?] = []
                var positions = BytePositions(in: bytes)
                forEachMatch(in: bytes, from: 0, positions: &positions) { match, item, outcome in
                    found += [match, item, outcome]
                    return true
                }
                return found == expected
            }
            guard same else { return nil }
        }
    }

    /// The matches at or after `start` in `bytes` (a whole text), in text order: the whole line, `item` and
    /// `outcome`; `body` returns false to stop. `positions` must have been made for `bytes`.
    func forEachMatch(in bytes: UnsafeBufferPointer<UInt8>, from start: Int, positions: inout BytePositions,
                      _ body: (_ match: Range<Int>, _ item: Range<Int>, _ outcome: Range<Int>) -> Bool)
    {
        guard let text = bytes.baseAddress, !bytes.isEmpty else { return }
        precondition(positions.text.baseAddress == text && positions.text.count == bytes.count, "BytePositions made for another text")
        let count = bytes.count
        @inline(__always) func isBlank(_ byte: UInt8) -> Bool { byte == 0x20 || byte == 0x09 }
        @inline(__always) func skipBlanks(_ i: Int) -> Int {
            var i = i
            while i < count && isBlank(text[i]) { i &+= 1 }
            return i
        }
        var from = start
        for colon in positions.positions(of: 0x3A) where colon >= from {
            let word = skipBlanks(colon &+ 1)
            let length = BuiltInHeadingShape.decisionWordLength(text, count: count, at: word)
            guard length > 0 else { continue }
            let end = skipBlanks(word &+ length)
            guard end >= count || text[end] == 0x0A else { continue }
            let lineStart = TextBytes.lineStart(bytes, before: colon)
            guard lineStart >= start else { continue }
            let itemStart = skipBlanks(lineStart)
            var itemEnd = colon
            while itemEnd > itemStart && isBlank(text[itemEnd &- 1]) { itemEnd &-= 1 }
            guard itemEnd > itemStart else { continue }
            switch text[itemEnd &- 1] {
            case 0x0A, 0x0B, 0x0C, 0x0D: continue  // `\S` fails
            default: break
            }
            guard body(lineStart..<end, itemStart..<itemEnd, word..<(word &+ length)) else { return }
            from = end
        }
    }
}

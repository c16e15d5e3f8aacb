import ClinPipeText

/// The shipped `level-chain` mention pattern (`Rules/mentions.tsv`) searched from the few positions where one of its
/// matches can start, instead of by PCRE2 near every digit: the same matches, in the same order, as
/// `PCRE2Pattern.forEachMatch` over the whole layer.
///
/// Where a match starts (all offsets UTF-8 bytes). The pattern's first level is one of: an upper-case `C`, `T`, `L`
/// or `S` not after an ASCII letter or digit, then an optional `-`, then a digit `1`–`9` (this covers the compact
/// forms `L45`, `L5S1`, `T12L1` too); or a region word (`cervical`, `thoracic`, `lumbar`, `sacral`, any case, and
/// `ſacral` with LONG S, which PCRE2's caseless UTF matching equates with `s`) not after an ASCII letter, then one to
/// three spaces or tabs, then a digit `1`–`9`. So every match start is found from that first digit `d`: the letter
/// at `d - 1`, the letter at `d - 2` before a `-` at `d - 1`, or the region word before the run of spaces and tabs
/// that ends at `d - 1`. A start found this way is where a match *can* start (the start's own lookbehind is checked
/// here); whether one does, and how far it reaches, is PCRE2's answer for the pattern anchored there with `\G`.
/// The starts come in text order (a start's bytes up to its digit hold no other digit), and a search resumes after
/// each match as `forEachMatch` does, so the matches are those of the plain left-to-right search.
///
/// Used only while the mention's pattern and options are exactly the shipped ones (`init?(pattern:)`) and only when
/// it agrees with PCRE2 on the probe texts at construction; any other mention pattern is searched the plain way.
/// `BuiltInChainSearchTests` compares it with the plain search on level-dense, random and real text.
struct BuiltInChainSearch: Sendable {
    /// The shipped pattern, as `mentions.tsv` has it (its `flags` column is empty: case-sensitive).
    static let source = #"(?:(?<![A-Za-z0-9])(?:L(?:12|23|34|45|56)|C(?:12|23|34|45|56|67)|L5S1|L6S1|C7T1|T12L1)(?![0-9A-Za-z]|\.[0-9])|(?:(?<![A-Za-z0-9])[CTLS](?:-(?=[1-9]))?|(?<![A-Za-z])(?i:cervical|thoracic|lumbar|sacral)[ \t]{1,3})[1-9][0-9]?(?![0-9A-Za-z]|\.[0-9]))(?:(?&pair)(?:(?&item)|(?&num))|(?&list)(?&item))*(?(DEFINE)(?<tok>(?:(?<![A-Za-z0-9])[CTLS](?:-(?=[1-9]))?|(?<![A-Za-z])(?i:cervical|thoracic|lumbar|sacral)[ \t]{1,3})[1-9][0-9]?(?![0-9A-Za-z]|\.[0-9]))(?<compact>(?<![A-Za-z0-9])(?:L(?:12|23|34|45|56)|C(?:12|23|34|45|56|67)|L5S1|L6S1|C7T1|T12L1)(?![0-9A-Za-z]|\.[0-9]))(?<item>(?&compact)|(?&tok))(?<num>(?:[ctls](?=[1-9]))?[1-9][0-9]?(?![0-9A-Za-z]|\.[0-9]))(?<pair>\s{0,4}[/\x{2010}-\x{2015}\x{2212}-]\s{0,4}|\s{1,4}(?i:to|through|thru)\s{1,4}(?=(?&tok)))(?<list>\s{0,3}[,&]\s{0,4}(?:(?i:and|or|versus|vs\.?)\s{1,4})?|\s{1,4}(?i:and|or|&|versus|vs\.?|as\s+well\s+as)\s{1,4}))"#

    /// The pattern anchored at the search start (`\G`), run once per possible start.
    private let anchored: PCRE2Pattern

    /// The search for `pattern` when it is the shipped one (same text, options and limits, no capturing group
    /// numbers shifted by the `\G` wrapper) and agrees with PCRE2 on `probeTexts`; nil otherwise.
    init?(pattern: PCRE2Pattern) {
        guard pattern.pattern == Self.source, pattern.options == [],
              let anchored = try? PCRE2Pattern("\\G(?:" + Self.source + ")", options: pattern.options, limits: pattern.limits),
              anchored.captureCount == pattern.captureCount, anchored.groupNumbers == pattern.groupNumbers
        else { return nil }
        self.anchored = anchored
        guard (try? agreesWithPCRE2(pattern, on: Self.probeTexts)) == true else { return nil }
    }

    /// Texts with every kind of start, lookbehinds at the text's start, runs of 1–4 spaces and tabs, LONG S and
    /// KELVIN SIGN (caseless UTF partners of `s` and `k`), and digits at the text's end.
    static let probeTexts = ["L4-5, ſacral 1 and Lumbar\t\t4-sacral 1; xL4 4L5 C-6 S-0 T12L1 CERVICAL    7 thoracic 12",
                             "C5 lumbar 3 ſacral  2 ſaCRAL 2 sacral\u{212A} 1 éS1 é lumbar 2 L4.5 L4-5.2 T1-weighted\nL5",
                             "sacral 1", "C7", "xsacral 1 3sacral 2 _sacral 3 -lumbar 4 L5-S1 through T12 L"]

    /// Whether `forEachMatch` finds what `pattern.forEachMatch` finds in each of `texts`.
    func agreesWithPCRE2(_ pattern: PCRE2Pattern, on texts: [String]) throws -> Bool {
        for text in texts {
            let same = try text.withUTF8Bytes { bytes -> Bool in
                var expected: [Range<Int>] = []
                try pattern.forEachMatch(in: bytes) { match in
                    expected.append(match.range)
                    return true
                }
                var found: [Range<Int>] = []
                try forEachMatch(in: bytes) { range in
                    found.append(range)
                    return true
                }
                return found == expected
            }
            if !same { return false }
        }
        return true
    }

    /// Calls `body` with the range of each match in `bytes` (valid UTF-8), left to right, until it returns false.
    func forEachMatch(in bytes: UnsafeBufferPointer<UInt8>, _ body: (Range<Int>) throws -> Bool) throws {
        guard let base = bytes.baseAddress else { return }
        let count = bytes.count
        var offset = 0  // where the search goes on: no match starts before it
        var from = 0  // where the digit scan goes on
        while let digit = Self.nextStartDigit(in: base, from: from, count: count) {
            from = digit + 1
            guard digit > 0, Self.canPrecedeDigit(base[digit - 1]),
                  let start = Self.start(before: digit, in: base), start >= offset
            else { continue }
            var found: Range<Int>?
            try anchored.forEachMatch(in: bytes, from: start) { match in
                found = match.range
                return false
            }
            guard let found else { continue }
            guard try body(found) else { return }
            // A match is never empty (it holds a digit): the search goes on at its end.
            offset = found.upperBound
            from = max(from, offset)
        }
    }

    /// The first offset at or after `from` holding a digit `1`–`9`, eight bytes at a time.
    @inline(__always)
    static func nextStartDigit(in base: UnsafePointer<UInt8>, from: Int, count: Int) -> Int? {
        var index = from
        let raw = UnsafeRawPointer(base)
        while index &+ 8 <= count {
            let word = UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: index, as: UInt64.self))
            // Per byte, with `b7` its low seven bits: the high bit of `(128 + 0x39) - b7` is set when `b7 <= 0x39`,
            // of `b7 + (128 - 0x31)` when `b7 >= 0x31`, and of `~word` when the byte is ASCII; no step carries.
            let low7 = word & 0x7F7F_7F7F_7F7F_7F7F
            let flags = (0xB9B9_B9B9_B9B9_B9B9 &- low7) & ~word & (low7 &+ 0x4F4F_4F4F_4F4F_4F4F) & 0x8080_8080_8080_8080
            if flags != 0 { return index &+ flags.trailingZeroBitCount >> 3 }
            index &+= 8
        }
        while index < count {
            let byte = base[index]
            if byte >= 0x31 && byte <= 0x39 { return index }
            index &+= 1
        }
        return nil
    }

    /// Bits of the bytes that can stand before a level's first digit: tab, space and `-` (bytes 0x00–0x3F), `C`,
    /// `L`, `S`, `T` (0x40–0x7F).
    @inline(__always) private static var beforeDigitLow: UInt64 { 1 << 0x09 | 1 << 0x20 | 1 << 0x2D }
    @inline(__always) private static var beforeDigitHigh: UInt64 { 1 << (0x43 - 0x40) | 1 << (0x4C - 0x40) | 1 << (0x53 - 0x40) | 1 << (0x54 - 0x40) }

    /// Whether `byte` is `C`, `L`, `S` or `T`.
    @inline(__always) private static func isRegionLetter(_ byte: UInt8) -> Bool {
        byte & 0xC0 == 0x40 && (beforeDigitHigh >> UInt64(byte & 63)) & 1 != 0
    }

    /// Whether `byte` can stand before a level's first digit (a region letter, `-`, space or tab).
    @inline(__always) static func canPrecedeDigit(_ byte: UInt8) -> Bool {
        let word = byte < 0x40 ? beforeDigitLow : byte < 0x80 ? beforeDigitHigh : 0
        return (word >> UInt64(byte & 63)) & 1 != 0
    }

    @inline(__always) private static func isASCIILetter(_ byte: UInt8) -> Bool { (byte | 0x20) &- 0x61 < 26 }

    @inline(__always) private static func isASCIIAlphanumeric(_ byte: UInt8) -> Bool {
        isASCIILetter(byte) || byte &- 0x30 < 10
    }

    /// The start of the only match that can have its first digit at `digit`, or nil when none can.
    static func start(before digit: Int, in base: UnsafePointer<UInt8>) -> Int? {
        guard digit > 0 else { return nil }
        let previous = base[digit - 1]
        if isRegionLetter(previous) {
            let start = digit - 1
            return start == 0 || !isASCIIAlphanumeric(base[start - 1]) ? start : nil
        }
        if previous == UInt8(ascii: "-") {
            guard digit >= 2, isRegionLetter(base[digit - 2]) else { return nil }
            let start = digit - 2
            return start == 0 || !isASCIIAlphanumeric(base[start - 1]) ? start : nil
        }
        if previous == 0x20 || previous == 0x09 { return regionWordStart(before: digit, in: base) }
        return nil
    }

    private static let regionWords: [[UInt8]] = [Array("cervical".utf8), Array("thoracic".utf8), Array("lumbar".utf8),
                                                 Array("sacral".utf8)]

    /// The start of a region word (`lumbar`, any case, or `ſacral`) that is followed by one to three spaces or tabs
    /// ending at `digit - 1` and is not after an ASCII letter, or nil.
    private static func regionWordStart(before digit: Int, in base: UnsafePointer<UInt8>) -> Int? {
        var end = digit  // the word ends where the run of spaces and tabs before the digit starts
        while end > 0 && digit - end < 4 && (base[end - 1] == 0x20 || base[end - 1] == 0x09) { end -= 1 }
        let run = digit - end
        // Every region word ends in `l`, `c` or `r`.
        guard run >= 1 && run <= 3 && end >= 5, case let last = base[end - 1] | 0x20,
              last == UInt8(ascii: "l") || last == UInt8(ascii: "c") || last == UInt8(ascii: "r")
        else { return nil }
        for word in regionWords where end >= word.count - 1 {
            // The word's bytes after its first letter, in any ASCII case.
            let restStart = end - (word.count - 1)
            var same = true
            for offset in 1..<word.count where base[restStart + offset - 1] | 0x20 != word[offset] {
                same = false
                break
            }
            guard same else { continue }
            let start: Int
            if restStart >= 1 && base[restStart - 1] | 0x20 == word[0] {
                start = restStart - 1
            } else if word[0] == UInt8(ascii: "s") && restStart >= 2 && base[restStart - 2] == 0xC5 && base[restStart - 1] == 0xBF {
                start = restStart - 2  // LONG S
            } else {
                continue
            }
            return start == 0 || !isASCIILetter(base[start - 1]) ? start : nil
        }
        return nil
    }
}

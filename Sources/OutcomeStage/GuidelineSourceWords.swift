import ClinPipeText

/// The shipped rows of `Rules/guidelines.tsv` (MTUS, ODG, ACOEM, other), matched in ASCII text by a search for the first
/// row's words, then one pass over the words, instead of by up to four PCRE2 searches per part of a guideline line.
///
/// Every alternative of the shipped patterns starts with `\b` and a letter, so a match starts where a word starts (a
/// word: a run of PCRE2's ASCII `\w`, letters, digits and `_`). A word followed by `\s+` or by `\b` in a pattern is
/// the whole run (`MTUS`, `Medical` in `Medical\s+Treatment`); the words of a phrase are runs separated by runs of
/// `\s`. The `other` row has no `\b` at its end, so its last word is a prefix of a run (`Citation` matches
/// `Citations`). Alternatives that contain another alternative of the same row or of an earlier row (`CA\s+MTUS`
/// contains `MTUS`, `Non-MTUS\s+Citation` contains `MTUS`) are not tested: the first matching row is the same.
///
/// Only ASCII text qualifies: PCRE2's caseless UTF mode also takes `ſ` for `s` and the Kelvin sign for `k`.
/// `GuidelineCitations` uses it only while the source rows are exactly `shippedRows`, in order.
enum GuidelineSourceWords {
    /// The shipped rows: label and pattern (compiled caseless), in file order.
    static let shippedRows: [(label: String, pattern: String)] = [
        ("MTUS", #"\b(?:MTUS|Medical\s+Treatment\s+Utilization\s+Schedule|CA\s+MTUS|California\s+MTUS)\b"#),
        ("ODG", #"\b(?:ODG|Official\s+Disability\s+Guidelines?)\b"#),
        ("ACOEM", #"\b(?:ACOEM|American\s+College\s+of\s+Occupational\s+and\s+Environmental\s+Medicine)\b"#),
        ("other", #"\b(?:Non-MTUS\s+Citation|Citation|FDA|National\s+Guideline|NIH|Medicare|CMS|AHRQ|UpToDate|peer[-\s]reviewed|journal|https?://|www\.)"#),
    ]

    /// Whether `rows` (label and pattern source of each row, in order) are exactly `shippedRows`.
    static func isShipped(_ rows: [(label: String, pattern: String)]) -> Bool {
        rows.count == shippedRows.count && zip(rows, shippedRows).allSatisfy { $0.label == $1.label && $0.pattern == $1.pattern }
    }

    /// Where a match of the first row (MTUS) can start: `mt` or `me`, either letter in either case.
    private static let firstRowStarts = BytePairSet([(UInt8(ascii: "m"), 0x20, UInt8(ascii: "t"), 0x20),
                                                     (UInt8(ascii: "m"), 0x20, UInt8(ascii: "e"), 0x20)])

    /// The index in `shippedRows` of the first row whose pattern matches somewhere in `bytes` (which must be ASCII),
    /// or nil: what `PatternTable.firstMatch` gives with the shipped rows.
    ///
    /// The first row, which most parts name in their first word, is looked for first, at the offsets where `mt` or
    /// `me` starts (found sixteen at a time); then the words are read in order until one starts a match of the second
    /// row, the best left.
    static func firstRow(in bytes: UnsafeBufferPointer<UInt8>) -> Int? {
        var isFirstRow = false
        firstRowStarts.forEachCandidate(in: bytes, from: 0) { offset in
            guard isWordStart(offset, in: bytes), startsFirstRow(at: offset, in: bytes) else { return offset + 1 }
            isFirstRow = true
            return bytes.count
        }
        if isFirstRow { return 0 }
        var best = Int.max
        var offset = 0
        let count = bytes.count
        /// 1 when the byte before `offset` is a word byte, else 0.
        var afterWordByte: UInt32 = 0
        while offset < count {
            let byte = bytes[offset]
            // Only a word whose initial is one of `laterRowInitials` can start a later row: the test of a word start is
            // computed without a branch, and the loop branches only at those words (not at every word's start and end).
            if isLaterRowInitial(byte) & ~afterWordByte != 0 {
                let start = offset
                offset &+= 1
                while offset < count && isWordByte(bytes[offset]) { offset &+= 1 }
                let row = laterRow(startingAt: start, wordEnd: offset, in: bytes)
                if row < best {
                    if row == 1 { return 1 }
                    best = row
                }
                // `offset` is past the word: the byte before it is a word byte.
                afterWordByte = 1
                continue
            }
            afterWordByte = isWordByte(byte) ? 1 : 0
            offset &+= 1
        }
        return best == Int.max ? nil : best
    }

    /// The initials of the words that `laterRow` can accept (`o a m c f n u j p h w`), as bits numbered by the
    /// letter's place in the alphabet (either case). A literal, folded into the loop (the tests check it against the
    /// letters).
    static let laterRowInitials: UInt32 = 0x0050_F2A5

    /// 1 when `byte` is an ASCII letter among `laterRowInitials` (either case), else 0; computed without a branch.
    @inline(__always)
    static func isLaterRowInitial(_ byte: UInt8) -> UInt32 {
        let letter = UInt32(byte | 0x20) &- UInt32(UInt8(ascii: "a"))
        return letter < 26 ? laterRowInitials &>> letter & 1 : 0
    }

    /// Whether a match of the first row starts at the word start `start`.
    private static func startsFirstRow(at start: Int, in bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        let end = start + 4
        if ASCII.occurs("mtus", in: bytes, at: start) && (end == bytes.count || !isWordByte(bytes[end])) { return true }
        let medicalEnd = start + 7
        return ASCII.occurs("medical", in: bytes, at: start) && (medicalEnd == bytes.count || !isWordByte(bytes[medicalEnd]))
            && followedByWords(["treatment", "utilization", "schedule"], after: medicalEnd, in: bytes)
    }

    /// The first row after the first with a match starting at the word `start..<end` (Int.max for none).
    private static func laterRow(startingAt start: Int, wordEnd end: Int, in bytes: UnsafeBufferPointer<UInt8>) -> Int {
        /// Whether the word is `word` (lowercase), ASCII case ignored.
        func isWord(_ word: StaticString) -> Bool { end - start == word.utf8CodeUnitCount && ASCII.occurs(word, in: bytes, at: start) }
        /// Whether the word starts with `prefix` (lowercase), ASCII case ignored.
        func hasPrefix(_ prefix: StaticString) -> Bool { end - start >= prefix.utf8CodeUnitCount && ASCII.occurs(prefix, in: bytes, at: start) }
        switch bytes[start] | 0x20 {
        case UInt8(ascii: "o"):
            if isWord("odg") { return 1 }
            if isWord("official") && (followedByWords(["disability", "guideline"], after: end, in: bytes)
                || followedByWords(["disability", "guidelines"], after: end, in: bytes)) { return 1 }
        case UInt8(ascii: "a"):
            if isWord("acoem") { return 2 }
            if isWord("american")
                && followedByWords(["college", "of", "occupational", "and", "environmental", "medicine"], after: end, in: bytes) { return 2 }
            if hasPrefix("ahrq") { return 3 }
        case UInt8(ascii: "m"):
            if hasPrefix("medicare") { return 3 }
        case UInt8(ascii: "c"):
            if hasPrefix("citation") || hasPrefix("cms") { return 3 }
        case UInt8(ascii: "f"):
            if hasPrefix("fda") { return 3 }
        case UInt8(ascii: "n"):
            if hasPrefix("nih") { return 3 }
            if isWord("national"), let next = endOfSpace(in: bytes, at: end), ASCII.occurs("guideline", in: bytes, at: next) { return 3 }
        case UInt8(ascii: "u"):
            if hasPrefix("uptodate") { return 3 }
        case UInt8(ascii: "j"):
            if hasPrefix("journal") { return 3 }
        case UInt8(ascii: "p"):
            // peer[-\s]reviewed: one hyphen or space, then the prefix.
            if isWord("peer"), end < bytes.count, bytes[end] == UInt8(ascii: "-") || ByteClass.isSpace(bytes[end]),
               ASCII.occurs("reviewed", in: bytes, at: end + 1) { return 3 }
        case UInt8(ascii: "h"):
            if isWord("http") || isWord("https"), ASCII.occursExactly("://", in: bytes, at: end) { return 3 }
        case UInt8(ascii: "w"):
            if isWord("www"), end < bytes.count, bytes[end] == UInt8(ascii: ".") { return 3 }
        default:
            break
        }
        return Int.max
    }

    /// Whether a word starts at `offset` (`\b` before a word byte).
    @inline(__always)
    private static func isWordStart(_ offset: Int, in bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        offset == 0 || !isWordByte(bytes[offset - 1])
    }

    /// Whether `words` (lowercase) follow `end`, each after a run of `\s` and each a whole word (ASCII case ignored).
    private static func followedByWords(_ words: [StaticString], after end: Int, in bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        var position = end
        for word in words {
            guard let start = endOfSpace(in: bytes, at: position), ASCII.occurs(word, in: bytes, at: start) else { return false }
            position = start + word.utf8CodeUnitCount
            guard position == bytes.count || !isWordByte(bytes[position]) else { return false }
        }
        return true
    }

    /// The end of the run of `\s` at `offset`, or nil when the run is empty.
    private static func endOfSpace(in bytes: UnsafeBufferPointer<UInt8>, at offset: Int) -> Int? {
        var end = offset
        while end < bytes.count, ByteClass.isSpace(bytes[end]) { end += 1 }
        return end > offset ? end : nil
    }

    /// PCRE2's `\w` for ASCII: letters, digits and `_`.
    @inline(__always)
    private static func isWordByte(_ byte: UInt8) -> Bool {
        byte == UInt8(ascii: "_") || byte &- UInt8(ascii: "0") < 10 || (byte | 0x20) &- UInt8(ascii: "a") < 26
    }
}

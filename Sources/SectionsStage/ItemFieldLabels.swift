#if canImport(Glibc)
import Glibc
#endif
import ClinPipeText

/// The field labels of an IMR item block (the `field` rows of `imr-items.tsv`): one PCRE2 alternation anchored at a
/// line start, `(?m)^[ \t]*(?:(?<f0>…)|(?<f1>…)|…)`, whose group `groups[i]` matches for field i. All offsets are
/// UTF-8 bytes.
///
/// The plain search runs PCRE2 over the whole rest of the text. For the shipped rows (`shippedBody`), the labels are
/// matched by byte code instead (`shippedLabel(at:)`), at line starts only, in text order, which finds the same
/// matches with the same groups (see `shippedLabel`). Used only while the rows are the shipped ones and the byte code
/// agrees with PCRE2 on `probeTexts` at construction (line breaks other than LF, which another newline convention
/// would count for `^`; the non-ASCII case partner of `s`); `ItemFieldLabelsTests` compares the two on generated
/// texts from every start to every end.
struct ItemFieldLabels: Sendable {
    /// What the labels are, in a class: copying the labels copies one reference.
    private final class Storage: Sendable {
        let pattern: PCRE2Pattern
        let groups: [Int]
        let byteCoded: Bool

        init(pattern: PCRE2Pattern, groups: [Int], byteCoded: Bool) {
            self.pattern = pattern
            self.groups = groups
            self.byteCoded = byteCoded
        }
    }

    private let storage: Storage
    var pattern: PCRE2Pattern { storage.pattern }
    /// Per field, the number of its group in `pattern`.
    var groups: [Int] { storage.groups }
    /// Whether the labels are the shipped ones, matched by byte code (`shippedLabel(at:)`).
    private var byteCoded: Bool { storage.byteCoded }

    private init(storage: Storage) {
        self.storage = storage
    }

    /// The alternation of the shipped `field` rows, as `ItemRules` builds it (each row caseless, in its group).
    static let shippedBody = #"(?<f0>(?i:Claims\s+Administrator\s+guideline\s*:))|(?<f1>(?i:MAXIMUS\s+guideline\s*:))|"#
        + #"(?<f2>(?i:Decision\s+rationale\s*:))"#

    /// Line breaks other than LF before and inside labels, blanks other than space and tab, non-ASCII letters.
    static let probeTexts = [
        "x\rClaims Administrator guideline: a\u{0B}MAXIMUS guideline: b\u{0C}Decision rationale: c\u{85}Decision rationale:",
        "\u{2028}MAXIMUS guideline:\u{2029}Decision rationale:\r\nClaims Administrator guideline:\n\u{A0}MAXIMUS guideline:",
        "Claims\nAdministrator\tguideline\r:\n \t decision RATIONALE :x\nmaximus  guideline:\n\u{0C}Claims Administrator guideline:",
        "Claimſ Adminiſtrator guideline:\nDeciſion rationale:\nMAXIMUſ guideline:\néDecision rationale:\n",
    ]

    /// - Parameter body: the alternation of the field rows, each in its group `f<i>`.
    init(body: String, fieldCount: Int) throws {
        let pattern = try PCRE2Pattern("(?m)^[ \\t]*(?:" + body + ")")
        let groups = (0..<fieldCount).map { pattern.groupNumbers["f\($0)"]! }
        let plain = Storage(pattern: pattern, groups: groups, byteCoded: false)
        guard body == Self.shippedBody, fieldCount == 3 else {
            self.storage = plain
            return
        }
        let byteCoded = ItemFieldLabels(storage: Storage(pattern: pattern, groups: groups, byteCoded: true))
        let agrees = Self.probeTexts.allSatisfy { (try? byteCoded.agreesWithPlainSearch(on: $0)) == true }
        self.storage = agrees ? byteCoded.storage : plain
    }

    /// Whether the labels are matched by byte code (for tests).
    var isFiltered: Bool { byteCoded }

    /// The words of a shipped label (lower case, one space where the pattern has `\s+`), by field.
    private static func shippedWords(_ field: Int) -> StaticString {
        switch field {
        case 0: "claims administrator guideline"
        case 1: "maximus guideline"
        default: "decision rationale"
        }
    }

    /// The shipped label that the pattern matches anchored at `lineStart` (a line start) of `text[0..<count]`: its
    /// field and the match's end, or nil.
    ///
    /// How the pattern is read: blanks (`[ \t]*`), then the words of one label, each caseless, with whitespace
    /// between them (`\s+`: space, tab, LF, VT, FF, CR; without PCRE2_UCP no other character), then whitespace
    /// (`\s*`) and a colon. The labels' first letters differ, and no letter or colon is whitespace, so each part
    /// has one way to match: what PCRE2's backtracking finds. Caseless in UTF mode, an ASCII letter matches itself
    /// in either case, and `s` also LONG S (U+017F, C5 BF); the labels have no `k` (KELVIN SIGN) and no other letter
    /// with a non-ASCII case partner.
    static func shippedLabel(at lineStart: Int, in text: UnsafePointer<UInt8>, count: Int) -> (field: Int, end: Int)? {
        @inline(__always) func isSpace(_ byte: UInt8) -> Bool { byte == 0x20 || (byte >= 0x09 && byte <= 0x0D) }
        /// `\s*:` from `i`, ending a label of `field`.
        @inline(__always) func colonAfter(_ i: Int, _ field: Int) -> (field: Int, end: Int)? {
            var i = i
            while i < count && isSpace(text[i]) { i &+= 1 }
            guard i < count, text[i] == 0x3A else { return nil }
            return (field, i &+ 1)
        }
        var i = lineStart
        while i < count && (text[i] == 0x20 || text[i] == 0x09) { i &+= 1 }
        guard i < count else { return nil }
        let field: Int
        switch text[i] | 0x20 {
        case 0x63: field = 0  // c
        case 0x6D: field = 1  // m
        case 0x64: field = 2  // d
        default: return nil
        }
        let words = shippedWords(field)
        let letters = words.utf8Start
        let length = words.utf8CodeUnitCount
        // Eight bytes at a time when the label is written with single spaces (most are): a byte matches a letter
        // in either case when it equals the letter with bit 0x20 set (letters have bit 0x40, the space has not), and
        // a space only as itself. Any other writing goes the byte-by-byte way below, which decides alone.
        if i &+ length <= count && length >= 8 {
            let written = UnsafeRawPointer(text + i), expected = UnsafeRawPointer(letters)
            var same = true
            var k = 0
            while k < length {
                let offset = min(k, length &- 8)
                let word = expected.loadUnaligned(fromByteOffset: offset, as: UInt64.self)
                let caseBits = (word & 0x4040_4040_4040_4040) &>> 1
                if written.loadUnaligned(fromByteOffset: offset, as: UInt64.self) | caseBits != word {
                    same = false
                    break
                }
                k &+= 8
            }
            if same { return colonAfter(i &+ length, field) }
        }
        for k in 0..<length {
            let letter = letters[k]
            if letter == 0x20 {
                let wordEnd = i
                while i < count && isSpace(text[i]) { i &+= 1 }
                guard i > wordEnd else { return nil }
                continue
            }
            guard i < count else { return nil }
            let byte = text[i]
            if byte | 0x20 == letter {
                i &+= 1
            } else if letter == 0x73, byte == 0xC5, i &+ 1 < count, text[i &+ 1] == 0xBF {
                i &+= 2
            } else {
                return nil
            }
        }
        return colonAfter(i, field)
    }

    /// The matches of `pattern.forEachMatch(in: bytes, from: start)` (`bytes` a whole text, `lineFeeds` every line
    /// feed of it, ascending) that end at or before `end`, as (field, match range), in order, until the first that
    /// ends after `end` or until `body` returns false.
    func forEachLabel(in bytes: UnsafeBufferPointer<UInt8>, from start: Int, to end: Int, lineFeeds: UnsafeBufferPointer<Int>,
                      _ body: (_ field: Int, _ match: Range<Int>) -> Bool) throws
    {
        guard byteCoded, let text = bytes.baseAddress else {
            try pattern.forEachMatch(in: bytes, from: start) { match in
                guard match.range.upperBound <= end else { return false }
                guard let field = groups.firstIndex(where: { match.range($0) != nil }) else { return true }
                return body(field, match.range)
            }
            return
        }
        let count = bytes.count
        // The first line feed at or after `start`: the line starts after it follow `start` (itself one when it
        // follows a line feed or is the text's start).
        var low = 0, high = lineFeeds.count
        while low < high {
            let middle = (low &+ high) &>> 1
            if lineFeeds[middle] < start { low = middle &+ 1 } else { high = middle }
        }
        var next = low
        var lineStart = start == 0 || (start <= count && text[start &- 1] == 0x0A) ? start : -1
        var resume = start  // where the plain search goes on: no match starts before it
        // A shipped label is never empty: one that starts at or after `end` ends after it.
        let limit = min(end, count)
        while true {
            if lineStart < 0 {
                guard next < lineFeeds.count else { return }
                lineStart = lineFeeds[next] &+ 1
                next &+= 1
            }
            let candidate = lineStart
            lineStart = -1
            guard candidate < limit else { return }
            guard candidate >= resume else { continue }
            guard let label = Self.shippedLabel(at: candidate, in: text, count: count) else { continue }
            guard label.end <= end, body(label.field, candidate..<label.end) else { return }
            resume = label.end
        }
    }

    /// Whether a label matches anywhere in `bytes` (`pattern.matches`).
    func matches(_ bytes: UnsafeBufferPointer<UInt8>) throws -> Bool {
        guard byteCoded, let text = bytes.baseAddress else { return try pattern.matches(bytes) }
        // The line feeds of `bytes` (one line, mostly: none).
        var lineFeeds: [Int] = []
        var from = 0
        while from < bytes.count, let hit = memchr(text + from, 0x0A, bytes.count - from) {
            let position = UnsafeRawPointer(hit) - UnsafeRawPointer(text)
            lineFeeds.append(position)
            from = position + 1
        }
        var found = false
        try lineFeeds.withUnsafeBufferPointer { lineFeeds in
            try forEachLabel(in: bytes, from: 0, to: bytes.count, lineFeeds: lineFeeds) { _, _ in
                found = true
                return false
            }
        }
        return found
    }

    /// Whether `forEachLabel` finds what the plain search finds in `text`, from every start, to the text's end or
    /// (with `everyEnd`) to every end at or after the start.
    func agreesWithPlainSearch(on text: String, everyEnd: Bool = false) throws -> Bool {
        try text.withUTF8Bytes { bytes in
            var lineFeeds: [Int] = []
            for (i, byte) in bytes.enumerated() where byte == 0x0A { lineFeeds.append(i) }
            return try lineFeeds.withUnsafeBufferPointer { lineFeeds in
                let boundaries = (0...bytes.count).filter { $0 == bytes.count || bytes[$0] & 0xC0 != 0x80 }
                for start in boundaries {
                    var all: [Range<Int>] = []
                    try pattern.forEachMatch(in: bytes, from: start) { match in
                        let field = groups.firstIndex { match.range($0) != nil } ?? -1
                        all += [match.range, field..<field]
                        return true
                    }
                    for end in everyEnd ? boundaries.filter({ $0 >= start }) : [bytes.count] {
                        // The plain search's matches up to the first that ends after `end`.
                        var expected: [Range<Int>] = []
                        for k in stride(from: 0, to: all.count, by: 2) {
                            if all[k].upperBound > end { break }
                            expected += [all[k], all[k + 1]]
                        }
                        var found: [Range<Int>] = []
                        try forEachLabel(in: bytes, from: start, to: end, lineFeeds: lineFeeds) { field, range in
                            found += [range, field..<field]
                            return true
                        }
                        if found != expected { return false }
                    }
                }
                return true
            }
        }
    }
}

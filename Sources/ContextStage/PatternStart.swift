/// What every match of a trigger pattern starts with, read conservatively from the pattern's source, so that a
/// search can run the pattern only where a match can start (positions are UTF-8 byte offsets).
///
/// Two forms are recognised; anything else gives nil (the pattern is then searched the plain way):
/// - `\b` followed by ASCII letters, alone or as the start of every alternative of a leading non-capturing group
///   (`\bshould\b(?=...)`, `\b(?:from(?<=...)|to(?<=...))\b`): a match starts at a word start with one of these
///   letter runs;
/// - a leading ASCII punctuation byte that has no special meaning in a pattern (`,(?:...)`): a match starts with it.
///
/// The pattern runs caseless in UTF mode without Unicode properties (`PCRE2Pattern`): `\w` and `\b` see only
/// ASCII word characters `[A-Za-z0-9_]`, letters compare ignoring case, and a few ASCII letters also match non-ASCII
/// characters (`s` matches `ſ`, `k` the Kelvin sign). So a non-ASCII character where a prefix has a letter always
/// passes the test. `mayStart` is a necessary condition for a match at a position, never a sufficient one.
struct PatternStart: Sendable, Equatable {
    /// The possible starts: ASCII letters lowercased (the `\b` form), or one punctuation byte.
    let prefixes: [[UInt8]]
    /// Whether a match starts at a word boundary before a letter (the `\b` form).
    let atWordStart: Bool
    /// Per prefix (same indices): the body of a lookbehind that makes up the rest of its alternative
    /// (`to(?<=response to|reaction to)` gives `response to|reaction to`), which must match ending where the prefix
    /// ends; nil when the alternative has none (or the prefix's letters are not all of the alternative's).
    let lookbehinds: [String?]

    /// Bytes that start a prefix at the start of a match: both cases of each first letter, and every byte that can
    /// start a non-ASCII character in the `\b` form.
    var firstBytes: [UInt8] {
        var bytes: Set<UInt8> = []
        for prefix in prefixes {
            bytes.insert(prefix[0])
            if atWordStart { bytes.insert(prefix[0] & ~0x20) }
        }
        if atWordStart { for byte in UInt8(0xC2)...UInt8(0xF4) { bytes.insert(byte) } }
        return bytes.sorted()
    }

    /// Reads the start of `source`, or nil when it is not one of the forms above (or the pattern uses syntax that
    /// the reading does not follow: option settings, `\Q`, POSIX classes, a top-level alternation).
    init?(pattern source: String) {
        let bytes = Array(source.utf8)
        guard !bytes.isEmpty, Self.isPlain(bytes) else { return nil }
        if bytes.count > 2 && bytes[0] == UInt8(ascii: "\\") && bytes[1] == UInt8(ascii: "b") {
            var prefixes: [[UInt8]] = []
            var lookbehinds: [String?] = []
            if bytes[2] == UInt8(ascii: "(") {
                guard bytes.count > 4, bytes[3] == UInt8(ascii: "?"), bytes[4] == UInt8(ascii: ":"),
                      let close = Self.closingParenthesis(bytes, from: 2),
                      close + 1 == bytes.count || !Self.isQuantifier(bytes[close + 1])
                else { return nil }
                for branch in Self.branches(bytes, 5..<close) {
                    guard let letters = Self.letterRun(bytes, branch) else { return nil }
                    prefixes.append(letters)
                    lookbehinds.append(Self.lookbehindBody(bytes, (branch.lowerBound + letters.count)..<branch.upperBound))
                }
            } else {
                guard let letters = Self.letterRun(bytes, 2..<bytes.count) else { return nil }
                prefixes.append(letters)
                lookbehinds.append(nil)
            }
            self.prefixes = prefixes
            self.lookbehinds = lookbehinds
            self.atWordStart = true
        } else {
            guard Self.punctuation.contains(bytes[0]), bytes.count == 1 || !Self.isQuantifier(bytes[1]) else { return nil }
            self.prefixes = [[bytes[0]]]
            self.lookbehinds = [nil]
            self.atWordStart = false
        }
    }

    /// The body of a positive lookbehind `(?<=body)` that is all of `bytes[range]`, or nil.
    private static func lookbehindBody(_ bytes: [UInt8], _ range: Range<Int>) -> String? {
        let open = range.lowerBound
        guard range.count > 5, bytes[open] == UInt8(ascii: "("), bytes[open + 1] == UInt8(ascii: "?"),
              bytes[open + 2] == UInt8(ascii: "<"), bytes[open + 3] == UInt8(ascii: "="),
              closingParenthesis(bytes, from: open) == range.upperBound - 1
        else { return nil }
        return String(decoding: bytes[(open + 4)..<(range.upperBound - 1)], as: UTF8.self)
    }

    /// `source` with a lookahead that ends it at the top level (`\bwith(?=\s+the)`) read as a non-capturing group
    /// (`\bwith(?:\s+the)`): every text from a match's start of `source` on begins with a match of the result (what
    /// the lookahead looks at follows the match), so a necessary condition on the result's start is one on
    /// `source`'s. Any other source is given back as it is.
    static func trailingLookaheadAsGroup(_ source: String) -> String {
        var bytes = Array(source.utf8)
        guard bytes.last == UInt8(ascii: ")"), isPlain(bytes) else { return source }
        // The last group opened at the top level.
        var index = 0, depth = 0, lastOpen = -1
        while index < bytes.count {
            switch bytes[index] {
            case UInt8(ascii: "\\"): index += 2; continue
            case UInt8(ascii: "["):
                guard let end = classEnd(bytes, from: index) else { return source }
                index = end + 1
                continue
            case UInt8(ascii: "("):
                if depth == 0 { lastOpen = index }
                depth += 1
            case UInt8(ascii: ")"): depth -= 1
            default: break
            }
            index += 1
        }
        guard lastOpen >= 0, lastOpen + 2 < bytes.count, bytes[lastOpen + 1] == UInt8(ascii: "?"),
              bytes[lastOpen + 2] == UInt8(ascii: "="), closingParenthesis(bytes, from: lastOpen) == bytes.count - 1
        else { return source }
        bytes[lastOpen + 2] = UInt8(ascii: ":")
        return String(decoding: bytes, as: UTF8.self)
    }

    /// How `text[position...]` starts with `prefixes[index]` (`position < count`): not at all, exactly (ASCII bytes
    /// equal to the prefix's, ignoring case in the `\b` form: the prefix's match is those bytes), or perhaps (a
    /// non-ASCII byte where the prefix has a letter, which caseless matching may equate with it).
    @inline(__always) func prefixStart(_ text: UnsafePointer<UInt8>, count: Int, at position: Int, prefix index: Int) -> PrefixStart {
        let prefix = prefixes[index]
        guard position + prefix.count <= count else { return .no }
        for offset in prefix.indices {
            let byte = text[position + offset]
            if atWordStart && byte >= 0x80 { return .perhaps }
            if (atWordStart ? byte | 0x20 : byte) != prefix[offset] { return .no }
        }
        return .exactly
    }

    enum PrefixStart { case no, exactly, perhaps }

    /// Whether a match of the pattern may start at `position` of `text[0..<count]` (`position < count`).
    @inline(__always) func mayStart(_ text: UnsafePointer<UInt8>, count: Int, at position: Int) -> Bool {
        if atWordStart && position > 0 && text[position] < 0x80 && Self.isASCIIWord(text[position - 1]) { return false }
        for prefix in prefixes where Self.starts(text, count: count, at: position, with: prefix, letters: atWordStart) {
            return true
        }
        return false
    }

    @inline(__always) private static func starts(_ text: UnsafePointer<UInt8>, count: Int, at position: Int,
                                                 with prefix: [UInt8], letters: Bool) -> Bool
    {
        // Every character that matches a prefix byte takes at least one byte.
        guard position + prefix.count <= count else { return false }
        for index in prefix.indices {
            let byte = text[position + index]
            if letters && byte >= 0x80 { return true }
            if (letters ? byte | 0x20 : byte) != prefix[index] { return false }
        }
        return true
    }

    /// PCRE2's `\w` without Unicode properties.
    @inline(__always) static func isASCIIWord(_ byte: UInt8) -> Bool {
        (byte >= 0x30 && byte <= 0x39) || ((byte | 0x20) >= 0x61 && (byte | 0x20) <= 0x7A) || byte == 0x5F
    }

    /// ASCII punctuation that stands for itself at the start of a pattern.
    private static let punctuation: Set<UInt8> = Set(",;:!'\"%&=<>@~`/-".utf8)

    private static func isQuantifier(_ byte: UInt8) -> Bool { "?*+{".utf8.contains(byte) }

    /// The ASCII letters that start `bytes[range]`, lowercased, without the last one when a quantifier follows it;
    /// nil when none are left.
    private static func letterRun(_ bytes: [UInt8], _ range: Range<Int>) -> [UInt8]? {
        var end = range.lowerBound
        while end < range.upperBound && (bytes[end] | 0x20) >= 0x61 && (bytes[end] | 0x20) <= 0x7A { end += 1 }
        if end < range.upperBound && isQuantifier(bytes[end]) { end -= 1 }
        guard end > range.lowerBound else { return nil }
        return bytes[range.lowerBound..<end].map { $0 | 0x20 }
    }

    /// Whether the pattern avoids what this reading does not follow: option settings and comments (`(?i)`, `(?x)`,
    /// `(?#...)`, `(?|...)`), `\Q...\E`, POSIX classes, and an alternation at the top level.
    private static func isPlain(_ bytes: [UInt8]) -> Bool {
        var index = 0
        var depth = 0
        while index < bytes.count {
            switch bytes[index] {
            case UInt8(ascii: "\\"):
                if index + 1 < bytes.count && (bytes[index + 1] == UInt8(ascii: "Q") || bytes[index + 1] == UInt8(ascii: "E")) {
                    return false
                }
                index += 2
                continue
            case UInt8(ascii: "["):
                guard let end = classEnd(bytes, from: index) else { return false }
                index = end + 1
                continue
            case UInt8(ascii: "("):
                if index + 1 < bytes.count && bytes[index + 1] == UInt8(ascii: "?") {
                    guard index + 2 < bytes.count, ":=!<".utf8.contains(bytes[index + 2]) else { return false }
                }
                if index + 1 < bytes.count && bytes[index + 1] == UInt8(ascii: "*") { return false }
                depth += 1
            case UInt8(ascii: ")"):
                depth -= 1
                if depth < 0 { return false }
            case UInt8(ascii: "|"):
                if depth == 0 { return false }
            default:
                break
            }
            index += 1
        }
        return depth == 0
    }

    /// The index of the `]` that closes the class opened at `start`, or nil (also for POSIX classes).
    private static func classEnd(_ bytes: [UInt8], from start: Int) -> Int? {
        var index = start + 1
        if index < bytes.count && bytes[index] == UInt8(ascii: "^") { index += 1 }
        if index < bytes.count && bytes[index] == UInt8(ascii: "]") { index += 1 }
        while index < bytes.count {
            switch bytes[index] {
            case UInt8(ascii: "\\"): index += 2; continue
            case UInt8(ascii: "["): if index + 1 < bytes.count && ":.=".utf8.contains(bytes[index + 1]) { return nil }
            case UInt8(ascii: "]"): return index
            default: break
            }
            index += 1
        }
        return nil
    }

    /// The index of the `)` that closes the group opened at `start` (the source passed `isPlain`).
    private static func closingParenthesis(_ bytes: [UInt8], from start: Int) -> Int? {
        var index = start
        var depth = 0
        while index < bytes.count {
            switch bytes[index] {
            case UInt8(ascii: "\\"): index += 2; continue
            case UInt8(ascii: "["):
                guard let end = classEnd(bytes, from: index) else { return nil }
                index = end + 1
                continue
            case UInt8(ascii: "("): depth += 1
            case UInt8(ascii: ")"):
                depth -= 1
                if depth == 0 { return index }
            default: break
            }
            index += 1
        }
        return nil
    }

    /// The alternatives of a group's body `bytes[range]`, split at its own `|`.
    private static func branches(_ bytes: [UInt8], _ range: Range<Int>) -> [Range<Int>] {
        var result: [Range<Int>] = []
        var index = range.lowerBound, start = range.lowerBound, depth = 0
        while index < range.upperBound {
            switch bytes[index] {
            case UInt8(ascii: "\\"): index += 2; continue
            case UInt8(ascii: "["):
                index = (classEnd(bytes, from: index) ?? range.upperBound) + 1
                continue
            case UInt8(ascii: "("): depth += 1
            case UInt8(ascii: ")"): depth -= 1
            case UInt8(ascii: "|") where depth == 0:
                result.append(start..<index)
                start = index + 1
            default: break
            }
            index += 1
        }
        result.append(start..<range.upperBound)
        return result
    }
}

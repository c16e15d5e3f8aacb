import ClinPipeText

/// A cheap necessary condition for a window pattern that starts with `^` or `^\s*` (head cues, `after` contexts and
/// side cues): the bytes where the rest of the pattern can begin, as PCRE2's own study of that rest finds them
/// (`StartByteSet`). A window where none of those bytes stands at the start (or, after `^\s*`, anywhere in the
/// leading run of white space or at its end) has no match, and PCRE2 need not be asked.
///
/// Why it holds: without the multiline option `^` matches only at the window's start, so a match is the leading
/// part (nothing, or white space for `\s*`, which PCRE2 reads as the bytes 0x09–0x0D and 0x20 here) followed by a
/// match of the rest, whose first byte is in the rest's start set. A window whose leading run reaches a byte of a
/// non-ASCII character is passed to PCRE2 (a PCRE2 built with other character tables might call it white space).
/// The rest must have no top-level `|` (which would leave part of the pattern unanchored) and must be a pattern
/// PCRE2 compiles on its own with a start set; otherwise `init` returns nil and the pattern always runs.
///
/// Offsets are UTF-8 byte offsets into the window's text. `LeadingByteFilterTests` compares the filter with the
/// patterns it guards.
struct LeadingByteFilter: Sendable {
    /// Whether the pattern starts with `^\s*` (else with `^` alone).
    let skipsSpace: Bool
    /// The bytes the rest can start with, as four words of bits.
    private let starts: (UInt64, UInt64, UInt64, UInt64)

    init?(pattern: PCRE2Pattern) {
        guard pattern.options.isSubset(of: [.caseless, .dotAll]) else { return nil }
        let source = pattern.pattern
        let rest: Substring
        if source.hasPrefix(#"^\s*"#) && !source.hasPrefix(#"^\s*?"#) && !source.hasPrefix(#"^\s*+"#) {
            skipsSpace = true
            rest = source.dropFirst(4)
        } else if source.hasPrefix("^") {
            skipsSpace = false
            rest = source.dropFirst(1)
        } else {
            return nil
        }
        guard !rest.hasPrefix("*"), !rest.hasPrefix("+"), !rest.hasPrefix("?"), !rest.hasPrefix("{"),
              Self.hasNoTopLevelAlternation(rest),
              let set = StartByteSet(pattern: String(rest), options: pattern.options)
        else { return nil }
        var words: [UInt64] = [0, 0, 0, 0]
        for byte in set.members { words[Int(byte >> 6)] |= 1 << UInt64(byte & 63) }
        starts = (words[0], words[1], words[2], words[3])
    }

    /// Whether `source` has no `|` outside groups (escapes and character classes skipped). False, to be safe, for
    /// anything it does not read (`\Q`, an unclosed class or group, extended mode `(?x`).
    static func hasNoTopLevelAlternation(_ source: Substring) -> Bool {
        let bytes = Array(source.utf8)
        if source.contains("\\Q") || source.contains("(?x") || source.contains("(*") || source.contains("(?#") { return false }
        var depth = 0, index = 0
        while index < bytes.count {
            switch bytes[index] {
            case UInt8(ascii: "\\"):
                index += 2
                continue
            case UInt8(ascii: "["):
                // A class: `]` right after `[` or `[^` is a member; escapes and POSIX classes inside.
                index += 1
                if index < bytes.count && bytes[index] == UInt8(ascii: "^") { index += 1 }
                if index < bytes.count && bytes[index] == UInt8(ascii: "]") { index += 1 }
                while index < bytes.count && bytes[index] != UInt8(ascii: "]") {
                    if bytes[index] == UInt8(ascii: "\\") {
                        index += 2
                    } else if bytes[index] == UInt8(ascii: "["), index + 1 < bytes.count, bytes[index + 1] == UInt8(ascii: ":") {
                        guard let close = (index + 2..<max(index + 2, bytes.count - 1)).first(where: {
                            bytes[$0] == UInt8(ascii: ":") && bytes[$0 + 1] == UInt8(ascii: "]")
                        }) else { return false }
                        index = close + 2
                    } else {
                        index += 1
                    }
                }
                guard index < bytes.count else { return false }
            case UInt8(ascii: "("): depth += 1
            case UInt8(ascii: ")"):
                depth -= 1
                if depth < 0 { return false }
            case UInt8(ascii: "|"):
                if depth == 0 { return false }
            default: break
            }
            index += 1
        }
        return depth == 0
    }

    /// How many ASCII bytes the rest can start with (a filter letting most through is not worth asking).
    var asciiStartCount: Int { starts.0.nonzeroBitCount + starts.1.nonzeroBitCount }

    @inline(__always) private func isStart(_ byte: UInt8) -> Bool {
        let word = byte < 0x80 ? (byte < 0x40 ? starts.0 : starts.1) : (byte < 0xC0 ? starts.2 : starts.3)
        return (word >> UInt64(byte & 63)) & 1 != 0
    }

    /// False when the pattern cannot match in `range` of `bytes` (an empty range never matches in `ContextWindow`).
    func mayMatch(_ bytes: UnsafeBufferPointer<UInt8>, in range: Range<Int>) -> Bool {
        var index = range.lowerBound
        guard index < range.upperBound else { return false }
        if !skipsSpace { return isStart(bytes[index]) }
        while index < range.upperBound {
            let byte = bytes[index]
            if isStart(byte) || byte >= 0x80 { return true }
            guard byte == 0x20 || (byte >= 0x09 && byte <= 0x0D) else { return false }
            index += 1
        }
        return false
    }
}

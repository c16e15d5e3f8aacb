import ClinPipeText

/// Small windows of text around a mention, and pattern tests on them.
///
/// All positions are UTF-8 byte offsets into one text (the normalized layer). Window ends are moved onto
/// character boundaries, so every window is valid UTF-8 and can be matched with `PCRE2_NO_UTF_CHECK`. A pattern
/// matched on a window sees only the window: `^` and `\A` are the window's start, `$` its end.
struct ContextWindow {
    let bytes: UnsafeBufferPointer<UInt8>

    var count: Int { bytes.count }

    /// `position` moved forward to the start of a character.
    func alignForward(_ position: Int) -> Int {
        var p = max(0, min(position, count))
        while p < count && bytes[p] & 0xC0 == 0x80 { p += 1 }
        return p
    }

    /// `position` moved back to the start of a character.
    func alignBackward(_ position: Int) -> Int {
        var p = max(0, min(position, count))
        while p > 0 && p < count && bytes[p] & 0xC0 == 0x80 { p -= 1 }
        return p
    }

    /// The `length` bytes before `position` (fewer at the start of the text).
    func before(_ position: Int, length: Int) -> Range<Int> { alignForward(position - length)..<position }

    /// The `length` bytes after `position` (fewer at the end of the text).
    func after(_ position: Int, length: Int) -> Range<Int> { position..<max(position, alignBackward(position + length)) }

    /// Whether `byte` at `index` ends a clause: `;`, `!`, `?`, `:`, parentheses, a `.` followed by white space or
    /// the end of the text (not the point of `2.5` or `Dr.X`), and with `commas`, a comma.
    private func isClauseBreak(at index: Int, commas: Bool) -> Bool {
        switch bytes[index] {
        case UInt8(ascii: ";"), UInt8(ascii: "!"), UInt8(ascii: "?"), UInt8(ascii: ":"), UInt8(ascii: "("),
             UInt8(ascii: ")"):
            return true
        case UInt8(ascii: "."):
            return index + 1 >= count || ByteClass.isSpace(bytes[index + 1])
        case UInt8(ascii: ","):
            return commas
        default:
            return false
        }
    }

    /// The part of the clause before `position`, at most `length` bytes, not reaching back before `floor`.
    func clauseBefore(_ position: Int, length: Int, floor: Int, commas: Bool) -> Range<Int> {
        let limit = max(floor, position - length)
        var index = position - 1
        while index >= limit {
            if isClauseBreak(at: index, commas: commas) { return (index + 1)..<position }
            index -= 1
        }
        return alignForward(limit)..<position
    }

    /// The part of the clause after `position`, at most `length` bytes, not reaching past `ceiling`.
    func clauseAfter(_ position: Int, length: Int, ceiling: Int, commas: Bool) -> Range<Int> {
        let limit = min(ceiling, position + length, count)
        var index = position
        while index < limit {
            if isClauseBreak(at: index, commas: commas) { return position..<index }
            index += 1
        }
        return position..<max(position, alignBackward(limit))
    }

    /// Whether the text from the start of its line up to `position` is only spaces and tabs.
    func isAtLineStart(_ position: Int) -> Bool {
        var index = position - 1
        while index >= 0 {
            let byte = bytes[index]
            if byte == 0x0A || byte == 0x0D { return true }
            if byte != 0x20 && byte != 0x09 { return false }
            index -= 1
        }
        return true
    }

    /// The bytes of `range` as a buffer of their own.
    func slice(_ range: Range<Int>) -> UnsafeBufferPointer<UInt8> { UnsafeBufferPointer(rebasing: bytes[range]) }

    /// The first match of `pattern` in `range`, in offsets relative to `range.lowerBound`.
    func firstMatch(_ pattern: PCRE2Pattern, in range: Range<Int>) throws -> Range<Int>? {
        guard !range.isEmpty else { return nil }
        var found: Range<Int>?
        try pattern.forEachMatch(in: slice(range)) { match in
            found = match.range
            return false
        }
        return found
    }

    /// Whether `pattern` matches anywhere in `range`.
    func matches(_ pattern: PCRE2Pattern, in range: Range<Int>) throws -> Bool {
        try firstMatch(pattern, in: range) != nil
    }

    /// Whether `pattern` matches anywhere in `range`, asking `prefilter` first.
    func matches(_ pattern: PCRE2Pattern, _ prefilter: WindowPrefilter, in range: Range<Int>) throws -> Bool {
        guard prefilter.mayMatch(bytes, in: range) else { return false }
        return try firstMatch(pattern, in: range) != nil
    }

    /// Whether some match of `pattern` in `range` satisfies `accept` (given offsets relative to the range).
    func anyMatch(_ pattern: PCRE2Pattern, in range: Range<Int>, where accept: (Range<Int>) -> Bool) throws -> Bool {
        guard !range.isEmpty else { return false }
        var accepted = false
        try pattern.forEachMatch(in: slice(range)) { match in
            if accept(match.range) { accepted = true }
            return !accepted
        }
        return accepted
    }
}

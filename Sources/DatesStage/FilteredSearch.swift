import ClinPipeText

/// A PCRE2 pattern searched like `PCRE2Pattern.forEachMatch`, with the same matches and groups, but tried only at the
/// start positions its `AffixFilter` admits, each with an anchored (`\G`) copy of the pattern.
///
/// PCRE2's own search tries every start position in turn and, at each, every alternative of a long alternation
/// (the date rows, the role cues); the filter rules out nearly all positions by their first bytes (and the byte
/// before them) for a few table look-ups each. The positions left are tried in text order, so the first match
/// found from any offset is the one the plain search finds. A pattern the filter cannot read, or one that can match
/// the empty string, is searched the plain way.
///
/// Offsets are UTF-8 byte offsets into the subject.
struct FilteredSearch: Sendable {
    let pattern: PCRE2Pattern
    private let anchored: PCRE2Pattern?
    private let filter: AffixFilter?

    /// - Parameter caseless: whether `pattern` was compiled with `.caseless` (the filter must know).
    init(_ pattern: PCRE2Pattern, caseless: Bool = false) {
        self.pattern = pattern
        if let filter = AffixFilter(pattern.pattern, caseless: caseless, edge: .start),
           let anchored = try? PCRE2Pattern("\\G(?:" + pattern.pattern + ")", options: pattern.options, limits: pattern.limits),
           anchored.groupNumbers == pattern.groupNumbers, anchored.captureCount == pattern.captureCount
        {
            self.filter = filter
            self.anchored = anchored
        } else {
            self.filter = nil
            self.anchored = nil
        }
    }

    /// Whether the search runs on filtered start positions (for tests).
    var isFiltered: Bool { filter != nil }

    /// The matches of `pattern.forEachMatch(in:from:_:)`, in the same order, with the same groups.
    func forEachMatch(in subject: UnsafeBufferPointer<UInt8>, from start: Int = 0, _ body: (PCRE2Match) throws -> Bool)
        throws
    {
        guard let filter, let anchored else {
            try pattern.forEachMatch(in: subject, from: start, body)
            return
        }
        let count = subject.count
        var position = start
        // No match is empty (the filter would be nil), so every match starts before the subject's end.
        while position < count {
            if subject[position] & 0xC0 == 0x80 || !filter.admits(subject, at: position, limit: count) {
                position += 1
                continue
            }
            var matchEnd = -1
            var stop = false
            try anchored.forEachMatch(in: subject, from: position) { match in
                matchEnd = match.range.upperBound
                if try !body(match) { stop = true }
                return false
            }
            if stop { return }
            position = matchEnd > position ? matchEnd : position + 1
        }
    }

    /// The first match at or after `start`, handed to `body`; false when there is none.
    @discardableResult
    func firstMatch(in subject: UnsafeBufferPointer<UInt8>, from start: Int, _ body: (PCRE2Match) throws -> Void) throws
        -> Bool
    {
        var found = false
        try forEachMatch(in: subject, from: start) { match in
            found = true
            try body(match)
            return false
        }
        return found
    }
}

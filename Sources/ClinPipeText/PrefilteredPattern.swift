/// A PCRE2 pattern searched like `PCRE2Pattern.forEachMatch`, with the same matches, but tried only at the
/// positions where a match can start.
///
/// At construction a conservative analysis of the pattern's source (`PatternPlan`) looks for a *key*: one character
/// (or a `$`) that every match contains at a fixed place of the pattern's top-level sequence, the set of bytes the
/// part before the key can consume, its length bounds, what must hold at the match start (`^`, a lookbehind, the
/// first character's bytes) and the bytes that must follow the key. The search then scans the text for key bytes,
/// walks back over bytes the part before the key can consume, and runs the pattern, anchored with `\G`, only at the
/// start positions that pass every test. Each test is implied by the pattern, so no match is lost, and the start
/// positions are tried in text order, so the matches (and their groups) are those of the plain left-to-right
/// search. A pattern the analysis does not fully understand (backreferences, verbs, `\K`, `(?x)`, Unicode
/// properties, ...) is searched the plain way.
///
/// The tests read one 256-entry table per plan (one load per byte: prefix, key, start and follow sets, walk cost),
/// and several patterns searched over one text can share the positions of their keys (`PrefilterKeys`,
/// `forEachMatch(in:from:keys:_:)`) instead of each scanning the text for them.
public struct PrefilteredPattern: Sendable {
    public let pattern: PCRE2Pattern
    /// The plan and the anchored pattern, nil when the search is the plain one. A class, so that copying the
    /// pattern copies one reference.
    private let search: PrefilteredSearch?

    public init(_ source: String, options: PCRE2Pattern.Options = []) throws {
        let pattern = try PCRE2Pattern(source, options: options)
        self.init(pattern)
    }

    public init(_ pattern: PCRE2Pattern) {
        self.pattern = pattern
        // Extended syntax and Unicode classes are outside what the analysis reads.
        if pattern.options.isSubset(of: [.caseless, .multiline, .dotAll]),
           let plan = PatternPlan(pattern.pattern, caseless: pattern.options.contains(.caseless),
                                  multiline: pattern.options.contains(.multiline)),
           let anchored = try? PCRE2Pattern("\\G(?:" + pattern.pattern + ")", options: pattern.options, limits: pattern.limits),
           anchored.groupNumbers == pattern.groupNumbers, anchored.captureCount == pattern.captureCount
        {
            self.search = PrefilteredSearch(plan: plan, anchored: anchored)
        } else {
            self.search = nil
        }
    }

    /// Whether the search runs on filtered start positions (for tests).
    public var isPrefiltered: Bool { search != nil }

    public var groupNumbers: [String: Int] { pattern.groupNumbers }

    /// The matches of `pattern.forEachMatch(in:from:_:)`, in the same order, with the same groups.
    public func forEachMatch(in bytes: UnsafeBufferPointer<UInt8>, from start: Int = 0, _ body: (PCRE2Match) throws -> Bool) throws {
        guard let search, let text = bytes.baseAddress else {
            try pattern.forEachMatch(in: bytes, from: start, body)
            return
        }
        try search.forEachMatch(in: text, count: bytes.count, from: start, body)
    }

    /// The matches of `forEachMatch(in:from:_:)`, with the key positions taken from (or added to) `keys`, which
    /// must have been made for this `bytes`: several patterns with the same key, searched over one text, then scan
    /// it for their key once.
    public func forEachMatch(in bytes: UnsafeBufferPointer<UInt8>, from start: Int = 0, keys: inout PrefilterKeys,
                             _ body: (PCRE2Match) throws -> Bool) throws
    {
        guard let search, let text = bytes.baseAddress else {
            try pattern.forEachMatch(in: bytes, from: start, body)
            return
        }
        precondition(keys.text.baseAddress == text && keys.text.count == bytes.count, "PrefilterKeys made for another text")
        try keys.positions(of: search).withUnsafeBufferPointer { positions in
            try search.forEachMatch(in: text, count: bytes.count, from: start, keyPositions: positions, body)
        }
    }

    /// Whether the pattern matches anywhere in `bytes` (`PCRE2Pattern.matches`).
    public func matches(_ bytes: UnsafeBufferPointer<UInt8>) throws -> Bool {
        var found = false
        try forEachMatch(in: bytes) { _ in
            found = true
            return false
        }
        return found
    }
}

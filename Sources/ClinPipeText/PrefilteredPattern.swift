import CPCRE2
#if canImport(Glibc)
import Glibc
#endif

/// A set of byte values (256 bits).
struct ByteSet: Sendable, Hashable {
    private var w0: UInt64 = 0, w1: UInt64 = 0, w2: UInt64 = 0, w3: UInt64 = 0

    static let all: ByteSet = { var set = ByteSet(); set.insert(0...255); return set }()
    /// Every byte of a non-ASCII character (lead and continuation bytes).
    static let nonASCII: ByteSet = { var set = ByteSet(); set.insert(0x80...0xFF); return set }()

    @inline(__always) func contains(_ byte: UInt8) -> Bool {
        let word = byte < 0x80 ? (byte < 0x40 ? w0 : w1) : (byte < 0xC0 ? w2 : w3)
        return (word >> UInt64(byte & 63)) & 1 != 0
    }

    mutating func insert(_ byte: UInt8) {
        let bit = UInt64(1) << UInt64(byte & 63)
        switch byte >> 6 {
        case 0: w0 |= bit
        case 1: w1 |= bit
        case 2: w2 |= bit
        default: w3 |= bit
        }
    }

    mutating func insert(_ range: ClosedRange<Int>) { for byte in range { insert(UInt8(byte)) } }
    mutating func formUnion(_ other: ByteSet) {
        w0 |= other.w0; w1 |= other.w1; w2 |= other.w2; w3 |= other.w3
    }
    func union(_ other: ByteSet) -> ByteSet { var set = self; set.formUnion(other); return set }
    func intersection(_ other: ByteSet) -> ByteSet {
        var set = ByteSet()
        set.w0 = w0 & other.w0; set.w1 = w1 & other.w1; set.w2 = w2 & other.w2; set.w3 = w3 & other.w3
        return set
    }
    func inverted() -> ByteSet {
        var set = ByteSet()
        set.w0 = ~w0; set.w1 = ~w1; set.w2 = ~w2; set.w3 = ~w3
        return set
    }
    var isEmpty: Bool { w0 | w1 | w2 | w3 == 0 }
    /// The ASCII members as bits (byte b is bit b % 64 of word b / 64).
    var asciiBits: (UInt64, UInt64) { (w0, w1) }
    /// Whether every member is ASCII.
    var isASCII: Bool { w2 | w3 == 0 }
    /// The number of members.
    var count: Int { w0.nonzeroBitCount + w1.nonzeroBitCount + w2.nonzeroBitCount + w3.nonzeroBitCount }
    /// The members in ascending order.
    var members: [UInt8] {
        var result: [UInt8] = []
        result.reserveCapacity(count)
        for (word, base) in [(w0, 0), (w1, 64), (w2, 128), (w3, 192)] {
            var bits = word
            while bits != 0 {
                result.append(UInt8(base + bits.trailingZeroBitCount))
                bits &= bits - 1
            }
        }
        return result
    }
}

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

/// Where the keys of prefiltered patterns (`PrefilteredPattern`) stand in one text: found for each kind of key the
/// first time a pattern with that key asks, then shared by every pattern with the same key. Positions are UTF-8
/// byte offsets into the text; the struct holds the text's buffer, so it must not outlive it.
public struct PrefilterKeys {
    let text: UnsafeBufferPointer<UInt8>
    /// Per kind of key, its positions in ascending order (for a `$` key, ending with the text's end). A few kinds
    /// per text: searched in order, not hashed.
    private var found: [(kind: PatternPlan.KeyKind, positions: [Int])] = []

    public init(in text: UnsafeBufferPointer<UInt8>) {
        self.text = text
    }

    /// The positions where the key of `search.plan` can stand, in ascending order: every position
    /// `PatternPlan.nextKey` finds.
    mutating func positions(of search: PrefilteredSearch) -> [Int] {
        let kind = search.plan.keyKind
        for entry in found where entry.kind == kind { return entry.positions }
        var positions: [Int] = []
        positions.reserveCapacity(64)
        if let base = text.baseAddress {
            let count = text.count
            if let single = search.plan.keySingle {
                var from = 0
                while from < count, let hit = memchr(base + from, Int32(single), count - from) {
                    let key = UnsafeRawPointer(hit) - UnsafeRawPointer(base)
                    positions.append(key)
                    from = key + 1
                }
            } else {
                search.plan.table.withUnsafeBufferPointer { table in
                    var from = 0
                    while let key = search.plan.nextKey(in: base, count: count, from: from, table: table.baseAddress!) {
                        positions.append(key)
                        from = key + 1
                    }
                }
            }
        }
        found.append((kind, positions))
        return positions
    }
}

/// The search of a `PrefilteredPattern` with a plan: the plan, and the pattern anchored with `\G` that runs at each
/// start position the plan lets through.
final class PrefilteredSearch: Sendable {
    let plan: PatternPlan
    let anchored: PCRE2Pattern

    init(plan: PatternPlan, anchored: PCRE2Pattern) {
        self.plan = plan
        self.anchored = anchored
    }

    /// The search of `PrefilteredPattern.forEachMatch` over `text[0..<count]`.
    /// - Parameter keyPositions: every position where the key stands, ascending (`PrefilterKeys`); nil to scan.
    func forEachMatch(in text: UnsafePointer<UInt8>, count: Int, from start: Int, keyPositions: UnsafeBufferPointer<Int>? = nil,
                      _ body: (PCRE2Match) throws -> Bool) throws
    {
        try plan.table.withUnsafeBufferPointer { table in
            try plan.startTable.withUnsafeBufferPointer { startTable in
                try search(table.baseAddress!, startTable.isEmpty ? nil : startTable.baseAddress, keyPositions, text, count, start,
                           body)
            }
        }
    }

    /// - Parameter startTable: `plan.startTable`, nil when it is empty.
    private func search(_ table: UnsafePointer<UInt64>, _ startTable: UnsafePointer<UInt64>?, _ keyPositions: UnsafeBufferPointer<Int>?,
                        _ text: UnsafePointer<UInt8>, _ count: Int, _ start: Int, _ body: (PCRE2Match) throws -> Bool) throws
    {
        // One match data for the whole search, taken at the first start position that reaches PCRE2 (a callback
        // that runs other patterns takes the next nesting level); the anchored pattern runs straight through PCRE2.
        let limits = anchored.limits
        var scratch: PCRE2ThreadScratch?
        var matchData: OpaquePointer?
        defer { scratch?.leave() }
        let filterFirst = plan.startBytes != nil
        let atTextStart = plan.startsAtTextStart, atTextEnd = plan.startsAtTextEnd, textStartTerms = plan.textStartTerms
        let starts = plan.starts
        let lineStarts = plan.startsAtLineStarts
        var offset = start
        var scannedUpTo = start  // start positions below this one were tried or ruled out
        var previousKey = -1, previousRunStart = -1
        var keySearch = start
        // With known key positions: the index of the first one not yet passed.
        var cursor = keyPositions.map { positions in
            var low = 0, high = positions.count
            while low < high {
                let middle = (low + high) / 2
                if positions[middle] < start { low = middle + 1 } else { high = middle }
            }
            return low
        } ?? 0
        let startsAtKey = plan.prefixMaxBytes == 0 && plan.prefixMinChars == 0
        while offset <= count {
            // A match starting at or after `offset` has its key there too.
            let from = max(keySearch, offset)
            let key: Int
            if let keyPositions {
                while cursor < keyPositions.count && keyPositions[cursor] < from { cursor += 1 }
                guard cursor < keyPositions.count else { return }
                key = keyPositions[cursor]
            } else {
                guard let found = plan.nextKey(in: text, count: count, from: from, table: table) else { return }
                key = found
            }
            keySearch = key + 1
            if startsAtKey, let startTable {
                // The key's position is the only start: its start terms are the cheaper test, so they come first.
                let before = key == 0 ? atTextStart : startTable[Int(text[key &- 1])] & ~textStartTerms
                let first = key >= count ? atTextEnd : startTable[Int(text[key])]
                if before & (first >> 32) == 0 { continue }
            }
            guard plan.followsKey(in: text, count: count, key: key, table: table) else { continue }
            var s: Int, last: Int
            if startsAtKey {
                // Nothing comes before the key: the key's position is the only start (what the general case below
                // comes to, without the walk).
                s = key
                last = key
                scannedUpTo = key + 1
            } else {
                let runStart = plan.runStart(in: text, count: count, key: key, previousKey: previousKey,
                                             previousRunStart: previousRunStart, table: table)
                previousKey = key
                previousRunStart = runStart
                var lowest = max(scannedUpTo, offset)
                if let maxBytes = plan.prefixMaxBytes { lowest = max(lowest, key - maxBytes) }
                let highest = key - plan.prefixMinChars
                guard max(lowest, runStart) <= highest else { continue }
                scannedUpTo = highest + 1
                s = max(lowest, runStart)
                if plan.onlyRunStart && s != runStart { continue }
                // When only a run's first position can start a match, no other position of the run is worth a look.
                last = plan.onlyRunStart ? s : highest
            }
            while s <= last {
                if lineStarts {
                    // Only positions after a line break byte (or the text's start) can start a match.
                    while s <= last && s != 0 && !StartTerm.isLineBreak(text[s &- 1]) { s &+= 1 }
                    if s > last { break }
                }
                defer { s += 1 }
                if s < count {
                    let byte = text[s]
                    if byte & 0xC0 == 0x80 { continue }
                    if s != 0 && filterFirst && table[Int(byte)] & PatternPlan.startFlag == 0 { continue }
                }
                // One of the start terms holds at `s` (`PatternPlan.canStart`).
                if let startTable {
                    let before = s == 0 ? atTextStart : startTable[Int(text[s &- 1])] & ~textStartTerms
                    let first = s >= count ? atTextEnd : startTable[Int(text[s])]
                    if before & (first >> 32) == 0 { continue }
                } else if !PatternPlan.canStart(starts, in: text, count: count, at: s) {
                    continue
                }
                if scratch == nil {
                    scratch = PCRE2ThreadScratch.current(for: limits)
                    matchData = scratch!.enter()
                } else if scratch!.limits != limits {
                    // The callback ran a pattern with other limits on this thread's shared match context.
                    _ = PCRE2ThreadScratch.current(for: limits)
                }
                let rc = anchored.isJIT
                    ? pcre2_jit_match_8(anchored.code, text, count, s, 0, matchData, scratch!.matchContext)
                    : pcre2_match_8(anchored.code, text, count, s, UInt32(PCRE2_NO_UTF_CHECK), matchData, scratch!.matchContext)
                if rc == PCRE2_ERROR_NOMATCH { continue }
                if rc < 0 { throw PCRE2Error.fromMatch(rc) }
                let ovector = pcre2_get_ovector_pointer_8(matchData)!
                let matchBegin = ovector[0], matchEnd = ovector[1]
                let match = PCRE2Match(ovector: ovector, pairCount: anchored.captureCount + 1, groupNumbers: anchored.groupNumbers)
                guard try body(match) else { return }
                if matchEnd > matchBegin {
                    offset = matchEnd
                } else {
                    offset = matchEnd + 1
                    while offset < count && text[offset] & 0xC0 == 0x80 { offset += 1 }
                }
                if offset > count { return }
                s = offset - 1  // the defer moves on to `offset`
            }
        }
    }
}

/// What holds at a match's start position: every condition of the term (see `PatternPlan.starts`).
struct StartTerm: Sendable {
    /// The position is the text's start.
    var textStart = false
    /// The position is the text's start or follows a line break.
    var lineStart = false
    /// The byte before the position is in this set.
    var previous: ByteSet?
    /// The byte at the position is in this set.
    var first: ByteSet?

    func and(_ other: StartTerm) -> StartTerm {
        StartTerm(textStart: textStart || other.textStart, lineStart: lineStart || other.lineStart,
                  previous: Self.meet(previous, other.previous), first: Self.meet(first, other.first))
    }

    private static func meet(_ a: ByteSet?, _ b: ByteSet?) -> ByteSet? {
        guard let a else { return b }
        guard let b else { return a }
        return a.intersection(b)
    }

    /// `PatternPlan.lineBreakBytes` as a switch (no global to initialise-check on every call).
    @inline(__always) static func isLineBreak(_ byte: UInt8) -> Bool {
        switch byte {
        case 0x0A, 0x0B, 0x0C, 0x0D, 0x85, 0xA8, 0xA9: true
        default: false
        }
    }

    @inline(__always) func holds(in text: UnsafePointer<UInt8>, count: Int, at s: Int) -> Bool {
        if textStart && s != 0 { return false }
        if lineStart && s != 0 && !Self.isLineBreak(text[s - 1]) { return false }
        if let previous, s == 0 || !previous.contains(text[s - 1]) { return false }
        if let first, s >= count || !first.contains(text[s]) { return false }
        return true
    }
}

/// A conservative reading of a PCRE2 pattern (see `PrefilteredPattern`): facts that every match satisfies. The
/// parser knows literals, escapes of ASCII punctuation, `\s \S \d \D \w \W \h \t \n \r \f \xhh \x{h…}`, classes, `.`, groups
/// (capturing, named, non-capturing, with `i`, `m`, `s` option letters), lookarounds, `^ $ \A \z \Z \b \B`,
/// alternation and quantifiers; for anything else it gives up (the initializer returns nil). Sets are of bytes:
/// a character outside ASCII counts as all of 0x80-0xFF, and a caseless `k` or `s` also matches non-ASCII letters
/// (KELVIN SIGN, LONG S). Lengths are in characters (up to 4 UTF-8 bytes each).
struct PatternPlan: Sendable {
    /// What identifies a key for sharing its positions (`PrefilterKeys`): its bytes, and whether it is `$`.
    struct KeyKind: Hashable, Sendable {
        var bytes: ByteSet
        var isLineEnd: Bool
    }

    var keyKind: KeyKind { KeyKind(bytes: keyBytes, isLineEnd: isLineEnd) }

    enum Key: Sendable {
        /// A character from an ASCII set.
        case byte(ByteSet)
        /// `$`: a line end (before a line break byte) or the text's end.
        case lineEnd
    }

    enum FollowStep: Sendable {
        /// One byte of the set.
        case one(ByteSet)
        /// At least `min` bytes of the set, then (the next step's set being disjoint) anything else.
        case run(ByteSet, min: Int)
        /// The next byte is in the set; nothing is checked after it.
        case first(ByteSet)
    }

    /// A `FollowStep` without its set (which `table` holds).
    enum FollowKind: Sendable {
        case one
        case run(min: Int)
        case first
    }

    /// Bytes that may end a line for `^` and `$` under any newline convention (LF, CR, CRLF, ANY: also VT, FF,
    /// and the lead bytes of NEL U+0085, LS U+2028 and PS U+2029).
    static let lineBreakBytes: ByteSet = {
        var set = ByteSet()
        for byte: UInt8 in [0x0A, 0x0B, 0x0C, 0x0D, 0x85, 0xA8, 0xA9] { set.insert(byte) }
        return set
    }()
    /// Bytes at which `$` may hold (before a line break).
    static let lineEndBytes: ByteSet = {
        var set = ByteSet()
        for byte: UInt8 in [0x0A, 0x0B, 0x0C, 0x0D, 0xC2, 0xE2] { set.insert(byte) }
        return set
    }()

    let key: Key
    /// The bytes at which the key can stand; the one byte, if only one; whether the key is `$`.
    let keyBytes: ByteSet
    let keySingle: UInt8?
    /// The lower-case letter, when the key is one ASCII letter in either case.
    let keyCasePair: UInt8?
    let isLineEnd: Bool
    /// Every byte that the part of the pattern before the key can consume.
    let prefixBytes: ByteSet
    /// The fewest characters (so at least as many bytes) the part before the key consumes.
    let prefixMinChars: Int
    /// The most bytes the part before the key consumes, or nil when unbounded.
    let prefixMaxBytes: Int?
    /// At a match start, one of these terms holds.
    let starts: [StartTerm]
    /// `starts` as bits, when there are at most 32 terms: per byte value, bit `k` is set when the byte may stand
    /// before a start of term `k` (its `previous` set and, for `lineStart`, a line break byte), and bit `32 + k`
    /// when it may be the first byte of one (its `first` set); empty when there are more terms.
    let startTable: [UInt64]
    /// The bits of `startTable`'s entries that hold for the terms at the text's start (no byte before) and at its
    /// end (no first byte); the terms whose start must be the text's start.
    let startsAtTextStart: UInt64, startsAtTextEnd: UInt64, textStartTerms: UInt64
    /// What follows the key byte.
    let follow: [FollowStep]
    /// The kinds of the first `maxFollowSteps` follow steps, whose sets are bits of `table` (fewer checks only let
    /// more keys through, never fewer).
    let followKinds: [FollowKind]
    /// Per byte value, the sets of the plan it belongs to (see `makeTable`).
    let table: [UInt64]
    /// The bytes the unbounded elements before the key consume; the others consume at most `prefixBound` bytes.
    let prefixUnboundedBytes: ByteSet
    let prefixBound: Int
    /// Every byte before the key is consumed by an unbounded element: the run back from a key is all of
    /// `prefixBytes`, whatever its length.
    let runIsUnbounded: Bool
    /// The one byte outside `prefixBytes`, when all others are in it (`[^\n]*` before the key): an unbounded
    /// walk is then a search for that byte.
    let prefixStop: UInt8?
    /// Every start term needs the position to follow a line break byte or to be the text's start: only such
    /// positions are worth a look.
    let startsAtLineStarts: Bool
    /// Only the first position of the run before a key can start a match (see the initializer).
    let onlyRunStart: Bool
    /// The bytes a match can start with, except at the text's start; nil when not known.
    let startBytes: ByteSet?

    init?(_ source: String, caseless: Bool, multiline: Bool) {
        var parser = RegexParser(Array(source.utf8), caseless: caseless, multiline: multiline)
        guard let root = parser.parsePattern() else { return nil }
        let elements = Self.flatten(root)
        // The key: a single character from a small ASCII set, or `$`, at the top level; the rarest one.
        var best: (index: Int, score: Double)?
        for (index, element) in elements.enumerated() {
            var score: Double
            switch element {
            case .chars(let set):
                guard set.isASCII, set.count <= 2 else { continue }
                score = set.members.reduce(0) { $0 + Self.frequency($1) }
            case .lineEnd:
                score = 3
            default:
                continue
            }
            // Fewer candidate starts when the part before the key is short and narrow.
            let before = Self.prefix(elements[..<index])
            score *= 1 + Double(min(before.bound, 100)) / 10
            if before.unbounded.count > 16 { score *= 10 }
            if best == nil || score < best!.score { best = (index, score) }
        }
        guard let best else { return nil }
        let prefix = Self.prefix(elements[..<best.index])
        // The walk's budget must stay below the cost of a byte outside the prefix (see `makeTable`).
        guard prefix.bound < Int(Self.walkStop) else { return nil }
        if case .chars(let set) = elements[best.index] {
            key = .byte(set)
            keyBytes = set
            let members = set.members
            keySingle = members.count == 1 ? members[0] : nil
            keyCasePair = members.count == 2 && members[0] >= 0x41 && members[0] <= 0x5A && members[1] == members[0] | 0x20
                ? members[1] : nil
            isLineEnd = false
            follow = Self.followSteps(elements[(best.index + 1)...])
        } else {
            key = .lineEnd
            keyBytes = Self.lineEndBytes
            keySingle = nil
            keyCasePair = nil
            isLineEnd = true
            follow = []
        }
        prefixBytes = prefix.bytes
        prefixMinChars = prefix.minChars
        prefixMaxBytes = prefix.maxBytes
        prefixUnboundedBytes = prefix.unbounded
        prefixBound = prefix.bound
        runIsUnbounded = prefix.bytes.intersection(prefix.unbounded.inverted()).isEmpty
        let outside = prefix.bytes.inverted().members
        prefixStop = outside.count == 1 ? outside[0] : nil
        let starts = Self.starts(elements[...])
        self.starts = starts
        // When no byte the part before the key consumes can satisfy a term's condition on the byte before the
        // start, only the first position of the run can be a start.
        onlyRunStart = starts.allSatisfy { term in
            if term.textStart { return true }
            if let previous = term.previous, previous.intersection(prefix.bytes).isEmpty { return true }
            return term.lineStart && Self.lineBreakBytes.intersection(prefix.bytes).isEmpty
        }
        var firstBytes: ByteSet? = ByteSet()
        for term in starts {
            if let first = term.first, !term.textStart { firstBytes?.formUnion(first) } else if !term.textStart { firstBytes = nil }
        }
        startBytes = firstBytes
        startsAtLineStarts = starts.allSatisfy { $0.lineStart || $0.textStart }
        (startTable, startsAtTextStart, startsAtTextEnd, textStartTerms) = Self.makeStartTable(starts)
        let checked = Array(follow.prefix(Self.maxFollowSteps))
        followKinds = checked.map { step in
            switch step {
            case .one: .one
            case .run(_, let min): .run(min: min)
            case .first: .first
            }
        }
        table = Self.makeTable(prefix: prefix.bytes, unbounded: prefix.unbounded, key: keyBytes, start: firstBytes, follow: checked)
    }

    /// The part of the top-level sequence before the key: the bytes it consumes, its fewest characters, its most
    /// bytes (nil when unbounded), the bytes its unbounded elements consume, and the most bytes outside those.
    private static func prefix(_ elements: ArraySlice<RegexNode>)
        -> (bytes: ByteSet, minChars: Int, maxBytes: Int?, unbounded: ByteSet, bound: Int)
    {
        var bytes = ByteSet(), unbounded = ByteSet()
        var minChars = 0, bound = 0
        var maxBytes: Int? = 0
        for node in elements {
            let nodeBytes = node.bytes
            bytes.formUnion(nodeBytes)
            minChars += node.minLength
            if let length = node.maxLength {
                let most = length * (nodeBytes.isASCII ? 1 : 4)
                bound += most
                maxBytes = maxBytes.map { $0 + most }
            } else {
                unbounded.formUnion(nodeBytes)
                maxBytes = nil
            }
        }
        return (bytes, minChars, maxBytes, unbounded, bound)
    }

    /// The top-level sequence, with single-branch groups that are not repeated opened up.
    private static func flatten(_ node: RegexNode) -> [RegexNode] {
        switch node {
        case .sequence(let items): return items.flatMap(flatten)
        case .alternation(let branches) where branches.count == 1: return flatten(branches[0])
        default: return [node]
        }
    }

    /// Rough frequency (per cent) of a byte in clinical English text, to pick a rare key.
    private static func frequency(_ byte: UInt8) -> Double {
        let letters: [Double] = [8.2, 1.5, 2.8, 4.3, 12.7, 2.2, 2.0, 6.1, 7.0, 0.15, 0.8, 4.0, 2.4, 6.7, 7.5, 1.9, 0.1, 6.0,
                                 6.3, 9.1, 2.8, 1.0, 2.4, 0.15, 2.0, 0.07]
        switch byte {
        case 0x61...0x7A: return letters[Int(byte - 0x61)]
        case 0x41...0x5A: return letters[Int(byte - 0x41)] * 0.15
        case 0x20: return 15
        case 0x30...0x39: return 0.5
        case 0x2E, 0x2C: return 1
        default: return 0.2
        }
    }

    /// Conditions at the start of a match of `elements` (one of the terms holds).
    static func starts(_ elements: ArraySlice<RegexNode>) -> [StartTerm] {
        guard let node = elements.first else { return [StartTerm()] }
        let rest = elements.dropFirst()
        switch node {
        case .lineStart: return starts(rest).map { $0.and(StartTerm(lineStart: true)) }
        case .textStart: return starts(rest).map { $0.and(StartTerm(textStart: true)) }
        case .lookbehind(let inner, false):
            if case .chars(let set) = inner { return starts(rest).map { $0.and(StartTerm(previous: set)) } }
            return starts(rest)
        case .lookbehind, .lookahead, .lineEnd, .otherAssertion:
            return starts(rest)
        case .alternation(let branches):
            // A branch of assertions only (`^` in `(?:^|,)`) holds together with what follows the group.
            var terms: [StartTerm] = []
            var restTerms: [StartTerm]?
            for branch in branches {
                if branch.minLength >= 1 {
                    terms += firstTerms(branch)
                } else if branch.maxLength == 0 {
                    if restTerms == nil { restTerms = starts(rest) }
                    for own in firstTerms(branch) { terms += restTerms!.map { $0.and(own) } }
                } else {
                    if restTerms == nil { restTerms = starts(rest) }
                    terms += firstTerms(branch) + restTerms!
                }
            }
            return terms
        default:
            let own = firstTerms(node)
            return node.minLength >= 1 ? own : own + starts(rest)
        }
    }

    /// Conditions at the start of a non-empty match of `node`.
    private static func firstTerms(_ node: RegexNode) -> [StartTerm] {
        switch node {
        case .chars(let set): return [StartTerm(first: set)]
        case .repeated(let inner, _, _): return firstTerms(inner)
        case .sequence(let items): return starts(items[...])
        case .alternation(let branches): return branches.flatMap(firstTerms)
        default: return [StartTerm()]
        }
    }

    /// Checks on the bytes after the key, as far as they are simple.
    private static func followSteps(_ elements: ArraySlice<RegexNode>) -> [FollowStep] {
        var steps: [FollowStep] = []
        var items = Array(elements.filter { !$0.isZeroWidth })
        while let node = items.first {
            items.removeFirst()
            switch node {
            case .chars(let set) where set.isASCII:
                steps.append(.one(set))
                continue
            case .repeated(.chars(let set), let min, nil) where set.isASCII:
                guard let next = items.first, next.minLength >= 1,
                      let nextFirst = firstSet(next), nextFirst.intersection(set).isEmpty else { return steps }
                steps.append(.run(set, min: min))
                continue
            default:
                if node.minLength >= 1, let set = firstSet(node) { steps.append(.first(set)) }
                return steps
            }
        }
        return steps
    }

    /// The bytes a non-empty match of `node` can start with, if every start term names them.
    private static func firstSet(_ node: RegexNode) -> ByteSet? {
        var set = ByteSet()
        for term in firstTerms(node) {
            guard let first = term.first else { return nil }
            set.formUnion(first)
        }
        return set
    }

    /// Bits of `table`'s entries: the byte is in `prefixBytes`, in `prefixUnboundedBytes`, in `keyBytes`, in
    /// `startBytes`; bit `followShift + k` is set when it is in the set of follow step `k`; the bits from
    /// `walkShift` up hold what the byte costs the walk of `runStart`: 0 for an unbounded prefix byte, 1 for another
    /// prefix byte, `walkStop` (more than any budget) for a byte outside `prefixBytes`.
    static let prefixFlag: UInt64 = 1, unboundedFlag: UInt64 = 2, keyFlag: UInt64 = 4, startFlag: UInt64 = 8
    static let followShift = 8, walkShift = 32
    static let walkStop: UInt64 = 1 << 30
    /// The most follow steps checked (one bit each in `table`'s entries).
    static let maxFollowSteps = walkShift - followShift

    /// Per byte value (256 entries), the sets it belongs to, as the bits above: one load per byte in the loops.
    static func makeTable(prefix: ByteSet, unbounded: ByteSet, key: ByteSet, start: ByteSet?, follow: [FollowStep]) -> [UInt64] {
        (0...255).map { value in
            let byte = UInt8(value)
            var entry: UInt64 = 0
            if prefix.contains(byte) { entry |= prefixFlag }
            if unbounded.contains(byte) { entry |= unboundedFlag }
            if key.contains(byte) { entry |= keyFlag }
            if let start, start.contains(byte) { entry |= startFlag }
            for (k, step) in follow.enumerated() {
                switch step {
                case .one(let set), .run(let set, _), .first(let set):
                    if set.contains(byte) { entry |= 1 << UInt64(followShift + k) }
                }
            }
            let cost: UInt64 = !prefix.contains(byte) ? walkStop : unbounded.contains(byte) ? 0 : 1
            return entry | cost << UInt64(walkShift)
        }
    }

    /// The next position at or after `from` where the key can stand (`text` holds `count` bytes).
    @inline(__always) func nextKey(in text: UnsafePointer<UInt8>, count: Int, from: Int, table: UnsafePointer<UInt64>) -> Int? {
        guard from <= count else { return nil }
        if let single = keySingle {
            guard from < count, let found = memchr(text + from, Int32(single), count - from) else { return nil }
            return UnsafeRawPointer(found) - UnsafeRawPointer(text)
        }
        let raw = UnsafeRawPointer(text)
        let ones: UInt64 = 0x0101_0101_0101_0101, highs: UInt64 = 0x8080_8080_8080_8080
        var i = from
        if let lower = keyCasePair {
            // Sixteen bytes at a time: `x` (a word with bit 0x20 set in each byte, XOR the lower-case letter) has a
            // zero byte where the word has the letter; a zero byte borrows in `x - ones` and sets its high bit, which
            // `~x` keeps only where `x` had none. The lowest marked byte is the first zero (a borrow marks only bytes
            // above one).
            let pattern = ones &* UInt64(lower), caseBits = ones &* 0x20
            while i &+ 16 <= count {
                let a = (raw.loadUnaligned(fromByteOffset: i, as: UInt64.self) | caseBits) ^ pattern
                let b = (raw.loadUnaligned(fromByteOffset: i &+ 8, as: UInt64.self) | caseBits) ^ pattern
                let marksA = (a &- ones) & ~a & highs, marksB = (b &- ones) & ~b & highs
                if marksA != 0 { return i &+ marksA.trailingZeroBitCount &>> 3 }
                if marksB != 0 { return i &+ 8 &+ marksB.trailingZeroBitCount &>> 3 }
                i &+= 16
            }
            while i < count {
                if text[i] | 0x20 == lower { return i }
                i += 1
            }
            return nil
        }
        if isLineEnd {
            // Sixteen bytes at a time. A word's bytes below 0x0E or above 0x7F (every line end byte is one) get their
            // high bit in `(w - 0x0E..) | w`: a byte below 0x0E borrows, a byte above 0x7F has it. Bytes above such a
            // byte may get it from the borrow alone, so each marked byte is checked, lowest address first.
            let low = ones &* 0x0E
            while i &+ 16 <= count {
                let a = raw.loadUnaligned(fromByteOffset: i, as: UInt64.self)
                let b = raw.loadUnaligned(fromByteOffset: i &+ 8, as: UInt64.self)
                var marksA = ((a &- low) | a) & highs, marksB = ((b &- low) | b) & highs
                if marksA | marksB != 0 {
                    while marksA != 0 {
                        let j = i &+ marksA.trailingZeroBitCount &>> 3
                        if table[Int(text[j])] & Self.keyFlag != 0 { return j }
                        marksA &= marksA &- 1
                    }
                    while marksB != 0 {
                        let j = i &+ 8 &+ marksB.trailingZeroBitCount &>> 3
                        if table[Int(text[j])] & Self.keyFlag != 0 { return j }
                        marksB &= marksB &- 1
                    }
                }
                i &+= 16
            }
            while i < count {
                if table[Int(text[i])] & Self.keyFlag != 0 { return i }
                i += 1
            }
            return count  // the text's end is a line end
        }
        while i < count {
            if table[Int(text[i])] & Self.keyFlag != 0 { return i }
            i += 1
        }
        return nil
    }

    /// The first position of the run of bytes before `key` that the part of the pattern before the key can
    /// consume: bytes of `prefixBytes`, of which at most `prefixBound` outside `prefixUnboundedBytes`. When every
    /// such byte is unbounded, a run that reaches the previous key (whose run started at `previousRunStart`)
    /// continues with it.
    @inline(__always) func runStart(in text: UnsafePointer<UInt8>, count: Int, key: Int, previousKey: Int, previousRunStart: Int,
                                    table: UnsafePointer<UInt64>) -> Int
    {
        var i = key
        if runIsUnbounded {
            let floor = previousKey >= 0 ? previousKey + 1 : 0
            if let stop = prefixStop {
                // Eight bytes at a time while none is the stop byte (`x` has a zero byte where the word has it: a
                // zero byte borrows in `x - ones` and sets its high bit, which `~x` keeps only where `x` had none).
                let raw = UnsafeRawPointer(text)
                let ones: UInt64 = 0x0101_0101_0101_0101
                let pattern = ones &* UInt64(stop)
                while i &- 8 >= floor {
                    let x = raw.loadUnaligned(fromByteOffset: i &- 8, as: UInt64.self) ^ pattern
                    if (x &- ones) & ~x & (ones &* 0x80) != 0 { break }
                    i &-= 8
                }
            }
            while i > floor && table[Int(text[i - 1])] & Self.prefixFlag != 0 { i -= 1 }
            if i == floor && previousKey >= 0 && previousKey < count && table[Int(text[previousKey])] & Self.prefixFlag != 0 {
                return previousRunStart
            }
            return i
        }
        // Each byte costs the budget its walk cost; a byte outside the prefix costs more than any budget. Two
        // bytes a step; when the pair overdraws, the first of them decides whether the walk takes one more byte.
        var budget = prefixBound
        while i >= 2 {
            let near = Int(truncatingIfNeeded: table[Int(text[i &- 1])] >> UInt64(Self.walkShift))
            let far = Int(truncatingIfNeeded: table[Int(text[i &- 2])] >> UInt64(Self.walkShift))
            budget &-= near &+ far
            if budget < 0 { return budget &+ far >= 0 ? i &- 1 : i }
            i &-= 2
        }
        if i == 1 && budget &- Int(truncatingIfNeeded: table[Int(text[0])] >> UInt64(Self.walkShift)) >= 0 { i = 0 }
        return i
    }

    /// Whether the bytes after the key at `key` pass the follow steps.
    @inline(__always) func followsKey(in text: UnsafePointer<UInt8>, count: Int, key: Int, table: UnsafePointer<UInt64>) -> Bool {
        var p = key + 1
        var bit: UInt64 = 1 << UInt64(Self.followShift)
        for step in followKinds {
            switch step {
            case .one:
                guard p < count, table[Int(text[p])] & bit != 0 else { return false }
                p += 1
            case .run(let min):
                var run = 0
                while p < count && table[Int(text[p])] & bit != 0 { p += 1; run += 1 }
                guard run >= min else { return false }
            case .first:
                return p < count && table[Int(text[p])] & bit != 0
            }
            bit <<= 1
        }
        return true
    }

    /// `startTable` and its masks for `terms` (see `startTable`).
    private static func makeStartTable(_ terms: [StartTerm]) -> (table: [UInt64], atTextStart: UInt64, atTextEnd: UInt64, textStart: UInt64) {
        guard terms.count <= 32 else { return ([], 0, 0, 0) }
        var table = [UInt64](repeating: 0, count: 256)
        var atTextStart: UInt64 = 0, atTextEnd: UInt64 = 0, textStart: UInt64 = 0
        for (k, term) in terms.enumerated() {
            let before = UInt64(1) << UInt64(k), first = UInt64(1) << UInt64(32 + k)
            if term.textStart { textStart |= before }
            if term.previous == nil { atTextStart |= before }
            if term.first == nil { atTextEnd |= first }
            for value in 0...255 {
                let byte = UInt8(value)
                if (term.previous?.contains(byte) ?? true) && (!term.lineStart || StartTerm.isLineBreak(byte)) { table[value] |= before }
                if term.first?.contains(byte) ?? true { table[value] |= first }
            }
        }
        return (table, atTextStart, atTextEnd, textStart)
    }

    /// Whether one of the start terms `starts` holds at `s` (`StartTerm.holds`); the search reads `startTable`
    /// instead when the plan has one.
    static func canStart(_ starts: [StartTerm], in text: UnsafePointer<UInt8>, count: Int, at s: Int) -> Bool {
        for index in starts.indices where starts[index].holds(in: text, count: count, at: s) { return true }
        return false
    }
}

/// A pattern as `PatternPlan` reads it. Lengths are in characters.
indirect enum RegexNode: Sendable {
    /// One character whose UTF-8 bytes are all in the set.
    case chars(ByteSet)
    case sequence([RegexNode])
    case alternation([RegexNode])
    case repeated(RegexNode, min: Int, max: Int?)
    case lineStart
    case textStart
    /// `$`.
    case lineEnd
    /// `\z`, `\Z`, `\b`, `\B`.
    case otherAssertion
    case lookahead(RegexNode)
    case lookbehind(RegexNode, negative: Bool)

    var isZeroWidth: Bool {
        switch self {
        case .lineStart, .textStart, .lineEnd, .otherAssertion, .lookahead, .lookbehind: true
        default: false
        }
    }

    var minLength: Int {
        switch self {
        case .chars: 1
        case .sequence(let items): items.reduce(0) { $0 + $1.minLength }
        case .alternation(let branches): branches.map(\.minLength).min() ?? 0
        case .repeated(let inner, let min, _): min * inner.minLength
        default: 0
        }
    }

    var maxLength: Int? {
        switch self {
        case .chars: return 1
        case .sequence(let items):
            var total = 0
            for item in items {
                guard let length = item.maxLength else { return nil }
                total += length
            }
            return total
        case .alternation(let branches):
            var longest = 0
            for branch in branches {
                guard let length = branch.maxLength else { return nil }
                longest = max(longest, length)
            }
            return longest
        case .repeated(let inner, _, let max):
            guard let length = inner.maxLength else { return max == 0 ? 0 : nil }
            if length == 0 { return 0 }
            return max.map { $0 * length }
        default: return 0
        }
    }

    /// Every byte a match of the node can consume.
    var bytes: ByteSet {
        switch self {
        case .chars(let set): return set
        case .sequence(let items), .alternation(let items):
            var set = ByteSet()
            for item in items { set.formUnion(item.bytes) }
            return set
        case .repeated(let inner, _, let max): return max == 0 ? ByteSet() : inner.bytes
        default: return ByteSet()
        }
    }
}

/// Parses the subset of PCRE2 syntax that `PatternPlan` understands; nil for anything else.
struct RegexParser {
    private let source: [UInt8]
    private var position = 0
    private var caseless: Bool
    private var multiline: Bool

    /// Reads atomic groups `(?>…)` as plain groups, back references `\k<name>` as any text and `\G` as an
    /// assertion: a superset of the matches, which is enough for necessary conditions (`AffixFilter`), not for
    /// `PatternPlan`.
    private let lenient: Bool

    init(_ source: [UInt8], caseless: Bool, multiline: Bool, lenient: Bool = false) {
        self.source = source
        self.caseless = caseless
        self.multiline = multiline
        self.lenient = lenient
    }

    mutating func parsePattern() -> RegexNode? {
        guard let node = parseAlternation(), position == source.count else { return nil }
        return node
    }

    private var current: UInt8? { position < source.count ? source[position] : nil }

    /// Branches up to a `)` (not consumed) or the end. Option settings such as `(?i)` last to the group's end.
    private mutating func parseAlternation() -> RegexNode? {
        let savedCaseless = caseless, savedMultiline = multiline
        defer { caseless = savedCaseless; multiline = savedMultiline }
        var branches: [RegexNode] = []
        var items: [RegexNode] = []
        while let byte = current, byte != 0x29 {
            if byte == 0x7C {  // |
                position += 1
                branches.append(.sequence(items))
                items = []
                continue
            }
            guard let atom = parseAtom() else { return nil }
            guard let quantified = parseQuantifier(atom) else { return nil }
            if case .sequence(let inner) = quantified, inner.isEmpty { continue }  // an option setting
            items.append(quantified)
        }
        branches.append(.sequence(items))
        return .alternation(branches)
    }

    private mutating func parseQuantifier(_ atom: RegexNode) -> RegexNode? {
        guard let byte = current else { return atom }
        var min = 0, max: Int? = nil
        switch byte {
        case 0x2A: position += 1  // *
        case 0x2B: position += 1; min = 1  // +
        case 0x3F: position += 1; max = 1  // ?
        case 0x7B:  // {n}, {n,}, {n,m}; anything else is a literal brace
            guard let (low, high, end) = braceQuantifier() else { return atom }
            position = end
            min = low
            max = high
        default: return atom
        }
        if let next = current, next == 0x3F || next == 0x2B { position += 1 }  // lazy or possessive
        return .repeated(atom, min: min, max: max)
    }

    private func braceQuantifier() -> (Int, Int?, Int)? {
        var i = position + 1
        func number() -> Int? {
            let start = i
            while i < source.count, ByteClass.isDigit(source[i]), i - start < 6 { i += 1 }
            guard i > start else { return nil }
            return Int(String(decoding: source[start..<i], as: UTF8.self))
        }
        guard let low = number() else { return nil }
        var high: Int? = low
        if i < source.count && source[i] == 0x2C {
            i += 1
            high = nil
            if i < source.count && ByteClass.isDigit(source[i]) { high = number() }
        }
        guard i < source.count, source[i] == 0x7D else { return nil }
        return (low, high, i + 1)
    }

    private mutating func parseAtom() -> RegexNode? {
        guard let byte = current else { return nil }
        switch byte {
        case 0x28: return parseGroup()
        case 0x5B: return parseClass()
        case 0x2E: position += 1; return .chars(.all)
        case 0x5E: position += 1; return multiline ? .lineStart : .textStart
        case 0x24: position += 1; return .lineEnd
        case 0x5C: return parseEscape()
        case 0x2A, 0x2B, 0x3F, 0x29: return nil
        default:
            if byte >= 0x80 {
                // A non-ASCII literal: its bytes; caseless, it may match ASCII letters too.
                position += 1
                while let next = current, next & 0xC0 == 0x80 { position += 1 }
                return .chars(caseless ? Self.caseClosure(.nonASCII) : .nonASCII)
            }
            position += 1
            return .chars(literal(byte))
        }
    }

    private func literal(_ byte: UInt8) -> ByteSet {
        var set = ByteSet()
        set.insert(byte)
        return caseless ? Self.caseClosure(set) : set
    }

    /// Adds the other case of every ASCII letter, and non-ASCII bytes for `k` and `s` (KELVIN SIGN, LONG S).
    static func caseClosure(_ set: ByteSet) -> ByteSet {
        var closed = set
        for upper in UInt8(0x41)...UInt8(0x5A) where set.contains(upper) || set.contains(upper | 0x20) {
            closed.insert(upper)
            closed.insert(upper | 0x20)
            if upper == 0x4B || upper == 0x53 { closed.formUnion(.nonASCII) }
        }
        // A non-ASCII member may fold to an ASCII letter (KELVIN SIGN to k).
        if !set.isASCII { closed.insert(0x41...0x5A); closed.insert(0x61...0x7A) }
        return closed
    }

    private mutating func parseGroup() -> RegexNode? {
        position += 1  // (
        enum Kind { case plain, lookahead, lookbehind(negative: Bool) }
        var kind = Kind.plain
        var scoped: (caseless: Bool, multiline: Bool)?
        if current == 0x3F {  // ?
            position += 1
            guard let byte = current else { return nil }
            switch byte {
            case 0x3A: position += 1  // (?:
            case 0x3E where lenient: position += 1  // (?> read as (?:
            case 0x3D, 0x21: position += 1; kind = .lookahead  // (?= (?!
            case 0x3C:  // (?<= (?<! (?<name>
                position += 1
                if current == 0x3D || current == 0x21 {
                    kind = .lookbehind(negative: current == 0x21)
                    position += 1
                } else {
                    guard skipName(until: 0x3E) else { return nil }
                }
            case 0x27: position += 1; guard skipName(until: 0x27) else { return nil }  // (?'name'
            case 0x50:  // (?P<name>
                position += 1
                guard current == 0x3C else { return nil }
                position += 1
                guard skipName(until: 0x3E) else { return nil }
            default:
                // Option letters: (?i) (?-i) (?m) (?s) ... or (?i: ...)
                var on = true
                var newCaseless = caseless, newMultiline = multiline
                while let letter = current, letter != 0x29 && letter != 0x3A {
                    switch letter {
                    case 0x2D: on = false
                    case 0x69: newCaseless = on
                    case 0x6D: newMultiline = on
                    case 0x73: break
                    default: return nil
                    }
                    position += 1
                }
                guard let end = current else { return nil }
                position += 1
                if end == 0x29 {  // applies to the rest of the enclosing group
                    caseless = newCaseless
                    multiline = newMultiline
                    return .sequence([])
                }
                scoped = (caseless, multiline)
                caseless = newCaseless
                multiline = newMultiline
            }
        } else if current == 0x2A {  // (*VERB)
            return nil
        }
        let inner = parseAlternation()
        if let scoped { caseless = scoped.caseless; multiline = scoped.multiline }
        guard let inner, current == 0x29 else { return nil }
        position += 1
        switch kind {
        case .plain: return inner
        case .lookahead: return .lookahead(inner)
        case .lookbehind(let negative):
            if case .alternation(let branches) = inner, branches.count == 1, case .sequence(let items) = branches[0],
               items.count == 1, case .chars = items[0]
            {
                return .lookbehind(items[0], negative: negative)
            }
            return .lookbehind(inner, negative: negative)
        }
    }

    private mutating func skipName(until terminator: UInt8) -> Bool {
        let start = position
        while let byte = current, byte != terminator {
            guard ByteClass.isWord(byte) || byte == 0x5F, byte < 0x80 else { return false }
            position += 1
        }
        guard current == terminator, position > start else { return false }
        position += 1
        return true
    }

    private static let space: ByteSet = { var set = ByteSet(); for byte: UInt8 in [0x09, 0x0A, 0x0B, 0x0C, 0x0D, 0x20] { set.insert(byte) }; return set }()
    private static let digit: ByteSet = { var set = ByteSet(); set.insert(0x30...0x39); return set }()
    private static let word: ByteSet = {
        var set = ByteSet(); set.insert(0x30...0x39); set.insert(0x41...0x5A); set.insert(0x61...0x7A); set.insert(0x5F); return set
    }()

    /// The set of a class escape (`\s`, `\d`, ...) or a character escape (`\t`, `\.`), or nil.
    private static func escapeSet(_ letter: UInt8) -> ByteSet? {
        var single = ByteSet()
        switch letter {
        case 0x73: return space  // \s
        case 0x53: return space.inverted().union(.nonASCII)  // \S
        case 0x64: return digit
        case 0x44: return digit.inverted().union(.nonASCII)
        case 0x77: return word
        case 0x57: return word.inverted().union(.nonASCII)
        case 0x68: var set = ByteSet.nonASCII; set.insert(0x09); set.insert(0x20); return set  // \h
        case 0x48: return .all
        case 0x74: single.insert(0x09)
        case 0x6E: single.insert(0x0A)
        case 0x72: single.insert(0x0D)
        case 0x66: single.insert(0x0C)
        case 0x65: single.insert(0x1B)
        case 0x61: single.insert(0x07)
        default:
            // An escaped ASCII punctuation character is itself; escaped letters and digits mean other things.
            guard letter < 0x80, !ByteClass.isWord(letter), letter > 0x20 else { return nil }
            single.insert(letter)
        }
        return single
    }

    private mutating func parseEscape() -> RegexNode? {
        position += 1
        guard let letter = current else { return nil }
        position += 1
        switch letter {
        case 0x41: return .textStart  // \A
        case 0x7A, 0x5A, 0x62, 0x42: return .otherAssertion  // \z \Z \b \B
        case 0x47 where lenient: return .otherAssertion  // \G
        case 0x6B where lenient:  // \k<name>: the text of a group, any text here
            guard current == 0x3C else { return nil }
            position += 1
            guard skipName(until: 0x3E) else { return nil }
            return .repeated(.chars(.all), min: 0, max: nil)
        case 0x78:  // \xhh, \x{hhhh}
            guard let value = hexEscape() else { return nil }
            if value >= 0x80 { return .chars(caseless ? Self.caseClosure(.nonASCII) : .nonASCII) }
            var set = ByteSet()
            set.insert(UInt8(value))
            return .chars(caseless ? Self.caseClosure(set) : set)
        default:
            guard let set = Self.escapeSet(letter) else { return nil }
            return .chars(caseless ? Self.caseClosure(set) : set)
        }
    }

    /// Skips a class member that is a non-ASCII character (literal or `\x` escape); false for anything else.
    private mutating func skipNonASCIIClassMember() -> Bool {
        guard let byte = current else { return false }
        if byte >= 0x80 {
            position += 1
            while let next = current, next & 0xC0 == 0x80 { position += 1 }
            return true
        }
        guard byte == 0x5C, position + 1 < source.count, source[position + 1] == 0x78 else { return false }
        position += 2
        guard let value = hexEscape(), value >= 0x80 else { return false }
        return true
    }

    /// The code point of a hex escape after its `\x`: `\x{h...}` or up to two hex digits; nil when malformed.
    private mutating func hexEscape() -> Int? {
        func hexValue(_ byte: UInt8) -> Int? {
            switch byte {
            case 0x30...0x39: Int(byte - 0x30)
            case 0x41...0x46: Int(byte - 0x41 + 10)
            case 0x61...0x66: Int(byte - 0x61 + 10)
            default: nil
            }
        }
        var value = 0, digits = 0
        let braced = current == 0x7B
        if braced { position += 1 }
        while let byte = current, let digit = hexValue(byte), braced || digits < 2 {
            value = min(value * 16 + digit, 0x110000)
            digits += 1
            position += 1
        }
        if braced {
            guard digits > 0, current == 0x7D else { return nil }
            position += 1
        }
        return value
    }

    private mutating func parseClass() -> RegexNode? {
        position += 1  // [
        var negated = false
        if current == 0x5E { negated = true; position += 1 }
        var set = ByteSet()
        var first = true
        while true {
            guard let byte = current else { return nil }
            if byte == 0x5D && !first { position += 1; break }
            first = false
            // One member: a character or an escape; then maybe a range.
            var low: UInt8
            if byte == 0x5C {
                position += 1
                guard let letter = current else { return nil }
                position += 1
                if letter == 0x78 {  // \x: a character by its code point
                    guard let value = hexEscape() else { return nil }
                    if value >= 0x80 {
                        set.formUnion(.nonASCII)
                        if current == 0x2D, position + 1 < source.count, source[position + 1] != 0x5D {
                            // A range up to another non-ASCII character holds non-ASCII characters only.
                            position += 1
                            guard skipNonASCIIClassMember() else { return nil }
                        }
                        continue
                    }
                    low = UInt8(value)
                } else {
                    guard let escaped = Self.escapeSet(letter) else { return nil }
                    if escaped.count != 1 { set.formUnion(escaped); continue }
                    low = escaped.members[0]
                }
            } else if byte == 0x5B && position + 1 < source.count && source[position + 1] == 0x3A {
                return nil  // POSIX class
            } else if byte >= 0x80 {
                position += 1
                while let next = current, next & 0xC0 == 0x80 { position += 1 }
                set.formUnion(.nonASCII)
                if current == 0x2D, position + 1 < source.count, source[position + 1] != 0x5D { return nil }
                continue
            } else {
                position += 1
                low = byte
            }
            if current == 0x2D, position + 1 < source.count, source[position + 1] != 0x5D {
                position += 1
                guard let highByte = current else { return nil }
                var high: UInt8
                if highByte == 0x5C {
                    position += 1
                    guard let letter = current else { return nil }
                    position += 1
                    if letter == 0x78 {
                        guard let value = hexEscape() else { return nil }
                        if value >= 0x80 {  // a range into non-ASCII
                            set.insert(Int(low)...0x7F)
                            set.formUnion(.nonASCII)
                            continue
                        }
                        high = UInt8(value)
                    } else {
                        guard let escaped = Self.escapeSet(letter), escaped.count == 1 else { return nil }
                        high = escaped.members[0]
                    }
                } else {
                    position += 1
                    high = highByte
                    if highByte >= 0x80 {  // a range into non-ASCII
                        while let next = current, next & 0xC0 == 0x80 { position += 1 }
                        set.insert(Int(low)...0x7F)
                        set.formUnion(.nonASCII)
                        continue
                    }
                }
                guard low <= high else { return nil }
                set.insert(Int(low)...Int(high))
            } else {
                set.insert(low)
            }
        }
        if caseless { set = Self.caseClosure(set) }
        if negated { set = set.inverted().union(.nonASCII) }
        return .chars(set)
    }
}

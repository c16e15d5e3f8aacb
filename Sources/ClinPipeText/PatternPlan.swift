#if canImport(Glibc)
import Glibc
#endif

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

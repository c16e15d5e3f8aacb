/// A necessary condition, read from a PCRE2 pattern's source, on the first (or last) few bytes of any match: a small
/// automaton that proves, for most subjects, that no match starts (or ends) at a position, without running PCRE2.
///
/// The pattern (read by `RegexParser`, the reader `PatternPlan` uses, leniently: atomic groups as plain groups, back
/// references as any text) becomes a nondeterministic automaton over characters, read from a match's start
/// (`Edge.start`) or backwards from its end (`Edge.end`). Assertions and lookarounds are read as the empty string,
/// and repetitions past what `depth` characters can show as unbounded, which only adds matches: the automaton accepts
/// a superset of what PCRE2 can match. One exception narrows it soundly: a one-character lookbehind where a match
/// starts (`(?<![\d/.A-Z])`, `(?<!\w)`, `(?<=:)`) becomes a condition on the character before the match, read
/// first (a non-ASCII character there always passes a negative one). The subset construction, cut at `depth`
/// characters, gives a deterministic table over bytes: from the position, at most `depth` look-ups answer "no match
/// can start (end) here" or "maybe".
///
/// Characters are read as UTF-8 bytes: an ASCII byte is one character; at the first non-ASCII byte of the subject
/// the automaton answers "maybe" when a live path allows a non-ASCII character there, and rules the paths out that
/// do not (a character from an ASCII set, as case-sensitive or ASCII-folded literals give, is one ASCII byte).
///
/// Offsets are UTF-8 byte offsets. `admits` answering false is a proof; answering true is not a promise of a match.
public struct AffixFilter: Sendable {
    public enum Edge: Sendable {
        /// Conditions on the bytes from a match's start on.
        case start
        /// Conditions on the bytes before a match's end, read backwards.
        case end
    }

    public let edge: Edge
    /// The most bytes `admits` reads after (or before) the position.
    public let depth: Int
    /// `transitions[state << 8 | byte]`: the next state, or `accept` / `reject`. State 0 is the start.
    @usableFromInline let transitions: [UInt16]
    /// The automaton first reads the byte before the position (`Edge.start` only); at the text's start it begins in
    /// `textStartState` instead (a state, or `accept` / `reject`).
    @usableFromInline let readsPrevious: Bool
    @usableFromInline let textStartState: UInt16

    @usableFromInline static let accept: UInt16 = 0xFFFF
    @usableFromInline static let reject: UInt16 = 0xFFFE
    /// Bounds that keep the construction quick and the table small, whatever the rule files hold; past them the
    /// automaton answers "maybe" earlier (states not built are read as accepting).
    static let maximumStates = 512
    static let maximumNFAStates = 20_000
    /// Automaton states visited while building, in all (about the instructions of the construction divided by 20).
    static let constructionBudget = 1_000_000

    /// The filter for `pattern` (compiled by PCRE2 with `PCRE2_UTF` and, when `caseless`, `PCRE2_CASELESS`), or nil
    /// when the pattern uses syntax the reader does not know, or can match the empty string (no condition at all).
    public init?(_ pattern: String, caseless: Bool = false, edge: Edge, depth: Int = 6) {
        var parser = RegexParser(Array(pattern.utf8), caseless: caseless, multiline: false, lenient: true)
        guard depth >= 1, let root = parser.parsePattern() else { return nil }
        var builder = AffixNFA(depth: depth, reversed: edge == .end)
        let start = builder.addState()
        guard let final = builder.add(root, from: start), builder.states.count <= Self.maximumNFAStates else { return nil }
        builder.states[final].isFinal = true
        guard let table = builder.determinize(start: start) else { return nil }
        self.edge = edge
        self.depth = depth
        self.transitions = table.transitions
        self.readsPrevious = table.readsPrevious
        self.textStartState = table.textStart
    }

    /// A PCRE2 character class (`[...]`) that holds the first character of every match of `pattern` (read as in
    /// `init`), or nil when the reader does not know the pattern, when it can match the empty string, or when the
    /// class would hold every character. `(?=class)pattern` has the same matches as `pattern`, and PCRE2 rejects a
    /// start position on it at once, before any lookbehind or alternative.
    public static func firstCharacterClass(of pattern: String, caseless: Bool = false) -> String? {
        var parser = RegexParser(Array(pattern.utf8), caseless: caseless, multiline: false, lenient: true)
        guard let root = parser.parsePattern() else { return nil }
        var builder = AffixNFA(depth: 1, reversed: false)
        let start = builder.addState()
        guard let final = builder.add(root, from: start), builder.states.count <= maximumNFAStates else { return nil }
        builder.states[final].isFinal = true
        var flat = AffixNFA.Flat(builder.states)
        let first = flat.closure([start], before: .unknown)
        var set = ByteSet()
        for state in first {
            guard let characters = builder.states[state].characters else { return nil }  // final: an empty match
            set.formUnion(characters)
        }
        let bits = set.asciiBits
        let nonASCII = !set.intersection(.nonASCII).isEmpty
        if bits.0 == ~0 && bits.1 == ~0 { return nil }
        var members = ""
        for byte in 0..<128 where (byte < 64 ? bits.0 >> UInt64(byte) : bits.1 >> UInt64(byte - 64)) & 1 != 0 {
            members += "\\x{" + String(byte, radix: 16) + "}"
        }
        if nonASCII { members += "\\x{80}-\\x{10FFFF}" }
        return members.isEmpty ? nil : "[" + members + "]"
    }

    /// The verdicts of the first two look-ups of `admits` at a text's edge, per byte value. On a non-empty `bytes`,
    /// `admits(bytes, at: 0, limit: bytes.count)` (`Edge.start`; a lookbehind sees the text's start) or
    /// `admits(bytes, at: bytes.count, limit: 0)` (`Edge.end`) answers false when `first[x]` is false, or when
    /// `bytes` has two bytes or more and `second[y]` is false, where `x` and `y` are the first two bytes it reads:
    /// `bytes[0]` and `bytes[1]` (`Edge.start`), `bytes[count - 1]` and `bytes[count - 2]` (`Edge.end`). True is not a
    /// promise: the other bytes decide. Two table look-ups settle most texts that a walk through `admits` rejects,
    /// without the walk's branches.
    public var edgeByteVerdicts: (first: [Bool], second: [Bool]) {
        var start = 0
        if edge == .start && readsPrevious {
            if textStartState >= Self.reject {
                let all = [Bool](repeating: textStartState == Self.accept, count: 256)
                return (all, [Bool](repeating: true, count: 256))
            }
            start = Int(textStartState)
        }
        let first = (0..<256).map { transitions[start << 8 | $0] != Self.reject }
        // The states after one byte; after an accepting first byte any second byte passes.
        var states: Set<Int> = []
        var anyAccepts = false
        for byte in 0..<256 {
            let next = transitions[start << 8 | byte]
            if next == Self.accept { anyAccepts = true } else if next != Self.reject { states.insert(Int(next)) }
        }
        let second = (0..<256).map { byte in anyAccepts || states.contains { transitions[$0 << 8 | byte] != Self.reject } }
        return (first, second)
    }

    /// False when no match can start at `position` and end at or before `limit` (`Edge.start`), or end at
    /// `position` and start at or after `limit` (`Edge.end`). `position` and `limit` lie on character boundaries;
    /// the bytes before `position` are the text before it (lookbehinds see them).
    @inlinable @inline(__always)
    public func admits(_ bytes: UnsafeBufferPointer<UInt8>, at position: Int, limit: Int) -> Bool {
        var state = 0
        switch edge {
        case .start:
            if readsPrevious {
                let first = position > 0 ? transitions[Int(bytes[position - 1])] : textStartState
                if first >= Self.reject { return first == Self.accept }
                state = Int(first)
            }
            var index = position
            while index < limit {
                let next = transitions[state << 8 | Int(bytes[index])]
                if next >= Self.reject { return next == Self.accept }
                state = Int(next)
                index += 1
            }
        case .end:
            var index = position - 1
            while index >= limit {
                let next = transitions[state << 8 | Int(bytes[index])]
                if next >= Self.reject { return next == Self.accept }
                state = Int(next)
                index -= 1
            }
        }
        return false
    }
}

/// The nondeterministic automaton of `AffixFilter` (one character set per edge, Thompson-style) and its bounded
/// subset construction.
struct AffixNFA {
    struct State {
        /// A character edge: its set and target.
        var characters: ByteSet?
        var target = -1
        var epsilon: [Int] = []
        /// A condition on the character before the match (a lookbehind): passable at the match's start only when
        /// the previous byte is in `previous` (or, at the text's start, when `afterTextStart`); anywhere else freely.
        var previous: ByteSet?
        var afterTextStart = true
        var isFinal = false
    }

    let depth: Int
    /// Builds the automaton of the matches read backwards.
    let reversed: Bool
    var states: [State] = []

    init(depth: Int, reversed: Bool) {
        self.depth = depth
        self.reversed = reversed
    }

    mutating func addState() -> Int {
        states.append(State())
        return states.count - 1
    }

    /// Adds `node` from state `from`; returns the state where it ends, or nil when the automaton grows too large.
    mutating func add(_ node: RegexNode, from: Int) -> Int? {
        guard states.count <= AffixFilter.maximumNFAStates else { return nil }
        switch node {
        case .chars(let set):
            // A state has at most one character edge.
            var edge = from
            if states[from].characters != nil {
                edge = addState()
                states[from].epsilon.append(edge)
            }
            let to = addState()
            states[edge].characters = set
            states[edge].target = to
            return to
        case .sequence(let items):
            var current = from
            for item in reversed ? items.reversed() : items {
                guard let next = add(item, from: current) else { return nil }
                current = next
            }
            return current
        case .alternation(let branches):
            let end = addState()
            for branch in branches {
                let start = addState()
                states[from].epsilon.append(start)
                guard let branchEnd = add(branch, from: start) else { return nil }
                states[branchEnd].epsilon.append(end)
            }
            return end
        case .repeated(let inner, let minimum, let maximum):
            // `depth` characters show at most depth + 1 repetitions: beyond, a bounded repetition reads as unbounded.
            let required = min(minimum, depth + 1)
            var current = from
            for _ in 0..<required {
                let start = addState()
                states[current].epsilon.append(start)
                guard let end = add(inner, from: start) else { return nil }
                current = end
            }
            if let maximum, maximum <= depth + 1 {
                let end = addState()
                states[current].epsilon.append(end)
                for _ in required..<max(required, maximum) {
                    let start = addState()
                    states[current].epsilon.append(start)
                    guard let innerEnd = add(inner, from: start) else { return nil }
                    states[innerEnd].epsilon.append(end)
                    current = innerEnd
                }
                return end
            }
            if maximum == 0 { return current }
            // Any number more: a loop.
            let loop = addState()
            states[current].epsilon.append(loop)
            let start = addState()
            states[loop].epsilon.append(start)
            guard let innerEnd = add(inner, from: start) else { return nil }
            states[innerEnd].epsilon.append(loop)
            return loop
        case .lookbehind(.chars(let set), let negative) where !reversed:
            // Only ASCII members are excluded by a negative lookbehind: a non-ASCII character may fold to one.
            var ascii = ByteSet()
            let bits = set.asciiBits
            for byte in 0..<128 where (byte < 64 ? bits.0 >> UInt64(byte) : bits.1 >> UInt64(byte - 64)) & 1 != 0 {
                ascii.insert(UInt8(byte))
            }
            // A state of its own, whose only move is the guarded one.
            let guarded = addState(), to = addState()
            states[from].epsilon.append(guarded)
            states[guarded].epsilon.append(to)
            if negative {
                states[guarded].previous = ascii.inverted()
                states[guarded].afterTextStart = true
            } else {
                states[guarded].previous = set.intersection(.nonASCII).isEmpty ? ascii : ascii.union(.nonASCII)
                states[guarded].afterTextStart = false
            }
            return to
        case .lineStart, .textStart, .lineEnd, .otherAssertion, .lookahead, .lookbehind:
            let to = addState()
            states[from].epsilon.append(to)
            return to
        }
    }

    /// What the match's start knows of the character before it, while taking the empty moves there.
    enum Before { case byte(UInt8), textStart, unknown }

    /// The automaton in flat arrays, for the subset construction: state `s`'s empty moves are
    /// `epsilonTargets[epsilonStart[s]..<epsilonStart[s + 1]]`.
    struct Flat {
        var epsilonStart: [Int] = [0]
        var epsilonTargets: [Int] = []
        var matters: [Bool] = []
        var previous: [ByteSet?] = []
        var afterTextStart: [Bool] = []
        /// Scratch for `closure`: a state is seen when its mark equals the stamp.
        var marks: [Int] = []
        var stamp = 0
        var stack: [Int] = []
        /// States visited so far (see `AffixFilter.constructionBudget`).
        var work = 0

        init(_ states: [State]) {
            for state in states {
                epsilonTargets += state.epsilon
                epsilonStart.append(epsilonTargets.count)
                matters.append(state.characters != nil || state.isFinal)
                previous.append(state.previous)
                afterTextStart.append(state.afterTextStart)
            }
            marks = [Int](repeating: 0, count: states.count)
        }

        /// The states with a character edge, or final, reachable from `set` by empty moves (a lookbehind state
        /// passes its condition on `before`), sorted: the states that matter for what follows.
        mutating func closure(_ set: [Int], before: Before) -> [Int] {
            stamp += 1
            var result: [Int] = []
            for state in set where marks[state] != stamp {
                marks[state] = stamp
                stack.append(state)
            }
            while let state = stack.popLast() {
                work += 1
                if matters[state] { result.append(state) }
                if let condition = previous[state] {
                    switch before {
                    case .byte(let byte): if !condition.contains(byte) { continue }
                    case .textStart: if !afterTextStart[state] { continue }
                    case .unknown: break
                    }
                }
                for index in epsilonStart[state]..<epsilonStart[state + 1] {
                    let next = epsilonTargets[index]
                    if marks[next] != stamp {
                        marks[next] = stamp
                        stack.append(next)
                    }
                }
            }
            result.sort()
            return result
        }

        /// Whether a lookbehind state is reachable from `start` by empty moves.
        mutating func reachesPrevious(from start: Int) -> Bool {
            stamp += 1
            stack = [start]
            marks[start] = stamp
            while let state = stack.popLast() {
                if previous[state] != nil {
                    stack.removeAll()
                    return true
                }
                for index in epsilonStart[state]..<epsilonStart[state + 1] where marks[epsilonTargets[index]] != stamp {
                    marks[epsilonTargets[index]] = stamp
                    stack.append(epsilonTargets[index])
                }
            }
            return false
        }
    }

    /// The transition table (see `AffixFilter.transitions`), or nil when the pattern can match the empty string.
    func determinize(start: Int) -> (transitions: [UInt16], readsPrevious: Bool, textStart: UInt16)? {
        let accept = AffixFilter.accept, reject = AffixFilter.reject
        var flat = Flat(states)
        let startSet = flat.closure([start], before: .unknown)
        if startSet.contains(where: { states[$0].isFinal }) { return nil }
        let readsPrevious = flat.reachesPrevious(from: start)
        // ASCII bytes that every set treats alike behave alike: one column per class.
        struct Mask: Hashable { var low: UInt64; var high: UInt64 }
        var distinct: Set<Mask> = []
        for state in states {
            if let set = state.characters { distinct.insert(Mask(low: set.asciiBits.0, high: set.asciiBits.1)) }
            if let set = state.previous { distinct.insert(Mask(low: set.asciiBits.0, high: set.asciiBits.1)) }
        }
        let masks = Array(distinct)
        var classOf = [Int](repeating: 0, count: 128)
        var representatives: [UInt8] = []
        var signatures: [[UInt64]: Int] = [:]
        for byte in 0..<128 {
            var signature = [UInt64](repeating: 0, count: (masks.count + 63) / 64)
            for (index, mask) in masks.enumerated() where ((byte < 64 ? mask.low : mask.high) >> UInt64(byte & 63)) & 1 != 0 {
                signature[index >> 6] |= 1 << UInt64(index & 63)
            }
            if let known = signatures[signature] {
                classOf[byte] = known
            } else {
                signatures[signature] = representatives.count
                classOf[byte] = representatives.count
                representatives.append(UInt8(byte))
            }
        }
        // Per state with a character edge: the classes its set holds (bit c of word c / 64), and whether it allows
        // a non-ASCII character.
        var classBits = [(UInt64, UInt64)](repeating: (0, 0), count: states.count)
        var allowsNonASCII = [Bool](repeating: false, count: states.count)
        var targetOf = [Int](repeating: -1, count: states.count)
        var isFinal = [Bool](repeating: false, count: states.count)
        for index in states.indices {
            isFinal[index] = states[index].isFinal
            targetOf[index] = states[index].target
            guard let set = states[index].characters else { continue }
            for (column, byte) in representatives.enumerated() where set.contains(byte) {
                if column < 64 { classBits[index].0 |= 1 << UInt64(column) } else { classBits[index].1 |= 1 << UInt64(column - 64) }
            }
            allowsNonASCII[index] = !set.intersection(.nonASCII).isEmpty
        }

        // A DFA state: the automaton states live after `level` characters of the match.
        struct Key: Hashable { var level: Int; var set: [Int] }
        var keys: [Key] = []
        var numbers: [Key: Int] = [:]
        /// The code of the states `set` after `level` characters: accept when a match may end there or the depth is
        /// reached (or the table is full), reject when none is live, else a state number.
        func code(_ set: [Int], level: Int) -> UInt16 {
            if set.isEmpty { return reject }
            if level >= depth || set.contains(where: { isFinal[$0] }) { return accept }
            let key = Key(level: level, set: set)
            if let number = numbers[key] { return UInt16(number) }
            guard keys.count < AffixFilter.maximumStates, flat.work < AffixFilter.constructionBudget else { return accept }
            numbers[key] = keys.count
            keys.append(key)
            return UInt16(keys.count - 1)
        }
        var transitions: [UInt16] = []
        var textStart = accept
        if readsPrevious {
            // State 0 reads the byte before the match: the empty moves at the start depend on it.
            keys.append(Key(level: -1, set: [start]))
            var columns = [UInt16](repeating: reject, count: representatives.count)
            for (column, byte) in representatives.enumerated() {
                columns[column] = code(flat.closure([start], before: .byte(byte)), level: 0)
            }
            for byte in 0..<128 { transitions.append(columns[classOf[byte]]) }
            // The last byte of a non-ASCII character: every condition holds all non-ASCII bytes or none.
            transitions += repeatElement(code(flat.closure([start], before: .byte(0x80)), level: 0), count: 128)
            textStart = code(flat.closure([start], before: .textStart), level: 0)
        } else {
            _ = code(startSet, level: 0)
        }
        var targets = [[Int]](repeating: [], count: representatives.count)
        transitions.reserveCapacity(256 * 64)
        var index = transitions.count >> 8
        while index < keys.count {
            let key = keys[index]
            index += 1
            // The targets of the character edges, by class.
            var nonASCII = false
            for state in key.set {
                var (low, high) = classBits[state]
                let target = targetOf[state]
                while low != 0 {
                    targets[low.trailingZeroBitCount].append(target)
                    low &= low - 1
                }
                while high != 0 {
                    targets[64 + high.trailingZeroBitCount].append(target)
                    high &= high - 1
                }
                if allowsNonASCII[state] { nonASCII = true }
            }
            var columns = [UInt16](repeating: reject, count: representatives.count)
            for column in representatives.indices where !targets[column].isEmpty {
                columns[column] = code(flat.closure(targets[column], before: .unknown), level: key.level + 1)
                targets[column].removeAll(keepingCapacity: true)
            }
            for byte in 0..<128 { transitions.append(columns[classOf[byte]]) }
            // A byte of a non-ASCII character (its first, or reading backwards its last): maybe, when a live path
            // allows a non-ASCII character here.
            transitions += repeatElement(nonASCII ? accept : reject, count: 128)
        }
        return (transitions, readsPrevious, textStart)
    }
}

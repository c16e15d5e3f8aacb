/// A necessary condition, read from a PCRE2 pattern's source, on the first (or last) few bytes of any match: a small
/// automaton that proves, for most subjects, that no match starts (or ends) at a position, without running PCRE2.
///
/// The analysis (on the `RegexParser` tree that `PatternPlan` uses) computes the *truncated affixes* of the
/// pattern's language: every match, read from its start (`Edge.start`) or backwards from its end (`Edge.end`), begins
/// with one of a few sequences of byte sets, each `depth` characters long or, for a shorter match, the whole match.
/// Assertions and lookarounds are read as the empty string and quantifiers as their plain form, which only adds
/// sequences: the sets stay a superset of what PCRE2 can match. The sequences then become a deterministic automaton
/// over bytes, run from the position over at most `depth` bytes.
///
/// Characters are read as UTF-8 bytes: an ASCII byte is one character; at the first non-ASCII byte the automaton
/// gives up (answers "maybe") when any live sequence allows a non-ASCII character there, and rules the sequences out
/// that do not (a character from an ASCII set, as case-sensitive or ASCII-folded literals give, is one ASCII byte).
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
    /// The most bytes `admits` reads.
    public let depth: Int
    /// `transitions[state << 8 | byte]`: the next state, or `Self.accept` / `Self.reject`. State 0 is the start.
    private let transitions: [UInt16]

    static let accept: UInt16 = 0xFFFF
    static let reject: UInt16 = 0xFFFE
    /// Bounds that keep the analysis and the table small; past them the depth shrinks.
    static let maximumWords = 256
    static let maximumStates = 2048

    /// The filter for `pattern` (compiled by PCRE2 with `PCRE2_UTF` and, when `caseless`, `PCRE2_CASELESS`), or nil
    /// when the pattern uses syntax the analysis does not read, or when it gives no condition at all (a pattern
    /// that can match the empty string).
    public init?(_ pattern: String, caseless: Bool = false, edge: Edge, depth: Int = 6) {
        var parser = RegexParser(Array(pattern.utf8), caseless: caseless, multiline: false)
        guard let root = parser.parsePattern(), depth >= 1 else { return nil }
        var depth = depth
        while depth >= 1 {
            let words = Affixes(depth: depth, reversed: edge == .end).words(of: root)
            if let words, let table = Self.automaton(words, depth: depth) {
                guard table.first != Self.accept else { return nil }
                self.edge = edge
                self.depth = depth
                self.transitions = table
                return
            }
            depth -= 1
        }
        return nil
    }

    /// False when no match can start at `position` and end at or before `limit` (`Edge.start`), or end at
    /// `position` and start at or after `limit` (`Edge.end`). `position` and `limit` lie on character boundaries.
    @inline(__always)
    public func admits(_ bytes: UnsafeBufferPointer<UInt8>, at position: Int, limit: Int) -> Bool {
        var state = 0
        switch edge {
        case .start:
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

    // MARK: - Automaton

    /// The transition table of the words (each a sequence of byte sets, complete when the match ends there), or
    /// nil when it would have too many states. The first entry is `accept` when the start state accepts.
    private static func automaton(_ words: [Affixes.Word], depth: Int) -> [UInt16]? {
        precondition(words.count <= WordSet.capacity)
        // ASCII bytes that every set treats alike behave alike: one column per class.
        var classOf = [Int](repeating: 0, count: 128)
        var representatives: [UInt8] = []
        var signatures: [[UInt64]: Int] = [:]
        var distinct: Set<[UInt64]> = []
        for word in words { for set in word.sets { distinct.insert([set.asciiBits.0, set.asciiBits.1]) } }
        let masks = Array(distinct)
        for byte in 0..<128 {
            var signature = [UInt64](repeating: 0, count: (masks.count + 63) / 64)
            for (index, mask) in masks.enumerated() where (mask[byte >> 6] >> UInt64(byte & 63)) & 1 != 0 {
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
        // Per level: the words whose set there holds a class's bytes, that allow a non-ASCII character there, and
        // that are complete there (end after `level` characters).
        var holding = [[WordSet]](repeating: [WordSet](repeating: WordSet(), count: representatives.count), count: depth)
        var nonASCII = [WordSet](repeating: WordSet(), count: depth)
        var completeAt = [WordSet](repeating: WordSet(), count: depth + 1)
        for (index, word) in words.enumerated() {
            if word.complete { completeAt[word.sets.count].insert(index) }
            for (level, set) in word.sets.enumerated() {
                for (column, byte) in representatives.enumerated() where set.contains(byte) { holding[level][column].insert(index) }
                if !set.intersection(.nonASCII).isEmpty { nonASCII[level].insert(index) }
            }
        }
        // A state: the words still possible after `level` bytes. Reaching one means accept when a live word is
        // complete there or the depth is reached, reject when none is live.
        struct State: Hashable { var level: Int; var alive: WordSet }
        func outcome(_ state: State) -> UInt16? {
            if state.alive.isEmpty { return reject }
            if state.level == depth || !state.alive.intersection(completeAt[state.level]).isEmpty { return accept }
            return nil
        }
        var all = WordSet()
        for index in words.indices { all.insert(index) }
        let start = State(level: 0, alive: all)
        if let result = outcome(start) { return [result] }
        var states = [start]
        var numbers = [start: 0]
        var table: [UInt16] = []
        var index = 0
        while index < states.count {
            let state = states[index]
            index += 1
            var columns = [UInt16](repeating: reject, count: representatives.count)
            for column in representatives.indices {
                let next = State(level: state.level + 1, alive: state.alive.intersection(holding[state.level][column]))
                if let result = outcome(next) {
                    columns[column] = result
                } else if let number = numbers[next] {
                    columns[column] = UInt16(number)
                } else {
                    guard states.count < maximumStates else { return nil }
                    numbers[next] = states.count
                    columns[column] = UInt16(states.count)
                    states.append(next)
                }
            }
            for byte in 0..<128 { table.append(columns[classOf[byte]]) }
            // A byte of a non-ASCII character (its first, or reading backwards its last): maybe, when a live word
            // allows a non-ASCII character here.
            let maybe = !state.alive.intersection(nonASCII[state.level]).isEmpty
            table += repeatElement(maybe ? accept : reject, count: 128)
        }
        return table
    }
}

/// A set of word numbers below `capacity`.
struct WordSet: Hashable {
    static let capacity = 256
    private var w0: UInt64 = 0, w1: UInt64 = 0, w2: UInt64 = 0, w3: UInt64 = 0

    var isEmpty: Bool { w0 | w1 | w2 | w3 == 0 }

    mutating func insert(_ index: Int) {
        let bit = UInt64(1) << UInt64(index & 63)
        switch index >> 6 {
        case 0: w0 |= bit
        case 1: w1 |= bit
        case 2: w2 |= bit
        default: w3 |= bit
        }
    }

    func intersection(_ other: WordSet) -> WordSet {
        var set = WordSet()
        set.w0 = w0 & other.w0; set.w1 = w1 & other.w1; set.w2 = w2 & other.w2; set.w3 = w3 & other.w3
        return set
    }
}

/// The truncated affixes of a pattern tree (see `AffixFilter`).
struct Affixes {
    /// A sequence of character sets: the first `depth` characters of a match (or its last ones, first in the list
    /// when reading backwards), or the whole match when `complete` (always shorter than `depth`).
    struct Word {
        var sets: [ByteSet]
        var complete: Bool

        func sameShape(_ other: Word) -> Bool { complete == other.complete && sets.count == other.sets.count }
    }

    let depth: Int
    /// Read matches from their end.
    let reversed: Bool

    /// The words of `node`, or nil when there would be too many even after widening.
    func words(of node: RegexNode) -> [Word]? {
        switch node {
        case .chars(let set):
            return [Word(sets: [set], complete: depth > 1)]
        case .sequence(let items):
            var result = [Word(sets: [], complete: true)]
            for item in reversed ? items.reversed() : items {
                // Once every word is truncated, what follows changes nothing.
                if !result.contains(where: \.complete) { break }
                guard let next = words(of: item) else { return nil }
                result = concatenate(result, next)
            }
            return result
        case .alternation(let branches):
            var result: [Word] = []
            for branch in branches {
                guard let next = words(of: branch) else { return nil }
                result += next
            }
            return simplify(result)
        case .repeated(let inner, let minimum, let maximum):
            guard let once = words(of: inner) else { return nil }
            // At least `minimum` repetitions: past depth + 1 of them, more change no truncated word.
            var all = [Word(sets: [], complete: true)]
            for _ in 0..<min(minimum, depth + 1) { all = concatenate(all, once) }
            // Then up to `maximum`: `all` grows to the words of minimum...count repetitions; it stops when one more
            // adds nothing (it is then closed under one more repetition) or after depth + 1 more, which reach every
            // truncated word of any longer repetition.
            var count = minimum
            var rounds = 0
            while maximum.map({ count < $0 }) ?? true, rounds <= depth {
                let next = simplify(all + concatenate(all, once))
                if Self.covers(all, next) { break }
                all = next
                count += 1
                rounds += 1
            }
            return all
        case .lineStart, .textStart, .lineEnd, .otherAssertion, .lookahead, .lookbehind:
            return [Word(sets: [], complete: true)]
        }
    }

    /// Every `a` followed by every `b`, truncated to `depth`.
    private func concatenate(_ a: [Word], _ b: [Word]) -> [Word] {
        var result: [Word] = []
        for first in a {
            // A word of `depth` sets is truncated: nothing after it counts.
            guard first.complete else {
                result.append(first)
                continue
            }
            for second in b {
                let sets = first.sets + second.sets
                result.append(Word(sets: Array(sets.prefix(depth)), complete: second.complete && sets.count < depth))
            }
        }
        return simplify(result)
    }

    /// Drops duplicates and merges words that differ in one set only (the union of two products that differ in one
    /// factor is a product); widens when still too many (every word of one shape merged into one: a superset).
    private func simplify(_ words: [Word]) -> [Word] {
        var result: [Word] = []
        for word in words {
            var merged = false
            for index in result.indices where result[index].sameShape(word) {
                var differing: Int?
                var count = 0
                for position in word.sets.indices where !Self.equal(word.sets[position], result[index].sets[position]) {
                    differing = position
                    count += 1
                    if count > 1 { break }
                }
                if count == 0 {
                    merged = true
                } else if count == 1, let position = differing {
                    result[index].sets[position].formUnion(word.sets[position])
                    merged = true
                }
                if merged { break }
            }
            if !merged { result.append(word) }
        }
        guard result.count > AffixFilter.maximumWords else { return result }
        var widened: [Word] = []
        for word in result {
            if let index = widened.firstIndex(where: { $0.sameShape(word) }) {
                for position in word.sets.indices { widened[index].sets[position].formUnion(word.sets[position]) }
            } else {
                widened.append(word)
            }
        }
        return widened
    }

    /// Whether every word of `b` is (a duplicate of, or merged into) a word of `a`: `b` adds nothing.
    private static func covers(_ a: [Word], _ b: [Word]) -> Bool {
        b.allSatisfy { word in
            a.contains { other in
                other.sameShape(word) && zip(other.sets, word.sets).allSatisfy { subset($1, of: $0) }
            }
        }
    }

    static func equal(_ a: ByteSet, _ b: ByteSet) -> Bool { subset(a, of: b) && subset(b, of: a) }
    static func subset(_ a: ByteSet, of b: ByteSet) -> Bool { a.intersection(b.inverted()).isEmpty }
}

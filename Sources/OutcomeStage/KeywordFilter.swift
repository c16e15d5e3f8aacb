import ClinPipeText

/// Keywords without which a rule's pattern cannot match: an exact pre-test that spares running PCRE2 over texts
/// where the pattern has no chance.
///
/// A row's `keywords` field lists groups separated by `&`, each a `|`-separated list of ASCII words or word parts
/// (`trigger|twitch`, `not & meet|satisfy`). The rule's author guarantees that every match of the row's pattern
/// contains, for every group, at least one of the group's keywords (ASCII letters, compared case-insensitively).
/// So a text that lacks every keyword of some group cannot match and the pattern need not run; results never
/// change. An empty field never filters.
///
/// All keywords of a table are found in one pass over the text's UTF-8 bytes (an Aho–Corasick automaton on ASCII
/// letters folded to lower case; every other byte is one separator class, which no keyword contains). PCRE2's
/// caseless matching in UTF mode also lets `k` match U+212A KELVIN SIGN and `s` match U+017F LATIN SMALL LETTER
/// LONG S, which fold to no ASCII byte: a text containing either is never filtered.
struct KeywordFilter: Sendable {
    /// The groups whose keywords occur in a text (bit `g` for group `g`), or every bit when the text cannot be
    /// filtered.
    typealias Seen = UInt64

    /// Letter classes 1...26 for `a`...`z` and `A`...`Z`, 0 for every other byte.
    private static let classes: [UInt8] = (0..<256).map { byte in
        switch UInt8(byte) {
        case UInt8(ascii: "a")...UInt8(ascii: "z"): UInt8(byte) - UInt8(ascii: "a") + 1
        case UInt8(ascii: "A")...UInt8(ascii: "Z"): UInt8(byte) - UInt8(ascii: "A") + 1
        default: 0
        }
    }
    private static let classCount = 27

    /// The automaton: `transitions[state * classCount + class]` is the next state, premultiplied by `classCount`.
    private let transitions: [UInt32]
    /// Groups whose keyword ends at a state (including keywords that are suffixes of the state's path), indexed by
    /// premultiplied state.
    private let outputs: [UInt64]
    /// Per row, the groups that must all be seen for the row's pattern to be able to match (0: always).
    private let required: [UInt64]
    private let hasKeywords: Bool

    /// Builds the filter from each row's `keywords` field. `names` (file:line per row) appear in errors.
    /// - Throws: `RuleFileError` for a keyword that is not ASCII letters, or more than 64 groups in the table.
    init(fields: [String], names: [String]) throws {
        var groupKeywords: [[String]] = []
        var required: [UInt64] = []
        var problems: [String] = []
        for (field, name) in zip(fields, names) {
            var mask: UInt64 = 0
            for group in field.split(separator: "&") {
                let keywords = group.split(separator: "|").map { String($0.filter { $0 != " " }).lowercased() }
                guard !keywords.isEmpty, keywords.allSatisfy({ !$0.isEmpty && $0.utf8.allSatisfy { Self.classes[Int($0)] != 0 } }) else {
                    problems.append("\(name): keywords must be ASCII letters, as 'a|b & c' (found '\(group)')")
                    continue
                }
                guard groupKeywords.count < 64 else {
                    problems.append("\(name): more than 64 keyword groups in the table")
                    continue
                }
                mask |= 1 << UInt64(groupKeywords.count)
                groupKeywords.append(keywords)
            }
            required.append(mask)
        }
        if !problems.isEmpty { throw RuleFileError(problems: problems) }
        self.required = required
        hasKeywords = !groupKeywords.isEmpty

        // The keyword trie (goto function), then failure links in breadth-first order, which completes it into a
        // deterministic automaton.
        let width = Self.classCount
        var next: [Int] = Array(repeating: -1, count: width)
        var output: [UInt64] = [0]
        for (group, keywords) in groupKeywords.enumerated() {
            for keyword in keywords {
                var state = 0
                for byte in keyword.utf8 {
                    let slot = state * width + Int(Self.classes[Int(byte)])
                    if next[slot] < 0 {
                        next[slot] = output.count
                        output.append(0)
                        next.append(contentsOf: repeatElement(-1, count: width))
                    }
                    state = next[slot]
                }
                output[state] |= 1 << UInt64(group)
            }
        }
        var failure = Array(repeating: 0, count: output.count)
        var queue: [Int] = []
        for letter in 0..<width {
            if next[letter] < 0 { next[letter] = 0 } else { queue.append(next[letter]) }
        }
        var head = 0
        while head < queue.count {
            let state = queue[head]
            head += 1
            output[state] |= output[failure[state]]
            for letter in 0..<width {
                let slot = state * width + letter
                let fallback = next[failure[state] * width + letter]
                if next[slot] < 0 {
                    next[slot] = fallback
                } else {
                    failure[next[slot]] = fallback
                    queue.append(next[slot])
                }
            }
        }
        transitions = next.map { UInt32($0 * width) }
        outputs = output.flatMap { groups in [groups] + Array(repeating: 0, count: width - 1) }
    }

    /// The keyword groups present in `bytes` (UTF-8): one pass, about one table lookup per byte (none when no row
    /// has keywords).
    func seen(in bytes: UnsafeBufferPointer<UInt8>) -> Seen {
        guard hasKeywords else { return ~0 }
        var seen: UInt64 = 0
        var high: UInt8 = 0
        Self.classes.withUnsafeBufferPointer { classes in
            transitions.withUnsafeBufferPointer { transitions in
                outputs.withUnsafeBufferPointer { outputs in
                    var state = 0
                    for byte in bytes {
                        high |= byte
                        state = Int(transitions[state &+ Int(classes[Int(byte)])])
                        seen |= outputs[state]
                    }
                }
            }
        }
        if high & 0x80 != 0 && Self.containsCaselessEquivalentOfASCII(bytes) { return ~0 }
        return seen
    }

    /// Whether row `row`'s pattern can match a text in which `seen` groups occur.
    func mayMatch(row: Int, _ seen: Seen) -> Bool { required[row] & seen == required[row] }

    /// Whether `bytes` contain U+212A (`E2 84 AA`) or U+017F (`C5 BF`), the only non-ASCII characters that PCRE2
    /// matches caselessly against ASCII letters (`k`, `s`).
    static func containsCaselessEquivalentOfASCII(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        var index = 0
        let count = bytes.count
        while index + 1 < count {
            let byte = bytes[index]
            if byte == 0xC5 && bytes[index + 1] == 0xBF { return true }
            if byte == 0xE2 && index + 2 < count && bytes[index + 1] == 0x84 && bytes[index + 2] == 0xAA { return true }
            index += 1
        }
        return false
    }
}

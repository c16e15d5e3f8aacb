import ClinPipeCore
import ClinPipeText

/// The compiled line-structure rules (`Rules/line-rules.tsv` plus any user file) and hyphenation prefixes.
struct LineRules: Sendable {
    enum Kind: String, CaseIterable { case start, end, decision, artifact, itemSentence = "item_sentence", decisionTail = "decision_tail" }

    /// One kind's compiled alternation with necessary conditions on the line's edge bytes.
    struct Rule: Sendable {
        let pattern: PCRE2Pattern
        /// When set (the pattern is anchored at the line start), a line whose first bytes it does not admit cannot
        /// match.
        let prefix: AffixFilter?
        /// When set (the pattern is anchored at the line end), a line whose last bytes it does not admit cannot
        /// match.
        let suffix: AffixFilter?
    }

    let start: Rule?
    let end: Rule?
    let decision: Rule?
    let artifact: Rule?
    let itemSentence: Rule?
    let decisionTail: Rule?
    let keptHyphenPrefixes: Set<[UInt8]>

    /// The kinds `features` checks on every line, as bits of `candidates(_:)`.
    static let startBit: UInt8 = 1, endBit: UInt8 = 2, decisionBit: UInt8 = 4, decisionTailBit: UInt8 = 8,
               itemSentenceBit: UInt8 = 16
    /// The kinds that may match a line, by its edge bytes (from `AffixFilter.edgeByteVerdicts`): four tables of
    /// 257 entries, for the first byte, the second, the last and the one before it; entry 256 of the second and
    /// fourth stands for a line of one byte (no such byte). Each entry holds the bits of the kinds whose filter lets
    /// that byte pass there (every kind without a filter at that edge; no kind without rules).
    private let edgeKinds: [UInt8]
    private static let tableSize = 257

    /// Compiles the rules of each kind into one alternation, anchored as the kind requires.
    init(tables: [RuleTable], hyphenPrefixes: [String]) throws {
        var alternatives: [Kind: [String]] = [:]
        var problems: [String] = []
        for table in tables {
            for row in table.rows {
                guard let kind = Kind(rawValue: row["kind"]) else {
                    problems.append("\(table.name):\(row.line): unknown kind '\(row["kind"])' (start, end, decision, artifact, item_sentence, decision_tail)")
                    continue
                }
                let caseless = row["flags"].contains("i")
                alternatives[kind, default: []].append((caseless ? "(?i:" : "(?:") + row["pattern"] + ")")
            }
        }
        if !problems.isEmpty { throw RuleFileError(problems: problems) }
        func compile(_ kind: Kind) throws -> Rule? {
            guard let list = alternatives[kind], !list.isEmpty else { return nil }
            let body = "(?:" + list.joined(separator: "|") + ")"
            let pattern: PCRE2Pattern
            let anchoredStart: Bool, anchoredEnd: Bool
            switch kind {
            case .start: pattern = try PCRE2Pattern("\\A" + body); (anchoredStart, anchoredEnd) = (true, false)
            case .artifact, .decisionTail: pattern = try PCRE2Pattern("\\A" + body + "\\z"); (anchoredStart, anchoredEnd) = (true, true)
            case .end, .decision, .itemSentence: pattern = try PCRE2Pattern(body + "\\z"); (anchoredStart, anchoredEnd) = (false, true)
            }
            // The body compiled without error, so the analysis sees a valid pattern; nil means no shortcut. Artifact
            // rules run only on the few lines next to page breaks: not worth building filters for.
            let filtered = kind != .artifact
            return Rule(pattern: pattern, prefix: filtered && anchoredStart ? AffixFilter(body, edge: .start) : nil,
                        suffix: filtered && anchoredEnd ? AffixFilter(body, edge: .end) : nil)
        }
        start = try compile(.start)
        end = try compile(.end)
        decision = try compile(.decision)
        artifact = try compile(.artifact)
        itemSentence = try compile(.itemSentence)
        decisionTail = try compile(.decisionTail)
        keptHyphenPrefixes = Set(hyphenPrefixes.map { Array($0.lowercased().utf8) })
        var edgeKinds = [UInt8](repeating: 0, count: 4 * Self.tableSize)
        for (rule, bit) in [(start, Self.startBit), (end, Self.endBit), (decision, Self.decisionBit),
                            (decisionTail, Self.decisionTailBit), (itemSentence, Self.itemSentenceBit)]
        {
            guard let rule else { continue }
            let prefix = rule.prefix?.edgeByteVerdicts, suffix = rule.suffix?.edgeByteVerdicts
            for (table, verdicts) in [prefix?.first, prefix?.second, suffix?.first, suffix?.second].enumerated() {
                for byte in 0...256 where byte == 256 || verdicts?[byte] ?? true {
                    edgeKinds[table * Self.tableSize + byte] |= bit
                }
            }
        }
        self.edgeKinds = edgeKinds
    }

    /// The bits (`startBit`, ...) of the kinds that may match `line` (trimmed, not empty): a kind whose bit is clear
    /// does not match it (`matches` would say false). Four look-ups, no branch on the bytes.
    @inline(__always)
    func candidates(_ line: UnsafeBufferPointer<UInt8>) -> UInt8 {
        let count = line.count, size = Self.tableSize
        let second = count >= 2 ? Int(line[1]) : 256, beforeLast = count >= 2 ? Int(line[count - 2]) : 256
        return edgeKinds[Int(line[0])] & edgeKinds[size + second] & edgeKinds[2 * size + Int(line[count - 1])]
            & edgeKinds[3 * size + beforeLast]
    }

    /// Whether `pattern` matches the line `bytes` (already trimmed).
    @inline(__always)
    static func matches(_ rule: borrowing Rule?, _ bytes: UnsafeBufferPointer<UInt8>) throws -> Bool {
        switch rule {
        case .none: return false
        case .some(let rule):
            if let prefix = rule.prefix, !prefix.admits(bytes, at: 0, limit: bytes.count) { return false }
            if let suffix = rule.suffix, !suffix.admits(bytes, at: bytes.count, limit: 0) { return false }
            return try rule.pattern.matches(bytes)
        }
    }
}

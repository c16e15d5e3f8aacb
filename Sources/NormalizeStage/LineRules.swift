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

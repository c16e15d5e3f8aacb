import ClinPipeCore
import ClinPipeText

/// The compiled line-structure rules (`Rules/line-rules.tsv` plus any user file) and hyphenation prefixes.
struct LineRules: Sendable {
    enum Kind: String, CaseIterable { case start, end, decision, artifact, itemSentence = "item_sentence", decisionTail = "decision_tail" }

    let start: PCRE2Pattern?
    let end: PCRE2Pattern?
    let decision: PCRE2Pattern?
    let artifact: PCRE2Pattern?
    let itemSentence: PCRE2Pattern?
    let decisionTail: PCRE2Pattern?
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
        func compile(_ kind: Kind) throws -> PCRE2Pattern? {
            guard let list = alternatives[kind], !list.isEmpty else { return nil }
            let body = "(?:" + list.joined(separator: "|") + ")"
            switch kind {
            case .start: return try PCRE2Pattern("\\A" + body)
            case .artifact, .decisionTail: return try PCRE2Pattern("\\A" + body + "\\z")
            case .end, .decision, .itemSentence: return try PCRE2Pattern(body + "\\z")
            }
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
    static func matches(_ pattern: PCRE2Pattern?, _ bytes: UnsafeBufferPointer<UInt8>) throws -> Bool {
        guard let pattern else { return false }
        return try pattern.matches(bytes)
    }
}

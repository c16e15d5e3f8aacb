import ClinPipeText

/// One rule of `DecisionMasker`: a core pattern, and optionally the words that may precede it and are masked
/// with it (see `Rules/decision-patterns.tsv`).
public struct MaskRule: Sendable, Hashable, Codable {
    /// A name for messages.
    public var id: String
    /// The core wording (PCRE2, case-insensitive).
    public var pattern: String
    /// Words that may stand just before the core and are masked with it (PCRE2, case-insensitive); its match must
    /// end where the core starts. Empty: none.
    public var prefixPattern: String
    /// The core counts only when the prefix is there.
    public var prefixRequired: Bool

    public init(id: String, pattern: String, prefixPattern: String = "", prefixRequired: Bool = false) {
        self.id = id
        self.pattern = pattern
        self.prefixPattern = prefixPattern
        self.prefixRequired = prefixRequired
    }

    /// The rules of a table with columns `id`, `pattern` and optionally `prefix_pattern` and `prefix_required`
    /// (`yes`/`true`/`1`), such as the built-in `decision-patterns.tsv`.
    /// - Throws: `RuleFileError` naming the file and line of a row without a pattern or with a bad
    ///   `prefix_required` value.
    public static func rules(from table: RuleTable) throws -> [MaskRule] {
        var problems: [String] = []
        var rules: [MaskRule] = []
        for row in table.rows {
            let required = row["prefix_required"].lowercased()
            guard ["", "yes", "no", "true", "false", "1", "0"].contains(required) else {
                problems.append("\(table.name):\(row.line): prefix_required must be yes or no")
                continue
            }
            if row["pattern"].isEmpty { problems.append("\(table.name):\(row.line): empty 'pattern'") }
            if ["yes", "true", "1"].contains(required) && row["prefix_pattern"].isEmpty {
                problems.append("\(table.name):\(row.line): prefix_required without a prefix_pattern")
            }
            rules.append(MaskRule(id: row["id"].isEmpty ? "\(table.name):\(row.line)" : row["id"], pattern: row["pattern"],
                                  prefixPattern: row["prefix_pattern"], prefixRequired: ["yes", "true", "1"].contains(required)))
        }
        if !problems.isEmpty { throw RuleFileError(problems: problems) }
        return rules
    }
}

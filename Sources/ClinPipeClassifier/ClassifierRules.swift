import ClinPipeText

/// The classifier's built-in data files (`Rules/`, validated and embedded at build time).
public enum ClassifierRules {
    /// `decision-phrases.txt`: literal decision-revealing phrases.
    public static var decisionPhrases: [String] { lines(of: EmbeddedRules.text("decision-phrases.txt")) }

    /// `decision-patterns.tsv`: decision-revealing mask rules (columns `id`, `pattern`, `prefix_pattern`,
    /// `prefix_required`, `note`; read them with `MaskRule.rules(from:)`).
    public static func decisionPatterns() throws -> RuleTable {
        try RuleTable(name: "decision-patterns.tsv", text: EmbeddedRules.text("decision-patterns.tsv"), required: ["id", "pattern"],
                      knownColumns: ["id", "pattern", "prefix_pattern", "prefix_required", "note"])
    }

    /// `stopwords-en.txt`: English function words without negations, for `TokenizerConfiguration.stopWords`.
    public static var englishStopWords: [String] { lines(of: EmbeddedRules.text("stopwords-en.txt")) }

    /// The entries of a one-per-line list: trimmed lines, without blank lines and `#` comments.
    public static func lines(of text: String) -> [String] {
        text.split(separator: "\n", omittingEmptySubsequences: true).compactMap { raw in
            var line = Substring(raw)
            while let first = line.first, first == " " || first == "\t" || first == "\r" { line = line.dropFirst() }
            while let last = line.last, last == " " || last == "\t" || last == "\r" { line = line.dropLast() }
            return line.isEmpty || line.hasPrefix("#") ? nil : String(line)
        }
    }
}

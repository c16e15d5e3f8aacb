/// One ConText trigger: a literal phrase or a PCRE2 pattern, with what it does and how far it reaches.
///
/// Rules come from trigger rule files (see `ContextRuleSet` and `Rules/context-rules.tsv`); one row with `{a|b}`
/// alternatives gives one rule per expanded phrase.
public struct ContextRule: Sendable, Hashable {
    /// What the rule matches.
    public enum Trigger: Sendable, Hashable {
        /// A phrase matched as whole words, longest match first, ignoring ASCII case.
        case literal(String)
        /// A PCRE2 pattern (caseless).
        case pattern(String)
    }

    public var trigger: Trigger
    public var category: ContextCategory
    /// For modifying categories, where the scope reaches. For rules that end scopes (`endsScopes`), which scopes
    /// they end: `.forward` ends the forward scopes of triggers before it, `.backward` the backward scopes of
    /// triggers after it, `.bidirectional` both.
    public var direction: ContextDirection
    /// The scope reaches at most this many words (runs of ASCII letters and digits, or non-ASCII characters) on
    /// each side of the trigger; nil: up to the sentence edge.
    public var maxScope: Int?
    /// Experiencer rules: the experiencer their targets get (`family`, `other`).
    public var value: String?
    /// Whether the rule ends other triggers' scopes: every `terminate` rule, and `pseudo` rules written with
    /// direction `terminate` (decision phrases such as "not medically necessary").
    public var endsScopes: Bool
    /// For rules that end scopes: the categories whose scopes they end; empty means all.
    public var terminatedCategories: [ContextCategory]
    /// Where the rule was written: `file:line`.
    public var source: String

    public init(trigger: Trigger, category: ContextCategory, direction: ContextDirection, maxScope: Int? = nil,
                value: String? = nil, endsScopes: Bool? = nil, terminatedCategories: [ContextCategory] = [],
                source: String)
    {
        self.trigger = trigger
        self.category = category
        self.direction = direction
        self.maxScope = maxScope
        self.value = value
        self.endsScopes = endsScopes ?? (category == .terminate)
        self.terminatedCategories = terminatedCategories
        self.source = source
    }

    /// The literal phrase or the pattern, as written after expansion.
    public var phrase: String {
        switch trigger {
        case .literal(let text), .pattern(let text): text
        }
    }

    /// Whether this rule ends the scope of a trigger of `category`.
    func ends(_ category: ContextCategory) -> Bool {
        endsScopes && (terminatedCategories.isEmpty || terminatedCategories.contains(category))
    }
}

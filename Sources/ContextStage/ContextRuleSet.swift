import ClinPipeText

/// The trigger rules of the `context` stage, read from one or more trigger rule files.
///
/// File format (TSV with a header row; `#` comments; see `RuleTable`), one trigger per row:
///
/// | column | meaning |
/// |---|---|
/// | `literal` | a phrase; `{a\|b\|}` expands to alternatives (an empty one makes the part optional) |
/// | `pattern` | a PCRE2 pattern (caseless), only when a literal cannot say it; exactly one of the two |
/// | `category` | `negated`, `uncertain`, `hypothetical`, `historical`, `experiencer`, `pseudo`, `terminate` |
/// | `direction` | modifying rows: `forward`, `backward`, `bidirectional`; terminate rows: which scopes they end (`forward`, `backward`, empty: both); pseudo rows: empty, or `terminate` to end scopes too |
/// | `max_scope` | optional maximum scope in words |
/// | `value` | experiencer rows: `family`, `other`, ... |
/// | `terminates` | terminate rows: categories they end, comma-separated (empty: all) |
///
/// The built-in file is `Rules/context-rules.tsv`. Identical expanded rules (same phrase, category, direction,
/// scope and value) are kept once.
public struct ContextRuleSet: Sendable {
    public static let columns = ["literal", "pattern", "category", "direction", "max_scope", "value", "terminates"]
    /// The name of the built-in trigger file.
    public static let builtInFileName = "context-rules.tsv"

    public private(set) var rules: [ContextRule] = []
    /// The rules already added, with their source cleared, to keep one of identical rules.
    private var seen: Set<ContextRule> = []

    public init() {}

    public init(rules: [ContextRule]) {
        for rule in rules { append(rule) }
    }

    /// The built-in trigger rules.
    public static func builtIn() throws -> ContextRuleSet {
        try ContextRuleSet(name: builtInFileName, text: EmbeddedRules.text(builtInFileName))
    }

    /// The text of the built-in trigger rule file, for tools that show or copy it.
    public static var builtInText: String { EmbeddedRules.text(builtInFileName) }

    /// Parses a trigger rule file.
    /// - Parameter name: the file name, used in `source` and error messages.
    /// - Throws: `RuleFileError` listing every bad line.
    public init(name: String, text: String) throws {
        let table = try RuleTable(name: name, text: text, required: ["category"], knownColumns: Self.columns)
        var problems: [String] = []
        for row in table.rows {
            let location = "\(name):\(row.line)"
            do {
                for rule in try Self.rules(from: row, location: location) { append(rule) }
            } catch let error as RuleFileError {
                problems += error.problems
            }
        }
        if !problems.isEmpty { throw RuleFileError(problems: problems) }
    }

    /// Adds the rules of another set (after this set's).
    public mutating func append(contentsOf other: ContextRuleSet) {
        for rule in other.rules { append(rule) }
    }

    /// Adds one rule unless an identical one (apart from its source) is already there.
    public mutating func append(_ rule: ContextRule) {
        var key = rule
        key.source = ""
        if case .literal(let phrase) = key.trigger { key.trigger = .literal(phrase.lowercased()) }
        if seen.insert(key).inserted { rules.append(rule) }
    }

    private static func rules(from row: RuleTable.Row, location: String) throws -> [ContextRule] {
        var problems: [String] = []
        let literal = row["literal"], pattern = row["pattern"]
        if literal.isEmpty == pattern.isEmpty {
            problems.append("\(location): give exactly one of 'literal' and 'pattern'")
        }
        guard let category = ContextCategory(rawValue: row["category"].lowercased()) else {
            let known = ContextCategory.allCases.map(\.rawValue).joined(separator: ", ")
            throw RuleFileError(problems: problems + ["\(location): unknown category '\(row["category"])' (known: \(known))"])
        }
        let directionText = row["direction"].lowercased()
        var direction = ContextDirection.bidirectional
        var endsScopes: Bool?
        switch category {
        case .negated, .uncertain, .hypothetical, .historical, .experiencer:
            guard let parsed = ContextDirection(rawValue: directionText) else {
                throw RuleFileError(problems: problems + ["\(location): direction must be forward, backward or bidirectional"])
            }
            direction = parsed
        case .terminate:
            if !directionText.isEmpty {
                guard let parsed = ContextDirection(rawValue: directionText) else {
                    throw RuleFileError(problems: problems + ["\(location): a terminate row's direction is forward, backward, bidirectional or empty"])
                }
                direction = parsed
            }
        case .pseudo:
            switch directionText {
            case "": endsScopes = false
            case "terminate": endsScopes = true
            default: problems.append("\(location): a pseudo row's direction is empty or 'terminate'")
            }
        }
        var maxScope: Int?
        if !row["max_scope"].isEmpty {
            if let value = Int(row["max_scope"]), value > 0 { maxScope = value } else {
                problems.append("\(location): max_scope must be a positive whole number of words")
            }
        }
        let value = row["value"].isEmpty ? nil : row["value"]
        if category == .experiencer && value == nil { problems.append("\(location): an experiencer row needs a value (family, other)") }
        if category != .experiencer && value != nil { problems.append("\(location): only experiencer rows take a value") }
        var terminated: [ContextCategory] = []
        for name in row["terminates"].split(separator: ",") {
            let trimmed = String(name.filter { $0 != " " })
            guard let parsed = ContextCategory(rawValue: trimmed.lowercased()), parsed.isModifying else {
                problems.append("\(location): 'terminates' lists modifying categories, not '\(trimmed)'")
                continue
            }
            terminated.append(parsed)
        }
        if !terminated.isEmpty && category != .terminate && endsScopes != true {
            problems.append("\(location): only rows that end scopes take 'terminates'")
        }
        if !problems.isEmpty { throw RuleFileError(problems: problems) }

        let triggers: [ContextRule.Trigger]
        if !pattern.isEmpty {
            triggers = [.pattern(pattern)]
        } else {
            guard let phrases = Self.expand(literal) else {
                throw RuleFileError(problems: ["\(location): unbalanced '{' or '}' in literal"])
            }
            triggers = phrases.map { .literal($0) }
        }
        return triggers.map {
            ContextRule(trigger: $0, category: category, direction: direction, maxScope: maxScope, value: value,
                        endsScopes: endsScopes, terminatedCategories: terminated, source: location)
        }
    }

    /// Expands `{a|b|}` groups (not nested) into every combination, with whitespace collapsed and trimmed; nil
    /// when braces are unbalanced. Empty results are dropped.
    static func expand(_ literal: String) -> [String]? {
        var parts: [[String]] = []
        var current = ""
        var group: [String]?
        for character in literal {
            switch character {
            case "{":
                if group != nil { return nil }
                parts.append([current])
                current = ""
                group = []
            case "|" where group != nil:
                group!.append(current)
                current = ""
            case "}":
                guard var alternatives = group else { return nil }
                alternatives.append(current)
                parts.append(alternatives)
                current = ""
                group = nil
            default:
                current.append(character)
            }
        }
        if group != nil { return nil }
        parts.append([current])
        var results = [""]
        for alternatives in parts {
            results = results.flatMap { prefix in alternatives.map { prefix + $0 } }
        }
        var seen: Set<String> = []
        return results.map { $0.split(whereSeparator: { $0 == " " || $0 == "\t" }).joined(separator: " ") }
            .filter { !$0.isEmpty && seen.insert($0.lowercased()).inserted }
    }
}

import ClinPipeText

/// The compiled rules of `Rules/imr-items.tsv` (plus the user's files): the decision line, the line that may
/// precede it, the partial-authorization forms, and the field labels of an IMR item block.
struct ItemRules: Sendable {
    struct PartialForm: Sendable {
        var name: String
        /// `imr-items.tsv:partial:<name>`, the provenance rule of items in this form.
        var rule: String
        var pattern: PrefilteredPattern
        /// Group numbers for each role, in order of preference (`authorized`, `authorized_2`, ...).
        var item: [Int]
        var original: [Int]
        var authorized: [Int]
        /// Fewer UTF-8 bytes than this cannot match (`shippedMinimumBytes`; 0 for a form that is not shipped).
        var minimumBytes = 0
    }

    /// The shipped `partial` rows (pattern, caseless) and the fewest characters any match of each has, so the fewest
    /// bytes (a character is at least one). Counted from the parts every match has, each at its shortest: a word
    /// is its letters, `\s+` one character, `.+?` one, an optional or alternative part nothing or its shortest:
    /// - `leaving_eligible`: `The Claims Administrator authorized` (3+6+13+10 letters, 4 spaces), the authorized
    ///   part (1), `leaving the original request IMR eligible.` (7+3+8+7+3+9, 6 spaces before and between),
    ///   `The original request` (3+8+7, 3 spaces before and between), a separator (1) and the item (1): 103;
    /// - `remaining_portion`: `The remaining portion of the original request` (3+9+7+2+3+8+7 letters, 6 spaces), a
    ///   separator (1) and the item (1): 47.
    /// `ItemRulesTests` checks that the shortest such texts match and that shorter ones are never searched.
    static let shippedMinimumBytes: [(pattern: String, caseless: Bool, bytes: Int)] = [
        (#"^(?:(?<original>.+?)\s+was\s+the\s+original\s+request\.\s+)?The\s+Claims\s+Administrator\s+authorized\s+(?<authorized>.+?),?\s+leaving\s+the\s+original\s+request\s+IMR\s+eligible\.\s+The\s+original\s+request(?:\s*,\s*|\s+is\s+|\s+)(?<item>.+?)(?:,?\s+is)?$"#, true, 103),
        (#"^(?:(?<original>.+?)\s+was\s+the\s+original\s+request\.\s+)?(?:(?<authorized>.+?)\s+(?:was|were)\s+authorized\s+by\s+the\s+Claims\s+Administrator\.\s+|The\s+Claims\s+Administrator\s+authorized\s+(?<authorized_2>.+?)\.\s+)?The\s+remaining\s+(?:IMR\s+eligible\s+)?portion\s+of\s+the\s+original\s+request(?:\s*,\s*|\s+is\s+|\s+)(?<item>.+?)(?:,?\s+is)?$"#, true, 47),
    ]

    /// Item lines: groups `item` and `outcome`.
    let decision: PrefilteredPattern
    /// The byte code that stands for `decision` when it is the shipped row (same matches), else nil.
    let builtInDecision: BuiltInItemDecision?
    let decisionItemGroup: Int
    let decisionOutcomeGroup: Int
    let prefixes: [PrefilteredPattern]
    let partialForms: [PartialForm]
    /// All field labels as one alternation anchored at a line start (`ItemFieldLabels`); nil without field rows.
    let fields: ItemFieldLabels?
    let fieldNames: [String]
    /// Per field: its annotation type (`imr.item.<name>`) and provenance rule (`imr-items.tsv:field:<name>`).
    let fieldTypes: [String]
    let fieldRules: [String]

    static let columns = ["kind", "name", "pattern"]

    init(tables: [RuleTable]) throws {
        var decision: (PrefilteredPattern, Int, Int, BuiltInItemDecision?)?
        var prefixes: [PrefilteredPattern] = []
        var partialForms: [PartialForm] = []
        var fieldAlternatives: [String] = []
        var fieldNames: [String] = []
        var problems: [String] = []
        for table in tables {
            for row in table.rows {
                do {
                    switch row["kind"] {
                    case "decision":
                        let compiled = try RuleSources.compile(row, in: table)
                        let pattern = PrefilteredPattern(compiled)
                        guard let item = pattern.groupNumbers["item"], let outcome = pattern.groupNumbers["outcome"] else {
                            problems.append("\(table.name):\(row.line): a decision pattern needs the groups 'item' and 'outcome'")
                            continue
                        }
                        // A later file replaces the built-in decision line.
                        decision = (pattern, item, outcome, BuiltInItemDecision(pattern: compiled))
                    case "prefix":
                        prefixes.append(PrefilteredPattern(try RuleSources.compile(row, in: table)))
                    case "partial":
                        let pattern = PrefilteredPattern(try RuleSources.compile(row, in: table))
                        func groups(_ role: String) -> [Int] {
                            pattern.groupNumbers.filter { $0.key == role || $0.key.hasPrefix(role + "_") }
                                .sorted { $0.key < $1.key }.map(\.value)
                        }
                        let item = groups("item")
                        guard !item.isEmpty else {
                            problems.append("\(table.name):\(row.line): a partial pattern needs the group 'item'")
                            continue
                        }
                        let caseless = pattern.pattern.options.contains(.caseless)
                        let minimumBytes = Self.shippedMinimumBytes.first {
                            $0.pattern == pattern.pattern.pattern && $0.caseless == caseless && pattern.pattern.options.isSubset(of: [.caseless])
                        }?.bytes ?? 0
                        partialForms.append(PartialForm(name: row["name"], rule: "imr-items.tsv:partial:" + row["name"], pattern: pattern,
                                                        item: item, original: groups("original"), authorized: groups("authorized"),
                                                        minimumBytes: minimumBytes))
                    case "field":
                        let name = row["name"]
                        guard !name.isEmpty, name.utf8.allSatisfy({ ByteClass.isDigit($0) || ($0 >= 0x61 && $0 <= 0x7A) || $0 == 0x5F }) else {
                            problems.append("\(table.name):\(row.line): a field needs a snake_case name (a-z, 0-9, _)")
                            continue
                        }
                        _ = try RuleSources.compile(row, in: table)
                        let caseless = table.columns.contains("flags") ? row["flags"].contains("i") : true
                        fieldAlternatives.append((caseless ? "(?i:" : "(?-i:") + row["pattern"] + ")")
                        fieldNames.append(name)
                    default:
                        problems.append("\(table.name):\(row.line): unknown kind '\(row["kind"])' (decision, prefix, partial, field)")
                    }
                } catch let error as RuleFileError {
                    problems += error.problems
                }
            }
        }
        guard let decision else {
            throw RuleFileError(problems: problems + ["imr item rules: no decision pattern"])
        }
        if !problems.isEmpty { throw RuleFileError(problems: problems) }
        self.decision = decision.0
        self.decisionItemGroup = decision.1
        self.decisionOutcomeGroup = decision.2
        self.builtInDecision = decision.3
        self.prefixes = prefixes
        self.partialForms = partialForms
        self.fieldNames = fieldNames
        self.fieldTypes = fieldNames.map { "imr.item." + $0 }
        self.fieldRules = fieldNames.map { "imr-items.tsv:field:" + $0 }
        if fieldAlternatives.isEmpty {
            self.fields = nil
        } else {
            // Each alternative in its own capturing group, so the match tells which field it is.
            let body = fieldAlternatives.enumerated().map { "(?<f\($0.offset)>\($0.element))" }.joined(separator: "|")
            self.fields = try ItemFieldLabels(body: body, fieldCount: fieldNames.count)
        }
    }
}

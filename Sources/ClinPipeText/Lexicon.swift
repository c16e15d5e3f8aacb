import ClinPipeCore

/// A lexicon file: terms with the annotation type they produce, a normalized value and optional attributes.
///
/// Format (TSV, see `RuleTable`): columns `term`, `type`, `normalized` (optional), `attributes` (optional,
/// `key=value;key=value`). Example:
/// ```
/// # findings that IMR criteria turn on
/// term	type	normalized	attributes
/// trigger points	finding	trigger_point
/// twitch response	finding	twitch_response	criterion=trigger_point_injection
/// ```
public struct Lexicon: Sendable {
    public struct Entry: Sendable, Hashable {
        public var term: String
        public var type: String
        public var normalized: String
        public var attributes: Attributes
        /// Where the entry came from (`file:line`).
        public var source: String
    }

    public static let columns = ["term", "type", "normalized", "attributes"]

    public private(set) var entries: [Entry] = []

    public init() {}

    /// Parses a lexicon file. `defaultType` fills rows whose `type` is empty (or a file without that column).
    /// - Throws: `RuleFileError` listing every bad line.
    public init(name: String, text: String, defaultType: String? = nil) throws {
        let table = try RuleTable(name: name, text: text, required: ["term"], knownColumns: Self.columns)
        var problems: [String] = []
        for row in table.rows {
            let type = row["type"].isEmpty ? (defaultType ?? "") : row["type"]
            if type.isEmpty { problems.append("\(name):\(row.line): no type (and no default type)") }
            guard let pairs = RuleTable.parseAttributes(row["attributes"]) else {
                problems.append("\(name):\(row.line): attributes must be key=value pairs separated by ';'")
                continue
            }
            var attributes = Attributes()
            for (key, value) in pairs { attributes[key] = Self.typedValue(value) }
            let normalized = row["normalized"].isEmpty ? row["term"].lowercased() : row["normalized"]
            entries.append(Entry(term: row["term"], type: type, normalized: normalized, attributes: attributes,
                                 source: "\(name):\(row.line)"))
        }
        if !problems.isEmpty { throw RuleFileError(problems: problems) }
    }

    /// Adds the entries of another lexicon.
    public mutating func append(contentsOf other: Lexicon) { entries.append(contentsOf: other.entries) }

    /// Adds one entry.
    public mutating func append(_ entry: Entry) { entries.append(entry) }

    /// The annotation types this lexicon produces.
    public var types: [String] {
        var seen: Set<String> = []
        return entries.map(\.type).filter { seen.insert($0).inserted }
    }

    /// A matcher over every term.
    public func makeMatcher(caseSensitive: Bool = false) -> LexiconMatcher {
        LexiconMatcher(terms: entries.map(\.term), caseSensitive: caseSensitive)
    }

    static func typedValue(_ value: String) -> AttributeValue {
        if value == "true" { return .bool(true) }
        if value == "false" { return .bool(false) }
        if let int = Int(value) { return .int(int) }
        return .string(value)
    }
}

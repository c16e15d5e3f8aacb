import ClinPipeCore
import ClinPipeText

/// The compiled rows of a signature rule file (`Rules/signature.tsv` or a user's replacement): how the `drugs`
/// stage reads strength, form, route, frequency, quantity, refills and duration after a drug name.
///
/// See the header of `signature.tsv` for the format and the parse; `parse(_:from:limit:)` does it.
public struct SignatureRules: Sendable {
    /// Where a row may match in the sequence of elements after a name.
    enum Position: String, Sendable {
        /// Anywhere.
        case any = ""
        /// Only as the first element.
        case first
        /// Only as the first element, separated from the name by spaces and tabs alone.
        case adjacent
    }

    /// A piece of a value template: literal text or a named group's text.
    enum TemplatePart: Sendable {
        case literal(String)
        case group(String)
    }

    struct Row: Sendable {
        let element: SignatureElement
        /// Anchored at the parse position and ending at a word boundary.
        let pattern: PCRE2Pattern
        let value: [TemplatePart]
        let unit: [TemplatePart]
        let position: Position
        let source: String
    }

    public static let columns = ["element", "pattern", "value", "unit", "position"]

    let skipRows: [Row]
    let rows: [Row]

    /// The rules shipped with the stage.
    public static func builtIn() throws -> SignatureRules {
        try SignatureRules(name: "signature.tsv", text: EmbeddedRules.text("signature.tsv"))
    }

    /// Parses and compiles a signature rule file.
    /// - Throws: `RuleFileError` listing every bad line (`name:line: problem`).
    public init(name: String, text: String) throws {
        let table = try RuleTable(name: name, text: text, required: ["element", "pattern"], knownColumns: Self.columns)
        var problems: [String] = []
        var skipRows: [Row] = []
        var rows: [Row] = []
        for row in table.rows {
            let place = "\(name):\(row.line)"
            guard let element = SignatureElement(rawValue: row["element"]) else {
                let known = SignatureElement.allCases.map(\.rawValue).joined(separator: ", ")
                problems.append("\(place): unknown element '\(row["element"])' (known: \(known))")
                continue
            }
            guard let position = Position(rawValue: row["position"]) else {
                problems.append("\(place): position must be empty, 'first' or 'adjacent'")
                continue
            }
            // Anchor at the parse position (a leading \G makes PCRE2 treat the pattern as anchored, so a failed
            // attempt costs one try, not a scan) and require a word boundary at the end unless the match ends in
            // punctuation.
            let source = "\\G(?:" + row["pattern"] + ")(?:(?<![A-Za-z0-9])|(?![A-Za-z0-9]))"
            let pattern: PCRE2Pattern
            do {
                pattern = try PCRE2Pattern(source, options: [.caseless])
            } catch {
                problems.append("\(place): pattern: \(error)")
                continue
            }
            let value = Self.template(row["value"])
            let unit = Self.template(row["unit"])
            for case .group(let group) in value + unit where pattern.groupNumbers[group] == nil {
                problems.append("\(place): template names group '\(group)', which the pattern lacks")
            }
            let compiled = Row(element: element, pattern: pattern, value: value, unit: unit, position: position,
                               source: place)
            if element == .skip { skipRows.append(compiled) } else { rows.append(compiled) }
        }
        if !problems.isEmpty { throw RuleFileError(problems: problems) }
        self.skipRows = skipRows
        self.rows = rows
    }

    /// Splits `text` into literal parts and `{group}` references.
    static func template(_ text: String) -> [TemplatePart] {
        var parts: [TemplatePart] = []
        var rest = Substring(text)
        while let open = rest.firstIndex(of: "{"), let close = rest[open...].firstIndex(of: "}") {
            if open > rest.startIndex { parts.append(.literal(String(rest[..<open]))) }
            parts.append(.group(String(rest[rest.index(after: open)..<close])))
            rest = rest[rest.index(after: close)...]
        }
        if !rest.isEmpty { parts.append(.literal(String(rest))) }
        return parts
    }
}

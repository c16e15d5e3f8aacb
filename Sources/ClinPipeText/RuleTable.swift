/// A rule or lexicon file: tab-separated values with a header row.
///
/// Lines starting with `#` are comments, blank lines are skipped, the first other line names the columns. Every
/// row must have at most as many fields as the header (missing trailing fields are empty); `required` columns
/// must be non-empty. Errors name the file and line. The same parser runs at build time (the `RuleCompiler`
/// plugin) and at run time (user files), so a file that builds also loads.
public struct RuleTable: Sendable {
    public struct Row: Sendable {
        /// 1-based line number in the file.
        public let line: Int
        public let fields: [String]
        let columns: [String: Int]

        /// The field of a column, or "" when the row does not have it.
        public subscript(column: String) -> String {
            guard let index = columns[column], index < fields.count else { return "" }
            return fields[index]
        }
    }

    public let name: String
    public let columns: [String]
    public let rows: [Row]

    /// Parses `text`. `name` (a file name) appears in error messages.
    /// - Throws: `RuleFileError` listing every problem found.
    public init(name: String, text: String, required: [String] = [], knownColumns: [String]? = nil) throws {
        var problems: [String] = []
        var header: [String]?
        var columnIndex: [String: Int] = [:]
        var rows: [Row] = []
        var lineNumber = 0
        // "\r\n" is one Character in Swift, so split on it as well as on "\n".
        for rawLine in text.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" }) {
            lineNumber += 1
            var line = Substring(rawLine)
            if line.hasSuffix("\r") { line = line.dropLast() }
            if line.allSatisfy({ $0 == " " || $0 == "\t" }) || line.hasPrefix("#") { continue }
            let fields = line.split(separator: "\t", omittingEmptySubsequences: false).map {
                $0.trimmingCharacters(in: " ")
            }
            guard let columns = header else {
                header = fields
                for (index, column) in fields.enumerated() {
                    if column.isEmpty { problems.append("\(name):\(lineNumber): empty column name in header") }
                    if columnIndex[column] != nil { problems.append("\(name):\(lineNumber): column '\(column)' named twice") }
                    columnIndex[column] = index
                }
                for column in required where columnIndex[column] == nil {
                    problems.append("\(name):\(lineNumber): header lacks required column '\(column)'")
                }
                if let knownColumns {
                    for column in fields where !knownColumns.contains(column) {
                        problems.append("\(name):\(lineNumber): unknown column '\(column)' (known: \(knownColumns.joined(separator: ", ")))")
                    }
                }
                continue
            }
            if fields.count > columns.count {
                problems.append("\(name):\(lineNumber): \(fields.count) fields but the header has \(columns.count) columns")
                continue
            }
            let row = Row(line: lineNumber, fields: fields, columns: columnIndex)
            for column in required where row[column].isEmpty {
                problems.append("\(name):\(lineNumber): empty '\(column)'")
            }
            rows.append(row)
        }
        if header == nil { problems.append("\(name): no header row") }
        if !problems.isEmpty { throw RuleFileError(problems: problems) }
        self.name = name
        self.columns = header ?? []
        self.rows = rows
    }

    /// Parses `key=value;key=value` attribute fields (as in lexicon files). Values stay strings; `true`/`false`
    /// become booleans and whole numbers integers.
    public static func parseAttributes(_ field: String) -> [(String, String)]? {
        if field.isEmpty { return [] }
        var result: [(String, String)] = []
        for part in field.split(separator: ";") {
            let trimmed = part.trimmingCharacters(in: " ")
            if trimmed.isEmpty { continue }
            guard let equals = trimmed.firstIndex(of: "=") else { return nil }
            let key = String(trimmed[..<equals]).trimmingCharacters(in: " ")
            let value = String(trimmed[trimmed.index(after: equals)...]).trimmingCharacters(in: " ")
            if key.isEmpty { return nil }
            result.append((key, value))
        }
        return result
    }
}

/// Everything wrong with a rule file, each problem as `file:line: message`.
public struct RuleFileError: Error, Sendable, CustomStringConvertible {
    public var problems: [String]
    public init(problems: [String]) { self.problems = problems }
    public var description: String { problems.joined(separator: "\n") }
}

extension StringProtocol {
    /// The string without leading and trailing `character`s.
    func trimmingCharacters(in character: Character) -> String {
        var slice = Substring(self)
        while slice.first == character { slice = slice.dropFirst() }
        while slice.last == character { slice = slice.dropLast() }
        return String(slice)
    }
}

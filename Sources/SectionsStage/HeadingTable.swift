import ClinPipeText

/// What the heading table says about one heading.
struct HeadingEntry: Sendable, Hashable {
    /// The canonical section name (`history_of_present_illness`, `imr_issues_decisions`).
    var name: String
    /// 1 for a top-level section, larger for parts of one.
    var level: Int
    /// A template heading (the IMR letter's): its section ends only at another closed heading of the same or a
    /// higher level, and every other heading inside becomes a subsection.
    var closed: Bool
    /// `file:line` of the row, for provenance.
    var source: String
}

/// The heading table (`Rules/headings.tsv` plus the user's files): heading variants, as upper-case keys with single
/// spaces and no trailing colon (`TextBytes.headingKey`), to their canonical names. A later row for the same key
/// replaces an earlier one, so a user file can remap a built-in heading.
struct HeadingTable: Sendable {
    private(set) var entries: [String: HeadingEntry] = [:]

    static let columns = ["heading", "name"]

    init(tables: [RuleTable]) throws {
        var problems: [String] = []
        for table in tables {
            for row in table.rows {
                let key = TextBytes.headingKey(Array(row["heading"].utf8))
                let name = row["name"]
                guard !key.isEmpty else {
                    problems.append("\(table.name):\(row.line): empty heading")
                    continue
                }
                guard name.utf8.allSatisfy({ ByteClass.isDigit($0) || ($0 >= 0x61 && $0 <= 0x7A) || $0 == 0x5F }) else {
                    problems.append("\(table.name):\(row.line): name '\(name)' must be snake_case (a-z, 0-9, _)")
                    continue
                }
                var level = 1
                if !row["level"].isEmpty {
                    guard let value = Int(row["level"]), value >= 1, value <= 9 else {
                        problems.append("\(table.name):\(row.line): level must be a whole number from 1 to 9")
                        continue
                    }
                    level = value
                }
                do {
                    let closed = try RuleSources.flag(row, "closed", in: table, default: false)
                    entries[key] = HeadingEntry(name: name, level: level, closed: closed, source: "\(table.name):\(row.line)")
                } catch let error as RuleFileError {
                    problems += error.problems
                }
            }
        }
        if !problems.isEmpty { throw RuleFileError(problems: problems) }
    }

    /// The entry for a heading key, if the table has one.
    subscript(key: String) -> HeadingEntry? { entries[key] }

    /// Every canonical name of the table.
    var names: Set<String> { Set(entries.values.map(\.name)) }
}

import ClinPipeCore
import ClinPipeText

/// A rule table whose rows each carry a label and a PCRE2 pattern, compiled once, matched in file order.
struct PatternTable: Sendable {
    struct Row: Sendable {
        let label: String
        let pattern: PCRE2Pattern?
        /// Other columns of the row.
        let extra: [String: String]
        let source: String
    }

    let rows: [Row]

    /// Compiles every row of `file` (an embedded rule file), with `labelColumn` as the label.
    init(file: String, labelColumn: String, extraColumns: [String] = []) throws {
        let table = try RuleTable(name: file, text: EmbeddedRules.text(file), required: [labelColumn])
        rows = try table.rows.map { row in
            var extra: [String: String] = [:]
            for column in extraColumns { extra[column] = row[column] }
            return Row(label: row[labelColumn],
                       pattern: row["pattern"].isEmpty ? nil : try PCRE2Pattern(row["pattern"], options: [.caseless]),
                       extra: extra, source: "\(file):\(row.line)")
        }
    }

    /// The first row matching `bytes`.
    func firstMatch(in bytes: UnsafeBufferPointer<UInt8>) throws -> Row? {
        for row in rows where try row.pattern?.matches(bytes) == true { return row }
        return nil
    }
}

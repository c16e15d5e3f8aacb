import ClinPipeCore
import ClinPipeText
import Foundation

/// Loads the rule tables of one kind: the built-in file embedded at build time, then the user's files named in the
/// stage's configuration (resolved against the pipeline file's folder), in that order.
enum RuleSources {
    /// - Parameters:
    ///   - builtIn: the embedded file's name, or nil to skip it.
    ///   - extra: paths from the configuration.
    ///   - required: columns every file must have.
    /// - Throws: `RuleFileError` listing every unreadable or malformed file, by file and line.
    static func tables(builtIn: String?, extra: [String], required: [String], environment: StageEnvironment) throws -> [RuleTable] {
        var tables: [RuleTable] = []
        var problems: [String] = []
        if let builtIn {
            do { tables.append(try RuleTable(name: builtIn, text: EmbeddedRules.text(builtIn), required: required)) } catch let error as RuleFileError {
                problems += error.problems
            }
        }
        for path in extra {
            let url = environment.resolve(path)
            guard let text = try? String(contentsOf: url, encoding: .utf8) else {
                problems.append("cannot read rule file \(url.path)")
                continue
            }
            do { tables.append(try RuleTable(name: path, text: text, required: required)) } catch let error as RuleFileError {
                problems += error.problems
            }
        }
        if !problems.isEmpty { throw RuleFileError(problems: problems) }
        return tables
    }

    /// Compiles a row's `pattern` column the way the build-time validator does: caseless unless the table has a
    /// `flags` column whose field lacks `i`.
    static func compile(_ row: RuleTable.Row, in table: RuleTable, column: String = "pattern") throws -> PCRE2Pattern {
        let caseless = table.columns.contains("flags") ? row["flags"].contains("i") : true
        do {
            return try PCRE2Pattern(row[column], options: caseless ? [.caseless] : [])
        } catch {
            throw RuleFileError(problems: ["\(table.name):\(row.line): column '\(column)': \(error)"])
        }
    }

    /// A `yes`/`no` field (empty gives `defaultValue`).
    static func flag(_ row: RuleTable.Row, _ column: String, in table: RuleTable, default defaultValue: Bool) throws -> Bool {
        switch row[column].lowercased() {
        case "": return defaultValue
        case "yes", "true": return true
        case "no", "false": return false
        default: throw RuleFileError(problems: ["\(table.name):\(row.line): column '\(column)' must be yes or no"])
        }
    }
}

import ClinPipeCore
import ClinPipeText

/// Reads the expert reviewer's credentials from an IMR letter (`Rules/reviewer-credentials.tsv`) into document
/// attributes: `reviewer_licensure` (states) and `reviewer_specialties` (board certifications, subspecialties), each
/// a list of strings in order of appearance without repeats. Both templates are covered: the 2014-15 sentence
/// (`The expert reviewer is Board Certified in X, has a subspecialty in Y and is licensed to practice in Z.`) and
/// the 2016-17 fields (`State(s) of Licensure: ...`, `Certification(s)/Specialty: ...`).
struct ReviewerCredentials: Sendable {
    enum Split: String { case comma, commaAnd = "comma_and" }

    struct Rule: Sendable {
        var attribute: String
        var pattern: PrefilteredPattern
        var valueGroup: Int
        var splitAtAnd: Bool
    }

    let rules: [Rule]

    static let columns = ["attribute", "pattern"]

    init(tables: [RuleTable]) throws {
        var rules: [Rule] = []
        var problems: [String] = []
        for table in tables {
            for row in table.rows {
                do {
                    let pattern = PrefilteredPattern(try RuleSources.compile(row, in: table))
                    guard let value = pattern.groupNumbers["value"] else {
                        problems.append("\(table.name):\(row.line): the pattern has no group named 'value'")
                        continue
                    }
                    guard let split = Split(rawValue: row["split"].isEmpty ? "comma" : row["split"]) else {
                        problems.append("\(table.name):\(row.line): split must be comma or comma_and")
                        continue
                    }
                    rules.append(Rule(attribute: row["attribute"], pattern: pattern, valueGroup: value, splitAtAnd: split == .commaAnd))
                } catch let error as RuleFileError {
                    problems += error.problems
                }
            }
        }
        if !problems.isEmpty { throw RuleFileError(problems: problems) }
        self.rules = rules
    }

    /// The attribute names the rules fill.
    var attributeNames: [String] {
        var names: [String] = []
        for rule in rules where !names.contains(rule.attribute) { names.append(rule.attribute) }
        return names
    }

    /// Values found in `regions` of `bytes`, by attribute, in order of appearance.
    func values(in bytes: UnsafeBufferPointer<UInt8>, regions: [Range<Int>]) throws -> [(attribute: String, values: [String])] {
        var found: [String: [(position: Int, value: String)]] = [:]
        for region in regions {
            let slice = UnsafeBufferPointer(rebasing: bytes[region])
            for rule in rules {
                try rule.pattern.forEachMatch(in: slice) { match in
                    guard let range = match.range(rule.valueGroup) else { return true }
                    for item in Self.split(TextBytes.collapsed(slice, range), atAnd: rule.splitAtAnd) {
                        found[rule.attribute, default: []].append((region.lowerBound + range.lowerBound, item))
                    }
                    return true
                }
            }
        }
        var result: [(attribute: String, values: [String])] = []
        for name in attributeNames {
            guard let items = found[name] else { continue }
            var values: [String] = []
            // Stable by position: rules run one after the other, but the letter's order is what a reader expects.
            for item in items.enumerated().sorted(by: { ($0.element.position, $0.offset) < ($1.element.position, $1.offset) })
            where !values.contains(item.element.value) {
                values.append(item.element.value)
            }
            if !values.isEmpty { result.append((name, values)) }
        }
        return result
    }

    /// Splits a list at commas and semicolons (and at a standalone `and` when `atAnd`), trimming each part.
    static func split(_ text: String, atAnd: Bool) -> [String] {
        var parts: [String] = []
        for piece in text.split(whereSeparator: { $0 == "," || $0 == ";" }) {
            var subpieces = [Substring(piece)]
            if atAnd {
                let words = piece.split(separator: " ", omittingEmptySubsequences: true)
                subpieces = words.split(whereSeparator: { $0.lowercased() == "and" }).map { Substring($0.joined(separator: " ")) }
            }
            for part in subpieces {
                var value = part.trimmingPrefix(while: { $0 == " " })
                while let last = value.last, last == " " || last == "." { value = value.dropLast() }
                if value.lowercased().hasPrefix("and ") { value = value.dropFirst(4) }
                if !value.isEmpty { parts.append(String(value)) }
            }
        }
        return parts
    }
}

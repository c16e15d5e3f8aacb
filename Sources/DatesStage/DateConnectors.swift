import ClinPipeCore
import ClinPipeText

/// What joins two consecutive dates (`date_connectors.tsv`): a range ("from 1/5/15 to 2/3/15", "1/5/15-2/3/15")
/// or a list ("11-1-16 and 11-7-16"). The whole gap between the dates must match one row.
struct DateConnectors: Sendable {
    enum Kind: String, Sendable {
        case range, list
    }

    static let columns = ["kind", "pattern"]
    /// Gaps longer than this (UTF-8 bytes) never join two dates.
    static let maximumGapBytes = 48

    private let pattern: PCRE2Pattern?
    private let groups: [(group: Int, kind: Kind)]

    /// - Throws: `RuleFileError` with every problem as `file:line: message`.
    init(sources: [RuleSource]) throws {
        var problems: [String] = []
        var alternatives: [String] = []
        var kinds: [Kind] = []
        for source in sources {
            do {
                let table = try RuleTable(name: source.name, text: source.text, required: ["kind", "pattern"],
                                          knownColumns: Self.columns)
                for row in table.rows {
                    let location = "\(source.name):\(row.line)"
                    guard let kind = Kind(rawValue: row["kind"]) else {
                        problems.append("\(location): kind must be 'range' or 'list'")
                        continue
                    }
                    let embed = embeddabilityProblems(of: row["pattern"], allowedNames: [])
                    if !embed.isEmpty {
                        problems += embed.map { "\(location): \($0)" }
                        continue
                    }
                    do {
                        _ = try PCRE2Pattern(row["pattern"], options: [.caseless], jit: false)
                    } catch {
                        problems.append("\(location): \(error)")
                        continue
                    }
                    alternatives.append("(?<k\(kinds.count)>(?i:\(row["pattern"])))")
                    kinds.append(kind)
                }
            } catch let error as RuleFileError {
                problems += error.problems
            }
        }
        if !problems.isEmpty { throw RuleFileError(problems: problems) }
        let pattern = alternatives.isEmpty ? nil : try PCRE2Pattern("\\G(?:\(alternatives.joined(separator: "|")))\\z")
        self.pattern = pattern
        self.groups = kinds.indices.map { (pattern?.groupNumbers["k\($0)"] ?? 0, kinds[$0]) }
    }

    /// How the gap `bytes[gap]` joins the dates on either side, or nil. `gap` lies on character boundaries.
    func kind(ofGap gap: Range<Int>, in bytes: UnsafeBufferPointer<UInt8>) throws -> Kind? {
        guard let pattern, gap.count <= Self.maximumGapBytes else { return nil }
        let subject = UnsafeBufferPointer(rebasing: bytes[0..<gap.upperBound])
        var found: Kind?
        try pattern.forEachMatch(in: subject, from: gap.lowerBound) { match in
            if match.range.lowerBound == gap.lowerBound {
                found = groups.first { match.range($0.group) != nil }?.kind
            }
            return false
        }
        return found
    }
}

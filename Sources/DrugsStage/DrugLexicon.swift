import ClinPipeCore
import ClinPipeText

/// The drug names the `drugs` stage looks for: the built-in `drugs.tsv`, user files in the same format, and
/// optionally RxNorm names (see `RxNormLoader`).
///
/// File format (TSV, see `RuleTable`): columns `term` (required), `generic`, `drug_class`, `brand`
/// (`true`/`false`), `form`, `route`, `match` (empty, `capitalized`, `uppercase` or `exact`), `requires` (empty or
/// `strength`) and `rxcui`. Only `term` is required, so a user file can be a plain list of names.
public struct DrugLexicon: Sendable {
    public static let columns = ["term", "generic", "drug_class", "brand", "form", "route", "match", "requires", "rxcui"]

    public private(set) var entries: [DrugEntry] = []

    public init() {}

    public init(entries: [DrugEntry]) { self.entries = entries }

    /// The lexicon shipped with the stage (`Rules/drugs.tsv`, embedded at build time).
    public static func builtIn() throws -> DrugLexicon {
        try DrugLexicon(name: "drugs.tsv", text: EmbeddedRules.text("drugs.tsv"))
    }

    /// Parses a lexicon file. `name` (a file name or path) appears in error messages and provenance.
    /// - Throws: `RuleFileError` listing every bad line as `name:line: problem`.
    public init(name: String, text: String) throws {
        let table = try RuleTable(name: name, text: text, required: ["term"], knownColumns: Self.columns)
        var problems: [String] = []
        for row in table.rows {
            let place = "\(name):\(row.line)"
            let isBrand: Bool
            switch row["brand"] {
            case "", "false", "no": isBrand = false
            case "true", "yes": isBrand = true
            default:
                problems.append("\(place): brand must be true or false, not '\(row["brand"])'")
                continue
            }
            guard let caseRule = DrugEntry.CaseRule(rawValue: row["match"]) else {
                let known = DrugEntry.CaseRule.allCases.map { $0.rawValue.isEmpty ? "(empty)" : $0.rawValue }
                problems.append("\(place): match must be one of \(known.joined(separator: ", "))")
                continue
            }
            guard row["requires"].isEmpty || row["requires"] == "strength" else {
                problems.append("\(place): requires must be empty or 'strength'")
                continue
            }
            let term = row["term"]
            let generic = row["generic"].isEmpty && !isBrand ? term.lowercased() : row["generic"]
            entries.append(DrugEntry(term: term, generic: generic, drugClass: row["drug_class"], isBrand: isBrand,
                                     form: row["form"], route: row["route"], caseRule: caseRule,
                                     requiresStrength: row["requires"] == "strength", rxcui: row["rxcui"],
                                     source: place))
        }
        if !problems.isEmpty { throw RuleFileError(problems: problems) }
    }

    public mutating func append(_ entry: DrugEntry) { entries.append(entry) }

    public mutating func append(contentsOf other: DrugLexicon) { entries.append(contentsOf: other.entries) }

    /// Sets the RxNorm id of entry `index`.
    mutating func setRxcui(_ rxcui: String, at index: Int) { entries[index].rxcui = rxcui }

    /// For each ingredient set of a combination product (sorted lowercase ingredients joined by `/`), the first
    /// entry that names it: how a written combination (`hydrocodone/APAP`) finds its canonical generic and class.
    func combinationIndex() -> [String: Int] {
        var index: [String: Int] = [:]
        for (position, entry) in entries.enumerated() where entry.generic.contains("/") {
            let key = Self.combinationKey(entry.components)
            if index[key] == nil { index[key] = position }
        }
        return index
    }

    /// The order-free key of a set of ingredients.
    static func combinationKey(_ components: [String]) -> String {
        components.map { $0.lowercased() }.sorted().joined(separator: "/")
    }
}

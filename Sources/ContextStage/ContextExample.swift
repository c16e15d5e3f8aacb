import ClinPipeText
import Foundation

/// One labelled example of a ConText evaluation set: a sentence, the target in it, and the expected attributes.
///
/// File format (TSV with a header row; `#` comments): required columns `id`, `sentence`, `target`, `label`
/// (`Negated` or `Affirmed`); optional columns `uncertain`, `hypothetical`, `historical` (`true`/`false`,
/// `yes`/`no`; empty: not evaluated) and `experiencer` (`patient`, `family`, `other`; empty: not evaluated). Other
/// columns (a note, the trigger family) are ignored. The target is the first occurrence of `target` in
/// `sentence` (exact case first, then ignoring ASCII case).
public struct ContextExample: Sendable, Hashable {
    public var id: String
    public var sentence: String
    public var target: String
    public var negated: Bool
    public var uncertain: Bool?
    public var hypothetical: Bool?
    public var historical: Bool?
    public var experiencer: String?
    /// `file:line` of the row.
    public var source: String

    public init(id: String, sentence: String, target: String, negated: Bool, uncertain: Bool? = nil,
                hypothetical: Bool? = nil, historical: Bool? = nil, experiencer: String? = nil, source: String = "")
    {
        self.id = id
        self.sentence = sentence
        self.target = target
        self.negated = negated
        self.uncertain = uncertain
        self.hypothetical = hypothetical
        self.historical = historical
        self.experiencer = experiencer
        self.source = source
    }

    /// The target's UTF-8 range in `sentence`: its first occurrence, matching case exactly, else ignoring ASCII
    /// case; nil when absent.
    public var targetRange: Range<Int>? {
        let haystack = Array(sentence.utf8), needle = Array(target.utf8)
        guard !needle.isEmpty, needle.count <= haystack.count else { return nil }
        for caseSensitive in [true, false] {
            for start in 0...(haystack.count - needle.count) {
                var matched = true
                for offset in 0..<needle.count {
                    let a = haystack[start + offset], b = needle[offset]
                    if caseSensitive ? a != b : ByteClass.lower(a) != ByteClass.lower(b) {
                        matched = false
                        break
                    }
                }
                if matched { return start..<(start + needle.count) }
            }
        }
        return nil
    }

    /// The columns an evaluation file must have.
    public static let requiredColumns = ["id", "sentence", "target", "label"]

    /// Parses an evaluation file.
    /// - Throws: `RuleFileError` listing every bad line.
    public static func parse(name: String, text: String) throws -> [ContextExample] {
        let table = try RuleTable(name: name, text: text, required: requiredColumns)
        var examples: [ContextExample] = []
        var problems: [String] = []
        var ids: Set<String> = []
        for row in table.rows {
            let location = "\(name):\(row.line)"
            if !ids.insert(row["id"]).inserted { problems.append("\(location): id '\(row["id"])' used twice") }
            let negated: Bool
            switch row["label"].lowercased() {
            case "negated", "negative", "neg": negated = true
            case "affirmed", "positive", "pos", "affirmative": negated = false
            default:
                problems.append("\(location): label must be Negated or Affirmed")
                continue
            }
            func flag(_ column: String) -> Bool? {
                switch row[column].lowercased() {
                case "": return nil
                case "true", "yes", "y", "1", column: return true
                case "false", "no", "n", "0": return false
                default:
                    problems.append("\(location): '\(column)' must be true, false or empty")
                    return nil
                }
            }
            let experiencer = row["experiencer"].lowercased()
            let example = ContextExample(
                id: row["id"], sentence: row["sentence"], target: row["target"], negated: negated,
                uncertain: flag("uncertain"), hypothetical: flag("hypothetical"), historical: flag("historical"),
                experiencer: experiencer.isEmpty ? nil : experiencer, source: location)
            if example.targetRange == nil { problems.append("\(location): the target does not occur in the sentence") }
            examples.append(example)
        }
        if !problems.isEmpty { throw RuleFileError(problems: problems) }
        return examples
    }

    /// Reads and parses an evaluation file.
    public static func load(from url: URL) throws -> [ContextExample] {
        guard let text = try? String(contentsOf: url, encoding: .utf8) else {
            throw RuleFileError(problems: ["cannot read \(url.path)"])
        }
        return try parse(name: url.lastPathComponent, text: text)
    }
}

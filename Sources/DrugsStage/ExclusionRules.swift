import ClinPipeCore
import ClinPipeText

/// Contexts in which a drug name is not a drug (`Norco, CA 92860`, `Dr. Lyrica`), read from a rule file
/// (`Rules/exclusions.tsv` or a user's replacement): columns `side` (`before` or `after`), `pattern` (PCRE2,
/// caseless) and `reason`.
public struct ExclusionRules: Sendable {
    /// How far before a name (UTF-8 bytes) `before` patterns look.
    public static let lookBehind = 64

    public static let columns = ["side", "pattern", "reason"]

    /// The `after` patterns, anchored at the name's end, with the bytes their matches can start with and a filter
    /// on their first bytes (each nil when the pattern's syntax does not allow it).
    private let after: [(pattern: PCRE2Pattern, startBytes: StartByteSet?, filter: AffixFilter?)]
    /// Anchored so that a match ends where the name starts, with a filter on the bytes before a match's end.
    private let before: [(pattern: PCRE2Pattern, filter: AffixFilter?)]
    /// One filter for all `after` patterns (their alternation) and one for all `before` patterns, nil when there are
    /// none or the reader does not know a pattern: a name whose neighbours no pattern admits costs one table walk
    /// instead of one per rule.
    let afterUnion: AffixFilter?
    let beforeUnion: AffixFilter?

    /// The rules shipped with the stage.
    public static func builtIn() throws -> ExclusionRules {
        try ExclusionRules(name: "exclusions.tsv", text: EmbeddedRules.text("exclusions.tsv"))
    }

    /// Parses and compiles an exclusion rule file.
    /// - Throws: `RuleFileError` listing every bad line.
    public init(name: String, text: String) throws {
        try self.init(name: name, text: text, filtered: true)
    }

    /// - Parameter filtered: false leaves out the start-byte sets and affix filters (the tests' plain reference).
    init(name: String, text: String, filtered: Bool) throws {
        let table = try RuleTable(name: name, text: text, required: ["side", "pattern"], knownColumns: Self.columns)
        var problems: [String] = []
        var after: [(pattern: PCRE2Pattern, startBytes: StartByteSet?, filter: AffixFilter?)] = []
        var before: [(pattern: PCRE2Pattern, filter: AffixFilter?)] = []
        var afterBodies: [String] = [], beforeBodies: [String] = []
        for row in table.rows {
            let place = "\(name):\(row.line)"
            do {
                switch row["side"] {
                case "after":
                    let body = "(?:" + row["pattern"] + ")"
                    afterBodies.append(body)
                    after.append((try PCRE2Pattern("\\G" + body, options: [.caseless]),
                                  filtered ? StartByteSet(pattern: body, options: [.caseless]) : nil,
                                  filtered ? AffixFilter(body, caseless: true, edge: .start) : nil))
                case "before":
                    let body = "(?:" + row["pattern"] + ")"
                    beforeBodies.append(body)
                    before.append((try PCRE2Pattern(body + "\\z", options: [.caseless]),
                                   filtered ? AffixFilter(body, caseless: true, edge: .end) : nil))
                default: problems.append("\(place): side must be 'before' or 'after'")
                }
            } catch {
                problems.append("\(place): pattern: \(error)")
            }
        }
        if !problems.isEmpty { throw RuleFileError(problems: problems) }
        self.after = after
        self.before = before
        func union(_ bodies: [String], _ edge: AffixFilter.Edge) -> AffixFilter? {
            filtered && !bodies.isEmpty ? AffixFilter(bodies.joined(separator: "|"), caseless: true, edge: edge) : nil
        }
        self.afterUnion = union(afterBodies, .start)
        self.beforeUnion = union(beforeBodies, .end)
    }

    /// Whether the name at `range` (UTF-8 offsets into `bytes`) stands in an excluded context.
    public func excludes(_ bytes: UnsafeBufferPointer<UInt8>, name range: Range<Int>) throws -> Bool {
        let end = range.upperBound
        // Rules are read in place, by index: a copy of a rule would retain its pattern and filter table.
        if afterUnion?.admits(bytes, at: end, limit: bytes.count) != false {
            for index in after.indices {
                // A pattern whose first byte is known cannot match at the text's end or before another byte; the
                // filter rules out most of the rest from the first few bytes.
                if let startBytes = after[index].startBytes, end == bytes.count || !startBytes.contains(bytes[end]) { continue }
                if after[index].filter?.admits(bytes, at: end, limit: bytes.count) == false { continue }
                if try after[index].pattern.firstMatchRange(in: bytes, from: end) != nil { return true }
            }
        }
        if !before.isEmpty && range.lowerBound > 0 {
            var start = max(0, range.lowerBound - Self.lookBehind)
            while start < range.lowerBound && bytes[start] & 0xC0 == 0x80 { start += 1 }
            guard beforeUnion?.admits(bytes, at: range.lowerBound, limit: start) != false else { return false }
            let window = UnsafeBufferPointer(rebasing: bytes[start..<range.lowerBound])
            for index in before.indices {
                // The filter reads back from the name's start: no match of the pattern can end there in most texts.
                if before[index].filter?.admits(bytes, at: range.lowerBound, limit: start) == false { continue }
                if try before[index].pattern.firstMatchRange(in: window) != nil { return true }
            }
        }
        return false
    }
}

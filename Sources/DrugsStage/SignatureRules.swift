import ClinPipeCore
import ClinPipeText

/// The compiled rows of a signature rule file (`Rules/signature.tsv` or a user's replacement): how the `drugs`
/// stage reads strength, form, route, frequency, quantity, refills and duration after a drug name.
///
/// See the header of `signature.tsv` for the format and the parse; `parse(_:from:limit:)` does it. Consecutive
/// rows of the same element and position are compiled into one PCRE2 alternation (one branch per row, in file
/// order), so that a parse step costs one match attempt per run of rows instead of one per row; the first branch
/// that matches wins, exactly as if the rows were tried one by one.
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

    /// A piece of a value template with its group resolved to a number in the run's pattern (nil when the pattern
    /// has no group of that name), so that a match reads groups without looking names up.
    enum ResolvedPart: Sendable {
        case literal(String)
        case group(Int?)
    }

    /// One row of the file, as a branch of its run's pattern.
    struct Row: Sendable {
        let element: SignatureElement
        /// The value and unit templates, their groups resolved in the run's pattern.
        let value: [ResolvedPart]
        let unit: [ResolvedPart]
        /// The number of the row's own `unit` group in the run's pattern, if it has one (the unit when the row has
        /// no unit template).
        let unitGroup: Int?
        /// The capture group that is set when this row's branch matched, or 0 for a row compiled alone.
        let branchGroup: Int
        let source: String

        /// Resolves the row's templates and `unit` group, named with `groupPrefix` inside `pattern`.
        init(element: SignatureElement, value: [TemplatePart], unit: [TemplatePart], groupPrefix: String,
             pattern: PCRE2Pattern, branchGroup: Int, source: String)
        {
            func resolved(_ template: [TemplatePart]) -> [ResolvedPart] {
                template.map { part in
                    switch part {
                    case .literal(let literal): .literal(literal)
                    case .group(let name): .group(pattern.groupNumbers[groupPrefix + name])
                    }
                }
            }
            self.element = element
            self.value = resolved(value)
            self.unit = resolved(unit)
            self.unitGroup = pattern.groupNumbers[groupPrefix + "unit"]
            self.branchGroup = branchGroup
            self.source = source
        }
    }

    /// Consecutive rows with the same element and position, compiled as one anchored pattern.
    struct Run: Sendable {
        let element: SignatureElement
        let position: Position
        /// `\G(?:(?<r0>row)|(?<r1>row)...)` followed by a word-boundary check.
        let pattern: PCRE2Pattern
        /// The bytes a match of `pattern` can start with (nil: any), so that most positions skip the call.
        let startBytes: StartByteSet?
        /// A condition on the first bytes of any match of `pattern` (nil: none known): it rules out most positions
        /// that pass `startBytes` (`5mg` for a duration, `and` for a route) without calling PCRE2.
        let filter: AffixFilter?
        let rows: [Row]

        /// Whether the run can match at `offset` of `subject` (a valid offset, `subject` ending at the parse
        /// limit): false when its first bytes rule it out. True is no promise of a match. The filter goes first:
        /// its table walk is inlined and rejects nearly every position, so the start-byte set (a call) is asked
        /// only at the few it admits.
        @inline(__always) func mayMatch(in subject: UnsafeBufferPointer<UInt8>, at offset: Int) -> Bool {
            if !filterAdmits(subject, at: offset) { return false }
            return startBytes?.contains(subject[offset]) != false
        }

        /// The filter's half of `mayMatch` (for a run whose start-byte set is known to hold the byte at `offset`).
        @inline(__always) func filterAdmits(_ subject: UnsafeBufferPointer<UInt8>, at offset: Int) -> Bool {
            filter?.admits(subject, at: offset, limit: subject.count) != false
        }
    }

    public static let columns = ["element", "pattern", "value", "unit", "position"]

    let skipRuns: [Run]
    let runs: [Run]
    /// Per byte value, bit `i` set when `runs[i]` may match at a position holding that byte (its start-byte set has
    /// the byte, or it has none): one load rules out most runs at a parse step, before any run's own filter is read.
    /// Empty when there are more than 32 runs (each run is then asked in turn).
    let runsByFirstByte: [UInt32]
    /// Whether the `skip` rows are the one shipped row (`shippedSkipPattern`), whose common case
    /// `shippedSkipEnd(in:from:)` reads without PCRE2. False for the tests' plain reference.
    let skipIsShipped: Bool

    /// The pattern of the shipped `skip` row of `signature.tsv`.
    static let shippedSkipPattern = #"(?:[ \t,:()\[\]/+-]|\r?\n(?![ \t]*\r?\n)|\b(?:take|takes|taking|apply|applied|use|using|sig|give|given)\b)+"#

    /// The rules shipped with the stage.
    public static func builtIn() throws -> SignatureRules {
        try SignatureRules(name: "signature.tsv", text: EmbeddedRules.text("signature.tsv"))
    }

    /// Parses and compiles a signature rule file.
    /// - Throws: `RuleFileError` listing every bad line (`name:line: problem`).
    public init(name: String, text: String) throws {
        try self.init(name: name, text: text, filtered: true)
    }

    /// - Parameter filtered: false leaves out the start-byte sets and affix filters, so that every position is tried
    ///   with PCRE2 (the tests' plain reference).
    init(name: String, text: String, filtered: Bool) throws {
        let table = try RuleTable(name: name, text: text, required: ["element", "pattern"], knownColumns: Self.columns)
        var problems: [String] = []
        var parsed: [ParsedRow] = []
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
            // Each row compiles alone first, so that an error names its line.
            let alone: PCRE2Pattern
            do {
                alone = try PCRE2Pattern(Self.anchored(row["pattern"]), options: [.caseless], jit: false)
            } catch {
                problems.append("\(place): pattern: \(error)")
                continue
            }
            let value = Self.template(row["value"]), unit = Self.template(row["unit"])
            for case .group(let group) in value + unit where alone.groupNumbers[group] == nil {
                problems.append("\(place): template names group '\(group)', which the pattern lacks")
            }
            parsed.append(ParsedRow(element: element, position: position, pattern: row["pattern"], value: value,
                                    unit: unit, captureCount: alone.captureCount,
                                    combinable: !Self.hasReferences(row["pattern"]), source: place))
        }
        if !problems.isEmpty { throw RuleFileError(problems: problems) }
        var skipRuns: [Run] = []
        var runs: [Run] = []
        do {
            for run in try Self.compileRuns(parsed, filtered: filtered) {
                if run.element == .skip { skipRuns.append(run) } else { runs.append(run) }
            }
        } catch {
            throw RuleFileError(problems: ["\(name): \(error)"])
        }
        self.skipRuns = skipRuns
        self.runs = runs
        self.runsByFirstByte = Self.runsByFirstByte(runs)
        let skipRows = parsed.filter { $0.element == .skip }
        self.skipIsShipped = filtered && skipRuns.count == 1 && skipRows.count == 1
            && skipRows[0].pattern == Self.shippedSkipPattern && skipRows[0].position == .any
    }

    /// Where the shipped `skip` pattern's match at `position` ends, when it is a run of the one-byte separators
    /// (`[ \t,:()\[\]/+-]`) followed by the end of `subject` or by a byte that none of the pattern's branches can
    /// start with (not a separator, no line break, not the first letter of a skip word in either case, ASCII):
    /// then the greedy repetition takes exactly that run, and the word-boundary check after it holds (its last
    /// byte is no letter or digit). Nil otherwise (no separator at `position`, or a line break, skip word or
    /// non-ASCII byte after the run), where PCRE2 decides.
    static func shippedSkipEnd(in subject: UnsafeBufferPointer<UInt8>, from position: Int) -> Int? {
        var end = position
        while end < subject.count && isSkipSeparator(subject[end]) { end += 1 }
        guard end > position else { return nil }
        guard end < subject.count else { return end }
        let stop = subject[end]
        if stop == 0x0D || stop == 0x0A || stop >= 0x80 { return nil }
        switch stop | 0x20 {
        case 0x74, 0x61, 0x75, 0x73, 0x67: return nil  // t a u s g, either case: take, apply, use, sig, give
        default: return end
        }
    }

    /// One of `[ \t,:()\[\]/+-]`.
    @inline(__always) private static func isSkipSeparator(_ byte: UInt8) -> Bool {
        switch byte {
        case 0x20, 0x09, 0x2C, 0x3A, 0x28, 0x29, 0x5B, 0x5D, 0x2F, 0x2B, 0x2D: true
        default: false
        }
    }

    /// `runsByFirstByte` of `runs`.
    static func runsByFirstByte(_ runs: [Run]) -> [UInt32] {
        guard runs.count <= 32 else { return [] }
        return (0..<256).map { value in
            var bits: UInt32 = 0
            for index in runs.indices where runs[index].startBytes?.contains(UInt8(value)) != false { bits |= 1 << UInt32(index) }
            return bits
        }
    }

    /// A row as read, before runs are compiled.
    private struct ParsedRow {
        let element: SignatureElement
        let position: Position
        let pattern: String
        let value: [TemplatePart]
        let unit: [TemplatePart]
        let captureCount: Int
        /// False when the pattern refers to groups by number or name, which renaming would break.
        let combinable: Bool
        let source: String
    }

    /// Most capture groups one run's pattern may have (PCRE2Pattern allows 127).
    private static let groupsPerRun = 100

    private static func compileRuns(_ rows: [ParsedRow], filtered: Bool) throws -> [Run] {
        var runs: [Run] = []
        var index = 0
        while index < rows.count {
            let first = rows[index]
            var members = [first]
            var groups = first.captureCount + 1
            index += 1
            while first.combinable, index < rows.count, rows[index].combinable, rows[index].element == first.element,
                  rows[index].position == first.position, groups + rows[index].captureCount + 1 <= groupsPerRun
            {
                members.append(rows[index])
                groups += rows[index].captureCount + 1
                index += 1
            }
            runs.append(try compileRun(members, filtered: filtered))
        }
        return runs
    }

    private static func compileRun(_ members: [ParsedRow], filtered: Bool) throws -> Run {
        if members.count == 1 && !members[0].combinable {
            let row = members[0]
            let pattern = try PCRE2Pattern(anchored(row.pattern), options: [.caseless])
            return Run(element: row.element, position: row.position, pattern: pattern,
                       startBytes: filtered ? StartByteSet(pattern: body(row.pattern), options: [.caseless]) : nil,
                       filter: filtered ? AffixFilter(body(row.pattern), caseless: true, edge: .start) : nil,
                       rows: [Row(element: row.element, value: row.value, unit: row.unit, groupPrefix: "",
                                  pattern: pattern, branchGroup: 0, source: row.source)])
        }
        var branches: [String] = []
        for (number, row) in members.enumerated() {
            branches.append("(?<r\(number)>" + renamingGroups(row.pattern, prefix: "r\(number)_") + ")")
        }
        let combined = branches.joined(separator: "|")
        let pattern = try PCRE2Pattern(anchored(combined), options: [.caseless])
        var rows: [Row] = []
        for (number, row) in members.enumerated() {
            rows.append(Row(element: row.element, value: row.value, unit: row.unit, groupPrefix: "r\(number)_",
                            pattern: pattern, branchGroup: pattern.groupNumbers["r\(number)"] ?? 0, source: row.source))
        }
        return Run(element: members[0].element, position: members[0].position, pattern: pattern,
                   startBytes: filtered ? StartByteSet(pattern: body(combined), options: [.caseless]) : nil,
                   filter: filtered ? AffixFilter(body(combined), caseless: true, edge: .start) : nil, rows: rows)
    }

    /// Anchors a pattern at the parse position (a leading `\G` makes PCRE2 treat it as anchored, so a failed attempt
    /// costs one try, not a scan) and requires a word boundary at its end unless the match ends in punctuation.
    private static func anchored(_ pattern: String) -> String { "\\G" + body(pattern) }

    /// `pattern` followed by the word-boundary check, not anchored.
    private static func body(_ pattern: String) -> String {
        "(?:" + pattern + ")(?:(?<![A-Za-z0-9])|(?![A-Za-z0-9]))"
    }

    /// Whether a pattern refers to groups (`\1`, `\k<name>`, `\g{..}`, `(?P=name)`, `(?&name)`, `(?1)`), which
    /// would break once its groups are renamed and renumbered inside a run.
    private static func hasReferences(_ pattern: String) -> Bool {
        let bytes = Array(pattern.utf8)
        for index in bytes.indices.dropLast() {
            let byte = bytes[index], next = bytes[index + 1]
            if byte == UInt8(ascii: "\\") && (ByteClass.isDigit(next) || next == UInt8(ascii: "k") || next == UInt8(ascii: "g")) {
                return true
            }
            if byte == UInt8(ascii: "(") && next == UInt8(ascii: "?") && index + 2 < bytes.count {
                let third = bytes[index + 2]
                if third == UInt8(ascii: "&") || third == UInt8(ascii: "R") || ByteClass.isDigit(third)
                    || third == UInt8(ascii: "+") || (third == UInt8(ascii: "P") && index + 3 < bytes.count
                        && (bytes[index + 3] == UInt8(ascii: "=") || bytes[index + 3] == UInt8(ascii: ">")))
                {
                    return true
                }
            }
        }
        return false
    }

    /// Prefixes every named group of a pattern (`(?<name>`, `(?'name'`, `(?P<name>`) with `prefix`.
    private static func renamingGroups(_ pattern: String, prefix: String) -> String {
        var result = ""
        var rest = Substring(pattern)
        while !rest.isEmpty {
            if rest.hasPrefix("\\") {
                result += rest.prefix(2)
                rest = rest.dropFirst(2)
                continue
            }
            for opener in ["(?<", "(?'", "(?P<"] where rest.hasPrefix(opener) {
                let after = rest.dropFirst(opener.count)
                if let first = after.first, first.isLetter || first == "_" {
                    result += opener + prefix
                    rest = after
                    break
                }
            }
            if let character = rest.first {
                result.append(character)
                rest = rest.dropFirst()
            }
        }
        return result
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

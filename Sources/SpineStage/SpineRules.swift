import ClinPipeCore
import ClinPipeText

/// The `spine` stage's rule files, parsed and compiled once (PCRE2 with JIT).
///
/// Four kinds of file, each a TSV with a header row (see the comments at the top of each built-in file in
/// `Sources/SpineStage/Rules/`):
/// - `mentions.tsv` (`id`, `flags`, `pattern`, optional `anchor`): candidate chains of levels; `anchor` (see
///   `MatchAnchor`, e.g. `[1-9] 11`) declares where every match has a digit, so that matching skips the rest;
/// - `cues.tsv` (`id`, `role`, `kind`, `applies`, `pattern`): head nouns and preceding cues that decide between a
///   level and a dermatome, myotome or root;
/// - `not-levels.tsv` (`id`, `levels`, `position`, `window`, `pattern`): contexts where `S1`, `T2`, `C4`, ... are
///   not spinal levels;
/// - `sides.tsv` (`id`, `side`, `position`, `pattern`): left, right, bilateral.
///
/// Patterns are case-insensitive unless the file has a `flags` column whose value lacks `i` (the same rule the
/// build-time rule compiler applies). Every rule remembers its `file:line` for provenance and error messages.
struct SpineRules: Sendable {
    struct Mention: Sendable {
        var pattern: PCRE2Pattern
        var source: String
        /// The byte-coded search of the shipped pattern, when `pattern` is it (see `BuiltInChainSearch`).
        var builtInSearch: BuiltInChainSearch?

        /// Calls `body` with the range of each match of `pattern` in `bytes`, as `pattern.forEachMatch` finds them.
        func forEachMatch(in bytes: UnsafeBufferPointer<UInt8>, _ body: (Range<Int>) throws -> Bool) throws {
            if let builtInSearch {
                try builtInSearch.forEachMatch(in: bytes, body)
            } else {
                try pattern.forEachMatch(in: bytes) { try body($0.range) }
            }
        }
    }

    enum CueRole: String, Sendable { case head, before }
    enum CueKind: String, Sendable { case dermatome, myotome, root, level, distribution }
    enum CueApplies: String, Sendable { case any, single, headless, generic, both }

    struct Cue: Sendable {
        var role: CueRole
        var kind: CueKind
        var applies: CueApplies
        var pattern: PCRE2Pattern
        var source: String
        /// Asked before `pattern` on each window.
        var prefilter: WindowPrefilter
    }

    enum Position: String, Sendable { case before, after, near, around, linestart, any }

    struct NotLevel: Sendable {
        /// The levels the rule may veto; nil = any chain.
        var levels: SpinalLevelSet?
        /// `levels?.regionBits`, all four bits for any chain: a chain with a level in another region is not vetoed.
        var regionBits: UInt8 = 0x0F
        var position: Position
        var window: Int
        var pattern: PCRE2Pattern
        var source: String
        /// Asked before `pattern` on each window.
        var prefilter: WindowPrefilter
    }

    enum Side: String, Sendable { case left, right, bilateral }

    struct SideCue: Sendable {
        var side: Side
        var position: Position
        var pattern: PCRE2Pattern
        var source: String
        /// Asked before `pattern` on each window.
        var prefilter: WindowPrefilter
    }

    var mentions: [Mention] = []
    var heads: [Cue] = []
    var befores: [Cue] = []
    var notLevels: [NotLevel] = []
    var sides: [SideCue] = []

    /// The kinds of rule file, by the columns they must have.
    enum FileKind: CaseIterable {
        case mentions, cues, notLevels, sides

        var builtInName: String {
            switch self {
            case .mentions: "mentions.tsv"
            case .cues: "cues.tsv"
            case .notLevels: "not-levels.tsv"
            case .sides: "sides.tsv"
            }
        }

        var columns: [String] {
            switch self {
            case .mentions: ["id", "flags", "pattern", "anchor"]
            case .cues: ["id", "role", "kind", "applies", "pattern"]
            case .notLevels: ["id", "levels", "position", "window", "pattern"]
            case .sides: ["id", "side", "position", "pattern"]
            }
        }

        var required: [String] {
            switch self {
            case .mentions: ["pattern"]
            case .cues: ["role", "kind", "pattern"]
            case .notLevels: ["position", "pattern"]
            case .sides: ["side", "pattern"]
            }
        }
    }

    /// Parses one file of `kind` and appends its rules.
    /// - Throws: `RuleFileError` with every problem as `file:line: message`.
    mutating func load(_ kind: FileKind, name: String, text: String) throws {
        let table = try RuleTable(name: name, text: text, required: kind.required, knownColumns: kind.columns)
        var problems: [String] = []
        let hasFlags = table.columns.contains("flags")
        for row in table.rows {
            let source = "\(name):\(row.line)"
            let caseless = hasFlags ? row["flags"].contains("i") : true
            let pattern: PCRE2Pattern
            do {
                let anchor = row["anchor"].isEmpty ? nil : try MatchAnchor(parsing: row["anchor"])
                pattern = try PCRE2Pattern(row["pattern"], options: caseless ? [.caseless] : [], anchor: anchor)
            } catch {
                problems.append("\(source): \(error)")
                continue
            }
            switch kind {
            case .mentions:
                mentions.append(Mention(pattern: pattern, source: source, builtInSearch: BuiltInChainSearch(pattern: pattern)))
            case .cues:
                guard let role = CueRole(rawValue: row["role"]) else {
                    problems.append("\(source): role must be head or before")
                    continue
                }
                guard let cueKind = CueKind(rawValue: row["kind"]),
                      cueKind != .distribution || role == .head, cueKind != .level || role == .head
                else {
                    problems.append("\(source): kind must be dermatome, myotome, root, or (heads only) level or distribution")
                    continue
                }
                let defaultApplies: CueApplies = role == .head ? .any : .both
                let appliesText = row["applies"]
                guard let applies = appliesText.isEmpty ? defaultApplies : CueApplies(rawValue: appliesText),
                      role == .head ? (applies == .any || applies == .single)
                                    : (applies == .headless || applies == .generic || applies == .both)
                else {
                    problems.append("\(source): applies must be any|single for heads, headless|generic|both for befores")
                    continue
                }
                let cue = Cue(role: role, kind: cueKind, applies: applies, pattern: pattern, source: source,
                              prefilter: WindowPrefilter(pattern))
                if role == .head { heads.append(cue) } else { befores.append(cue) }
            case .notLevels:
                guard let position = Position(rawValue: row["position"]), position != .any else {
                    problems.append("\(source): position must be before, after, near, around or linestart")
                    continue
                }
                let windowText = row["window"]
                guard let window = windowText.isEmpty ? 60 : Int(windowText), window > 0, window <= 1000 else {
                    problems.append("\(source): window must be a number of bytes from 1 to 1000")
                    continue
                }
                var levels: SpinalLevelSet?
                let levelsText = row["levels"]
                if !levelsText.isEmpty && levelsText != "*" {
                    var set = SpinalLevelSet()
                    for part in levelsText.split(separator: ",") {
                        let trimmed = Self.trimmed(part)
                        guard let level = Self.parseLevel(trimmed) else {
                            problems.append("\(source): '\(trimmed)' is not a level such as S1 or T12")
                            continue
                        }
                        set.insert(level)
                    }
                    levels = set
                }
                notLevels.append(NotLevel(levels: levels, regionBits: levels?.regionBits ?? 0x0F, position: position, window: window,
                                          pattern: pattern, source: source, prefilter: WindowPrefilter(pattern)))
            case .sides:
                guard let side = Side(rawValue: row["side"]) else {
                    problems.append("\(source): side must be left, right or bilateral")
                    continue
                }
                let positionText = row["position"]
                guard let position = positionText.isEmpty ? .any : Position(rawValue: positionText),
                      position == .before || position == .after || position == .any
                else {
                    problems.append("\(source): position must be before, after or any")
                    continue
                }
                sides.append(SideCue(side: side, position: position, pattern: pattern, source: source,
                                     prefilter: WindowPrefilter(pattern)))
            }
        }
        if !problems.isEmpty { throw RuleFileError(problems: problems) }
    }

    private static func trimmed(_ text: Substring) -> String {
        var slice = text
        while let first = slice.first, first == " " || first == "\t" { slice = slice.dropFirst() }
        while let last = slice.last, last == " " || last == "\t" { slice = slice.dropLast() }
        return String(slice)
    }

    /// `S1`, `T12`, `C8` → a level (any number 0–99, so that rules may name impossible levels too).
    static func parseLevel(_ text: String) -> SpinalLevel? {
        let bytes = Array(text.utf8)
        guard bytes.count >= 2, bytes.count <= 3, let region = SpinalLevel.Region(letterByte: bytes[0]) else { return nil }
        var number = 0
        for byte in bytes.dropFirst() {
            guard ByteClass.isDigit(byte) else { return nil }
            number = number * 10 + Int(byte - 0x30)
        }
        return SpinalLevel(region: region, number: number)
    }
}

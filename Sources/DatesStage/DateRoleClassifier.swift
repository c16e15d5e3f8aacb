import ClinPipeCore
import ClinPipeText

/// Decides a date's `role` from cue phrases next to it (`role_cues.tsv`), separated from the date by nothing but
/// filler (`role_fillers.tsv`).
///
/// Two PCRE2 programs, compiled once with JIT:
/// - `before`: `(?:(?<c0>cue)|(?<c1>cue)|…)(?>filler)*+\z`, searched in the window that ends where the date
///   starts, so the earliest cue whose run of filler reaches the date wins, which is the cue nearest the date in
///   every practical case ("date of injury of", "PR-2 dated", "DOS:"). The search (`FilteredSearch`) tries only the
///   word starts whose first bytes can begin a cue, in text order: the same match as PCRE2's own search.
/// - `after`: `\G(?>filler)*+(?:(?<c0>cue)|…)`, tried where the date ends ("The 03/25/15 report").
///
/// Windows are UTF-8 byte ranges of the scanned text, never longer than `windowBytes`, never reaching over a
/// neighbouring date, and a `before` window starts after the last sentence or clause end (`. ` or `;`) before
/// the date: a cue and its filler never span one. Lookbehinds and `\b` still see the text before a window (the
/// subject is the whole text up to the window's end).
///
/// Tried and dropped (eighth round; callgrind on 300 generated and 300 `pdftotext` letters): skipping a search where
/// a necessary condition fails. For `after`, the filler loop is possessive, so a cue can only start where the shipped
/// fillers stop (byte code), and an `AffixFilter` of the cues' first bytes can rule the date out: 1,224 -> 384 searches
/// on the generated letters (dates -0.7M instructions), but only 2,080 -> 1,080 cheap ones on the `pdftotext` letters,
/// where the test's ~5.6 mispredicts per date cost more than it saved. A one-byte test instead (no `after` match
/// starts with `.`, `;` or a digit; most generated dates end a sentence, most `pdftotext` ones a line) saved
/// instructions on the generated letters but made the stage's code larger and the compiler's inlining worse (more
/// mispredicts on both corpora). For `before`, walking back over filler words to where a cue could end, then the cues'
/// last bytes (`AffixFilter`, `.end`): it ruled out only a fifth of the windows, whose searches were the cheap ones,
/// because a cue ending in `on`, `of` or `dated` (`utilization review ... on`) fits before most dates. An `AffixFilter`
/// of the whole `before` pattern read backwards (any depth) ruled out 118 of 1,992 windows.
struct DateRoleClassifier: Sendable {
    private struct Cue: Sendable {
        var role: String
        var group: Int
    }

    static let columns = ["role", "position", "flags", "pattern"]

    let before: FilteredSearch?
    private let after: PCRE2Pattern?
    private let beforeCues: [Cue]
    private let afterCues: [Cue]
    let windowBytes: Int

    /// - Throws: `RuleFileError` with every problem as `file:line: message`.
    init(cueSources: [RuleSource], fillerSources: [RuleSource], windowBytes: Int) throws {
        var problems: [String] = []
        var beforeFillers: [String] = [], afterFillers: [String] = []
        for source in fillerSources {
            do {
                let table = try RuleTable(name: source.name, text: source.text, required: ["position", "pattern"],
                                          knownColumns: ["position", "pattern"])
                for row in table.rows {
                    let location = "\(source.name):\(row.line)"
                    let checked = Self.check(row["pattern"], caseless: true, at: location)
                    if !checked.isEmpty {
                        problems += checked
                        continue
                    }
                    switch row["position"] {
                    case "before": beforeFillers.append("(?i:\(row["pattern"]))")
                    case "after": afterFillers.append("(?i:\(row["pattern"]))")
                    default: problems.append("\(location): position must be 'before' or 'after'")
                    }
                }
            } catch let error as RuleFileError {
                problems += error.problems
            }
        }
        // Cues that begin with `\b` share one `(?<!\w)` in front of their alternation (see `wordStartCues`).
        var beforeAlternatives: [String] = [], beforeWordStartAlternatives: [String] = []
        var afterAlternatives: [String] = []
        var beforeRoles: [String] = [], afterRoles: [String] = []
        for source in cueSources {
            do {
                let table = try RuleTable(name: source.name, text: source.text,
                                          required: ["role", "position", "pattern"], knownColumns: Self.columns)
                for row in table.rows {
                    let location = "\(source.name):\(row.line)"
                    let caseless = table.columns.contains("flags") ? row["flags"].contains("i") : true
                    let checked = Self.check(row["pattern"], caseless: caseless, at: location)
                    if !checked.isEmpty {
                        problems += checked
                        continue
                    }
                    let pattern = row["pattern"]
                    let startsAtWord = pattern.hasPrefix("\\b")
                    let body = "(?\(caseless ? "i" : "-i"):\(startsAtWord ? String(pattern.dropFirst(2)) : pattern))"
                    switch row["position"] {
                    case "before":
                        let alternative = "(?<c\(beforeRoles.count)>\(body))"
                        if startsAtWord {
                            beforeWordStartAlternatives.append(alternative)
                        } else {
                            beforeAlternatives.append(alternative)
                        }
                        beforeRoles.append(row["role"])
                    case "after":
                        afterAlternatives.append("(?<c\(afterRoles.count)>\(startsAtWord ? "\\b" : "")\(body))")
                        afterRoles.append(row["role"])
                    default:
                        problems.append("\(location): position must be 'before' or 'after'")
                    }
                }
            } catch let error as RuleFileError {
                problems += error.problems
            }
        }
        if !problems.isEmpty { throw RuleFileError(problems: problems) }

        func filler(_ alternatives: [String]) -> String {
            alternatives.isEmpty ? "" : "(?>\(alternatives.joined(separator: "|")))*+"
        }
        if !beforeWordStartAlternatives.isEmpty {
            beforeAlternatives.insert(Self.wordStartCues(beforeWordStartAlternatives), at: 0)
        }
        let before = beforeAlternatives.isEmpty ? nil
            : FilteredSearch(try PCRE2Pattern("(?:\(beforeAlternatives.joined(separator: "|")))\(filler(beforeFillers))\\z"))
        let after = afterAlternatives.isEmpty ? nil
            : try PCRE2Pattern("\\G\(filler(afterFillers))(?:\(afterAlternatives.joined(separator: "|")))")
        self.before = before
        self.after = after
        self.beforeCues = beforeRoles.indices.map { Cue(role: beforeRoles[$0], group: before?.pattern.groupNumbers["c\($0)"] ?? 0) }
        self.afterCues = afterRoles.indices.map { Cue(role: afterRoles[$0], group: after?.groupNumbers["c\($0)"] ?? 0) }
        self.windowBytes = windowBytes
    }

    /// The alternation of the cues that began with `\b`, written `(?<!\w)(?:cue|cue|…)`: the same matches for
    /// cues that begin with a word character (all of them), but the searched window is scanned far faster.
    /// PCRE2 cannot tell which characters may start a match past a `\b`, so it would try every alternative at
    /// every position; past a lookbehind it can, and then one lookbehind test rejects a position inside a word
    /// for all cues at once (measured: several times faster over a 120-byte window).
    private static func wordStartCues(_ alternatives: [String]) -> String {
        "(?<!\\w)(?:\(alternatives.joined(separator: "|")))"
    }

    private static func check(_ pattern: String, caseless: Bool, at location: String) -> [String] {
        var problems = embeddabilityProblems(of: pattern, allowedNames: []).map { "\(location): \($0)" }
        if problems.isEmpty {
            do {
                _ = try PCRE2Pattern(pattern, options: caseless ? [.caseless] : [], jit: false)
            } catch {
                problems.append("\(location): \(error)")
            }
        }
        return problems
    }

    /// The role of the date at `range` (UTF-8 offsets into `bytes`, valid UTF-8), or nil. `previousEnd` and
    /// `nextStart` are the neighbouring dates' edges (or the text's edges): windows never cross them.
    func role(of range: Range<Int>, in bytes: UnsafeBufferPointer<UInt8>, previousEnd: Int, nextStart: Int) throws
        -> String?
    {
        if let before {
            var start = max(previousEnd, range.lowerBound - windowBytes)
            while start < range.lowerBound, bytes[start] & 0xC0 == 0x80 { start += 1 }
            // A cue never reaches back over the end of a sentence or clause (`. ` or `;`): start after it.
            var position = range.lowerBound - 1
            while position > start {
                let byte = bytes[position]
                if byte == UInt8(ascii: ";")
                    || byte == UInt8(ascii: ".") && position + 1 < range.lowerBound && ByteClass.isSpace(bytes[position + 1])
                {
                    start = position + 1
                    break
                }
                position -= 1
            }
            let subject = UnsafeBufferPointer(rebasing: bytes[0..<range.lowerBound])
            var found: String?
            try before.forEachMatch(in: subject, from: start) { match in
                found = beforeCues.first { match.range($0.group) != nil }?.role
                return false
            }
            if let found { return found }
        }
        if let after {
            var end = min(nextStart, range.upperBound + windowBytes)
            while end > range.upperBound, end < bytes.count, bytes[end] & 0xC0 == 0x80 { end -= 1 }
            let subject = UnsafeBufferPointer(rebasing: bytes[0..<end])
            var found: String?
            try after.forEachMatch(in: subject, from: range.upperBound) { match in
                if match.range.lowerBound == range.upperBound {
                    found = afterCues.first { match.range($0.group) != nil }?.role
                }
                return false
            }
            return found
        }
        return nil
    }
}

import ClinPipeCore
import ClinPipeText

/// A date as found by a pattern, before validation: UTF-8 offsets into the matched text and the raw fields.
struct DateCandidate: Sendable {
    /// UTF-8 byte offsets into the text that was scanned (the normalized layer), half-open: from the first field's
    /// start to the last field's end.
    var range: Range<Int>
    /// The year as written (`13` for `11/7/13`).
    var year: Int
    /// Digits of the written year: 2 or 4.
    var yearDigits: Int
    var month: Int?
    var day: Int?
    /// Index of the rule (row) that matched, in `DatePatternSet.rules`.
    var rule: Int
}

/// The date patterns of `date_patterns.tsv` (and the user's files), compiled once into two PCRE2 programs with
/// JIT: every `text` row as one alternation (one pass over the text finds every date), and every `after_year` row
/// as a second alternation anchored (`\G`) at the end of a year.
///
/// Each row's named groups are renamed `name_<row>` and each row is wrapped in a group `r<row>`, so one match tells
/// which row matched and where its fields are. The row order is the priority at a given start position. A `text` row
/// stands behind a lookahead on the characters its matches can begin with (`AffixFilter.firstCharacterClass`), so
/// that PCRE2 leaves a row at a start position before running its lookbehinds.
struct DatePatternSet: Sendable {
    /// One row of a pattern file.
    struct Rule: Sendable {
        var id: String
        /// `file:line`, for provenance.
        var source: String
        var continuesYear: Bool
        /// `(?:before_pattern)\z`: must match text ending where the match starts, or nil.
        var before: PCRE2Pattern?
        /// The last bytes every match of `before` can end with (nil: no shortcut).
        var beforeEnd: AffixFilter?
        var rowGroup = 0
        var monthGroup: Int?
        var monthNameGroup: Int?
        var dayGroup: Int?
        var yearGroup: Int?
    }

    static let fieldNames: Set<String> = ["month", "month_name", "day", "year", "sep"]
    static let columns = ["id", "scope", "flags", "pattern", "before_pattern"]
    /// How far (UTF-8 bytes) before a match its `before_pattern` may start.
    static let beforeWindowBytes = 64

    private(set) var rules: [Rule] = []
    private let textPattern: PCRE2Pattern?
    private let continuationPattern: PCRE2Pattern?
    private let monthNames: MonthNameTable
    private let textRules: [Int]
    private let continuationRules: [Int]
    /// The byte code of the shipped `text` rows, when those are the set's `text` rows and it agrees with
    /// `textPattern` on `BuiltInDateRows.probeTexts`; nil: every search runs `textPattern`.
    private(set) var builtInRows: BuiltInDateRows?

    /// Compiles the pattern files.
    /// - Throws: `RuleFileError` with every problem as `file:line: message`.
    init(patternSources: [RuleSource], monthNameSources: [RuleSource]) throws {
        var problems: [String] = []
        var months: [String: Int] = [:]
        for source in monthNameSources {
            do {
                let table = try RuleTable(name: source.name, text: source.text, required: ["name", "month"],
                                          knownColumns: ["name", "month"])
                for row in table.rows {
                    guard let month = Int(row["month"]), (1...12).contains(month) else {
                        problems.append("\(source.name):\(row.line): month must be 1-12")
                        continue
                    }
                    months[MonthNameTable.monthKey(row["name"])] = month
                }
            } catch let error as RuleFileError {
                problems += error.problems
            }
        }

        var rules: [Rule] = []
        var textAlternatives: [String] = []
        var textRows: [(pattern: String, caseless: Bool)] = []
        var continuationAlternatives: [String] = []
        for source in patternSources {
            let table: RuleTable
            do {
                table = try RuleTable(name: source.name, text: source.text, required: ["id", "pattern"],
                                      knownColumns: Self.columns)
            } catch let error as RuleFileError {
                problems += error.problems
                continue
            }
            for row in table.rows {
                let location = "\(source.name):\(row.line)"
                let scope = row["scope"].isEmpty ? "text" : row["scope"]
                guard scope == "text" || scope == "after_year" else {
                    problems.append("\(location): scope must be 'text' or 'after_year'")
                    continue
                }
                let pattern = row["pattern"]
                let embedProblems = embeddabilityProblems(of: pattern, allowedNames: Self.fieldNames)
                if !embedProblems.isEmpty {
                    problems += embedProblems.map { "\(location): \($0)" }
                    continue
                }
                let caseless = table.columns.contains("flags") ? row["flags"].contains("i") : true
                do {
                    _ = try PCRE2Pattern(pattern, options: caseless ? [.caseless] : [], jit: false)
                } catch {
                    problems.append("\(location): \(error)")
                    continue
                }
                if !pattern.contains("(?<year>") {
                    problems.append("\(location): the pattern has no (?<year>…) group")
                    continue
                }
                if scope == "after_year" && !pattern.hasPrefix("\\G") {
                    problems.append("\(location): an after_year pattern must start with \\G")
                    continue
                }
                var before: PCRE2Pattern?
                var beforeEnd: AffixFilter?
                if !row["before_pattern"].isEmpty {
                    let beforeProblems = embeddabilityProblems(of: row["before_pattern"], allowedNames: [])
                    if !beforeProblems.isEmpty {
                        problems += beforeProblems.map { "\(location): before_pattern: \($0)" }
                        continue
                    }
                    do {
                        let source = "(?:\(withLookbehindWordStart(row["before_pattern"])))\\z"
                        before = try PCRE2Pattern(source, options: caseless ? [.caseless] : [])
                        beforeEnd = AffixFilter(source, caseless: caseless, edge: .end)
                    } catch {
                        problems.append("\(location): before_pattern: \(error)")
                        continue
                    }
                }
                let index = rules.count
                let renamed = renamingGroups(of: pattern, names: Self.fieldNames, suffix: "_\(index)")
                // A lookahead on a text row's first characters lets PCRE2 reject a start position for the row before
                // its lookbehinds (same matches: every match of the row begins with one of them). Not on after_year
                // rows, which must start with \G to stay anchored.
                let firstClass = scope == "text" ? AffixFilter.firstCharacterClass(of: renamed, caseless: caseless) : nil
                let wrapped = (firstClass.map { "(?=\($0))" } ?? "") + "(?<r\(index)>(?\(caseless ? "i" : "-i"):\(renamed)))"
                if scope == "text" {
                    textAlternatives.append(wrapped)
                    textRows.append((pattern, caseless))
                } else {
                    continuationAlternatives.append(wrapped)
                }
                rules.append(Rule(id: row["id"], source: location, continuesYear: scope == "after_year", before: before,
                                  beforeEnd: beforeEnd))
            }
        }
        if !problems.isEmpty { throw RuleFileError(problems: problems) }

        func compile(_ alternatives: [String]) throws -> PCRE2Pattern? {
            alternatives.isEmpty ? nil : try PCRE2Pattern(alternatives.joined(separator: "|"))
        }
        let textPattern = try compile(textAlternatives)
        let continuationPattern = try compile(continuationAlternatives)
        for index in rules.indices {
            let pattern = rules[index].continuesYear ? continuationPattern : textPattern
            guard let groups = pattern?.groupNumbers else { continue }
            rules[index].rowGroup = groups["r\(index)"] ?? 0
            rules[index].monthGroup = groups["month_\(index)"]
            rules[index].monthNameGroup = groups["month_name_\(index)"]
            rules[index].dayGroup = groups["day_\(index)"]
            rules[index].yearGroup = groups["year_\(index)"]
        }
        self.rules = rules
        self.textPattern = textPattern
        self.continuationPattern = continuationPattern
        self.monthNames = MonthNameTable(months: months)
        self.textRules = rules.indices.filter { !rules[$0].continuesYear }
        self.continuationRules = rules.indices.filter { rules[$0].continuesYear }
        self.builtInRows = nil
        if let textPattern, let builtIn = BuiltInDateRows(rows: textRows),
           (try? agrees(builtIn, with: textPattern, on: BuiltInDateRows.probeTexts)) == true
        {
            builtInRows = builtIn
        }
    }

    /// The PCRE2 alternation of the `text` rows (for tests).
    var textPatternForTests: PCRE2Pattern? { textPattern }

    /// The same set, searching with PCRE2 only (for tests).
    func withoutBuiltInRows() -> DatePatternSet {
        var plain = self
        plain.builtInRows = nil
        return plain
    }

    /// Whether `builtIn` finds the matches of `pattern` (rows and fields) in each of `texts` searched whole, or with
    /// `everySubject` from every character boundary to every later one (the subjects of windows); a search where the
    /// byte code stays undecided is not compared.
    func agrees(_ builtIn: BuiltInDateRows, with pattern: PCRE2Pattern, on texts: [String], everySubject: Bool = false)
        throws -> Bool
    {
        for text in texts {
            let same = try text.withUTF8Bytes { bytes -> Bool in
                let ends = everySubject ? Array((0...bytes.count).reversed()) : [bytes.count]
                for end in ends where end == bytes.count || bytes[end] & 0xC0 != 0x80 {
                    for start in everySubject ? Array(0...end) : [0] where start == end || bytes[start] & 0xC0 != 0x80 {
                        let subject = UnsafeBufferPointer(rebasing: bytes[0..<end])
                        var expected: [BuiltInDateRows.Match] = []
                        try pattern.forEachMatch(in: subject, from: start) { match in
                            guard let row = textRules.firstIndex(where: { match.range(rules[$0].rowGroup) != nil }),
                                  let fields = fields(of: match, rule: textRules[row]), let year = fields.year
                            else { return false }
                            expected.append(BuiltInDateRows.Match(row: row, range: match.range, year: year,
                                                                  month: fields.month, monthName: fields.monthName,
                                                                  day: fields.day))
                            return true
                        }
                        var found: [BuiltInDateRows.Match] = []
                        var position = start
                        search: while true {
                            switch builtIn.firstMatch(in: bytes, end: end, from: position) {
                            case .match(let match):
                                found.append(match)
                                position = match.range.upperBound
                            case .none: break search
                            case .undecided: found = expected; break search
                            }
                        }
                        if found != expected { return false }
                    }
                }
                return true
            }
            if !same { return false }
        }
        return true
    }

    /// Every candidate date in `bytes` (valid UTF-8), in text order, without overlaps. Fields are checked for
    /// form only (a known month name, a year of 2 or 4 digits); calendar validity is the caller's job.
    ///
    /// With `wholeText` false, the patterns run only over `DateScanWindows` (each window's search sees the text
    /// before it for lookbehinds, and ends at the window's end).
    func candidates(in bytes: UnsafeBufferPointer<UInt8>, wholeText: Bool = false) throws -> [DateCandidate] {
        guard let textPattern else { return [] }
        var found: [DateCandidate] = []
        found.reserveCapacity(16)
        // One window's search: the byte code when it decides, else PCRE2.
        func searchWindow(_ window: DateScanWindows.Window) throws {
            if let builtInRows, search(builtInRows, window, in: bytes, into: &found) { return }
            let subject = UnsafeBufferPointer(rebasing: bytes[0..<window.range.upperBound])
            try textPattern.forEachMatch(in: subject, from: window.range.lowerBound) { match in
                for index in textRules where match.range(rules[index].rowGroup) != nil {
                    if let fields = fields(of: match, rule: index),
                       let candidate = candidate(fields, rule: index, bytes: bytes)
                    {
                        found.append(candidate)
                    }
                    break
                }
                return window.mayMatchAfter(match.range.upperBound)
            }
        }
        if wholeText {
            try searchWindow(DateScanWindows.Window(range: 0..<bytes.count, lastTriggerStart: bytes.count))
        } else {
            try DateScanWindows.forEachWindow(in: bytes, searchWindow)
        }
        guard let continuationPattern, found.contains(where: { $0.yearDigits == 4 && $0.month == nil }) else {
            return found
        }
        // Continue lists and ranges of bare years ("from 2012 to 2014", "in 2012, 2013 and 2015").
        var continued: [DateCandidate] = []
        for candidate in found where candidate.month == nil {
            var end = candidate.range.upperBound
            while let next = try continuation(after: end, in: bytes, pattern: continuationPattern) {
                continued.append(next)
                end = next.range.upperBound
            }
        }
        if continued.isEmpty { return found }
        // Merge: earlier start first, the longer span on a tie; drop anything overlapping a kept date.
        let all = (found + continued).sorted {
            $0.range.lowerBound != $1.range.lowerBound ? $0.range.lowerBound < $1.range.lowerBound
                : $0.range.upperBound > $1.range.upperBound
        }
        var merged: [DateCandidate] = []
        for candidate in all {
            if let last = merged.last, candidate.range.lowerBound < last.range.upperBound { continue }
            merged.append(candidate)
        }
        return merged
    }

    /// The candidates of `window` by the byte code, appended to `found`; false (and `found` as it was) when the byte
    /// code leaves the window undecided and PCRE2 must search it.
    private func search(_ builtIn: BuiltInDateRows, _ window: DateScanWindows.Window, in bytes: UnsafeBufferPointer<UInt8>,
                        into found: inout [DateCandidate]) -> Bool
    {
        let count = found.count
        var position = window.range.lowerBound
        while true {
            switch builtIn.firstMatch(in: bytes, end: window.range.upperBound, from: position) {
            case .match(let match):
                let rule = textRules[match.row]
                let fields = Fields(year: match.year, month: match.month, monthName: match.monthName, day: match.day,
                                    matchStart: match.range.lowerBound)
                if let candidate = candidate(fields, rule: rule, bytes: bytes) { found.append(candidate) }
                guard window.mayMatchAfter(match.range.upperBound) else { return true }
                position = match.range.upperBound
            case .none:
                return true
            case .undecided:
                found.removeSubrange(count...)
                return false
            }
        }
    }

    private func continuation(after end: Int, in bytes: UnsafeBufferPointer<UInt8>, pattern: PCRE2Pattern) throws
        -> DateCandidate?
    {
        var result: DateCandidate?
        try pattern.forEachMatch(in: bytes, from: end) { match in
            // \G anchors every row at `end`: the first match is the only one that can start there.
            guard match.range.lowerBound == end else { return false }
            for index in continuationRules where match.range(rules[index].rowGroup) != nil {
                result = fields(of: match, rule: index).flatMap { candidate($0, rule: index, bytes: bytes) }
                break
            }
            return false
        }
        return result
    }

    /// The field groups of one match (UTF-8 offsets; nil: the group did not take part or the row has none).
    struct Fields {
        var year: Range<Int>?
        var month: Range<Int>?
        var monthName: Range<Int>?
        var day: Range<Int>?
        /// Where the match starts (a `before_pattern` must end there).
        var matchStart: Int
    }

    /// The fields of a match of row `index`; nil when the row has no year group (never, for a loaded row).
    private func fields(of match: PCRE2Match, rule index: Int) -> Fields? {
        // Groups one by one, not the whole rule (a copy would retain its patterns on every match).
        guard let yearGroup = rules[index].yearGroup else { return nil }
        return Fields(year: match.range(yearGroup), month: rules[index].monthGroup.flatMap { match.range($0) },
                      monthName: rules[index].monthNameGroup.flatMap { match.range($0) },
                      day: rules[index].dayGroup.flatMap { match.range($0) }, matchStart: match.range.lowerBound)
    }

    private func candidate(_ fields: Fields, rule index: Int, bytes: UnsafeBufferPointer<UInt8>) -> DateCandidate? {
        if let before = rules[index].before,
           !Self.precededBy(before, rules[index].beforeEnd, at: fields.matchStart, in: bytes)
        {
            return nil
        }
        guard let yearRange = fields.year, yearRange.count == 2 || yearRange.count == 4,
              let year = Self.number(bytes, yearRange)
        else { return nil }
        var lower = yearRange.lowerBound, upper = yearRange.upperBound
        func cover(_ range: Range<Int>) {
            lower = min(lower, range.lowerBound)
            upper = max(upper, range.upperBound)
        }
        var month: Int?
        if let range = fields.month {
            guard let value = Self.number(bytes, range) else { return nil }
            month = value
            cover(range)
        } else if let range = fields.monthName {
            guard let value = monthNames.month(bytes, range) else { return nil }
            month = value
            cover(range)
        }
        var day: Int?
        if let range = fields.day {
            guard month != nil, let value = Self.number(bytes, range) else { return nil }
            day = value
            cover(range)
        }
        return DateCandidate(range: lower..<upper, year: year, yearDigits: yearRange.count, month: month, day: day,
                             rule: index)
    }

    /// Whether `pattern` (ending in `\z`) matches text that ends at `position`, starting at most
    /// `beforeWindowBytes` earlier. Lookbehinds and `\b` still see the text before the window.
    private static func precededBy(_ pattern: PCRE2Pattern, _ end: AffixFilter?, at position: Int,
                                   in bytes: UnsafeBufferPointer<UInt8>) -> Bool
    {
        var start = max(0, position - beforeWindowBytes)
        while start < position, bytes[start] & 0xC0 == 0x80 { start += 1 }
        if let end, !end.admits(bytes, at: position, limit: start) { return false }
        let subject = UnsafeBufferPointer(rebasing: bytes[0..<position])
        // A limit error here means "no cue": the candidate is dropped rather than failing the document.
        return (try? pattern.firstMatchRange(in: subject, from: start)) != nil
    }

    /// The decimal value of an all-digit range, or nil.
    static func number(_ bytes: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) -> Int? {
        guard !range.isEmpty, range.count <= 9 else { return nil }
        var value = 0
        for position in range {
            let byte = bytes[position]
            guard ByteClass.isDigit(byte) else { return nil }
            value = value * 10 + Int(byte - 0x30)
        }
        return value
    }
}

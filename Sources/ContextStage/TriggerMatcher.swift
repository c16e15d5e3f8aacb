import ClinPipeText

/// One trigger found in a text: UTF-8 offsets into the matched text and the rules it fires (several rules may
/// share a phrase, such as "negative" forward and backward).
public struct TriggerMatch: Sendable, Hashable {
    public var range: Range<Int>
    /// Indices into the rule set's `rules`.
    public var rules: [Int]
}

/// Finds every trigger of a rule set in one pass: literal phrases through one `LexiconMatcher` (whole words,
/// longest match), patterns through one PCRE2 alternation compiled once (or, with the same matches, pattern by
/// pattern, each run only where a match can start: `SeparatePatterns`). Where a literal and a pattern match
/// overlap, the longer wins (the earlier on a tie), so pseudo-triggers block the triggers inside them.
public struct TriggerMatcher: Sendable {
    public let ruleSet: ContextRuleSet
    private let literals: LexiconMatcher
    /// For each literal term given to `literals`, its rule index.
    private let literalRules: [Int]
    /// The matcher of the literal phrases, for a scan that lists its starts (`LexiconMatcher.canListStarts(for:)`).
    var literalMatcher: LexiconMatcher { literals }
    /// Rule indices of each value group of `literals`, precomputed.
    private let groupRules: [[Int]]
    private let patterns: PCRE2Pattern?
    /// (capture group number, rule index) of each pattern rule.
    private let patternGroups: [(group: Int, rule: Int)]
    /// Each pattern rule compiled alone, in rule order, when that gives the alternation's matches (see
    /// `separable`); nil: run `patterns`.
    private let separatePatterns: SeparatePatterns?

    /// Compiles the rules.
    /// - Throws: `RuleFileError` naming the rule whose pattern does not compile.
    public init(ruleSet: ContextRuleSet) throws {
        self.ruleSet = ruleSet
        var terms: [String] = []
        var literalRules: [Int] = []
        var alternatives: [String] = []
        var patternRules: [Int] = []
        var separate: [SeparatePatterns.Entry] = []
        var problems: [String] = []
        for (index, rule) in ruleSet.rules.enumerated() {
            switch rule.trigger {
            case .literal(let phrase):
                terms.append(phrase)
                literalRules.append(index)
            case .pattern(let pattern):
                do {
                    if Self.separable(pattern) {
                        separate.append(try SeparatePatterns.Entry(pattern, rule: index))
                    } else {
                        _ = try PCRE2Pattern(pattern, options: [.caseless], jit: false)
                    }
                } catch {
                    problems.append("\(rule.source): \(error)")
                    continue
                }
                alternatives.append("(?<r\(index)>\(pattern))")
                patternRules.append(index)
            }
        }
        if !problems.isEmpty { throw RuleFileError(problems: problems) }
        let matcher = LexiconMatcher(terms: terms)
        self.literals = matcher
        self.literalRules = literalRules
        // The matcher gives each distinct spelling one value group, numbered from 0; precompute each group's rules
        // so that matching allocates nothing per match.
        var distinctKeys: Set<[UInt8]> = []
        for term in terms {
            let key = LexiconMatcher.normalizedKey(term, caseSensitive: false)
            if !key.isEmpty { distinctKeys.insert(key) }
        }
        let groupRules = (0..<distinctKeys.count).map { group in
            matcher.values(ofGroup: group).map { literalRules[$0] }
        }
        self.groupRules = groupRules
        self.separatePatterns = separate.count == patternRules.count && separate.count > 1 ? SeparatePatterns(separate) : nil
        if alternatives.isEmpty {
            self.patterns = nil
            self.patternGroups = []
        } else {
            let combined = try PCRE2Pattern(alternatives.joined(separator: "|"), options: [.caseless])
            self.patterns = combined
            self.patternGroups = patternRules.compactMap { rule in
                combined.groupNumbers["r\(rule)"].map { (group: $0, rule: rule) }
            }
        }
    }

    /// Every trigger in `text` (UTF-8 bytes), left to right, non-overlapping.
    /// - Throws: `PCRE2Error.limitExceeded` if a pattern hits its match limit.
    public func matches(in text: UnsafeBufferPointer<UInt8>) throws -> [TriggerMatch] {
        var result: [TriggerMatch] = []
        try appendMatches(in: text, range: 0..<text.count, to: &result)
        return result
    }

    /// Appends the triggers found in `text[range]` to `result`, with ranges in `text`'s offsets. Matching sees
    /// only the range (a trigger never spans its edges), so `range` should start and end at sentence edges.
    public func appendMatches(in text: UnsafeBufferPointer<UInt8>, range: Range<Int>,
                              to result: inout [TriggerMatch]) throws
    {
        var scratch = Scratch()
        try appendMatches(in: text, range: range, scratch: &scratch, to: &result)
    }

    /// Buffers that `appendMatches(in:range:scratch:to:)` reuses from one call to the next (a document's runs of
    /// sentences); their contents mean nothing between calls.
    struct Scratch {
        var patterns = SeparatePatterns.Scratch()
        var fromPatterns: [TriggerMatch] = []
    }

    /// `appendMatches(in:range:to:)` for each of `ranges` (ascending, disjoint) in turn, with buffers reused: the
    /// literal phrases of every range first, then the patterns of every range, then one merge, so that the literal
    /// matcher's tables and the patterns' compiled code each stay in cache for the whole document instead of
    /// evicting each other range after range. Matches never cross a range's edges, so merging all ranges at once
    /// keeps what merging range by range keeps. `literalStarts`: the word starts of `text` listed for the literal
    /// phrases by another matcher's scan of all of it (`LexiconMatcher.forEachMatch(in:listingStartsFor:into:_:)`),
    /// which the literal phrases then visit instead of every word; nil: they read every word.
    func appendMatches(in text: UnsafeBufferPointer<UInt8>, ranges: [Range<Int>], literalStarts: [Int]? = nil,
                       scratch: inout Scratch, to result: inout [TriggerMatch]) throws
    {
        let first = result.count
        var cursor = 0
        for range in ranges {
            let offset = range.lowerBound
            func append(_ found: Range<Int>, _ group: Int) {
                result.append(TriggerMatch(range: (found.lowerBound + offset)..<(found.upperBound + offset), rules: groupRules[group]))
            }
            if let literalStarts {
                literals.forEachMatch(in: text, range: range, listedStarts: literalStarts, cursor: &cursor, append)
            } else {
                literals.forEachMatch(in: UnsafeBufferPointer(rebasing: text[range]), append)
            }
        }
        guard patterns != nil else { return }
        scratch.fromPatterns.removeAll(keepingCapacity: true)
        for range in ranges {
            try appendPatternMatches(in: text, range: range, scratch: &scratch)
        }
        if scratch.fromPatterns.isEmpty { return }
        let merged = Self.merge(result[first...], scratch.fromPatterns)
        result.removeSubrange(first...)
        result.append(contentsOf: merged)
    }

    /// Appends the pattern triggers of `text[range]` to `scratch.fromPatterns`, with ranges in `text`'s offsets.
    private func appendPatternMatches(in text: UnsafeBufferPointer<UInt8>, range: Range<Int>, scratch: inout Scratch) throws {
        guard let patterns else { return }
        let slice = UnsafeBufferPointer(rebasing: text[range])
        let offset = range.lowerBound
        if let separatePatterns {
            try separatePatterns.appendMatches(in: slice, offset: offset, scratch: &scratch.patterns, to: &scratch.fromPatterns)
        } else {
            try patterns.forEachMatch(in: slice) { match in
                let found = match.range
                if !found.isEmpty {
                    for (group, rule) in patternGroups where match.range(group) != nil {
                        scratch.fromPatterns.append(TriggerMatch(range: (found.lowerBound + offset)..<(found.upperBound + offset), rules: [rule]))
                        break
                    }
                }
                return true
            }
        }
    }

    /// `appendMatches(in:range:to:)` with buffers reused from call to call.
    func appendMatches(in text: UnsafeBufferPointer<UInt8>, range: Range<Int>, scratch: inout Scratch,
                       to result: inout [TriggerMatch]) throws
    {
        let slice = UnsafeBufferPointer(rebasing: text[range])
        let offset = range.lowerBound
        let first = result.count
        literals.forEachMatch(in: slice) { found, group in
            result.append(TriggerMatch(range: (found.lowerBound + offset)..<(found.upperBound + offset), rules: groupRules[group]))
        }
        guard patterns != nil else { return }
        scratch.fromPatterns.removeAll(keepingCapacity: true)
        try appendPatternMatches(in: text, range: range, scratch: &scratch)
        if scratch.fromPatterns.isEmpty { return }
        let merged = Self.merge(Array(result[first...]), scratch.fromPatterns)
        result.removeSubrange(first...)
        result.append(contentsOf: merged)
    }

    /// Whether a pattern matches alone exactly as it does as one alternative of the combined pattern: true unless
    /// it refers to groups (backreferences, subroutine calls, conditions on groups: their numbers and names change
    /// when patterns are combined) or uses backtracking verbs (`(*COMMIT)` and the like, whose effect depends on the
    /// start-of-match optimizations, which differ between the two).
    static func separable(_ pattern: String) -> Bool {
        let bytes = Array(pattern.utf8)
        for (index, byte) in bytes.enumerated() where index + 1 < bytes.count {
            let next = bytes[index + 1]
            // \1 \g{1} \k<name>; an escaped backslash before them only makes this cautious.
            if byte == UInt8(ascii: "\\") && "123456789gk".utf8.contains(next) { return false }
            if byte == UInt8(ascii: "(") && next == UInt8(ascii: "*") { return false }
            if byte == UInt8(ascii: "(") && next == UInt8(ascii: "?") && index + 2 < bytes.count {
                let third = bytes[index + 2]
                // (?P=name) (?P>name) (?&name) (?R) (?1) (?+1) (?-1) (?(condition)...)
                if "P&R(+-0123456789".utf8.contains(third) { return false }
            }
        }
        return true
    }

    /// Merges two lists of matches, each sorted, non-empty and non-overlapping, keeping the longer of overlapping
    /// matches (the earlier on a tie).
    static func merge(_ first: [TriggerMatch], _ second: [TriggerMatch]) -> [TriggerMatch] {
        merge(first[...], second)
    }

    /// `merge` of a slice: the candidates are taken in the order of a stable sort of `first + second` by start, the
    /// longer first (a two-way merge of the sorted lists, `first`'s on a tie), and each overlapping the last kept
    /// one replaces it only when longer. Each list must be in that order by itself: matches that are non-empty and
    /// do not overlap (what the matchers give) start at strictly increasing offsets.
    static func merge(_ first: ArraySlice<TriggerMatch>, _ second: [TriggerMatch]) -> [TriggerMatch] {
        var kept: [TriggerMatch] = []
        kept.reserveCapacity(first.count + second.count)
        var i = first.startIndex, j = second.startIndex
        while i < first.endIndex || j < second.endIndex {
            let takeFirst: Bool
            if j == second.endIndex {
                takeFirst = true
            } else if i == first.endIndex {
                takeFirst = false
            } else {
                let a = first[i].range, b = second[j].range
                // `b` goes first only when strictly before `a` in the sort's order.
                takeFirst = !(b.lowerBound != a.lowerBound ? b.lowerBound < a.lowerBound : b.count > a.count)
            }
            let candidate: TriggerMatch
            if takeFirst {
                candidate = first[i]
                i += 1
            } else {
                candidate = second[j]
                j += 1
            }
            if let last = kept.last, last.range.overlaps(candidate.range) {
                if candidate.range.count > last.range.count { kept[kept.count - 1] = candidate }
                continue
            }
            kept.append(candidate)
        }
        return kept
    }
}

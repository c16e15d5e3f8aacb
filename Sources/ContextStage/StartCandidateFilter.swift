import ClinPipeText

/// What a position must pass, besides `PatternStart.mayStart`, before an anchored trigger pattern runs there: a
/// necessary condition on the text from the position on, and one on the text before the end of a prefix that a
/// lookbehind follows. Most positions that `mayStart` lets through (every `,`, every word `to`) fail one of them, so
/// that PCRE2 runs only where a match is likely.
///
/// - From the position on: `AffixFilter` (edge `start`) over the pattern with a lookahead that ends it read as
///   consumed text (`PatternStart.trailingLookaheadAsGroup`): `,(?=\s+(?:the|this)\b)` must be followed by
///   whitespace and one of the words.
/// - Before a prefix's end: for an alternative `to(?<=response to|reaction to)`, `AffixFilter` (edge `end`) over the
///   lookbehind's body, asked where the prefix's ASCII bytes end (a prefix met perhaps, through a non-ASCII byte
///   that caseless matching may equate with a letter, is not asked).
///
/// Both filters read the pattern as PCRE2 runs it (caseless, UTF). `admits` answering false proves that the pattern
/// does not match at the position in the searched text (its subject: lookbehinds see nothing before it, lookaheads
/// nothing after it); true is no promise. Positions are UTF-8 byte offsets of that text. Immutable.
struct StartCandidateFilter: Sendable {
    let start: PatternStart
    /// The condition from the position on; nil when the reader does not know the pattern.
    let following: AffixFilter?
    /// Per prefix of `start` (same indices): the condition before where it ends, or nil.
    let behind: [AffixFilter?]
    private let anyBehind: Bool
    /// How many bytes each filter reads at most.
    static let depth = 12

    init(pattern source: String, start: PatternStart) {
        self.start = start
        following = AffixFilter(PatternStart.trailingLookaheadAsGroup(source), caseless: true, edge: .start,
                                depth: Self.depth)
        behind = start.lookbehinds.map { body in
            body.flatMap { AffixFilter($0, caseless: true, edge: .end, depth: Self.depth) }
        }
        anyBehind = behind.contains { $0 != nil }
    }

    /// False when the pattern cannot match at `position` of `text` (`position < text.count`).
    @inline(__always) func admits(_ text: UnsafeBufferPointer<UInt8>, at position: Int) -> Bool {
        let base = text.baseAddress!
        let count = text.count
        guard start.mayStart(base, count: count, at: position) else { return false }
        if let following, !following.admits(text, at: position, limit: count) { return false }
        guard anyBehind else { return true }
        for index in start.prefixes.indices {
            switch start.prefixStart(base, count: count, at: position, prefix: index) {
            case .no: continue
            case .perhaps: return true
            case .exactly:
                guard let filter = behind[index] else { return true }
                if filter.admits(text, at: position + start.prefixes[index].count, limit: 0) { return true }
            }
        }
        return false
    }
}

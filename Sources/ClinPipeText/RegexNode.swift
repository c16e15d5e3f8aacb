/// A pattern as `PatternPlan` reads it. Lengths are in characters.
indirect enum RegexNode: Sendable {
    /// One character whose UTF-8 bytes are all in the set.
    case chars(ByteSet)
    case sequence([RegexNode])
    case alternation([RegexNode])
    case repeated(RegexNode, min: Int, max: Int?)
    case lineStart
    case textStart
    /// `$`.
    case lineEnd
    /// `\z`, `\Z`, `\b`, `\B`.
    case otherAssertion
    case lookahead(RegexNode)
    case lookbehind(RegexNode, negative: Bool)

    var isZeroWidth: Bool {
        switch self {
        case .lineStart, .textStart, .lineEnd, .otherAssertion, .lookahead, .lookbehind: true
        default: false
        }
    }

    var minLength: Int {
        switch self {
        case .chars: 1
        case .sequence(let items): items.reduce(0) { $0 + $1.minLength }
        case .alternation(let branches): branches.map(\.minLength).min() ?? 0
        case .repeated(let inner, let min, _): min * inner.minLength
        default: 0
        }
    }

    var maxLength: Int? {
        switch self {
        case .chars: return 1
        case .sequence(let items):
            var total = 0
            for item in items {
                guard let length = item.maxLength else { return nil }
                total += length
            }
            return total
        case .alternation(let branches):
            var longest = 0
            for branch in branches {
                guard let length = branch.maxLength else { return nil }
                longest = max(longest, length)
            }
            return longest
        case .repeated(let inner, _, let max):
            guard let length = inner.maxLength else { return max == 0 ? 0 : nil }
            if length == 0 { return 0 }
            return max.map { $0 * length }
        default: return 0
        }
    }

    /// Every byte a match of the node can consume.
    var bytes: ByteSet {
        switch self {
        case .chars(let set): return set
        case .sequence(let items), .alternation(let items):
            var set = ByteSet()
            for item in items { set.formUnion(item.bytes) }
            return set
        case .repeated(let inner, _, let max): return max == 0 ? ByteSet() : inner.bytes
        default: return ByteSet()
        }
    }
}

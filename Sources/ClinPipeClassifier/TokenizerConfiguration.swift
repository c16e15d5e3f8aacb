/// How text becomes tokens. Stored in every model, so that prediction tokenizes exactly as training did.
public struct TokenizerConfiguration: Codable, Sendable, Hashable {
    /// What happens to ASCII digits inside tokens.
    public enum Digits: String, Codable, Sendable, Hashable, CaseIterable {
        /// Digits stay as written (`l4`, `2016`).
        case keep
        /// Every digit becomes `0` (`l0`, `0000`): numbers of the same length share a feature.
        case zero
        /// Every run of digits becomes one `0` (`l0`, `0`, `0mg`): all numbers share a feature.
        case collapse
    }

    /// Digit normalization (default `.collapse`).
    public var digits: Digits = .collapse
    /// Tokens shorter than this many UTF-8 bytes (after normalization) are dropped (default 1: keep all).
    public var minimumLength = 1
    /// Tokens longer than this many UTF-8 bytes (after normalization) are dropped: URLs, runs of garbage from PDF
    /// extraction (default 40).
    public var maximumLength = 40
    /// Words to drop, compared after the same normalization as tokens (lowercase, digits). Passed in as data
    /// (see `ClassifierRules.englishStopWords`); empty by default. N-grams are formed over the remaining tokens.
    public var stopWords: [String] = []

    public init() {}

    public init(digits: Digits = .collapse, minimumLength: Int = 1, maximumLength: Int = 40, stopWords: [String] = []) {
        self.digits = digits
        self.minimumLength = minimumLength
        self.maximumLength = maximumLength
        self.stopWords = stopWords
    }

    enum CodingKeys: String, CodingKey { case digits, minimumLength, maximumLength, stopWords }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let defaults = TokenizerConfiguration()
        digits = try container.value(.digits, default: defaults.digits)
        minimumLength = try container.value(.minimumLength, default: defaults.minimumLength)
        maximumLength = try container.value(.maximumLength, default: defaults.maximumLength)
        stopWords = try container.value(.stopWords, default: defaults.stopWords)
    }

    /// Problems with the values, empty when valid.
    public var problems: [String] {
        var problems: [String] = []
        if minimumLength < 1 { problems.append("tokenizer.minimumLength must be at least 1") }
        if maximumLength < minimumLength { problems.append("tokenizer.maximumLength must be at least minimumLength") }
        return problems
    }
}

import ClinPipeText

/// Replaces decision-revealing wording ("is not medically necessary", "Upheld", "is not recommended",
/// "non-certified", ...) with a placeholder token, so that a classifier trained on IMR rationales learns from the
/// reasons rather than from the verdict written in them.
///
/// The wording is data: `MaskRule`s (`Rules/decision-patterns.tsv`: a core pattern, plus the copula and negation
/// words that may precede it) and literal phrases (`Rules/decision-phrases.txt`), both extensible by the caller.
///
/// How it matches: each rule's core is a caseless pattern compiled once (with JIT), and all phrases are one more
/// (an alternation, longest phrase first); each scans the text on its own, which is faster than one alternation
/// of everything (each pattern's first-character filter stays narrow). The core matches are then taken left to
/// right: at the same start, earlier rules win over later ones and rules over phrases; a core that starts inside
/// an accepted mask is dropped. For each core, the rule's prefix pattern is matched backwards from the core (its
/// match must end where the core starts, within 10 words and 256 bytes, and after the previous mask), and the
/// mask starts where the prefix starts. A rule whose prefix is required drops a core without one. Masks never
/// overlap and are ascending.
///
/// Immutable and `Sendable`: one masker serves every thread.
public struct DecisionMasker: Sendable {
    /// The default placeholder: one token for the `Tokenizer` (ASCII letters only) that no real text contains.
    public static let defaultPlaceholder = "xxdecisionxx"
    /// How far back a prefix may start before its core: at most this many words ...
    public static let maximumPrefixWords = 10
    /// ... and at most this many UTF-8 bytes.
    public static let maximumPrefixLength = 256

    public let placeholder: String
    /// The number of rules and phrases.
    public let entryCount: Int
    /// The compiled rules in order, then (when there are phrases) the phrase alternation.
    private let matchers: [(core: PCRE2Pattern, prefix: PCRE2Pattern?, prefixRequired: Bool)]

    /// A masker from the built-in rules and phrases, plus `extraRules` and `extraPhrases` (tried after them).
    /// - Throws: `ClassifierError.invalidConfiguration` when a pattern does not compile.
    public static func builtIn(placeholder: String = defaultPlaceholder, extraRules: [MaskRule] = [],
                               extraPhrases: [String] = []) throws -> DecisionMasker
    {
        try DecisionMasker(rules: try builtInRules() + extraRules, phrases: ClassifierRules.decisionPhrases + extraPhrases,
                           placeholder: placeholder)
    }

    /// The built-in rules of `Rules/decision-patterns.tsv`.
    public static func builtInRules() throws -> [MaskRule] {
        try MaskRule.rules(from: try ClassifierRules.decisionPatterns())
    }

    /// A masker from rules and literal phrases (case-insensitive, whole words, any whitespace between words).
    /// - Throws: `ClassifierError.invalidConfiguration` for an empty placeholder, no rules or phrases, or a
    ///   pattern that does not compile (naming the rule, never text).
    public init(rules: [MaskRule], phrases: [String] = [], placeholder: String = defaultPlaceholder) throws {
        guard !placeholder.isEmpty else { throw ClassifierError.invalidConfiguration(["the mask placeholder is empty"]) }
        var problems: [String] = []
        var matchers: [(core: PCRE2Pattern, prefix: PCRE2Pattern?, prefixRequired: Bool)] = []
        for rule in rules {
            do {
                let core = try PCRE2Pattern(rule.pattern, options: [.caseless])
                var prefix: PCRE2Pattern?
                if !rule.prefixPattern.isEmpty {
                    prefix = try PCRE2Pattern("(?:\(rule.prefixPattern))\\z", options: [.caseless])
                } else if rule.prefixRequired {
                    problems.append("mask rule \(rule.id): prefixRequired without a prefix pattern")
                }
                matchers.append((core, prefix, rule.prefixRequired))
            } catch {
                problems.append("mask rule \(rule.id): \(error)")
            }
        }
        let literal = Array(Set(phrases.map { $0.trimmingSpaces() }.filter { !$0.isEmpty }))
            .sorted { $0.utf8.count != $1.utf8.count ? $0.utf8.count > $1.utf8.count : bytesPrecede($0, $1) }
        if !literal.isEmpty {
            do {
                matchers.append((try PCRE2Pattern(literal.map(Self.regex(forPhrase:)).joined(separator: "|"), options: [.caseless]), nil, false))
            } catch {
                problems.append("mask phrases: \(error)")
            }
        }
        if rules.isEmpty && literal.isEmpty { problems.append("no mask rules or phrases") }
        if !problems.isEmpty { throw ClassifierError.invalidConfiguration(problems) }
        self.matchers = matchers
        self.placeholder = placeholder
        self.entryCount = rules.count + literal.count
    }

    /// A masker from PCRE2 `patterns` without prefixes and literal `phrases`.
    public init(phrases: [String], patterns: [String], placeholder: String = defaultPlaceholder) throws {
        try self.init(rules: patterns.enumerated().map { MaskRule(id: "pattern \($0 + 1)", pattern: $1) }, phrases: phrases,
                      placeholder: placeholder)
    }

    /// The UTF-8 ranges of `bytes` that masking replaces, ascending and disjoint (empty matches are skipped).
    public func maskedRanges(in bytes: UnsafeBufferPointer<UInt8>) throws -> [Range<Int>] {
        // Every core match of every matcher, then left to right (ties: matcher order).
        var cores: [(range: Range<Int>, matcher: Int)] = []
        for (index, matcher) in matchers.enumerated() {
            try matcher.core.forEachMatch(in: bytes) { match in
                if !match.range.isEmpty { cores.append((match.range, index)) }
                return true
            }
        }
        if cores.isEmpty { return [] }
        cores.sort { $0.range.lowerBound != $1.range.lowerBound ? $0.range.lowerBound < $1.range.lowerBound : $0.matcher < $1.matcher }
        var ranges: [Range<Int>] = []
        var previousEnd = 0
        for core in cores where core.range.lowerBound >= previousEnd {
            let matcher = matchers[core.matcher]
            var start = core.range.lowerBound
            if let prefix = matcher.prefix {
                if let found = try Self.prefixStart(prefix, in: bytes, before: start, notBefore: previousEnd) {
                    start = found
                } else if matcher.prefixRequired {
                    continue
                }
            }
            ranges.append(start..<core.range.upperBound)
            previousEnd = core.range.upperBound
        }
        return ranges
    }

    /// Where the prefix that ends at `coreStart` begins (leading whitespace skipped), or nil when there is none.
    private static func prefixStart(_ prefix: PCRE2Pattern, in bytes: UnsafeBufferPointer<UInt8>, before coreStart: Int,
                                    notBefore floor: Int) throws -> Int?
    {
        // Start at the beginning of the `maximumPrefixWords`-th word back (a prefix is a few words; searching a
        // short window keeps the backward match cheap).
        let limit = max(floor, coreStart - maximumPrefixLength)
        var from = coreStart
        var words = 0
        while from > limit {
            if ByteClass.isWord(bytes[from - 1]) && (from - 1 == limit || !ByteClass.isWord(bytes[from - 2])) {
                words += 1
                if words == maximumPrefixWords { from -= 1; break }
            }
            from -= 1
        }
        while from < coreStart && bytes[from] & 0xC0 == 0x80 { from += 1 }
        let subject = UnsafeBufferPointer(rebasing: bytes[0..<coreStart])
        guard let match = try prefix.firstMatch(in: subject, from: from), var start = match[0]?.lowerBound else { return nil }
        while start < coreStart && ByteClass.isSpace(bytes[start]) { start += 1 }
        return start < coreStart ? start : nil
    }

    /// `text` with every masked range replaced by the placeholder (separated by a space from an adjacent word
    /// character, so that the placeholder stays one token).
    public func mask(_ text: String) throws -> String {
        try text.withUTF8Bytes { try mask(bytes: $0) }
    }

    /// The masked text of UTF-8 `bytes` (for example a span of a document's normalized layer).
    public func mask(bytes: UnsafeBufferPointer<UInt8>) throws -> String {
        let ranges = try maskedRanges(in: bytes)
        if ranges.isEmpty { return String(decoding: bytes, as: UTF8.self) }
        var output: [UInt8] = []
        output.reserveCapacity(bytes.count + ranges.count * placeholder.utf8.count)
        var cursor = 0
        for range in ranges {
            output.append(contentsOf: bytes[cursor..<range.lowerBound])
            if range.lowerBound > 0 && ByteClass.isWord(bytes[range.lowerBound - 1]) { output.append(0x20) }
            output.append(contentsOf: placeholder.utf8)
            if range.upperBound < bytes.count && ByteClass.isWord(bytes[range.upperBound]) { output.append(0x20) }
            cursor = range.upperBound
        }
        output.append(contentsOf: bytes[cursor..<bytes.count])
        return String(decoding: output, as: UTF8.self)
    }

    /// A PCRE2 pattern for a literal phrase: metacharacters escaped, each run of whitespace as `\s+`, and `\b` at
    /// an end that is an ASCII word character.
    static func regex(forPhrase phrase: String) -> String {
        var result = ""
        var pendingSpace = false
        for scalar in phrase.unicodeScalars {
            if scalar == " " || scalar == "\t" || scalar == "\n" || scalar == "\r" {
                pendingSpace = true
                continue
            }
            if pendingSpace && !result.isEmpty { result += "\\s+" }
            pendingSpace = false
            if "\\^$.|?*+()[]{}/#-".unicodeScalars.contains(scalar) {
                result += "\\" + String(scalar)
            } else {
                result.unicodeScalars.append(scalar)
            }
        }
        let bytes = Array(phrase.trimmingSpaces().utf8)
        if let first = bytes.first, first < 0x80, ByteClass.isWord(first) { result = "\\b" + result }
        if let last = bytes.last, last < 0x80, ByteClass.isWord(last) { result += "\\b" }
        return "(?:" + result + ")"
    }
}

extension String {
    func trimmingSpaces() -> String {
        var slice = Substring(self)
        while let first = slice.first, first.isWhitespace { slice = slice.dropFirst() }
        while let last = slice.last, last.isWhitespace { slice = slice.dropLast() }
        return String(slice)
    }
}

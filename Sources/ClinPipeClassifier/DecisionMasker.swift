import ClinPipeText

/// Replaces decision-revealing wording ("is not medically necessary", "Upheld", "is not recommended",
/// "non-certified", ...) with a placeholder token, so that a classifier trained on IMR rationales learns from the
/// reasons rather than from the verdict written in them.
///
/// The wording is data: literal phrases (`Rules/decision-phrases.txt`) and PCRE2 patterns
/// (`Rules/decision-patterns.tsv`), both extensible by the caller. All of them are joined into one caseless
/// alternation compiled once (with JIT), so masking is one pass over the text. At a position where several
/// entries match, patterns win over phrases and earlier patterns over later ones; phrases are tried longest
/// first. Matches never overlap (the scan resumes after each match).
///
/// Immutable and `Sendable`: one masker serves every thread.
public struct DecisionMasker: Sendable {
    /// The default placeholder: one token for the `Tokenizer` (ASCII letters only) that no real text contains.
    public static let defaultPlaceholder = "xxdecisionxx"

    public let placeholder: String
    /// The number of phrases and patterns joined into the alternation.
    public let entryCount: Int
    private let pattern: PCRE2Pattern

    /// A masker from the built-in phrases and patterns, plus `extraPhrases` and `extraPatterns`.
    /// - Throws: `ClassifierError.invalidConfiguration` when a pattern does not compile.
    public static func builtIn(placeholder: String = defaultPlaceholder, extraPhrases: [String] = [],
                               extraPatterns: [String] = []) throws -> DecisionMasker
    {
        let table = try ClassifierRules.decisionPatterns()
        return try DecisionMasker(phrases: ClassifierRules.decisionPhrases + extraPhrases,
                                  patterns: table.rows.map { $0["pattern"] } + extraPatterns,
                                  placeholder: placeholder)
    }

    /// A masker from literal `phrases` (case-insensitive, whole words, any whitespace between words) and PCRE2
    /// `patterns` (case-insensitive).
    /// - Throws: `ClassifierError.invalidConfiguration` for an empty placeholder, no entries, or a pattern that does
    ///   not compile (naming the pattern's position, never text).
    public init(phrases: [String], patterns: [String], placeholder: String = defaultPlaceholder) throws {
        guard !placeholder.isEmpty else { throw ClassifierError.invalidConfiguration(["the mask placeholder is empty"]) }
        var problems: [String] = []
        for (index, pattern) in patterns.enumerated() {
            do { _ = try PCRE2Pattern(pattern, options: [.caseless], jit: false) } catch {
                problems.append("mask pattern \(index + 1): \(error)")
            }
        }
        let literal = phrases.map { $0.trimmingSpaces() }.filter { !$0.isEmpty }
        let sortedPhrases = Array(Set(literal)).sorted {
            $0.utf8.count != $1.utf8.count ? $0.utf8.count > $1.utf8.count : bytesPrecede($0, $1)
        }
        let alternatives = patterns.map { "(?:\($0))" } + sortedPhrases.map(Self.regex(forPhrase:))
        if alternatives.isEmpty { problems.append("no mask phrases or patterns") }
        if !problems.isEmpty { throw ClassifierError.invalidConfiguration(problems) }
        do {
            pattern = try PCRE2Pattern(alternatives.joined(separator: "|"), options: [.caseless])
        } catch {
            throw ClassifierError.invalidConfiguration(["the mask patterns cannot be joined into one alternation: \(error)"])
        }
        self.placeholder = placeholder
        self.entryCount = alternatives.count
    }

    /// The UTF-8 ranges of `bytes` that masking replaces, ascending and disjoint (empty matches are skipped).
    public func maskedRanges(in bytes: UnsafeBufferPointer<UInt8>) throws -> [Range<Int>] {
        var ranges: [Range<Int>] = []
        try pattern.forEachMatch(in: bytes) { match in
            if !match.range.isEmpty { ranges.append(match.range) }
            return true
        }
        return ranges
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
    /// an end that is a word character.
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

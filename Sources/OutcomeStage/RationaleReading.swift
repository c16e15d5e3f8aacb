import ClinPipeCore
import ClinPipeText

/// Reads a decision rationale: how it concludes (`medically_necessary`, `not_medically_necessary`), which criteria
/// it says were not met (reason codes from `Rules/reasons.tsv`), and which guideline sources it names (the rows of
/// `Rules/guidelines.tsv` other than `other`).
///
/// Conclusions, reasons and sources are read with one table (`wholeText`: the reason rows, the source rows, then the
/// conclusion rows), so one keyword scan of the rationale serves all three: a conclusion row is tried on a sentence
/// only where the rationale's scan found its keywords in a segment that overlaps the sentence (a superset of where a
/// scan of the sentence alone finds them), and PCRE2 decides.
struct RationaleReading: Sendable {
    /// The conclusion rows alone (`conclusion(_:rationale:sentenceCount:sentence:)`, which scans each sentence).
    private let conclusions: PatternTable
    /// The reason rows (`0..<reasonCount`), the source rows, then the conclusion rows (`conclusionRows`).
    private let wholeText: PatternTable
    private let reasonCount: Int
    /// The source rows of `wholeText`.
    private let sourceRows: Range<Int>
    /// The conclusion rows of `wholeText`, in file order.
    private let conclusionRows: Range<Int>
    /// Per reason row: its `negated_finding` ("" for none).
    private let negatedFinding: [String]
    /// Per reason row: the position of its code among the distinct codes (rows may share a code).
    private let codeNumber: [Int]

    /// - Parameter sources: the guideline source table (`Rules/guidelines.tsv`).
    init(sources: PatternTable) throws {
        conclusions = try PatternTable(file: "conclusions.tsv", labelColumn: "conclusion")
        let reasons = try PatternTable(file: "reasons.tsv", labelColumn: "code", extraColumns: ["negated_finding"])
        let sourcesOnly = try PatternTable(sources, keeping: { $0.label != "other" })
        wholeText = try PatternTable(joining: [reasons, sourcesOnly, conclusions])
        reasonCount = reasons.rows.count
        sourceRows = reasonCount..<(reasonCount + sourcesOnly.rows.count)
        conclusionRows = sourceRows.upperBound..<wholeText.rows.count
        negatedFinding = reasons.rows.map { $0.extra["negated_finding"] ?? "" }
        var numbers: [String: Int] = [:]
        codeNumber = reasons.rows.map { row in
            if let number = numbers[row.label] { return number }
            numbers[row.label] = numbers.count
            return numbers.count - 1
        }
    }

    /// The keyword scan of a rationale's text (UTF-8) that `conclusion(_:scan:sentenceCount:sentence:)` and
    /// `reasonsAndSources(_:scan:withReasons:negatedFindings:)` take.
    func scan(_ text: UnsafeBufferPointer<UInt8>) -> KeywordFilter.Scan { wholeText.filter.scan(text) }

    /// The conclusion of the last sentence that states one: what `conclusion(_:rationale:sentenceCount:sentence:)`
    /// gives, with the rows pre-tested by the rationale's own scan instead of a scan of each sentence.
    /// - Parameters:
    ///   - text: the rationale's text (UTF-8), read as one sentence when every sentence is empty.
    ///   - scan: `scan(text)`.
    ///   - sentenceCount: the number of sentences.
    ///   - sentence: the range in `text` of sentence `number` (in text order; an empty range is skipped). Asked last
    ///     first, only until a sentence concludes.
    func conclusion(_ text: UnsafeBufferPointer<UInt8>, scan: KeywordFilter.Scan, sentenceCount: Int,
                    sentence: (_ number: Int) -> Range<Int>) throws -> String?
    {
        func label(of part: Range<Int>) throws -> String? {
            for index in conclusionRows where try wholeText.matches(index, inPart: part, of: text, scan: scan) {
                return wholeText.rows[index].label
            }
            return nil
        }
        var anySentence = false
        for number in stride(from: sentenceCount - 1, through: 0, by: -1) {
            let range = sentence(number)
            guard !range.isEmpty else { continue }
            anySentence = true
            if let label = try label(of: range) { return label }
        }
        guard !anySentence else { return nil }
        return try label(of: 0..<text.count)
    }

    /// The conclusion of the last sentence that states one.
    /// - Parameters:
    ///   - rationale: the rationale's range in `bytes` (UTF-8), read as one sentence when every sentence is empty.
    ///   - sentenceCount: the number of sentences.
    ///   - sentence: the range in `bytes` of sentence `number` (in text order; an empty range is skipped). Asked
    ///     last first, only until a sentence concludes.
    func conclusion(_ bytes: UnsafeBufferPointer<UInt8>, rationale: Range<Int>, sentenceCount: Int,
                    sentence: (_ number: Int) -> Range<Int>) throws -> String?
    {
        var anySentence = false
        for number in stride(from: sentenceCount - 1, through: 0, by: -1) {
            let range = sentence(number)
            guard !range.isEmpty else { continue }
            anySentence = true
            if let row = try conclusions.firstMatch(in: UnsafeBufferPointer(rebasing: bytes[range])) { return row.label }
        }
        guard !anySentence else { return nil }
        return try conclusions.firstMatch(in: UnsafeBufferPointer(rebasing: bytes[rationale]))?.label
    }

    /// Reason codes and guideline sources in a rationale's text (UTF-8), after one keyword scan of it.
    func reasonsAndSources(_ bytes: UnsafeBufferPointer<UInt8>, withReasons: Bool, negatedFindings: [String]) throws
        -> (reasons: [String], sources: [String])
    {
        try reasonsAndSources(bytes, scan: scan(bytes), withReasons: withReasons, negatedFindings: negatedFindings)
    }

    /// Reason codes and guideline sources in a rationale's text (UTF-8).
    /// - Parameters:
    ///   - scan: `scan(bytes)`.
    ///   - withReasons: whether to read reasons at all (false gives none).
    ///   - negatedFindings: the `normalized` values of the negated findings inside the rationale (a few at most, so
    ///     a list rather than a set).
    /// - Returns: the reason codes found in the text or evidenced by a negated finding, in the order of the taxonomy
    ///   file, each once; and the sources named, in the order of `Rules/guidelines.tsv`.
    func reasonsAndSources(_ bytes: UnsafeBufferPointer<UInt8>, scan: KeywordFilter.Scan, withReasons: Bool, negatedFindings: [String]) throws
        -> (reasons: [String], sources: [String])
    {
        guard withReasons else {
            var sources: [String] = []
            for index in sourceRows where try wholeText.matches(index, in: bytes, scan: scan) {
                sources.append(wholeText.rows[index].label)
            }
            return ([], sources)
        }
        var codes: [String] = []
        // The codes found, one bit per code number (a bit set when there are at most 64 codes, an array beyond).
        var foundBits: UInt64 = 0
        var foundBeyond = codeNumber.count > 64 ? Array(repeating: false, count: reasonCount) : []
        func isFound(_ code: Int) -> Bool { code < 64 ? foundBits & (1 << UInt64(code)) != 0 : foundBeyond[code] }
        for index in 0..<reasonCount where !isFound(codeNumber[index]) {
            let byPattern = try wholeText.matches(index, in: bytes, scan: scan)
            let finding = negatedFinding[index]
            if byPattern || (!finding.isEmpty && negatedFindings.contains(finding)) {
                let code = codeNumber[index]
                if code < 64 { foundBits |= 1 << UInt64(code) } else { foundBeyond[code] = true }
                // Room for a few at once: growing one by one reallocates at 1, 2 and 4.
                if codes.isEmpty { codes.reserveCapacity(4) }
                codes.append(wholeText.rows[index].label)
            }
        }
        var sources: [String] = []
        for index in sourceRows where try wholeText.matches(index, in: bytes, scan: scan) {
            if sources.isEmpty { sources.reserveCapacity(sourceRows.count) }
            sources.append(wholeText.rows[index].label)
        }
        return (codes, sources)
    }

    /// Reason codes found in the rationale text, plus those evidenced by negated findings (their `normalized`
    /// values), in the order of the taxonomy file.
    func reasons(_ bytes: UnsafeBufferPointer<UInt8>, negatedFindings: [String]) throws -> [String] {
        try reasonsAndSources(bytes, withReasons: true, negatedFindings: negatedFindings).reasons
    }

    /// Guideline sources named in a rationale (UTF-8), in the order of `Rules/guidelines.tsv`.
    func sourcesNamed(in bytes: UnsafeBufferPointer<UInt8>) throws -> [String] {
        try reasonsAndSources(bytes, withReasons: false, negatedFindings: []).sources
    }
}

import ClinPipeCore
import ClinPipeText

/// Reads a decision rationale: how it concludes (`medically_necessary`, `not_medically_necessary`) and which
/// criteria it says were not met (reason codes from `Rules/reasons.tsv`).
struct RationaleReading: Sendable {
    private let conclusions: PatternTable
    private let reasons: PatternTable

    init() throws {
        conclusions = try PatternTable(file: "conclusions.tsv", labelColumn: "conclusion")
        reasons = try PatternTable(file: "reasons.tsv", labelColumn: "code", extraColumns: ["negated_finding"])
    }

    /// The conclusion of the last sentence that states one. `sentences` are UTF-8 ranges of `bytes`, in order.
    func conclusion(_ bytes: UnsafeBufferPointer<UInt8>, sentences: [Range<Int>]) throws -> String? {
        for sentence in sentences.reversed() {
            let slice = UnsafeBufferPointer(rebasing: bytes[sentence])
            if let row = try conclusions.firstMatch(in: slice) { return row.label }
        }
        return nil
    }

    /// Reason codes found in the rationale text, plus those evidenced by negated findings (their `normalized`
    /// values), in the order of the taxonomy file.
    func reasons(_ bytes: UnsafeBufferPointer<UInt8>, negatedFindings: Set<String>) throws -> [String] {
        var codes: [String] = []
        let scan = reasons.filter.scan(bytes)
        for (index, row) in reasons.rows.enumerated() where !codes.contains(row.label) {
            let byPattern = try reasons.matches(index, in: bytes, scan: scan)
            let finding = row.extra["negated_finding"] ?? ""
            if byPattern || (!finding.isEmpty && negatedFindings.contains(finding)) { codes.append(row.label) }
        }
        return codes
    }
}

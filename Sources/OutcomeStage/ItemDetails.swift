import ClinPipeCore
import ClinPipeText

/// Details read from a disputed item's text: quantities (`x6`, `2x8`, `#30`, `12 sessions`), CPT codes (`20553`),
/// and the service date (`DOS: 03/25/2015`) as written.
struct ItemDetails: Sendable {
    private let quantity: PCRE2Pattern
    private let cpt: PCRE2Pattern
    private let serviceDate: PCRE2Pattern

    init() throws {
        quantity = try PCRE2Pattern(
            #"(?<![\w/])(?:\d{1,2}\s*[xX]\s*\d+|[xX]\s*\d+|#\s*\d+|(?:qty|quantity)\s*:?\s*\d+|\d+\s+(?:sessions?|visits?|treatments?|units?|tablets?|capsules?|patch(?:es)?|injections?|days?|weeks?|months?|hours?))(?![\w/])"#,
            options: [.caseless])
        cpt = try PCRE2Pattern(#"(?:\bCPT(?:\s*code)?s?\s*:?\s*#?\s*|\()(?<code>\d{5}|[A-Z]\d{4})\b|\b(?<bare>\d{5})\b(?![/-]\d)"#)
        serviceDate = try PCRE2Pattern(
            #"\b(?:DOS|date\s+of\s+service)\s*:?\s*(?<date>\d{1,2}[/-]\d{1,2}[/-]\d{2,4}(?:\s*(?:-|to|through)\s*\d{1,2}[/-]\d{1,2}[/-]\d{2,4})?)"#,
            options: [.caseless])
    }

    /// Quantities as written, in order.
    func quantities(in text: String) throws -> [String] { try strings(quantity, in: text, group: 0) }

    /// CPT or HCPCS codes, in order, without repeats. A bare five-digit number counts only when it is not a year
    /// range or part of a date.
    func cptCodes(in text: String) throws -> [String] {
        var codes: [String] = []
        try text.withUTF8Bytes { bytes in
            try cpt.forEachMatch(in: bytes) { match in
                if let range = match.range("code") ?? match.range("bare") {
                    let code = String(decoding: UnsafeBufferPointer(rebasing: bytes[range]), as: UTF8.self)
                    if let number = Int(code), match.range("bare") != nil, (1900...2100).contains(number) { return true }
                    if !codes.contains(code) { codes.append(code) }
                }
                return true
            }
        }
        return codes
    }

    /// The service date as written after `DOS`, if any.
    func serviceDate(in text: String) throws -> String? { try strings(serviceDate, in: text, group: 1).first }

    private func strings(_ pattern: PCRE2Pattern, in text: String, group: Int) throws -> [String] {
        var found: [String] = []
        try text.withUTF8Bytes { bytes in
            try pattern.forEachMatch(in: bytes) { match in
                if let range = match.range(group) {
                    found.append(String(decoding: UnsafeBufferPointer(rebasing: bytes[range]), as: UTF8.self))
                }
                return true
            }
        }
        return found
    }
}

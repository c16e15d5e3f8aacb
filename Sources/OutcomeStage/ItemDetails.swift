import ClinPipeCore
import ClinPipeText

/// Details read from a disputed item's text: quantities (`x6`, `2x8`, `#30`, `12 sessions`), CPT codes (`20553`),
/// and the service date (`DOS: 03/25/2015`) as written.
///
/// Every match of each pattern holds an ASCII digit (`\d` without `PCRE2_UCP`), so a text without one is not
/// searched.
struct ItemDetails: Sendable {
    // Internal, not private: the tests compare the stage's results with the patterns' own.
    let quantity: PCRE2Pattern
    let cpt: PCRE2Pattern
    let serviceDatePattern: PCRE2Pattern

    init() throws {
        quantity = try PCRE2Pattern(
            #"(?<![\w/])(?:\d{1,2}\s*[xX]\s*\d+|[xX]\s*\d+|#\s*\d+|(?:qty|quantity)\s*:?\s*\d+|\d+\s+(?:sessions?|visits?|treatments?|units?|tablets?|capsules?|patch(?:es)?|injections?|days?|weeks?|months?|hours?))(?![\w/])"#,
            options: [.caseless])
        cpt = try PCRE2Pattern(#"(?:\bCPT(?:\s*code)?s?\s*:?\s*#?\s*|\()(?<code>\d{5}|[A-Z]\d{4})\b|\b(?<bare>\d{5})\b(?![/-]\d)"#)
        serviceDatePattern = try PCRE2Pattern(
            #"\b(?:DOS|date\s+of\s+service)\s*:?\s*(?<date>\d{1,2}[/-]\d{1,2}[/-]\d{2,4}(?:\s*(?:-|to|through)\s*\d{1,2}[/-]\d{1,2}[/-]\d{2,4})?)"#,
            options: [.caseless])
    }

    /// Quantities as written, in order.
    func quantities(in text: String) throws -> [String] { try strings(quantity, in: text, group: 0) }

    /// CPT or HCPCS codes, in order, without repeats. A bare five-digit number counts only when it is not a year
    /// range or part of a date.
    func cptCodes(in text: String) throws -> [String] {
        var codes: [String] = []
        try text.withSpecializedUTF8Bytes { bytes in
            guard Self.holdsDigit(bytes) else { return }
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
    func serviceDate(in text: String) throws -> String? { try strings(serviceDatePattern, in: text, group: 1).first }

    /// Whether `bytes` holds an ASCII digit, which every match of the three patterns holds.
    static func holdsDigit(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        bytes.contains { $0 &- UInt8(ascii: "0") < 10 }
    }

    private func strings(_ pattern: PCRE2Pattern, in text: String, group: Int) throws -> [String] {
        var found: [String] = []
        try text.withSpecializedUTF8Bytes { bytes in
            guard Self.holdsDigit(bytes) else { return }
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

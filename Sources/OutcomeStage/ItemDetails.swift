import ClinPipeCore
import ClinPipeText

/// Details read from a disputed item's text: quantities (`x6`, `2x8`, `#30`, `12 sessions`), CPT codes (`20553`),
/// and the service date (`DOS: 03/25/2015`) as written.
///
/// A text is searched only when it holds what every match of the pattern holds (`\d` is an ASCII digit without
/// `PCRE2_UCP`): a digit for a quantity, four digits in a row for a code, a digit and `dos` or `date` (ASCII case
/// ignored; any non-ASCII text is searched, since PCRE2 caselessly takes `ſ` for `s`) for a service date.
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
    func quantities(in text: String) throws -> [String] {
        try strings(quantity, in: text, group: 0, firstOnly: false, searchedWhen: Self.holdsDigit)
    }

    /// CPT or HCPCS codes, in order, without repeats. A bare five-digit number counts only when it is not a year
    /// range or part of a date.
    func cptCodes(in text: String) throws -> [String] {
        var codes: [String] = []
        try text.withSpecializedUTF8Bytes { bytes in
            guard Self.holdsFourDigitsInARow(bytes) else { return }
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
    func serviceDate(in text: String) throws -> String? {
        try strings(serviceDatePattern, in: text, group: 1, firstOnly: true, searchedWhen: Self.mayHoldServiceDate).first
    }

    /// Whether `bytes` holds an ASCII digit, which every quantity holds.
    static func holdsDigit(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        bytes.contains { $0 &- UInt8(ascii: "0") < 10 }
    }

    /// Whether `bytes` holds four ASCII digits in a row, which every code holds (`\d{5}` or `[A-Z]\d{4}`).
    static func holdsFourDigitsInARow(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        var run = 0
        for byte in bytes {
            run = byte &- UInt8(ascii: "0") < 10 ? run + 1 : 0
            if run == 4 { return true }
        }
        return false
    }

    /// Where `dos` or `date` can start: `do` or `da`, either letter in either case.
    private static let serviceDateWordStarts = BytePairSet([(UInt8(ascii: "d"), 0x20, UInt8(ascii: "o"), 0x20),
                                                            (UInt8(ascii: "d"), 0x20, UInt8(ascii: "a"), 0x20)])

    /// Whether a service date may be in `bytes`: a digit and `dos` or `date` (ASCII case ignored), or a digit and any
    /// byte outside ASCII. The words are looked for only at the offsets where `do` or `da` starts, found sixteen at a
    /// time, rather than by a test (and a branch) per byte.
    static func mayHoldServiceDate(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        guard holdsDigit(bytes) else { return false }
        guard OffsetConverter.isASCII(bytes) else { return true }
        var found = false
        serviceDateWordStarts.forEachCandidate(in: bytes, from: 0) { offset in
            guard ASCII.occurs("dos", in: bytes, at: offset) || ASCII.occurs("date", in: bytes, at: offset) else { return offset + 1 }
            found = true
            return bytes.count
        }
        return found
    }

    /// Group `group` of the matches of `pattern` in `text` (all, or the first only), searched only when
    /// `searchedWhen` holds for the text's bytes (what every match holds).
    private func strings(_ pattern: PCRE2Pattern, in text: String, group: Int, firstOnly: Bool,
                         searchedWhen mayMatch: (UnsafeBufferPointer<UInt8>) -> Bool) throws -> [String]
    {
        var found: [String] = []
        try text.withSpecializedUTF8Bytes { bytes in
            guard mayMatch(bytes) else { return }
            try pattern.forEachMatch(in: bytes) { match in
                if let range = match.range(group) {
                    found.append(String(decoding: UnsafeBufferPointer(rebasing: bytes[range]), as: UTF8.self))
                }
                return !firstOnly
            }
        }
        return found
    }
}

import ClinPipeCore
import ClinPipeTestSupport
import ClinPipeText
@testable import OutcomeStage
import Testing

/// `ItemDetails` skips texts without an ASCII digit; its results must equal its patterns' own matches everywhere.
@Suite struct ItemDetailsTests {
    static let texts = [
        "", " ", "x", "MRI of the lumbar spine", "Trigger point injections x 10", "Norco 10/325mg #60",
        "Acupuncture 6 sessions", "Qty: 12 tablets", "TPI x6 (CPT 20553) DOS: 12/29/2015", "DOS 03/25/2015 - 04/01/2015",
        "ODG 2016 guidelines 20610", "Chiropractic 2x4", "date of service 1/5/15", "9", "x 9",
        // Non-ASCII: digits of other scripts are not `\d` without PCRE2_UCP; letters around ASCII digits.
        "Physiothérapie ×6 séances", "٣ sessions ٢٠٥٥٣", "Kinésithérapie 2x8 — DOS: 3/4/2015", "ſessions 12 ſessions",
        // Codes: four or five digits in a row, at the text's ends too; service dates in any case, `ſ` for `s`.
        "J3490", "A1234 x", "CPT 2055", "(20553)", "1234", "12345", "dos 1/2/2015", "DOſ: 1/2/2015", "Date of Service 3/4/15",
        "DATE 3/4/15", "D0S 3/4/15",
    ]

    @Test func resultsEqualThePatternsOwnMatches() throws {
        let details = try ItemDetails()
        func strings(_ pattern: PCRE2Pattern, _ text: String, group: Int) throws -> [String] {
            try pattern.allMatches(in: text).compactMap { match in
                match[group].map { String(decoding: Array(text.utf8)[$0], as: UTF8.self) }
            }
        }
        for text in Self.texts {
            #expect(try details.quantities(in: text) == strings(details.quantity, text, group: 0), "\(text)")
            #expect(try details.serviceDate(in: text) == strings(details.serviceDatePattern, text, group: 1).first, "\(text)")
            var codes: [String] = []
            for match in try details.cpt.allMatches(in: text) {
                guard let range = match[details.cpt.groupNumbers["code"]!] ?? match[details.cpt.groupNumbers["bare"]!] else { continue }
                let code = String(decoding: Array(text.utf8)[range], as: UTF8.self)
                if let number = Int(code), match[details.cpt.groupNumbers["bare"]!] != nil, (1900...2100).contains(number) { continue }
                if !codes.contains(code) { codes.append(code) }
            }
            #expect(try details.cptCodes(in: text) == codes, "\(text)")
        }
    }

    @Test func fourDigitsInARowAreFoundAnywhere() {
        for (text, expected) in [("", false), ("123", false), ("1234", true), ("a1234", true), ("12a34", false), ("x 123 4567", true),
                                 ("١٢٣٤", false), ("123 1234", true)] {
            let found = Array(text.utf8).withUnsafeBufferPointer { ItemDetails.holdsFourDigitsInARow($0) }
            #expect(found == expected, "\(text)")
        }
    }

    @Test func aDigitIsFoundOnlyWhenThereIsAnASCIIOne() {
        for (text, expected) in [("", false), ("abc", false), ("0abc", true), ("abc9", true), ("٣", false), ("/:", false)] {
            let found = Array(text.utf8).withUnsafeBufferPointer { ItemDetails.holdsDigit($0) }
            #expect(found == expected, "\(text)")
        }
    }
}

extension ItemDetailsTests {
    @Test func aServiceDateIsLookedForOnlyNearDOSOrDateOrOutsideASCII() {
        let cases: [(String, Bool)] = [("", false), ("DOS", false), ("DOS 1", true), ("1 dos", true), ("1 Do", false), ("1 d", false),
                                       ("1 DATE", true), ("1 dat", false), ("1 updated", true), ("1 ǅ", true), ("1 DOſ", true),
                                       ("1 d0s", false), ("1 DAT3", false)]
        for (text, expected) in cases {
            let found = Array(text.utf8).withUnsafeBufferPointer { ItemDetails.mayHoldServiceDate($0) }
            #expect(found == expected, "\(text)")
        }
    }

    /// The test per byte that `mayHoldServiceDate` replaced: a digit, then any byte outside ASCII, or `dos` or `date`.
    static func plainMayHoldServiceDate(_ bytes: [UInt8]) -> Bool {
        guard bytes.contains(where: { $0 &- UInt8(ascii: "0") < 10 }) else { return false }
        func isLetter(_ offset: Int, _ letter: UInt8) -> Bool { offset < bytes.count && bytes[offset] | 0x20 == letter }
        for offset in bytes.indices {
            if bytes[offset] >= 0x80 { return true }
            guard bytes[offset] | 0x20 == UInt8(ascii: "d") else { continue }
            if isLetter(offset + 1, UInt8(ascii: "o")) && isLetter(offset + 2, UInt8(ascii: "s")) { return true }
            if isLetter(offset + 1, UInt8(ascii: "a")) && isLetter(offset + 2, UInt8(ascii: "t")) && isLetter(offset + 3, UInt8(ascii: "e")) {
                return true
            }
        }
        return false
    }

    @Test func serviceDateTestEqualsThePlainTestPerByte() {
        var generator = SeededGenerator(seed: 1_234)
        let pieces = ["d", "D", "o", "O", "s", "S", "a", "A", "t", "T", "e", "E", "dos", "DOS", "date", "Date", "dat", "do", "da",
                      "1", "9", "0", " ", ":", "/", "é", "ſ", "\u{212A}", "x", "ds", "dd", "DOS:", "date of service", "D0S", "@", "`", "~"]
        var texts = Self.texts
        texts += (0..<5000).map { _ in
            (0..<Int.random(in: 0...12, using: &generator)).map { _ in pieces.randomElement(using: &generator)! }.joined()
        }
        var held = 0
        for text in texts {
            let bytes = Array(text.utf8)
            let found = bytes.withUnsafeBufferPointer { ItemDetails.mayHoldServiceDate($0) }
            #expect(found == Self.plainMayHoldServiceDate(bytes), "\(text.debugDescription)")
            if found { held += 1 }
        }
        #expect(held > 500 && held < texts.count - 500)
    }
}

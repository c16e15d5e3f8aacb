import Foundation

/// The kinds of rows in a signature rule file (`signature.tsv`), one per attribute a drug mention can get, plus
/// `skip` for separators.
public enum SignatureElement: String, Sendable, CaseIterable {
    case skip, salt, release, strength, dose, form, route, frequency
    case asNeeded = "as_needed"
    case quantity, refills, duration
}

/// Normalizations shared by the signature parser: units, number words.
enum SignatureVocabulary {
    /// Number words to digits (`two` → `2`, `twice` → `2`, `no` → `0`); other text unchanged.
    static func digits(_ text: String) -> String {
        switch text.lowercased() {
        case "no", "zero", "none": "0"
        case "once", "one", "single", "a": "1"
        case "twice", "two": "2"
        case "three", "thrice": "3"
        case "four": "4"
        case "five": "5"
        case "six": "6"
        case "seven": "7"
        case "eight": "8"
        case "nine": "9"
        case "ten": "10"
        case "eleven": "11"
        case "twelve": "12"
        case "fourteen": "14"
        case "thirty": "30"
        case "sixty": "60"
        case "ninety": "90"
        case "half", "one-half": "1/2"
        default: text
        }
    }

    /// A strength unit in canonical spelling (`MG` → `mg`, `gm` → `g`, `ug` → `mcg`, `cc` → `ml`).
    static func strengthUnit(_ text: String) -> String {
        canonicalStrengthUnit(ASCIIText.replacing(collapsed(text).lowercased(), " ", with: ""))
    }

    /// The canonical spelling of a strength unit already lowercased and without spaces.
    static func canonicalStrengthUnit(_ lower: String) -> String {
        switch lower {
        case "gm", "gram", "grams": return "g"
        case "µg", "ug": return "mcg"
        case "cc": return "ml"
        case "unit": return "units"
        case "iu", "internationalunit", "internationalunits": return "IU"
        case "meq": return "mEq"
        case "mcg/hour", "mcg/h": return "mcg/hr"
        default: return lower
        }
    }

    /// A count unit in canonical singular spelling (`tabs` → `tablet`, `grams` → `g`, `patches` → `patch`).
    static func countUnit(_ text: String) -> String {
        let lower = ASCIIText.trimmingSpacesAndTabs(text.lowercased())
        if lower.hasPrefix("tab") { return "tablet" }
        if lower.hasPrefix("cap") { return "capsule" }
        if lower.hasPrefix("patch") { return "patch" }
        if lower == "g" || lower == "gm" || lower.hasPrefix("gram") { return "g" }
        if lower == "ml" || lower == "cc" { return "ml" }
        if lower.hasPrefix("box") { return "box" }
        if lower.hasPrefix("applicatorful") { return "applicatorful" }
        if lower.hasSuffix("s") && lower.count > 3 { return String(lower.dropLast()) }
        return lower
    }

    /// A duration unit in canonical plural spelling (`d` → `days`, `wk` → `weeks`, `mo` → `months`).
    static func durationUnit(_ text: String) -> String {
        let lower = text.lowercased()
        if lower.hasPrefix("d") { return "days" }
        if lower.hasPrefix("w") { return "weeks" }
        if lower.hasPrefix("m") { return "months" }
        return lower
    }

    /// Text with every run of the characters space, tab, line feed and carriage return made one space, and none
    /// at either end. (A CR LF pair is one `Character` and counts as neither, as `Character` comparison has it.)
    static func collapsed(_ text: String) -> String {
        if let bytes = ASCIIText.collapsed(text) { return bytes }
        return text.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\n" || $0 == "\r" }).joined(separator: " ")
    }
}

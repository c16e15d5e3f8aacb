import ClinPipeCore
import ClinPipeText

/// One row of a drug lexicon: a surface form and what it means.
///
/// A brand and its generic are separate entries that share `generic` (`Norco` and `hydrocodone/acetaminophen`
/// both name `hydrocodone/acetaminophen`). Combination products join their ingredients with `/`.
public struct DrugEntry: Sendable, Hashable {
    /// How the letter case of the text must agree with `term` for a match to count.
    public enum CaseRule: String, Sendable, Hashable, CaseIterable {
        /// Any ASCII letter case (the default).
        case any = ""
        /// The first letter must be upper case in the text (`Sonata`, not the musical `sonata`).
        case capitalized
        /// Every ASCII letter must be upper case (`NTG`, `INH`).
        case uppercase
        /// Letter for letter as in `term` (`tPA`, `ddI`).
        case exact
    }

    /// The surface form, matched whole-word; a space matches any run of whitespace.
    public var term: String
    /// The active ingredient(s), lowercase, combinations joined with `/`; empty when unknown (an RxNorm brand
    /// without relations).
    public var generic: String
    /// A coarse therapeutic class (`opioid`, `nsaid`, ...); empty when unknown.
    public var drugClass: String
    /// True for brand and proprietary names.
    public var isBrand: Bool
    /// The dosage form the name implies (`Lidoderm`: patch), or empty.
    public var form: String
    /// The route the name implies (`Flector`: topical), or empty.
    public var route: String
    public var caseRule: CaseRule
    /// Keep a mention only when a strength follows it or it is part of a written combination (`ASA 81 mg`).
    public var requiresStrength: Bool
    /// The RxNorm concept id, when an RxNorm file supplied or confirmed the name; empty otherwise.
    public var rxcui: String
    /// Where the entry came from (`drugs.tsv:123`, `RXNCONSO.RRF`).
    public var source: String

    public init(term: String, generic: String, drugClass: String = "", isBrand: Bool = false, form: String = "",
                route: String = "", caseRule: CaseRule = .any, requiresStrength: Bool = false, rxcui: String = "",
                source: String = "")
    {
        self.term = term
        self.generic = generic
        self.drugClass = drugClass
        self.isBrand = isBrand
        self.form = form
        self.route = route
        self.caseRule = caseRule
        self.requiresStrength = requiresStrength
        self.rxcui = rxcui
        self.source = source
    }

    /// The ingredients of `generic` (`["hydrocodone", "acetaminophen"]`), or one ingredient.
    public var components: [String] {
        generic.split(separator: "/").map { String($0) }
    }

    /// Whether the text's bytes at `range` (a match of `term`, ASCII case-insensitive) satisfy `caseRule`.
    func acceptsCase(of bytes: UnsafeBufferPointer<UInt8>, in range: Range<Int>) -> Bool {
        switch caseRule {
        case .any:
            return true
        case .capitalized:
            return ByteClass.isUpper(bytes[range.lowerBound])
        case .uppercase:
            for index in range where bytes[index] >= 0x61 && bytes[index] <= 0x7A { return false }
            return true
        case .exact:
            // Compare letters and digits in order, ignoring whitespace differences.
            var termBytes = term.utf8.makeIterator()
            for index in range where !ByteClass.isSpace(bytes[index]) {
                var expected = termBytes.next()
                while let byte = expected, ByteClass.isSpace(byte) { expected = termBytes.next() }
                guard let byte = expected, byte == bytes[index] else { return false }
            }
            return true
        }
    }
}

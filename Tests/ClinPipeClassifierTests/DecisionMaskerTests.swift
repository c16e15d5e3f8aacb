import ClinPipeClassifier
import ClinPipeText
import Foundation
import Testing

@Suite struct DecisionMaskerTests {
    let masker: DecisionMasker

    init() throws { masker = try DecisionMasker.builtIn() }

    /// Sentences as they stand in IMR letters (the seeds and the development letters), line breaks included.
    @Test(arguments: [
        ("As such, the request is not medically necessary.", "As such, the request xxdecisionxx."),
        ("Therefore, the request is medically necessary.", "Therefore, the request xxdecisionxx."),
        ("Therefore the request is \nconsidered medically necessary at this time.", "Therefore the request xxdecisionxx at this time."),
        ("Amrix (Flexeril extended-release) 15 mg (unspecified quantity) is not \n\nmedically necessary. Muscle relaxants",
         "Amrix (Flexeril extended-release) 15 mg (unspecified quantity) xxdecisionxx. Muscle relaxants"),
        ("Medical necessity is not established for the requested 16 additional physical therapy sessions.",
         "xxdecisionxx for the requested 16 additional physical therapy sessions."),
        ("medical necessity has not been established. The", "xxdecisionxx. The"),
        ("It is not recommended for radicular pain.", "It xxdecisionxx for radicular pain."),
        ("\"Recommended only for myofascial pain syndrome. Not recommended for radicular pain.\"",
         "\"xxdecisionxx only for myofascial pain syndrome. xxdecisionxx for radicular pain.\""),
        ("TPI 20553 X6 in the Right Lumbar Paraspinals DOS 12/29/15:  Upheld ", "TPI 20553 X6 in the Right Lumbar Paraspinals DOS 12/29/15:  xxdecisionxx "),
        ("Norflex 100mg #60: Overturned", "Norflex 100mg #60: xxdecisionxx"),
        ("Utilization review 01-05-2017 non-certified the request for physical therapy",
         "Utilization review 01-05-2017 xxdecisionxx the request for physical therapy"),
        ("the requested service does not appear medically necessary.", "the requested service xxdecisionxx."),
        ("This individual meets published criteria for acute inpatient rehabilitation",
         "This individual xxdecisionxx for acute inpatient rehabilitation"),
        ("its usage is not supported. As such", "its usage xxdecisionxx. As such"),
        ("the request is reasonable and necessary", "the request xxdecisionxx"),
        ("additional electrical stimulation would not be warranted until", "additional electrical stimulation xxdecisionxx until"),
        ("11/11/2016 is determined to not be medically necessary.", "11/11/2016 xxdecisionxx."),
        ("the request was noncertified and is indicated", "the request xxdecisionxx and xxdecisionxx"),
        ("EMG may be indicated but NCS is not.", "EMG xxdecisionxx but NCS is not."),
    ])
    func masksDecisionWording(text: String, expected: String) throws {
        #expect(try masker.mask(text) == expected)
    }

    /// Reasons and guideline content stay: only the verdict is masked.
    @Test(arguments: [
        "The patient was injured on 11/07/13 and presents with neck and back pain.",
        "The Official Disability Guidelines recommend x-rays for patients who sustained a severe injury.",
        "However, there was a lack of documentation of objective functional improvement.",
        "The provider indicated that the injured worker was still requiring assistance.",
        "MTUS requires at least 50% pain relief obtained for at least six weeks after injection.",
        "Physical therapy, if necessary, at home.",
    ])
    func leavesReasonsAlone(text: String) throws {
        #expect(try masker.mask(text) == text)
    }

    @Test func rangesPlaceholderAndExtraEntries() throws {
        let text = "Request is not medically necessary; upheld."
        let ranges = try text.withUTF8Bytes { try masker.maskedRanges(in: $0) }
        #expect(ranges == [8..<34, 36..<42])
        let custom = try DecisionMasker.builtIn(
            placeholder: "MASK", extraRules: [MaskRule(id: "favorable", pattern: #"\bfavou?rable\b"#, prefixPattern: #"\b(?:not\s+|un)?"#)],
            extraPhrases: ["p.r.n. only"])
        #expect(try custom.mask("Request is not medically necessary; upheld.") == "Request MASK; MASK.")
        #expect(try custom.mask("Take p.r.n.  only; a favorable review") == "Take MASK; a MASK review")
        #expect(try custom.mask("a review not\nfavourable to") == "a review MASK to")
        // A word character next to a match is separated from the placeholder.
        #expect(try masker.mask("x-Upheld-y") == "x-xxdecisionxx-y")
        #expect(try DecisionMasker(phrases: ["abc"], patterns: []).mask("zabc abc") == "zabc xxdecisionxx")
    }

    @Test func rejectsBadPatternsWithoutQuotingText() {
        #expect(throws: ClassifierError.self) { try DecisionMasker(phrases: [], patterns: ["(unclosed"]) }
        #expect(throws: ClassifierError.self) { try DecisionMasker(phrases: [], patterns: []) }
        #expect(throws: ClassifierError.self) { try DecisionMasker(phrases: ["x"], patterns: [], placeholder: "") }
        #expect(throws: ClassifierError.self) { try DecisionMasker(rules: [MaskRule(id: "r", pattern: "x", prefixRequired: true)]) }
        #expect(throws: ClassifierError.self) { try DecisionMasker(rules: [MaskRule(id: "r", pattern: "x", prefixPattern: "(")]) }
    }

    /// On every rationale of the seed letters (and of the development letters when ../shared is there), the
    /// verdict wording is gone after masking, and every rationale had its conclusion masked.
    @Test func realRationalesLoseTheirVerdicts() throws {
        var letters = try RealData.seedLetters()
        let withDevelopment: Bool
        if let development = try RealData.developmentLetters() {
            letters += development
            withDevelopment = true
        } else {
            withDevelopment = false
            print("DecisionMaskerTests: ../shared/corpora is absent; checking the 5 seed letters only")
        }
        let leak = try PCRE2Pattern(#"medically\s+necessary|\b(?:upheld|overturned)\b|medical\s+necessity\s+(?:is|was|has|have)\b|\bnot\s+recommended\b"#, options: [.caseless])
        var rationales = 0, masked = 0, leaks = 0
        for letter in letters {
            for rationale in RealData.rationales(in: letter.text) {
                rationales += 1
                let result = try masker.mask(rationale)
                if result.contains(DecisionMasker.defaultPlaceholder) { masked += 1 }
                if try result.withUTF8Bytes({ try leak.matches($0) }) {
                    leaks += 1
                    print("leak in \(letter.name)")
                }
            }
        }
        print("DecisionMaskerTests: \(rationales) rationales, \(masked) with masks, \(leaks) with leaks")
        // The seed letters hold 8 rationales; with the development letters, over a hundred.
        #expect(rationales >= (withDevelopment ? 10 : 5))
        #expect(leaks == 0)
        #expect(masked == rationales)
    }
}

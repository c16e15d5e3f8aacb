import ClinPipeCore
import ClinPipeText
@testable import OutcomeStage
import Testing

/// `PatternTable.firstLabel` skips the trailing rows labelled with its fallback; its label must be `firstMatch`'s.
@Suite struct FirstLabelTests {
    @Test func theLabelIsFirstMatchsOrTheFallback() throws {
        let categories = try PatternTable(file: "categories.tsv", labelColumn: "category")
        let texts = ["", "\n", "\n\n", " ", ".", "Functional capacity evaluation", "MRI of the lumbar spine", "Flexeril 10mg #60",
                     "Lumbar brace", "Acupuncture 2x3", "Kinésithérapie", "ſcan", "Ⅿ"]
        for text in texts {
            let (label, expected) = try Array(text.utf8).withUnsafeBufferPointer { bytes in
                (try categories.firstLabel(in: bytes, fallback: "other"), try categories.firstMatch(in: bytes)?.label ?? "other")
            }
            #expect(label == expected, "\(text)")
            // A fallback that no row has: every row runs.
            let none = try Array(text.utf8).withUnsafeBufferPointer { try categories.firstLabel(in: $0, fallback: "none") }
            #expect(none == (expected == "other" && text.contains { $0 != "\n" } ? "other" : expected == "other" ? "none" : expected),
                    "\(text)")
        }
    }
}

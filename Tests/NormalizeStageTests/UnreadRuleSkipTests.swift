import ClinPipeCore
import ClinPipeTestSupport
import ClinPipeText
@testable import NormalizeStage
import Testing

/// Skipping the `item_sentence` and `decision_tail` rules where no decision reads them changes nothing: the repair
/// with the skip gives the same output and edits as the repair that runs every rule on every line.
@Suite struct UnreadRuleSkipTests {
    static let lines = ["Upheld", "Overturned", "upheld", "Request for MRI of the lumbar spine, DOS:", "11/11/2016:",
                        "11/11/2016: Upheld", "Lumbar MRI was the original request.", "Six sessions were authorized by the Claims Administrator.",
                        "The remaining IMR eligible portion of the original request, four sessions is: Upheld",
                        "The Claims Administrator authorized two, leaving the original request IMR eligible.",
                        "DECISION RATIONALE", "Decision rationale:", "the patient reports pain", "that was noted.", "Item:",
                        "1. Physical therapy: Overturned", "set forth below:", "and the knee;", "self-", "care", "L4-", "5 level",
                        "", "", "  ", "Page 2 of 3", "\u{0C}", "Findings:", "MRI (lumbar):", "\u{E9}t\u{E9}:", "Upheld."]

    @Test func repairWithTheSkipMatchesTheFullRuleRun() throws {
        let tables = [try RuleTable(name: "line-rules.tsv", text: EmbeddedRules.text("line-rules.tsv"), required: ["kind", "pattern"])]
        let rules = try LineRules(tables: tables, hyphenPrefixes: ["self"])
        let skipping = LineRepairer(rules: rules, characters: CharacterCanonicalizer())
        var plain = skipping
        plain.skipsUnreadRules = false
        var generator = SeededGenerator(seed: 21)
        for round in 0..<3000 {
            let count = round % 14
            let text = (0..<count).map { _ in Self.lines[Int(generator.next() % UInt64(Self.lines.count))] }.joined(separator: "\n")
            let bytes = Array(text.utf8)
            let expected = try plain.repaired(bytes), actual = try skipping.repaired(bytes)
            #expect(actual.0 == expected.0 && actual.1 == expected.1, "round \(round)")
        }
    }
}

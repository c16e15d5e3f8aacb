import ClinPipeCore
import ClinPipeText
import Foundation
import Testing

@testable import SectionsStage

/// The shipped partial-authorization forms carry the fewest bytes a match can have, and the bound is no larger than
/// the shortest texts they match (so no text the form matches is left unsearched).
@Suite struct ItemRulesTests {
    static func shippedRules() throws -> ItemRules {
        try ItemRules(tables: RuleSources.tables(builtIn: "imr-items.tsv", extra: [], required: ItemRules.columns,
                                                 environment: StageEnvironment(stageName: "sections")))
    }

    /// The shortest text of each shipped form: every part at its shortest (see `ItemRules.shippedMinimumBytes`).
    static let shortestTexts = [
        "leaving_eligible": "The Claims Administrator authorized y leaving the original request IMR eligible. The original request x",
        "remaining_portion": "The remaining portion of the original request x",
    ]

    @Test func shippedFormsHaveTheirBounds() throws {
        let rules = try Self.shippedRules()
        #expect(rules.partialForms.count == ItemRules.shippedMinimumBytes.count)
        for form in rules.partialForms {
            let text = try #require(Self.shortestTexts[form.name])
            #expect(form.minimumBytes > 0, "\(form.name) has no bound: update ItemRules.shippedMinimumBytes")
            #expect(form.minimumBytes <= text.utf8.count, "\(form.name)")
            #expect(try form.pattern.pattern.allMatches(in: text).count == 1, "\(form.name)")
            // With one letter fewer (`reques x`), the text no longer matches.
            #expect(try form.pattern.pattern.allMatches(in: String(text.dropLast(3)) + " x").isEmpty, "\(form.name)")
        }
    }

    @Test func editedFormsHaveNoBound() throws {
        let rows = "kind\tname\tpattern\tflags\ndecision\td\t(?m)^(?<item>x):(?<outcome>Upheld)$\ti\n"
            + "partial\tshort\t^(?<item>.+) is$\ti\n"
        let rules = try ItemRules(tables: [RuleTable(name: "extra.tsv", text: rows)])
        #expect(rules.partialForms.map(\.minimumBytes) == [0])
    }
}

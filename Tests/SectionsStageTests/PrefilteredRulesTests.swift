import ClinPipeCore
import ClinPipeTestSupport
import ClinPipeText
import Testing

@testable import SectionsStage

/// The stage's built-in rule patterns are all searched through `PrefilteredPattern`, with the plain search's matches.
@Suite struct PrefilteredRulesTests {
    static func builtInPatterns() throws -> [PCRE2Pattern] {
        let environment = StageEnvironment(stageName: "sections")
        let shapes = try RuleSources.tables(builtIn: "heading-shapes.tsv", extra: [], required: HeadingFinder.columns, environment: environment)
        let headings = try HeadingTable(tables: RuleSources.tables(builtIn: "headings.tsv", extra: [], required: HeadingTable.columns,
                                                                    environment: environment))
        let finder = try HeadingFinder(tables: shapes, headingTable: headings)
        let items = try ItemRules(tables: RuleSources.tables(builtIn: "imr-items.tsv", extra: [], required: ItemRules.columns,
                                                             environment: environment))
        let credentials = try ReviewerCredentials(tables: RuleSources.tables(
            builtIn: "reviewer-credentials.tsv", extra: [], required: ReviewerCredentials.columns, environment: environment))
        return finder.shapes.map(\.pattern.pattern) + finder.exclusions.map(\.pattern) + [items.decision.pattern]
            + credentials.rules.map(\.pattern.pattern)
    }

    @Test func builtInRulesAreFilteredAndExact() throws {
        let texts = PatternEquivalence.texts()
        for pattern in try Self.builtInPatterns() {
            #expect(PrefilteredPattern(pattern).isPrefiltered, "\(pattern.pattern) is searched the plain way")
            let problems = try PatternEquivalence.mismatches(pattern, texts: texts)
            #expect(problems.isEmpty, "\(problems.prefix(3))")
        }
    }
}

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
            + items.prefixes.map(\.pattern) + items.partialForms.map(\.pattern.pattern) + credentials.rules.map(\.pattern.pattern)
    }

    /// Item texts in the partial-authorization forms, whole and cut short.
    static let partialTexts: [String] = {
        let forms = [
            "Pool therapy x 12 was the original request. The Claims Administrator authorized Pool therapy x 6, leaving the "
                + "original request IMR eligible. The original request, Pool therapy x 6 is",
            "MRI was the original request. MRI of the knee was authorized by the Claims Administrator. The remaining IMR "
                + "eligible portion of the original request, MRI of the hip",
            "The Claims Administrator authorized Norco. The remaining portion of the original request is Norco #60",
            "X was the original request.", "the original request q Q z Z authorized AUTHORIZED",
        ]
        return forms + forms.map { String($0.prefix($0.count / 2)) } + forms.map { $0.uppercased() }
    }()

    @Test func builtInRulesAreFilteredAndExact() throws {
        let texts = PatternEquivalence.texts(extra: Self.partialTexts)
        for pattern in try Self.builtInPatterns() {
            #expect(PrefilteredPattern(pattern).isPrefiltered, "\(pattern.pattern) is searched the plain way")
            let problems = try PatternEquivalence.mismatches(pattern, texts: texts)
            #expect(problems.isEmpty, "\(problems.prefix(3))")
        }
    }
}

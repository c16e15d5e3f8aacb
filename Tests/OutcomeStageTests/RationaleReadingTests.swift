import ClinPipeCore
import ClinPipeTestSupport
import ClinPipeText
@testable import OutcomeStage
import Testing

/// Reasons and sources read with one keyword scan of a rationale (the joined table) equal what each rule's plain
/// pattern finds.
@Suite struct RationaleReadingTests {
    /// The straightforward reading: every reason row's pattern over the whole text (or its negated finding), codes
    /// once in file order; every source row but `other` over the whole text.
    static func plain(_ bytes: UnsafeBufferPointer<UInt8>, negatedFindings: [String]) throws -> (reasons: [String], sources: [String]) {
        let reasons = try PatternTable(file: "reasons.tsv", labelColumn: "code", extraColumns: ["negated_finding"])
        let sources = try PatternTable(file: "guidelines.tsv", labelColumn: "source")
        var codes: [String] = []
        for row in reasons.rows where !codes.contains(row.label) {
            let finding = row.extra["negated_finding"] ?? ""
            if try row.pattern?.matches(bytes) == true || (!finding.isEmpty && negatedFindings.contains(finding)) { codes.append(row.label) }
        }
        let named = try sources.rows.filter { try $0.label != "other" && $0.pattern?.matches(bytes) == true }.map(\.label)
        return (codes, named)
    }

    static func check(_ reading: RationaleReading, _ text: String, negatedFindings: [String] = []) throws -> Int {
        try text.withUTF8Bytes { bytes in
            let expected = try plain(bytes, negatedFindings: negatedFindings)
            let both = try reading.reasonsAndSources(bytes, withReasons: true, negatedFindings: negatedFindings)
            #expect(both.reasons == expected.reasons, "\(text.debugDescription)")
            #expect(both.sources == expected.sources, "\(text.debugDescription)")
            let sourcesOnly = try reading.reasonsAndSources(bytes, withReasons: false, negatedFindings: negatedFindings)
            #expect(sourcesOnly.reasons.isEmpty && sourcesOnly.sources == expected.sources, "\(text.debugDescription)")
            return expected.reasons.count + expected.sources.count
        }
    }

    @Test func joinedTableEqualsPlainPatternsOnRationales() throws {
        let reading = try RationaleReading(sources: GuidelineCitations().sources)
        var found = 0
        for (_, text) in try KeywordFilterTests.texts() {
            let document = try OutcomeTesting.run(text)
            let layer = document.normalized
            for rationale in document.annotations where rationale.type == "imr.item.rationale" {
                let slice = String(layer.slice(layer.toLayer(rationale.range)))
                found += try Self.check(reading, slice)
                found += try Self.check(reading, slice, negatedFindings: ["trigger_point", "radiculopathy", "other"])
            }
        }
        #expect(found > 100)
    }

    @Test func joinedTableEqualsPlainPatternsOnRandomText() throws {
        let reading = try RationaleReading(sources: GuidelineCitations().sources)
        let words = ["no", "not", "without", "functional", "improvement", "pain relief", "trigger points", "radiculopathy",
                     "is not recommended", "MTUS", "ODG", "ACOEM", "Official Disability Guidelines", "American College of Occupational and Environmental Medicine",
                     "Medical Treatment Utilization Schedule", "CA MTUS", "exceeds", "guidelines", "conservative care", "failed", "prior",
                     "unclear", "long-term use", "urine drug screen", "frequency", "was not specified", "\u{212A}", "\u{17F}", "é"]
        let separators = [" ", " ", ". ", ", ", "; ", "\n", "(", ")", "-", "/"]
        var generator = SeededGenerator(seed: 31)
        var found = 0
        for _ in 0..<1500 {
            var text = ""
            for _ in 0..<Int.random(in: 1...20, using: &generator) {
                text += words.randomElement(using: &generator)! + separators.randomElement(using: &generator)!
            }
            found += try Self.check(reading, text)
        }
        #expect(found > 1000)
    }
}

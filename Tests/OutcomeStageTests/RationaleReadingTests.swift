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

    /// The conclusion read with the rationale's one scan (rows pre-tested by the segments that overlap a sentence)
    /// equals the conclusion read with a scan of each sentence, for the letters' rationales split into their
    /// sentences and into random pieces (pieces that cut words, empty pieces, none at all).
    @Test func conclusionFromTheRationalesScanEqualsPerSentenceScans() throws {
        let reading = try RationaleReading(sources: GuidelineCitations().sources)
        var generator = SeededGenerator(seed: 97)
        var concluded = 0
        func check(_ text: String, sentences: [Range<Int>]) throws {
            try text.withUTF8Bytes { bytes in
                let expected = try reading.conclusion(bytes, rationale: 0..<bytes.count, sentenceCount: sentences.count) { sentences[$0] }
                let actual = try reading.conclusion(bytes, scan: reading.scan(bytes), sentenceCount: sentences.count) { sentences[$0] }
                #expect(actual == expected, "\(text.debugDescription) \(sentences)")
                if expected != nil { concluded += 1 }
            }
        }
        /// Random cuts of `count` bytes into pieces in order (some empty).
        func pieces(_ count: Int) -> [Range<Int>] {
            var cuts = (0..<Int.random(in: 0...6, using: &generator)).map { _ in Int.random(in: 0...count, using: &generator) }
            cuts = [0] + cuts.sorted() + [count]
            return zip(cuts, cuts.dropFirst()).map { $0..<$1 }
        }
        var rationales: [String] = []
        for (_, text) in try TestPaths.seedTexts() {
            let document = try OutcomeTesting.run(text)
            let layer = document.normalized
            for rationale in document.annotations where rationale.type == "imr.item.rationale" {
                let layerRange = layer.toLayer(rationale.range)
                let slice = String(layer.slice(layerRange))
                rationales.append(slice)
                // The rationale's sentences, cut to it (as the stage asks for them).
                let sentences = document.annotations.filter { $0.type == "sentence" }.map { layer.toLayer($0.range) }
                    .filter { $0.overlaps(layerRange) || ($0.isEmpty && layerRange.contains($0.lowerBound)) }
                    .map { (max($0.lowerBound, layerRange.lowerBound) - layerRange.lowerBound)..<(min($0.upperBound, layerRange.upperBound) - layerRange.lowerBound) }
                try check(slice, sentences: sentences)
            }
        }
        let words = ["is not medically necessary", "not", "medically", "necessary", "is", "are", "certified", "non-certified",
                     "does not meet", "meets the criteria", "guidelines", "appears", "to be", "reasonable", "cannot be",
                     "medical necessity", "has not been established", "has been established", "\u{212A}", "\u{17F}", "é", "MTUS"]
        let separators = [" ", " ", ". ", ", ", "; ", "\n", "(", ")", "-", "/"]
        for _ in 0..<1500 {
            var text = ""
            for _ in 0..<Int.random(in: 1...12, using: &generator) {
                text += words.randomElement(using: &generator)! + separators.randomElement(using: &generator)!
            }
            rationales.append(text)
        }
        for text in rationales {
            try check(text, sentences: [])
            try check(text, sentences: [0..<text.utf8.count])
            for _ in 0..<3 { try check(text, sentences: pieces(text.utf8.count)) }
        }
        #expect(concluded > 1000)
    }
}

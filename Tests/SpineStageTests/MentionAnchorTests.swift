import ClinPipeCore
import ClinPipeTestSupport
import ClinPipeText
import Foundation
@testable import SpineStage
import Testing

/// The built-in mention patterns declare an anchor (`mentions.tsv`, column `anchor`): matching runs only near the
/// digits the promise names. These tests hold the promise to account: the same matches as a full scan, on the
/// letters, MTSamples (when present), level-dense text and random text.
@Suite struct MentionAnchorTests {
    /// Each built-in mention with an anchor, and the same pattern compiled without it.
    static func pairs() throws -> [(anchored: PCRE2Pattern, plain: PCRE2Pattern, source: String)] {
        var rules = SpineRules()
        try rules.load(.mentions, name: "mentions.tsv", text: EmbeddedRules.text("mentions.tsv"))
        let pairs = try rules.mentions.filter { $0.pattern.anchor != nil }.map { mention in
            (mention.pattern, try PCRE2Pattern(mention.pattern.pattern, options: mention.pattern.options), mention.source)
        }
        #expect(!pairs.isEmpty, "the built-in mentions declare no anchor")
        return pairs
    }

    static func expectSameMatches(_ text: String, _ label: String) throws {
        for pair in try pairs() {
            let plain = try pair.plain.allMatches(in: text)
            let anchored = try pair.anchored.allMatches(in: text)
            #expect(anchored == plain, "\(pair.source) on \(label): \(plain.count) matches in a full scan, \(anchored.count) anchored")
        }
    }

    @Test func levelDenseText() throws {
        let forms = ["L4", "L4-5", "L4-L5", "L4/5", "L4–5", "L4 - 5", "L5-S1", "C5-6-7", "C-6", "L4-l5", "lumbar 4-5",
                     "lumbar 5-sacral 1", "L3 through S1", "L45", "C56", "L5S1", "T12L1", "THORACIC   12", "Cervical\t7",
                     "L3-4, L4-5 and L5-S1", "C5 and C6 dermatomes", "L4, L5 and S1", "S1 vs. L5", "T2-weighted", "C9"]
        for seed in testSeeds(100) {
            var generator = SeededGenerator(seed: seed)
            var text = ""
            for _ in 0..<40 {
                text += forms[Int(generator.next() % UInt64(forms.count))]
                text += [" ", ", ", " and ", "\n", "é ", "x", "-", " to ", "2014 "][Int(generator.next() % 9)]
            }
            try Self.expectSameMatches(text, "seed \(seed)")
        }
    }

    @Test func randomText() throws {
        for seed in testSeeds(100) {
            var generator = SeededGenerator(seed: seed)
            try Self.expectSameMatches(RandomText.make(&generator, pieces: 200), "random seed \(seed)")
        }
    }

    @Test func seedLetters() throws {
        for (name, text) in try TestPaths.seedTexts() { try Self.expectSameMatches(text, name) }
    }

    @Test func sharedCorpora() throws {
        guard let texts = try TestPaths.sharedTexts() else {
            print("skipped: ../shared/corpora is not present")
            return
        }
        for (name, text) in texts { try Self.expectSameMatches(text, name) }
    }
}

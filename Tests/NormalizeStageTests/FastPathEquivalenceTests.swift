import ClinPipeCore
import ClinPipeTestSupport
import ClinPipeText
@testable import NormalizeStage
import Testing

/// The word-at-a-time scans, the one-pass decision look-ahead and the counted percentile give exactly what the
/// straightforward versions they replaced give.
@Suite struct FastPathEquivalenceTests {
    static let pieces = ["a", "Z", "7", ".", "-", "(", " ", "  ", "\t", " \t", "\u{0B}", "\u{A0}", "\u{AD}", "\u{200B}",
                         "\u{FEFF}", "\u{2013}", "\u{2014}", "\u{2010}", "\u{2212}", "\u{2019}", "\u{201C}", "\u{2032}",
                         "\u{3000}", "\u{205F}", "é", "😀", "L4", "5", "word", "treatment", "\u{01}", "\u{7F}", "~"]

    static func randomLine(_ generator: inout SeededGenerator, pieces count: Int) -> String {
        (0..<count).map { _ in pieces[Int(generator.next() % UInt64(pieces.count))] }.joined()
    }

    @Test func wordScanOfTheCanonicalizerMatchesTheByteLoop() throws {
        var generator = SeededGenerator(seed: 3)
        for (dashes, quotes) in [(true, true), (false, true), (true, false)] {
            let characters = CharacterCanonicalizer(dashes: dashes, quotes: quotes)
            for round in 0..<3000 {
                let line = Self.randomLine(&generator, pieces: 1 + round % 40)
                let bytes = Array(line.utf8)
                func run(_ write: (UnsafeBufferPointer<UInt8>, Int, Int, inout EditWriter) -> Void) -> ([UInt8], [OffsetMap.Edit]) {
                    bytes.withUnsafeBufferPointer { buffer in
                        var writer = EditWriter(capacity: buffer.count)
                        write(buffer, 0, buffer.count, &writer)
                        return (writer.output, writer.edits)
                    }
                }
                let expected = run { characters.writeByteByByte($0, from: $1, to: $2, into: &$3) }
                let actual = run { characters.write($0, from: $1, to: $2, into: &$3) }
                #expect(actual.0 == expected.0 && actual.1 == expected.1, "\(line.debugDescription)")
            }
        }
    }

    @Test func onePassDecisionLookAheadMatchesTheWindowScan() throws {
        let repairer = try LineRepairer(rules: LineRules(tables: [], hyphenPrefixes: []), characters: CharacterCanonicalizer())
        var generator = SeededGenerator(seed: 9)
        for _ in 0..<2000 {
            let count = Int(generator.next() % 30)
            let features = (0..<count).map { _ -> LineRepairer.Features in
                var f = LineRepairer.Features()
                let bits = generator.next()
                f.decisionEnd = bits % 11 == 0
                f.decisionTail = bits % 7 == 0
                f.endsWithColon = (bits >> 8) % 4 == 0
                f.sentenceEnd = (bits >> 12) % 5 == 0
                f.itemSentence = (bits >> 16) % 3 == 0
                f.heading = (bits >> 20) % 13 == 0
                f.forcedStart = (bits >> 24) % 9 == 0
                return f
            }
            #expect(repairer.decisionsAhead(features) == features.indices.map { Self.decisionAhead(features, from: $0) })
        }
    }

    /// The look-ahead as it was: up to ten lines from k.
    static func decisionAhead(_ features: [LineRepairer.Features], from k: Int) -> Bool {
        var i = k
        while i < features.count && i < k + 10 {
            if features[i].decisionEnd { return true }
            if features[i].decisionTail && i > k && features[i - 1].endsWithColon { return true }
            if (features[i].sentenceEnd && !features[i].itemSentence) || features[i].heading || (i > k && features[i].forcedStart) {
                return false
            }
            i += 1
        }
        return false
    }

    @Test func countedPercentileMatchesTheSortedOne() throws {
        let repairer = try LineRepairer(rules: LineRules(tables: [], hyphenPrefixes: []), characters: CharacterCanonicalizer())
        var generator = SeededGenerator(seed: 4)
        for _ in 0..<2000 {
            let count = 1 + Int(generator.next() % 60)
            let lengths = (0..<count).map { _ in Int(generator.next() % (generator.next() % 3 == 0 ? 900 : 200)) }
            let sorted = lengths.sorted()
            #expect(repairer.wrapWidth(lengths) == sorted[min(sorted.count - 1, sorted.count * 9 / 10)])
        }
        #expect(repairer.wrapWidth([]) == 0)
    }

    /// Whitespace at both ends of lines, ASCII and not, is trimmed as before: the layer never keeps it, and the map
    /// still sends every layer character to its original.
    @Test func linesTrimmedAtBothEnds() throws {
        let stage = try NormalizeStage()
        var generator = SeededGenerator(seed: 12)
        for _ in 0..<500 {
            let lines = (0..<(1 + Int(generator.next() % 6))).map { _ in Self.randomLine(&generator, pieces: Int(generator.next() % 12)) }
            let text = lines.joined(separator: generator.next() % 2 == 0 ? "\n" : " \n")
            let layer = try stage.normalize(text)
            for line in layer.text.split(separator: "\n") {
                #expect(line.first != " " && line.last != " ", "\(text.debugDescription)")
            }
        }
    }
}

import CByteScan
import ClinPipeCore
import ClinPipeTestSupport
import ClinPipeText
@testable import NormalizeStage
import Testing

/// Copying the lines that `split` found plain without `CharacterCanonicalizer` changes nothing: a line marked plain
/// has content that the canonicalizer's scan reads to its end, and the repair gives the same output and edits as the
/// repair that writes every line through the canonicalizer.
@Suite struct PlainLineCopyTests {
    static let pieces = ["a", "Z", "7", ".", ":", "-", " ", "  ", "   ", "\t", "\u{0B}", "\u{0C}", "\r", "\r\n", "\n", "\n\n",
                         "\n \n", "\u{A0}", "\u{AD}", "\u{200B}", "\u{3000}", "\u{FEFF}", "\u{2013}", "\u{2019}", "\u{201C}",
                         "\u{2212}", "é", "😀", "\u{01}", "\u{7F}", "~", "word", "treatment", "L4", "Upheld", "HISTORY:",
                         "self-", "1. Item", "Page 2", "was the original request."]

    static func text(_ generator: inout SeededGenerator, count: Int) -> String {
        (0..<count).map { _ in pieces[Int(generator.next() % UInt64(pieces.count))] }.joined()
    }

    static func repairer() throws -> LineRepairer {
        let tables = [try RuleTable(name: "line-rules.tsv", text: EmbeddedRules.text("line-rules.tsv"), required: ["kind", "pattern"])]
        return LineRepairer(rules: try LineRules(tables: tables, hyphenPrefixes: ["self"]), characters: CharacterCanonicalizer())
    }

    @Test func linesMarkedPlainHoldOnlyPlainContent() throws {
        let repairer = try Self.repairer()
        var generator = SeededGenerator(seed: 41)
        var texts = ["", " ", "\n", "a", "a ", " a", "a\n", "a \n", "a  b\n", "  a b", "abc", String(repeating: "plain words ", count: 9)]
        texts += (0..<3000).map { round in Self.text(&generator, count: round % 40) }
        var plainSeen = 0
        for text in texts {
            let bytes = Array(text.utf8)
            bytes.withUnsafeBufferPointer { buffer in
                for line in repairer.split(buffer) where line.plain {
                    plainSeen += 1
                    let length = line.contentEnd - line.contentStart
                    // What `CharacterCanonicalizer.write` reads first on the line: the plain prefix of its content.
                    let prefix = length == 0 ? 0 : cbs_plain_prefix(buffer.baseAddress! + line.contentStart, length)
                    #expect(prefix == length, "\(text.debugDescription)")
                }
            }
        }
        #expect(plainSeen > 1000)
    }

    @Test func repairCopyingPlainLinesMatchesThePlainRepair() throws {
        let fast = try Self.repairer()
        var plain = fast
        plain.copiesPlainLines = false
        var generator = SeededGenerator(seed: 42)
        var texts = ["", "\n", "a", "a ", "a \nb", "x-\nyz", "Depo-\nMedrol", "a\u{A0}\nb", String(repeating: "long line of words ", count: 7) + "\nend"]
        texts += (0..<3000).map { round in Self.text(&generator, count: round % 50) }
        for text in texts {
            let bytes = Array(text.utf8)
            let expected = try plain.repaired(bytes), actual = try fast.repaired(bytes)
            #expect(actual.output == expected.output && actual.edits == expected.edits, "\(text.debugDescription)")
        }
    }
}

import ClinPipeCore
import ClinPipeTestSupport
import ClinPipeText
@testable import NormalizeStage
import Testing

/// Ruling line kinds out by a line's first two and last two bytes (`LineRules.candidates`) changes nothing: a kind whose bit is
/// clear never matches, and the repair gives the same output and edits as the one that checks every kind's filters.
@Suite struct EdgeByteKindsTests {
    static func rules() throws -> LineRules {
        let tables = [try RuleTable(name: "line-rules.tsv", text: EmbeddedRules.text("line-rules.tsv"), required: ["kind", "pattern"])]
        return try LineRules(tables: tables, hyphenPrefixes: ["self"])
    }

    static func lines(_ generator: inout SeededGenerator, count: Int) -> [String] {
        let pieces = UnreadRuleSkipTests.lines + ["a", "Z", "9", "(", ")", ":", ".", "\u{2022}", "\u{E9}", " ", "-", "*", "HPI:",
                                                  "upheld", "OVERTURNED ", "request.", "b) x", "12. Item", "x:"]
        return (0..<count).map { _ in
            (0..<(1 + Int(generator.next() % 4))).map { _ in pieces[Int(generator.next() % UInt64(pieces.count))] }.joined()
        }
    }

    @Test func aClearBitMeansNoMatch() throws {
        let rules = try Self.rules()
        var generator = SeededGenerator(seed: 31)
        var texts = Self.lines(&generator, count: 4000)
        texts += (0..<256).map { String(decoding: [UInt8($0)], as: UTF8.self) }
        for text in texts {
            let bytes = Array(text.utf8)
            guard !bytes.isEmpty else { continue }
            try bytes.withUnsafeBufferPointer { line in
                let kinds = rules.candidates(line)
                for (rule, bit) in [(rules.start, LineRules.startBit), (rules.end, LineRules.endBit),
                                    (rules.decision, LineRules.decisionBit), (rules.decisionTail, LineRules.decisionTailBit),
                                    (rules.itemSentence, LineRules.itemSentenceBit)]
                {
                    if try LineRules.matches(rule, line) {
                        #expect(kinds & bit != 0, "kind \(bit) on \(text.debugDescription)")
                    }
                }
            }
        }
    }

    @Test func repairWithEdgeBytesMatchesThePlainRepair() throws {
        let fast = LineRepairer(rules: try Self.rules(), characters: CharacterCanonicalizer())
        var plain = fast
        plain.usesEdgeBytes = false
        var generator = SeededGenerator(seed: 32)
        for round in 0..<3000 {
            let text = Self.lines(&generator, count: round % 14).joined(separator: round % 3 == 0 ? "\n\n" : "\n")
            let bytes = Array(text.utf8)
            let expected = try plain.repaired(bytes), actual = try fast.repaired(bytes)
            #expect(actual.0 == expected.0 && actual.1 == expected.1, "round \(round)")
        }
    }

    /// `isHeading` with its two-byte shortcut against the scan alone (the function before the shortcut), on
    /// generated lines, lines of one byte and every pair of ASCII bytes.
    @Test func headingShortcutMatchesTheScan() throws {
        func plain(_ content: [UInt8]) -> Bool {
            guard content.count <= 120, ByteClass.isUpper(content[0]) else { return false }
            var letters = 0, others = 0
            for byte in content {
                if byte >= 0x61 && byte <= 0x7A { return false }
                if ByteClass.isUpper(byte) { letters += 1 } else if byte != 0x20 { others += 1 }
            }
            return letters >= 4 && letters >= others * 2
        }
        let repairer = LineRepairer(rules: try Self.rules(), characters: CharacterCanonicalizer())
        var generator = SeededGenerator(seed: 33)
        var lines = Self.lines(&generator, count: 3000).map { Array($0.utf8) }
        lines += ["HISTORY OF PRESENT ILLNESS:", "CLINICAL CASE SUMMARY", "MRI", "ABCDx", "A", "Ab", String(repeating: "AB ", count: 41)]
            .map { Array($0.utf8) }
        for first in 0..<128 { for second in 0..<128 { lines.append([UInt8(first), UInt8(second), 0x41, 0x42, 0x43]) } }
        for line in lines where !line.isEmpty {
            let found = line.withUnsafeBufferPointer { repairer.isHeading($0) }
            #expect(found == plain(line), "\(line)")
        }
    }
}

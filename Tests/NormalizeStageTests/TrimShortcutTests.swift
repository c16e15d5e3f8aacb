import ClinPipeTestSupport
@testable import NormalizeStage
import Testing

/// `LineRepairer.trimmed`'s shortcut for lines with ASCII spaces around content with printable ASCII at both ends gives what the byte loop gives.
@Suite struct TrimShortcutTests {
    static let pieces = ["a", "Z", "7", ".", " ", "  ", "\t", "\u{0B}", "\u{A0}", "\u{AD}", "\u{200B}", "\u{3000}",
                         "\u{FEFF}", "é", "😀", "\u{01}", "\u{7F}", "~", "!", "\u{2013}", " ", " ", "\t", "word", "x"]

    @Test func shortcutMatchesTheByteLoop() throws {
        let repairer = try LineRepairer(rules: LineRules(tables: [], hyphenPrefixes: []), characters: CharacterCanonicalizer())
        var generator = SeededGenerator(seed: 5)
        for round in 0..<5000 {
            let line = (0..<(round % 12)).map { _ in Self.pieces[Int(generator.next() % UInt64(Self.pieces.count))] }.joined()
            let bytes = Array(("x\n" + line + "\ny").utf8)
            let start = 2, end = bytes.count - 2
            bytes.withUnsafeBufferPointer { buffer in
                let fast = repairer.trimmed(buffer, start, end)
                let plain = repairer.trimmedByteByByte(buffer, start, end)
                #expect(fast.contentStart == plain.contentStart && fast.contentEnd == plain.contentEnd
                        && fast.whitespaceOnly == plain.whitespaceOnly, "\(line.debugDescription)")
            }
        }
    }
}

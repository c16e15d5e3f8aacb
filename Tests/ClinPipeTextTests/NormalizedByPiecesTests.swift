import ClinPipeCore
import ClinPipeTestSupport
@testable import ClinPipeText
import Testing

/// ICU's normalization check asked only about the stretches around non-ASCII characters
/// (`UnicodeNormalizer.isNormalizedByPieces`) never says "normalized" where the check of the whole text says "not", and
/// `normalize` with it gives exactly what `normalizeWithICU` (the whole-text path) gives.
@Suite struct NormalizedByPiecesTests {
    /// Pieces that compose, decompose or reorder with their neighbours in some form (combining marks after ASCII
    /// letters, Hangul jamo, compatibility characters, marks out of canonical order), and plain ones.
    static let pieces = ["a", "e", "A", "n", " ", ".", "\n", "1", "\u{301}", "\u{300}", "\u{327}", "\u{316}", "\u{303}",
                         "\u{E9}", "\u{C5}", "\u{212B}", "\u{FB01}", "\u{FF11}", "\u{A0}", "\u{2013}", "\u{1100}", "\u{1161}",
                         "\u{11A8}", "\u{AC00}", "\u{D55C}", "\u{2075}", "\u{1E9B}", "\u{F900}", "\u{0958}", "\u{0CCB}",
                         "\u{0CC6}", "\u{0CC2}", "\u{1F600}", "\u{3000}", "\u{2019}", "\u{FEFF}", "\u{AD}", "\u{1D15E}", "中"]

    static func text(_ generator: inout SeededGenerator, count: Int) -> String {
        (0..<count).map { _ in pieces[Int(generator.next() % UInt64(pieces.count))] }.joined()
    }

    @Test(arguments: UnicodeNormalizer.Form.allCases)
    func piecesAgreeWithTheWholeTextCheck(form: UnicodeNormalizer.Form) throws {
        var generator = SeededGenerator(seed: 71)
        var texts = ["", "a", "\u{301}", "e\u{301}", "\u{E9}", "abc", "abc\u{E9}", "\u{E9}abc", "x\u{FB01}", "\u{FB01}"]
        texts += (0..<4000).map { round in Self.text(&generator, count: round % 12) }
        // Long ASCII stretches around the non-ASCII ones, so that the eight-byte scan and its tail both run.
        texts += (0..<500).map { round in
            String(repeating: "plain text ", count: round % 5) + Self.text(&generator, count: 3) + String(repeating: "q", count: round % 17)
        }
        var normalizedSeen = 0, notNormalizedSeen = 0
        for text in texts {
            let bytes = Array(text.utf8)
            let (pieces, whole) = try bytes.withUnsafeBufferPointer {
                (UnicodeNormalizer.isNormalizedByPieces($0, form: form), try UnicodeNormalizer.isNormalizedWhole($0, form: form))
            }
            // The shortcut says "normalized" exactly when the whole check does (it may only say "ask the whole
            // text" more often; with ICU's data it never does).
            #expect(pieces == whole, "\(form) \(text.unicodeScalars.map { String($0.value, radix: 16) })")
            if whole { normalizedSeen += 1 } else { notNormalizedSeen += 1 }
            let fast = try UnicodeNormalizer.normalize(text, form: form)
            let plain = try UnicodeNormalizer.normalizeWithICU(text, form: form)
            #expect(Array(fast.text.utf8) == Array(plain.text.utf8) && fast.map == plain.map, "\(form)")
        }
        #expect(normalizedSeen > 100 && notNormalizedSeen > 100)
    }
}

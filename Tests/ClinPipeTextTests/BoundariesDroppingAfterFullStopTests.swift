import ClinPipeTestSupport
@testable import ClinPipeText
import Testing

/// `SentenceBoundaries.boundaries(in:droppingAfterFullStop:)` keeps what filtering `boundaries(in:)` by the same
/// function keeps, for a function that answers false where the contract requires (no period before the boundary
/// past ASCII spaces and tabs), on both paths; the byte rules ask it about boundaries after a full stop only.
@Suite struct BoundariesDroppingAfterFullStopTests {
    static let pieces = ["a", "B", "7", ".", "..", "!", "?", ")", "\"", " ", "  ", "\t", "\n", "\r", "\r\n", "\u{2028}", "\u{A0}",
                         ",", ":", "e\u{301}", "\u{AD}", "\u{3002}", "word", "Dr.", "3.5"]

    @Test func matchesFilteringTheBoundaries() throws {
        var generator = SeededGenerator(seed: 62)
        for round in 0..<4000 {
            let text = (0..<(round % 30)).map { _ in Self.pieces[Int(generator.next() % UInt64(Self.pieces.count))] }.joined()
            let bytes = Array(text.utf8)
            let salt = generator.next()
            // Drops some boundaries that follow a period (past spaces and tabs), chosen by the offset and a salt.
            func drops(_ offset: Int) -> Bool {
                var end = offset
                while end > 0 && (bytes[end - 1] == 0x20 || bytes[end - 1] == 0x09) { end -= 1 }
                return end > 0 && bytes[end - 1] == 0x2E && (UInt64(offset) &+ salt) % 3 != 0
            }
            try bytes.withUnsafeBufferPointer { buffer in
                let all = try SentenceBoundaries.boundaries(in: buffer)
                let expected = all.filter { $0 == 0 || $0 == bytes.count || !drops($0) }
                var asked: [Int] = []
                let found = try SentenceBoundaries.boundaries(in: buffer, droppingAfterFullStop: { asked.append($0); return drops($0) })
                #expect(found == expected, "\(text.debugDescription)")
                if SentenceBreakRules.boundaries(in: buffer) != nil {
                    // The byte rules ask only about boundaries, never about the text's end.
                    #expect(asked.allSatisfy { all.contains($0) && $0 != bytes.count && $0 != 0 }, "\(text.debugDescription)")
                }
            }
        }
    }
}

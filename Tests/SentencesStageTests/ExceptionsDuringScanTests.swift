import ClinPipeTestSupport
import ClinPipeText
@testable import SentencesStage
import Testing

/// Asking the clinical exceptions while the boundaries are found, about the boundaries after a full stop only
/// (`SentenceBoundaries.boundaries(in:droppingAfterFullStop:)`), gives the spans that filtering every proposed
/// boundary afterwards gave: on the byte rules' path and on ICU's (texts with combining marks or soft hyphens).
@Suite struct ExceptionsDuringScanTests {
    static let pieces = ["Dr.", "p.o.", "b.i.d.", "vs.", "e.g.", "No.", "et al.", "1.", "12.", "a.", "(Dr.", "L4-5.", "3.5",
                         "medications.", "pain", "Smith", "the", "5", ".", "!", "?", "?)", "!\"", ".)", ".'", "\n", "\n\n", "\r",
                         "\r\n", "\u{2028}", "\u{85}", " ", "  ", "\t", "\u{0B}", "\u{0C}", "\u{A0}", ":", ",", "e\u{301}", "\u{AD}",
                         "\u{3002}", "caf\u{E9}.", "Upheld", "x.y."]

    @Test func duringTheScanMatchesFilteringAfterwards() throws {
        let stage = try SentencesStage()
        var generator = SeededGenerator(seed: 61)
        var texts = ["", ".", "Dr.", "Dr. Smith", "1. item\n2. item", "a.\r\nb", "x. \n y", "e\u{301}. Dr. Smith.", "end."]
        texts += (0..<3000).map { round in
            (0..<(round % 40)).map { _ in Self.pieces[Int(generator.next() % UInt64(Self.pieces.count))] + (generator.next() % 3 == 0 ? "" : " ") }
                .joined()
        }
        for text in texts {
            let bytes = Array(text.utf8)
            let (found, expected) = try bytes.withUnsafeBufferPointer {
                (try stage.sentenceSpans(in: $0), try stage.sentenceSpansFilteringAfterwards(in: $0))
            }
            #expect(found == expected, "\(text.debugDescription)")
        }
    }
}

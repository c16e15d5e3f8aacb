import ClinPipeCore
import ClinPipeTestSupport
@testable import ClinPipeText
import Foundation
import Synchronization
import Testing

@Suite("SentenceBoundaries")
struct SentenceBoundariesTests {
    @Test("sentence breaks in UTF-8 offsets")
    func basic() throws {
        let text = "Pain is severe. MRI shows stenosis! Is it better? Yes."
        let boundaries = try SentenceBoundaries.boundaries(in: text)
        let sentences = zip(boundaries, boundaries.dropFirst()).map { String(text.sliceUTF8($0..<$1)) }
        #expect(sentences == ["Pain is severe. ", "MRI shows stenosis! ", "Is it better? ", "Yes."])

        let accented = "Café fermé. Naïve patient? 中文。Done"
        let accentedBoundaries = try SentenceBoundaries.boundaries(in: accented)
        let accentedSentences = zip(accentedBoundaries, accentedBoundaries.dropFirst()).map { String(accented.sliceUTF8($0..<$1)) }
        #expect(accentedSentences == ["Café fermé. ", "Naïve patient? ", "中文。", "Done"])

        #expect(try SentenceBoundaries.boundaries(in: "") == [0])
        // ICU ends a sentence at every hard line break (the sentences stage deals with wrapped lines).
        #expect(try SentenceBoundaries.boundaries(in: "line one\nline two") == [0, 9, 17])
    }

    @Test("texts the byte rules leave to ICU (Extend, Format, invalid UTF-8) get ICU's boundaries")
    func fallback() throws {
        for text in ["Cafe\u{301}. Next", "soft\u{AD}hyphen. Next", "\u{FEFF}Start. Next", "a\u{200D}b. C", "x.\u{301} Y"] {
            #expect(try SentenceBoundaries.boundaries(in: text) == SentenceBoundaries.icuBoundaries(in: text), "\(text.debugDescription)")
        }
        let invalid: [[UInt8]] = [[0x61, 0x2E, 0x20, 0xFF, 0x42], [0x61, 0x2E, 0xC3], [0xED, 0xA0, 0x80, 0x2E, 0x20, 0x41], [0xC0, 0xAE, 0x20, 0x41], [0x80]]
        for bytes in invalid {
            let (found, icu) = try bytes.withUnsafeBufferPointer {
                (try SentenceBoundaries.boundaries(in: $0), try SentenceBoundaries.icuBoundaries(in: $0))
            }
            #expect(found == icu, "\(bytes)")
        }
    }

    @Test("boundaries are ascending scalar boundaries from 0 to the end, on random text, from many threads")
    func randomText() throws {
        let texts: [String] = testSeeds(40).map { seed in
            var generator = SeededGenerator(seed: seed)
            return RandomText.make(pieceCount: Int.random(in: 1...80, using: &generator), using: &generator)
        }
        let expected = try texts.map { try SentenceBoundaries.boundaries(in: $0) }
        for (text, boundaries) in zip(texts, expected) {
            let valid = Set(RandomText.scalarBoundaries(text))
            #expect(boundaries.first == 0 && boundaries.last == text.utf8.count)
            #expect(zip(boundaries, boundaries.dropFirst()).allSatisfy { $0 < $1 })
            #expect(boundaries.allSatisfy { valid.contains($0) })
            // A sentence ends after every line feed (UAX #29 SB4), whatever follows it (the `sentences` stage relies
            // on it).
            let lineStarts = text.utf8.indices.filter { text.utf8[$0] == 0x0A }.map { text.utf8.distance(from: text.utf8.startIndex, to: $0) + 1 }
            #expect(Set(lineStarts).isSubset(of: Set(boundaries)))
        }
        let mismatches = Mutex(0)
        DispatchQueue.concurrentPerform(iterations: 8) { _ in
            for (text, boundaries) in zip(texts, expected) where (try? SentenceBoundaries.boundaries(in: text)) != boundaries {
                mismatches.withLock { $0 += 1 }
            }
        }
        #expect(mismatches.withLock { $0 } == 0)
    }
}

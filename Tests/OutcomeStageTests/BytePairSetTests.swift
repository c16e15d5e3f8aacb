import ClinPipeTestSupport
@testable import OutcomeStage
import Testing

/// The sixteen-at-a-time candidate search gives the offsets that a byte-by-byte test gives.
@Suite struct BytePairSetTests {
    static let sets = [
        GuidelineLineSplitter.starts,
        BytePairSet([(UInt8(ascii: "s"), 0x20, UInt8(ascii: "e"), 0x20), (UInt8(ascii: "p"), 0x20, UInt8(ascii: "a"), 0x20)]),
        BytePairSet([(UInt8(ascii: "s"), 0, UInt8(ascii: "e"), 0), (UInt8(ascii: "c"), 0, UInt8(ascii: "h"), 0)]),
        BytePairSet([]),
    ]

    /// The plain path: every offset tested on its own.
    static func plain(_ set: BytePairSet, _ bytes: UnsafeBufferPointer<UInt8>, from start: Int, skip: Int) -> [Int] {
        var found: [Int] = []
        var offset = start
        while offset < bytes.count {
            if set.occurs(in: bytes, at: offset) {
                found.append(offset)
                offset += skip
            } else {
                offset += 1
            }
        }
        return found
    }

    @Test func candidatesEqualAByteByByteTest() {
        var generator = SeededGenerator(seed: 5)
        let pieces = ["d", "De", "DE", "n", "No", "nO", ";", ".", ",", ". ", ",\t", ".\n", ".\u{0B}", ",x", "se", "Se", "SE", "pa", "PA", "ch",
                      "cH", "e", "a", " ", "x", "é", "\u{212A}", "Decision based on", "Non-MTUS Citation", "section", "chapter", "page"]
        var checked = 0
        for length in 0...70 {
            for _ in 0..<40 {
                var text = ""
                while text.utf8.count < length { text += pieces.randomElement(using: &generator)! }
                let start = Int.random(in: 0...3, using: &generator)
                let skip = Int.random(in: 1...20, using: &generator)
                text.withUTF8Bytes { bytes in
                    for set in Self.sets {
                        var actual: [Int] = []
                        set.forEachCandidate(in: bytes, from: start) { offset in
                            actual.append(offset)
                            return offset + skip
                        }
                        let expected = Self.plain(set, bytes, from: start, skip: skip)
                        #expect(actual == expected, "\(text.debugDescription) from \(start), skip \(skip)")
                        checked += expected.count
                    }
                }
            }
        }
        #expect(checked > 10_000)
    }

    @Test func pairsMatchTheirBytes() {
        let splitter = GuidelineLineSplitter.starts
        func occurs(_ text: String, _ offset: Int) -> Bool { text.withUTF8Bytes { splitter.occurs(in: $0, at: offset) } }
        #expect(occurs("Decision", 0) && occurs("dE", 0) && !occurs("Dx", 0) && !occurs("d", 0))
        #expect(occurs("No", 0) && !occurs("Na", 0))
        #expect(occurs(";x", 0) && occurs(";", 0))
        #expect(occurs(". ", 0) && occurs(",\t", 0) && occurs(".\r", 0) && occurs(".\u{0B}", 0) && !occurs(".x", 0) && !occurs("-\n", 0))
        #expect(!occurs("x", 0) && !occurs("\u{FF}", 0))
    }
}

import ClinPipeCore
import ClinPipeTestSupport
@testable import ClinPipeIO
import Testing

/// `OutputOffsets` (constant-time conversion from marks every 64 bytes) against `OffsetConverter` (one sorted pass)
/// on every scalar boundary of random texts, in every unit.
@Suite("OutputOffsets")
struct OutputOffsetsTests {
    @Test("every scalar boundary of random texts converts as OffsetConverter converts it", arguments: OffsetUnit.allCases)
    func everyBoundary(unit: OffsetUnit) {
        var problems: [String] = []
        for seed in testSeeds(200) {
            var generator = SeededGenerator(seed: seed)
            // Long enough to span several marks; sometimes ASCII only (the identity path).
            var text = RandomText.make(pieceCount: Int.random(in: 0...150, using: &generator), using: &generator)
            if seed % 5 == 0 { text = String(text.unicodeScalars.filter(\.isASCII).map(Character.init)) }
            let boundaries = RandomText.scalarBoundaries(text)
            let expected = OffsetConverter(text: text, unit: unit).fromUTF8(boundaries)
            let converted = text.withUTF8Bytes { bytes in
                let offsets = OutputOffsets(text: bytes, unit: unit)
                return boundaries.map { offsets.convert($0, in: bytes) }
            }
            if converted != expected { problems.append("seed \(seed)") }
        }
        #expect(problems.isEmpty, "\(unit): \(problems.count) texts differ, first: \(problems.prefix(5))")
    }

    @Test("UTF-8 output and ASCII texts convert to themselves without marks")
    func identity() {
        "a\u{301}😀b".withUTF8Bytes { #expect(OutputOffsets(text: $0, unit: .utf8).isIdentity) }
        "plain ASCII text".withUTF8Bytes { #expect(OutputOffsets(text: $0, unit: .codepoint).isIdentity) }
        "é".withUTF8Bytes { #expect(!OutputOffsets(text: $0, unit: .utf16).isIdentity) }
        "".withUTF8Bytes { #expect(OutputOffsets(text: $0, unit: .codepoint).isIdentity) }
    }
}

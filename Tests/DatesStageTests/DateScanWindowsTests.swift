import ClinPipeTestSupport
@testable import DatesStage
import Testing

/// `DateScanWindows.nextDigit` (sixteen and eight bytes a step) against a byte-by-byte search.
@Suite struct DateScanWindowsTests {
    @Test func nextDigitIsTheFirstDigit() {
        let alphabet: [UInt8] = Array("0123456789/-: aZ\n".utf8) + [0x2F, 0x3A, 0x00, 0x7F, 0x80, 0xB0, 0xB9, 0xE2, 0xFF]
        for seed in testSeeds(2000) {
            var generator = SeededGenerator(seed: seed)
            // Mostly non-digits, so that the word loops run; digits anywhere, including at word edges.
            let bytes: [UInt8] = (0..<Int(generator.next() % 70)).map { _ in
                generator.next() % 6 == 0 ? alphabet[Int(generator.next() % 10)]
                    : alphabet[10 + Int(generator.next() % UInt64(alphabet.count - 10))]
            }
            bytes.withUnsafeBufferPointer { buffer in
                for start in 0...bytes.count {
                    let expected = (start..<bytes.count).first { bytes[$0] >= 0x30 && bytes[$0] <= 0x39 } ?? bytes.count
                    #expect(DateScanWindows.nextDigit(in: buffer, from: start) == expected, "seed \(seed) from \(start)")
                }
            }
        }
    }
}

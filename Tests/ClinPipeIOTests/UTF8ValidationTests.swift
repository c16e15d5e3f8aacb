@testable import ClinPipeIO
import ClinPipeTestSupport
import Testing

/// `UTF8Validation.isValid` must accept exactly what `String(validating:as: UTF8.self)` accepts.
@Suite struct UTF8ValidationTests {
    static func check(_ bytes: [UInt8]) {
        let fast = bytes.withUnsafeBufferPointer { UTF8Validation.isValid($0) }
        let plain = String(validating: bytes, as: UTF8.self) != nil
        #expect(fast == plain, "\(bytes.map { String($0, radix: 16) })")
    }

    @Test("every sequence of one and two bytes, and every three-byte sequence with a multi-byte lead")
    func exhaustiveShort() {
        for first in 0...255 {
            Self.check([UInt8(first)])
            for second in 0...255 { Self.check([UInt8(first), UInt8(second)]) }
        }
        let seconds: [UInt8] = [0x00, 0x41, 0x7F, 0x80, 0x8F, 0x90, 0x9F, 0xA0, 0xBF, 0xC0, 0xC2, 0xE0, 0xF0, 0xFF]
        for first in 0xC0...0xFF {
            for second in seconds {
                for third in seconds {
                    Self.check([UInt8(first), second, third])
                    for fourth in [UInt8(0x80), 0xBF, 0x41, 0xC0] { Self.check([UInt8(first), second, third, fourth]) }
                }
            }
        }
    }

    @Test("sequences placed at every offset of ASCII runs, cut at buffer ends, and random bytes")
    func placedAndRandom() {
        let pieces: [[UInt8]] = [[0xC3, 0xA9], [0xE2, 0x82, 0xAC], [0xF0, 0x9F, 0x98, 0x80], [0xED, 0xA0, 0x80],
                                 [0xF4, 0x90, 0x80, 0x80], [0xC0, 0xAF], [0xE0, 0x80, 0xAF], [0x80], [0xFF]]
        for piece in pieces {
            for before in 0..<20 {
                for after in 0..<12 {
                    let bytes = [UInt8](repeating: 0x61, count: before) + piece + [UInt8](repeating: 0x62, count: after)
                    Self.check(bytes)
                    Self.check(Array(bytes.dropLast(after + 1)))  // cut inside the sequence
                }
            }
        }
        var generator = SeededGenerator(seed: 7)
        for _ in 0..<3000 {
            let length = Int(generator.next() % 40)
            let bytes = (0..<length).map { _ -> UInt8 in
                let roll = generator.next() % 8
                return roll < 4 ? UInt8(0x20 + generator.next() % 0x5F) : UInt8(truncatingIfNeeded: generator.next())
            }
            Self.check(bytes)
        }
        Self.check([])
    }
}

import ClinPipeTestSupport
import ClinPipeCore
import Foundation
import Testing

/// `JSONBuffer` against a byte-at-a-time reference escaper and against Foundation's JSON parser.
@Suite("JSONBuffer")
struct JSONBufferTests {
    /// The JSON string literal of `bytes`, one byte at a time (the definition the fast path must reproduce).
    static func reference(_ bytes: [UInt8]) -> [UInt8] {
        var out: [UInt8] = [0x22]
        for byte in bytes {
            switch byte {
            case 0x22: out += [0x5C, 0x22]
            case 0x5C: out += [0x5C, 0x5C]
            case 0x0A: out += [0x5C, UInt8(ascii: "n")]
            case 0x0D: out += [0x5C, UInt8(ascii: "r")]
            case 0x09: out += [0x5C, UInt8(ascii: "t")]
            case 0..<0x20, 0x7F: out += Array(String(format: "\\u%04x", Int(byte)).utf8)
            default: out.append(byte)
            }
        }
        out.append(0x22)
        return out
    }

    static func quoted(_ text: String) -> [UInt8] {
        var buffer = JSONBuffer(capacity: 1)
        buffer.appendQuoted(text)
        return buffer.bytes
    }

    @Test("Quoting escapes exactly what JSON needs, at every position of 1- to 64-character strings")
    func specialBytesAtEveryPosition() {
        // Each special character at each position, surrounded by plain ASCII and by non-ASCII characters (whose
        // bytes must not hide or fake an escape in the sixteen-bytes-at-a-time scan), and a special next to a
        // non-ASCII character on either side.
        let specials: [String] = (0..<0x20).map { String(UnicodeScalar(UInt8($0))) } + ["\"", "\\", "\u{7F}", " ", "!", "#", "]", "~"]
        let fillers: [String] = ["a", "é", "\u{2019}", "€", "\u{85}", "\u{A2}", "\u{DC}", "😀"]
        var problems: [String] = []
        for special in specials {
            for filler in fillers {
                for length in 1...64 {
                    for position in 0..<length {
                        let text = String(repeating: filler, count: position) + special
                            + String(repeating: filler, count: length - 1 - position)
                        if Self.quoted(text) != Self.reference(Array(text.utf8)) {
                            problems.append("\(special.debugDescription) after \(position) × \(filler.debugDescription), length \(length)")
                        }
                    }
                }
            }
        }
        #expect(problems.isEmpty, "\(problems.count) problems, first: \(problems.prefix(5))")
    }

    @Test("Quoting runs of escapes, alone and between non-ASCII characters")
    func runsOfEscapes() {
        for run in 1...40 {
            for text in [String(repeating: "\n", count: run), "é" + String(repeating: "\"\u{1}", count: run) + "€",
                         String(repeating: "\u{2019}\\", count: run), String(repeating: "ab\tcd", count: run)] {
                #expect(Self.quoted(text) == Self.reference(Array(text.utf8)), "\(text.debugDescription)")
            }
        }
    }

    @Test("Quoting random text matches the reference and parses back to the same string")
    func randomText() throws {
        for seed in testSeeds(300) {
            var generator = SeededGenerator(seed: seed)
            let text = RandomText.make(pieceCount: Int.random(in: 0...80, using: &generator), using: &generator)
            let quoted = Self.quoted(text)
            #expect(quoted == Self.reference(Array(text.utf8)), "seed \(seed)")
            // Foundation's parser drops U+FEFF (a byte order mark) wherever it appears, so those texts are not
            // parsed back.
            guard !text.unicodeScalars.contains("\u{FEFF}") else { continue }
            let parsed = try JSONSerialization.jsonObject(with: Data(quoted), options: [.fragmentsAllowed]) as? String
            #expect(parsed == text, "seed \(seed)")
        }
    }

    @Test("A string longer than one 4 KiB chunk, full of escapes, is written whole")
    func longStrings() {
        var generator = SeededGenerator(seed: 7)
        let alphabet: [UInt8] = Array("ab \"\\\n\t\u{1}".utf8) + [0xC3, 0xA9]
        var bytes: [UInt8] = []
        while bytes.count < 20_000 {
            let byte = alphabet[Int(generator.next() % UInt64(alphabet.count))]
            if byte == 0xC3 { bytes += [0xC3, 0xA9] } else if byte != 0xA9 { bytes.append(byte) }
        }
        var buffer = JSONBuffer(capacity: 1)
        bytes.withUnsafeBufferPointer { buffer.appendQuoted($0) }
        #expect(buffer.bytes == Self.reference(bytes))
    }

    @Test("Decimals, literals and raw bytes", arguments: [0, 7, 9, 10, 99, 100, -1, -10, 123_456_789, Int.max, Int.min])
    func decimals(value: Int) {
        var buffer = JSONBuffer(capacity: 1)
        buffer.append("[")
        buffer.appendDecimal(value)
        buffer.append(UInt8(ascii: "]"))
        #expect(String(decoding: buffer.bytes, as: UTF8.self) == "[\(value)]")
    }

    @Test("Decimals around every power of ten, and random ones, match Swift's description")
    func decimalsAroundPowersOfTen() {
        var values: [Int] = []
        var power = 1
        for _ in 0...18 {
            values += [power - 1, power, power + 1, -power, -(power - 1), -(power + 1)]
            if power <= Int.max / 10 { power *= 10 }
        }
        var generator = SeededGenerator(seed: 11)
        for _ in 0..<2000 {
            let value = Int(truncatingIfNeeded: generator.next()) >> Int(generator.next() % 64)
            values.append(value)
        }
        var buffer = JSONBuffer(capacity: 1)
        var expected = ""
        for value in values {
            buffer.appendDecimal(value)
            buffer.append(",")
            expected += "\(value),"
        }
        #expect(String(decoding: buffer.bytes, as: UTF8.self) == expected)
    }

    @Test("Decimals from 0 to 99,999 one by one, the eight-digit edges, and random values below 100,000,000")
    func decimalsWithoutBranches() {
        var values = Array(0..<100_000) + [999_999, 1_000_000, 9_999_999, 10_000_000, 99_999_999, 100_000_000,
                                           100_000_001, 12_345_678, 10_000_001, 90_000_009, -1, -99_999_999]
        var generator = SeededGenerator(seed: 13)
        values += (0..<20_000).map { _ in Int(generator.next() % 100_000_000) }
        var buffer = JSONBuffer(capacity: 1)
        var expected = ""
        for value in values {
            buffer.reserve(21)
            buffer.appendDecimalReserved(value)
            buffer.appendReserved(UInt8(ascii: ","))
            expected += "\(value),"
        }
        #expect(String(decoding: buffer.bytes, as: UTF8.self) == expected)
    }

    @Test("makeBytes gives the same bytes whether its estimate fits or is far too small", arguments: [1, 16, 100, 100_000])
    func makeBytes(capacity: Int) {
        var generator = SeededGenerator(seed: 3)
        let texts = (0..<50).map { _ in RandomText.make(pieceCount: 12, using: &generator) }
        func write(_ out: inout JSONBuffer) {
            out.append("[")
            for (index, text) in texts.enumerated() {
                if index > 0 { out.append(UInt8(ascii: ",")) }
                out.appendQuoted(text)
                out.append(UInt8(ascii: ","))
                out.appendDecimal(index * 1000)
            }
            out.append("]")
        }
        var reference = JSONBuffer(capacity: 1)
        write(&reference)
        #expect(JSONBuffer.makeBytes(capacity: capacity) { write(&$0) } == reference.bytes)
        #expect(JSONBuffer.makeBytes(capacity: capacity) { _ in } == [])
    }
}

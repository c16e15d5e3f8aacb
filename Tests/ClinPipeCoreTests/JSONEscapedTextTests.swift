import CByteScan
import ClinPipeCore
import ClinPipeTestSupport
import Testing

/// `JSONEscapedText` (escape once, copy slices) against the plain path it replaces, `JSONBuffer.appendQuoted` of each
/// slice: every range of texts built to put escapes at and around the 64-byte block edges, every control character,
/// quotes, backslashes, DEL and non-ASCII bytes, and random texts.
@Suite("JSONEscapedText")
struct JSONEscapedTextTests {
    /// Bytes JSON escapes (two- and six-byte forms) and bytes that it does not.
    static let escaped: [UInt8] = Array(0...0x1F) + [0x22, 0x5C, 0x7F]
    static let plain: [UInt8] = [0x20, 0x41, 0x7E, 0x5B, 0x5D, 0x80, 0xBF, 0xC3, 0xA9, 0xE2, 0xF0, 0xFF]

    /// The plain path: `range` of `text` quoted by `appendQuoted`.
    static func plainQuoted(_ text: [UInt8], _ range: Range<Int>) -> [UInt8] {
        var buffer = JSONBuffer(capacity: 1)
        text.withUnsafeBufferPointer { buffer.appendQuoted(UnsafeBufferPointer(rebasing: $0[range])) }
        return buffer.bytes
    }

    /// The length of the JSON escape of `byte` inside a string (1 when it is not escaped).
    static func escapeLength(_ byte: UInt8) -> Int {
        switch byte {
        case 0x22, 0x5C, 0x0A, 0x0D, 0x09: 2
        case 0..<0x20, 0x7F: 6
        default: 1
        }
    }

    /// What differs between the escape-once path and the plain path for `text`: the escaped length, the offset map
    /// at every offset, the whole text, and the slices between every two of `ends` (all offsets when nil).
    static func problems(_ text: [UInt8], ends: [Int]? = nil) -> [String] {
        var problems: [String] = []
        text.withUnsafeBufferPointer { bytes in
            JSONEscapedText.withEscaped(bytes) { escaped in
                let whole = plainQuoted(text, 0..<text.count)
                if escaped.count != whole.count - 2 || escaped.textCount != text.count {
                    problems.append("length \(escaped.count), expected \(whole.count - 2)")
                }
                var expectedOffset = 0
                for offset in 0...text.count {
                    if escaped.escapedOffset(offset) != expectedOffset {
                        problems.append("offset \(offset) maps to \(escaped.escapedOffset(offset)), expected \(expectedOffset)")
                        break
                    }
                    if offset < text.count { expectedOffset += escapeLength(text[offset]) }
                }
                let ends = (ends ?? Array(0...text.count)).filter { (0...text.count).contains($0) }
                for begin in ends {
                    for end in ends where end >= begin {
                        var buffer = JSONBuffer(capacity: 1)
                        buffer.appendQuoted(begin..<end, of: escaped)
                        if buffer.bytes != plainQuoted(text, begin..<end) {
                            problems.append("range \(begin)..<\(end) of \(text.count) bytes")
                        }
                    }
                }
            }
        }
        return problems
    }

    @Test("every escaped byte at the block edges and inside blocks, every range, texts of 0 to 130 bytes")
    func escapesAtBlockEdges() {
        var problems: [String] = []
        let lengths = [0, 1, 2, 15, 16, 17, 31, 32, 33, 62, 63, 64, 65, 66, 127, 128, 129, 130]
        for length in lengths {
            for filler in [UInt8(ascii: "a"), 0xC3] {
                let base = [UInt8](repeating: filler, count: length)
                problems += Self.problems(base).map { "no escape, \(length) bytes: \($0)" }
                for position in [0, 1, 31, 62, 63, 64, 65, 126, 127, 128, 129] where position < length {
                    for byte in Self.escaped {
                        var text = base
                        text[position] = byte
                        // Every range for two bytes in texts of up to 66 bytes; else ranges between the offsets around
                        // the escape, the block edges and the ends (the offset map is checked at every offset anyway).
                        let ends = (byte == 0x0A || byte == 0x01) && length <= 66
                            ? nil : [0, 1, position - 1, position, position + 1, 63, 64, 65, length - 1, length]
                        problems += Self.problems(text, ends: ends).map { "byte \(byte) at \(position) of \(length): \($0)" }
                    }
                }
            }
        }
        #expect(problems.isEmpty, "\(problems.count) problems, first: \(problems.prefix(5))")
    }

    @Test("runs of escapes across the block edges, every range")
    func runsOfEscapes() {
        var problems: [String] = []
        for length in [63, 64, 65, 128, 140] {
            for byte in [UInt8(0x0A), 0x0C, 0x22, 0x7F, 0x00] {
                // All escapes; every other byte; escapes only around offset 64.
                let all = [UInt8](repeating: byte, count: length)
                let alternating = (0..<length).map { $0 % 2 == 0 ? byte : UInt8(ascii: "x") }
                let around = (0..<length).map { (60..<68).contains($0) ? byte : UInt8(ascii: "x") }
                for text in [all, alternating, around] {
                    problems += Self.problems(text).map { "byte \(byte), \(length) bytes: \($0)" }
                }
            }
        }
        #expect(problems.isEmpty, "\(problems.count) problems, first: \(problems.prefix(5))")
    }

    @Test("random bytes and random Unicode text, from sparse to dense escapes, lengths 0 to 400")
    func randomTexts() {
        var problems: [String] = []
        for seed in testSeeds(120) {
            var generator = SeededGenerator(seed: seed)
            let length = Int(generator.next() % 401)
            let density = Int(generator.next() % 40) + 1
            let bytes = (0..<length).map { _ -> UInt8 in
                generator.next() % UInt64(density) == 0
                    ? Self.escaped[Int(generator.next() % UInt64(Self.escaped.count))]
                    : Self.plain[Int(generator.next() % UInt64(Self.plain.count))]
            }
            problems += Self.problems(bytes, ends: Self.sampleEnds(length, &generator)).map { "seed \(seed), bytes: \($0)" }
            let text = Array(RandomText.make(pieceCount: Int(generator.next() % 60), using: &generator).utf8)
            problems += Self.problems(text, ends: Self.sampleEnds(text.count, &generator)).map { "seed \(seed), text: \($0)" }
        }
        #expect(problems.isEmpty, "\(problems.count) problems, first: \(problems.prefix(5))")
    }

    /// Thirty random offsets of a text of `length` bytes, with both ends.
    static func sampleEnds(_ length: Int, _ generator: inout SeededGenerator) -> [Int] {
        [0, length] + (0..<30).map { _ in Int(generator.next() % UInt64(length + 1)) }
    }

    @Test("slices appended one after another into a growing buffer (the copy's scratch is overwritten)")
    func slicesInSequence() {
        var generator = SeededGenerator(seed: 5)
        let text = Array((RandomText.make(pieceCount: 300, using: &generator) + "\u{1}\"\\\n").utf8)
        var expected = JSONBuffer(capacity: 1)
        var actual = JSONBuffer(capacity: 1)
        text.withUnsafeBufferPointer { bytes in
            JSONEscapedText.withEscaped(bytes) { escaped in
                for _ in 0..<500 {
                    let begin = Int(generator.next() % UInt64(text.count + 1))
                    let end = begin + Int(generator.next() % UInt64(text.count - begin + 1))
                    expected.appendQuoted(UnsafeBufferPointer(rebasing: bytes[begin..<end]))
                    expected.append(UInt8(ascii: ","))
                    actual.appendQuoted(begin..<end, of: escaped)
                    actual.append(UInt8(ascii: ","))
                }
            }
        }
        #expect(actual.bytes == expected.bytes)
    }

    @Test("the C functions on the empty text")
    func emptyText() {
        var block = cbs_json_escape_block(escaped: 1, six: 1, extra_before: 9)
        #expect(cbs_json_escape_block_count(0) == 1)
        #expect(cbs_json_escape_scan_blocks(nil, 0, &block) == 0)
        var scratch = [UInt8](repeating: 0xEE, count: Int(CBS_JSON_ESCAPE_SLACK))
        #expect(scratch.withUnsafeMutableBufferPointer { cbs_json_escape_blocks($0.baseAddress, nil, 0, &block) } == 0)
        #expect(block.escaped == 0 && block.six == 0 && block.extra_before == 0)
        #expect(cbs_json_escaped_offset(&block, 0) == 0)
        #expect(Self.problems([]).isEmpty)
    }
}

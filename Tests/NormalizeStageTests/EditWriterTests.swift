import ClinPipeCore
import ClinPipeTestSupport
@testable import NormalizeStage
import Testing

/// The writer's memory-copy output buffer and its two-byte replacement give what plain array appends and the generic
/// replacement give, including output longer than the room reserved up front, empty sources and non-ASCII bytes.
@Suite struct EditWriterTests {
    /// A plain model of the writer: array appends and the generic comparison.
    struct PlainWriter {
        var output: [UInt8] = []
        var edits: [OffsetMap.Edit] = []
        var position = 0
        mutating func copy(upTo end: Int, from source: [UInt8]) {
            guard end > position else { return }
            output += source[position..<end]
            position = end
        }
        mutating func replace(upTo end: Int, with replacement: [UInt8], from source: [UInt8]) {
            if Array(source[position..<end]) == replacement { copy(upTo: end, from: source); return }
            let start = output.count
            output += replacement
            edits.append(OffsetMap.Edit(originalRange: position..<end, layerRange: start..<output.count))
            position = end
        }
    }

    @Test func operationsMatchThePlainModel() {
        var generator = SeededGenerator(seed: 11)
        let alphabet: [UInt8] = Array("ab\n\n \u{e9}\u{2013}".utf8)
        for round in 0..<2000 {
            let length = Int(generator.next() % 40)
            let source = (0..<length).map { _ in alphabet[Int(generator.next() % UInt64(alphabet.count))] }
            // Capacity 0 forces the buffer to grow (only 64 bytes of room) when paragraphs are inserted.
            let capacity = round % 2 == 0 ? 0 : source.count
            var plain = PlainWriter()
            let (output, edits, taken): ([UInt8], [OffsetMap.Edit], [UInt8]) = source.withUnsafeBufferPointer { bytes in
                var writer = EditWriter(capacity: capacity)
                var position = 0
                for _ in 0..<60 {
                    let end = min(source.count, position + Int(generator.next() % 4))
                    switch generator.next() % 5 {
                    case 0: writer.copy(upTo: end, from: bytes); plain.copy(upTo: end, from: source)
                    case 1: writer.replace(upTo: end, with: 0x0A, 0x0A, from: bytes); plain.replace(upTo: end, with: [0x0A, 0x0A], from: source)
                    case 2: writer.replace(upTo: end, with: 0x20, from: bytes); plain.replace(upTo: end, with: [0x20], from: source)
                    case 3: writer.replace(upTo: end, with: [0x61, 0x62, 0x0A], from: bytes); plain.replace(upTo: end, with: [0x61, 0x62, 0x0A], from: source)
                    default: writer.replace(upTo: end, with: [UInt8](), from: bytes); plain.replace(upTo: end, with: [], from: source)
                    }
                    position = end
                }
                let output = writer.output
                return (output, writer.edits, writer.takeOutput())
            }
            #expect(output == plain.output)
            #expect(taken == plain.output)
            #expect(edits == plain.edits)
        }
    }

    @Test func emptySourceGivesEmptyOutput() {
        let source: [UInt8] = []
        source.withUnsafeBufferPointer { bytes in
            var writer = EditWriter(capacity: 0)
            writer.copy(upTo: 0, from: bytes)
            #expect(writer.output.isEmpty)
            #expect(writer.takeOutput().isEmpty)
        }
    }
}

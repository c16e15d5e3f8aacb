import ClinPipeCore
import ClinPipeIO
import Foundation
import Testing

@Suite("OutputSink")
struct OutputSinkTests {
    /// What the sink writes for a sequence of arrays must be their plain concatenation, whatever their sizes
    /// (empty ones, more arrays than one `writev` takes, arrays larger than the capacity).
    @Test("writes held arrays in order, byte for byte", arguments: [64, 4096, 1 << 20])
    func concatenation(capacity: Int) throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let path = folder.url.appendingPathComponent("out.bin").path
        var generator = SplitMix64(seed: 7)
        var expected: [UInt8] = []
        do {
            let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
            #expect(fd >= 0)
            let sink = OutputSink(descriptor: fd, ownsDescriptor: true, capacity: capacity)
            for index in 0..<700 {
                let size = index % 97 == 0 ? 0 : Int(generator.next() % (index % 50 == 0 ? 200_000 : 3_000))
                let bytes = (0..<size).map { _ in UInt8(truncatingIfNeeded: generator.next()) }
                try sink.write(bytes)
                expected.append(contentsOf: bytes)
                if index == 350 { try sink.flush() }
            }
            try sink.flush()
            #expect(sink.bytesWritten == expected.count)
        }
        let written = try [UInt8](Data(contentsOf: URL(fileURLWithPath: path)))
        #expect(written == expected)
    }

    /// A write failure surfaces as a `SinkError`.
    @Test("reports a failed write")
    func failedWrite() throws {
        let sink = OutputSink(descriptor: -1, ownsDescriptor: false, capacity: 16)
        #expect(throws: SinkError.self) { try sink.write(Array(repeating: 65, count: 32)) }
    }
}

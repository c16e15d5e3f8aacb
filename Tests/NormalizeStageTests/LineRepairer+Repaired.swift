import ClinPipeCore
@testable import NormalizeStage

extension LineRepairer {
    /// The repair of `bytes` (UTF-8) as its output bytes and its edits, for tests that compare two ways to repair.
    func repaired(_ bytes: [UInt8]) throws -> (output: [UInt8], edits: [OffsetMap.Edit]) {
        try bytes.withUnsafeBufferPointer { buffer in
            var writer = EditWriter(capacity: buffer.count)
            try repair(buffer, into: &writer)
            return (writer.output, writer.edits)
        }
    }
}

/// Where a run's results go, one per input record, in input order.
///
/// The runner calls `prepare` on worker threads, concurrently (so it may only read immutable state), and `write`
/// one result at a time in input order, then `finish` once after the last record of a successful run.
public protocol ResultWriter: AnyObject, Sendable {
    /// Does the expensive part of writing (encoding) on a worker thread.
    func prepare(_ result: DocumentResult) -> PreparedResult
    /// Writes one prepared result.
    func write(_ prepared: PreparedResult) throws
    /// Writes everything still buffered and closes the output.
    func finish() throws
}

/// A result made ready for writing.
public enum PreparedResult: Sendable {
    /// Encoded bytes (JSONL, CSV).
    case bytes([UInt8])
    /// The result itself, for writers that store structures (SQLite, brat).
    case result(DocumentResult)
}

/// Writes encoded bytes (JSONL or CSV) to a byte sink.
public final class EncodedResultWriter: ResultWriter, @unchecked Sendable {
    public let encoder: any RecordEncoder
    private let sink: OutputSink
    private var wroteHeader = false

    public init(encoder: any RecordEncoder, sink: OutputSink) {
        self.encoder = encoder
        self.sink = sink
    }

    public func prepare(_ result: DocumentResult) -> PreparedResult { .bytes(encoder.encode(result)) }

    public func write(_ prepared: PreparedResult) throws {
        try writeHeaderOnce()
        switch prepared {
        case .bytes(let bytes): try sink.write(bytes)
        case .result(let result): try sink.write(encoder.encode(result))
        }
    }

    public func finish() throws {
        try writeHeaderOnce()
        try sink.flush()
    }

    private func writeHeaderOnce() throws {
        guard !wroteHeader else { return }
        wroteHeader = true
        let header = encoder.header
        if !header.isEmpty { try sink.write(header) }
    }
}

#if canImport(Glibc)
import Glibc
#endif

/// A buffered byte sink over a file descriptor: standard output or a file the user named.
public final class OutputSink {
    private let descriptor: Int32
    private let ownsDescriptor: Bool
    private var buffer: [UInt8] = []
    private let capacity: Int
    /// Bytes written so far.
    public private(set) var bytesWritten = 0

    /// Standard output.
    public static func standardOutput() -> OutputSink { OutputSink(descriptor: 1, ownsDescriptor: false) }

    /// Creates or truncates the file at `path`.
    /// - Throws: `SinkError` when it cannot be opened.
    public convenience init(path: String) throws {
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw SinkError("cannot open \(path) for writing: \(String(cString: strerror(errno)))") }
        self.init(descriptor: fd, ownsDescriptor: true)
    }

    public init(descriptor: Int32, ownsDescriptor: Bool, capacity: Int = 1 << 20) {
        self.descriptor = descriptor
        self.ownsDescriptor = ownsDescriptor
        self.capacity = capacity
        buffer.reserveCapacity(capacity)
    }

    deinit {
        try? flush()
        if ownsDescriptor { close(descriptor) }
    }

    /// Appends bytes, writing through when the buffer fills.
    public func write(_ bytes: [UInt8]) throws {
        buffer.append(contentsOf: bytes)
        if buffer.count >= capacity { try flush() }
    }

    /// Writes everything buffered.
    public func flush() throws {
        var offset = 0
        while offset < buffer.count {
            let written = buffer.withUnsafeBytes { raw in
                Glibc.write(descriptor, raw.baseAddress! + offset, raw.count - offset)
            }
            if written < 0 {
                if errno == EINTR { continue }
                let reason = String(cString: strerror(errno))
                buffer.removeAll(keepingCapacity: true)
                throw SinkError("write failed: \(reason)")
            }
            offset += written
        }
        bytesWritten += buffer.count
        buffer.removeAll(keepingCapacity: true)
    }
}

/// A failure to write output: fatal for the run.
public struct SinkError: Error, Sendable, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}

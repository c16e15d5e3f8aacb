#if canImport(Glibc)
import Glibc
#endif

/// A buffered byte sink over a file descriptor: standard output or a file the user named.
///
/// Written byte arrays are not copied: the sink keeps them (an array is a reference to its storage) and hands them
/// to the kernel together with one `writev` once `capacity` bytes or `maximumHeld` arrays are held. An encoded
/// record (tens of kilobytes of JSON) thus reaches the kernel without a copy into a staging buffer.
public final class OutputSink {
    private let descriptor: Int32
    private let ownsDescriptor: Bool
    /// Arrays written but not yet passed to the kernel, in order.
    private var held: [[UInt8]] = []
    /// Bytes in `held`.
    private var heldBytes = 0
    private let capacity: Int
    /// Bytes written so far.
    public private(set) var bytesWritten = 0

    /// At most this many arrays are held (and passed to one `writev`), whatever their size; below `IOV_MAX`.
    static let maximumHeld = 128

    /// Standard output.
    public static func standardOutput() -> OutputSink { OutputSink(descriptor: 1, ownsDescriptor: false) }

    /// Creates or truncates the file at `path`.
    /// - Throws: `SinkError` when it cannot be opened.
    public convenience init(path: String) throws {
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw SinkError("cannot open \(path) for writing: \(String(cString: strerror(errno)))") }
        self.init(descriptor: fd, ownsDescriptor: true)
    }

    /// A sink that passes what it holds to the kernel once `capacity` bytes are held.
    public init(descriptor: Int32, ownsDescriptor: Bool, capacity: Int = 1 << 20) {
        self.descriptor = descriptor
        self.ownsDescriptor = ownsDescriptor
        self.capacity = capacity
        held.reserveCapacity(Self.maximumHeld)
    }

    deinit {
        try? flush()
        if ownsDescriptor { close(descriptor) }
    }

    /// Appends bytes (kept, not copied), writing through when `capacity` bytes or `maximumHeld` arrays are held.
    public func write(_ bytes: [UInt8]) throws {
        guard !bytes.isEmpty else { return }
        held.append(bytes)
        heldBytes += bytes.count
        if heldBytes >= capacity || held.count >= Self.maximumHeld { try flush() }
    }

    /// Writes everything held, in order.
    public func flush() throws {
        defer {
            held.removeAll(keepingCapacity: true)
            heldBytes = 0
        }
        guard !held.isEmpty else { return }
        var iovecs: [iovec] = []
        iovecs.reserveCapacity(held.count)
        try withBytes(of: held[...], collecting: &iovecs) { try writeAll(&$0) }
        bytesWritten += heldBytes
    }

    /// Calls `body` with `vectors` extended by the storage of each array of `arrays` (valid during the call: each
    /// array's storage is entered in turn, one nesting level per array).
    private func withBytes(of arrays: ArraySlice<[UInt8]>, collecting vectors: inout [iovec],
                           _ body: (inout [iovec]) throws -> Void) throws
    {
        guard let first = arrays.first else { return try body(&vectors) }
        try first.withUnsafeBytes { raw in
            vectors.append(iovec(iov_base: UnsafeMutableRawPointer(mutating: raw.baseAddress), iov_len: raw.count))
            try withBytes(of: arrays.dropFirst(), collecting: &vectors, body)
        }
    }

    /// Writes every byte the vectors describe, resuming after short writes and interrupts.
    private func writeAll(_ vectors: inout [iovec]) throws {
        var next = 0
        while next < vectors.count {
            let written = vectors.withUnsafeBufferPointer { all in
                writev(descriptor, all.baseAddress! + next, Int32(all.count - next))
            }
            if written < 0 {
                if errno == EINTR { continue }
                throw SinkError("write failed: \(String(cString: strerror(errno)))")
            }
            var remaining = written
            while next < vectors.count && remaining >= vectors[next].iov_len {
                remaining -= vectors[next].iov_len
                next += 1
            }
            if remaining > 0 {
                vectors[next].iov_base = vectors[next].iov_base.map { $0 + remaining }
                vectors[next].iov_len -= remaining
            }
        }
    }
}

/// A failure to write output: fatal for the run.
public struct SinkError: Error, Sendable, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}

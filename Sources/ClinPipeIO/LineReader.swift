#if canImport(Glibc)
import Glibc
#endif

/// Reads lines (split on `\n`, a trailing `\r` removed) from a file descriptor with a large buffer, so that a
/// JSONL file of any size streams in constant memory (plus the longest line).
public final class LineReader {
    private let descriptor: Int32
    private let ownsDescriptor: Bool
    private var buffer: [UInt8] = []
    private var start = 0
    /// Bytes of `buffer` from `start` up to here hold no line break (so a long line is searched once).
    private var searched = 0
    private var finished = false
    private let chunkSize: Int
    /// Keep a `\r` before `\n` in the returned line (the CSV reader needs it inside quoted fields).
    var keepsCarriageReturn = false

    /// Opens `path` for reading.
    /// - Throws: `SourceError.unreadable` when it cannot be opened.
    public convenience init(path: String, chunkSize: Int = 1 << 20) throws {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw SourceError.unreadable(path, String(cString: strerror(errno))) }
        self.init(descriptor: fd, ownsDescriptor: true, chunkSize: chunkSize)
    }

    /// Reads from an open descriptor (standard input is 0).
    public init(descriptor: Int32, ownsDescriptor: Bool = false, chunkSize: Int = 1 << 20) {
        self.descriptor = descriptor
        self.ownsDescriptor = ownsDescriptor
        self.chunkSize = chunkSize
    }

    deinit { if ownsDescriptor { close(descriptor) } }

    /// The next line's bytes without its terminator, or nil at the end. A final line without `\n` is returned.
    public func nextLine() throws -> ArraySlice<UInt8>? {
        while true {
            let from = max(start, searched)
            let found = buffer.withUnsafeBufferPointer { bytes -> Int? in
                guard from < bytes.count, let base = bytes.baseAddress,
                      let hit = memchr(base + from, 0x0A, bytes.count - from) else { return nil }
                return UnsafeRawPointer(hit) - UnsafeRawPointer(base)
            }
            searched = found.map { $0 + 1 } ?? buffer.count
            if let newline = found {
                var line = buffer[start..<newline]
                start = newline + 1
                if line.last == 0x0D && !keepsCarriageReturn { line = line.dropLast() }
                return line
            }
            if finished {
                guard start < buffer.count else { return nil }
                var line = buffer[start...]
                start = buffer.count
                if line.last == 0x0D && !keepsCarriageReturn { line = line.dropLast() }
                return line
            }
            try fill()
        }
    }

    private func fill() throws {
        if start > 0 {
            buffer.removeSubrange(0..<start)
            searched -= start
            start = 0
        }
        let oldCount = buffer.count
        buffer.reserveCapacity(oldCount + chunkSize)
        buffer.append(contentsOf: repeatElement(0, count: chunkSize))
        var got = 0
        while true {
            got = buffer.withUnsafeMutableBytes { raw in
                read(descriptor, raw.baseAddress! + oldCount, chunkSize)
            }
            if got < 0 && errno == EINTR { continue }
            break
        }
        if got < 0 {
            buffer.removeSubrange(oldCount...)
            throw SourceError.readFailed(String(cString: strerror(errno)))
        }
        buffer.removeSubrange((oldCount + got)...)
        if got == 0 { finished = true }
    }
}

/// Problems with a whole source: fatal for the run (the user named something that cannot be read).
public enum SourceError: Error, Sendable, CustomStringConvertible {
    case unreadable(String, String)
    case readFailed(String)
    case badArgument(String)

    public var description: String {
        switch self {
        case .unreadable(let path, let reason): "cannot read \(path): \(reason)"
        case .readFailed(let reason): "read failed: \(reason)"
        case .badArgument(let message): message
        }
    }
}

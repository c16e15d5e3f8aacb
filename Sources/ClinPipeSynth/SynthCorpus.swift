import ClinPipeCore
import Foundation
import Synchronization

/// A deterministic corpus of synthetic IMR letters: letter `i` of seed `s` is always the same text and key,
/// whatever the number of letters asked for and however many threads write them.
public struct SynthCorpus: Sendable {
    public let seed: UInt64

    public init(seed: UInt64) { self.seed = seed }

    /// The id of letter `index` (0-based): `synth-0000001` for the first.
    public static func id(for index: Int) -> String {
        let number = String(index + 1)
        return "synth-" + String(repeating: "0", count: max(0, 7 - number.count)) + number
    }

    /// Letter `index` (0-based).
    public func letter(at index: Int) -> SynthLetter {
        var generator = LetterGenerator(vocabulary: .embedded, seed: seed, index: index)
        return generator.makeLetter(id: Self.id(for: index))
    }

    /// Where a corpus goes.
    public enum Destination: Sendable {
        /// One JSON Lines file (`{"id", "text"}` per line); the key goes to `FILE.key.jsonl` beside it.
        case jsonl(String)
        /// A folder of `<id>.txt` files; the key goes to `key.jsonl` inside it.
        case folder(String)

        /// A path ending in `.jsonl` is a JSON Lines file, anything else a folder.
        public init(path: String) {
            self = path.hasSuffix(".jsonl") || path.hasSuffix(".ndjson") ? .jsonl(path) : .folder(path)
        }

        /// The key file that goes with this destination.
        public var keyPath: String {
            switch self {
            case .jsonl(let path):
                let stem = path.hasSuffix(".jsonl") ? String(path.dropLast(6)) : String(path.dropLast(7))
                return stem + ".key.jsonl"
            case .folder(let path): return (path as NSString).appendingPathComponent("key.jsonl")
            }
        }
    }

    /// What was written.
    public struct Summary: Sendable {
        public var letters = 0
        /// UTF-8 bytes of letter text (not counting JSON escaping).
        public var textBytes = 0
        /// Bytes written to the corpus file(s).
        public var corpusBytes = 0
        public var keyPath: String?
    }

    /// Writes `count` letters (indexes `0..<count`) to `destination`.
    /// - Parameters:
    ///   - writeKey: also write the answer key.
    ///   - jobs: threads generating letters (the output is the same for any number).
    ///   - progress: called after each batch with the letters written so far.
    /// - Throws: `KeyFileError` when a file cannot be created or written.
    public func write(count: Int, to destination: Destination, writeKey: Bool = true, jobs: Int = 1,
                      progress: ((Int) -> Void)? = nil) throws -> Summary
    {
        var summary = Summary()
        let corpusFile: BufferedFile?
        switch destination {
        case .jsonl(let path):
            corpusFile = try BufferedFile(path: path)
        case .folder(let path):
            do { try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true) } catch {
                throw KeyFileError("cannot create folder \(path): \(error.localizedDescription)")
            }
            corpusFile = nil
        }
        let keyFile = writeKey ? try BufferedFile(path: destination.keyPath) : nil
        if writeKey { summary.keyPath = destination.keyPath }

        let batch = max(1, jobs) * 32
        var start = 0
        while start < count {
            let end = min(count, start + batch)
            let batchStart = start
            let results = Mutex<[(Int, [UInt8], [UInt8], Int, String)]>([])
            DispatchQueue.concurrentPerform(iterations: max(1, jobs)) { worker in
                var local: [(Int, [UInt8], [UInt8], Int, String)] = []
                var index = batchStart + worker
                while index < end {
                    let letter = self.letter(at: index)
                    var record: [UInt8] = []
                    switch destination {
                    case .jsonl:
                        var line = JSONBuffer(capacity: letter.text.utf8.count + 128)
                        line.append(#"{"id":"#)
                        line.appendQuoted(letter.id)
                        line.append(#","text":"#)
                        line.appendQuoted(letter.text)
                        line.append("}\n")
                        record = line.bytes
                    case .folder:
                        record = Array(letter.text.utf8)
                    }
                    let key = writeKey ? Array((letter.key.json(text: letter.text).serialized() + "\n").utf8) : []
                    local.append((index, record, key, letter.text.utf8.count, letter.id))
                    index += max(1, jobs)
                }
                results.withLock { $0 += local }
            }
            for (_, record, key, textBytes, id) in results.withLock({ $0 }).sorted(by: { $0.0 < $1.0 }) {
                if let corpusFile {
                    try corpusFile.write(record)
                } else if case .folder(let path) = destination {
                    let file = (path as NSString).appendingPathComponent(id + ".txt")
                    guard FileManager.default.createFile(atPath: file, contents: Data(record)) else {
                        throw KeyFileError("cannot write \(file)")
                    }
                }
                try keyFile?.write(key)
                summary.letters += 1
                summary.textBytes += textBytes
                summary.corpusBytes += record.count
            }
            progress?(end)
            start = end
        }
        try corpusFile?.close()
        try keyFile?.close()
        return summary
    }
}

/// A file written through a large buffer.
final class BufferedFile {
    private let handle: FileHandle
    private var buffer: [UInt8] = []
    private let path: String

    init(path: String) throws {
        self.path = path
        guard FileManager.default.createFile(atPath: path, contents: nil), let handle = FileHandle(forWritingAtPath: path) else {
            throw KeyFileError("cannot create \(path)")
        }
        self.handle = handle
        buffer.reserveCapacity(1 << 22)
    }

    func write(_ bytes: [UInt8]) throws {
        buffer += bytes
        if buffer.count >= 1 << 22 { try flush() }
    }

    func flush() throws {
        guard !buffer.isEmpty else { return }
        do { try handle.write(contentsOf: buffer) } catch {
            throw KeyFileError("cannot write \(path): \(error.localizedDescription)")
        }
        buffer.removeAll(keepingCapacity: true)
    }

    func close() throws {
        try flush()
        try handle.close()
    }
}

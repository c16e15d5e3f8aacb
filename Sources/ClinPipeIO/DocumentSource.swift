import Foundation

/// A stream of input records. `next()` is called from one thread at a time (the runner serializes it).
///
/// A record that cannot become a document (bad JSON, invalid UTF-8, an empty file) is returned as a failed
/// `SourceRecord`, never thrown: the run goes on. `next()` throws only when the source as a whole fails.
public protocol DocumentSource: AnyObject {
    func next() throws -> SourceRecord?
}

/// Reads several sources one after another.
public final class ConcatenatedSource: DocumentSource {
    private var sources: [DocumentSource]
    public init(_ sources: [DocumentSource]) { self.sources = sources }

    public func next() throws -> SourceRecord? {
        while let first = sources.first {
            if let record = try first.next() { return record }
            sources.removeFirst()
        }
        return nil
    }
}

/// Documents held in memory (for tests and embedding).
public final class ArraySource: DocumentSource {
    private var records: [SourceRecord]
    private var index = 0
    public init(_ records: [SourceRecord]) { self.records = records }
    public convenience init(documents: [InputDocument]) {
        self.init(documents.map { SourceRecord(id: $0.id, content: .success($0)) })
    }

    public func next() throws -> SourceRecord? {
        guard index < records.count else { return nil }
        defer { index += 1 }
        return records[index]
    }
}

/// Options shared by the sources.
public struct SourceOptions: Sendable {
    /// Documents larger than this many bytes become error records.
    public var maximumDocumentBytes = TextDecoding.defaultMaximumBytes
    /// CSV: the column holding the id.
    public var idColumn = "id"
    /// CSV: the column holding the text.
    public var textColumn = "text"
    /// Folders: read `.pdf` files too, through poppler's `pdftotext`.
    public var readPDF = false
    public init() {}
}

extension SourceOptions {
    /// Opens an input path the way `clinpipe run` does: `-` is JSONL on standard input, a folder is read for
    /// `.txt` files recursively, `.jsonl`/`.ndjson`/`.json` files are JSONL, `.csv` files are CSV, any other file
    /// is one text document (a `.pdf` file through `pdftotext`).
    public func openSource(_ path: String) throws -> DocumentSource {
        if path == "-" { return JSONLSource(reader: LineReader(descriptor: 0), name: "stdin") }
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw SourceError.unreadable(path, "no such file or folder")
        }
        if isDirectory.boolValue { return try FolderSource(root: URL(fileURLWithPath: path), options: self) }
        switch URL(fileURLWithPath: path).pathExtension.lowercased() {
        case "jsonl", "ndjson", "json": return JSONLSource(reader: try LineReader(path: path), name: path)
        case "csv": return try CSVSource(path: path, options: self)
        default: return FileListSource(files: [(URL(fileURLWithPath: path), URL(fileURLWithPath: path).deletingPathExtension().lastPathComponent)], options: self)
        }
    }
}

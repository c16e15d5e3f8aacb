import Foundation

/// Every `.txt` file (and `.pdf` file, when `SourceOptions.readPDF` is on) under a folder, recursively, in sorted
/// path order. A document's id is its path relative to the folder without the extension (`imr-seeds/000_ccb6`).
public final class FolderSource: DocumentSource {
    private let files: FileListSource

    public init(root: URL, options: SourceOptions = SourceOptions(), extensions: Set<String>? = nil) throws {
        let extensions = extensions ?? (options.readPDF ? ["txt", "pdf"] : ["txt"])
        let rootPath = root.standardizedFileURL.resolvingSymlinksInPath().path
        guard let enumerator = FileManager.default.enumerator(atPath: rootPath) else {
            throw SourceError.unreadable(root.path, "cannot list folder")
        }
        var relative: [String] = []
        while let item = enumerator.nextObject() as? String {
            let ext = (item as NSString).pathExtension.lowercased()
            guard extensions.contains(ext) else { continue }
            var isDirectory: ObjCBool = false
            let full = rootPath + "/" + item
            if FileManager.default.fileExists(atPath: full, isDirectory: &isDirectory), !isDirectory.boolValue {
                relative.append(item)
            }
        }
        relative.sort()
        files = FileListSource(
            files: relative.map { (URL(fileURLWithPath: rootPath + "/" + $0), ($0 as NSString).deletingPathExtension) },
            options: options)
    }

    public func next() throws -> SourceRecord? { try files.next() }
}

/// A list of files, each one document (`.pdf` files through `pdftotext`).
public final class FileListSource: DocumentSource {
    private let files: [(url: URL, id: String)]
    private let options: SourceOptions
    private var index = 0

    public init(files: [(URL, String)], options: SourceOptions) {
        self.files = files.map { (url: $0.0, id: $0.1) }
        self.options = options
    }

    public func next() throws -> SourceRecord? {
        guard index < files.count else { return nil }
        let (url, id) = files[index]
        index += 1
        if url.pathExtension.lowercased() == "pdf" {
            return SourceRecord(id: id, content: PDFText.extract(url, maximumBytes: options.maximumDocumentBytes)
                .map { InputDocument(id: id, text: $0) })
        }
        let data: Data
        do {
            // Check the size first so that a huge file is refused without reading it.
            let size = (try FileManager.default.attributesOfItem(atPath: url.path)[.size] as? NSNumber)?.intValue ?? 0
            if size > options.maximumDocumentBytes {
                return .failure(id: id, "document of \(size) bytes exceeds the limit of \(options.maximumDocumentBytes) bytes")
            }
            data = try Data(contentsOf: url)
        } catch {
            return .failure(id: id, "cannot read file: \((error as NSError).localizedDescription)")
        }
        switch TextDecoding.decode(data, maximumBytes: options.maximumDocumentBytes) {
        case .success(let text): return SourceRecord(id: id, content: .success(InputDocument(id: id, text: text)))
        case .failure(let error): return SourceRecord(id: id, content: .failure(error))
        }
    }
}

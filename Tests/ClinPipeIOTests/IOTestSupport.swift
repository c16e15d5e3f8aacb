import ClinPipeIO
import Foundation

/// A fresh temporary folder; the test removes it with `remove()`.
struct TemporaryFolder {
    let url: URL

    init() throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("clinpipe-io-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    /// Writes `bytes` at `relativePath`, creating folders on the way; returns the file's path.
    @discardableResult
    func write(_ relativePath: String, _ bytes: [UInt8]) throws -> String {
        let file = url.appendingPathComponent(relativePath)
        try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(bytes).write(to: file)
        return file.path
    }

    @discardableResult
    func write(_ relativePath: String, _ text: String) throws -> String { try write(relativePath, Array(text.utf8)) }

    func remove() { try? FileManager.default.removeItem(at: url) }
}

/// Every record of a source.
func drain(_ source: DocumentSource) throws -> [SourceRecord] {
    var records: [SourceRecord] = []
    while let record = try source.next() { records.append(record) }
    return records
}

extension SourceRecord {
    var document: InputDocument? { if case .success(let document) = content { document } else { nil } }
    var error: String? { if case .failure(let error) = content { error.message } else { nil } }
}

import Foundation
import ClinPipeCore

/// What the pipeline made of one input record: the processed document, or an error with the record's id.
/// Exactly one result is written per input record.
public enum DocumentResult: Sendable {
    case document(Document)
    case error(id: String, message: String)

    public var id: String {
        switch self {
        case .document(let document): document.id
        case .error(let id, _): id
        }
    }
}

/// The output formats of `clinpipe run`.
public enum OutputFormat: String, Sendable, CaseIterable, Codable {
    /// One JSON object per line and document.
    case jsonl
    /// One row per annotation, with a header row.
    case csv
    /// A SQLite database (module ClinPipeSQLite); needs a file path.
    case sqlite
    /// brat standoff files, one `.txt` and `.ann` per document; needs a folder.
    case brat

    /// The format a file name suggests (`.sqlite`, `.db`, `.csv`, `.jsonl`), if any.
    public static func inferred(from path: String) -> OutputFormat? {
        switch URL(fileURLWithPath: path).pathExtension.lowercased() {
        case "sqlite", "sqlite3", "db": .sqlite
        case "csv": .csv
        case "jsonl", "ndjson", "json": .jsonl
        default: nil
        }
    }
}

/// Encodes results as bytes of one output format. Encoding happens on worker threads; the runner writes the bytes
/// in input order.
public protocol RecordEncoder: Sendable {
    /// Bytes written once before the first record (a CSV header), if any.
    var header: [UInt8] { get }
    /// The bytes of one record, ending with a newline.
    func encode(_ result: DocumentResult) -> [UInt8]
}

extension OutputFormat {
    /// The byte encoder for this format, with offsets in `unit` (nil for formats that are not byte streams).
    public func makeEncoder(offsets unit: OffsetUnit) -> (any RecordEncoder)? {
        switch self {
        case .jsonl: JSONLEncoder(unit: unit)
        case .csv: CSVEncoder(unit: unit)
        case .sqlite, .brat: nil
        }
    }
}

/// Output offsets for every annotation of a document (see `OutputOffsets`).
struct ConvertedOffsets {
    let begins: [Int]
    let ends: [Int]

    init(_ document: Document, unit: OffsetUnit) {
        let annotations = document.annotations
        (begins, ends) = document.text.withUTF8Bytes { text in
            let offsets = OutputOffsets(text: text, unit: unit)
            if offsets.isIdentity {
                return (annotations.map(\.range.lowerBound), annotations.map(\.range.upperBound))
            }
            return (annotations.map { offsets.convert($0.range.lowerBound, in: text) },
                    annotations.map { offsets.convert($0.range.upperBound, in: text) })
        }
    }
}

import Foundation

/// A CSV file (RFC 4180: quoted fields may hold commas, quotes and line breaks) with a header row naming an id
/// column and a text column (`SourceOptions.idColumn`, `textColumn`). Other columns become document attributes.
/// A row with a different number of fields than the header becomes an error record. Streams: one record at a
/// time, whatever the file's size.
public final class CSVSource: DocumentSource {
    private let reader: CSVRecordReader
    private let options: SourceOptions
    private let header: [String]
    private let idIndex: Int
    private let textIndex: Int
    private let name: String

    public init(path: String, options: SourceOptions) throws {
        let reader = try CSVRecordReader(path: path)
        guard let header = try reader.nextRecord()?.fields else {
            throw SourceError.badArgument("\(path): empty CSV file (no header row)")
        }
        guard let textIndex = header.firstIndex(of: options.textColumn) else {
            throw SourceError.badArgument("\(path): no column named '\(options.textColumn)' (columns: \(header.joined(separator: ", "))); choose one with --text-column")
        }
        guard let idIndex = header.firstIndex(of: options.idColumn) else {
            throw SourceError.badArgument("\(path): no column named '\(options.idColumn)' (columns: \(header.joined(separator: ", "))); choose one with --id-column")
        }
        self.reader = reader
        self.options = options
        self.header = header
        self.idIndex = idIndex
        self.textIndex = textIndex
        self.name = path
    }

    public func next() throws -> SourceRecord? {
        guard let record = try reader.nextRecord() else { return nil }
        let fallbackID = "\(name):\(record.line)"
        if let problem = record.problem { return .failure(id: fallbackID, problem) }
        let fields = record.fields
        guard fields.count == header.count else {
            let id = idIndex < fields.count && !fields[idIndex].isEmpty ? fields[idIndex] : fallbackID
            return .failure(id: id, "row has \(fields.count) fields but the header has \(header.count)")
        }
        let id = fields[idIndex].isEmpty ? fallbackID : fields[idIndex]
        switch TextDecoding.decode(fields[textIndex].utf8, maximumBytes: options.maximumDocumentBytes) {
        case .failure(let error): return SourceRecord(id: id, content: .failure(error))
        case .success(let text):
            var document = InputDocument(id: id, text: text)
            for (index, column) in header.enumerated() where index != idIndex && index != textIndex {
                document.attributes[column] = .string(fields[index])
            }
            return SourceRecord(id: id, content: .success(document))
        }
    }
}

/// Splits CSV bytes into records (RFC 4180), streaming.
public final class CSVRecordReader {
    public struct Record: Sendable {
        public var fields: [String]
        /// Line where the record starts (1-based).
        public var line: Int
        /// Why the record could not be read (an unterminated quote, invalid UTF-8), if so.
        public var problem: String?
    }

    private let lines: LineReader
    private var lineNumber = 0

    public init(path: String) throws {
        lines = try LineReader(path: path)
        // A CRLF inside a quoted field is text; the reader drops the record's own trailing CR below.
        lines.keepsCarriageReturn = true
    }

    public func nextRecord() throws -> Record? {
        guard var line = try lines.nextLine() else { return nil }
        lineNumber += 1
        // A UTF-8 byte order mark (spreadsheet exports) is not part of the first column's name.
        if lineNumber == 1 && line.starts(with: [0xEF, 0xBB, 0xBF]) { line = line.dropFirst(3) }
        let startLine = lineNumber
        var fields: [String] = []
        var field: [UInt8] = []
        var inQuotes = false
        var fieldStarted = false
        var index = line.startIndex
        while true {
            if index == line.endIndex {
                if inQuotes {
                    // A quoted field continues on the next line.
                    guard let more = try lines.nextLine() else {
                        return Record(fields: [], line: startLine, problem: "unterminated quoted field")
                    }
                    lineNumber += 1
                    field.append(0x0A)
                    line = more
                    index = line.startIndex
                    continue
                }
                // The record ends: its line break is CRLF or LF, and the CR is not part of the last field.
                if line.last == 0x0D && field.last == 0x0D { field.removeLast() }
                break
            }
            let byte = line[index]
            if inQuotes {
                if byte == 0x22 {
                    let next = line.index(after: index)
                    if next < line.endIndex && line[next] == 0x22 {
                        field.append(0x22)
                        index = line.index(after: next)
                        continue
                    }
                    inQuotes = false
                } else {
                    field.append(byte)
                }
            } else if byte == 0x2C {
                fields.append(Self.string(field))
                field.removeAll(keepingCapacity: true)
                fieldStarted = false
            } else if byte == 0x22 && !fieldStarted && field.isEmpty {
                inQuotes = true
                fieldStarted = true
            } else {
                field.append(byte)
                fieldStarted = true
            }
            index = line.index(after: index)
        }
        fields.append(Self.string(field))
        if let bad = fields.firstIndex(where: { $0 == Self.invalidMarker }) {
            return Record(fields: [], line: startLine, problem: "invalid UTF-8 in field \(bad + 1)")
        }
        return Record(fields: fields, line: startLine, problem: nil)
    }

    private static let invalidMarker = "\u{FFFF}invalid-utf8\u{FFFF}"

    private static func string(_ bytes: [UInt8]) -> String {
        String(validating: bytes, as: UTF8.self) ?? invalidMarker
    }
}

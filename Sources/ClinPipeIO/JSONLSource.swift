import CByteScan
import ClinPipeCore
import Foundation

/// JSON Lines: one document per line,
/// `{"id": "...", "text": "...", "annotations": [{"type": "...", "begin": 0, "end": 4}], ...}`.
///
/// `id` may be a string or a number. Other top-level fields become document attributes (kept in the output).
/// `annotations` offsets are in the run's offset unit. Every line yields one record: a line that is not valid
/// JSON, not an object, lacks a text, or is blank becomes an error record whose id is the document's id when it
/// could be read, else `NAME:LINE`.
public final class JSONLSource: DocumentSource {
    private let reader: LineReader
    private let name: String
    private var lineNumber = 0
    private let maximumBytes: Int

    public init(reader: LineReader, name: String, maximumDocumentBytes: Int = TextDecoding.defaultMaximumBytes) {
        self.reader = reader
        self.name = name
        self.maximumBytes = maximumDocumentBytes
    }

    public func next() throws -> SourceRecord? {
        guard let line = try reader.nextLine() else { return nil }
        lineNumber += 1
        let fallbackID = "\(name):\(lineNumber)"
        let bytes = Array(line)
        let maximumBytes = self.maximumBytes
        // Parsing runs on the worker that processes the record, not under the source's lock.
        return .deferred(placeholderID: fallbackID) { Self.parse(bytes, fallbackID: fallbackID, maximumBytes: maximumBytes) }
    }

    /// One line as a record.
    static func parse(_ line: [UInt8], fallbackID: String, maximumBytes: Int) -> SourceRecord {
        if line.allSatisfy({ $0 == 0x20 || $0 == 0x09 }) {
            return .failure(id: fallbackID, "blank line")
        }
        if line.count > maximumBytes + 4096 {
            return .failure(id: fallbackID, "line of \(line.count) bytes exceeds the document limit of \(maximumBytes) bytes")
        }
        // An ASCII line (most lines: letters in English) is valid UTF-8 without further checking; any other is checked
        // without being copied into a string (`UTF8Validation`).
        let ascii = line.withUnsafeBufferPointer { cbs_is_ascii($0.baseAddress, $0.count) != 0 }
        if !ascii && !line.withUnsafeBufferPointer({ UTF8Validation.isValid($0) }) {
            return .failure(id: fallbackID, "invalid UTF-8 at byte offset \(TextDecoding.firstInvalidOffset(line)) of the line")
        }
        // The common shape ({"id", "text"} only) without Foundation; anything else takes the general path below.
        if let fields = line.withUnsafeBufferPointer({ FastJSONRecord.parse($0) }) {
            let id = fields.id ?? fallbackID
            guard let text = fields.text else {
                return .failure(id: id, fields.id == nil ? "no \"id\" and no \"text\" field" : "no \"text\" string field")
            }
            if let problem = TextDecoding.problem(with: text, maximumBytes: maximumBytes) {
                return SourceRecord(id: id, content: .failure(problem))
            }
            return SourceRecord(id: id, content: .success(InputDocument(id: id, text: text, attributes: Attributes(), annotations: [])))
        }
        let record: Record
        do {
            record = try JSONDecoder().decode(Record.self, from: Data(line))
        } catch let error as RecordError {
            return .failure(id: fallbackID, error.message)
        } catch {
            return .failure(id: fallbackID, "malformed JSON line")
        }
        let id = record.id ?? fallbackID
        guard let text = record.text else {
            return .failure(id: id, record.id == nil ? "no \"id\" and no \"text\" field" : "no \"text\" string field")
        }
        if let problem = record.problem { return .failure(id: id, problem) }
        if let problem = TextDecoding.problem(with: text, maximumBytes: maximumBytes) {
            return SourceRecord(id: id, content: .failure(problem))
        }
        return SourceRecord(id: id, content: .success(InputDocument(
            id: id, text: text, attributes: record.attributes, annotations: record.annotations)))
    }

    /// A decoded line; field problems are collected instead of thrown so the id survives them.
    struct Record: Decodable {
        var id: String?
        var text: String?
        var annotations: [InputAnnotation] = []
        var attributes = Attributes()
        var problem: String?

        init(from decoder: Decoder) throws {
            guard let container = try? decoder.container(keyedBy: DynamicKey.self) else {
                throw RecordError("line is JSON but not an object")
            }
            for key in container.allKeys.sorted(by: { $0.stringValue < $1.stringValue }) {
                switch key.stringValue {
                case "id":
                    if let string = try? container.decode(String.self, forKey: key) { id = string }
                    else if let number = try? container.decode(Int.self, forKey: key) { id = String(number) }
                    else { problem = problem ?? "\"id\" must be a string or an integer" }
                case "text":
                    text = try? container.decode(String.self, forKey: key)
                case "annotations":
                    do {
                        annotations = try container.decode([AnnotationRecord].self, forKey: key).map(\.annotation)
                    } catch {
                        problem = problem ?? "\"annotations\" must be a list of {\"type\": string, \"begin\": int, \"end\": int}"
                    }
                default:
                    if let value = try? container.decode(JSONValue.self, forKey: key) {
                        attributes[key.stringValue] = AttributeValue(value)
                    }
                }
            }
        }
    }

    struct AnnotationRecord: Decodable {
        var type: String
        var begin: Int
        var end: Int
        var attributes: JSONValue?

        var annotation: InputAnnotation {
            var converted = Attributes()
            if case .object(let pairs)? = attributes {
                for (key, value) in pairs { converted[key] = AttributeValue(value) }
            }
            return InputAnnotation(type: type, begin: begin, end: end, attributes: converted)
        }
    }

    struct DynamicKey: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init?(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }
}

import ClinPipeCore
import Foundation

/// Writes a run as brat standoff files for review in the brat annotation tool: for each document `ID`,
/// `DIR/ID.txt` (the original text, unchanged) and `DIR/ID.ann` (text-bound annotations `T<n>`, offsets in Unicode
/// code points, which is what brat counts). Ids containing `/` become subfolders.
///
/// brat spans cannot cross line breaks, so a span that does is written as discontinuous fragments
/// (`begin end;begin end`) split at line breaks. Type names keep only letters, digits, `-` and `_` (`spine.level`
/// becomes `spine-level`). Attributes are written as an `AnnotatorNotes` line with their JSON. Error records go to
/// `DIR/errors.tsv` (id, message).
public final class BratResultWriter: ResultWriter, @unchecked Sendable {
    private let directory: URL
    private var errors: [String] = []

    public init(directory: String) throws {
        self.directory = URL(fileURLWithPath: directory)
        do {
            try FileManager.default.createDirectory(at: self.directory, withIntermediateDirectories: true)
        } catch {
            throw SinkError("cannot create folder \(directory): \(error.localizedDescription)")
        }
    }

    public func prepare(_ result: DocumentResult) -> PreparedResult { .result(result) }

    public func write(_ prepared: PreparedResult) throws {
        switch prepared {
        case .result(.error(let id, let message)):
            errors.append("\(id.replacingOccurrences(of: "\t", with: " "))\t\(message.replacingOccurrences(of: "\n", with: " "))")
        case .result(.document(let document)):
            try write(id: document.id, text: document.text, ann: Self.annotationFile(document))
        case .bytes:
            throw SinkError("brat output needs the document")
        }
    }

    public func finish() throws {
        let header = "id\tmessage\n"
        let body = errors.isEmpty ? "" : errors.joined(separator: "\n") + "\n"
        try write(Data((header + body).utf8), to: directory.appendingPathComponent("errors.tsv"))
    }

    private func write(id: String, text: String, ann: String) throws {
        let safe = id.split(separator: "/").filter { $0 != ".." && $0 != "." && !$0.isEmpty }.joined(separator: "/")
        let base = directory.appendingPathComponent(safe.isEmpty ? "document" : safe)
        try FileManager.default.createDirectory(at: base.deletingLastPathComponent(), withIntermediateDirectories: true)
        try write(Data(text.utf8), to: base.appendingPathExtension("txt"))
        try write(Data(ann.utf8), to: base.appendingPathExtension("ann"))
    }

    private func write(_ data: Data, to url: URL) throws {
        do { try data.write(to: url) } catch { throw SinkError("cannot write \(url.path): \(error.localizedDescription)") }
    }

    /// The `.ann` file of a document.
    static func annotationFile(_ document: Document) -> String {
        let converter = OffsetConverter(text: document.text, unit: .codepoint)
        var lines: [String] = []
        var noteNumber = 0
        let bytes = Array(document.text.utf8)
        for annotation in document.annotations {
            // Fragments between line breaks, trimmed of spaces.
            var fragments: [Range<Int>] = []
            var start = annotation.range.lowerBound
            for position in annotation.range where bytes[position] == 0x0A || bytes[position] == 0x0D {
                if position > start { fragments.append(start..<position) }
                start = position + 1
            }
            if annotation.range.upperBound > start { fragments.append(start..<annotation.range.upperBound) }
            fragments = fragments.compactMap { fragment in
                var lower = fragment.lowerBound, upper = fragment.upperBound
                while lower < upper && (bytes[lower] == 0x20 || bytes[lower] == 0x09) { lower += 1 }
                while upper > lower && (bytes[upper - 1] == 0x20 || bytes[upper - 1] == 0x09) { upper -= 1 }
                return upper > lower ? lower..<upper : nil
            }
            if fragments.isEmpty { fragments = [annotation.range] }
            let offsets = converter.fromUTF8(fragments.flatMap { [$0.lowerBound, $0.upperBound] })
            let spans = stride(from: 0, to: offsets.count, by: 2).map { "\(offsets[$0]) \(offsets[$0 + 1])" }.joined(separator: ";")
            let text = fragments.map { String(decoding: bytes[$0], as: UTF8.self) }.joined(separator: " ")
            let type = String(annotation.type.map { $0.isLetter || $0.isNumber || $0 == "_" || $0 == "-" ? $0 : "-" })
            lines.append("T\(annotation.id.rawValue)\t\(type) \(spans)\t\(text)")
            if !annotation.attributes.isEmpty {
                noteNumber += 1
                lines.append("#\(noteNumber)\tAnnotatorNotes T\(annotation.id.rawValue)\t\(JSONLEncoder.json(.object(annotation.attributes)))")
            }
        }
        return lines.isEmpty ? "" : lines.joined(separator: "\n") + "\n"
    }
}

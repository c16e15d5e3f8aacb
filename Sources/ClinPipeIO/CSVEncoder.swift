import ClinPipeCore

/// CSV output: one row per annotation, columns
/// `document_id, annotation_id, type, begin, end, text, attributes, stage, rule, error`.
///
/// `attributes` is a JSON object; offsets are in `unit` (stated by the `offsets` column). A document without
/// annotations gets one row with empty annotation columns, and a failed record one row with `error`, so that
/// every input document appears in the file.
public struct CSVEncoder: RecordEncoder {
    public let unit: OffsetUnit
    public init(unit: OffsetUnit) { self.unit = unit }

    public static let columns = ["document_id", "annotation_id", "type", "begin", "end", "text", "attributes",
                                 "stage", "rule", "offsets", "error"]

    public var header: [UInt8] { Array((Self.columns.joined(separator: ",") + "\n").utf8) }

    public func encode(_ result: DocumentResult) -> [UInt8] {
        var out: [UInt8] = []
        switch result {
        case .error(let id, let message):
            Self.row([id, "", "", "", "", "", "", "", "", unit.rawValue, message], to: &out)
        case .document(let document):
            if document.annotations.isEmpty {
                Self.row([document.id, "", "", "", "", "", "", "", "", unit.rawValue, ""], to: &out)
                return out
            }
            let offsets = ConvertedOffsets(document, unit: unit)
            for (index, annotation) in document.annotations.enumerated() {
                Self.row([
                    document.id, String(annotation.id.rawValue), annotation.type, String(offsets.begins[index]),
                    String(offsets.ends[index]), String(document.coveredText(of: annotation)),
                    JSONLEncoder.json(.object(annotation.attributes)), annotation.provenance.stage,
                    annotation.provenance.rule ?? "", unit.rawValue, "",
                ], to: &out)
            }
        }
        return out
    }

    static func row(_ fields: [String], to out: inout [UInt8]) {
        for (index, field) in fields.enumerated() {
            if index > 0 { out.append(UInt8(ascii: ",")) }
            let needsQuotes = field.utf8.contains { $0 == 0x2C || $0 == 0x22 || $0 == 0x0A || $0 == 0x0D }
            if needsQuotes {
                out.append(0x22)
                for byte in field.utf8 {
                    if byte == 0x22 { out.append(0x22) }
                    out.append(byte)
                }
                out.append(0x22)
            } else {
                out += Array(field.utf8)
            }
        }
        out.append(0x0A)
    }
}

import ClinPipeCore

/// JSON Lines output: one line per document,
/// `{"id": ..., "offsets": "codepoint", "attributes": {...}, "annotations": [{"id", "type", "begin", "end",
/// "text", "attributes", "stage", "rule"}]}`, or `{"id": ..., "error": "..."}` for a record that failed.
///
/// `begin`/`end` are half-open offsets into the original text in the unit named by `offsets`; `text` is exactly
/// the original text between them. Attribute values keep their JSON types. Annotations are listed in order of
/// creation (stage order), so ids ascend.
public struct JSONLEncoder: RecordEncoder {
    public let unit: OffsetUnit
    public init(unit: OffsetUnit) { self.unit = unit }

    public var header: [UInt8] { [] }

    public func encode(_ result: DocumentResult) -> [UInt8] {
        var out: [UInt8] = []
        switch result {
        case .error(let id, let message):
            out.reserveCapacity(64 + message.utf8.count)
            out += Array(#"{"id":"#.utf8)
            JSONText.appendQuoted(id, to: &out)
            out += Array(#","error":"#.utf8)
            JSONText.appendQuoted(message, to: &out)
            out += Array("}\n".utf8)
        case .document(let document):
            let offsets = ConvertedOffsets(document, unit: unit)
            out.reserveCapacity(256 + document.annotations.count * 160)
            out += Array(#"{"id":"#.utf8)
            JSONText.appendQuoted(document.id, to: &out)
            out += Array(#","offsets":"#.utf8)
            JSONText.appendQuoted(unit.rawValue, to: &out)
            if !document.attributes.isEmpty {
                out += Array(#","attributes":"#.utf8)
                Self.append(document.attributes, to: &out)
            }
            out += Array(#","annotations":["#.utf8)
            for (index, annotation) in document.annotations.enumerated() {
                if index > 0 { out.append(UInt8(ascii: ",")) }
                out += Array(#"{"id":"#.utf8)
                out += Array(String(annotation.id.rawValue).utf8)
                out += Array(#","type":"#.utf8)
                JSONText.appendQuoted(annotation.type, to: &out)
                out += Array(#","begin":"#.utf8)
                out += Array(String(offsets.begins[index]).utf8)
                out += Array(#","end":"#.utf8)
                out += Array(String(offsets.ends[index]).utf8)
                out += Array(#","text":"#.utf8)
                JSONText.appendQuoted(document.coveredText(of: annotation), to: &out)
                out += Array(#","attributes":"#.utf8)
                Self.append(annotation.attributes, to: &out)
                out += Array(#","stage":"#.utf8)
                JSONText.appendQuoted(annotation.provenance.stage, to: &out)
                if let rule = annotation.provenance.rule {
                    out += Array(#","rule":"#.utf8)
                    JSONText.appendQuoted(rule, to: &out)
                }
                out.append(UInt8(ascii: "}"))
            }
            out += Array("]}\n".utf8)
        }
        return out
    }

    /// Appends attributes as a JSON object.
    public static func append(_ attributes: Attributes, to out: inout [UInt8]) {
        out.append(UInt8(ascii: "{"))
        for (index, pair) in attributes.pairs.enumerated() {
            if index > 0 { out.append(UInt8(ascii: ",")) }
            JSONText.appendQuoted(pair.key, to: &out)
            out.append(UInt8(ascii: ":"))
            append(pair.value, to: &out)
        }
        out.append(UInt8(ascii: "}"))
    }

    /// Appends one attribute value as JSON.
    public static func append(_ value: AttributeValue, to out: inout [UInt8]) {
        switch value {
        case .string(let string): JSONText.appendQuoted(string, to: &out)
        case .int(let int): out += Array(String(int).utf8)
        case .double(let double): out += Array((double.isFinite ? String(double) : "null").utf8)
        case .bool(let bool): out += Array((bool ? "true" : "false").utf8)
        case .null: out += Array("null".utf8)
        case .object(let object): append(object, to: &out)
        case .list(let list):
            out.append(UInt8(ascii: "["))
            for (index, element) in list.enumerated() {
                if index > 0 { out.append(UInt8(ascii: ",")) }
                append(element, to: &out)
            }
            out.append(UInt8(ascii: "]"))
        }
    }

    /// An attribute value as JSON text.
    public static func json(_ value: AttributeValue) -> String {
        var out: [UInt8] = []
        append(value, to: &out)
        return String(decoding: out, as: UTF8.self)
    }
}

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
            out.appendLiteral(#"{"id":"#)
            JSONText.appendQuoted(id, to: &out)
            out.appendLiteral(#","error":"#)
            JSONText.appendQuoted(message, to: &out)
            out.appendLiteral("}\n")
        case .document(let document):
            let offsets = ConvertedOffsets(document, unit: unit)
            out.reserveCapacity(256 + document.annotations.count * 160)
            out.appendLiteral(#"{"id":"#)
            JSONText.appendQuoted(document.id, to: &out)
            out.appendLiteral(#","offsets":"#)
            JSONText.appendQuoted(unit.rawValue, to: &out)
            if !document.attributes.isEmpty {
                out.appendLiteral(#","attributes":"#)
                Self.append(document.attributes, to: &out)
            }
            out.appendLiteral(#","annotations":["#)
            document.text.withUTF8Bytes { text in
                for (index, annotation) in document.annotations.enumerated() {
                    if index > 0 { out.append(UInt8(ascii: ",")) }
                    out.appendLiteral(#"{"id":"#)
                    out.appendDecimal(annotation.id.rawValue)
                    out.appendLiteral(#","type":"#)
                    JSONText.appendQuoted(annotation.type, to: &out)
                    out.appendLiteral(#","begin":"#)
                    out.appendDecimal(offsets.begins[index])
                    out.appendLiteral(#","end":"#)
                    out.appendDecimal(offsets.ends[index])
                    out.appendLiteral(#","text":"#)
                    JSONText.appendQuoted(UnsafeBufferPointer(rebasing: text[annotation.range]), to: &out)
                    out.appendLiteral(#","attributes":"#)
                    Self.append(annotation.attributes, to: &out)
                    out.appendLiteral(#","stage":"#)
                    JSONText.appendQuoted(annotation.provenance.stage, to: &out)
                    if let rule = annotation.provenance.rule {
                        out.appendLiteral(#","rule":"#)
                        JSONText.appendQuoted(rule, to: &out)
                    }
                    out.append(UInt8(ascii: "}"))
                }
            }
            out.appendLiteral("]}\n")
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
        case .int(let int): out.appendDecimal(int)
        case .double(let double): out.append(contentsOf: (double.isFinite ? String(double) : "null").utf8)
        case .bool(let bool): out.appendLiteral(bool ? "true" : "false")
        case .null: out.appendLiteral("null")
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

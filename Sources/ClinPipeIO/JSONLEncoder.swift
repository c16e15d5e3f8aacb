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
        switch result {
        case .error(let id, let message):
            var out = JSONBuffer(capacity: 64 + id.utf8.count + message.utf8.count)
            out.append(#"{"id":"#)
            out.appendQuoted(id)
            out.append(#","error":"#)
            out.appendQuoted(message)
            out.append("}\n")
            return out.bytes
        case .document(let document):
            return JSONBuffer.makeBytes(capacity: Self.estimatedSize(of: document)) { out in
                out.append(#"{"id":"#)
                out.appendQuoted(document.id)
                out.append(#","offsets":"#)
                out.appendQuoted(unit.rawValue)
                if !document.attributes.isEmpty {
                    out.append(#","attributes":"#)
                    out.appendJSON(document.attributes)
                }
                out.append(#","annotations":["#)
                document.text.withUTF8Bytes { text in
                    let offsets = OutputOffsets(text: text, unit: unit)
                    // Annotations are read in place in the array's buffer (no copy of each whole annotation).
                    document.annotations.withUnsafeBufferPointer { annotations in
                        for index in annotations.indices {
                            if index > 0 { out.append(UInt8(ascii: ",")) }
                            out.append(#"{"id":"#)
                            Self.append(annotations[index], text: text, offsets: offsets, to: &out)
                        }
                    }
                }
                out.append("]}\n")
            }
        }
    }

    /// Appends the fields of one annotation after its opening `{"id":`, up to its closing brace.
    @inline(__always) private static func append(_ annotation: borrowing Annotation, text: UnsafeBufferPointer<UInt8>,
                                                 offsets: OutputOffsets, to out: inout JSONBuffer) {
        out.appendDecimal(annotation.id.rawValue)
        out.append(#","type":"#)
        out.appendQuoted(annotation.type)
        out.append(#","begin":"#)
        out.appendDecimal(offsets.convert(annotation.range.lowerBound, in: text))
        out.append(#","end":"#)
        out.appendDecimal(offsets.convert(annotation.range.upperBound, in: text))
        out.append(#","text":"#)
        out.appendQuoted(UnsafeBufferPointer(rebasing: text[annotation.range]))
        out.append(#","attributes":"#)
        out.appendJSON(annotation.attributes)
        out.append(#","stage":"#)
        out.appendQuoted(annotation.provenance.stage)
        if let rule = annotation.provenance.rule {
            out.append(#","rule":"#)
            out.appendQuoted(rule)
        }
        out.append(UInt8(ascii: "}"))
    }

    /// A close upper estimate of a document's line in bytes (the covered texts with a little room for escapes,
    /// plus the fields around them), so that the line is written straight into the array returned; when it is
    /// short, the buffer grows and the line costs one more copy.
    static func estimatedSize(of document: Document) -> Int {
        var estimate = 256 + document.id.utf8.count + document.attributes.count * 64
        for annotation in document.annotations {
            let covered = annotation.range.count
            estimate += covered + covered >> 4 + 128 + annotation.attributes.count * 40
        }
        return estimate
    }

    /// An attribute value as JSON text.
    public static func json(_ value: AttributeValue) -> String {
        var out = JSONBuffer()
        out.appendJSON(value)
        return out.withBytes { String(decoding: $0, as: UTF8.self) }
    }
}

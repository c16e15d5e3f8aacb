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
    /// How covered texts are escaped (`automatic` except in tests that compare the two ways).
    let textEscaping: TextEscaping
    /// The memos of the strings that annotations repeat, reused from one document to the next (see
    /// `appendAnnotations`).
    let memos: JSONStringMemoPool

    public init(unit: OffsetUnit) { self.init(unit: unit, textEscaping: .automatic) }

    init(unit: OffsetUnit, textEscaping: TextEscaping) {
        self.unit = unit
        self.textEscaping = textEscaping
        // A corpus of letters has a few hundred distinct strings (types, stage and rule names, keys).
        memos = JSONStringMemoPool(expectedStrings: 256)
    }

    /// How the covered texts of a document's annotations are written as JSON strings. Both ways write the same bytes.
    enum TextEscaping {
        /// Each covered text is escaped where it is written (`JSONBuffer.appendQuoted`).
        case perAnnotation
        /// The document's text is escaped once (`JSONEscapedText`) and each covered text is a copy of its slice.
        case oncePerDocument
        /// Once per document when the covered texts add up to more than `escapeOnceFactor` times the text, else per
        /// annotation (escaping the whole text costs more than escaping a few short covered texts).
        case automatic
    }

    /// See `TextEscaping.automatic`. Measured on 300 pdftotext letters, whose annotations cover 2.6 to 4.3 times
    /// their text: escaping once was cheaper for every letter (507.2M instructions per annotation, 501.75M once per
    /// letter, 502.25M with a factor of 3); the factor keeps the per-annotation way for documents with few
    /// annotations (a pipeline of one lexicon), where escaping the whole text is mostly wasted.
    static let escapeOnceFactor = 1

    /// Whether a document whose annotations cover `coveredBytes` bytes in all (overlaps counted each time) and whose
    /// text has `textBytes` bytes has its text escaped once.
    func escapesOnce(coveredBytes: Int, textBytes: Int) -> Bool {
        switch textEscaping {
        case .perAnnotation: false
        case .oncePerDocument: true
        case .automatic: coveredBytes > textBytes * Self.escapeOnceFactor
        }
    }

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
            let size = Self.estimatedSize(of: document)
            return JSONBuffer.makeBytes(capacity: size.bytes) { out in
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
                    memos.withMemo { memo in
                        if escapesOnce(coveredBytes: size.coveredBytes, textBytes: text.count) {
                            JSONEscapedText.withEscaped(text) { escaped in
                                Self.appendAnnotations(of: document, text: text, offsets: offsets, coveredTexts: escaped,
                                                       memo: &memo, to: &out)
                            }
                        } else {
                            Self.appendAnnotations(of: document, text: text, offsets: offsets,
                                                   coveredTexts: QuotedSlices(text: text), memo: &memo, to: &out)
                        }
                    }
                }
                out.append("]}\n")
            }
        }
    }

    /// Appends the annotations of `document`, separated by commas, with their covered texts written by `coveredTexts`.
    /// The strings the annotations repeat (types, stage and rule names, attribute keys) are written through `memo`
    /// (which may remember them from earlier documents), read where they are stored (neither copied nor retained
    /// unless the memo meets them for the first time).
    @inline(__always) private static func appendAnnotations<CoveredTexts: CoveredTextWriter>(
        of document: Document, text: UnsafeBufferPointer<UInt8>, offsets: OutputOffsets,
        coveredTexts: CoveredTexts, memo: inout JSONStringMemo, to out: inout JSONBuffer
    ) {
        let typeOffset = MemoryLayout<Annotation>.offset(of: \.type)!
        let stageOffset = MemoryLayout<Annotation>.offset(of: \.provenance.stage)!
        let ruleOffset = MemoryLayout<Annotation>.offset(of: \.provenance.rule)!
        // Annotations are read in place in the array's buffer, field by field (no copy of each whole annotation).
        document.annotations.withUnsafeBufferPointer { annotations in
            guard let first = annotations.baseAddress.map(UnsafeRawPointer.init) else { return }
            for index in annotations.indices {
                let stored = first + index &* MemoryLayout<Annotation>.stride
                let range = annotations[index].range
                // Room for the fixed parts and numbers is made once per group of fields; strings make their own.
                out.reserve(1 + 6 + 20 + 8)
                if index > 0 { out.appendReserved(UInt8(ascii: ",")) }
                out.appendReserved(#"{"id":"#)
                out.appendDecimalReserved(annotations[index].id.rawValue)
                out.appendReserved(#","type":"#)
                memo.append(stringAt: stored + typeOffset, role: .quoted, keeping: annotations[index].type, to: &out) {
                    $0.appendQuoted(annotations[index].type)
                }
                out.reserve(9 + 20 + 7 + 20 + 8)
                out.appendReserved(#","begin":"#)
                out.appendDecimalReserved(offsets.convert(range.lowerBound, in: text))
                out.appendReserved(#","end":"#)
                out.appendDecimalReserved(offsets.convert(range.upperBound, in: text))
                out.appendReserved(#","text":"#)
                coveredTexts.appendQuoted(range, to: &out)
                if annotations[index].attributes.isEmpty {
                    // Most annotations (sentences) have none: no call, no retain of the empty array.
                    out.append(#","attributes":{}"#)
                } else {
                    out.append(#","attributes":"#)
                    out.appendJSON(annotations[index].attributes, memo: &memo)
                }
                out.append(#","stage":"#)
                memo.append(stringAt: stored + stageOffset, role: .quoted, keeping: annotations[index].provenance.stage,
                            to: &out) { $0.appendQuoted(annotations[index].provenance.stage) }
                memo.append(stringAt: stored + ruleOffset, role: Self.ruleField, keeping: annotations[index].provenance.rule,
                            to: &out) { out in
                    if let rule = annotations[index].provenance.rule {
                        out.append(#","rule":"#)
                        out.appendQuoted(rule)
                    }
                }
                out.append(UInt8(ascii: "}"))
            }
        }
    }

    /// The memo role of a rule (a `String?`): its whole field, `,"rule":"..."`, or nothing without a rule.
    private static var ruleField: JSONStringMemo.Role { JSONStringMemo.Role(3) }

    /// A close upper estimate of a document's line in bytes (the covered texts with a little room for escapes,
    /// plus the fields around them), so that the line is written straight into the array returned; when it is
    /// short, the buffer grows and the line costs one more copy. Also the sum of the covered texts' lengths (UTF-8
    /// bytes, overlaps counted each time).
    static func estimatedSize(of document: Document) -> (bytes: Int, coveredBytes: Int) {
        var estimate = 256 + document.id.utf8.count + document.attributes.count * 64
        var coveredBytes = 0
        for annotation in document.annotations {
            let covered = annotation.range.count
            coveredBytes += covered
            estimate += covered + covered >> 4 + 128 + annotation.attributes.count * 40
        }
        return (estimate, coveredBytes)
    }

    /// An attribute value as JSON text.
    public static func json(_ value: AttributeValue) -> String {
        var out = JSONBuffer()
        out.appendJSON(value)
        return out.withBytes { String(decoding: $0, as: UTF8.self) }
    }
}

/// Writes the covered texts of a document's annotations as JSON strings (the `text` field of each annotation).
protocol CoveredTextWriter {
    /// Appends the original text's bytes `range` (UTF-8 offsets) as a JSON string literal.
    func appendQuoted(_ range: Range<Int>, to out: inout JSONBuffer)
}

/// Covered texts escaped one by one as they are written.
struct QuotedSlices: CoveredTextWriter {
    let text: UnsafeBufferPointer<UInt8>

    @inline(__always) func appendQuoted(_ range: Range<Int>, to out: inout JSONBuffer) {
        out.appendQuoted(UnsafeBufferPointer(rebasing: text[range]))
    }
}

/// Covered texts copied from the document's text escaped once.
extension JSONEscapedText: CoveredTextWriter {
    @inline(__always) func appendQuoted(_ range: Range<Int>, to out: inout JSONBuffer) {
        out.appendQuoted(range, of: self)
    }
}

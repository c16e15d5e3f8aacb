import ClinPipeCore

/// An annotation given with an input document (for example an entity from another tool), in the run's offset
/// unit. It is kept in the output with the same type, begin and end, and later stages (ConText) treat it as a
/// target.
public struct InputAnnotation: Sendable, Hashable {
    public var type: String
    /// Offsets in the run's `OffsetUnit`, half-open.
    public var begin: Int
    public var end: Int
    public var attributes: Attributes

    public init(type: String, begin: Int, end: Int, attributes: Attributes = [:]) {
        self.type = type
        self.begin = begin
        self.end = end
        self.attributes = attributes
    }
}

/// A document as read from a source, before the pipeline sees it.
public struct InputDocument: Sendable {
    public var id: String
    public var text: String
    public var attributes: Attributes
    public var annotations: [InputAnnotation]

    public init(id: String, text: String, attributes: Attributes = [:], annotations: [InputAnnotation] = []) {
        self.id = id
        self.text = text
        self.attributes = attributes
        self.annotations = annotations
    }

    /// The pipeline document, with the input annotations converted from `unit` to UTF-8 offsets.
    /// - Throws: `RecordError` when an annotation's offsets are outside the text or split a character.
    public func makeDocument(unit: OffsetUnit) throws -> Document {
        var document = Document(id: id, text: text, attributes: attributes)
        guard !annotations.isEmpty else { return document }
        let converter = OffsetConverter(text: text, unit: unit)
        for (index, annotation) in annotations.enumerated() {
            guard annotation.begin <= annotation.end,
                let converted = converter.toUTF8([annotation.begin, annotation.end])
            else {
                throw RecordError("annotation \(index + 1) (\(annotation.type)): offsets \(annotation.begin)..<\(annotation.end) are not a valid \(unit.rawValue) span of the text")
            }
            try document.addAnnotation(type: annotation.type, range: converted[0]..<converted[1],
                                       attributes: annotation.attributes, provenance: .input)
        }
        return document
    }
}

/// Why one input record could not become a document. The message never contains document text.
public struct RecordError: Error, Sendable, CustomStringConvertible, Equatable {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}

/// One record read from a source: a document, or the reason it could not be read, with the id to report.
///
/// A source may defer the expensive part of reading a record (parsing a JSON line) to the thread that processes
/// it: such a record is resolved by `resolved()`, which the runner calls outside the source's lock so that
/// parsing scales with the workers. `id` and `content` resolve on access too (each access parses again: call
/// `resolved()` once when you need both).
public struct SourceRecord: Sendable {
    private let storedID: String
    private let storedContent: Result<InputDocument, RecordError>?
    private let deferred: (@Sendable () -> SourceRecord)?

    public init(id: String, content: Result<InputDocument, RecordError>) {
        self.storedID = id
        self.storedContent = content
        self.deferred = nil
    }

    private init(placeholderID: String, deferred: @escaping @Sendable () -> SourceRecord) {
        self.storedID = placeholderID
        self.storedContent = nil
        self.deferred = deferred
    }

    /// A record whose reading finishes on a worker thread; `placeholderID` names it until then.
    public static func deferred(placeholderID: String, _ work: @escaping @Sendable () -> SourceRecord) -> SourceRecord {
        SourceRecord(placeholderID: placeholderID, deferred: work)
    }

    public static func failure(id: String, _ message: String) -> SourceRecord {
        SourceRecord(id: id, content: .failure(RecordError(message)))
    }

    /// The record with any deferred reading done.
    public func resolved() -> SourceRecord { deferred?() ?? self }

    /// The id to report: the document's id, or for a record that could not be read, its place in the source.
    public var id: String { deferred.map { $0().storedID } ?? storedID }

    public var content: Result<InputDocument, RecordError> {
        if let deferred { return deferred().content }
        return storedContent ?? .failure(RecordError("record has no content"))
    }
}

/// One clinical document flowing through the pipeline.
///
/// The original `text` never changes. Stages add annotations (always in original-text UTF-8 coordinates),
/// document-level attributes, and the `normalize` stage adds the `normalized` layer.
public struct Document: Sendable {
    /// The document's id as given by the source (a relative path without extension, a JSONL `id`, a CSV column).
    public let id: String
    /// The original text, exactly as read. Offsets everywhere refer to its UTF-8 bytes.
    public let text: String
    /// Document-level attributes: fields given with the input, and what stages conclude about the whole document
    /// (a letter's reviewer specialties, its decision counts).
    public var attributes: Attributes
    /// Derived texts by name.
    public private(set) var layers: [String: TextLayer] = [:]
    /// `layers[normalizedLayerName]`, kept beside the dictionary so that `normalized` (which every stage reads) needs
    /// no hashing of the name and no lookup.
    private var normalizedLayer: TextLayer?
    /// Annotations in order of creation; `annotations[i].id.rawValue == i + 1`.
    public private(set) var annotations: [Annotation] = []

    /// The name of the layer that stages read.
    public static let normalizedLayerName = "normalized"

    public init(id: String, text: String, attributes: Attributes = [:]) {
        self.id = id
        self.text = text
        self.attributes = attributes
    }

    /// Length of the original text in UTF-8 bytes.
    public var utf8Count: Int { text.utf8.count }

    /// The normalized layer, or the original text as an identity layer when no `normalize` stage ran.
    public var normalized: TextLayer {
        normalizedLayer ?? .identity(name: Self.normalizedLayerName, text: text)
    }

    /// Adds or replaces a layer. The layer's map must start from this document's original text.
    public mutating func setLayer(_ layer: TextLayer) throws {
        guard layer.map.originalLength == utf8Count else { throw AnnotationError.layerMismatch(layer.name) }
        layers[layer.name] = layer
        if layer.name == Self.normalizedLayerName { normalizedLayer = layer }
    }

    /// The original text covered by a UTF-8 range.
    public func coveredText(of range: Range<Int>) -> Substring { text.sliceUTF8(range) }

    /// The original text covered by an annotation.
    public func coveredText(of annotation: Annotation) -> Substring { coveredText(of: annotation.range) }

    /// Adds an annotation over `range` (UTF-8 bytes of the **original** text) and returns its id.
    /// - Throws: `AnnotationError.invalidRange` when the range leaves the text or splits a character's bytes.
    @discardableResult
    public mutating func addAnnotation(type: String, range: Range<Int>, attributes: Attributes = Attributes(),
                                       provenance: Provenance) throws -> AnnotationID
    {
        try validate(range, type: type)
        let id = AnnotationID(annotations.count + 1)
        annotations.append(Annotation(id: id, type: type, range: range, attributes: attributes, provenance: provenance))
        return id
    }

    /// Adds an annotation found in `layer` coordinates, mapping it to the original text first.
    @discardableResult
    public mutating func addAnnotation(type: String, layerRange: Range<Int>, in layer: TextLayer,
                                       attributes: Attributes = Attributes(), provenance: Provenance) throws -> AnnotationID
    {
        try addAnnotation(type: type, range: layer.toOriginal(layerRange), attributes: attributes, provenance: provenance)
    }

    /// Adds an annotation of `type`, without attributes, over each span of `layer` in `layerRanges`, in order: what
    /// `addAnnotation(type:layerRange:in:provenance:)` for each span does (on a throw, the spans before the failing
    /// one stay added), with room made once and the spans mapped in one walk (`OffsetMap.toOriginal(_:)` of an
    /// array, fastest for spans in text order without overlaps).
    public mutating func addAnnotations(type: String, layerRanges: [Range<Int>], in layer: TextLayer,
                                        provenance: Provenance) throws
    {
        let ranges = layer.map.toOriginal(layerRanges)
        reserveAnnotations(ranges.count)
        let text = self.text
        try text.withUTF8Bytes { bytes in
            for range in ranges {
                try Self.validate(range, type: type, in: bytes)
                annotations.append(Annotation(id: AnnotationID(annotations.count + 1), type: type, range: range,
                                              attributes: Attributes(), provenance: provenance))
            }
        }
    }

    /// Makes room for `count` more annotations, so that adding that many allocates at most once. The room at least
    /// doubles when it grows, as appending one by one would grow it.
    public mutating func reserveAnnotations(_ count: Int) {
        let needed = annotations.count + count
        if needed > annotations.capacity { annotations.reserveCapacity(Swift.max(needed, 2 * annotations.capacity)) }
    }

    /// The annotation with `id`.
    public func annotation(_ id: AnnotationID) -> Annotation? {
        let index = id.rawValue - 1
        return annotations.indices.contains(index) ? annotations[index] : nil
    }

    /// Sets (or with `nil` removes) one attribute of an existing annotation.
    public mutating func setAttribute(_ key: String, _ value: AttributeValue?, of id: AnnotationID) {
        let index = id.rawValue - 1
        guard annotations.indices.contains(index) else { return }
        annotations[index].attributes[key] = value
    }

    /// Changes the attributes of an existing annotation in place through `body`: one lookup of the annotation for
    /// any number of changes (a stage that sets several attributes on each of many annotations calls this once per
    /// annotation instead of `setAttribute` once per attribute). Does nothing for an unknown id.
    public mutating func modifyAttributes(of id: AnnotationID, _ body: (inout Attributes) throws -> Void) rethrows {
        let index = id.rawValue - 1
        guard annotations.indices.contains(index) else { return }
        try body(&annotations[index].attributes)
    }

    /// Annotations of one type, in order of creation.
    public func annotations(ofType type: String) -> [Annotation] { annotations.filter { $0.type == type } }

    /// An index for range queries over the current annotations. Build it once per stage, after earlier stages.
    public func makeIndex() -> AnnotationIndex { AnnotationIndex(annotations) }

    private func validate(_ range: Range<Int>, type: String) throws {
        try text.withUTF8Bytes { try Self.validate(range, type: type, in: $0) }
    }

    /// Throws unless `range` lies within `bytes` (the original text's UTF-8) with both ends on character boundaries.
    private static func validate(_ range: Range<Int>, type: String, in bytes: UnsafeBufferPointer<UInt8>) throws {
        let count = bytes.count
        guard range.lowerBound >= 0, range.upperBound <= count else {
            throw AnnotationError.invalidRange(type: type, range: range, reason: "outside the text (\(count) bytes)")
        }
        let splits = (range.lowerBound < count && bytes[range.lowerBound] & 0xC0 == 0x80)
            || (range.upperBound < count && bytes[range.upperBound] & 0xC0 == 0x80)
        if splits { throw AnnotationError.invalidRange(type: type, range: range, reason: "splits a character") }
    }
}

/// Problems a stage can make when it adds annotations or layers: always a bug in the stage, reported as the
/// document's error record instead of a crash.
public enum AnnotationError: Error, Sendable, CustomStringConvertible {
    case invalidRange(type: String, range: Range<Int>, reason: String)
    case layerMismatch(String)

    public var description: String {
        switch self {
        case .invalidRange(let type, let range, let reason):
            "annotation of type '\(type)' at UTF-8 \(range.lowerBound)..<\(range.upperBound) \(reason)"
        case .layerMismatch(let name): "layer '\(name)' does not align with the document's text"
        }
    }
}

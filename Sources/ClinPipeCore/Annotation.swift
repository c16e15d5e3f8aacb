/// Identifies an annotation within its document. Ids are assigned in order of creation, starting at 1 (input
/// annotations first), and are stable in the output, so relations (a ConText modifier's targets) refer to them.
public struct AnnotationID: Sendable, Hashable, Comparable, CustomStringConvertible {
    public let rawValue: Int
    public init(_ rawValue: Int) { self.rawValue = rawValue }
    public static func < (lhs: AnnotationID, rhs: AnnotationID) -> Bool { lhs.rawValue < rhs.rawValue }
    public var description: String { String(rawValue) }
}

/// Which stage and which rule made an annotation.
public struct Provenance: Sendable, Hashable {
    /// The stage's name in the pipeline (`sentences`, `drugs`, a lexicon's own name), or `input` for annotations
    /// given with the document.
    public var stage: String
    /// The rule, lexicon row or pattern inside the stage, when it helps to explain the annotation.
    public var rule: String?

    public init(stage: String, rule: String? = nil) {
        self.stage = stage
        self.rule = rule
    }

    /// Provenance of annotations that came with the input document.
    public static let input = Provenance(stage: "input")
}

/// A standoff annotation over a document's original text.
///
/// **Offsets**: `range` is a half-open range of **UTF-8 byte offsets into the document's original text**
/// (`Document.text`), never into a derived layer. Both ends fall on Unicode scalar boundaries. Writers convert to
/// the output unit (code points by default). The covered text is `document.coveredText(of: annotation)`; it is
/// not stored, so that a sentence or section annotation does not copy its text.
public struct Annotation: Sendable, Hashable {
    public let id: AnnotationID
    /// A namespaced type such as `sentence`, `spine.level` or `imr.decision`.
    public let type: String
    /// UTF-8 byte offsets into the original text, half-open.
    public let range: Range<Int>
    public var attributes: Attributes
    public let provenance: Provenance

    public init(id: AnnotationID, type: String, range: Range<Int>, attributes: Attributes = Attributes(),
                provenance: Provenance)
    {
        self.id = id
        self.type = type
        self.range = range
        self.attributes = attributes
        self.provenance = provenance
    }

    /// The covered text, sliced from `document`'s original text.
    public func coveredText(in document: Document) -> Substring { document.coveredText(of: range) }
}

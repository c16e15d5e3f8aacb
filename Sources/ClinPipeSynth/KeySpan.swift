/// One thing the generator put into a letter, with where it put it.
///
/// **Offsets**: while a letter is being built, `range` is a half-open range of UTF-8 byte offsets into the text
/// built so far (a fragment, then the paragraph, then the letter). `SynthLetter` converts the final ranges to
/// Unicode code points for the answer key.
public struct KeySpan: Sendable, Hashable {
    public enum Kind: String, Sendable, Hashable, CaseIterable {
        case date
        case drug
        case spineLevel = "spine.level"
        case spineDermatome = "spine.dermatome"
        case finding
        case sentence
    }

    public var kind: Kind
    public var range: Range<Int>
    /// What the span means, in the key's vocabulary (for a date: `value`, `granularity`, `role`; for a drug:
    /// `generic`, `class`, `strength`, ...; for a level: `segments`; for a dermatome: `roots`; for a finding:
    /// `concept`, `negated`; for a sentence: `kind`).
    public var fields: [(String, KeyValue)]

    public init(kind: Kind, range: Range<Int>, fields: [(String, KeyValue)] = []) {
        self.kind = kind
        self.range = range
        self.fields = fields
    }

    public static func == (lhs: KeySpan, rhs: KeySpan) -> Bool {
        lhs.kind == rhs.kind && lhs.range == rhs.range && lhs.fields.map(\.0) == rhs.fields.map(\.0)
            && lhs.fields.map(\.1) == rhs.fields.map(\.1)
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(kind)
        hasher.combine(range.lowerBound)
        hasher.combine(range.upperBound)
    }

    /// The value of one field.
    public subscript(field: String) -> KeyValue? { fields.first { $0.0 == field }?.1 }

    func shifted(by offset: Int) -> KeySpan {
        var copy = self
        copy.range = (range.lowerBound + offset)..<(range.upperBound + offset)
        return copy
    }
}

/// A value in the answer key.
public enum KeyValue: Sendable, Hashable {
    case string(String)
    case int(Int)
    case bool(Bool)
    case strings([String])

    public var string: String? { if case .string(let s) = self { return s } else { return nil } }
    public var bool: Bool? { if case .bool(let b) = self { return b } else { return nil } }
    public var strings: [String]? { if case .strings(let s) = self { return s } else { return nil } }
}

/// A piece of text under construction together with the key spans inside it (UTF-8 offsets into `bytes`).
struct Fragment: Sendable {
    var bytes: [UInt8] = []
    var spans: [KeySpan] = []

    init() {}
    init(_ text: String) { bytes = Array(text.utf8) }

    var count: Int { bytes.count }
    var isEmpty: Bool { bytes.isEmpty }
    var text: String { String(decoding: bytes, as: UTF8.self) }

    mutating func append(_ text: String) { bytes.append(contentsOf: text.utf8) }

    mutating func append(_ other: Fragment) {
        let offset = bytes.count
        bytes.append(contentsOf: other.bytes)
        spans.append(contentsOf: other.spans.map { $0.shifted(by: offset) })
    }

    /// Appends `text` and records it as a span of `kind`.
    mutating func append(_ text: String, as kind: KeySpan.Kind, fields: [(String, KeyValue)]) {
        let begin = bytes.count
        bytes.append(contentsOf: text.utf8)
        spans.append(KeySpan(kind: kind, range: begin..<bytes.count, fields: fields))
    }

    /// Records everything appended by `body` as one span of `kind` (for example a sentence around its entities).
    mutating func record(_ kind: KeySpan.Kind, fields: [(String, KeyValue)], _ body: (inout Fragment) -> Void) {
        let begin = bytes.count
        body(&self)
        spans.append(KeySpan(kind: kind, range: begin..<bytes.count, fields: fields))
    }
}

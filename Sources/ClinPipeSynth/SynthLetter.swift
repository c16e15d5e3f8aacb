import ClinPipeCore

/// A generated letter: its id, its text and its answer key.
public struct SynthLetter: Sendable {
    public let id: String
    public let text: String
    public let key: SynthKey
}

/// What the generator put into one letter (the answer key), as written to `key.jsonl`.
///
/// **Offsets**: every range (spans, sections, items) is a half-open range of **Unicode code points** into the
/// letter's text, as in the key files and in ClinPipe's default output (Python's `str` slicing).
public struct SynthKey: Sendable {
    /// One disputed item as decided.
    public struct Item: Sendable {
        /// The item the decision is about, as written in its decision line (for the partial form: the request
        /// whose decision is given, after "The original request," or "... portion of the original request,").
        public var text: String
        /// `upheld` or `overturned`.
        public var outcome: String
        /// True for the partial-authorization form.
        public var partial: Bool
        public var originalRequest: String?
        public var authorized: String?
        public var category: String
        /// The MAXIMUS guideline citations: source (MTUS, ODG, ACOEM) and pages as written (may be empty).
        public var guidelines: [(source: String, pages: String)]
        /// The decision line(s), in code points.
        public var lineRange: Range<Int>
        /// The whole item block, from the decision line to the end of the rationale, in code points.
        public var blockRange: Range<Int>
    }

    public let id: String
    /// Length of the letter in code points.
    public let length: Int
    /// `2014` (2014-15 template) or `2016` (2016-17 template).
    public let template: String
    /// The letter's own date (ISO), which bounds every date in it.
    public let letterDate: String
    /// Entities and sentences, in order of position; code point ranges.
    public let spans: [KeySpan]
    /// The three sections (`determination`, `case_summary`, `issues`), from heading to last content character.
    public let sections: [(name: String, range: Range<Int>)]
    public let items: [Item]
    public let licensure: [String]
    public let specialties: [String]

    /// Collects a letter in UTF-8 offsets and converts it to code points once.
    struct Builder {
        let id: String
        let text: String
        let template: String
        let letterDate: String
        var spans: [KeySpan] = []
        var sections: [(String, Range<Int>)] = []
        var items: [Item] = []
        var licensure: [String] = []
        var specialties: [String] = []

        init(id: String, text: String, template: String, letterDate: String) {
            self.id = id
            self.text = text
            self.template = template
            self.letterDate = letterDate
        }

        func build() -> SynthLetter {
            var offsets: [Int] = []
            offsets.reserveCapacity(spans.count * 2 + sections.count * 2 + items.count * 4)
            for span in spans { offsets += [span.range.lowerBound, span.range.upperBound] }
            for section in sections { offsets += [section.1.lowerBound, section.1.upperBound] }
            for item in items { offsets += [item.lineRange.lowerBound, item.lineRange.upperBound,
                                            item.blockRange.lowerBound, item.blockRange.upperBound] }
            let converted = OffsetConverter(text: text, unit: .codepoint).fromUTF8(offsets)
            var cursor = 0
            func next() -> Range<Int> {
                defer { cursor += 2 }
                return converted[cursor]..<converted[cursor + 1]
            }
            let convertedSpans = spans.map { span -> KeySpan in
                var copy = span
                copy.range = next()
                return copy
            }.sorted { ($0.range.lowerBound, $0.kind.rawValue) < ($1.range.lowerBound, $1.kind.rawValue) }
            let convertedSections = sections.map { ($0.0, next()) }
            let convertedItems = items.map { item -> Item in
                var copy = item
                copy.lineRange = next()
                copy.blockRange = next()
                return copy
            }
            let length = OffsetConverter(text: text, unit: .codepoint).fromUTF8([text.utf8.count])[0]
            let key = SynthKey(id: id, length: length, template: template, letterDate: letterDate,
                               spans: convertedSpans, sections: convertedSections, items: convertedItems,
                               licensure: licensure, specialties: specialties)
            return SynthLetter(id: id, text: text, key: key)
        }
    }

    /// The spans of one kind.
    public func spans(_ kind: KeySpan.Kind) -> [KeySpan] { spans.filter { $0.kind == kind } }
}

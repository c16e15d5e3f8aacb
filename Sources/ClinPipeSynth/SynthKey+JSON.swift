import ClinPipeCore
import Foundation

/// The answer key's JSON form: one object per letter, one line per object (`key.jsonl`, `FILE.key.jsonl`).
///
/// ```json
/// {"id": "synth-0000001", "template": "2016", "letter_date": "2016-12-30", "offsets": "codepoint", "length": 5210,
///  "dates": [{"begin": 412, "end": 422, "text": "10-20-2016", "value": "2016-10-20", "granularity": "day",
///             "role": "injury"}],
///  "drugs": [{"begin": .., "end": .., "text": "Norco", "generic": "hydrocodone/acetaminophen", "class": "..",
///             "strength": "10/325", "unit": "mg", "quantity": 60}], plus "release" (`extended-release`) or "form"
///             (`patch`) where a formulation word follows the name (`tramadol ER`: the span is `tramadol`),
///  "spine": [{"type": "spine.level", "begin": .., "end": .., "text": "L4-5", "segments": ["L4-L5"]},
///            {"type": "spine.dermatome", .., "text": "L4, L5 and S1 dermatomes", "roots": ["L4", "L5", "S1"]}],
///  "findings": [{"begin": .., "end": .., "text": "trigger points", "concept": "trigger points", "negated": true}],
///  "sentences": [{"begin": .., "end": .., "kind": "prose"}],
///  "sections": [{"name": "determination", "begin": .., "end": ..}],
///  "items": [{"text": "..", "outcome": "upheld", "partial": false, "category": "medication",
///             "guidelines": [{"source": "MTUS", "pages": "74-96"}], "line_begin": .., "line_end": .., "begin": ..,
///             "end": ..}],
///  "reviewer": {"licensure": ["California"], "specialties": ["Family Practice"]}}
/// ```
/// `begin`/`end` are Unicode code points into the letter's text, half-open; `text` is the text they cover (a span
/// that crosses a hard line break includes the break). Sentences carry no text, to keep the key small.
extension SynthKey {
    public func json(text: String) -> JSONValue {
        let scalars = Array(text.unicodeScalars)
        func slice(_ range: Range<Int>) -> String {
            var out = String.UnicodeScalarView()
            out.append(contentsOf: scalars[range])
            return String(out)
        }
        func value(_ value: KeyValue) -> JSONValue {
            switch value {
            case .string(let s): .string(s)
            case .int(let i): .number(Double(i))
            case .bool(let b): .bool(b)
            case .strings(let list): .array(list.map { .string($0) })
            }
        }
        func entity(_ span: KeySpan, type: Bool = false, withText: Bool = true) -> JSONValue {
            var pairs: [(String, JSONValue)] = []
            if type { pairs.append(("type", .string(span.kind.rawValue))) }
            pairs.append(("begin", .number(Double(span.range.lowerBound))))
            pairs.append(("end", .number(Double(span.range.upperBound))))
            if withText { pairs.append(("text", .string(slice(span.range)))) }
            pairs += span.fields.map { ($0.0, value($0.1)) }
            return .object(pairs)
        }
        let items: [JSONValue] = items.map { item in
            var pairs: [(String, JSONValue)] = [
                ("text", .string(item.text)), ("outcome", .string(item.outcome)), ("partial", .bool(item.partial)),
            ]
            if let original = item.originalRequest { pairs.append(("original_request", .string(original))) }
            if let authorized = item.authorized { pairs.append(("authorized", .string(authorized))) }
            pairs.append(("category", .string(item.category)))
            pairs.append(("guidelines", .array(item.guidelines.map {
                .object([("source", .string($0.source)), ("pages", .string($0.pages))])
            })))
            pairs += [("line_begin", .number(Double(item.lineRange.lowerBound))),
                      ("line_end", .number(Double(item.lineRange.upperBound))),
                      ("begin", .number(Double(item.blockRange.lowerBound))),
                      ("end", .number(Double(item.blockRange.upperBound)))]
            return .object(pairs)
        }
        return .object([
            ("id", .string(id)), ("template", .string(template)), ("letter_date", .string(letterDate)),
            ("offsets", .string("codepoint")), ("length", .number(Double(length))),
            ("dates", .array(spans(.date).map { entity($0) })),
            ("drugs", .array(spans(.drug).map { entity($0) })),
            ("spine", .array(spans.filter { $0.kind == .spineLevel || $0.kind == .spineDermatome }.map { entity($0, type: true) })),
            ("findings", .array(spans(.finding).map { entity($0) })),
            ("sentences", .array(spans(.sentence).map { entity($0, withText: false) })),
            ("sections", .array(sections.map {
                .object([("name", .string($0.name)), ("begin", .number(Double($0.range.lowerBound))),
                         ("end", .number(Double($0.range.upperBound)))])
            })),
            ("items", .array(items)),
            ("reviewer", .object([("licensure", .array(licensure.map { .string($0) })),
                                  ("specialties", .array(specialties.map { .string($0) }))])),
        ])
    }

    /// Reads one key line.
    /// - Throws: `KeyFileError` when the line is not a key object.
    public init(json: JSONValue) throws {
        func int(_ value: JSONValue?, _ what: String) throws -> Int {
            guard case .number(let n)? = value else { throw KeyFileError("missing number '\(what)'") }
            return Int(n)
        }
        func string(_ value: JSONValue?) -> String? { value?.stringValue }
        func array(_ value: JSONValue?) -> [JSONValue] { if case .array(let a)? = value { return a } else { return [] } }
        func keyValue(_ value: JSONValue) -> KeyValue? {
            switch value {
            case .string(let s): .string(s)
            case .bool(let b): .bool(b)
            case .number(let n): .int(Int(n))
            case .array(let a): .strings(a.compactMap(\.stringValue))
            default: nil
            }
        }
        guard let id = string(json["id"]) else { throw KeyFileError("missing 'id'") }
        self.id = id
        length = try int(json["length"], "length")
        template = string(json["template"]) ?? ""
        letterDate = string(json["letter_date"]) ?? ""
        var spans: [KeySpan] = []
        func read(_ list: [JSONValue], kind fixed: KeySpan.Kind?) throws {
            for entry in list {
                guard let pairs = entry.objectPairs else { continue }
                var kind = fixed
                if kind == nil, let type = string(entry["type"]) { kind = KeySpan.Kind(rawValue: type) }
                guard let kind else { continue }
                let range = try int(entry["begin"], "begin")..<int(entry["end"], "end")
                let fields = pairs.filter { !["begin", "end", "text", "type"].contains($0.0) }
                    .compactMap { pair in keyValue(pair.1).map { (pair.0, $0) } }
                spans.append(KeySpan(kind: kind, range: range, fields: fields))
            }
        }
        try read(array(json["dates"]), kind: .date)
        try read(array(json["drugs"]), kind: .drug)
        try read(array(json["spine"]), kind: nil)
        try read(array(json["findings"]), kind: .finding)
        try read(array(json["sentences"]), kind: .sentence)
        self.spans = spans.sorted { $0.range.lowerBound < $1.range.lowerBound }
        sections = try array(json["sections"]).map {
            (string($0["name"]) ?? "", try int($0["begin"], "begin")..<int($0["end"], "end"))
        }
        items = try array(json["items"]).map { entry in
            SynthKey.Item(
                text: string(entry["text"]) ?? "", outcome: string(entry["outcome"]) ?? "",
                partial: { if case .bool(let b)? = entry["partial"] { return b } else { return false } }(),
                originalRequest: string(entry["original_request"]), authorized: string(entry["authorized"]),
                category: string(entry["category"]) ?? "",
                guidelines: array(entry["guidelines"]).map { (string($0["source"]) ?? "", string($0["pages"]) ?? "") },
                lineRange: try int(entry["line_begin"], "line_begin")..<int(entry["line_end"], "line_end"),
                blockRange: try int(entry["begin"], "begin")..<int(entry["end"], "end"))
        }
        licensure = array(json["reviewer"]?["licensure"]).compactMap(\.stringValue)
        specialties = array(json["reviewer"]?["specialties"]).compactMap(\.stringValue)
    }

    /// Reads a key file (JSON Lines), keyed by letter id.
    public static func load(path: String) throws -> [String: SynthKey] {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw KeyFileError("cannot read key file \(path)")
        }
        var keys: [String: SynthKey] = [:]
        var lineNumber = 0
        for line in data.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false) {
            lineNumber += 1
            if line.allSatisfy({ $0 == 0x20 || $0 == 0x0D }) { continue }
            do {
                let key = try SynthKey(json: try JSONValue.parse(Data(line)))
                keys[key.id] = key
            } catch let error as KeyFileError {
                throw KeyFileError("\(path):\(lineNumber): \(error.message)")
            } catch {
                throw KeyFileError("\(path):\(lineNumber): not a JSON object")
            }
        }
        return keys
    }
}

/// A key file that cannot be read.
public struct KeyFileError: Error, Sendable, CustomStringConvertible {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}

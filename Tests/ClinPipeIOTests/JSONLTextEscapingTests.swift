import ClinPipeCore
import ClinPipeTestSupport
@testable import ClinPipeIO
import Testing

/// The JSONL encoder writes the same line whether it escapes each covered text where it writes it or escapes the
/// document's text once and copies slices (`JSONLEncoder.TextEscaping`), in every offset unit.
@Suite("JSONL text escaping")
struct JSONLTextEscapingTests {
    static let ways: [JSONLEncoder.TextEscaping] = [.perAnnotation, .oncePerDocument, .automatic]

    /// The line of `document` written each way, in `unit`; the differences from the per-annotation line.
    static func problems(_ document: Document, unit: OffsetUnit) -> [String] {
        let lines = ways.map { JSONLEncoder(unit: unit, textEscaping: $0).encode(.document(document)) }
        return zip(ways, lines).dropFirst().compactMap { way, line in
            line == lines[0] ? nil : "\(way) differs from perAnnotation (\(unit))"
        }
    }

    @Test("every range of a text with escapes at the block edges, in every unit", arguments: OffsetUnit.allCases)
    func everyRange(unit: OffsetUnit) throws {
        // Escapes of both lengths, quotes and backslashes around offset 64 and at the ends, and non-ASCII characters.
        let text = "\u{1}é \"quoted\" back\\slash\ttab\r\n" + String(repeating: "x", count: 20) + "\n\u{C}\u{7F}\"\\"
            + "€ mid 😀 " + String(repeating: "\n", count: 5) + "end\u{1F}"
        let boundaries = RandomText.scalarBoundaries(text)
        var document = Document(id: "every", text: text)
        for begin in boundaries {
            for end in boundaries where end >= begin {
                try document.addAnnotation(type: "span", range: begin..<end, provenance: Provenance(stage: "test"))
            }
        }
        let problems = Self.problems(document, unit: unit)
        #expect(problems.isEmpty, "\(problems)")
    }

    @Test("random documents: few and many annotations, with attributes and rules", arguments: OffsetUnit.allCases)
    func randomDocuments(unit: OffsetUnit) throws {
        var problems: [String] = []
        for seed in testSeeds(150) {
            var generator = SeededGenerator(seed: seed)
            let text = RandomText.make(pieceCount: Int.random(in: 0...120, using: &generator), using: &generator)
            let boundaries = RandomText.scalarBoundaries(text)
            var document = Document(id: "doc \"\(seed)\"", text: text, attributes: ["n": .int(Int(seed % 7))])
            for index in 0..<Int.random(in: 0...40, using: &generator) {
                let a = boundaries.randomElement(using: &generator)!, b = boundaries.randomElement(using: &generator)!
                try document.addAnnotation(type: index % 2 == 0 ? "sentence" : "finding", range: min(a, b)..<max(a, b),
                                           attributes: index % 3 == 0 ? ["negated": true, "value": .string("v\n\(index)")] : [:],
                                           provenance: Provenance(stage: "test", rule: index % 4 == 0 ? "rule \(index)" : nil))
            }
            problems += Self.problems(document, unit: unit).map { "seed \(seed): \($0)" }
        }
        #expect(problems.isEmpty, "\(problems.count) problems, first: \(problems.prefix(5))")
    }

    @Test("the empty text, and a document without annotations")
    func emptyDocuments() throws {
        var empty = Document(id: "empty", text: "")
        try empty.addAnnotation(type: "nothing", range: 0..<0, provenance: Provenance(stage: "test"))
        for unit in OffsetUnit.allCases {
            #expect(Self.problems(empty, unit: unit).isEmpty)
            #expect(Self.problems(Document(id: "bare", text: "a \"b\"\n"), unit: unit).isEmpty)
        }
    }

    @Test("automatic escapes once only when the covered texts add up to more than the text")
    func automaticChoice() {
        let encoder = JSONLEncoder(unit: .codepoint)
        #expect(encoder.escapesOnce(coveredBytes: 1001, textBytes: 1000))
        #expect(!encoder.escapesOnce(coveredBytes: 1000, textBytes: 1000))
        #expect(!encoder.escapesOnce(coveredBytes: 0, textBytes: 0))
        #expect(JSONLEncoder(unit: .utf8, textEscaping: .oncePerDocument).escapesOnce(coveredBytes: 0, textBytes: 9))
        #expect(!JSONLEncoder(unit: .utf8, textEscaping: .perAnnotation).escapesOnce(coveredBytes: 99, textBytes: 9))
    }
}

/// The JSONL encoder (covered texts escaped once, repeated strings through a memo, room made per group of fields)
/// writes the bytes of a plain writer that writes every field the simplest way.
@Suite("JSONL encoder against a plain writer")
struct JSONLPlainWriterTests {
    /// The line of `document` written field by field with `appendQuoted`, `appendDecimal` and `appendJSON`.
    static func plainLine(_ document: Document, unit: OffsetUnit) -> [UInt8] {
        var out = JSONBuffer(capacity: 1)
        out.append(#"{"id":"#)
        out.appendQuoted(document.id)
        out.append(#","offsets":"#)
        out.appendQuoted(unit.rawValue)
        if !document.attributes.isEmpty {
            out.append(#","attributes":"#)
            out.appendJSON(document.attributes)
        }
        out.append(#","annotations":["#)
        let bytes = Array(document.text.utf8)
        func converted(_ offset: Int) -> Int {
            let prefix = String(decoding: bytes[..<offset], as: UTF8.self)
            switch unit {
            case .utf8: return offset
            case .utf16: return prefix.utf16.count
            case .codepoint: return prefix.unicodeScalars.count
            }
        }
        for (index, annotation) in document.annotations.enumerated() {
            if index > 0 { out.append(UInt8(ascii: ",")) }
            out.append(#"{"id":"#)
            out.appendDecimal(annotation.id.rawValue)
            out.append(#","type":"#)
            out.appendQuoted(annotation.type)
            out.append(#","begin":"#)
            out.appendDecimal(converted(annotation.range.lowerBound))
            out.append(#","end":"#)
            out.appendDecimal(converted(annotation.range.upperBound))
            out.append(#","text":"#)
            bytes.withUnsafeBufferPointer { out.appendQuoted(UnsafeBufferPointer(rebasing: $0[annotation.range])) }
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
        out.append("]}\n")
        return out.bytes
    }

    @Test("random documents with repeated and escaped types, stages, rules and keys, in every unit",
          arguments: OffsetUnit.allCases)
    func randomDocuments(unit: OffsetUnit) throws {
        let types = ["sentence", "finding", "context.modifier", "imr.item.claims_guideline", "ty\"pe", "é"]
        let stages = ["sentences", "context", "stage\\with\\backslashes", "outcome"]
        let rules: [String?] = [nil, nil, "rule 1", "file.tsv:3", "a rule longer than fifteen bytes", "tab\there"]
        let keys = ["negated", "experiencer", "parent", "value", "a key longer than fifteen", "k\"ey", "ключ"]
        var problems: [String] = []
        for seed in testSeeds(100) {
            var generator = SeededGenerator(seed: seed)
            let text = RandomText.make(pieceCount: Int.random(in: 0...80, using: &generator), using: &generator)
            let boundaries = RandomText.scalarBoundaries(text)
            var document = Document(id: "d\(seed)", text: text,
                                    attributes: seed % 2 == 0 ? [:] : ["site": "A", "n": .int(Int(seed))])
            for index in 0..<Int.random(in: 0...150, using: &generator) {
                let a = boundaries.randomElement(using: &generator)!, b = boundaries.randomElement(using: &generator)!
                var attributes = Attributes()
                for _ in 0..<Int.random(in: 0...6, using: &generator) {
                    let value: AttributeValue = switch Int.random(in: 0..<5, using: &generator) {
                    case 0: .bool(index % 2 == 0)
                    case 1: .int(Int.random(in: -5...200_000_000, using: &generator))
                    case 2: .string(types.randomElement(using: &generator)!)
                    case 3: .string("value \(index)\n")
                    default: .list([.int(index), .string("x")])
                    }
                    attributes[keys.randomElement(using: &generator)!] = value
                }
                // Strings made at run time as well as literals: equal texts in different storage.
                let type = index % 5 == 0 ? String(types.randomElement(using: &generator)!.reversed().reversed())
                    : types.randomElement(using: &generator)!
                try document.addAnnotation(type: type, range: min(a, b)..<max(a, b), attributes: attributes,
                                           provenance: Provenance(stage: stages.randomElement(using: &generator)!,
                                                                  rule: rules.randomElement(using: &generator)!))
            }
            for way in JSONLTextEscapingTests.ways {
                let line = JSONLEncoder(unit: unit, textEscaping: way).encode(.document(document))
                if line != Self.plainLine(document, unit: unit) { problems.append("seed \(seed), \(way)") }
            }
        }
        #expect(problems.isEmpty, "\(problems.count) problems, first: \(problems.prefix(5))")
    }
}

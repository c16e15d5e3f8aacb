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

import ClinPipeCore
import ClinPipeTestSupport
import Dispatch
@testable import ClinPipeIO
import Testing

/// The JSONL encoder's shortcuts for the strings that annotations repeat against the plain way to write a line:
/// one encoder reuses its string memos from document to document (`JSONStringMemoPool`). Every line must equal the
/// line that plain writes make (`plainLine`) and that a fresh encoder (whose memo starts empty) writes, also when
/// the strings of earlier documents are gone and new ones may take their memory, when the memo fills and is emptied,
/// and when many threads encode at once.
@Suite("JSONL memo reuse")
struct JSONLMemoReuseTests {
    /// The line of `document` written the plain way (`JSONLPlainWriterTests.plainLine`: every string quoted where
    /// it is written, attributes without a memo, offsets counted in the prefix of the text).
    static func plainLine(_ document: Document, unit: OffsetUnit) -> [UInt8] {
        JSONLPlainWriterTests.plainLine(document, unit: unit)
    }

    @Test("lines equal the plain writes: runs of equal types, stages and rules, and changes of each alone",
          arguments: OffsetUnit.allCases)
    func plainWrites(unit: OffsetUnit) throws {
        let encoder = JSONLEncoder(unit: unit)
        var differences: [Int] = []
        for number in 0..<120 {
            var generator = SeededGenerator(seed: UInt64(number) &+ 500)
            let text = RandomText.make(pieceCount: Int.random(in: 0...40, using: &generator), using: &generator)
            let boundaries = RandomText.scalarBoundaries(text)
            // The same String values over and over (as stages store them), equal texts in other storage, a nil rule,
            // an empty string, escapes and non-ASCII.
            let types = ["sentence", "imr.item.claims_guideline", "type with \"quote\"", "", "é.type"]
            let stages = ["sentences", "stage-name-longer-than-small", "sentences" + String(number % 2 == 0 ? "" : "")]
            let rules: [String?] = [nil, "rules.tsv:1", "a-longer-rule-file.tsv:field:claims", nil, "rule\n\u{1}"]
            var document = Document(id: "doc \(number)", text: text, attributes: number % 3 == 0 ? ["n": .int(number)] : [:])
            var pick = (0, 0, 0)
            for index in 0..<Int.random(in: 0...40, using: &generator) {
                // Mostly repeat the annotation before; sometimes change one field, or all.
                switch generator.next() % 5 {
                case 0: pick.0 = Int(generator.next() % UInt64(types.count))
                case 1: pick.1 = Int(generator.next() % UInt64(stages.count))
                case 2: pick.2 = Int(generator.next() % UInt64(rules.count))
                case 3: pick = (Int(generator.next() % 5), Int(generator.next() % 3), Int(generator.next() % 5))
                default: break
                }
                let a = boundaries.randomElement(using: &generator)!, b = boundaries.randomElement(using: &generator)!
                let attributes: Attributes = index % 3 == 0 ? ["negated": .bool(index % 2 == 0), "rule": .string(types[pick.0])] : [:]
                try document.addAnnotation(type: types[pick.0], range: min(a, b)..<max(a, b), attributes: attributes,
                                           provenance: Provenance(stage: stages[pick.1], rule: rules[pick.2]))
            }
            if encoder.encode(.document(document)) != Self.plainLine(document, unit: unit) { differences.append(number) }
        }
        #expect(differences.isEmpty, "documents \(differences.prefix(10))")
    }

    /// A document whose types, stage and rule names and attribute keys are made at run time (their own storage, most
    /// longer than a small string), some of them new in this document, some seen before, with escapes and non-ASCII.
    static func document(_ number: Int) throws -> Document {
        var generator = SeededGenerator(seed: UInt64(number) &* 7919 &+ 3)
        let text = RandomText.make(pieceCount: Int.random(in: 1...60, using: &generator), using: &generator)
        let boundaries = RandomText.scalarBoundaries(text)
        var document = Document(id: "doc \(number)", text: text)
        for index in 0..<Int.random(in: 0...30, using: &generator) {
            let a = boundaries.randomElement(using: &generator)!, b = boundaries.randomElement(using: &generator)!
            // Shared names (same text in every document, new storage each time) and names new to this document.
            let shared = Int.random(in: 0..<6, using: &generator)
            let type = index % 3 == 0 ? "type.number.\(number).\(index) \"é\"" : "shared.type.of.kind.\(shared)"
            let rule: String? = switch index % 4 {
            case 0: nil
            case 1: "rules.tsv:\(shared)"  // small strings
            case 2: "a-longer-rule-file-name.tsv:line \(number * 31 + index)\n"
            default: "shared-rule-file-name.tsv:\(shared)"
            }
            var attributes = Attributes()
            if index % 2 == 0 {
                attributes["negated_key_\(shared)_longer"] = .bool(index % 4 == 0)
                attributes["k\(number % 5)"] = .string("value \(index)")
                attributes["key \(number) \(index) \u{1}"] = .int(index)
            }
            try document.addAnnotation(type: type, range: min(a, b)..<max(a, b), attributes: attributes,
                                       provenance: Provenance(stage: "stage \(shared) of the pipeline", rule: rule))
        }
        return document
    }

    @Test("one encoder over many documents writes what a fresh encoder writes for each", arguments: OffsetUnit.allCases)
    func sequential(unit: OffsetUnit) throws {
        let reused = JSONLEncoder(unit: unit)
        var differences: [Int] = []
        // Enough documents that the memo passes its limits (hundreds of new strings) and is emptied several times.
        for number in 0..<300 {
            // Each document and its strings go away before the next is made, so new strings may reuse their memory.
            let document = try Self.document(number)
            let line = reused.encode(.document(document))
            if line != JSONLEncoder(unit: unit).encode(.document(document)) || line != Self.plainLine(document, unit: unit) {
                differences.append(number)
            }
        }
        #expect(differences.isEmpty, "documents \(differences.prefix(10))")
    }

    @Test("many threads sharing one encoder write what a fresh encoder writes")
    func concurrent() throws {
        let documents = try (0..<200).map { try Self.document($0) }
        let expected = documents.map { JSONLEncoder(unit: .codepoint).encode(.document($0)) }
        let shared = JSONLEncoder(unit: .codepoint)
        let lines = UnsafeMutableBufferPointer<[UInt8]>.allocate(capacity: documents.count * 3)
        lines.initialize(repeating: [])
        defer { lines.deallocate() }
        nonisolated(unsafe) let output = lines
        DispatchQueue.concurrentPerform(iterations: 4) { worker in
            for index in stride(from: worker, to: documents.count * 3, by: 4) {
                output[index] = shared.encode(.document(documents[index % documents.count]))
            }
        }
        let wrong = (0..<lines.count).filter { lines[$0] != expected[$0 % documents.count] }
        #expect(wrong.isEmpty, "lines \(wrong.prefix(10))")
    }
}

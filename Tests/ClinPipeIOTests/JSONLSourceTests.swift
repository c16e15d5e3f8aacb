import ClinPipeCore
import ClinPipeIO
import ClinPipeTestSupport
import Foundation
import Testing

@Suite("JSONLSource")
struct JSONLSourceTests {
    /// One input line per case, with what the record must be: a document with this id and text, or an error
    /// record with this id whose message contains a phrase.
    enum Expected {
        case document(id: String, text: String)
        case error(id: String, containing: String)
    }

    static let cases: [([UInt8], Expected)] = [
        (Array(#"{"id":"a","text":"Pain at L4-5."}"#.utf8), .document(id: "a", text: "Pain at L4-5.")),
        (Array(#"{"id": "b", "text": "unterminated"#.utf8), .error(id: "in.jsonl:2", containing: "malformed JSON")),
        ([], .error(id: "in.jsonl:3", containing: "blank line")),
        (Array(#"{"id":"c"}"#.utf8), .error(id: "c", containing: "text")),
        (Array(#"{"id": 42, "text": "numeric id"}"#.utf8), .document(id: "42", text: "numeric id")),
        (Array(#"{"id":"d","text":"bad "#.utf8) + [0xFF, 0xFE] + Array(#""}"#.utf8), .error(id: "in.jsonl:6", containing: "invalid UTF-8 at byte offset 22")),
        (Array(#"{"id":"e","text":"Café 😀 pain","annotations":[{"type":"symptom","begin":7,"end":11}]}"#.utf8),
         .document(id: "e", text: "Café 😀 pain")),
        (Array(#"{"text":"t","id":"f","source":"ehr","score":3,"ratio":0.5,"nested":{"a":[1,2.5,true,null]}}"#.utf8),
         .document(id: "f", text: "t")),
        (Array("[1,2]".utf8), .error(id: "in.jsonl:9", containing: "not an object")),
        (Array(#"{"id":"g","text":"abc","annotations":[{"type":"x","begin":"0"}]}"#.utf8), .error(id: "g", containing: "annotations")),
        (Array(#"{"id":"h","text":"   \n "}"#.utf8), .error(id: "h", containing: "only whitespace")),
        (Array(#"{"id":"i","text":""}"#.utf8), .error(id: "i", containing: "empty document")),
        (Array(#"{"id":"j","text":"windows line"}"#.utf8) + [0x0D], .document(id: "j", text: "windows line")),
        (Array(#"{"id":true,"text":"x"}"#.utf8), .error(id: "in.jsonl:14", containing: "\"id\" must be a string or an integer")),
        (Array(#"{"id":"k","text":"a\u0000b"}"#.utf8), .error(id: "k", containing: "NUL")),
        (Array(#"{"id":"l","text":"escaped \"quotes\", \\ and \u00e9 \ud83d\ude00\r\n"}"#.utf8),
         .document(id: "l", text: "escaped \"quotes\", \\ and é 😀\r\n")),
        (Array("   \t".utf8), .error(id: "in.jsonl:17", containing: "blank line")),
        (Array(#"{"id":"last","text":"no newline at the end"}"#.utf8), .document(id: "last", text: "no newline at the end")),
    ]

    @Test("every line yields one record, in order: documents and error records")
    func mixedLines() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        var bytes: [UInt8] = []
        for (index, (line, _)) in Self.cases.enumerated() {
            bytes += line
            if index + 1 < Self.cases.count { bytes.append(0x0A) }
        }
        let path = try folder.write("in.jsonl", bytes)
        // A small chunk size makes lines straddle buffer refills.
        let source = JSONLSource(reader: try LineReader(path: path, chunkSize: 7), name: "in.jsonl")
        let records = try drain(source)
        #expect(records.count == Self.cases.count)
        for (record, (_, expected)) in zip(records, Self.cases) {
            switch expected {
            case .document(let id, let text):
                #expect(record.id == id)
                #expect(record.document.map { Array($0.text.utf8) } == Array(text.utf8), "record \(id): \(record.error ?? "")")
                #expect(record.document?.id == id)
            case .error(let id, let phrase):
                #expect(record.id == id)
                #expect(record.error?.contains(phrase) == true, "record \(id): \(record.error ?? "a document")")
            }
        }
        // The annotations of "e" are kept in code points; the extra fields of "f" became typed attributes.
        let e = try #require(records[6].document)
        #expect(e.annotations == [InputAnnotation(type: "symptom", begin: 7, end: 11)])
        let f = try #require(records[7].document)
        #expect(f.attributes["source"] == "ehr")
        #expect(f.attributes["score"] == .int(3))
        #expect(f.attributes["ratio"] == .double(0.5))
        #expect(f.attributes["nested"] == .object(["a": [1, 2.5, true, nil]]))
        #expect(f.attributes["id"] == nil && f.attributes["text"] == nil)
        // No error message repeats document text.
        for record in records { #expect(record.error.map { !$0.contains("Pain") && !$0.contains("unterminated") } ?? true) }
    }

    @Test("input annotations convert from the run's unit to UTF-8 and back to the same offsets", arguments: OffsetUnit.allCases)
    func inputAnnotations(unit: OffsetUnit) throws {
        for seed in testSeeds(100) {
            var generator = SeededGenerator(seed: seed)
            let text = "x" + RandomText.make(pieceCount: Int.random(in: 1...30, using: &generator), using: &generator)
            let scalars = Array(text.unicodeScalars)
            // Offsets in `unit` at random scalar boundaries.
            func offset(ofScalar index: Int) -> Int {
                let prefix = scalars[..<index]
                switch unit {
                case .codepoint: return index
                case .utf16: return prefix.reduce(0) { $0 + $1.utf16.count }
                case .utf8: return prefix.reduce(0) { $0 + UTF8.width($1) }
                }
            }
            var annotations: [InputAnnotation] = []
            for _ in 0..<5 {
                let a = Int.random(in: 0...scalars.count, using: &generator), b = Int.random(in: 0...scalars.count, using: &generator)
                annotations.append(InputAnnotation(type: "given", begin: offset(ofScalar: min(a, b)), end: offset(ofScalar: max(a, b)),
                                                   attributes: ["source": "other tool"]))
            }
            let input = InputDocument(id: "doc", text: text, annotations: annotations)
            let document = try input.makeDocument(unit: unit)
            #expect(document.annotations.map(\.provenance) == Array(repeating: .input, count: 5))
            let line = JSONLEncoder(unit: unit).encode(.document(document))
            let object = try #require(try JSONSerialization.jsonObject(with: Data(line)) as? [String: Any])
            let output = try #require(object["annotations"] as? [[String: Any]])
            #expect(output.map { $0["begin"] as? Int } == annotations.map(\.begin), "seed \(seed) \(unit)")
            #expect(output.map { $0["end"] as? Int } == annotations.map(\.end), "seed \(seed) \(unit)")
            #expect(output.map { $0["type"] as? String } == annotations.map(\.type))
            #expect(object["offsets"] as? String == unit.rawValue)
        }
    }

    @Test("input annotations outside the text or inside a character are refused with the record")
    func badInputAnnotations() {
        let text = "😀 pain"
        let cases: [(OffsetUnit, Int, Int)] = [
            (.utf16, 1, 3),      // inside the surrogate pair
            (.utf8, 2, 4),       // inside the emoji's bytes
            (.codepoint, 3, 7),  // beyond the end (6 code points)
            (.codepoint, 4, 2),  // reversed
            (.codepoint, -1, 2), // negative
        ]
        for (unit, begin, end) in cases {
            let input = InputDocument(id: "d", text: text, annotations: [InputAnnotation(type: "t", begin: begin, end: end)])
            #expect(throws: RecordError.self, "\(unit) \(begin)..<\(end)") { try input.makeDocument(unit: unit) }
        }
        for (unit, begin, end) in [(OffsetUnit.codepoint, 2, 6), (.utf16, 3, 7), (.utf8, 5, 9)] {
            let good = InputDocument(id: "d", text: text, annotations: [InputAnnotation(type: "t", begin: begin, end: end)])
            #expect((try? good.makeDocument(unit: unit))?.texts(ofType: "t") == ["pain"], "\(unit)")
        }
    }

    @Test("standard input is read as JSONL through a file descriptor")
    func descriptor() throws {
        var fds: [Int32] = [0, 0]
        #expect(pipe(&fds) == 0)
        let payload = Array("{\"id\":\"p\",\"text\":\"piped\"}\n\n".utf8)
        _ = payload.withUnsafeBytes { write(fds[1], $0.baseAddress, $0.count) }
        close(fds[1])
        let source = JSONLSource(reader: LineReader(descriptor: fds[0], ownsDescriptor: true), name: "stdin")
        let records = try drain(source)
        #expect(records.map(\.id) == ["p", "stdin:2"])
        #expect(records[1].error == "blank line")
    }
}


import ClinPipeCore
import ClinPipeTestSupport
import Foundation
@testable import ClinPipeIO
import Testing

/// The fast path for `{"id", "text"}` lines must agree with Foundation's `JSONDecoder` wherever it answers, and
/// leave every other line to the general path.
@Suite struct FastJSONRecordTests {
    struct Plain: Decodable { var id: String?; var text: String? }

    static func fast(_ line: String) -> FastJSONRecord.Fields? {
        Array(line.utf8).withUnsafeBufferPointer { FastJSONRecord.parse($0) }
    }

    /// Escapes a string the way other JSON writers do: some characters as `\uXXXX` (surrogate pairs beyond the BMP),
    /// `\/`, and the short escapes.
    static func writeJSONString(_ value: String, _ generator: inout SeededGenerator) -> String {
        var out = "\""
        for scalar in value.unicodeScalars {
            let style = generator.next() % 4
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += style == 0 ? "\\u000a" : "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case "/": out += style == 0 ? "\\/" : "/"
            case "\u{08}": out += "\\b"
            case "\u{0C}": out += "\\f"
            default:
                if scalar.value < 0x20 || style == 1 {
                    for unit in String(scalar).utf16 { out += String(format: "\\u%04X", unit) }
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out + "\""
    }

    @Test func agreesWithJSONDecoderOnRandomText() throws {
        for seed in testSeeds(300) {
            var generator = SeededGenerator(seed: seed)
            let text = RandomText.make(&generator, pieces: Int(generator.next() % 40)) + "\u{1}\u{1F}/\u{7F}x\u{10FFFF}"
            let id = generator.next() % 2 == 0 ? Self.writeJSONString("doc-\(seed)", &generator) : String(seed % 100_000)
            let space = [" ", "", "\t", " \r\n "][Int(generator.next() % 4)]
            let line = generator.next() % 2 == 0
                ? "{\(space)\"id\"\(space):\(space)\(id)\(space),\"text\":\(space)\(Self.writeJSONString(text, &generator))}\(space)"
                : "\(space){\"text\":\(Self.writeJSONString(text, &generator)),\(space)\"id\":\(id)}"
            let fields = try #require(Self.fast(line), "seed \(seed): the fast path declined \(line.debugDescription)")
            #expect(fields.text == text, "seed \(seed)")
            let decoded = try? JSONDecoder().decode(Plain.self, from: Data(line.utf8))
            if let decoded {
                #expect(decoded.text == fields.text, "seed \(seed)")
                if let string = decoded.id { #expect(string == fields.id, "seed \(seed)") }
            }
        }
    }

    @Test func answersOnlyForTheCommonShape() {
        #expect(Self.fast(#"{"id":"a","text":"b"}"#)?.text == "b")
        #expect(Self.fast(#"{"id":-12,"text":"b"}"#)?.id == "-12")
        #expect(Self.fast(#"{"text":"x"}"#)?.id == nil)
        #expect(Self.fast(#"{"id":"a"}"#)?.text == nil)
        #expect(Self.fast(#"{}"#) != nil)
        for declined in [#"{"id":"a","text":"b","source":"x"}"#, #"{"id":"a","text":"b","text":"c"}"#,
                         #"{"id":1.5,"text":"b"}"#, #"{"id":1e3,"text":"b"}"#, #"{"id":007,"text":"b"}"#,
                         #"{"id":"a","text":5}"#, #"{"id":"a","text":"\ud800"}"#, #"{"id":"a","text":"\udc00x"}"#,
                         #"{"id":"a","text":"b"} x"#, #"{"id":"a","text":"b",}"#, #"["a"]"#, #"{"id":"a","text":"b"#,
                         "{\"id\":\"a\",\"text\":\"raw\ttab\"}", #"{"t\u0065xt":"b"}"#, #"{"id":"a","text":"\x"}"#,
                         #"{"id":null,"text":"b"}"#, #"{"id":12345678901234567890,"text":"b"}"#]
        {
            #expect(Self.fast(declined) == nil, "\(declined)")
        }
    }

    /// Strings with escapes are unescaped into storage sized from the rest of the line: an escaped id before a long
    /// text, and escapes right before the closing quote at the end of the line.
    @Test func escapedStringsOfEveryLengthAndPlace() throws {
        let long = String(repeating: "Pain at L4-5.\\nNo trigger points. ", count: 40)
        let line = #"{"id":"a\/b\u00e9\ud83d\ude00","text":""# + long + #""}"#
        let fields = try #require(Self.fast(line))
        #expect(fields.id == "a/bé😀")
        #expect(fields.text == String(repeating: "Pain at L4-5.\nNo trigger points. ", count: 40))
        for escape in [#"\n"#, #"\""#, #"\\"#, #"\/"#, #"\u0041"#, #"\u00e9"#, #"\u20ac"#, #"\ud83d\ude00"#, "\u{7F}"] {
            for prefix in ["", "x", String(repeating: "y", count: 40)] {
                let line = #"{"text":""# + prefix + escape + #""}"#
                let decoded = try JSONDecoder().decode(Plain.self, from: Data(line.utf8))
                #expect(Self.fast(line)?.text == decoded.text, "\(escape) after \(prefix.count)")
            }
        }
    }

    /// The plain runs between escapes are copied while they are scanned, sixteen bytes at a time: every escape at
    /// every offset of texts up to 70 characters, runs of escapes and of DEL, non-ASCII between them, and a raw
    /// control character after some escapes (declined).
    @Test func escapesAtEveryOffsetOfTheCopy() throws {
        let escapes = [#"\n"#, #"\""#, #"\\"#, #"\/"#, #"\t"#, #"\u00e9"#, #"\ud83d\ude00"#, #"\u001f"#, "\u{7F}"]
        for length in 0..<70 {
            for position in 0...length {
                for (index, escape) in escapes.enumerated() {
                    let filler = index % 2 == 0 ? "a" : "é"
                    let text = String(repeating: filler, count: position) + escape + #"\n"# + escape
                        + String(repeating: "b", count: length - position)
                    let line = #"{"id":"x","text":""# + text + #""}"#
                    let decoded = try JSONDecoder().decode(Plain.self, from: Data(line.utf8))
                    #expect(Self.fast(line)?.text == decoded.text, "\(escape) at \(position) of \(length)")
                }
                let raw = #"{"id":"x","text":""# + String(repeating: "c", count: position) + #"\n"#
                    + String(repeating: "d", count: length - position) + "\u{1}" + #""}"#
                #expect(Self.fast(raw) == nil, "raw control character after \(length) characters")
            }
        }
    }

    /// Both paths give the same records and the same error messages for the same lines.
    @Test func sameRecordsThroughTheSource() throws {
        let lines = [#"{"id":"a","text":"Pain at L4-5.\nNo trigger points."}"#, #"{"id":7,"text":"x"}"#,
                     #"{"id":"e","text":""}"#, #"{"id":"w","text":" \n\t "}"#, #"{"id":"n","text":"a\u0000b"}"#,
                     #"{"id":"m"}"#, #"{"text":"no id"}"#, #"{}"#,
                     #"{"id":"a2","text":"Pain at L4-5.\nNo trigger points.","source":"x"}"#]
        let input = lines.joined(separator: "\n") + "\n"
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("fast-json-\(UUID().uuidString).jsonl")
        try Data(input.utf8).write(to: url)
        defer { try? FileManager.default.removeItem(at: url) }
        let source = try JSONLSource(reader: LineReader(path: url.path), name: "t")
        var seen: [String] = []
        while let record = try source.next() {
            let resolved = record.resolved()
            switch resolved.content {
            case .success(let document): seen.append("\(resolved.id) ok \(document.text.debugDescription)")
            case .failure(let error): seen.append("\(resolved.id) error \(error.message)")
            }
        }
        #expect(seen == [
            "a ok \"Pain at L4-5.\\nNo trigger points.\"",
            "7 ok \"x\"",
            "e error empty document",
            "w error document contains only whitespace",
            "n error binary content: NUL byte at offset 1",
            "m error no \"text\" string field",
            "t:7 ok \"no id\"",
            "t:8 error no \"id\" and no \"text\" field",
            "a2 ok \"Pain at L4-5.\\nNo trigger points.\"",
        ])
    }
}

import ClinPipeCore
import ClinPipeIO
import Foundation
import Testing

/// A minimal RFC 4180 reader, independent of `CSVSource`, to check what `CSVEncoder` writes.
func parseCSV(_ bytes: [UInt8]) -> [[String]] {
    var rows: [[String]] = []
    var row: [String] = []
    var field: [UInt8] = []
    var inQuotes = false
    var index = 0
    while index < bytes.count {
        let byte = bytes[index]
        if inQuotes {
            if byte == 0x22 {
                if index + 1 < bytes.count && bytes[index + 1] == 0x22 { field.append(0x22); index += 1 } else { inQuotes = false }
            } else {
                field.append(byte)
            }
        } else if byte == 0x22 {
            inQuotes = true
        } else if byte == 0x2C {
            row.append(String(decoding: field, as: UTF8.self)); field = []
        } else if byte == 0x0A {
            row.append(String(decoding: field, as: UTF8.self)); field = []
            rows.append(row); row = []
        } else {
            field.append(byte)
        }
        index += 1
    }
    if !field.isEmpty || !row.isEmpty { row.append(String(decoding: field, as: UTF8.self)); rows.append(row) }
    return rows
}

@Suite("Encoders")
struct EncoderTests {
    static let awkward = "quote \" backslash \\ comma , newline \n return \r tab \t bell \u{7} del \u{7F} é 😀 \u{2028}"

    static func sampleDocument() throws -> Document {
        let text = "Café: \(awkward) end"
        var document = Document(id: "id \"1\"\n", text: text, attributes: ["site": "A", "n": 2])
        try document.addAnnotation(type: "word", range: 0..<5, attributes: [
            "s": .string(awkward), "i": -3, "d": 2.5, "b": false, "l": [1, "x", nil], "o": .object(["k": "v"]),
            "inf": .double(.infinity),
        ], provenance: Provenance(stage: "lexicon", rule: "file.tsv:3"))
        let start = text.utf8.count - awkward.utf8.count - 4
        try document.addAnnotation(type: "awkward", range: start..<(start + awkward.utf8.count),
                                   provenance: Provenance(stage: "test"))
        return document
    }

    @Test("JSONL escapes every string and keeps attribute types")
    func jsonlDocument() throws {
        let document = try Self.sampleDocument()
        let line = JSONLEncoder(unit: .codepoint).encode(.document(document))
        #expect(line.last == 0x0A && line.dropLast().allSatisfy { $0 != 0x0A && $0 != 0x0D }, "one line, ending in a newline")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(line)) as? [String: Any])
        #expect(object["id"] as? String == document.id)
        #expect(object["offsets"] as? String == "codepoint")
        let attributes = try #require(object["attributes"] as? [String: Any])
        #expect(attributes["site"] as? String == "A" && attributes["n"] as? Int == 2)
        let annotations = try #require(object["annotations"] as? [[String: Any]])
        #expect(annotations.count == 2)
        let first = annotations[0]
        #expect(first["id"] as? Int == 1 && first["type"] as? String == "word")
        #expect(first["begin"] as? Int == 0 && first["end"] as? Int == 4 && first["text"] as? String == "Café")
        #expect(first["stage"] as? String == "lexicon" && first["rule"] as? String == "file.tsv:3")
        let values = try #require(first["attributes"] as? [String: Any])
        #expect((values["s"] as? String).map { Array($0.unicodeScalars) } == Array(Self.awkward.unicodeScalars))
        #expect(values["i"] as? Int == -3)
        #expect(values["d"] as? Double == 2.5)
        #expect(values["b"] as? Bool == false)
        #expect((values["l"] as? [Any])?.count == 3)
        #expect((values["o"] as? [String: Any])?["k"] as? String == "v")
        #expect(values["inf"] is NSNull)
        let second = annotations[1]
        #expect((second["text"] as? String).map { Array($0.unicodeScalars) } == Array(Self.awkward.unicodeScalars))
        #expect(second["rule"] == nil, "no rule, no key")
        // Attribute order is kept.
        let text = String(decoding: line, as: UTF8.self)
        let order = ["\"s\":", "\"i\":", "\"d\":", "\"b\":", "\"l\":", "\"o\":", "\"inf\":"].map { text.range(of: $0)!.lowerBound }
        #expect(order == order.sorted())
    }

    @Test("JSONL error records and documents without annotations")
    func jsonlErrors() throws {
        let encoder = JSONLEncoder(unit: .utf16)
        let error = encoder.encode(.error(id: "a\"b", message: "invalid UTF-8 at byte offset 3\n"))
        let object = try #require(try JSONSerialization.jsonObject(with: Data(error)) as? [String: Any])
        #expect(object.count == 2 && object["id"] as? String == "a\"b" && object["error"] as? String == "invalid UTF-8 at byte offset 3\n")
        let empty = encoder.encode(.document(Document(id: "e", text: "no findings")))
        let emptyObject = try #require(try JSONSerialization.jsonObject(with: Data(empty)) as? [String: Any])
        #expect((emptyObject["annotations"] as? [Any])?.isEmpty == true)
        #expect(emptyObject["offsets"] as? String == "utf16")
        #expect(emptyObject["attributes"] == nil)
        #expect(encoder.header.isEmpty)
    }

    @Test("CSV quotes what needs quoting, writes one row per annotation, and one row per empty or failed document")
    func csv() throws {
        let document = try Self.sampleDocument()
        let encoder = CSVEncoder(unit: .utf16)
        let bytes = encoder.header + encoder.encode(.document(document)) + encoder.encode(.document(Document(id: "none", text: "x")))
            + encoder.encode(.error(id: "bad,id", message: "malformed \"JSON\" line"))
        let rows = parseCSV(bytes)
        #expect(rows.count == 5)
        #expect(rows[0] == CSVEncoder.columns)
        #expect(rows.allSatisfy { $0.count == CSVEncoder.columns.count }, "\(rows.map(\.count))")
        func column(_ row: [String], _ name: String) -> String { row[CSVEncoder.columns.firstIndex(of: name)!] }
        #expect(column(rows[1], "document_id") == document.id)
        #expect(column(rows[1], "text") == "Café" && column(rows[1], "begin") == "0" && column(rows[1], "end") == "4")
        #expect(column(rows[1], "stage") == "lexicon" && column(rows[1], "rule") == "file.tsv:3")
        #expect(column(rows[1], "offsets") == "utf16")
        let attributes = try JSONSerialization.jsonObject(with: Data(column(rows[1], "attributes").utf8)) as? [String: Any]
        #expect(attributes?["i"] as? Int == -3)
        #expect(Array(column(rows[2], "text").unicodeScalars) == Array(Self.awkward.unicodeScalars))
        #expect(column(rows[3], "document_id") == "none" && column(rows[3], "type") == "" && column(rows[3], "error") == "")
        #expect(column(rows[4], "document_id") == "bad,id" && column(rows[4], "error") == "malformed \"JSON\" line")
    }
}

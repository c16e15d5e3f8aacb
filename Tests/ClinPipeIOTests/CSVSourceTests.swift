import ClinPipeCore
import ClinPipeIO
import Foundation
import Testing

@Suite("CSVSource")
struct CSVSourceTests {
    static func records(_ csv: [UInt8], options: SourceOptions = SourceOptions()) throws -> [SourceRecord] {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let path = try folder.write("notes.csv", csv)
        return try drain(try CSVSource(path: path, options: options)).map { record in
            // Error ids fall back to "path:line": keep only "notes.csv:line" for the comparisons below.
            guard record.id.hasPrefix(folder.url.path + "/") else { return record }
            return SourceRecord(id: String(record.id.dropFirst(folder.url.path.count + 1)), content: record.content)
        }
    }

    @Test("quoted fields hold commas, quotes and line breaks; bad rows become error records in place")
    func quotedFields() throws {
        let csv = #"""
        id,text,site
        1,"Pain, severe",A
        2,"Line one
        line two",B
        3,"He said ""no""",C
        4,too,many,fields
        5,short
        ,no id,D
        "6",plain text,"E"
        7,,F
        8,"",G
        """#
        let records = try Self.records(Array(csv.utf8))
        #expect(records.map(\.id) == ["1", "2", "3", "4", "5", "notes.csv:8", "6", "7", "8"])
        #expect(records[0].document?.text == "Pain, severe")
        #expect(records[0].document?.attributes == ["site": "A"])
        #expect(records[1].document.map { Array($0.text.utf8) } == Array("Line one\nline two".utf8))
        #expect(records[2].document?.text == "He said \"no\"")
        #expect(records[3].error == "row has 4 fields but the header has 3")
        #expect(records[4].error == "row has 2 fields but the header has 3")
        #expect(records[5].document?.text == "no id")
        #expect(records[6].document?.text == "plain text" && records[6].document?.attributes == ["site": "E"])
        #expect(records[7].error == "empty document")
        #expect(records[8].error == "empty document")
    }

    @Test("custom id and text columns; other columns become attributes; a missing column is a fatal error")
    func customColumns() throws {
        var options = SourceOptions()
        options.idColumn = "note_id"
        options.textColumn = "body"
        let records = try Self.records(Array("site,body,note_id\nA,Back pain,n1\nB,Neck pain,n2\n".utf8), options: options)
        #expect(records.map(\.id) == ["n1", "n2"])
        #expect(records.map { $0.document?.text } == ["Back pain", "Neck pain"])
        #expect(records[1].document?.attributes == ["site": "B"])
        #expect(throws: SourceError.self) { try Self.records(Array("id,text\n1,x\n".utf8), options: options) }
        #expect(throws: SourceError.self) { try Self.records([]) }
    }

    @Test("CRLF files: records end at CRLF; line breaks inside quoted fields are kept exactly")
    func crlf() throws {
        let csv = "id,text\r\n1,plain\r\n2,\"first\r\nsecond\"\r\n3,\"quoted\"\r\n"
        let records = try Self.records(Array(csv.utf8))
        #expect(records.map(\.id) == ["1", "2", "3"])
        #expect(records.map { $0.document.map { Array($0.text.utf8) } } == [
            Array("plain".utf8), Array("first\r\nsecond".utf8), Array("quoted".utf8),
        ])
    }

    @Test("a byte order mark before the header does not hide the first column")
    func byteOrderMark() throws {
        let records = try Self.records([0xEF, 0xBB, 0xBF] + Array("id,text\n1,pain\n".utf8))
        #expect(records.map(\.id) == ["1"])
        #expect(records.first?.document?.text == "pain")
    }

    @Test("invalid UTF-8 and unterminated quotes become error records")
    func badBytes() throws {
        let csv = Array("id,text\n1,caf".utf8) + [0xE9] + Array("\n2,ok\n3,\"never closed\n".utf8)
        let records = try Self.records(csv)
        #expect(records.map(\.id) == ["notes.csv:2", "2", "notes.csv:4"])
        #expect(records[0].error == "invalid UTF-8 in field 2")
        #expect(records[1].document?.text == "ok")
        #expect(records[2].error == "unterminated quoted field")
    }
}

@Suite("FolderSource")
struct FolderSourceTests {
    @Test("reads .txt files recursively, sorted, with relative ids; bad files become error records")
    func folder() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        try folder.write("b/d/e.txt", "epsilon")
        try folder.write("a.txt", "alpha\r\n")
        try folder.write("b/c.txt", "gamma")
        try folder.write("b/notes.md", "not a text file")
        try folder.write("empty.txt", [])
        try folder.write("binary.txt", [0x50, 0x4B, 0x03, 0x04, 0x00, 0x00, 0x14])
        try folder.write("latin1.txt", Array("caf".utf8) + [0xE9])
        try folder.write("upper.TXT", "shouting")
        try folder.write("x.txt/inside.txt", "a folder named like a file")
        try folder.write("ünïcode name.txt", "ok")
        let records = try drain(try FolderSource(root: folder.url))
        let expectedIDs = ["a", "b/c", "b/d/e", "binary", "empty", "latin1", "upper", "x.txt/inside", "ünïcode name"]
        #expect(records.map(\.id) == expectedIDs)
        let byID = Dictionary(uniqueKeysWithValues: records.map { ($0.id, $0) })
        #expect(byID["a"]?.document.map { Array($0.text.utf8) } == Array("alpha\r\n".utf8))
        #expect(byID["b/d/e"]?.document?.text == "epsilon")
        #expect(byID["b/d/e"]?.document?.id == "b/d/e")
        #expect(byID["empty"]?.error == "empty document")
        #expect(byID["binary"]?.error?.contains("NUL byte at offset 4") == true)
        #expect(byID["latin1"]?.error == "invalid UTF-8 at byte offset 3")
        #expect(byID["upper"]?.document?.text == "shouting")
        #expect(byID["x.txt/inside"]?.document != nil)

        // The same folder through `openSource`, as `clinpipe run FOLDER` opens it.
        let opened = try drain(try SourceOptions().openSource(folder.url.path))
        #expect(opened.map(\.id) == expectedIDs)
    }

    @Test("openSource picks the reader by path; a missing path is a fatal error")
    func openSource() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let jsonl = try folder.write("batch.ndjson", "{\"id\":\"j\",\"text\":\"json\"}\n")
        let csv = try folder.write("batch.CSV", "id,text\nc,csv\n")
        let single = try folder.write("letter.text", "one document")
        #expect(try drain(try SourceOptions().openSource(jsonl)).map(\.id) == ["j"])
        #expect(try drain(try SourceOptions().openSource(csv)).map(\.id) == ["c"])
        let one = try drain(try SourceOptions().openSource(single))
        #expect(one.map(\.id) == ["letter"] && one.first?.document?.text == "one document")
        #expect(throws: SourceError.self) { try SourceOptions().openSource(folder.url.appendingPathComponent("missing").path) }
        // Several sources read one after another.
        let all = try drain(ConcatenatedSource([try SourceOptions().openSource(jsonl), try SourceOptions().openSource(csv)]))
        #expect(all.map(\.id) == ["j", "c"])
    }

    @Test("a file over the size limit is refused without reading it")
    func sizeLimit() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        try folder.write("big.txt", String(repeating: "x", count: 100))
        try folder.write("small.txt", "x")
        var options = SourceOptions()
        options.maximumDocumentBytes = 50
        let records = try drain(try FolderSource(root: folder.url, options: options))
        #expect(records.map(\.id) == ["big", "small"])
        #expect(records[0].error?.contains("exceeds the limit of 50 bytes") == true)
        #expect(records[1].document?.text == "x")
    }
}

@Suite("TextDecoding")
struct TextDecodingTests {
    static func message(_ bytes: [UInt8], maximumBytes: Int = TextDecoding.defaultMaximumBytes) -> String? {
        if case .failure(let error) = TextDecoding.decode(bytes, maximumBytes: maximumBytes) { return error.message }
        return nil
    }

    @Test("valid text decodes unchanged, byte for byte")
    func valid() throws {
        for text in ["pain", "ﬁne\r\n", "\u{FEFF}with BOM", "中文 😀 e\u{301}", " x "] {
            let decoded = try TextDecoding.decode(Array(text.utf8)).get()
            #expect(Array(decoded.utf8) == Array(text.utf8))
        }
    }

    @Test("empty, whitespace-only, binary, oversized and invalid UTF-8 input is refused with a reason")
    func refused() {
        #expect(Self.message([]) == "empty document")
        #expect(Self.message(Array(" \r\n\t ".utf8)) == "document contains only whitespace")
        #expect(Self.message([0x61, 0x00, 0x62]) == "binary content: NUL byte at offset 1")
        #expect(Self.message(Array("abcdef".utf8), maximumBytes: 5) == "document of 6 bytes exceeds the limit of 5 bytes")
        #expect(Self.message(Array("abcde".utf8), maximumBytes: 5) == nil)
        let invalid: [([UInt8], Int)] = [
            ([0xFF], 0),
            (Array("ab".utf8) + [0xC3, 0x28], 2),         // a lead byte without its continuation
            (Array("é".utf8) + [0x80], 2),                // a stray continuation byte
            (Array("abc".utf8) + [0xE2, 0x82], 3),        // truncated at the end
            ([0x61, 0xC0, 0xAF], 1),                      // overlong encoding of "/"
            ([0x61, 0xED, 0xA0, 0x80], 1),                // an encoded surrogate
            ([0x61, 0xF4, 0x90, 0x80, 0x80], 1),          // beyond U+10FFFF
        ]
        for (bytes, offset) in invalid {
            #expect(Self.message(bytes) == "invalid UTF-8 at byte offset \(offset)", "\(bytes)")
        }
    }
}

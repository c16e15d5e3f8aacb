import ClinPipeCore
import ClinPipeTestSupport
@testable import ClinPipeText
import Foundation
import Testing

/// `SentenceBreakRules` must give exactly ICU's sentence boundaries (ICU is the reference, quirks included) on every
/// text it takes, and decline (nil) the texts it leaves to ICU.
@Suite struct SentenceBreakRulesTests {
    /// Why the rules and ICU disagree on `bytes`, or nil when they agree (a declined text never disagrees).
    static func mismatch(_ bytes: UnsafeBufferPointer<UInt8>) throws -> String? {
        guard let fast = SentenceBreakRules.boundaries(in: bytes) else { return nil }
        let icu = try SentenceBoundaries.icuBoundaries(in: bytes)
        return fast == icu ? nil : "rules \(fast), ICU \(icu)"
    }

    static func mismatch(_ text: String) throws -> String? {
        try text.withUTF8Bytes { try mismatch($0) }
    }

    /// `text` as a Swift literal with every character outside printable ASCII escaped, for failure messages.
    static func escaped(_ text: String) -> String {
        var result = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"", "\\": result += "\\" + String(scalar)
            case " "..."~": result.unicodeScalars.append(scalar)
            default: result += "\\u{" + String(scalar.value, radix: 16, uppercase: true) + "}"
            }
        }
        return result + "\""
    }

    static func takes(_ text: String) -> Bool {
        text.withUTF8Bytes { SentenceBreakRules.boundaries(in: $0) } != nil
    }

    /// One case per rule and per interaction that a byte scanner could get wrong.
    static let hardCases: [String] = [
        // Abbreviations and initials (SB7, SB8), numbers (SB6), quotes and brackets (SB9), other terminators (SB8a).
        "Dr. Smith", "e.g. the", "L4-5. The", "U.S.A. Next", "He said \"Stop.\" Then", "end.) Next", "a.b", "3.5 mg",
        "Hi!? Yes", "x. ,y", "x.  (1) foo", "x. (1) Foo", "x.) 5 b", "x.) 5 B", "x. 5. b", "x. 5? b", "x. 5\u{3002} b", "a. . b", "a.. B", "A.B", "a.B",
        "1.B", ".B", " .B", "a) .B", "a.)B", "a.)b", "a.\"b", "a.'s", "x. -y", "x. :Y", "x. ;b", "x. ;B", "No. 5", "p.o. b.i.d.",
        "Why? because", "Why?because", "Stop! 5 more", "a.5", "a. 5", "a.\t\u{0B}\u{0C}B", "a.)]} \"B", "a. )B", "a.  ) b",
        "(a.) b", "\"Stop.\"", "x.#y", "x. #y", "x. #Y", "x. &é", "x. &É", "x.中", "x. 中文", "x。Y", "x．Y", "x．y",
        // Line breaks (SB3, SB4) before, after and between terminators.
        "a.\r\nb", "a.\rb", "a\rb", "a\r\nb", "a\nb", "a\n\nb", "\n", "\r", "\r\n", "\r\r\n\n", "a.\n", "a. \n B", "a!\r\n",
        "\n.B", "a\u{2028}b", "a.\u{2028}b", "a. \u{2029}B", "a\u{85}b", "a.)\u{85}", "line one\nline two",
        // Edges: empty, spaces only, trailing spaces and terminators.
        "", " ", "   ", "\t", "a. ", "a.", "a!", "a?  ", ".", "..", "!?", "a.)", "a.) ", "a. )",
        // Other non-ASCII: typographic quotes and dashes, symbols, letters, no-break space.
        "He said “Stop.” Then", "end.’ Next", "x. – y", "x.—Y", "45°. Next", "Norco® 10 mg. Then", "2×3. Next", "café. été",
        "café. Été", "x.\u{A0}Y", "x.\u{A0}y", "é.E", "É.É", "ß.É", "ǅ.A", "٣.٣", "x. ٣ y", "a…B", "a… B", "«Stop.» Then",
    ]

    @Test("hard cases: the same boundaries as ICU")
    func hardCases() throws {
        for text in Self.hardCases {
            #expect(Self.takes(text), "declined \(text.debugDescription)")
            let problem = try Self.mismatch(text)
            #expect(problem == nil, "\(Self.escaped(text)): \(problem ?? "")")
        }
        // A few outcomes written out, so that a reader sees what ICU does (and a change of ICU shows here first).
        #expect(try SentenceBoundaries.boundaries(in: "") == [0])
        #expect(try SentenceBoundaries.boundaries(in: "Dr. Smith") == [0, 4, 9])
        #expect(try SentenceBoundaries.boundaries(in: "e.g. the") == [0, 8])
        #expect(try SentenceBoundaries.boundaries(in: "a.\r\nb") == [0, 4, 5])
        #expect(try SentenceBoundaries.boundaries(in: "x. ;B") == [0, 3, 5])  // ';' is not SContinue in Unicode 15.0
        #expect(try SentenceBoundaries.boundaries(in: "x.  (1) foo") == [0, 11])
    }

    @Test("texts with Extend or Format characters or invalid UTF-8 are declined")
    func declined() {
        for text in ["Cafe\u{301}. Next", "soft\u{AD}hyphen", "\u{FEFF}Start", "a\u{200D}b", "x.\u{301} Y", "x. \u{301}y", "x. 1\u{301}"] {
            #expect(!Self.takes(text), "\(text.debugDescription)")
        }
        let invalid: [[UInt8]] = [
            [0x80], [0x61, 0x2E, 0x20, 0xFF], [0x61, 0xC3], [0xC0, 0xAE], [0xE0, 0x80, 0xAE], [0xED, 0xA0, 0x80],
            [0xF4, 0x90, 0x80, 0x80], [0xF5, 0x80, 0x80, 0x80], [0x2E, 0x20, 0xE2, 0x80], [0x2E, 0xC3, 0x41],
        ]
        for bytes in invalid {
            #expect(bytes.withUnsafeBufferPointer { SentenceBreakRules.boundaries(in: $0) } == nil, "\(bytes)")
        }
    }

    /// Characters the rules treat differently, heavily weighted: terminators, closers, spaces, separators, digits,
    /// letters of each case, SContinue, ';' (Other), and non-ASCII of several classes.
    static let randomPieces: [String] = [
        ".", ".", ".", ". ", "!", "?", "\"", "'", "(", ")", "[", "]", " ", " ", "  ", "\t", "\r", "\n", "\r\n", "0", "5",
        "12", "a", "e", "x", "the", "A", "B", "MRI", ",", ";", ":", "-", "/", "#", "\u{2019}", "\u{201C}", "\u{201D}",
        "\u{2013}", "\u{2014}", "\u{B0}", "\u{AE}", "\u{D7}", "é", "É", "\u{2028}", "\u{85}", "\u{A0}", "中", "。", "…",
    ]

    @Test("random texts of special characters: the same boundaries as ICU")
    func randomTexts() throws {
        var checked = 0
        for seed in testSeeds(4) {
            var generator = SeededGenerator(seed: seed)
            for _ in 0..<1_500 {
                var text = ""
                for _ in 0..<Int(generator.next() % 81) {
                    text += Self.randomPieces[Int(generator.next() % UInt64(Self.randomPieces.count))]
                }
                if let problem = try Self.mismatch(text) {
                    Issue.record("seed \(seed): \(Self.escaped(text)): \(problem)")
                    return
                }
                checked += 1
            }
        }
        #expect(checked == testSeeds(4).count * 1_500)
    }

    @Test("the letters and MTSamples notes: the same boundaries as ICU")
    func corpora() throws {
        var texts = try TestPaths.seedTexts()
        if let shared = TestPaths.sharedCorpora {
            for folder in ["imr-dev/text", "imr-dev/text-pdftotext"] {
                let url = shared.appendingPathComponent(folder)
                let names = (try? FileManager.default.contentsOfDirectory(atPath: url.path)) ?? []
                for name in names.sorted() where name.hasSuffix(".txt") {
                    texts.append((folder + "/" + name, try String(contentsOf: url.appendingPathComponent(name), encoding: .utf8)))
                }
            }
            if let csv = try? String(contentsOf: shared.appendingPathComponent("mtsamples/mtsamples.csv"), encoding: .utf8) {
                let table = CSVTable(csv)
                let column = try #require(table.header.firstIndex(of: "transcription"))
                for (index, row) in table.rows.enumerated() where column < row.count {
                    texts.append(("mtsamples row \(index + 1)", row[column]))
                }
            }
        } else {
            print("sentence rules: ../shared/corpora is absent, only the sample letters are compared")
        }
        var declined = 0
        for (name, text) in texts {
            if !Self.takes(text) { declined += 1 }
            let problem = try Self.mismatch(text)
            #expect(problem == nil, "\(name): \(problem ?? "")")  // offsets only: never the document's text
        }
        #expect(try TestPaths.seedTexts().allSatisfy { Self.takes($0.text) })
        print("sentence rules: \(texts.count) texts compared with ICU, \(declined) left to ICU")
    }

    /// Long runs the SB8 look-ahead walks over (a quadratic scan would take minutes here in a debug build).
    @Test("long runs of terminators, closers, spaces and non-letters: the same boundaries as ICU")
    func longRuns() throws {
        for text in [
            String(repeating: ".", count: 20_000), String(repeating: ". ", count: 10_000), String(repeating: "a.)", count: 10_000),
            "x. " + String(repeating: "1 ", count: 20_000) + "b", "x. " + String(repeating: "(", count: 20_000) + ".",
            String(repeating: "x. 1 ", count: 10_000), String(repeating: "!\r\n", count: 10_000),
        ] {
            let problem = try Self.mismatch(text)
            #expect(problem == nil, "\(text.prefix(12).debugDescription)…")
        }
    }
}

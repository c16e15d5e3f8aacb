import ClinPipeCore
import ClinPipeTestSupport
import ClinPipeText
import Foundation
import NormalizeStage
import Testing

@testable import SectionsStage

/// The byte code of `BuiltInHeadingShape` finds exactly the matches (and `title` groups) of the shipped patterns it
/// stands for, and stands only for them.
@Suite struct BuiltInHeadingShapeTests {
    static func shippedPatterns() throws -> [PCRE2Pattern] {
        let tables = try RuleSources.tables(builtIn: "heading-shapes.tsv", extra: [], required: HeadingFinder.columns,
                                            environment: StageEnvironment(stageName: "sections"))
        return try tables.flatMap { table in try table.rows.map { try RuleSources.compile($0, in: table) } }
    }

    /// Pieces that make titles, their edges and their neighbours: capitals and mixed case, the punctuation the
    /// classes hold and the bytes just outside them, the starts and ends each shape needs, runs around the 60-byte
    /// bound, line breaks PCRE2 could read as such, and non-ASCII letters.
    static let pieces = [
        "A", "B", "Z", "a", "z", "0", "9", "HPI", "Past Medical History", "EARS, NOSE AND THROAT", "LEFT KNEE", "x", " ", "  ",
        "\t", " \t ", ":", "::", ": ", ":1", ": 2", ",", ", ", ",,", ".", ".,", ". ", "!", "?", ")", "(", "\"", "/", "&", "'", "-",
        "_", "*", "#", ";", "\n", "\n\n", "\r", "\r\n", "\u{0B}", "\u{0C}", "\u{85}", "\u{2028}", "\u{2029}", "é", "É", "\u{212A}",
        "Upheld", "upheld", "OVERTURNED", "Overturned ", "Uphel", "Overturn", "uPhElD", ": Upheld", ":Overturned \n",
        String(repeating: "A", count: 59), String(repeating: "A", count: 60), String(repeating: "B", count: 61),
        String(repeating: "b ", count: 31), String(repeating: " ", count: 70), "AB" + String(repeating: " ", count: 65),
        "MEDICATIONS:", "GENERAL:", ". NECK: ", "allergies.,MEDICATIONS:, Norco", "cancer.,POSTOPERATIVE DIAGNOSES,1. ",
        "weak.,GENERAL:  The patient", "Case Number:", "MRI OF THE LUMBAR SPINE: Upheld", "12:30",
    ]

    /// Texts from `pieces`, from fixed seeds, with the texts of `PatternEquivalence` and hand-written edge cases.
    static let texts: [String] = {
        var texts = PatternEquivalence.texts() + BuiltInHeadingShape.probeTexts + [
            "", "A", "AB", "AB:", "A:", "a:", ":", "\n", "\nAB\n", "AB\n", " AB \t: \t", "AB::", "A B:", "A, B:", "A,B:", "A ,B:",
            "A, :", "A,  B:", ",AB:,", "AB:,", "x.,AB:,CD,", "x.,A,B,", ",A,", ".,A,", "x. A:", "x.A:", "x.\tAB :", "x.  AB: 1",
            "AB:1", "AB: 1", "AB:\n1", "(AB):", "AB):", "A(B:", "A-:", "A-B:", "X: upheld", "X: Upheld x", "X:Upheld\r\n",
            "X: a: Upheld", ": Upheld", "\n: Overturned\n", "AB\r", "AB\u{85}", "\u{2028}AB:", "é AB:", "Aé:",
        ]
        for seed in testSeeds(40) {
            var generator = SeededGenerator(seed: seed)
            for _ in 0..<40 {
                var text = ""
                for _ in 0..<Int(generator.next() % 24) { text += pieces[Int(generator.next() % UInt64(pieces.count))] }
                texts.append(text)
            }
        }
        return texts
    }()

    /// Every match and its `title` group (the match again for the `exclude` row), as PCRE2 finds them.
    static func plainMatches(_ pattern: PCRE2Pattern, in bytes: UnsafeBufferPointer<UInt8>) throws -> [Range<Int>] {
        let titleGroup = pattern.groupNumbers["title"]
        var found: [Range<Int>] = []
        try pattern.forEachMatch(in: bytes) { match in
            found.append(match.range)
            found.append(titleGroup.flatMap { match.range($0) } ?? match.range)
            return true
        }
        return found
    }

    @Test func everyShippedRowIsBuiltIn() throws {
        let patterns = try Self.shippedPatterns()
        let shapes = patterns.compactMap { BuiltInHeadingShape(pattern: $0) }
        #expect(shapes.count == patterns.count, "a shipped row of heading-shapes.tsv has no byte code: update BuiltInHeadingShape")
        #expect(Set(shapes.map { "\($0)" }).count == BuiltInHeadingShape.allCases.count)
    }

    @Test func editedRowsAreNotBuiltIn() throws {
        for shape in BuiltInHeadingShape.allCases {
            for (source, options) in [(shape.source + " ?", shape.options), (shape.source.replacingOccurrences(of: "60", with: "50"), shape.options),
                                      (shape.source, shape.options.symmetricDifference(.caseless))] where source != shape.source || options != shape.options {
                let pattern = try PCRE2Pattern(source, options: options)
                #expect(BuiltInHeadingShape(pattern: pattern) == nil, "\(source)")
            }
        }
    }

    @Test func sameMatchesAsPCRE2() throws {
        for shape in BuiltInHeadingShape.allCases {
            let pattern = try PCRE2Pattern(shape.source, options: shape.options)
            var problems: [String] = []
            for text in Self.texts {
                try text.withUTF8Bytes { bytes in
                    let expected = try Self.plainMatches(pattern, in: bytes)
                    var found: [Range<Int>] = []
                    shape.forEachMatch(in: bytes) { match, title in
                        found.append(match)
                        found.append(title)
                    }
                    if found != expected { problems.append("\(shape) on \(text.debugDescription): \(found) instead of \(expected)") }
                }
            }
            #expect(problems.isEmpty, "\(problems.prefix(3))")
        }
    }

    /// The shapes share one `BytePositions` in `HeadingFinder`: sharing gives what each finds alone.
    @Test func sharedPositionsGiveTheSameMatches() throws {
        for text in Self.texts.prefix(400) {
            text.withUTF8Bytes { bytes in
                var shared = BytePositions(in: bytes)
                for shape in BuiltInHeadingShape.allCases {
                    var alone: [Range<Int>] = [], together: [Range<Int>] = []
                    shape.forEachMatch(in: bytes) { match, title in alone += [match, title] }
                    shape.forEachMatch(in: bytes, positions: &shared) { match, title in together += [match, title] }
                    #expect(alone == together, "\(shape) on \(text.debugDescription)")
                }
            }
        }
    }

    @Test func bytePositionsFindEveryByte() {
        for text in Self.texts.prefix(300) + ["", ",", String(repeating: "a:,\n", count: 100)] {
            text.withUTF8Bytes { bytes in
                var positions = BytePositions(in: bytes)
                for byte: UInt8 in [0x0A, 0x3A, 0x2C, 0x3A] {
                    #expect(positions.positions(of: byte) == bytes.indices.filter { bytes[$0] == byte }, "\(text.debugDescription)")
                }
            }
        }
    }

    /// The decision words are matched on ASCII letters only: no other character matches their letters caselessly.
    @Test func decisionWordLettersHaveNoOtherCasePartners() throws {
        let letters = try PCRE2Pattern("[uphldovrtne]", options: [.caseless])
        var text = ""
        for value in UInt32(0x80)...0x2FFFF { if let scalar = Unicode.Scalar(value) { text.unicodeScalars.append(scalar) } }
        let found = try text.withUTF8Bytes { try letters.matches($0) }
        #expect(!found)
    }

    /// The development letters (both extractions, when `../shared` is present), raw and normalized: the built-in
    /// shapes and PCRE2 agree on them.
    @Test func sameMatchesOnLetters() throws {
        guard let pypdf = sharedFiles("imr-dev/text"), let pdftotext = sharedFiles("imr-dev/text-pdftotext") else { return }
        let normalize = try NormalizeStage()
        var checked = 0
        for file in pypdf.prefix(40) + pdftotext.prefix(40) {
            var document = Document(id: "test", text: try String(contentsOf: file, encoding: .utf8))
            try normalize.process(&document)
            for text in [document.text, document.normalized.text] {
                try check(text, file.lastPathComponent)
            }
            checked += 1
        }
        // MTSamples notes, whose line breaks are flattened to commas (the `flattened` shapes).
        if let root = TestPaths.sharedCorpora,
           let csv = try? String(contentsOf: root.appendingPathComponent("mtsamples/mtsamples.csv"), encoding: .utf8)
        {
            let table = CSVTable(csv)
            let column = try #require(table.header.firstIndex(of: "transcription"))
            for row in table.rows.prefix(400) where column < row.count {
                try check(row[column], "mtsamples")
                checked += 1
            }
        }
        print("checked \(checked) texts")

        func check(_ text: String, _ name: String) throws {
            try text.withUTF8Bytes { bytes in
                for shape in BuiltInHeadingShape.allCases {
                    let pattern = try PCRE2Pattern(shape.source, options: shape.options)
                    var found: [Range<Int>] = []
                    shape.forEachMatch(in: bytes) { match, title in found += [match, title] }
                    #expect(found == (try Self.plainMatches(pattern, in: bytes)), "\(shape) on \(name)")
                }
            }
        }
    }
}

import ClinPipeTestSupport
import ClinPipeCore
import ClinPipeIO
import Foundation
import Testing

/// The output contract: for every annotation written, slicing the ORIGINAL text at `begin..<end` in the unit
/// named by `offsets` gives exactly `text`, the way a Python user would slice it (code points: `str` indices;
/// UTF-16: Java/JavaScript string indices; UTF-8: bytes).
///
/// Lines are decoded with `JSONDecoder`: Foundation's `JSONSerialization` on Linux drops a U+FEFF that follows an
/// escape sequence in a JSON string (`"\"\u{FEFF}"`), which would fail this test for a reason outside ClinPipe.
@Suite("Output contract")
struct OutputContractTests {
    struct Line: Decodable {
        struct Annotation: Decodable {
            var id: Int
            var type: String
            var begin: Int
            var end: Int
            var text: String
        }
        var id: String
        var offsets: String
        var annotations: [Annotation]
    }

    /// `text[begin..<end]` with the semantics of `unit`, or nil when the offsets do not fit the text.
    static func slice(_ text: String, _ begin: Int, _ end: Int, unit: OffsetUnit) -> [Unicode.Scalar]? {
        guard begin >= 0, begin <= end else { return nil }
        switch unit {
        case .codepoint:
            let scalars = Array(text.unicodeScalars)
            return end <= scalars.count ? Array(scalars[begin..<end]) : nil
        case .utf16:
            let units = Array(text.utf16)
            guard end <= units.count, let decoded = String(validating: units[begin..<end], as: UTF16.self) else { return nil }
            return Array(decoded.unicodeScalars)
        case .utf8:
            let bytes = Array(text.utf8)
            guard end <= bytes.count, let decoded = String(validating: bytes[begin..<end], as: UTF8.self) else { return nil }
            return Array(decoded.unicodeScalars)
        }
    }

    @Test("slicing the original text at the written offsets gives the written text, in every unit",
          arguments: OffsetUnit.allCases)
    func contract(unit: OffsetUnit) throws {
        var checked = 0
        for seed in testSeeds(200) {
            var generator = SeededGenerator(seed: seed)
            let text = RandomText.make(pieceCount: Int.random(in: 1...50, using: &generator), using: &generator)
            let boundaries = RandomText.scalarBoundaries(text)
            var document = Document(id: "doc-\(seed)", text: text)
            for _ in 0..<Int.random(in: 0...25, using: &generator) {
                let a = boundaries.randomElement(using: &generator)!, b = boundaries.randomElement(using: &generator)!
                try document.addAnnotation(type: "random", range: min(a, b)..<max(a, b), provenance: Provenance(stage: "test"))
            }
            let line = JSONLEncoder(unit: unit).encode(.document(document))
            let decoded = try JSONDecoder().decode(Line.self, from: Data(line))
            #expect(decoded.offsets == unit.rawValue)
            #expect(decoded.id == document.id)
            #expect(decoded.annotations.count == document.annotations.count, "seed \(seed)")
            for (written, annotation) in zip(decoded.annotations, document.annotations) {
                let begin = written.begin, end = written.end, writtenText = written.text
                let sliced = Self.slice(text, begin, end, unit: unit)
                #expect(sliced == Array(writtenText.unicodeScalars),
                        "seed \(seed) \(unit): \(begin)..<\(end) does not slice to the written text")
                // And the written text is the annotation's own text (not some other span that happens to match).
                #expect(Array(writtenText.unicodeScalars) == Array(document.coveredText(of: annotation).unicodeScalars), "seed \(seed)")
                checked += 1
            }
        }
        #expect(checked > 1000)
    }

    @Test("CSV rows obey the same contract")
    func csvContract() throws {
        for unit in OffsetUnit.allCases {
            for seed in testSeeds(50) {
                var generator = SeededGenerator(seed: seed)
                let text = RandomText.make(pieceCount: Int.random(in: 1...30, using: &generator), using: &generator)
                let boundaries = RandomText.scalarBoundaries(text)
                var document = Document(id: "d", text: text)
                for _ in 0..<10 {
                    let a = boundaries.randomElement(using: &generator)!, b = boundaries.randomElement(using: &generator)!
                    try document.addAnnotation(type: "random", range: min(a, b)..<max(a, b), provenance: Provenance(stage: "test"))
                }
                let rows = parseCSV(CSVEncoder(unit: unit).encode(.document(document)))
                #expect(rows.count == 10, "seed \(seed)")
                let columns = CSVEncoder.columns
                for row in rows {
                    let begin = Int(row[columns.firstIndex(of: "begin")!])!, end = Int(row[columns.firstIndex(of: "end")!])!
                    let written = row[columns.firstIndex(of: "text")!]
                    #expect(Self.slice(text, begin, end, unit: unit) == Array(written.unicodeScalars), "seed \(seed) \(unit)")
                }
            }
        }
    }
}

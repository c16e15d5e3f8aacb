import ClinPipeCore
import ClinPipeTestSupport
import ClinPipeText
import Foundation
import NormalizeStage
import Testing

/// The stage reads sentence boundaries of the normalized layer: there, the byte rules must give ICU's boundaries,
/// and a boundary must follow every line feed (the stage relies on it for one sentence per line at least).
@Suite struct NormalizedBoundariesTests {
    @Test("on the normalized letters and MTSamples notes: ICU's boundaries, one after every line feed")
    func normalizedLetters() throws {
        var texts = try TestPaths.seedTexts()
        if let shared = TestPaths.sharedCorpora {
            let folder = shared.appendingPathComponent("imr-dev/text")
            for name in ((try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []).sorted() where name.hasSuffix(".txt") {
                texts.append((name, try String(contentsOf: folder.appendingPathComponent(name), encoding: .utf8)))
            }
            if let csv = try? String(contentsOf: shared.appendingPathComponent("mtsamples/mtsamples.csv"), encoding: .utf8) {
                let table = CSVTable(csv)
                let column = try #require(table.header.firstIndex(of: "transcription"))
                for (index, row) in table.rows.enumerated() where index % 5 == 0 && column < row.count {
                    texts.append(("mtsamples row \(index + 1)", row[column]))
                }
            }
        }
        let normalize = try NormalizeStage()
        for (name, text) in texts {
            var document = Document(id: name, text: text)
            try normalize.process(&document)
            let layer = document.normalized.text
            let found = try SentenceBoundaries.boundaries(in: layer)
            let icu = try SentenceBoundaries.icuBoundaries(in: layer)
            #expect(found == icu, "\(name)")  // never the document's text
            let lineStarts = layer.withUTF8Bytes { bytes in bytes.indices.filter { bytes[$0] == 0x0A }.map { $0 + 1 } }
            #expect(Set(lineStarts).isSubset(of: Set(found)), "\(name)")
        }
        print("normalized boundaries: \(texts.count) texts compared with ICU")
    }
}

import ClinPipeCore
import ClinPipeTestSupport
import Foundation
import Synchronization
import Testing

/// Properties every output of the stage keeps, checked on every letter at hand (samples, and both extractions of
/// the development letters when `../shared` is present): spans on character boundaries of the original text,
/// headings equal to their titles, sections starting at their headings and nested in their parents, items inside
/// their sections and children inside their items, and the same output from many threads as from one.
@Suite struct InvariantsTests {
    static func letters() throws -> [(String, String)] {
        var letters = try TestPaths.seedTexts()
        for folder in ["imr-dev/text", "imr-dev/text-pdftotext"] {
            for file in sharedFiles(folder) ?? [] {
                letters.append((folder + "/" + file.lastPathComponent, try String(contentsOf: file, encoding: .utf8)))
            }
        }
        return letters
    }

    static func check(_ document: Document) {
        let byID = Dictionary(uniqueKeysWithValues: document.annotations.map { ($0.id.rawValue, $0) })
        func parent(of annotation: Annotation) -> Annotation? { annotation.attributes["parent"]?.intValue.flatMap { byID[$0] } }
        func contains(_ outer: Annotation, _ inner: Annotation) -> Bool {
            outer.range.lowerBound <= inner.range.lowerBound && inner.range.upperBound <= outer.range.upperBound
        }
        for annotation in document.annotations where annotation.provenance.stage == "sections" {
            #expect(!annotation.range.isEmpty, "\(document.id): empty \(annotation.type)")
            let text = document.coveredText(of: annotation)
            #expect(text.first?.isWhitespace == false && text.last?.isWhitespace == false,
                    "\(document.id): \(annotation.type) \(annotation.id) has surrounding whitespace")
            switch annotation.type {
            case "section.heading":
                let section = parent(of: annotation)
                #expect(section?.type == "section")
                #expect(section.map { collapse(text) == $0.attributes["title"]?.stringValue } == true, "\(document.id): heading text")
                #expect(section?.range.lowerBound == annotation.range.lowerBound)
            case "section":
                if let outer = parent(of: annotation) {
                    #expect(outer.type == "section" && contains(outer, annotation), "\(document.id): subsection outside its parent")
                }
            case "imr.item":
                let section = parent(of: annotation)
                #expect(section?.attributes["name"] == .string("imr_issues_decisions"))
                #expect(section.map { contains($0, annotation) } == true, "\(document.id): item outside its section")
            default:
                let item = parent(of: annotation)
                #expect(item?.type == "imr.item", "\(document.id): \(annotation.type) without its item")
                #expect(item.map { contains($0, annotation) } == true, "\(document.id): \(annotation.type) outside its item")
            }
        }
        // Items do not overlap one another, and sections of the same level do not either.
        let items = document.sorted("imr.item")
        for (a, b) in zip(items, items.dropFirst()) { #expect(a.range.upperBound <= b.range.lowerBound, "\(document.id): items overlap") }
    }

    @Test("span invariants on every letter and on every 10th MTSamples note")
    func invariants() throws {
        let harness = try Harness()
        let letters = try Self.letters()
        for (name, text) in letters { Self.check(try harness.run(text, id: name)) }
        var notes = 0
        if let root = TestPaths.sharedCorpora,
           let csv = try? String(contentsOf: root.appendingPathComponent("mtsamples/mtsamples.csv"), encoding: .utf8)
        {
            let table = CSVTable(csv)
            let column = try #require(table.header.firstIndex(of: "transcription"))
            for (index, row) in table.rows.enumerated() where index % 10 == 0 && column < row.count && !row[column].isEmpty {
                Self.check(try harness.run(row[column], id: "mtsamples-\(index)"))
                notes += 1
            }
        }
        print("invariants checked on \(letters.count) letters and \(notes) MTSamples notes")
    }

    @Test("after normalize + sentences, each heading is a whole sentence and no sentence crosses an item line's edges")
    func sentencesAgreeWithStructure() throws {
        let harness = try Harness()
        var headings = 0, lines = 0
        for (name, text) in try Self.letters() {
            let document = try harness.run(text, id: name)
            let index = document.makeIndex()
            for heading in document.annotations(ofType: "section.heading") {
                headings += 1
                #expect(index.annotations(ofType: "sentence", overlapping: heading.range).map(\.range) == [heading.range],
                        "\(name): heading is not one sentence")
            }
            for line in document.annotations(ofType: "imr.item.line") {
                lines += 1
                for sentence in index.annotations(ofType: "sentence", overlapping: line.range) {
                    #expect(line.range.lowerBound <= sentence.range.lowerBound && sentence.range.upperBound <= line.range.upperBound,
                            "\(name): a sentence crosses an item line's edge")
                }
            }
        }
        print("sentences vs structure: \(headings) headings, \(lines) item lines")
    }

    @Test("one stage instance on many threads gives the same output as on one")
    func concurrency() throws {
        let harness = try Harness()
        let letters = try Self.letters()
        let sequential = try letters.map { try harness.run($0.1, id: $0.0).annotations }
        let results = Mutex([[Annotation]?](repeating: nil, count: letters.count))
        DispatchQueue.concurrentPerform(iterations: letters.count) { index in
            let annotations = try? harness.run(letters[index].1, id: letters[index].0).annotations
            results.withLock { $0[index] = annotations }
        }
        let parallel = results.withLock { $0 }
        for index in letters.indices { #expect(parallel[index] == sequential[index], "\(letters[index].0) differs across threads") }
    }
}

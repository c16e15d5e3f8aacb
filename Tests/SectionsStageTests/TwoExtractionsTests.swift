import ClinPipeCore
import ClinPipeTestSupport
import Foundation
import Testing

/// The same 60 letters extracted twice (`imr-dev/text/` by pypdf, `imr-dev/text-pdftotext/` by poppler's
/// pdftotext, which lays lines out differently and adds a header block) must give the same section titles, item
/// blocks and sentence texts after normalize + sentences + sections. Sentences are compared in the normalized
/// layer, whitespace collapsed, from the first IMR heading on (the pdftotext header block comes before it).
///
/// What cannot agree, measured when this test was written: pdftotext itself drops the hyphen of a word or date
/// broken at a line end when it writes its text (`10-302016` for `10-30-2016`, `skillednursing`, `Sshaped`), so a
/// sentence holding such a break differs in its hyphens. The test compares sentences exactly and, separately,
/// with hyphens removed; it requires every letter to agree on the latter.
@Suite struct TwoExtractionsTests {
    struct Extracted {
        var titles: [String]
        var items: [String]
        var sentences: [String]
    }

    static func extract(_ document: Document) -> Extracted {
        let sections = document.sorted("section")
        let start = sections.first?.range.lowerBound ?? Int.max
        let items = document.sorted("imr.item").map {
            "\(collapse(document.string("item", of: $0) ?? "")) => \(document.string("outcome", of: $0) ?? "")"
        }
        let sentences = document.sorted("sentence").filter { $0.range.lowerBound >= start }.map { document.layerText(of: $0) }
        return Extracted(titles: document.sectionTitles, items: items, sentences: sentences)
    }

    /// The sentence text without hyphens and the spaces around them (what pdftotext's own de-hyphenation leaves).
    static func hyphenFree(_ text: String) -> String {
        String(text.unicodeScalars.filter { $0 != "-" && $0 != " " }.map(Character.init))
    }

    @Test("pypdf and pdftotext extractions agree on sections, items and sentences")
    func extractionsAgree() throws {
        guard let pypdf = sharedFiles("imr-dev/text"), let root = TestPaths.sharedCorpora else { return }
        let harness = try Harness()
        var titleMismatches: [String] = [], itemMismatches: [String] = [], sentenceMismatches: [String] = []
        var exactLetters = 0, sentenceCount = 0, differingSentences = 0
        for file in pypdf {
            let name = file.deletingPathExtension().lastPathComponent
            let other = root.appendingPathComponent("imr-dev/text-pdftotext/\(name).txt")
            let a = Self.extract(try harness.run(try String(contentsOf: file, encoding: .utf8), id: name))
            let b = Self.extract(try harness.run(try String(contentsOf: other, encoding: .utf8), id: name))
            if a.titles != b.titles { titleMismatches.append(name) }
            if a.items != b.items { itemMismatches.append(name) }
            sentenceCount += a.sentences.count
            if a.sentences == b.sentences {
                exactLetters += 1
            } else {
                let setB = Set(b.sentences)
                let onlyA = a.sentences.filter { !setB.contains($0) }
                differingSentences += onlyA.count
                if a.sentences.map(Self.hyphenFree) != b.sentences.map(Self.hyphenFree) {
                    sentenceMismatches.append(name)
                    let keysB = Set(b.sentences.map(Self.hyphenFree))
                    for sentence in a.sentences where !keysB.contains(Self.hyphenFree(sentence)) {
                        print("  \(name) pypdf only: \(sentence.prefix(160))")
                    }
                    let keysA = Set(a.sentences.map(Self.hyphenFree))
                    for sentence in b.sentences where !keysA.contains(Self.hyphenFree(sentence)) {
                        print("  \(name) pdftotext only: \(sentence.prefix(160))")
                    }
                }
            }
        }
        print("two extractions: \(pypdf.count) letters, \(sentenceCount) sentences; identical sentences in \(exactLetters) letters; "
            + "\(differingSentences) pypdf sentences have no identical pdftotext sentence; letters differing beyond hyphens: "
            + "\(sentenceMismatches.count) \(sentenceMismatches)")
        #expect(pypdf.count == 60)
        #expect(titleMismatches.isEmpty, "section titles differ: \(titleMismatches)")
        #expect(itemMismatches.isEmpty, "item blocks differ: \(itemMismatches)")
        #expect(sentenceMismatches.isEmpty, "sentences differ beyond hyphens: \(sentenceMismatches)")
    }
}

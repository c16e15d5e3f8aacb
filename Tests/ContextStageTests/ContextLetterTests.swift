import ClinPipeCore
import ClinPipeTestSupport
import ClinPipeText
import ContextStage
import Foundation
import Testing

/// The stage over real IMR letters: the five seed letters in the repository, and the 60 development letters of
/// ../shared/corpora/imr-dev when present.
@Suite struct ContextLetterTests {
    static func letters() throws -> [(name: String, text: String)] {
        var letters = try TestPaths.seedTexts()
        if let shared = TestPaths.sharedCorpora {
            let folder = shared.appendingPathComponent("imr-dev/text")
            let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path))?.filter { $0.hasSuffix(".txt") }.sorted() ?? []
            for name in names {
                letters.append((name, try String(contentsOf: folder.appendingPathComponent(name), encoding: .utf8)))
            }
        } else {
            print("ContextLetterTests: ../shared/corpora is absent; using the seed letters only")
        }
        return letters
    }

    /// "[Therefore,] the request for X is not medically necessary": the subject of the decision (the disputed item,
    /// with the words before it in its sentence) must stay affirmed.
    @Test func decisionPhrasesInLettersLeaveTheItemAffirmed() throws {
        let harness = try ContextHarness()
        let pattern = try PCRE2Pattern(
            #"(?:^|[.;:?]\s+)(?:(?:therefore|thus|as such|consequently|accordingly|hence|in summary|no|yes),?\s+)?(?<item>[A-Za-z][^.;:,\n]{2,160}?)\s+(?:is|was|remains|are|were)\s+not\s+medically\s+(?:necessary|reasonable)"#,
            options: [.caseless])
        var checked = 0
        var negated: [String] = []
        for (name, text) in try Self.letters() {
            var items: [Range<Int>] = []
            try text.withUTF8Bytes { bytes in
                try pattern.forEachMatch(in: bytes) { match in
                    if let item = match.range("item") { items.append(item) }
                    return true
                }
            }
            guard !items.isEmpty else { continue }
            var document = Document(id: name, text: text)
            let ids = try items.map { try document.addAnnotation(type: "item", range: $0, provenance: .input) }
            try harness.normalize.process(&document)
            try harness.sentences.process(&document)
            try harness.context.process(&document)
            for id in ids {
                checked += 1
                if document.annotation(id)?.attributes["negated"] == .bool(true) { negated.append("\(name) item \(id)") }
            }
        }
        print("decision phrases checked: \(checked), item negated: \(negated.count)")
        // The seed letters alone state one such decision; with the development letters, dozens.
        #expect(checked >= (TestPaths.sharedCorpora == nil ? 1 : 5))
        #expect(negated.isEmpty, "\(negated)")
    }

    /// Invariants over every letter: every target carries the five attributes, every modifier points at existing
    /// targets in its own sentence, and findings such as "no documentation of functional improvement" are negated.
    @Test func invariantsOverLetters() throws {
        let harness = try ContextHarness()
        var findings = 0, negatedFindings = 0
        for (name, text) in try Self.letters() {
            var document = Document(id: name, text: text)
            try harness.normalize.process(&document)
            try harness.sentences.process(&document)
            try harness.context.process(&document)
            let index = document.makeIndex()
            for annotation in document.annotations where annotation.type == "finding" || annotation.type == "procedure" {
                findings += 1
                #expect(annotation.attributes["negated"]?.boolValue != nil)
                #expect(annotation.attributes["experiencer"]?.stringValue != nil)
                if annotation.attributes["negated"] == .bool(true) { negatedFindings += 1 }
            }
            for modifier in document.annotations(ofType: ContextStage.modifierType) {
                let targets = modifier.attributes["targets"]?.listValue ?? []
                #expect(!targets.isEmpty)
                let sentence = index.covering(modifier.range, ofType: "sentence")
                for case .int(let raw) in targets {
                    let target = try #require(document.annotation(AnnotationID(raw)))
                    #expect(target.type != "sentence" && target.type != ContextStage.modifierType)
                    if let sentence { #expect(sentence.range.overlaps(target.range)) }
                }
            }
        }
        print("letters: \(findings) findings and procedures, \(negatedFindings) negated")
        #expect(findings > 20)
        #expect(negatedFindings > 0 && negatedFindings < findings)
    }
}

import ClinPipeCore
import ClinPipeTestSupport
import DrugsStage
import Foundation
import Testing

/// Measured figures, with floors a little below them so that a regression fails the test.
@Suite("Drug evaluation against gold annotations")
struct DrugEvaluationTests {
    /// Reads a brat-style standoff file (`T1\tdrug 10 18\tFlexeril`), offsets in code points.
    static func goldSpans(_ url: URL, type: String) throws -> [(range: Range<Int>, text: String)] {
        let text = try String(contentsOf: url, encoding: .utf8)
        return text.split(separator: "\n").compactMap { line in
            let fields = line.split(separator: "\t", omittingEmptySubsequences: false)
            guard fields.count == 3, fields[0].hasPrefix("T") else { return nil }
            let parts = fields[1].split(separator: " ")
            guard parts.count == 3, parts[0] == type, let begin = Int(parts[1]), let end = Int(parts[2]) else { return nil }
            return (begin..<end, String(fields[2]))
        }
    }

    @Test("the five sample letters: gold written by reading them")
    func seedLetters() throws {
        let goldFolder = TestPaths.corpora.appendingPathComponent("gold")
        var exact = Score()
        var overlap = Score()
        for (name, text) in try TestPaths.seedTexts() {
            let stem = String(name.dropLast(4))
            let gold = try Self.goldSpans(goldFolder.appendingPathComponent(stem + ".ann"), type: "drug")
            // The gold's covered texts agree with its offsets (code points into the original file).
            let scalars = Array(text.unicodeScalars)
            for span in gold {
                var covered = String.UnicodeScalarView()
                covered.append(contentsOf: scalars[span.range])
                #expect(String(covered) == span.text, "\(stem) \(span.range)")
            }
            var document = Document(id: stem, text: text)
            try DrugsTesting.stage.process(&document)
            let map = text.codePointOffsetsByUTF8
            let predicted = DrugsTesting.drugs(document).map { map[$0.range.lowerBound]..<map[$0.range.upperBound] }
            exact.add(predicted: predicted, gold: gold.map(\.range), overlap: false)
            overlap.add(predicted: predicted, gold: gold.map(\.range), overlap: true)
        }
        print("drugs vs gold (seed letters), exact spans: \(exact)")
        print("drugs vs gold (seed letters), overlapping spans: \(overlap)")
        #expect(exact.gold == 24)
        #expect(exact.precision >= 0.95 && exact.recall >= 0.95, "\(exact)")
        #expect(overlap.f1 >= 0.95, "\(overlap)")
    }

    @Test("PHEE dev: drug names against its Drug spans (overlap)")
    func phee() throws {
        guard let shared = TestPaths.sharedCorpora else {
            print("skipped: ../shared/corpora is absent")
            return
        }
        let url = shared.appendingPathComponent("phee/dev.jsonl")
        guard FileManager.default.fileExists(atPath: url.path) else {
            print("skipped: \(url.path) is absent")
            return
        }
        var score = Score()
        var sentences = 0
        let content = try String(contentsOf: url, encoding: .utf8)
        for line in content.split(separator: "\n") where !line.isEmpty {
            let json = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
            let context = try #require(json["context"] as? String)
            var gold: Set<Range<Int>> = []
            Self.collectDrugSpans(json["annotations"] as Any, into: &gold)
            var document = Document(id: json["id"] as? String ?? "", text: context)
            try DrugsTesting.stage.process(&document)
            let map = context.codePointOffsetsByUTF8
            let predicted = DrugsTesting.drugs(document).map { map[$0.range.lowerBound]..<map[$0.range.upperBound] }
            score.add(predicted: predicted, gold: Array(gold), overlap: true)
            sentences += 1
        }
        print("drugs vs PHEE dev Drug spans (\(sentences) sentences, overlap): \(score)")
        #expect(sentences > 900)
        // Measured P 0.892, R 0.838. PHEE marks only drugs that take part in an annotated event and counts drug
        // classes ("corticosteroids", "statins") as Drug, which this stage does not annotate.
        #expect(score.precision >= 0.86, "\(score)")
        #expect(score.recall >= 0.80, "\(score)")
    }

    /// Every `Drug` span anywhere in a PHEE annotation tree: `{"text": [[..]], "start": [[..]]}` in code points.
    static func collectDrugSpans(_ node: Any, into spans: inout Set<Range<Int>>) {
        if let object = node as? [String: Any] {
            for (key, value) in object {
                if key == "Drug", let drug = value as? [String: Any], let texts = drug["text"] as? [[String]],
                   let starts = drug["start"] as? [[Int]]
                {
                    for (textGroup, startGroup) in zip(texts, starts) {
                        for (text, start) in zip(textGroup, startGroup) {
                            spans.insert(start..<(start + text.unicodeScalars.count))
                        }
                    }
                } else {
                    collectDrugSpans(value, into: &spans)
                }
            }
        } else if let array = node as? [Any] {
            for element in array { collectDrugSpans(element, into: &spans) }
        }
    }
}

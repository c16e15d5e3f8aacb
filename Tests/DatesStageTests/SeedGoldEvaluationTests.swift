import ClinPipeCore
import ClinPipeTestSupport
import DatesStage
import Foundation
import Testing

/// Precision, recall and F1 (exact span) of the stage on the five seed letters against the hand-made gold
/// standoff files in `Corpora/gold/` (the `date` rows) (brat: `T<n>\tdate <begin> <end>\t<text>`, code point offsets).
@Suite struct SeedGoldEvaluationTests {
    struct Span: Hashable { var begin: Int, end: Int }

    /// Gold spans of one letter, checked against its text (the covered text with whitespace runs as one space).
    static func goldSpans(stem: String, text: String) throws -> Set<Span> {
        let url = TestPaths.corpora.appendingPathComponent("gold/\(stem).ann")
        let scalars = Array(text.unicodeScalars)
        var spans: Set<Span> = []
        for line in try String(contentsOf: url, encoding: .utf8).split(separator: "\n") where line.hasPrefix("T") {
            let fields = line.split(separator: "\t", omittingEmptySubsequences: false)
            let head = fields[1].split(separator: " ")
            guard head[0] == "date" else { continue }
            let span = Span(begin: Int(head[1])!, end: Int(head[2])!)
            let covered = String(String.UnicodeScalarView(scalars[span.begin..<span.end]))
            #expect(covered.split(whereSeparator: \.isWhitespace).joined(separator: " ") == String(fields[2]),
                    "gold \(stem) \(line)")
            spans.insert(span)
        }
        return spans
    }

    /// Code point offsets of a UTF-8 range of `text`.
    static func codePoints(_ range: Range<Int>, in text: String) -> Span {
        let utf8 = text.utf8
        func convert(_ offset: Int) -> Int {
            text.unicodeScalars.distance(from: text.startIndex, to: utf8.index(utf8.startIndex, offsetBy: offset))
        }
        return Span(begin: convert(range.lowerBound), end: convert(range.upperBound))
    }

    @Test func exactSpanScoresOnSeedLetters() throws {
        var truePositives = 0, falsePositives = 0, falseNegatives = 0
        var report: [String] = []
        for (name, text) in try TestPaths.seedTexts() {
            let stem = String(name.dropLast(4))
            let gold = try Self.goldSpans(stem: stem, text: text)
            var document = Document(id: stem, text: text)
            try DatesFixture.stage.process(&document)
            let found = Set(document.annotations(ofType: "date").map { Self.codePoints($0.range, in: text) })
            truePositives += found.intersection(gold).count
            falsePositives += found.subtracting(gold).count
            falseNegatives += gold.subtracting(found).count
            for span in found.subtracting(gold) { report.append("\(stem): spurious \(span.begin)-\(span.end)") }
            for span in gold.subtracting(found) { report.append("\(stem): missed \(span.begin)-\(span.end)") }
        }
        let precision = Double(truePositives) / Double(max(1, truePositives + falsePositives))
        let recall = Double(truePositives) / Double(max(1, truePositives + falseNegatives))
        let f1 = precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall)
        print("dates on seed letters: tp=\(truePositives) fp=\(falsePositives) fn=\(falseNegatives) "
              + "precision=\(precision) recall=\(recall) f1=\(f1)")
        for line in report { print("  " + line) }
        #expect(truePositives + falseNegatives == 26, "the gold has 26 dates")
        #expect(precision >= 1.0)
        #expect(recall >= 1.0)
        #expect(f1 >= 1.0)
    }
}

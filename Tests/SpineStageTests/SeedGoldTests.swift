import ClinPipeCore
import ClinPipeTestSupport
import Foundation
import SpineStage
import Testing

/// The stage against the hand-made gold for the five sample letters (the `spine.*` rows of `Corpora/gold/*.ann`).
///
/// The gold was written by reading each letter, not by running the stage (see the folder's README). Offsets are
/// Unicode code points into the original file, half-open; the covered text in the file has each line break or tab
/// written as a space.
@Suite struct SeedGoldTests {
    static let goldFolder = TestPaths.corpora.appendingPathComponent("gold")

    /// One span of one type, in code points.
    struct Span: Hashable { var type: String; var begin: Int; var end: Int }

    static func readGold(_ stem: String) throws -> [(span: Span, text: String)] {
        let url = goldFolder.appendingPathComponent(stem + ".ann")
        let content = try String(contentsOf: url, encoding: .utf8)
        return try content.split(separator: "\n").map { line in
            let fields = line.split(separator: "\t", omittingEmptySubsequences: false)
            let middle = fields.count == 3 ? fields[1].split(separator: " ") : []
            guard fields.count == 3, fields[0].hasPrefix("T"), middle.count == 3, let begin = Int(middle[1]),
                  let end = Int(middle[2])
            else { throw GoldError.badLine(stem + ".ann: " + line) }
            return (Span(type: String(middle[0]), begin: begin, end: end), String(fields[2]))
        }.filter { $0.span.type.hasPrefix("spine.") }
    }

    enum GoldError: Error { case badLine(String) }

    /// Precision, recall and F1 of `predicted` against `gold`, spans matched one to one (exactly, or by overlap).
    struct Score {
        var truePositives = 0, predicted = 0, gold = 0
        var precision: Double { predicted == 0 ? (gold == 0 ? 1 : 0) : Double(truePositives) / Double(predicted) }
        var recall: Double { gold == 0 ? 1 : Double(truePositives) / Double(gold) }
        var f1: Double { precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall) }
        var summary: String {
            String(format: "P %.3f R %.3f F1 %.3f (tp %d, predicted %d, gold %d)", precision, recall, f1,
                   truePositives, predicted, gold)
        }

        mutating func add(gold goldSpans: [Span], predicted predictedSpans: [Span], overlap: Bool) {
            gold += goldSpans.count
            predicted += predictedSpans.count
            var unmatched = goldSpans
            for span in predictedSpans {
                let index = unmatched.firstIndex {
                    overlap ? ($0.begin < span.end && span.begin < $0.end) : ($0.begin == span.begin && $0.end == span.end)
                }
                if let index {
                    truePositives += 1
                    unmatched.remove(at: index)
                }
            }
        }
    }

    /// Code point offset of every UTF-8 offset that starts a scalar.
    static func codePointOffsets(_ text: String) -> [Int: Int] {
        var map: [Int: Int] = [:]
        var utf8 = 0, scalars = 0
        for scalar in text.unicodeScalars {
            map[utf8] = scalars
            utf8 += scalar.utf8.count
            scalars += 1
        }
        map[utf8] = scalars
        return map
    }

    @Test func goldOffsetsMatchTheLetters() throws {
        for (name, text) in try TestPaths.seedTexts() {
            let stem = String(name.dropLast(4))
            let scalars = Array(text.unicodeScalars)
            for (span, covered) in try Self.readGold(stem) {
                #expect(span.begin >= 0 && span.begin < span.end && span.end <= scalars.count, "\(stem) \(span)")
                guard span.begin >= 0, span.begin < span.end, span.end <= scalars.count else { continue }
                var slice = String(String.UnicodeScalarView(scalars[span.begin..<span.end]))
                slice = String(slice.map { $0 == "\n" || $0 == "\r" || $0 == "\t" || $0 == "\r\n" ? " " : $0 })
                #expect(slice == covered, "\(stem) \(span)")
                #expect([SpineStage.levelType, SpineStage.dermatomeType].contains(span.type))
            }
        }
    }

    @Test func seedLettersAgainstGold() throws {
        var scores: [String: (exact: Score, overlap: Score)] = [:]
        for type in [SpineStage.levelType, SpineStage.dermatomeType] { scores[type] = (Score(), Score()) }
        let letters = try TestPaths.seedTexts()
        #expect(letters.count == 5)
        for (name, text) in letters {
            let stem = String(name.dropLast(4))
            let gold = try Self.readGold(stem).map(\.span)
            let document = try runSpine(text)
            let offsets = Self.codePointOffsets(text)
            let predicted = document.annotations.map {
                Span(type: $0.type, begin: offsets[$0.range.lowerBound]!, end: offsets[$0.range.upperBound]!)
            }
            for type in scores.keys {
                let g = gold.filter { $0.type == type }, p = predicted.filter { $0.type == type }
                scores[type]!.exact.add(gold: g, predicted: p, overlap: false)
                scores[type]!.overlap.add(gold: g, predicted: p, overlap: true)
            }
        }
        for (type, score) in scores.sorted(by: { $0.key < $1.key }) {
            print("spine seed gold \(type): exact \(score.exact.summary); overlap \(score.overlap.summary)")
        }
        // Floors (measured: every type 1.000 exact and overlap on the five seed letters).
        let level = scores[SpineStage.levelType]!, dermatome = scores[SpineStage.dermatomeType]!
        #expect(level.exact.gold == 4 && dermatome.exact.gold == 4)
        #expect(level.exact.f1 >= 0.85)
        #expect(level.overlap.f1 >= 0.95)
        #expect(dermatome.exact.f1 >= 0.85)
        #expect(dermatome.overlap.f1 >= 0.95)
    }
}

import ClinPipeCore
import ClinPipeTestSupport
import DrugsStage
import Foundation

/// Shared helpers for the `drugs` stage tests.
enum DrugsTesting {
    /// The stage with its default configuration (built once: the lexicon has thousands of terms).
    static let stage: DrugsStage = {
        do { return try DrugsStage(configuration: .init(), environment: StageEnvironment(stageName: "drugs")) } catch {
            fatalError("the built-in drugs stage does not build: \(error)")
        }
    }()

    /// `Tests/DrugsStageTests/Fixtures`.
    static var fixtures: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures")
    }

    /// Runs `stage` on `text` (no normalize stage: the identity layer).
    static func run(_ text: String, stage: DrugsStage = stage) throws -> Document {
        var document = Document(id: "test", text: text)
        try stage.process(&document)
        return document
    }

    /// The drug annotations of a document, sorted by start.
    static func drugs(_ document: Document) -> [Annotation] {
        document.annotations(ofType: "drug").sorted { $0.range.lowerBound < $1.range.lowerBound }
    }

    /// The first drug annotation whose covered text is `name`.
    static func drug(_ name: String, in document: Document) -> Annotation? {
        drugs(document).first { document.coveredText(of: $0) == name }
    }
}

/// Precision, recall and F1 from counts.
struct Score: CustomStringConvertible {
    var truePositivesPredicted = 0
    var predicted = 0
    var truePositivesGold = 0
    var gold = 0

    var precision: Double { predicted == 0 ? 1 : Double(truePositivesPredicted) / Double(predicted) }
    var recall: Double { gold == 0 ? 1 : Double(truePositivesGold) / Double(gold) }
    var f1: Double { precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall) }

    /// Adds one document: spans are half-open ranges in one unit; `overlap` counts any shared character as a hit,
    /// otherwise spans must be equal.
    mutating func add(predicted: [Range<Int>], gold: [Range<Int>], overlap: Bool) {
        func hit(_ a: Range<Int>, _ b: Range<Int>) -> Bool { overlap ? a.overlaps(b) : a == b }
        self.predicted += predicted.count
        self.gold += gold.count
        truePositivesPredicted += predicted.filter { p in gold.contains { hit(p, $0) } }.count
        truePositivesGold += gold.filter { g in predicted.contains { hit($0, g) } }.count
    }

    var description: String {
        String(format: "P %.3f R %.3f F1 %.3f (%d predicted, %d gold)", precision, recall, f1, predicted, gold)
    }
}

extension String {
    /// Maps UTF-8 byte offsets of this string to Unicode code point offsets (`result[utf8Offset]`, defined on
    /// scalar boundaries and at the end).
    var codePointOffsetsByUTF8: [Int] {
        var map = [Int](repeating: 0, count: utf8.count + 1)
        var utf8Offset = 0
        var scalarOffset = 0
        for scalar in unicodeScalars {
            map[utf8Offset] = scalarOffset
            utf8Offset += String(scalar).utf8.count
            scalarOffset += 1
        }
        map[utf8Offset] = scalarOffset
        return map
    }

    /// Maps Unicode code point offsets to UTF-8 byte offsets (`result[codePointOffset]`, including the end).
    var utf8OffsetsByCodePoint: [Int] {
        var map: [Int] = []
        var utf8Offset = 0
        for scalar in unicodeScalars {
            map.append(utf8Offset)
            utf8Offset += String(scalar).utf8.count
        }
        map.append(utf8Offset)
        return map
    }
}

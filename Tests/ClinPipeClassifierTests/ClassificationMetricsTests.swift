import ClinPipeClassifier
import Foundation
import Testing

@Suite struct ClassificationMetricsTests {
    // 10 items: gold 7 upheld, 3 overturned; predicted: upheld right 6, upheld→overturned 1, overturned right 2,
    // overturned→upheld 1.
    let gold = ["upheld", "upheld", "upheld", "upheld", "upheld", "upheld", "upheld", "overturned", "overturned", "overturned"]
    let predicted = ["upheld", "upheld", "upheld", "upheld", "upheld", "upheld", "overturned", "overturned", "overturned", "upheld"]

    @Test func handComputedValues() throws {
        let metrics = ClassificationMetrics(gold: gold, predicted: predicted)
        #expect(metrics.labels == ["overturned", "upheld"])
        #expect(metrics.confusion == [[2, 1], [1, 6]])
        #expect(metrics.accuracy == 0.8)
        let overturned = try #require(metrics.metrics(for: "overturned"))
        #expect(overturned.precision == 2.0 / 3)
        #expect(overturned.recall == 2.0 / 3)
        #expect(abs(overturned.f1 - 2.0 / 3) < 1e-15)
        #expect(overturned.support == 3 && overturned.predicted == 3 && overturned.truePositives == 2)
        let upheld = try #require(metrics.metrics(for: "upheld"))
        #expect(upheld.precision == 6.0 / 7 && upheld.recall == 6.0 / 7)
        #expect(abs(metrics.macroF1 - (2.0 / 3 + 6.0 / 7) / 2) < 1e-15)
        #expect(metrics.logLoss == nil)
    }

    @Test func labelsNeverPredictedOrAbsentFromTheGold() throws {
        let metrics = ClassificationMetrics(gold: ["a", "a", "b"], predicted: ["a", "a", "a"], labels: ["a", "b", "c"])
        #expect(metrics.confusion == [[2, 0, 0], [1, 0, 0], [0, 0, 0]])
        #expect(metrics.metrics(for: "b")?.precision == 0)
        #expect(metrics.metrics(for: "b")?.recall == 0)
        #expect(metrics.metrics(for: "b")?.f1 == 0)
        #expect(metrics.metrics(for: "a")?.precision == 2.0 / 3)
        #expect(metrics.metrics(for: "c")?.support == 0)
        #expect(ClassificationMetrics(gold: [], predicted: []).accuracy == 0)
    }

    @Test func logLossFromProbabilities() {
        let predictions = [
            Prediction(label: "a", confidence: 0.8, probabilities: [0.8, 0.2]),
            Prediction(label: "b", confidence: 0.6, probabilities: [0.4, 0.6]),
        ]
        let metrics = ClassificationMetrics(gold: ["a", "a"], predictions: predictions, modelLabels: [["a", "b"], ["a", "b"]])
        #expect(abs(metrics.logLoss! - (-(log(0.8) + log(0.4)) / 2)) < 1e-15)
        #expect(metrics.accuracy == 0.5)
    }

    @Test func printableReport() {
        let report = ClassificationMetrics(gold: gold, predicted: predicted).report()
        #expect(report.contains("accuracy: 0.800 (8/10)"))
        let rows = report.split(separator: "\n").map { $0.split(separator: " ").map(String.init) }
        #expect(rows.contains(["overturned", "0.667", "0.667", "0.667", "3"]))
        #expect(rows.contains(["upheld", "0.857", "0.857", "0.857", "7"]))
        #expect(rows.contains(["macro", "avg", "0.762", "0.762", "0.762", "10"]))
        let matrix = ClassificationMetrics(gold: gold, predicted: predicted).confusionMatrixTable()
        let lines = matrix.split(separator: "\n")
        #expect(lines.count == 3)
        #expect(lines[0].contains("overturned") && lines[0].contains("upheld"))
        #expect(lines[1].hasPrefix("overturned") && lines[1].hasSuffix("1"))
        #expect(lines[2].hasPrefix("upheld") && lines[2].hasSuffix("6"))
    }
}

import ClinPipeCore
import Foundation

/// Precision, recall and F1 from counts.
public struct PRF: Sendable, Hashable {
    public var truePositives = 0
    public var predicted = 0
    public var gold = 0

    public init(truePositives: Int = 0, predicted: Int = 0, gold: Int = 0) {
        self.truePositives = truePositives
        self.predicted = predicted
        self.gold = gold
    }

    public var precision: Double { predicted == 0 ? (gold == 0 ? 1 : 0) : Double(truePositives) / Double(predicted) }
    public var recall: Double { gold == 0 ? 1 : Double(truePositives) / Double(gold) }
    public var f1: Double { precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall) }

    public static func + (lhs: PRF, rhs: PRF) -> PRF {
        PRF(truePositives: lhs.truePositives + rhs.truePositives, predicted: lhs.predicted + rhs.predicted, gold: lhs.gold + rhs.gold)
    }
}

/// Span-level evaluation of predicted against gold annotations, per type, with exact and overlapping matches.
///
/// Exact: same type, begin and end. Overlap: same type and at least one shared character; each gold span matches
/// at most one prediction and vice versa (greedy, left to right).
public struct SpanEvaluation: Sendable {
    public struct Difference: Sendable {
        public var document: String
        public var span: LabeledSpan
        /// True for a missed gold span, false for a spurious prediction.
        public var missed: Bool
    }

    public private(set) var exact: [String: PRF] = [:]
    public private(set) var overlap: [String: PRF] = [:]
    /// Spans that did not match exactly.
    public private(set) var differences: [Difference] = []

    public init() {}

    /// Adds one document. Only the given `types` are compared (all gold types when nil).
    public mutating func add(document: String, gold: [LabeledSpan], predicted: [LabeledSpan], types: Set<String>? = nil) {
        let wanted = types ?? Set(gold.map(\.type))
        let goldByType = Dictionary(grouping: gold.filter { wanted.contains($0.type) }, by: \.type)
        let predictedByType = Dictionary(grouping: predicted.filter { wanted.contains($0.type) }, by: \.type)
        for type in wanted {
            let g = (goldByType[type] ?? []).sorted { ($0.begin, $0.end) < ($1.begin, $1.end) }
            let p = (predictedByType[type] ?? []).sorted { ($0.begin, $0.end) < ($1.begin, $1.end) }
            let goldSet = Set(g.map { [$0.begin, $0.end] })
            let predictedSet = Set(p.map { [$0.begin, $0.end] })
            let exactHits = goldSet.intersection(predictedSet).count
            exact[type, default: PRF()] = exact[type, default: PRF()] + PRF(truePositives: exactHits, predicted: predictedSet.count, gold: goldSet.count)
            var used = Set<Int>()
            var overlapHits = 0
            for goldSpan in g {
                if let index = p.indices.first(where: { !used.contains($0) && p[$0].overlaps(goldSpan) }) {
                    used.insert(index)
                    overlapHits += 1
                }
            }
            overlap[type, default: PRF()] = overlap[type, default: PRF()] + PRF(truePositives: overlapHits, predicted: p.count, gold: g.count)
            for span in g where !predictedSet.contains([span.begin, span.end]) {
                differences.append(Difference(document: document, span: span, missed: true))
            }
            for span in p where !goldSet.contains([span.begin, span.end]) {
                differences.append(Difference(document: document, span: span, missed: false))
            }
        }
    }

    /// A table: per type, gold and predicted counts, then P/R/F1 exact and overlap.
    public func report() -> String {
        func pad(_ text: String, _ width: Int) -> String { text.count >= width ? text : text + String(repeating: " ", count: width - text.count) }
        func number(_ value: Int) -> String { let text = String(value); return String(repeating: " ", count: max(0, 6 - text.count)) + text }
        func triple(_ score: PRF) -> String { String(format: "%.3f / %.3f / %.3f", score.precision, score.recall, score.f1) }
        var lines = [pad("type", 18) + "   gold   pred | exact P / R / F1      | overlap P / R / F1"]
        func row(_ name: String, _ e: PRF, _ o: PRF) -> String {
            pad(name, 18) + " " + number(e.gold) + " " + number(e.predicted) + " | " + triple(e) + " | " + triple(o)
        }
        var totalExact = PRF(), totalOverlap = PRF()
        for type in exact.keys.sorted() {
            let e = exact[type]!, o = overlap[type]!
            totalExact = totalExact + e
            totalOverlap = totalOverlap + o
            lines.append(row(type, e, o))
        }
        if exact.count > 1 { lines.append(row("(all)", totalExact, totalOverlap)) }
        return lines.joined(separator: "\n")
    }
}

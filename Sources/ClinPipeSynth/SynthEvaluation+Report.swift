import ClinPipeCore
import Foundation

extension SynthEvaluation {
    /// A plain-text table: per span type precision, recall and F1 (exact and overlap), then attribute
    /// accuracies, then what was skipped. Counts only, never document text.
    public func report() -> String {
        var lines: [String] = []
        lines.append("\(documents) documents" + (missingKeys > 0 ? " (\(missingKeys) without a key entry: ignored)" : ""))
        lines.append("")
        lines.append(pad("type", 18) + pad("key", 8) + pad("found", 8) + "  exact P / R / F1        overlap P / R / F1")
        for type in evaluated where exact[type] != nil {
            let e = exact[type]!, o = overlap[type]!
            lines.append(pad(type, 18) + pad(String(e.expected), 8) + pad(String(e.predicted), 8) + "  "
                + String(format: "%.3f / %.3f / %.3f     %.3f / %.3f / %.3f", e.precision, e.recall, e.f1,
                         o.precision, o.recall, o.f1))
        }
        let attributes = accuracy.keys.sorted().filter { name in
            evaluated.contains { name.hasPrefix($0 + ".") || name.hasPrefix($0) } && accuracy[name]!.compared + accuracy[name]!.unmatched > 0
        }
        if !attributes.isEmpty {
            lines.append("")
            lines.append(pad("attribute", 28) + pad("accuracy", 10) + pad("compared", 10) + "unmatched")
            for name in attributes {
                let a = accuracy[name]!
                lines.append(pad(name, 28) + pad(String(format: "%.3f", a.value), 10) + pad(String(a.compared), 10)
                    + String(a.unmatched))
            }
        }
        if evaluated.contains("finding.negated") {
            lines.append("")
            lines.append(String(format: "negated findings (positive class): P %.3f  R %.3f  F1 %.3f",
                                negation.precision, negation.recall, negation.f1))
        }
        if !skipped.isEmpty {
            lines.append("")
            lines.append("skipped (not produced by this pipeline):")
            for reason in skipped { lines.append("  - " + reason) }
        }
        return lines.joined(separator: "\n")
    }

    /// The same figures as JSON.
    public func json() -> JSONValue {
        func counts(_ c: Counts) -> JSONValue {
            .object([("key", .number(Double(c.expected))), ("found", .number(Double(c.predicted))),
                     ("precision", .number(c.precision)), ("recall", .number(c.recall)), ("f1", .number(c.f1))])
        }
        return .object([
            ("documents", .number(Double(documents))),
            ("types", .object(evaluated.filter { exact[$0] != nil }.map {
                ($0, .object([("exact", counts(exact[$0]!)), ("overlap", counts(overlap[$0]!))]))
            })),
            ("accuracy", .object(accuracy.keys.sorted().map { name in
                let a = accuracy[name]!
                return (name, .object([("accuracy", .number(a.value)), ("compared", .number(Double(a.compared))),
                                       ("unmatched", .number(Double(a.unmatched)))]))
            })),
            ("skipped", .array(skipped.map { .string($0) })),
        ])
    }

    private func pad(_ text: String, _ width: Int) -> String {
        text.count >= width ? text + " " : text + String(repeating: " ", count: width - text.count)
    }
}

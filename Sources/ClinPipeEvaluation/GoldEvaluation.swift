import ClinPipeCore
import ClinPipeIO
import Foundation

/// Runs a pipeline over documents and compares its annotations with gold standoff files.
public enum GoldEvaluation {
    /// The annotations of `document` as spans in Unicode code points (the unit of brat files).
    public static func spans(of document: Document, types: Set<String>? = nil) -> [LabeledSpan] {
        let annotations = document.annotations.filter { types?.contains($0.type) ?? true }
        let converter = OffsetConverter(text: document.text, unit: .codepoint)
        let offsets = converter.fromUTF8(annotations.flatMap { [$0.range.lowerBound, $0.range.upperBound] })
        return annotations.enumerated().map { index, annotation in
            LabeledSpan(type: annotation.type, begin: offsets[2 * index], end: offsets[2 * index + 1],
                        text: String(document.coveredText(of: annotation)))
        }
    }

    /// Evaluates `pipeline` on every document of `source` that has a gold file (matched by the last path
    /// component of the document id). Gold offsets are Unicode code points.
    /// - Parameter types: compare only these types (default: every type present in the gold files).
    /// - Returns: the evaluation and the ids of documents that had no gold file.
    public static func evaluate(pipeline: Pipeline, source: DocumentSource, gold: [String: [LabeledSpan]],
                                types: Set<String>? = nil) throws -> (SpanEvaluation, unmatched: [String])
    {
        let wanted = types ?? Set(gold.values.flatMap { $0.map(\.type) })
        var evaluation = SpanEvaluation()
        var unmatched: [String] = []
        while let record = try source.next()?.resolved() {
            let key = record.id.split(separator: "/").last.map(String.init) ?? record.id
            guard let goldSpans = gold[key] else {
                unmatched.append(record.id)
                continue
            }
            guard case .success(let input) = record.content else {
                evaluation.add(document: record.id, gold: goldSpans, predicted: [], types: wanted)
                continue
            }
            var document = try input.makeDocument(unit: .codepoint)
            try pipeline.process(&document)
            evaluation.add(document: record.id, gold: goldSpans, predicted: spans(of: document, types: wanted), types: wanted)
        }
        return (evaluation, unmatched)
    }
}

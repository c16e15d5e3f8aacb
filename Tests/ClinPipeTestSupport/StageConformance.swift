import ClinPipeCore
import Foundation

/// Checks that every stage must pass, whatever it does: on each document, annotations lie inside the original
/// text, are half-open with begin ≤ end, fall on Unicode scalar boundaries, and are identical when the same
/// document is processed again or on many threads at once. The original text never changes.
public enum StageConformance {
    /// Problems found (empty when the pipeline conforms), described without document text.
    public static func check(pipeline: Pipeline, documents: [Document], threads: Int = 4) -> [String] {
        var problems: [String] = []
        var first: [[Annotation]] = []
        for original in documents {
            var document = original
            do { try pipeline.process(&document) } catch {
                problems.append("\(original.id): \(error)")
                first.append([])
                continue
            }
            if document.text != original.text { problems.append("\(original.id): the original text changed") }
            let bytes = Array(document.text.utf8)
            for annotation in document.annotations {
                let range = annotation.range
                if range.lowerBound < 0 || range.upperBound > bytes.count {
                    problems.append("\(original.id): \(annotation.type) #\(annotation.id) outside the text")
                    continue
                }
                for position in [range.lowerBound, range.upperBound] where position < bytes.count && bytes[position] & 0xC0 == 0x80 {
                    problems.append("\(original.id): \(annotation.type) #\(annotation.id) splits a character at \(position)")
                }
            }
            first.append(document.annotations)
        }
        // Determinism and thread safety: process everything again concurrently and compare.
        let results = ConcurrentResults(count: documents.count)
        DispatchQueue.concurrentPerform(iterations: max(threads, 1)) { worker in
            for index in stride(from: worker, to: documents.count, by: max(threads, 1)) {
                var document = documents[index]
                if (try? pipeline.process(&document)) != nil { results.set(index, document.annotations) }
            }
        }
        for index in documents.indices where !first[index].isEmpty || results.get(index) != nil {
            if results.get(index) != first[index] {
                problems.append("\(documents[index].id): annotations differ between runs or threads")
            }
        }
        return problems
    }
}

private final class ConcurrentResults: @unchecked Sendable {
    private var values: [[Annotation]?]
    private let lock = NSLock()
    init(count: Int) { values = Array(repeating: nil, count: count) }
    func set(_ index: Int, _ value: [Annotation]) { lock.withLock { values[index] = value } }
    func get(_ index: Int) -> [Annotation]? { lock.withLock { values[index] } }
}

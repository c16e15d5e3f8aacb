import ClinPipeCore
import ClinPipeIO

/// How many annotations a worker expects per byte of text, learned from the documents it processed last, so
/// that a new document's annotation array is allocated once at about its final size instead of growing by
/// doubling as the stages add annotations (three or four allocations and copies for a letter). Only room
/// depends on it, never output.
struct AnnotationDensity {
    /// Annotations per byte of text of the densest document of the last batch (0 before the first).
    private(set) var perByte = 0.0

    /// The room to make for a document of `textBytes` bytes: the learned density with an eighth more, or
    /// nothing before any document was seen (the array then grows as usual).
    func expectedAnnotations(textBytes: Int) -> Int {
        perByte == 0 ? 0 : Int(Double(textBytes) * perByte * 1.125) + 4
    }

    /// Learns from the documents of a batch (ignores empty texts).
    mutating func learn(from results: [DocumentResult]) {
        var densest = 0.0
        for case .document(let document) in results {
            let bytes = document.utf8Count
            if bytes > 0 { densest = max(densest, Double(document.annotations.count) / Double(bytes)) }
        }
        if densest > 0 { perByte = densest }
    }
}

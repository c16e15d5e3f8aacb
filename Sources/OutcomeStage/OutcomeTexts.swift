import ClinPipeClassifier
import ClinPipeCore

/// The texts the outcome classifiers read, per disputed item of a letter processed by `sections`: the item's
/// decision rationale with every decision-revealing phrase masked (`DecisionMasker`), and the letter's clinical
/// case summary (the facts before any decision). Used alike for training (`clinpipe train outcome`), for
/// cross-validation (`clinpipe evaluate outcome`) and for prediction in the stage, so the three see the same text.
public enum OutcomeTexts {
    /// Which text a classifier reads.
    public enum Source: String, Sendable, Codable, CaseIterable {
        case rationale, summary
    }

    public struct Item: Sendable {
        /// The item's 1-based position in the letter.
        public var index: Int
        /// The stated outcome (`upheld`/`overturned`), as the letter writes it.
        public var outcome: String?
        /// The masked rationale ("" when the item has none).
        public var rationale: String
        /// The clinical case summary of the letter ("" when it has none).
        public var summary: String

        public func text(_ source: Source) -> String { source == .rationale ? rationale : summary }
    }

    /// The items of `document`, in order.
    public static func items(of document: Document, masker: DecisionMasker) throws -> [Item] {
        let index = document.makeIndex()
        let layer = document.normalized
        func layerText(_ range: Range<Int>) -> String { String(layer.slice(layer.toLayer(range))) }
        let summary = index.annotations(ofType: "section")
            .first { $0.attributes["name"]?.stringValue == "clinical_case_summary" }
            .map { layerText($0.range) } ?? ""
        return try index.annotations(ofType: "imr.item").enumerated().map { position, item in
            let rationale = index.annotations(ofType: "imr.item.rationale", inside: item.range).first
            return Item(
                index: item.attributes["index"]?.intValue ?? position + 1,
                outcome: item.attributes["outcome"]?.stringValue,
                rationale: try rationale.map { try masker.mask(layerText($0.range)) } ?? "",
                summary: summary)
        }
    }
}

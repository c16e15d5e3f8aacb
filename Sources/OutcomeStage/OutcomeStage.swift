import ClinPipeCore
import ClinPipeText
import Foundation

/// The `outcome` stage: one `imr.decision` per disputed item of an IMR letter, over the item's block (the
/// `imr.item` annotations of the `sections` stage).
///
/// Attributes of `imr.decision`:
/// - `item` (the disputed treatment as written, re-joined if it wrapped), `outcome` (`upheld`/`overturned`, as the
///   letter states it), `partial` (the partial-authorization form) with `original_request` and
///   `authorized_portion` when written — all from `sections`;
/// - `service_date` (ISO, from a `date` annotation with role `service` in the item line, else the `DOS` text as
///   written), `quantity` (list as written: `x6`, `2x8`, `#30`), `cpt` (list of codes), `category` (medication,
///   injection, physical therapy, acupuncture, chiropractic, imaging, surgery, DME, psychological, other; rules
///   in `Rules/categories.tsv`, with a `drug` annotation in the item line meaning medication);
/// - `guidelines`: list of `{source, title, section, pages, text, cited_in}` from the Claims Administrator and
///   MAXIMUS guideline lines (`cited_in`: `claims_administrator`, `maximus`) and sources named in the rationale
///   (`rationale`);
/// - `rationale_conclusion` (`medically_necessary`, `not_medically_necessary`, or absent) from the last rationale
///   sentence that states one, and `consistent` (false when the conclusion contradicts `outcome`);
/// - `reasons`: codes of the criteria the rationale says were not met (`Rules/reasons.tsv`), using negated
///   `finding` annotations (from `context`) inside the rationale as evidence;
/// - `item_id`, `rationale_id`: ids of the `imr.item` and `imr.item.rationale` annotations.
///
/// Letter-level attributes on the document: `decision_count`, `upheld_count`, `overturned_count`.
public struct OutcomeStage: Stage {
    public struct Configuration: StageConfiguration {
        public init() {}
    }

    public static let descriptor = StageDescriptor(
        name: "outcome",
        summary: "IMR decisions per disputed item: outcome, category, guidelines, rationale conclusion and reasons",
        requires: ["imr.item"],
        produces: ["imr.decision"])

    private let details: ItemDetails
    private let categories: PatternTable
    private let citations: GuidelineCitations
    private let rationale: RationaleReading
    private let stageName: String

    public init(configuration: Configuration = Configuration(), environment: StageEnvironment = StageEnvironment(stageName: "outcome")) throws {
        details = try ItemDetails()
        categories = try PatternTable(file: "categories.tsv", labelColumn: "category")
        citations = try GuidelineCitations()
        rationale = try RationaleReading()
        stageName = environment.stageName
    }

    public func process(_ document: inout Document) throws {
        let index = document.makeIndex()
        let items = index.annotations(ofType: "imr.item")
        guard !items.isEmpty else { return }
        let layer = document.normalized
        var upheld = 0, overturned = 0
        for item in items {
            var attributes = Attributes()
            for key in ["item", "outcome", "partial", "original_request", "authorized_portion"] {
                if let value = item.attributes[key] { attributes[key] = value }
            }
            let outcome = item.attributes["outcome"]?.stringValue
            if outcome == "upheld" { upheld += 1 } else if outcome == "overturned" { overturned += 1 }
            func child(_ type: String) -> Annotation? {
                index.annotations(ofType: type, inside: item.range).first { $0.attributes["parent"]?.intValue == item.id.rawValue }
                    ?? index.annotations(ofType: type, inside: item.range).first
            }
            let line = child("imr.item.line")
            let itemText = item.attributes["item"]?.stringValue ?? line.map { String(document.coveredText(of: $0)) } ?? ""

            // Item details.
            if let line, let date = index.annotations(ofType: "date", inside: line.range).first(where: { $0.attributes["role"]?.stringValue == "service" }),
               let value = date.attributes["value"] {
                attributes["service_date"] = value
            } else if let written = try details.serviceDate(in: line.map { String(document.coveredText(of: $0)) } ?? itemText) {
                attributes["service_date"] = .string(written)
            }
            let quantities = try details.quantities(in: itemText)
            if !quantities.isEmpty { attributes["quantity"] = .strings(quantities) }
            let codes = try details.cptCodes(in: itemText)
            if !codes.isEmpty { attributes["cpt"] = .strings(codes) }
            attributes["category"] = .string(try category(of: itemText, line: line, index: index))

            // Guidelines.
            var guidelines: [AttributeValue] = []
            var citedSources: Set<String> = []
            for (type, place) in [("imr.item.claims_guideline", "claims_administrator"), ("imr.item.maximus_guideline", "maximus")] {
                guard let field = child(type) else { continue }
                let text = String(layer.slice(layer.toLayer(field.range)))
                for var citation in try citations.citations(inGuidelineLine: text) {
                    citation["cited_in"] = .string(place)
                    if let source = citation["source"]?.stringValue { citedSources.insert(source) }
                    guidelines.append(.object(citation))
                }
            }

            // Rationale.
            if let rationaleField = child("imr.item.rationale") {
                attributes["rationale_id"] = .int(rationaleField.id.rawValue)
                let layerRange = layer.toLayer(rationaleField.range)
                let sentences = index.annotations(ofType: "sentence", overlapping: rationaleField.range).map { sentence -> Range<Int> in
                    let mapped = layer.toLayer(sentence.range)
                    return max(mapped.lowerBound, layerRange.lowerBound)..<min(mapped.upperBound, layerRange.upperBound)
                }.filter { !$0.isEmpty }
                let negated = Set(index.annotations(ofType: "finding", inside: rationaleField.range)
                    .filter { $0.attributes["negated"]?.boolValue == true }
                    .compactMap { $0.attributes["normalized"]?.stringValue })
                let (conclusion, reasons, named) = try layer.text.withUTF8Bytes { bytes -> (String?, [String], [String]) in
                    let text = UnsafeBufferPointer(rebasing: bytes[layerRange])
                    let conclusion = try rationale.conclusion(bytes, sentences: sentences.isEmpty ? [layerRange] : sentences)
                    let reasons = conclusion == "medically_necessary" ? [] : try rationale.reasons(text, negatedFindings: negated)
                    return (conclusion, reasons, try citations.sourcesNamed(in: String(decoding: text, as: UTF8.self)))
                }
                if let conclusion {
                    attributes["rationale_conclusion"] = .string(conclusion)
                    if let outcome {
                        attributes["consistent"] = .bool((outcome == "upheld") == (conclusion == "not_medically_necessary"))
                    }
                }
                attributes["reasons"] = .strings(reasons)
                for source in named where !citedSources.contains(source) {
                    guidelines.append(.object(["source": .string(source), "cited_in": "rationale"]))
                    citedSources.insert(source)
                }
            }
            attributes["guidelines"] = .list(guidelines)
            attributes["item_id"] = .int(item.id.rawValue)
            try document.addAnnotation(type: "imr.decision", range: item.range, attributes: attributes,
                                       provenance: Provenance(stage: stageName))
        }
        document.attributes["decision_count"] = .int(items.count)
        document.attributes["upheld_count"] = .int(upheld)
        document.attributes["overturned_count"] = .int(overturned)
    }

    /// The treatment category of an item: the first matching rule; a drug named in the item line makes an
    /// otherwise unclassified item a medication.
    private func category(of text: String, line: Annotation?, index: AnnotationIndex) throws -> String {
        let label = try text.withUTF8Bytes { try categories.firstMatch(in: $0)?.label } ?? "other"
        if label == "other", let line, !index.annotations(ofType: "drug", inside: line.range).isEmpty { return "medication" }
        return label
    }
}

import ClinPipeClassifier
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
/// With a model trained by `clinpipe train outcome` (configuration `model`): `predicted_outcome` and
/// `confidence` (the probability of the predicted label) from the masked rationale; with `summaryModel`:
/// `predicted_outcome_from_summary` and `confidence_from_summary` from the clinical case summary.
///
/// Letter-level attributes on the document: `decision_count`, `upheld_count`, `overturned_count`.
public struct OutcomeStage: Stage {
    public struct Configuration: StageConfiguration {
        /// A model (JSON) trained on masked rationales; empty for none.
        public var model: String = ""
        /// A model (JSON) trained on clinical case summaries; empty for none.
        public var summaryModel: String = ""
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
    private let rationaleModel: TextClassifier?
    private let summaryModel: TextClassifier?
    private let masker: DecisionMasker?

    public init(configuration: Configuration = Configuration(), environment: StageEnvironment = StageEnvironment(stageName: "outcome")) throws {
        details = try ItemDetails()
        categories = try PatternTable(file: "categories.tsv", labelColumn: "category")
        citations = try GuidelineCitations()
        rationale = try RationaleReading(sources: citations.sources)
        stageName = environment.stageName
        func load(_ path: String) throws -> TextClassifier? {
            guard !path.isEmpty else { return nil }
            let url = environment.resolve(path)
            do { return try TextClassifier.load(from: url) } catch {
                throw ClassifierError.invalidModel(["cannot load outcome model \(url.path): \(error)"])
            }
        }
        rationaleModel = try load(configuration.model)
        summaryModel = try load(configuration.summaryModel)
        masker = rationaleModel == nil && summaryModel == nil ? nil : try DecisionMasker.builtIn()
    }

    public func process(_ document: inout Document) throws {
        let (decisions, upheld, overturned) = try readDecisions(document)
        guard !decisions.isEmpty else { return }
        for decision in decisions {
            try document.addAnnotation(type: "imr.decision", range: decision.range, attributes: decision.attributes,
                                       provenance: Provenance(stage: stageName))
        }
        if let masker, rationaleModel != nil || summaryModel != nil {
            try addPredictions(to: &document, masker: masker)
        }
        document.attributes["decision_count"] = .int(decisions.count)
        document.attributes["upheld_count"] = .int(upheld)
        document.attributes["overturned_count"] = .int(overturned)
    }

    /// One decision (range and attributes) per `imr.item`, in order, with the counts of upheld and overturned
    /// items. Read before the document changes: the index shares the document's annotation array, which adding an
    /// annotation meanwhile would copy whole.
    private func readDecisions(_ document: Document) throws
        -> (decisions: [(range: Range<Int>, attributes: Attributes)], upheld: Int, overturned: Int)
    {
        let index = QueriedAnnotations(document.annotations)
        let items = index.annotations(ofType: "imr.item")
        var decisions: [(range: Range<Int>, attributes: Attributes)] = []
        guard !items.isEmpty else { return (decisions, 0, 0) }
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
                    let (reasons, named) = try rationale.reasonsAndSources(text, withReasons: conclusion != "medically_necessary",
                                                                           negatedFindings: negated)
                    return (conclusion, reasons, named)
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
            decisions.append((item.range, attributes))
        }
        return (decisions, upheld, overturned)
    }

    /// Adds the classifiers' predictions to each `imr.decision`.
    private func addPredictions(to document: inout Document, masker: DecisionMasker) throws {
        let texts = try OutcomeTexts.items(of: document, masker: masker)
        let decisions = document.annotations.filter { $0.type == "imr.decision" }
        for (decision, item) in zip(decisions, texts) {
            if let rationaleModel, !item.rationale.isEmpty {
                let prediction = rationaleModel.predict(item.rationale)
                document.setAttribute("predicted_outcome", .string(prediction.label), of: decision.id)
                document.setAttribute("confidence", .double(prediction.confidence), of: decision.id)
            }
            if let summaryModel, !item.summary.isEmpty {
                let prediction = summaryModel.predict(item.summary)
                document.setAttribute("predicted_outcome_from_summary", .string(prediction.label), of: decision.id)
                document.setAttribute("confidence_from_summary", .double(prediction.confidence), of: decision.id)
            }
        }
    }

    /// The treatment category of an item: the first matching rule; a drug named in the item line makes an
    /// otherwise unclassified item a medication.
    private func category(of text: String, line: Annotation?, index: QueriedAnnotations) throws -> String {
        let label = try text.withUTF8Bytes { try categories.firstMatch(in: $0)?.label } ?? "other"
        if label == "other", let line, !index.annotations(ofType: "drug", inside: line.range).isEmpty { return "medication" }
        return label
    }
}

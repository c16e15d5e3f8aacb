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

    /// The `imr.item` attributes a decision repeats, in order.
    private static let itemKeys = ["item", "outcome", "partial", "original_request", "authorized_portion"]
    /// The guideline fields of an item, with the `cited_in` value of their citations.
    private static let guidelineFields: [(QueriedAnnotations.Kind, String)] = [(.claimsGuideline, "claims_administrator"), (.maximusGuideline, "maximus")]

    /// One decision (range and attributes) per `imr.item`, in order, with the counts of upheld and overturned
    /// items. Read before the document changes: the index shares the document's annotation array, which adding an
    /// annotation meanwhile would copy whole.
    private func readDecisions(_ document: Document) throws
        -> (decisions: [(range: Range<Int>, attributes: Attributes)], upheld: Int, overturned: Int)
    {
        let index = QueriedAnnotations(document.annotations)
        let items = index.positions(of: .item)
        var decisions: [(range: Range<Int>, attributes: Attributes)] = []
        guard !items.isEmpty else { return (decisions, 0, 0) }
        decisions.reserveCapacity(items.count)
        let layer = document.normalized
        var upheld = 0, overturned = 0
        try layer.text.withSpecializedUTF8Bytes { layerBytes in
            var memo = CitationMemo(lines: items.count * Self.guidelineFields.count)
            for item in items {
                let (attributes, outcome) = try readDecision(item, document: document, index: index, layer: layer, layerBytes: layerBytes,
                                                             memo: &memo)
                if outcome == "upheld" { upheld += 1 } else if outcome == "overturned" { overturned += 1 }
                decisions.append((index.all[item].range, attributes))
            }
        }
        return (decisions, upheld, overturned)
    }

    /// The attributes of the decision on one `imr.item` (its position in `index.all`), and its stated outcome.
    /// `layerBytes` holds the normalized layer's text (UTF-8). Every key is set once, in a fixed order.
    private func readDecision(_ item: Int, document: Document, index: QueriedAnnotations, layer: TextLayer,
                              layerBytes: UnsafeBufferPointer<UInt8>, memo: inout CitationMemo) throws -> (Attributes, outcome: String?)
    {
        let all = index.all
        let itemRange = all[item].range, itemID = all[item].id.rawValue
        var attributes = Attributes()
        attributes.reserveCapacity(16)
        for key in Self.itemKeys {
            if let value = all[item].attributes[key] { attributes.appendNew(key, value) }
        }
        let outcome = all[item].attributes["outcome"]?.stringValue
        /// The position of the item's field of `type`: the first inside the item whose `parent` is the item, else
        /// the first inside it.
        func child(_ kind: QueriedAnnotations.Kind) -> Int? {
            index.firstPosition(of: kind, inside: itemRange) { all[$0].attributes["parent"]?.intValue == itemID }
                ?? index.firstPosition(of: kind, inside: itemRange)
        }
        /// The normalized text of the annotation at `position` (UTF-8).
        func layerText(_ position: Int) -> UnsafeBufferPointer<UInt8> {
            UnsafeBufferPointer(rebasing: layerBytes[layer.toLayer(all[position].range)])
        }
        let lineRange = child(.line).map { all[$0].range }
        let itemText = all[item].attributes["item"]?.stringValue ?? lineRange.map { String(document.coveredText(of: $0)) } ?? ""

        // Item details.
        if let lineRange,
           let date = index.firstPosition(of: .date, inside: lineRange, where: { all[$0].attributes["role"]?.stringValue == "service" }),
           let value = all[date].attributes["value"] {
            attributes.appendNew("service_date", value)
        } else if let written = try details.serviceDate(in: lineRange.map { String(document.coveredText(of: $0)) } ?? itemText) {
            attributes.appendNew("service_date", .string(written))
        }
        let quantities = try details.quantities(in: itemText)
        if !quantities.isEmpty { attributes.appendNew("quantity", .strings(quantities)) }
        let codes = try details.cptCodes(in: itemText)
        if !codes.isEmpty { attributes.appendNew("cpt", .strings(codes)) }
        attributes.appendNew("category", .string(try category(of: itemText, line: lineRange, index: index)))

        // Guidelines.
        var guidelines: [AttributeValue] = []
        guidelines.reserveCapacity(4)
        // A handful at most: a list searched beats hashing.
        var citedSources: [String] = []
        for (kind, place) in Self.guidelineFields {
            guard let field = child(kind) else { continue }
            let found = try memo.citations(in: layerText(field), place: place, reader: citations)
            for citation in found {
                if let source = citation["source"]?.stringValue, !citedSources.contains(source) {
                    // Room for a few at once: growing one by one reallocates at 1, 2 and 4.
                    if citedSources.isEmpty { citedSources.reserveCapacity(4) }
                    citedSources.append(source)
                }
                guidelines.append(.object(citation))
            }
        }

        // Rationale.
        if let rationaleField = child(.rationale) {
            let rationaleRange = all[rationaleField].range
            attributes.appendNew("rationale_id", .int(all[rationaleField].id.rawValue))
            let layerRange = layer.toLayer(rationaleRange)
            // The sentences overlapping the rationale, cut to it; mapped to the layer only as far as they are read.
            let sentences = index.ranges(of: .sentence, overlapping: rationaleRange)
            var negated: [String] = []
            index.forEachPosition(of: .finding, inside: rationaleRange) { finding in
                if all[finding].attributes["negated"]?.boolValue == true, let normalized = all[finding].attributes["normalized"]?.stringValue {
                    if negated.isEmpty { negated.reserveCapacity(4) }
                    negated.append(normalized)
                }
                return true
            }
            let text = UnsafeBufferPointer(rebasing: layerBytes[layerRange])
            // One keyword scan of the rationale for its conclusion, reasons and sources.
            let scan = rationale.scan(text)
            let conclusion = try rationale.conclusion(text, scan: scan, sentenceCount: sentences.count) { number in
                let mapped = layer.toLayer(sentences[number])
                return (max(mapped.lowerBound, layerRange.lowerBound) - layerRange.lowerBound)
                    ..< (min(mapped.upperBound, layerRange.upperBound) - layerRange.lowerBound)
            }
            let (reasons, named) = try rationale.reasonsAndSources(text, scan: scan, withReasons: conclusion != "medically_necessary",
                                                                   negatedFindings: negated)
            if let conclusion {
                attributes.appendNew("rationale_conclusion", .string(conclusion))
                if let outcome {
                    attributes.appendNew("consistent", .bool((outcome == "upheld") == (conclusion == "not_medically_necessary")))
                }
            }
            attributes.appendNew("reasons", .strings(reasons))
            for source in named where !citedSources.contains(source) {
                guidelines.append(.object(["source": .string(source), "cited_in": "rationale"]))
                citedSources.append(source)
            }
        }
        attributes.appendNew("guidelines", .list(guidelines))
        attributes.appendNew("item_id", .int(itemID))
        return (attributes, outcome)
    }

    /// The citations already read from the guideline lines of one document, with their `cited_in`: letters repeat
    /// lines from item to item ("did not cite any medical evidence") and from the Claims Administrator's line to
    /// MAXIMUS's, and the same text gives the same citations. Lives no longer than the buffer the lines point into.
    private struct CitationMemo {
        private struct Entry {
            let text: UnsafeBufferPointer<UInt8>
            let place: String
            let citations: [Attributes]
        }
        /// One entry per line read or copied, in one array allocated once.
        private var entries: [Entry] = []

        /// A memo with room for `lines` lines.
        init(lines: Int) { entries.reserveCapacity(lines) }

        /// The citations of `line` (UTF-8), each with `cited_in` set to `place` (its last key): remembered when an
        /// earlier line of the place had the same bytes, copied with `cited_in` changed when only a line of another
        /// place had, else read by `reader` with `cited_in` added. (The reader is passed rather than a closure, which
        /// would capture, and so copy, the whole stage.)
        mutating func citations(in line: UnsafeBufferPointer<UInt8>, place: String, reader: GuidelineCitations) throws -> [Attributes] {
            var other: Int?
            for index in entries.indices where entries[index].text.count == line.count
                && (line.isEmpty || memcmp(entries[index].text.baseAddress!, line.baseAddress!, line.count) == 0)
            {
                if entries[index].place == place { return entries[index].citations }
                other = other ?? index
            }
            var found: [Attributes]
            if let other {
                found = entries[other].citations
                // Replaced where it stands: the last key, as when added.
                for index in found.indices { found[index]["cited_in"] = .string(place) }
            } else {
                found = try reader.citations(inGuidelineLine: line)
                // In place: a copy of an element would share, and so copy, its pairs.
                for index in found.indices { found[index].appendNew("cited_in", .string(place)) }
            }
            entries.append(Entry(text: line, place: place, citations: found))
            return found
        }
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
    private func category(of text: String, line: Range<Int>?, index: QueriedAnnotations) throws -> String {
        let label = try text.withSpecializedUTF8Bytes { try categories.firstLabel(in: $0, fallback: "other") }
        if label == "other", let line, index.firstPosition(of: .drug, inside: line) != nil { return "medication" }
        return label
    }
}

import ClinPipeCore
import Foundation

/// Compares what a pipeline found in generated letters with their answer keys.
///
/// Types are matched by name: the key's `date`, `drug`, `spine.level`, `spine.dermatome`, `finding` and `sentence` spans
/// against annotations of the same type; key sections against `section`, key item blocks against `imr.item`;
/// key findings against any annotation overlapping them that carries a boolean `negated` attribute (ConText's
/// targets); key items against `imr.decision` annotations overlapping their block (attribute `outcome`,
/// `partial`); the reviewer against document attributes whose names contain `licens` and `special`.
/// A type the pipeline does not produce (neither declared by a stage nor seen in any document) is skipped and
/// listed in `skipped`.
///
/// All comparisons are in Unicode code points (the key's unit); pipeline offsets are converted per document.
public struct SynthEvaluation: Sendable {
    /// Counts for precision and recall. For exact matching `truePositives` is shared; for overlap matching a
    /// predicted span is correct when it overlaps a key span, and a key span is found when a prediction overlaps it.
    public struct Counts: Sendable, Equatable {
        public var predicted = 0
        public var expected = 0
        public var correctPredicted = 0
        public var foundExpected = 0

        public var precision: Double { predicted == 0 ? 0 : Double(correctPredicted) / Double(predicted) }
        public var recall: Double { expected == 0 ? 0 : Double(foundExpected) / Double(expected) }
        public var f1: Double { precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall) }

        mutating func add(_ other: Counts) {
            predicted += other.predicted
            expected += other.expected
            correctPredicted += other.correctPredicted
            foundExpected += other.foundExpected
        }
    }

    /// Correct out of compared, for attribute checks (date value, drug generic, finding negation, outcome).
    public struct Accuracy: Sendable, Equatable {
        public var correct = 0
        public var compared = 0
        /// Key entries that had no matching prediction to compare with.
        public var unmatched = 0
        public var value: Double { compared == 0 ? 0 : Double(correct) / Double(compared) }
    }

    public private(set) var exact: [String: Counts] = [:]
    public private(set) var overlap: [String: Counts] = [:]
    public private(set) var accuracy: [String: Accuracy] = [:]
    /// Negation as a binary task over the key findings that a prediction covers: negated is the positive class.
    public private(set) var negation = Counts()
    public private(set) var documents = 0
    public private(set) var missingKeys = 0
    /// The types evaluated, in report order.
    public private(set) var evaluated: [String] = []
    /// Key types the pipeline does not produce, with the reason.
    public private(set) var skipped: [String] = []

    /// The span types compared, in report order: (key kind, pipeline type).
    public static let spanTypes: [(KeySpan.Kind, String)] = [
        (.date, "date"), (.drug, "drug"), (.spineLevel, "spine.level"), (.spineDermatome, "spine.dermatome"),
        (.finding, "finding"), (.sentence, "sentence"),
    ]

    private let produced: Set<String>

    /// - Parameter producedTypes: the annotation types the pipeline's stages declare (more are added as seen).
    public init(producedTypes: Set<String>) { produced = producedTypes }

    private var seen: Set<String> = []
    private var hasNegationAttribute = false
    private var hasReviewerAttributes = false

    /// Adds one processed document and its key.
    public mutating func add(_ document: Document, key: SynthKey?) {
        documents += 1
        guard let key else {
            missingKeys += 1
            return
        }
        let annotations = document.annotations
        var offsets: [Int] = []
        offsets.reserveCapacity(annotations.count * 2)
        for annotation in annotations { offsets += [annotation.range.lowerBound, annotation.range.upperBound] }
        let converted = OffsetConverter(text: document.text, unit: .codepoint).fromUTF8(offsets)
        var byType: [String: [(range: Range<Int>, attributes: Attributes)]] = [:]
        for (index, annotation) in annotations.enumerated() {
            byType[annotation.type, default: []].append((converted[2 * index]..<converted[2 * index + 1], annotation.attributes))
            seen.insert(annotation.type)
        }

        for (kind, type) in Self.spanTypes {
            let expected = key.spans(kind)
            let predicted = byType[type] ?? []
            exact[type, default: Counts()].add(Self.exactCounts(expected.map(\.range), predicted.map(\.range)))
            overlap[type, default: Counts()].add(Self.overlapCounts(expected.map(\.range), predicted.map(\.range)))
            // Attributes of exactly matched spans.
            var byRange: [Range<Int>: Attributes] = [:]
            for prediction in predicted { byRange[prediction.range] = prediction.attributes }
            for span in expected {
                let checks: [(String, String)]
                switch kind {
                case .date: checks = [("value", "value"), ("role", "role")]
                case .drug: checks = [("generic", "generic"), ("release", "release"), ("form", "form")]
                case .spineLevel: checks = [("segments", "segments")]
                case .spineDermatome: checks = [("roots", "roots")]
                default: checks = []
                }
                for (field, attribute) in checks {
                    let name = "\(type).\(field)"
                    guard let keyValue = span[field] else { continue }
                    guard let attributes = byRange[span.range] else { accuracy[name, default: Accuracy()].unmatched += 1; continue }
                    var entry = accuracy[name, default: Accuracy()]
                    if field == "role", keyValue.string == "none", attributes[attribute] == nil {
                        entry.correct += 1
                    } else if Self.matches(keyValue, attributes[attribute]) {
                        entry.correct += 1
                    }
                    entry.compared += 1
                    accuracy[name] = entry
                }
            }
        }

        // Sections and item blocks.
        exact["section", default: Counts()].add(Self.exactCounts(key.sections.map(\.range), (byType["section"] ?? []).map(\.range)))
        overlap["section", default: Counts()].add(Self.overlapCounts(key.sections.map(\.range), (byType["section"] ?? []).map(\.range)))
        exact["imr.item", default: Counts()].add(Self.exactCounts(key.items.map(\.blockRange), (byType["imr.item"] ?? []).map(\.range)))
        overlap["imr.item", default: Counts()].add(Self.overlapCounts(key.items.map(\.blockRange), (byType["imr.item"] ?? []).map(\.range)))

        // Finding negation: any annotation with a boolean `negated` attribute overlapping the key finding.
        let targets = annotations.indices.compactMap { index -> (Range<Int>, Bool)? in
            guard annotations[index].type != "context.modifier",
                  case .bool(let negated)? = annotations[index].attributes["negated"] else { return nil }
            return (converted[2 * index]..<converted[2 * index + 1], negated)
        }
        if !targets.isEmpty { hasNegationAttribute = true }
        for finding in key.spans(.finding) {
            guard let expected = finding["negated"]?.bool else { continue }
            var entry = accuracy["finding.negated", default: Accuracy()]
            if let target = targets.first(where: { $0.0.overlaps(finding.range) }) {
                entry.compared += 1
                if target.1 == expected { entry.correct += 1 }
                negation.predicted += target.1 ? 1 : 0
                negation.correctPredicted += target.1 && expected ? 1 : 0
                negation.expected += expected ? 1 : 0
                negation.foundExpected += target.1 && expected ? 1 : 0
            } else {
                entry.unmatched += 1
            }
            accuracy["finding.negated"] = entry
        }

        // Decisions.
        let decisions = byType["imr.decision"] ?? []
        for item in key.items {
            var outcome = accuracy["imr.decision.outcome", default: Accuracy()]
            var partial = accuracy["imr.decision.partial", default: Accuracy()]
            if let decision = decisions.first(where: { $0.range.overlaps(item.lineRange) || $0.range.overlaps(item.blockRange) }) {
                outcome.compared += 1
                if decision.attributes["outcome"]?.stringValue?.lowercased() == item.outcome { outcome.correct += 1 }
                partial.compared += 1
                if (decision.attributes["partial"]?.boolValue ?? false) == item.partial { partial.correct += 1 }
            } else {
                outcome.unmatched += 1
                partial.unmatched += 1
            }
            accuracy["imr.decision.outcome"] = outcome
            accuracy["imr.decision.partial"] = partial
        }

        // Reviewer credentials among the document attributes.
        let (licensure, specialties) = Self.reviewerAttributes(document.attributes)
        if licensure != nil || specialties != nil { hasReviewerAttributes = true }
        for (name, found, expected) in [("reviewer.licensure", licensure, key.licensure),
                                        ("reviewer.specialties", specialties, key.specialties)] {
            var entry = accuracy[name, default: Accuracy()]
            if let found {
                entry.compared += 1
                if Set(found.map { $0.lowercased() }) == Set(expected.map { $0.lowercased() }) { entry.correct += 1 }
            } else {
                entry.unmatched += 1
            }
            accuracy[name] = entry
        }
    }

    /// Finishes: decides which types were evaluated and which skipped.
    public mutating func finish() {
        let available = produced.union(seen)
        evaluated = []
        skipped = []
        for type in Self.spanTypes.map(\.1) + ["section", "imr.item"] {
            if available.contains(type) { evaluated.append(type) } else {
                skipped.append("\(type): no stage in the pipeline produces it")
            }
        }
        if hasNegationAttribute || available.contains("context.modifier") { evaluated.append("finding.negated") } else {
            skipped.append("finding negation: no annotation carries a 'negated' attribute")
        }
        if available.contains("imr.decision") { evaluated.append("imr.decision") } else {
            skipped.append("imr.decision: no stage in the pipeline produces it")
        }
        if hasReviewerAttributes { evaluated.append("reviewer") } else {
            skipped.append("reviewer: no document attribute names licensure or specialties")
        }
    }

    // MARK: Matching

    static func exactCounts(_ expected: [Range<Int>], _ predicted: [Range<Int>]) -> Counts {
        var remaining: [Range<Int>: Int] = [:]
        for range in expected { remaining[range, default: 0] += 1 }
        var hits = 0
        for range in predicted {
            if let count = remaining[range], count > 0 {
                remaining[range] = count - 1
                hits += 1
            }
        }
        return Counts(predicted: predicted.count, expected: expected.count, correctPredicted: hits, foundExpected: hits)
    }

    /// Overlap counts: a prediction is correct when it overlaps a key span; a key span is found when overlapped.
    static func overlapCounts(_ expected: [Range<Int>], _ predicted: [Range<Int>]) -> Counts {
        let keys = expected.filter { !$0.isEmpty }.sorted { $0.lowerBound < $1.lowerBound }
        let guesses = predicted.filter { !$0.isEmpty }.sorted { $0.lowerBound < $1.lowerBound }
        // Per document the lists are short (tens to hundreds): scan the sorted list up to the item's end.
        func covered(_ items: [Range<Int>], by others: [Range<Int>]) -> Int {
            var count = 0
            for item in items {
                for other in others {
                    if other.lowerBound >= item.upperBound { break }
                    if other.overlaps(item) { count += 1; break }
                }
            }
            return count
        }
        return Counts(predicted: guesses.count, expected: keys.count, correctPredicted: covered(guesses, by: keys),
                      foundExpected: covered(keys, by: guesses))
    }

    static func matches(_ key: KeyValue, _ value: AttributeValue?) -> Bool {
        guard let value else { return false }
        switch key {
        case .string(let s):
            guard let found = value.stringValue?.lowercased() else { return false }
            if found == s.lowercased() { return true }
            // A combination's ingredients in any order (`methyl salicylate/menthol/benzocaine`).
            func parts(_ text: String) -> [Substring] { text.split(separator: "/").sorted() }
            return found.contains("/") && parts(found) == parts(s.lowercased())
        case .bool(let b): return value.boolValue == b
        case .int(let i): return value.intValue == i
        case .strings(let list):
            let found = value.listValue?.compactMap(\.stringValue) ?? []
            return found.map { $0.uppercased() } == list.map { $0.uppercased() }
        }
    }

    static func reviewerAttributes(_ attributes: Attributes) -> ([String]?, [String]?) {
        var licensure: [String]?
        var specialties: [String]?
        func strings(_ value: AttributeValue) -> [String]? {
            if let list = value.listValue { return list.compactMap(\.stringValue) }
            if let text = value.stringValue {
                return text.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
            }
            return nil
        }
        func search(_ attributes: Attributes) {
            for (key, value) in attributes {
                let lowered = key.lowercased()
                if lowered.contains("licens"), licensure == nil { licensure = strings(value) }
                if lowered.contains("special"), specialties == nil { specialties = strings(value) }
                if let object = value.objectValue { search(object) }
            }
        }
        search(attributes)
        return (licensure, specialties)
    }
}

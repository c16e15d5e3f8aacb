import ClinPipeCore
import ClinPipeText
import Foundation

/// The `context` stage: ConText (Chapman et al.; medspaCy's ConText is the reference for behaviour) over every
/// entity found so far, whatever its type.
///
/// For each document the stage
/// 1. optionally adds `finding` annotations (and `procedure` ones that keep a treatment's name whole) from the
///    findings lexicon (`FindingsLexicon`), so that criteria findings are targets too;
/// 2. collects the targets: every annotation whose type `TargetTypeFilter` accepts (by default all but
///    `sentence`, `section*`, `imr.*` and `context.modifier`), including the annotations given with the input;
/// 3. finds the triggers of the rule files in one pass over the normalized layer (`TriggerMatcher`), and resolves
///    their scopes within each sentence (`ContextResolver`);
/// 4. sets on **every** target `negated`, `uncertain`, `hypothetical`, `historical` (booleans, false unless a
///    trigger says otherwise) and `experiencer` (`patient` unless an experiencer trigger gives another value),
///    replacing values the target may have had; and adds one `context.modifier` annotation per trigger that
///    modified at least one target, with `category`, `direction`, `targets` (the target annotation ids, ints,
///    ascending), `rule` (`file:line`) and, for experiencer triggers, `value`.
///
/// Scopes never leave a sentence (`sentence` annotations; a document without any is split at line breaks).
/// Offsets: matching runs on the normalized layer's UTF-8 bytes; every annotation is stored in original-text
/// UTF-8 offsets.
///
/// ```json
/// { "stage": "context", "config": { "rules": ["my-triggers.tsv"], "excludeTypes": ["sentence", "section*"] } }
/// ```
public struct ContextStage: Stage {
    public struct Configuration: StageConfiguration {
        /// More trigger rule files (the format of `Rules/context-rules.tsv`), relative to the pipeline file.
        public var rules: [String] = []
        /// Use the built-in trigger rules; false replaces them with `rules`.
        public var builtInRules = true
        /// Add `finding` annotations from the findings lexicon before applying ConText.
        public var findings = true
        /// More findings lexicons (lexicon TSV: term, type, normalized, attributes), matched with the built-in one.
        public var findingLexicons: [String] = []
        /// Use the built-in findings lexicon; false replaces it with `findingLexicons`.
        public var builtInFindings = true
        /// Annotation types that are never targets; a trailing `*` matches a prefix.
        public var excludeTypes: [String] = TargetTypeFilter.defaultExclusions
        /// When not empty, only these annotation types are targets (minus `excludeTypes`); `*` as in `excludeTypes`.
        public var includeTypes: [String] = []
        /// The annotation type that bounds scopes.
        public var sentenceType = "sentence"
        /// Add `context.modifier` annotations (the triggers that modified targets).
        public var modifiers = true
        public init() {}

        /// Decodes a configuration in which every key is optional (missing keys keep their defaults), so that a
        /// tool embedding the stage can decode a partial configuration as a pipeline file gives it.
        public init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            func value<T: Decodable>(_ key: CodingKeys, _ fallback: T) throws -> T {
                try container.decodeIfPresent(T.self, forKey: key) ?? fallback
            }
            let defaults = Configuration()
            rules = try value(.rules, defaults.rules)
            builtInRules = try value(.builtInRules, defaults.builtInRules)
            findings = try value(.findings, defaults.findings)
            findingLexicons = try value(.findingLexicons, defaults.findingLexicons)
            builtInFindings = try value(.builtInFindings, defaults.builtInFindings)
            excludeTypes = try value(.excludeTypes, defaults.excludeTypes)
            includeTypes = try value(.includeTypes, defaults.includeTypes)
            sentenceType = try value(.sentenceType, defaults.sentenceType)
            modifiers = try value(.modifiers, defaults.modifiers)
        }
    }

    public static let descriptor = StageDescriptor(
        name: "context",
        summary: "ConText: negated, uncertain, hypothetical, historical and experiencer attributes on every entity",
        requires: ["sentence"],
        produces: ["context.modifier", "finding", "procedure"])

    /// The annotation type of the triggers that modified targets.
    public static let modifierType = "context.modifier"

    public let configuration: Configuration
    public let triggers: TriggerMatcher
    public let resolver: ContextResolver
    public let targetFilter: TargetTypeFilter
    /// The findings lexicon matched before ConText (nil when `findings` is off).
    public let findingsLexicon: Lexicon?
    private let findingsMatcher: LexiconMatcher?
    /// The annotation types of `findingsLexicon`, in `Lexicon.types` order.
    private let findingTypes: [String]
    /// Per entry of `findingsLexicon` (same indices): what its annotations get, built once.
    private let findingEntries: [FindingEntry]
    /// Per value group of `findingsMatcher`: the entries to add for a match, in group order, the first of each
    /// type only (later entries of a type already added for the span are skipped).
    private let findingGroups: [[Int]]
    /// Per rule of `resolver.rules` (same indices): the values of its `context.modifier` annotations, built once.
    private let modifierTemplates: [ModifierTemplate]
    private let stageName: String
    /// `targetFilter`, read once for matching.
    private let typeFilter: CompiledTypeFilter

    /// What a findings lexicon entry's annotations get.
    struct FindingEntry: Sendable {
        var type: String
        /// Index of `type` in `findingTypes`.
        var typeIndex: Int
        /// What `type` is to this stage (see `kind(of:sentenceType:filter:)`), decided once from the configuration.
        var kind: UInt8
        /// `normalized`, then the entry's attributes, in that order.
        var attributes: Attributes
        /// `attributes` with the five ConText attributes set (`ContextStage.withContext`), for the entry's findings
        /// that are targets, by `TargetState.flags` of a target whose experiencer is the patient; built once, so that
        /// such findings share one storage.
        var contextAttributes: [Attributes]
        var provenance: Provenance
    }

    /// The fixed attribute values of a rule's `context.modifier` annotations.
    struct ModifierTemplate: Sendable {
        var category: AttributeValue
        var direction: AttributeValue
        var rule: AttributeValue
        var value: AttributeValue?
        var provenance: Provenance
    }

    public init(configuration: Configuration = Configuration(),
                environment: StageEnvironment = StageEnvironment(stageName: "context")) throws
    {
        var problems: [String] = []
        var ruleSet = configuration.builtInRules ? try ContextRuleSet.builtIn() : ContextRuleSet()
        for path in configuration.rules {
            let url = environment.resolve(path)
            guard let text = try? String(contentsOf: url, encoding: .utf8) else {
                problems.append("cannot read trigger rules \(url.path)")
                continue
            }
            do { ruleSet.append(contentsOf: try ContextRuleSet(name: path, text: text)) } catch let error as RuleFileError {
                problems += error.problems
            }
        }
        var lexicon: Lexicon?
        if configuration.findings {
            var combined = configuration.builtInFindings ? try FindingsLexicon.builtIn() : Lexicon()
            for path in configuration.findingLexicons {
                let url = environment.resolve(path)
                guard let text = try? String(contentsOf: url, encoding: .utf8) else {
                    problems.append("cannot read findings lexicon \(url.path)")
                    continue
                }
                do { combined.append(contentsOf: try Lexicon(name: path, text: text, defaultType: "finding")) } catch let error as RuleFileError {
                    problems += error.problems
                }
            }
            lexicon = combined
        }
        if !problems.isEmpty { throw RuleFileError(problems: problems) }
        try self.init(configuration: configuration, ruleSet: ruleSet, findings: lexicon, stageName: environment.stageName)
    }

    /// A stage over rules and a findings lexicon built in code (for tools that embed the stage). The
    /// configuration's file keys (`rules`, `builtInRules`, `findings`, `findingLexicons`, `builtInFindings`) are
    /// ignored: `ruleSet` and `findings` (nil: no findings pass) take their place.
    public init(configuration: Configuration = Configuration(), ruleSet: ContextRuleSet, findings: Lexicon?,
                stageName: String = "context") throws
    {
        self.configuration = configuration
        self.triggers = try TriggerMatcher(ruleSet: ruleSet)
        self.resolver = ContextResolver(rules: ruleSet.rules)
        self.targetFilter = TargetTypeFilter(include: configuration.includeTypes, exclude: configuration.excludeTypes)
        self.findingsLexicon = findings
        let matcher = findings?.makeMatcher()
        self.findingsMatcher = matcher
        let types = findings?.types ?? []
        self.findingTypes = types
        let filter = CompiledTypeFilter(self.targetFilter)
        self.typeFilter = filter
        self.findingEntries = (findings?.entries ?? []).map { entry in
            var attributes: Attributes = ["normalized": .string(entry.normalized)]
            for (key, value) in entry.attributes { attributes[key] = value }
            return FindingEntry(type: entry.type, typeIndex: types.firstIndex(of: entry.type) ?? -1,
                                kind: Self.kind(of: entry.type, sentenceType: configuration.sentenceType, filter: filter),
                                attributes: attributes,
                                contextAttributes: (0..<TargetState.flagCombinations).map { Self.withContext(attributes, flags: $0) },
                                provenance: Provenance(stage: stageName, rule: entry.source))
        }
        var groups: [[Int]] = []
        if let matcher, let findings {
            for group in 0..<matcher.groupCount {
                var emitted: [String] = []
                var added: [Int] = []
                for index in matcher.values(ofGroup: group) where !emitted.contains(findings.entries[index].type) {
                    emitted.append(findings.entries[index].type)
                    added.append(index)
                }
                groups.append(added)
            }
        }
        self.findingGroups = groups
        self.modifierTemplates = ruleSet.rules.map { rule in
            ModifierTemplate(category: .string(rule.category.rawValue), direction: .string(rule.direction.rawValue),
                             rule: .string(rule.source), value: rule.value.map { .string($0) },
                             provenance: Provenance(stage: stageName, rule: rule.source))
        }
        self.stageName = stageName
    }

    public var requires: [String] { [configuration.sentenceType] }

    public var produces: [String] {
        (configuration.modifiers ? [Self.modifierType] : []) + (findingsLexicon?.types ?? [])
    }

    public func process(_ document: inout Document) throws {
        let layer = document.normalized
        // The stage's own findings are added after ConText has run, each with all its attributes at once; their ids
        // are known now (ids are given in order from the annotation count), so they take part as targets.
        let firstNewID = document.annotations.count + 1

        // Sentences and targets, in layer coordinates (sorted by start below), and the spans of the annotations of
        // the findings lexicon's types, in one pass over the annotations; each type is looked at once.
        var sentences: [Range<Int>] = []
        var targets: [(id: AnnotationID, range: Range<Int>)] = []
        var existing: Set<ExistingFinding> = []
        var kinds = TypeKinds(sentenceType: configuration.sentenceType, filter: typeFilter,
                              findingTypes: findingsMatcher == nil ? [] : findingTypes)
        var toLayer = SpanMapper(layer.map, towardsLayer: true)
        // By index, so that no annotation is copied (a copy retains its strings and attributes).
        for index in document.annotations.indices {
            let info = kinds.info(of: document.annotations[index].type)
            switch info.kind {
            case 1: sentences.append(toLayer.map(document.annotations[index].range))
            case 2: targets.append((document.annotations[index].id, toLayer.map(document.annotations[index].range)))
            default: break
            }
            if info.findingType >= 0 {
                let range = document.annotations[index].range
                existing.insert(ExistingFinding(type: info.findingType, lower: range.lowerBound, upper: range.upperBound))
            }
        }

        // The findings scan lists the word starts where a trigger phrase may start (nil: it did not list them), so
        // that the trigger scan of the sentences with targets reads no word again.
        var triggerStarts: [Int]? = nil
        var pending = findingsMatcher == nil ? [] : pendingFindings(layer: layer, existing: existing, triggerStarts: &triggerStarts)
        if !pending.isEmpty && !Self.allAcceptable(pending, text: document.text) {
            // A span the document refuses (a bug): add them first, as before, so that the same error is thrown.
            for finding in pending {
                let entry = findingEntries[finding.entry]
                let id = try document.addAnnotation(type: entry.type, range: finding.range, attributes: entry.attributes,
                                                    provenance: entry.provenance)
                switch entry.kind {
                case 1: sentences.append(toLayer.map(finding.range))
                case 2: targets.append((id, toLayer.map(finding.range)))
                default: break
                }
            }
            pending = []
        }
        for (index, finding) in pending.enumerated() {
            switch findingEntries[finding.entry].kind {
            case 1: sentences.append(toLayer.map(finding.range))
            case 2: targets.append((AnnotationID(firstNewID + index), toLayer.map(finding.range)))
            default: break
            }
        }
        var used: [(modifier: ContextResolver.Modifier, targets: [AnnotationID])] = []
        var states: [TargetState] = []
        if !targets.isEmpty {
            targets.sort { $0.range.lowerBound != $1.range.lowerBound ? $0.range.lowerBound < $1.range.lowerBound : $0.id < $1.id }
            sentences.sort { $0.lowerBound < $1.lowerBound }
            states = [TargetState](repeating: TargetState(), count: targets.count)
            try resolve(layer: layer, sentences: &sentences, targets: targets, triggerStarts: triggerStarts,
                        states: &states, used: &used)
        }

        for (index, target) in targets.enumerated() where target.id.rawValue < firstNewID {
            let state = states[index]
            document.modifyAttributes(of: target.id) { attributes in
                ContextAttributes.set(on: &attributes, negated: state.negated, uncertain: state.uncertain,
                                      hypothetical: state.hypothetical, historical: state.historical,
                                      experiencer: experiencer(of: state))
            }
        }
        if !pending.isEmpty {
            // The state of each pending finding that is a target.
            var findingState = [Int](repeating: -1, count: pending.count)
            for (index, target) in targets.enumerated() where target.id.rawValue >= firstNewID {
                findingState[target.id.rawValue - firstNewID] = index
            }
            document.reserveAnnotations(pending.count + (configuration.modifiers ? used.count : 0))
            for (index, finding) in pending.enumerated() {
                let entry = finding.entry
                let attributes = findingState[index] >= 0
                    ? contextAttributes(of: entry, state: states[findingState[index]]) : findingEntries[entry].attributes
                try document.addAnnotation(type: findingEntries[entry].type, range: finding.range,
                                           attributes: attributes, provenance: findingEntries[entry].provenance)
            }
        }
        guard configuration.modifiers, !used.isEmpty else { return }
        // `used` lists the modifiers sentence by sentence, each sentence's by trigger start then rule: usually in
        // this order already.
        let inOrder: (ContextResolver.Modifier, ContextResolver.Modifier) -> Bool = {
            $0.range.lowerBound != $1.range.lowerBound ? $0.range.lowerBound < $1.range.lowerBound : $0.rule < $1.rule
        }
        if !Self.isSorted(used, by: { inOrder($0.modifier, $1.modifier) }) {
            used.sort { inOrder($0.modifier, $1.modifier) }
        }
        var toOriginal = SpanMapper(layer.map, towardsLayer: false)
        if pending.isEmpty { document.reserveAnnotations(used.count) }
        for (modifier, modified) in used {
            let rule = modifier.rule
            // The keys of the literal `["category", "direction", "targets", "rule"]` plus `value`, appended in that
            // order without looking each up. The template's fields are read one by one (no copy of the whole).
            let value = modifierTemplates[rule].value
            var attributes = Attributes()
            attributes.reserveCapacity(value == nil ? 4 : 5)
            attributes.appendNew("category", modifierTemplates[rule].category)
            attributes.appendNew("direction", modifierTemplates[rule].direction)
            attributes.appendNew("targets", .list(modified.map { .int($0.rawValue) }))
            attributes.appendNew("rule", modifierTemplates[rule].rule)
            if let value { attributes.appendNew("value", value) }
            try document.addAnnotation(type: Self.modifierType, range: toOriginal.map(modifier.range),
                                       attributes: attributes, provenance: modifierTemplates[rule].provenance)
        }
    }

    /// Whether `elements` is in the order of `areInIncreasingOrder` (no element before one it should follow), as a
    /// stable sort would leave it.
    static func isSorted<T>(_ elements: [T], by areInIncreasingOrder: (T, T) -> Bool) -> Bool {
        elements.indices.dropFirst().allSatisfy { !areInIncreasingOrder(elements[$0], elements[$0 - 1]) }
    }

    /// The attributes of a pending finding of entry `entry` that is a target in `state`: the entry's attributes with
    /// the five ConText attributes set in order (`negated`, `uncertain`, `hypothetical`, `historical`,
    /// `experiencer`), as setting them one by one on the finding would. The entry's prebuilt attributes for the
    /// state's flags (the same keys in the same order, shared storage), with the experiencer changed when it is not
    /// the patient.
    private func contextAttributes(of entry: Int, state: TargetState) -> Attributes {
        var attributes = findingEntries[entry].contextAttributes[state.flags]
        if state.experiencerRule >= 0 { attributes["experiencer"] = .string(experiencer(of: state)) }
        return attributes
    }

    /// `attributes` with the five ConText attributes of a target whose `TargetState.flags` are `flags` and whose
    /// experiencer is the patient, set one by one in order (replacing values of keys already there, appending the
    /// others).
    static func withContext(_ attributes: Attributes, flags: Int) -> Attributes {
        var attributes = attributes
        attributes["negated"] = .bool(flags & TargetState.negatedFlag != 0)
        attributes["uncertain"] = .bool(flags & TargetState.uncertainFlag != 0)
        attributes["hypothetical"] = .bool(flags & TargetState.hypotheticalFlag != 0)
        attributes["historical"] = .bool(flags & TargetState.historicalFlag != 0)
        attributes["experiencer"] = .string("patient")
        return attributes
    }

    /// What annotations of `type` are to the stage: 1 sentences (scope bounds), 2 targets, 0 neither.
    static func kind(of type: String, sentenceType: String, filter: CompiledTypeFilter) -> UInt8 {
        type == sentenceType ? 1 : filter.accepts(type) ? 2 : 0
    }

    /// The experiencer a target gets: the nearest experiencer trigger's value, else `patient`.
    private func experiencer(of state: TargetState) -> String {
        state.experiencerRule >= 0 ? resolver.rules[state.experiencerRule].value ?? "patient" : "patient"
    }

    /// Runs ConText over the targets (layer ranges, sorted by start, then id) within `sentences` (layer ranges,
    /// sorted by start; filled with the text's lines when empty): sets each target's state (same indices) and
    /// lists the modifying triggers with the ids of the targets they modified (ascending). `triggerStarts`: the word
    /// starts listed for the trigger phrases by the findings scan of the whole layer, or nil.
    private func resolve(layer: TextLayer, sentences: inout [Range<Int>], targets: [(id: AnnotationID, range: Range<Int>)],
                         triggerStarts: [Int]?,
                         states: inout [TargetState],
                         used: inout [(modifier: ContextResolver.Modifier, targets: [AnnotationID])]) throws
    {
        try layer.text.withUTF8Bytes { bytes in
            if sentences.isEmpty { sentences = Self.lines(in: bytes) }
            // The targets of each sentence (by start), and the triggers of the sentences that have targets: runs of
            // consecutive such sentences are matched in one pass each.
            var targetSpans: [Range<Int>] = []
            targetSpans.reserveCapacity(sentences.count)
            var found: [TriggerMatch] = []
            var scratch = TriggerMatcher.Scratch()
            var runs: [Range<Int>] = []
            var targetIndex = 0
            var run: Range<Int>?
            for sentence in sentences {
                while targetIndex < targets.count && targets[targetIndex].range.lowerBound < sentence.lowerBound { targetIndex += 1 }
                var targetEnd = targetIndex
                while targetEnd < targets.count && targets[targetEnd].range.lowerBound < sentence.upperBound { targetEnd += 1 }
                targetSpans.append(targetIndex..<targetEnd)
                targetIndex = targetEnd
                if targetEnd > targetSpans[targetSpans.count - 1].lowerBound {
                    run = run.map { $0.lowerBound..<sentence.upperBound } ?? sentence
                } else if let current = run {
                    runs.append(current)
                    run = nil
                }
            }
            if let current = run { runs.append(current) }
            try triggers.appendMatches(in: bytes, ranges: runs, literalStarts: triggerStarts, scratch: &scratch, to: &found)

            var triggerIndex = 0
            var modifiers: [ContextResolver.Modifier] = []
            var modified: [AnnotationID] = []
            for (sentenceIndex, sentence) in sentences.enumerated() {
                let sentenceTargets = targetSpans[sentenceIndex]
                guard !sentenceTargets.isEmpty else { continue }
                while triggerIndex < found.count && found[triggerIndex].range.lowerBound < sentence.lowerBound { triggerIndex += 1 }
                var triggerEnd = triggerIndex
                while triggerEnd < found.count && found[triggerEnd].range.upperBound <= sentence.upperBound { triggerEnd += 1 }
                defer { triggerIndex = triggerEnd }
                guard triggerEnd > triggerIndex else { continue }
                resolver.resolve(found[triggerIndex..<triggerEnd], in: sentence, text: bytes, into: &modifiers)
                for modifier in modifiers {
                    let rule = resolver.traits[modifier.rule]
                    guard rule.isModifying, !modifier.scope.isEmpty else { continue }
                    modified.removeAll(keepingCapacity: true)
                    for index in sentenceTargets where resolver.modifies(modifier, target: targets[index].range) {
                        states[index].apply(rule.category, rule: modifier.rule, modifier: modifier.range, target: targets[index].range)
                        modified.append(targets[index].id)
                    }
                    // Targets are visited by start, so their ids are usually ascending already.
                    if !modified.isEmpty { used.append((modifier, Self.isSorted(modified, by: <) ? modified : modified.sorted())) }
                }
            }
        }
    }

    /// A finding to add: a findings lexicon entry (index) and its span in the original text.
    struct PendingFinding {
        var entry: Int
        var range: Range<Int>
    }

    /// The findings lexicon's matches, in text order, skipping spans that already carry an annotation of the same
    /// type (from an earlier lexicon stage over the same file): `existing`, the document's annotations of the
    /// lexicon's types.
    ///
    /// When the findings and the trigger phrases can share a scan (`LexiconMatcher.canListStarts(for:)`), the scan
    /// also lists into `triggerStarts` the word starts of the layer where a trigger phrase may start, for
    /// `TriggerMatcher.appendMatches(in:ranges:literalStarts:scratch:to:)`; else `triggerStarts` is left as it is.
    private func pendingFindings(layer: TextLayer, existing: Set<ExistingFinding>, triggerStarts: inout [Int]?) -> [PendingFinding] {
        guard let matcher = findingsMatcher else { return [] }
        var found: [(Range<Int>, Int)] = []
        layer.text.withUTF8Bytes { bytes in
            let literals = triggers.literalMatcher
            if matcher.canListStarts(for: literals) {
                var listed: [Int] = []
                matcher.forEachMatch(in: bytes, listingStartsFor: literals, into: &listed) { range, group in
                    found.append((range, group))
                }
                triggerStarts = listed
            } else {
                matcher.forEachMatch(in: bytes) { range, group in found.append((range, group)) }
            }
        }
        guard !found.isEmpty else { return [] }
        var result: [PendingFinding] = []
        result.reserveCapacity(found.count)
        var toOriginal = SpanMapper(layer.map, towardsLayer: false)
        for (range, group) in found {
            let original = toOriginal.map(range)
            for index in findingGroups[group] {
                if !existing.isEmpty && existing.contains(ExistingFinding(type: findingEntries[index].typeIndex,
                                                                          lower: original.lowerBound, upper: original.upperBound))
                {
                    continue
                }
                result.append(PendingFinding(entry: index, range: original))
            }
        }
        return result
    }

    /// An annotation of a findings type already in the document: type (index in `findingTypes`) and span.
    private struct ExistingFinding: Hashable {
        var type: Int
        var lower: Int
        var upper: Int
    }

    /// Whether `Document.addAnnotation` accepts every span: inside the text, not splitting a character.
    static func allAcceptable(_ findings: [PendingFinding], text: String) -> Bool {
        text.withUTF8Bytes { bytes in
            let count = bytes.count
            for finding in findings {
                let range = finding.range
                guard range.lowerBound >= 0, range.upperBound <= count else { return false }
                if range.lowerBound < count && bytes[range.lowerBound] & 0xC0 == 0x80 { return false }
                if range.upperBound < count && bytes[range.upperBound] & 0xC0 == 0x80 { return false }
            }
            return true
        }
    }

    /// Lines of `bytes` without their line breaks and surrounding whitespace: the scopes of a document that has
    /// no sentences.
    static func lines(in bytes: UnsafeBufferPointer<UInt8>) -> [Range<Int>] {
        var result: [Range<Int>] = []
        var start = 0
        for position in 0...bytes.count where position == bytes.count || bytes[position] == 0x0A {
            var lower = start, upper = position
            while lower < upper && ByteClass.isSpace(bytes[lower]) { lower += 1 }
            while upper > lower && ByteClass.isSpace(bytes[upper - 1]) { upper -= 1 }
            if upper > lower { result.append(lower..<upper) }
            start = position + 1
        }
        return result
    }
}

/// What ConText concluded about one target so far.
struct TargetState {
    var negated = false
    var uncertain = false
    var hypothetical = false
    var historical = false
    /// The experiencer rule (index) that set the experiencer, or -1 (the patient).
    var experiencerRule = -1
    /// Distance in bytes to the experiencer trigger that set `experiencerRule` (the nearest wins).
    var experiencerDistance = Int.max

    static let negatedFlag = 1
    static let uncertainFlag = 2
    static let hypotheticalFlag = 4
    static let historicalFlag = 8
    /// The number of values `flags` takes.
    static let flagCombinations = 16

    /// The four booleans as bits: `negatedFlag`, `uncertainFlag`, `hypotheticalFlag`, `historicalFlag`.
    var flags: Int {
        (negated ? Self.negatedFlag : 0) | (uncertain ? Self.uncertainFlag : 0) | (hypothetical ? Self.hypotheticalFlag : 0)
            | (historical ? Self.historicalFlag : 0)
    }

    /// Applies rule `rule` of `category`, found at `modifier`, to a target at `target` (layer offsets).
    mutating func apply(_ category: ContextCategory, rule: Int, modifier: Range<Int>, target: Range<Int>) {
        switch category {
        case .negated: negated = true
        case .uncertain: uncertain = true
        case .hypothetical: hypothetical = true
        case .historical: historical = true
        case .experiencer:
            let distance = modifier.lowerBound >= target.upperBound ? modifier.lowerBound - target.upperBound
                : max(0, target.lowerBound - modifier.upperBound)
            if distance < experiencerDistance {
                experiencerDistance = distance
                experiencerRule = rule
            }
        case .pseudo, .terminate: break
        }
    }
}

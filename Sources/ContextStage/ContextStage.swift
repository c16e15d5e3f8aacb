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
    /// The annotation types of `findingsLexicon`.
    private let findingTypes: Set<String>
    private let stageName: String

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
        self.findingsMatcher = findings?.makeMatcher()
        self.findingTypes = Set(findings?.types ?? [])
        self.stageName = stageName
    }

    public var requires: [String] { [configuration.sentenceType] }

    public var produces: [String] {
        (configuration.modifiers ? [Self.modifierType] : []) + (findingsLexicon?.types ?? [])
    }

    public func process(_ document: inout Document) throws {
        let layer = document.normalized
        if findingsMatcher != nil { try addFindings(to: &document, layer: layer) }

        // Sentences and targets, in layer coordinates, sorted by start.
        var sentences: [Range<Int>] = []
        var targets: [(id: AnnotationID, range: Range<Int>)] = []
        // The filter's answer per type seen, searched linearly: a document has a handful of types, and equal type
        // strings usually share storage, so comparing is cheaper than hashing.
        var accepted: [(type: String, isTarget: Bool)] = []
        var toLayer = SpanMapper(layer.map, towardsLayer: true)
        for annotation in document.annotations {
            if annotation.type == configuration.sentenceType {
                sentences.append(toLayer.map(annotation.range))
                continue
            }
            let isTarget: Bool
            if let known = accepted.first(where: { $0.type == annotation.type }) { isTarget = known.isTarget } else {
                isTarget = targetFilter.accepts(annotation.type)
                accepted.append((annotation.type, isTarget))
            }
            if isTarget { targets.append((annotation.id, toLayer.map(annotation.range))) }
        }
        guard !targets.isEmpty else { return }
        targets.sort { $0.range.lowerBound != $1.range.lowerBound ? $0.range.lowerBound < $1.range.lowerBound : $0.id < $1.id }
        sentences.sort { $0.lowerBound < $1.lowerBound }

        var states = [TargetState](repeating: TargetState(), count: targets.count)
        var used: [(modifier: ContextResolver.Modifier, targets: [AnnotationID])] = []
        try layer.text.withUTF8Bytes { bytes in
            if sentences.isEmpty { sentences = Self.lines(in: bytes) }
            // The targets of each sentence (by start), and the triggers of the sentences that have targets: runs of
            // consecutive such sentences are matched in one pass each.
            var targetSpans: [Range<Int>] = []
            targetSpans.reserveCapacity(sentences.count)
            var found: [TriggerMatch] = []
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
                    try triggers.appendMatches(in: bytes, range: current, to: &found)
                    run = nil
                }
            }
            if let current = run { try triggers.appendMatches(in: bytes, range: current, to: &found) }

            var triggerIndex = 0
            for (sentenceIndex, sentence) in sentences.enumerated() {
                let sentenceTargets = targetSpans[sentenceIndex]
                guard !sentenceTargets.isEmpty else { continue }
                while triggerIndex < found.count && found[triggerIndex].range.lowerBound < sentence.lowerBound { triggerIndex += 1 }
                var triggerEnd = triggerIndex
                while triggerEnd < found.count && found[triggerEnd].range.upperBound <= sentence.upperBound { triggerEnd += 1 }
                defer { triggerIndex = triggerEnd }
                guard triggerEnd > triggerIndex else { continue }
                let modifiers = resolver.modifiers(for: found[triggerIndex..<triggerEnd], in: sentence, text: bytes)
                for modifier in modifiers {
                    let rule = resolver.rules[modifier.rule]
                    guard rule.category.isModifying, !modifier.scope.isEmpty else { continue }
                    var modified: [AnnotationID] = []
                    for index in sentenceTargets where resolver.modifies(modifier, target: targets[index].range) {
                        states[index].apply(rule, modifier: modifier.range, target: targets[index].range)
                        modified.append(targets[index].id)
                    }
                    if !modified.isEmpty { used.append((modifier, modified.sorted())) }
                }
            }
        }

        for (index, target) in targets.enumerated() {
            let state = states[index]
            document.setAttribute("negated", .bool(state.negated), of: target.id)
            document.setAttribute("uncertain", .bool(state.uncertain), of: target.id)
            document.setAttribute("hypothetical", .bool(state.hypothetical), of: target.id)
            document.setAttribute("historical", .bool(state.historical), of: target.id)
            document.setAttribute("experiencer", .string(state.experiencer ?? "patient"), of: target.id)
        }
        guard configuration.modifiers else { return }
        used.sort { $0.modifier.range.lowerBound != $1.modifier.range.lowerBound
            ? $0.modifier.range.lowerBound < $1.modifier.range.lowerBound : $0.modifier.rule < $1.modifier.rule }
        var toOriginal = SpanMapper(layer.map, towardsLayer: false)
        for (modifier, modified) in used {
            let rule = resolver.rules[modifier.rule]
            var attributes: Attributes = [
                "category": .string(rule.category.rawValue),
                "direction": .string(rule.direction.rawValue),
                "targets": .list(modified.map { .int($0.rawValue) }),
                "rule": .string(rule.source),
            ]
            if let value = rule.value { attributes["value"] = .string(value) }
            try document.addAnnotation(type: Self.modifierType, range: toOriginal.map(modifier.range),
                                       attributes: attributes, provenance: Provenance(stage: stageName, rule: rule.source))
        }
    }

    /// Adds the findings lexicon's matches, skipping spans that already carry an annotation of the same type
    /// (from an earlier lexicon stage over the same file).
    private func addFindings(to document: inout Document, layer: TextLayer) throws {
        guard let matcher = findingsMatcher, let lexicon = findingsLexicon else { return }
        var found: [(Range<Int>, Int)] = []
        layer.text.withUTF8Bytes { bytes in
            matcher.forEachMatch(in: bytes) { range, group in found.append((range, group)) }
        }
        guard !found.isEmpty else { return }
        var existing: Set<String> = []
        for annotation in document.annotations where findingTypes.contains(annotation.type) {
            existing.insert("\(annotation.type) \(annotation.range.lowerBound) \(annotation.range.upperBound)")
        }
        var toOriginal = SpanMapper(layer.map, towardsLayer: false)
        for (range, group) in found {
            let original = toOriginal.map(range)
            var emitted: [String] = []
            for index in matcher.values(ofGroup: group) {
                let entry = lexicon.entries[index]
                if emitted.contains(entry.type) { continue }
                emitted.append(entry.type)
                if !existing.isEmpty && existing.contains("\(entry.type) \(original.lowerBound) \(original.upperBound)") { continue }
                var attributes: Attributes = ["normalized": .string(entry.normalized)]
                for (key, value) in entry.attributes { attributes[key] = value }
                try document.addAnnotation(type: entry.type, range: original, attributes: attributes,
                                           provenance: Provenance(stage: stageName, rule: entry.source))
            }
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
    var experiencer: String?
    /// Distance in bytes to the experiencer trigger that set `experiencer` (the nearest wins).
    var experiencerDistance = Int.max

    mutating func apply(_ rule: ContextRule, modifier: Range<Int>, target: Range<Int>) {
        switch rule.category {
        case .negated: negated = true
        case .uncertain: uncertain = true
        case .hypothetical: hypothetical = true
        case .historical: historical = true
        case .experiencer:
            let distance = modifier.lowerBound >= target.upperBound ? modifier.lowerBound - target.upperBound
                : max(0, target.lowerBound - modifier.upperBound)
            if distance < experiencerDistance {
                experiencerDistance = distance
                experiencer = rule.value
            }
        case .pseudo, .terminate: break
        }
    }
}

import ClinPipeText

/// The ConText algorithm for one sentence: given the triggers found in it and the targets inside it, which
/// trigger modifies which target.
///
/// All ranges are UTF-8 byte offsets into one text (the normalized layer), half-open.
///
/// - A modifying trigger's scope starts as the rest of the sentence after it (forward), the part before it
///   (backward) or both, cut to `maxScope` words when the rule has one.
/// - A scope ends at a trigger that ends scopes (a terminator, or a decision phrase) and at another trigger of
///   the same category (medspaCy's rule: in "no evidence of CHF, no pneumonia" each "no" keeps its own part).
///   A terminator with direction `forward` ends only the forward scopes of triggers before it; `backward` only
///   the backward scopes of triggers after it.
/// - A target is modified when it overlaps the scope and does not lie inside the trigger itself.
public struct ContextResolver: Sendable {
    /// A trigger placed in a sentence: its range and the rule it fires.
    public struct Modifier: Sendable, Hashable {
        public var range: Range<Int>
        public var rule: Int
        /// The scope after resolution (empty for triggers that modify nothing).
        public var scope: Range<Int>
    }

    public let rules: [ContextRule]
    /// What resolution reads of each rule (same indices as `rules`), without the rule's strings, so that reading
    /// it copies and retains nothing.
    let traits: [RuleTraits]

    public init(rules: [ContextRule]) {
        self.rules = rules
        self.traits = rules.map(RuleTraits.init)
    }

    /// The parts of a `ContextRule` that resolution and target states read.
    struct RuleTraits: Sendable {
        var category: ContextCategory
        var isModifying: Bool
        var reachesForward: Bool
        var reachesBackward: Bool
        var maxScope: Int?
        /// Bit `c.bit` is set when the rule ends the scopes of category `c` (`ContextRule.ends`).
        var endsMask: UInt8

        init(_ rule: ContextRule) {
            category = rule.category
            isModifying = rule.category.isModifying
            reachesForward = rule.direction.reachesForward
            reachesBackward = rule.direction.reachesBackward
            maxScope = rule.maxScope
            var mask: UInt8 = 0
            for category in ContextCategory.allCases where rule.ends(category) { mask |= category.bit }
            endsMask = mask
        }

        @inline(__always) func ends(_ category: ContextCategory) -> Bool { endsMask & category.bit != 0 }
    }

    /// The modifiers of one sentence with their final scopes.
    /// - Parameters:
    ///   - triggers: the triggers inside `sentence`, sorted by start, non-overlapping.
    ///   - sentence: the sentence's range in `text`.
    ///   - text: the whole text (UTF-8), for counting words of `maxScope`.
    public func modifiers(for triggers: ArraySlice<TriggerMatch>, in sentence: Range<Int>,
                          text: UnsafeBufferPointer<UInt8>) -> [Modifier]
    {
        var modifiers: [Modifier] = []
        resolve(triggers, in: sentence, text: text, into: &modifiers)
        return modifiers
    }

    /// `modifiers(for:in:text:)` into a buffer the caller reuses (emptied first, capacity kept).
    func resolve(_ triggers: ArraySlice<TriggerMatch>, in sentence: Range<Int>, text: UnsafeBufferPointer<UInt8>,
                 into modifiers: inout [Modifier])
    {
        modifiers.removeAll(keepingCapacity: true)
        for trigger in triggers {
            for rule in trigger.rules {
                modifiers.append(Modifier(range: trigger.range, rule: rule, scope: trigger.range.lowerBound..<trigger.range.lowerBound))
            }
        }
        for index in modifiers.indices {
            let rule = traits[modifiers[index].rule]
            guard rule.isModifying else { continue }
            let range = modifiers[index].range
            var lower = range.lowerBound, upper = range.upperBound
            if rule.reachesForward {
                upper = sentence.upperBound
                if let limit = rule.maxScope { upper = Self.end(afterWords: limit, from: range.upperBound, limit: upper, text: text) }
            }
            if rule.reachesBackward {
                lower = sentence.lowerBound
                if let limit = rule.maxScope { lower = Self.start(beforeWords: limit, from: range.lowerBound, limit: lower, text: text) }
            }
            // Limits from the other triggers of the sentence.
            for other in modifiers where other.range != range {
                let otherRule = traits[other.rule]
                let sameCategory = otherRule.category == rule.category
                guard sameCategory || otherRule.ends(rule.category) else { continue }
                if rule.reachesForward, other.range.lowerBound >= range.upperBound,
                    sameCategory || otherRule.reachesForward
                {
                    upper = min(upper, other.range.lowerBound)
                }
                if rule.reachesBackward, other.range.upperBound <= range.lowerBound,
                    sameCategory || otherRule.reachesBackward
                {
                    lower = max(lower, other.range.upperBound)
                }
            }
            modifiers[index].scope = lower..<upper
        }
    }

    /// Whether `modifier` modifies a target at `target`.
    @inline(__always)
    public func modifies(_ modifier: Modifier, target: Range<Int>) -> Bool {
        guard traits[modifier.rule].isModifying else { return false }
        // A target inside the trigger is part of the trigger; one that only shares a word with it
        // ("there are no documented" / "documented trigger points") is modified where it reaches the scope.
        if target.lowerBound >= modifier.range.lowerBound && target.upperBound <= modifier.range.upperBound { return false }
        if target.isEmpty { return modifier.scope.contains(target.lowerBound) }
        return target.overlaps(modifier.scope)
    }

    /// The end of the `count`-th word after `position`, or `limit` if fewer words follow.
    static func end(afterWords count: Int, from position: Int, limit: Int, text: UnsafeBufferPointer<UInt8>) -> Int {
        var cursor = position, words = 0
        while cursor < limit {
            while cursor < limit && !ByteClass.isWord(text[cursor]) { cursor += 1 }
            if cursor >= limit { break }
            while cursor < limit && ByteClass.isWord(text[cursor]) { cursor += 1 }
            words += 1
            if words == count { return cursor }
        }
        return limit
    }

    /// The start of the `count`-th word before `position`, or `limit` if fewer words precede.
    static func start(beforeWords count: Int, from position: Int, limit: Int, text: UnsafeBufferPointer<UInt8>) -> Int {
        var cursor = position, words = 0
        while cursor > limit {
            while cursor > limit && !ByteClass.isWord(text[cursor - 1]) { cursor -= 1 }
            if cursor <= limit { break }
            while cursor > limit && ByteClass.isWord(text[cursor - 1]) { cursor -= 1 }
            words += 1
            if words == count { return cursor }
        }
        return limit
    }
}

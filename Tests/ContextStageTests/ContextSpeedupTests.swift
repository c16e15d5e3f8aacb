import ClinPipeCore
import ClinPipeTestSupport
import ClinPipeText
@testable import ContextStage
import Testing

/// The shortcuts of the `context` stage give exactly what the plain code gives: `SpanMapper` the spans of
/// `OffsetMap`, `TriggerMatcher`'s one-by-one patterns the matches of their alternation, `CompiledTypeFilter` the
/// answers of `TargetTypeFilter`.
@Suite struct ContextSpeedupTests {
    static let patternWords = [
        "should", "Should", "develop", "worsen", "be", "required", "symptoms", "pain", "relief from", "response to",
        "from", "to", "with", "the", "prior", "no", "No.", "#", "3", ",", ", and", "but", "he", "there", "it", "x",
        "é", "患者", "benefit from", "results from", "persist", "not",
        // Near misses of the patterns' starts: inside words, after digits and underscores, and non-ASCII letters
        // that caseless UTF matching equates with ASCII ones (long s, Kelvin sign).
        "sno", "3no", "_with", "toward", "Nos", "\u{17F}hould", "\u{212A}", "no\u{17F}", "\u{17F}", "éno", "x,", ";",
    ]
    static let patternSeparators = [" ", " ", "  ", "\n", ", ", ". ", "", "-", "/", "'", "\t"]

    /// The built-in patterns plus one that can match empty and two that overlap the others.
    static let patterns: [String] = {
        let builtIn = try! ContextRuleSet.builtIn().rules.compactMap { rule -> String? in
            if case .pattern(let pattern) = rule.trigger { return pattern }
            return nil
        }
        return builtIn + ["x?", "\\bpain\\s+relief", "\\bto\\b"]
    }()

    @Test(arguments: testSeeds(40))
    func separatePatternsMatchAsTheirAlternation(seed: UInt64) throws {
        var generator = SeededGenerator(seed: seed)
        var text = ""
        for _ in 0..<300 {
            text += Self.patternWords[Int(generator.next() % UInt64(Self.patternWords.count))]
            text += Self.patternSeparators[Int(generator.next() % UInt64(Self.patternSeparators.count))]
        }
        for patterns in [Array(Self.patterns.prefix(6)), Self.patterns] {
            #expect(patterns.allSatisfy(TriggerMatcher.separable))
            let combined = try PCRE2Pattern(patterns.enumerated().map { "(?<r\($0.offset)>\($0.element))" }.joined(separator: "|"),
                                            options: [.caseless])
            let separate = SeparatePatterns(try patterns.enumerated().map { try SeparatePatterns.Entry($0.element, rule: $0.offset) })
            try text.withUTF8Bytes { bytes in
                var expected: [TriggerMatch] = []
                try combined.forEachMatch(in: bytes) { match in
                    if !match.range.isEmpty, let rule = patterns.indices.first(where: { match.range("r\($0)") != nil }) {
                        expected.append(TriggerMatch(range: match.range, rules: [rule]))
                    }
                    return true
                }
                // Buffers reused: first over a slice of the text (other contents, other counts), then over all of it.
                var scratch = SeparatePatterns.Scratch()
                var found: [TriggerMatch] = []
                try separate.appendMatches(in: UnsafeBufferPointer(rebasing: bytes[(bytes.count / 2)...]), offset: 0,
                                           scratch: &scratch, to: &found)
                found = []
                try separate.appendMatches(in: bytes, offset: 0, scratch: &scratch, to: &found)
                #expect(found == expected, "seed \(seed)")
            }
        }
    }

    /// The built-in patterns each have a known start (so the anchored search is the one tested above), and the
    /// reading of starts keeps to what it understands.
    @Test func patternStartsAreRead() throws {
        for pattern in Self.patterns.prefix(6) { #expect(PatternStart(pattern: pattern) != nil, "\(pattern)") }
        #expect(PatternStart(pattern: "\\bshould\\b(?=x)")?.prefixes == [Array("should".utf8)])
        #expect(PatternStart(pattern: "\\b(?:From(?<=a|b)|to)\\b")?.prefixes == [Array("from".utf8), Array("to".utf8)])
        #expect(PatternStart(pattern: "\\bnos?")?.prefixes == [Array("no".utf8)])
        #expect(PatternStart(pattern: ",(?:\\s+and)?")?.prefixes == [[UInt8(ascii: ",")]])
        #expect(PatternStart(pattern: ",(?:\\s+and)?")?.atWordStart == false)
        for pattern in ["\\bno|\\bwith", "(?i)\\bno", "\\b(?:no)?x", "\\b(?:no|\\d)", "\\bs?x", "\\b\\Qno\\E", "no", "\\b(no)",
                        ",?x", "x?", "\\b[[:alpha:]]", "(?x)\\bno", "\\b(?:no|[|)]x)"] {
            #expect(PatternStart(pattern: pattern) == nil, "\(pattern)")
        }
    }

    @Test func patternsThatReferToGroupsAreNotSeparated() {
        #expect(TriggerMatcher.separable("\\bshould\\b(?=(?:\\s+[\\w'/-]+){1,6}?\\s+develop)"))
        for pattern in ["(a)\\1", "(?<x>a)\\k<x>", "(a)\\g{1}", "(a)(?1)", "(?(1)a|b)", "(*COMMIT)a", "(?&x)", "(?R)"] {
            #expect(!TriggerMatcher.separable(pattern), "\(pattern)")
        }
    }

    /// Random maps (empty, inserted, deleted and replaced spans) and random spans, visited in and out of order.
    @Test(arguments: testSeeds(60))
    func spanMapperMapsAsOffsetMap(seed: UInt64) throws {
        var generator = SeededGenerator(seed: seed)
        func random(_ bound: Int) -> Int { Int(generator.next() % UInt64(max(bound, 1))) }
        var edits: [OffsetMap.Edit] = []
        var original = 0, layer = 0
        for _ in 0..<random(40) {
            let gap = 1 + random(6)
            original += gap
            layer += gap
            let removed = random(4), added = random(4)
            edits.append(OffsetMap.Edit(originalRange: original..<(original + removed), layerRange: layer..<(layer + added)))
            original += removed
            layer += added
        }
        let tail = random(5)
        let map = try OffsetMap(edits: edits, originalLength: original + tail, layerLength: layer + tail)
        for towardsLayer in [true, false] {
            var mapper = SpanMapper(map, towardsLayer: towardsLayer)
            let length = towardsLayer ? map.originalLength : map.layerLength
            var spans: [Range<Int>] = []
            for _ in 0..<200 {
                let lower = random(length + 1)
                spans.append(lower..<(lower + random(length - lower + 1)))
            }
            for span in spans + spans.sorted(by: { $0.lowerBound < $1.lowerBound }) {
                let expected = towardsLayer ? map.toLayer(span) : map.toOriginal(span)
                #expect(mapper.map(span) == expected, "seed \(seed), \(span)")
            }
        }
    }

    @Test(arguments: testSeeds(20))
    func compiledTypeFilterAcceptsAsTargetTypeFilter(seed: UInt64) {
        var generator = SeededGenerator(seed: seed)
        func pick(_ items: [String]) -> String { items[Int(generator.next() % UInt64(items.count))] }
        // Real types, near misses of the default names, non-ASCII (long and short strings, canonically equal
        // spellings), and random concatenations of the pieces.
        let pieces = ["sentence", "section", "section.heading", "sections", "imr", "imr.", "imr.item", "context.modifier",
                      "context", "drug", "date", "finding", "procedure", "spine.level", "", ".", "*", "é", "e\u{301}",
                      "Section", "SENTENCE", "患者", "a-very-long-annotation-type-name-that-is-not-small"]
        let names = ["sentence", "section*", "imr.*", "context.modifier", "*", "é", "e\u{301}*", "drug", "dr*", "", "患*"]
        for _ in 0..<20 {
            let filter = TargetTypeFilter(include: (0..<Int(generator.next() % 3)).map { _ in pick(names) },
                                          exclude: (0..<Int(generator.next() % 5)).map { _ in pick(names) })
            let compiled = CompiledTypeFilter(filter)
            for _ in 0..<50 {
                let type = (0..<Int(1 + generator.next() % 3)).map { _ in pick(pieces) }.joined()
                #expect(compiled.accepts(type) == filter.accepts(type), "seed \(seed), \(filter), \(type)")
            }
        }
        let defaults = CompiledTypeFilter(TargetTypeFilter())
        for type in pieces { #expect(defaults.accepts(type) == TargetTypeFilter().accepts(type), "\(type)") }
    }
}

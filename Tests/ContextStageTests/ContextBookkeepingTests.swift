import ClinPipeCore
import ClinPipeTestSupport
import ClinPipeText
@testable import ContextStage
import Foundation
import Testing

/// The shortcuts of the stage's bookkeeping give exactly what the plain code gives: `TypeKinds` the kinds and
/// findings-type indices computed type by type, the prebuilt finding attributes the attributes set one by one, the
/// linear merge of triggers the merge by sorting, the document-wide trigger pass the pass range by range.
@Suite struct ContextBookkeepingTests {
    /// Types as a document has them: small and long strings, copies of one type in separate storage (built at run
    /// time), canonically equal spellings, the empty string, and more types than the table has slots.
    static func typeStrings() -> [String] {
        var types = ["sentence", "section", "section.heading", "date", "drug", "finding", "procedure", "spine.level",
                     "imr.item", "context.modifier", "", "é", "e\u{301}", "患者", "a-very-long-annotation-type-name-that-is-not-small"]
        // Copies in their own storage (not literals): equal strings with other bits.
        types += types.map { String(decoding: Array($0.utf8), as: UTF8.self) }
        types += types.map { String($0.reversed()) }
        types += (0..<40).map { "type\($0)" } + (0..<10).map { "a-long-generated-annotation-type-number-\($0)" }
        return types
    }

    @Test(arguments: testSeeds(20))
    func typeKindsAnswerAsThePlainComputation(seed: UInt64) {
        var generator = SeededGenerator(seed: seed)
        let types = Self.typeStrings()
        let filter = CompiledTypeFilter(TargetTypeFilter())
        let findingTypes = ["finding", "procedure", "é"]
        var kinds = TypeKinds(sentenceType: "sentence", filter: filter, findingTypes: findingTypes)
        // Runs of one type, and types in random order.
        var sequence: [String] = []
        for _ in 0..<300 {
            let type = types[Int(generator.next() % UInt64(types.count))]
            sequence += Array(repeating: type, count: 1 + Int(generator.next() % 4))
        }
        for type in sequence {
            let info = kinds.info(of: type)
            #expect(info.kind == ContextStage.kind(of: type, sentenceType: "sentence", filter: filter), "seed \(seed), \(type)")
            #expect(info.findingType == (findingTypes.firstIndex(of: type) ?? -1), "seed \(seed), \(type)")
            #expect(kinds.kind(of: type) == info.kind)
        }
    }

    @Test func stringBitsTellEqualStringsOnly() {
        let types = Self.typeStrings()
        for a in types {
            #expect(StringBits(a) != .none)
            for b in types where StringBits(a) == StringBits(b) { #expect(a == b, "\(a) \(b)") }
        }
        // Small strings are equal by their bits whatever their origin.
        #expect(StringBits("sentence") == StringBits(String(decoding: Array("sentence".utf8), as: UTF8.self)))
        #expect(StringBits("") != .none)
    }

    /// Every combination of flags gives what setting the five attributes one by one gives, for attributes without
    /// those keys, with some of them (replaced in place), and empty.
    @Test func prebuiltContextAttributesMatchSettingOneByOne() {
        let bases: [Attributes] = [
            [:],
            ["normalized": .string("back pain")],
            ["normalized": .string("x"), "uncertain": .bool(true), "site": .string("lumbar"), "experiencer": .string("other")],
        ]
        for base in bases {
            for flags in 0..<TargetState.flagCombinations {
                var expected = base
                expected["negated"] = .bool(flags & 1 != 0)
                expected["uncertain"] = .bool(flags & 2 != 0)
                expected["hypothetical"] = .bool(flags & 4 != 0)
                expected["historical"] = .bool(flags & 8 != 0)
                expected["experiencer"] = .string("patient")
                let built = ContextStage.withContext(base, flags: flags)
                #expect(built == expected)
                #expect(built.keys == expected.keys)
                var state = TargetState()
                state.negated = flags & 1 != 0
                state.uncertain = flags & 2 != 0
                state.hypothetical = flags & 4 != 0
                state.historical = flags & 8 != 0
                #expect(state.flags == flags)
            }
        }
    }

    @Test func sortednessIsThatOfAStableSort() {
        let less: (Int, Int) -> Bool = { $0 < $1 }
        #expect(ContextStage.isSorted([Int](), by: less))
        #expect(ContextStage.isSorted([1], by: less))
        #expect(ContextStage.isSorted([1, 1, 2, 5, 5], by: less))
        #expect(!ContextStage.isSorted([1, 3, 2], by: less))
        #expect(!ContextStage.isSorted([2, 1], by: less))
    }

    /// The merge by sorting that `TriggerMatcher.merge` replaces.
    static func sortingMerge(_ first: [TriggerMatch], _ second: [TriggerMatch]) -> [TriggerMatch] {
        var all = first + second
        all.sort { $0.range.lowerBound != $1.range.lowerBound ? $0.range.lowerBound < $1.range.lowerBound
            : $0.range.count > $1.range.count }
        var kept: [TriggerMatch] = []
        for candidate in all {
            if let last = kept.last, last.range.overlaps(candidate.range) {
                if candidate.range.count > last.range.count { kept[kept.count - 1] = candidate }
                continue
            }
            kept.append(candidate)
        }
        return kept
    }

    @Test(arguments: testSeeds(40))
    func linearMergeKeepsWhatTheSortingMergeKeeps(seed: UInt64) {
        var generator = SeededGenerator(seed: seed)
        /// Sorted, non-overlapping, non-empty matches (as the matchers give: literal terms are never empty, empty
        /// pattern matches are not reported) with a rule number telling the two lists apart; adjacent ones touch.
        func list(_ tag: Int) -> [TriggerMatch] {
            var result: [TriggerMatch] = []
            var position = Int(generator.next() % 3)
            for _ in 0..<Int(generator.next() % 12) {
                let length = 1 + Int(generator.next() % 5)
                result.append(TriggerMatch(range: position..<(position + length), rules: [tag, result.count]))
                position += length + Int(generator.next() % 3)
            }
            return result
        }
        for _ in 0..<20 {
            let first = list(0), second = list(1)
            #expect(TriggerMatcher.merge(first, second) == Self.sortingMerge(first, second), "seed \(seed)")
            #expect(TriggerMatcher.merge(first[...], second) == Self.sortingMerge(first, second), "seed \(seed)")
        }
    }

    /// The document-wide pass gives what the pass range by range gives, on the built-in rules over random texts of
    /// trigger words cut into random runs.
    @Test(arguments: testSeeds(20))
    func triggersOfAllRangesAtOnceAreThoseRangeByRange(seed: UInt64) throws {
        var generator = SeededGenerator(seed: seed)
        let matcher = try TriggerMatcher(ruleSet: ContextRuleSet.builtIn())
        let words = ContextSpeedupTests.patternWords + ["no evidence of", "denies", "history of", "ruled out", "but",
                                                        "family history", "mother", "if", "pain", "with", "without"]
        var text = ""
        for _ in 0..<300 {
            text += words[Int(generator.next() % UInt64(words.count))]
            text += ContextSpeedupTests.patternSeparators[Int(generator.next() % UInt64(ContextSpeedupTests.patternSeparators.count))]
        }
        try text.withUTF8Bytes { bytes in
            var ranges: [Range<Int>] = []
            var position = 0
            // Ranges start and end on character boundaries, as sentences do.
            func boundary(_ offset: Int) -> Int {
                var offset = min(offset, bytes.count)
                while offset < bytes.count && bytes[offset] & 0xC0 == 0x80 { offset += 1 }
                return offset
            }
            while position < bytes.count {
                let end = boundary(position + 1 + Int(generator.next() % 200))
                if generator.next() % 3 != 0 { ranges.append(position..<end) }
                position = boundary(end + Int(generator.next() % 20))
            }
            var expected: [TriggerMatch] = []
            for range in ranges { try matcher.appendMatches(in: bytes, range: range, to: &expected) }
            var scratch = TriggerMatcher.Scratch()
            var found: [TriggerMatch] = [TriggerMatch(range: 0..<0, rules: [])]
            try matcher.appendMatches(in: bytes, ranges: ranges, scratch: &scratch, to: &found)
            #expect(Array(found.dropFirst()) == expected, "seed \(seed)")
        }
    }

    /// The start positions found sixteen at a time are those found byte by byte, on texts of the built-in patterns'
    /// words (ASCII and not), at every length around the block size (buffer ends, the byte after a block).
    @Test(arguments: testSeeds(20))
    func startPositionsByBlocksAreThoseByByte(seed: UInt64) throws {
        var generator = SeededGenerator(seed: seed)
        // The built-in patterns (six pairs: the blocks run), and all test patterns (more pairs: byte by byte).
        let sets = [Array(ContextSpeedupTests.patterns.prefix(6)), ContextSpeedupTests.patterns]
        for patterns in sets {
            try Self.compareStartPositions(patterns, seed: seed, generator: &generator)
        }
    }

    static func compareStartPositions(_ patterns: [String], seed: UInt64, generator: inout SeededGenerator) throws {
        let separate = SeparatePatterns(try patterns.enumerated().map { try SeparatePatterns.Entry($0.element, rule: $0.offset) })
        var text = ""
        for _ in 0..<200 {
            text += ContextSpeedupTests.patternWords[Int(generator.next() % UInt64(ContextSpeedupTests.patternWords.count))]
            text += ContextSpeedupTests.patternSeparators[Int(generator.next() % UInt64(ContextSpeedupTests.patternSeparators.count))]
        }
        text.withUTF8Bytes { bytes in
            var expected: [(position: Int, entry: Int)] = [], found: [(position: Int, entry: Int)] = []
            for length in Array(0..<40) + [bytes.count / 2, bytes.count] {
                let start = Int(generator.next() % UInt64(max(1, bytes.count - length)))
                let slice = UnsafeBufferPointer(rebasing: bytes[start..<min(bytes.count, start + length)])
                separate.startPositionsByByte(in: slice, into: &expected)
                separate.startPositions(in: slice, into: &found)
                #expect(found.map(\.position) == expected.map(\.position), "seed \(seed), \(start) \(length)")
                #expect(found.map(\.entry) == expected.map(\.entry), "seed \(seed), \(start) \(length)")
            }
        }
    }

    @Test func startPairsOfTheBuiltInPatterns() throws {
        let starts = try ContextSpeedupTests.patterns.prefix(6).map { try #require(PatternStart(pattern: $0)) }
        let pairs = SeparatePatterns.startPairs(starts)
        #expect(pairs.count <= SeparatePatterns.maxPairs)
        #expect(pairs.contains { $0 == (UInt8(ascii: "s"), 0x20, UInt8(ascii: "h"), 0x20) })
        #expect(pairs.contains { $0 == (UInt8(ascii: ","), 0, 0xFF, 0xFF) })
    }
}

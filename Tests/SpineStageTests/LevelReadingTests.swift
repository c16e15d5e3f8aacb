import ClinPipeCore
import ClinPipeTestSupport
@testable import SpineStage
import Testing

/// `LevelReading` walks ranges in place and keeps regions as bits; these tests compare it with the plain reading it
/// replaced (arrays per item and per range, regions in a `Set`), on random chains and on real written forms.
@Suite struct LevelReadingTests {
    /// The plain reading: the code `LevelReading.init` replaced, kept here as the reference.
    struct PlainReading: Equatable {
        var segments: [String] = []
        var vertebrae: [String] = []
        var roots: [String] = []
        var levelRegions: [SpinalLevel.Region] = []
        var rootRegions: [SpinalLevel.Region] = []
        var expanded = false
        var isValidAsLevel = true
        var isValidAsRoots = true
        var hasPairs = false

        init(_ chain: LevelChain) {
            var levelRegionSet = Set<SpinalLevel.Region>()
            var rootRegionSet = Set<SpinalLevel.Region>()
            func append(_ value: String, to list: inout [String]) { if !list.contains(value) { list.append(value) } }
            for item in Array(chain.items) {
                let written = chain.levels[item].map(\.level)
                if written.count == 1 {
                    let level = written[0]
                    if level.isValidVertebra { append("\(level)", to: &vertebrae); levelRegionSet.insert(level.region) }
                    else { isValidAsLevel = false }
                    if level.isValidRoot { append("\(level)", to: &roots); rootRegionSet.insert(level.region) }
                    else { isValidAsRoots = false }
                    continue
                }
                hasPairs = true
                for index in 0..<(written.count - 1) {
                    let upper = written[index], lower = written[index + 1]
                    if let run = upper.vertebrae(through: lower) {
                        if run.count > 2 { expanded = true }
                        for (a, b) in zip(run, run.dropFirst()) { append("\(a)-\(b)", to: &segments) }
                        for level in run { levelRegionSet.insert(level.region) }
                    } else {
                        isValidAsLevel = false
                    }
                    if let run = upper.roots(through: lower) {
                        for level in run { append("\(level)", to: &roots); rootRegionSet.insert(level.region) }
                    } else {
                        isValidAsRoots = false
                    }
                }
            }
            levelRegions = levelRegionSet.sorted()
            rootRegions = rootRegionSet.sorted()
        }

        static func isPossible(_ chain: LevelChain, item: Range<Int>) -> Bool {
            let written = chain.levels[item].map(\.level)
            if written.count == 1 { return written[0].isValid }
            for (upper, lower) in zip(written, written.dropFirst())
            where upper.vertebrae(through: lower) == nil && upper.roots(through: lower) == nil {
                return false
            }
            return true
        }
    }

    static func expectSame(_ chain: LevelChain, _ label: String) {
        let plain = PlainReading(chain)
        let reading = LevelReading(chain)
        #expect(reading.segments.map(\.description) == plain.segments, "\(label)")
        #expect(reading.vertebrae.map(\.description) == plain.vertebrae, "\(label)")
        #expect(reading.roots.map(\.description) == plain.roots, "\(label)")
        #expect(reading.levelRegions.regions == plain.levelRegions, "\(label)")
        #expect(reading.rootRegions.regions == plain.rootRegions, "\(label)")
        #expect(reading.expanded == plain.expanded && reading.hasPairs == plain.hasPairs, "\(label)")
        #expect(reading.isValidAsLevel == plain.isValidAsLevel && reading.isValidAsRoots == plain.isValidAsRoots, "\(label)")
        for item in chain.items {
            #expect(LevelReading.isPossible(chain, item: item) == PlainReading.isPossible(chain, item: item), "\(label)")
        }
        // The item sequence is the plain list of items.
        var plainItems: [Range<Int>] = []
        var start = 0
        for (index, joint) in chain.joints.enumerated() where joint == .list {
            plainItems.append(start..<(index + 1))
            start = index + 1
        }
        if !chain.levels.isEmpty { plainItems.append(start..<chain.levels.count) }
        #expect(Array(chain.items) == plainItems, "\(label)")
        for regions in [reading.levelRegions, reading.rootRegions] {
            let names = regions.regions.map(\.name)
            #expect(regions.attributeValue == (names.count == 1 ? .string(names[0]) : .strings(names)), "\(label)")
        }
    }

    /// Random chains of levels (possible and impossible, `L6`, `C8`, numbers up to 14) and joints.
    @Test func randomChains() {
        for seed in testSeeds(2000) {
            var generator = SeededGenerator(seed: seed)
            var chain = LevelChain()
            for index in 0..<(1 + Int(generator.next() % 6)) {
                let region = SpinalLevel.Region(rawValue: Int(generator.next() % 4))!
                let level = SpinalLevel(region: region, number: Int(generator.next() % 15))
                chain.levels.append(LevelChain.Written(level: level, range: (index * 4)..<(index * 4 + 2), spelled: false))
                if index > 0 { chain.joints.append([.pair, .range, .list][Int(generator.next() % 3)]) }
            }
            Self.expectSame(chain, "seed \(seed)")
        }
    }

    @Test func writtenForms() throws {
        for text in ["L4-5", "L3-S1", "C5-6-7", "L1-2 through L5-S1", "L3-4, L4-5 and L5-S1", "C5-T1", "L4-L6",
                     "L6-S1", "C7-8", "C8", "L5-L3", "L7", "T12-L1", "L4, L5 and S1", "C3 through C7", "S1-2",
                     "lumbar 4-5", "lumbar 5-sacral 1", "L45", "L5S1", "C56", "T11-12, L4 and L4-5"] {
            let chain = try #require(text.withUTF8Bytes { LevelChain.parse($0, 0..<$0.count) })
            Self.expectSame(chain, text)
        }
    }

    /// The walk counts are the lengths of the walks, for every pair of levels numbered 0–14.
    @Test func walkCounts() {
        let levels = SpinalLevel.Region.allCases.flatMap { region in (0...14).map { SpinalLevel(region: region, number: $0) } }
        for upper in levels {
            for lower in levels {
                #expect(upper.vertebraCount(through: lower) == upper.vertebrae(through: lower)?.count, "\(upper) \(lower)")
                #expect(upper.rootCount(through: lower) == upper.roots(through: lower)?.count, "\(upper) \(lower)")
            }
        }
    }

    /// Level spellings come from a table for 1–12 and from interpolation otherwise: the same text.
    @Test func spellings() {
        for region in SpinalLevel.Region.allCases {
            for number in 0...30 {
                #expect(SpinalLevel(region: region, number: number).description == "\(region.letter)\(number)")
            }
        }
    }
}

import ClinPipeTestSupport
@testable import SpineStage
import Testing

/// `SpinalLevelSet` (bits) against `Set<SpinalLevel>`, which it replaced in the not-a-level rules.
@Suite struct SpinalLevelSetTests {
    static func randomLevels(_ generator: inout SeededGenerator) -> [SpinalLevel] {
        (0..<Int(generator.next() % 5)).map { _ in
            let number = generator.next() % 10 == 0 ? Int(generator.next() % 300) - 20 : Int(generator.next() % 14)
            return SpinalLevel(region: SpinalLevel.Region(rawValue: Int(generator.next() % 4))!, number: number)
        }
    }

    @Test func subsetAndMembershipAsASet() {
        for seed in testSeeds(3000) {
            var generator = SeededGenerator(seed: seed)
            let chain = Self.randomLevels(&generator)
            // A rule's levels come from `parseLevel`: numbers 0–99.
            let rule = Self.randomLevels(&generator).filter { (0...99).contains($0.number) } + chain.filter { _ in generator.next() % 2 == 0 }
            let ruleSet = SpinalLevelSet(rule.filter { (0...99).contains($0.number) })
            let plainRule = Set(rule.filter { (0...99).contains($0.number) })
            #expect(SpinalLevelSet(chain).isSubset(of: ruleSet) == chain.allSatisfy { plainRule.contains($0) }, "seed \(seed)")
            for level in chain { #expect(ruleSet.contains(level) == plainRule.contains(level), "seed \(seed) \(level)") }
        }
    }
}

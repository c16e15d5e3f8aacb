import ClinPipeCore
@testable import SpineStage
import Testing

/// The anatomy the stage relies on: which levels exist as vertebrae and as roots, and how ranges expand.
@Suite struct SpinalLevelTests {
    static func level(_ text: String) -> SpinalLevel { SpineRules.parseLevel(text)! }

    @Test func validity() {
        for valid in ["C1", "C7", "T1", "T12", "L1", "L5", "L6", "S1", "S5"] {
            #expect(Self.level(valid).isValidVertebra, "\(valid)")
        }
        for invalid in ["C8", "C9", "T13", "L7", "S6", "C0"] { #expect(!Self.level(invalid).isValidVertebra, "\(invalid)") }
        #expect(Self.level("C8").isValidRoot)
        #expect(!Self.level("L6").isValidRoot)
        #expect(!Self.level("T13").isValid)
    }

    @Test func vertebraExpansion() {
        #expect(Self.level("L3").vertebrae(through: Self.level("S1"))?.map(\.description) == ["L3", "L4", "L5", "S1"])
        #expect(Self.level("C6").vertebrae(through: Self.level("T2"))?.map(\.description) == ["C6", "C7", "T1", "T2"])
        #expect(Self.level("L4").vertebrae(through: Self.level("L6"))?.map(\.description) == ["L4", "L5", "L6"])
        #expect(Self.level("L6").vertebrae(through: Self.level("S1"))?.map(\.description) == ["L6", "S1"])
        #expect(Self.level("L5").vertebrae(through: Self.level("L3")) == nil)
        #expect(Self.level("L4").vertebrae(through: Self.level("L4")) == nil)
        #expect(Self.level("C7").vertebrae(through: Self.level("C8")) == nil)
    }

    @Test func rootExpansion() {
        #expect(Self.level("C7").roots(through: Self.level("T1"))?.map(\.description) == ["C7", "C8", "T1"])
        #expect(Self.level("L5").roots(through: Self.level("S1"))?.map(\.description) == ["L5", "S1"])
        #expect(Self.level("S1").roots(through: Self.level("L5")) == nil)
    }

    @Test func readingOfAChain() throws {
        let text = "L1-2 through L5-S1"
        let chain = try #require(text.withUTF8Bytes { LevelChain.parse($0, 0..<$0.count) })
        #expect(chain.levels.map(\.level.description) == ["L1", "L2", "L5", "S1"])
        #expect(chain.joints == [.pair, .range, .pair])
        let reading = LevelReading(chain)
        #expect(reading.segments.map(\.description) == ["L1-L2", "L2-L3", "L3-L4", "L4-L5", "L5-S1"])
        #expect(reading.expanded && reading.isValidAsLevel && reading.hasPairs)
    }
}

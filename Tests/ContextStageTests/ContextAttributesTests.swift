import ClinPipeCore
@testable import ContextStage
import Testing

/// `ContextAttributes.set` gives the attributes (keys, order, values) that setting the five one by one gives.
@Suite struct ContextAttributesTests {
    /// Attributes a target may arrive with: none, other keys (some of the five's lengths, non-ASCII, long), and
    /// each of the five at the start, in the middle and at the end.
    static let starts: [Attributes] = {
        var result: [Attributes] = [
            Attributes(),
            ["normalized": .string("pain")],
            ["value": .int(3), "normalized": .string("x"), "source": .string("lexicon")],
            ["négated": .bool(true), "uncertainé": .bool(false), "a key longer than sixty-four bytes, which the length mask does not hold": .int(1)],
            ["Negated": .bool(true), "HISTORICAL": .bool(true), "experiencers": .string("x"), "": .int(0)],
        ]
        for key in ContextAttributes.keys {
            result.append([key: .bool(true)])
            result.append([key: .string("family"), "normalized": .string("pain")])
            result.append(["normalized": .string("pain"), key: .int(7), "value": .int(1)])
        }
        result.append(["experiencer": .string("family"), "negated": .bool(true), "historical": .bool(false)])
        return result
    }()

    @Test(arguments: starts)
    func setMatchesOneByOne(start: Attributes) {
        for flags in 0..<16 {
            for experiencer in ["patient", "family", "other"] {
                var fast = start, plain = start
                ContextAttributes.set(on: &fast, negated: flags & 1 != 0, uncertain: flags & 2 != 0,
                                      hypothetical: flags & 4 != 0, historical: flags & 8 != 0, experiencer: experiencer)
                ContextAttributes.setOneByOne(on: &plain, negated: flags & 1 != 0, uncertain: flags & 2 != 0,
                                              hypothetical: flags & 4 != 0, historical: flags & 8 != 0,
                                              experiencer: experiencer)
                #expect(fast == plain)
                #expect(fast.keys == plain.keys)
            }
        }
    }

    @Test func containsAnyKeyFindsOnlyTheFive() {
        #expect(!ContextAttributes.containsAnyKey(Attributes()))
        #expect(!ContextAttributes.containsAnyKey(["normalized": .bool(true), "Negated": .bool(true)]))
        for key in ContextAttributes.keys {
            #expect(ContextAttributes.containsAnyKey(["normalized": .bool(true), key: .bool(false)]))
        }
    }
}

import ClinPipeCore
import ClinPipeTestSupport
@testable import DrugsStage
import Foundation
import Testing

/// The exclusion rules skip PCRE2 where a start-byte set or an affix filter proves that no match can stand next to
/// the name; with or without those shortcuts, every name gets the same answer.
@Suite struct ExclusionRulesTests {
    static let pieces = ["Norco", " ", ", ", ",", "  ", "\t", "\n", "CA", "Calif.", "California", " 92860", "92860", "Dr.", "Dr ",
                         "MR ", "mrs. ", "City of ", "town  of ", " Street", " St.", " levels", "-level", " deficiency",
                         " agonists", " semiovale", " Medical Center", " Pharmacy", " Inc.", "é", "\u{301}", "\u{A0}",
                         "\u{212A}", " LLC", "x", "10 mg", "."]

    @Test func filtersGiveThePlainAnswers() throws {
        let text = EmbeddedRules.text("exclusions.tsv")
        let filtered = try ExclusionRules(name: "exclusions.tsv", text: text)
        let plain = try ExclusionRules(name: "exclusions.tsv", text: text, filtered: false)
        // The shipped rules get the one-walk filters of all `after` and all `before` patterns.
        #expect(filtered.afterUnion != nil && filtered.beforeUnion != nil)
        #expect(plain.afterUnion == nil && plain.beforeUnion == nil)
        var generator = SeededGenerator(seed: 7)
        var excluded = 0, checked = 0
        for _ in 0..<3_000 {
            var before = "", after = ""
            for _ in 0..<Int(generator.next() % 5) { before += Self.pieces[Int(generator.next() % UInt64(Self.pieces.count))] }
            for _ in 0..<Int(generator.next() % 5) { after += Self.pieces[Int(generator.next() % UInt64(Self.pieces.count))] }
            let document = before + "Lyrica" + after
            let start = before.utf8.count
            try document.withUTF8Bytes { bytes in
                let name = start..<(start + 6)
                let answer = try filtered.excludes(bytes, name: name)
                #expect(answer == (try plain.excludes(bytes, name: name)), "\(document.debugDescription)")
                checked += 1
                if answer { excluded += 1 }
            }
        }
        // The random texts exercise both answers.
        #expect(excluded > 300 && checked - excluded > 300, "\(excluded) of \(checked)")
    }

    @Test func shippedRulesExcludePlacesAndTitles() throws {
        let rules = try ExclusionRules.builtIn()
        for (document, name, expected) in [("Norco, CA 92860", "Norco", true), ("seen by Dr. Lyrica today", "Lyrica", true),
                                           ("Norco 10/325 mg", "Norco", false), ("vitamin D levels", "vitamin D", true)] {
            let found = try #require(document.range(of: name))
            let start = document.utf8.distance(from: document.startIndex, to: found.lowerBound)
            let excluded = try document.withUTF8Bytes { try rules.excludes($0, name: start..<(start + name.utf8.count)) }
            #expect(excluded == expected, "\(document)")
        }
    }
}

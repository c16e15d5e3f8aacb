import ClinPipeTestSupport
@testable import DrugsStage
import Foundation
import Testing

/// The one-pass byte normalizations of matched groups must give exactly what the String path gives.
@Suite struct SignatureValueTextTests {
    static let pieces = ["5", "10", " ", "  ", "\t", "\n", "\r", "\r\n", "to", " to ", "TO", "mg", "MG", "Mg", "-", "/", "é",
                         "µg", "x", "Tabs", "\u{301}", " \u{301}", "half", "One", "one-half", "Two", "no", "\u{0}",
                         "a", "A", "thrice", "NINETY", "\u{00A0}", "gm", "Grams", "IU", "international", "units",
                         "mcg/h", "cc", "ug", "meq", "%", "twelve", "fourteen", "ſ", "K", "\u{212A}"]

    static func texts() -> [String] {
        var generator = SeededGenerator(seed: 23)
        var texts = ["", " ", "5 to 10", "10 - 20 mg", "a\r\nb", " tabs\t", "1 to 2 to 3", "toto to", " to ", "to to to",
                     "a to  to b", "one", "ONE", "one-half", "no", "no\u{0}", "ninety", "ninety1", "mcg/ hour", "M G"]
        for word in ["no", "zero", "none", "once", "one", "single", "a", "twice", "two", "three", "thrice", "four", "five",
                     "six", "seven", "eight", "nine", "ten", "eleven", "twelve", "fourteen", "thirty", "sixty", "ninety",
                     "half", "one-half"] {
            texts += [word, word.uppercased(), " " + word + " ", word + "s", String(word.dropLast())]
        }
        for _ in 0..<4_000 {
            var text = ""
            for _ in 0..<Int(generator.next() % 7) { text += pieces[Int(generator.next() % UInt64(pieces.count))] }
            texts.append(text)
        }
        return texts
    }

    @Test func valueMatchesTheStringPath() {
        for text in Self.texts() {
            text.utf8.withContiguousStorageIfAvailable { bytes in
                #expect(SignatureValueText.value(bytes) == SignatureValueText.plainValue(text), "\(text.debugDescription)")
            }
        }
        // The String path, spelled out once.
        #expect(SignatureValueText.plainValue(" 1  to 2 ") == "1-2")
        #expect(SignatureValueText.plainValue("Two") == "2")
    }

    @Test func collapsedMatchesTheStringPath() {
        for text in Self.texts() {
            text.utf8.withContiguousStorageIfAvailable { bytes in
                #expect(SignatureValueText.collapsed(bytes) == SignatureVocabulary.collapsed(text), "\(text.debugDescription)")
            }
        }
    }

    @Test func strengthUnitMatchesTheStringPath() {
        for text in Self.texts() {
            text.utf8.withContiguousStorageIfAvailable { bytes in
                #expect(SignatureValueText.strengthUnit(bytes)
                            == SignatureVocabulary.strengthUnit(SignatureVocabulary.collapsed(text)), "\(text.debugDescription)")
            }
        }
        // Every spelling the vocabulary changes, in both cases, with spaces and next to its neighbours.
        for unit in ["gm", "gram", "grams", "µg", "ug", "cc", "unit", "iu", "internationalunit", "internationalunits", "meq",
                     "mcg/hour", "mcg/h", "mg", "mcg", "mg/ml", "%", "units", "g", "ml", "mcg/hr", "gramss", "mcg/hours",
                     "u", "", "gm\u{0}", "international units", "MCG / Hour", "Me q", "U G", "c\tc", "\u{0}"] {
            for text in [unit, unit.uppercased(), " " + unit + " ", unit + "x", String(unit.dropFirst())] {
                text.utf8.withContiguousStorageIfAvailable { bytes in
                    #expect(SignatureValueText.strengthUnit(bytes)
                                == SignatureVocabulary.strengthUnit(SignatureVocabulary.collapsed(text)), "\(text.debugDescription)")
                }
            }
        }
        #expect(SignatureVocabulary.strengthUnit("MCG / H") == "mcg/hr")
    }
}

import ClinPipeTestSupport
@testable import DrugsStage
import Foundation
import Testing

/// The byte-level text helpers must give exactly what the general String and Foundation operations give.
@Suite struct ASCIITextTests {
    static let pieces = ["5", " ", "  ", "\t", "\n", "\r", "\r\n", "to", " to ", "mg", "MG", "-", "/", "é", "µg", "x",
                         "Tabs", "\u{301}", " \u{301}", "half", "\u{00A0}"]

    static func texts() -> [String] {
        var generator = SeededGenerator(seed: 5)
        var texts = ["", " ", "5 to 10", "10 - 20 mg", "a\r\nb", " tabs\t", "1 to 2 to 3", "toto to"]
        for _ in 0..<3_000 {
            var text = ""
            for _ in 0..<Int(generator.next() % 8) { text += pieces[Int(generator.next() % UInt64(pieces.count))] }
            texts.append(text)
        }
        return texts
    }

    @Test func collapsedMatchesCharacterSplitting() {
        for text in Self.texts() {
            let general = text.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\n" || $0 == "\r" }).joined(separator: " ")
            #expect(SignatureVocabulary.collapsed(text) == general, "\(text.debugDescription)")
            if let fast = ASCIIText.collapsed(text) { #expect(fast == general, "\(text.debugDescription)") }
        }
        #expect(ASCIIText.collapsed("a  b") == "a b")
        #expect(ASCIIText.collapsed("a\r\nb") == nil, "a CR LF pair goes the general way")
    }

    /// A mention's `components` (split on bytes when the generic name is ASCII) are what Character splitting gives.
    @Test func componentsMatchCharacterSplitting() {
        for text in Self.texts() + ["hydrocodone/acetaminophen", "a//b", "/a/", "/", "a/\u{301}b", "é/a"] {
            #expect(DrugsStage.components(of: text) == text.split(separator: "/").map(String.init), "\(text.debugDescription)")
        }
    }

    @Test func replacingMatchesFoundation() {
        for text in Self.texts() {
            for (target, replacement) in [(" to ", "-"), (" ", ""), ("-", "/"), ("to", ""), ("é", "e"), ("\r\n", " ")] {
                #expect(ASCIIText.replacing(text, target, with: replacement) == text.replacingOccurrences(of: target, with: replacement),
                        "\(text.debugDescription) \(target.debugDescription)")
            }
        }
    }

    @Test func trimmingMatchesFoundation() {
        for text in Self.texts() {
            #expect(ASCIIText.trimmingSpacesAndTabs(text) == text.trimmingCharacters(in: .whitespaces), "\(text.debugDescription)")
        }
    }
}

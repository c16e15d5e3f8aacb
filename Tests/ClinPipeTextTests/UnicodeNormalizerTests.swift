import ClinPipeTestSupport
import ClinPipeCore
@testable import ClinPipeText
import Foundation
import Testing

@Suite("UnicodeNormalizer")
struct UnicodeNormalizerTests {
    typealias Edit = OffsetMap.Edit

    @Test("ASCII text skips ICU and gets what ICU gives", arguments: UnicodeNormalizer.Form.allCases)
    func asciiShortcut(form: UnicodeNormalizer.Form) throws {
        let every = String(decoding: (0..<128).map { UInt8($0) }, as: UTF8.self)
        for text in [every, "Norco 10/325mg #60\r\n\tL4-5", "", String(repeating: "abcdefg ", count: 9) + "x"] {
            let fast = try UnicodeNormalizer.normalize(text, form: form)
            let icu = try UnicodeNormalizer.normalizeWithICU(text, form: form)
            #expect(fast.text == icu.text)
            #expect(fast.map == icu.map)
        }
        #expect(try UnicodeNormalizer.normalize("ﬁ", form: form).text == UnicodeNormalizer.normalizeWithICU("ﬁ", form: form).text)
    }

    @Test("NFKC expands ligatures and fullwidth digits with an exact edit map")
    func nfkcEdits() throws {
        let (text, map) = try UnicodeNormalizer.normalize("ﬁne, １２ mg\r\n", form: .nfkc)
        #expect(Array(text.utf8) == Array("fine, 12 mg\r\n".utf8))
        // "ﬁ" (3 bytes at 0) → "fi"; "１２" (6 bytes at 7) → "12" (at 6).
        #expect(map.edits == [Edit(originalRange: 0..<3, layerRange: 0..<2), Edit(originalRange: 7..<13, layerRange: 6..<8)])
        #expect(map.toOriginal(0..<4) == 0..<5)    // "fine" → "ﬁne"
        #expect(map.toOriginal(6..<8) == 7..<13)   // "12" → "１２"
        #expect(map.toOriginal(7..<8) == 7..<13)   // "2" alone widens to both digits (one coarse edit)
        #expect(map.toOriginal(9..<11) == 14..<16) // "mg"
        #expect(map.toLayer(14..<18) == 9..<13)    // "mg\r\n"
    }

    @Test("NFC composes combining marks, leaves compatibility characters alone")
    func nfcEdits() throws {
        let (text, map) = try UnicodeNormalizer.normalize("Cafe\u{301} ﬁ \u{212B}", form: .nfc)
        #expect(Array(text.unicodeScalars) == Array("Caf\u{E9} ﬁ \u{C5}".unicodeScalars))
        #expect(map.edits == [Edit(originalRange: 3..<6, layerRange: 3..<5), Edit(originalRange: 11..<14, layerRange: 10..<12)])
        #expect(map.toOriginal(0..<5) == 0..<6)    // "Café" → "Cafe" + combining acute
    }

    @Test("already normalized text and empty text give identity maps")
    func unchanged() throws {
        for form in UnicodeNormalizer.Form.allCases {
            // Precomposed Hangul is normalized for NFC and NFKC only (NFD and NFKD decompose it).
            let composed = form == .nfc || form == .nfkc
            for input in ["", "plain ASCII\r\n", composed ? "中文 한국어 😀 é" : "中文 😀 e\u{301}"] {
                let (text, map) = try UnicodeNormalizer.normalize(input, form: form)
                #expect(Array(text.utf8) == Array(input.utf8), "\(form)")
                #expect(map.isIdentity && map.originalLength == input.utf8.count, "\(form)")
            }
        }
        #expect(!UnicodeNormalizer.icuVersion.isEmpty)
    }

    /// Builds random text from pieces without random scalars (so that Foundation's normalization, possibly of
    /// another Unicode version, is a fair oracle).
    static func curatedText<G: RandomNumberGenerator>(_ count: Int, using generator: inout G) -> String {
        var text = ""
        for _ in 0..<count { text += RandomText.pieces.randomElement(using: &generator)! }
        return text
    }

    @Test("random text: the map of each form is exact where text is unchanged", arguments: UnicodeNormalizer.Form.allCases)
    func randomText(form: UnicodeNormalizer.Form) throws {
        for seed in testSeeds(150) {
            var generator = SeededGenerator(seed: seed)
            let curated = seed % 2 == 0
            let input = curated ? Self.curatedText(Int.random(in: 0...60, using: &generator), using: &generator)
                : RandomText.make(pieceCount: Int.random(in: 0...60, using: &generator), using: &generator)
            let (output, map) = try UnicodeNormalizer.normalize(input, form: form)
            let original = Array(input.utf8), layer = Array(output.utf8)
            #expect(map.originalLength == original.count && map.layerLength == layer.count, "seed \(seed)")

            // The text itself, against Foundation.
            if curated {
                let oracle: String = switch form {
                case .nfc: input.precomposedStringWithCanonicalMapping
                // Foundation's compatibility forms skip the canonical reordering of marks that come out of a
                // compatibility decomposition (halfwidth "ｶﾞ" gives U+3099, combining class 8): follow them with a
                // canonical form, which reorders.
                case .nfkc: input.decomposedStringWithCompatibilityMapping.precomposedStringWithCanonicalMapping
                case .nfd: input.decomposedStringWithCanonicalMapping
                case .nfkd: input.decomposedStringWithCompatibilityMapping.decomposedStringWithCanonicalMapping
                }
                let expected = Array(oracle.unicodeScalars), actual = Array(output.unicodeScalars)
                if expected != actual {
                    let first = (0..<min(expected.count, actual.count)).first { expected[$0] != actual[$0] } ?? min(expected.count, actual.count)
                    Issue.record("seed \(seed) \(form): differs from Foundation at scalar \(first): ICU \(actual[max(0, first - 3)..<min(actual.count, first + 3)]) vs Foundation \(expected[max(0, first - 3)..<min(expected.count, first + 3)])")
                }
            }
            // Normalizing again changes nothing.
            let (again, againMap) = try UnicodeNormalizer.normalize(output, form: form)
            #expect(Array(again.utf8) == layer && againMap.isIdentity, "seed \(seed) \(form): not idempotent")

            // Unchanged regions hold the same bytes; each edit is the normalization of its own source text; every
            // edge is a scalar boundary in both texts.
            let originalBoundaries = Set(RandomText.scalarBoundaries(input))
            let layerBoundaries = Set(RandomText.scalarBoundaries(output))
            var originalStart = 0, layerStart = 0
            for edit in map.edits + [Edit(originalRange: original.count..<original.count, layerRange: layer.count..<layer.count)] {
                #expect(original[originalStart..<edit.originalRange.lowerBound] == layer[layerStart..<edit.layerRange.lowerBound],
                        "seed \(seed) \(form): unchanged region differs")
                for position in [edit.originalRange.lowerBound, edit.originalRange.upperBound] {
                    #expect(originalBoundaries.contains(position), "seed \(seed) \(form): edit edge \(position) splits a character")
                }
                for position in [edit.layerRange.lowerBound, edit.layerRange.upperBound] {
                    #expect(layerBoundaries.contains(position), "seed \(seed) \(form): edit edge \(position) splits a character")
                }
                let source = String(decoding: original[edit.originalRange], as: UTF8.self)
                let target = try UnicodeNormalizer.normalize(source, form: form).text
                #expect(Array(target.utf8) == Array(layer[edit.layerRange]), "seed \(seed) \(form): edit \(edit)")
                originalStart = edit.originalRange.upperBound
                layerStart = edit.layerRange.upperBound
            }

            // Every ASCII character followed by ASCII (or the end) is unchanged: it maps exactly, to where the
            // normalization of the text before it ends.
            let scalars = Array(input.unicodeScalars)
            var offset = 0
            for (index, scalar) in scalars.enumerated() {
                defer { offset += UTF8.width(scalar) }
                guard scalar.isASCII, index + 1 == scalars.count || scalars[index + 1].isASCII else { continue }
                let prefix = String(decoding: original[..<offset], as: UTF8.self)
                let layerOffset = try UnicodeNormalizer.normalize(prefix, form: form).text.utf8.count
                #expect(map.toLayer(offset..<(offset + 1)) == layerOffset..<(layerOffset + 1),
                        "seed \(seed) \(form): ASCII at \(offset)")
                #expect(map.toOriginal(layerOffset..<(layerOffset + 1)) == offset..<(offset + 1),
                        "seed \(seed) \(form): ASCII at layer \(layerOffset)")
            }

            // Spans of whole characters in the layer map to spans of whole characters in the original, so that
            // an annotation found in the layer can always be added to the document.
            let layerStarts = RandomText.scalarBoundaries(output)
            for _ in 0..<50 {
                let a = layerStarts.randomElement(using: &generator)!, b = layerStarts.randomElement(using: &generator)!
                let span = map.toOriginal(min(a, b)..<max(a, b))
                #expect(originalBoundaries.contains(span.lowerBound) && originalBoundaries.contains(span.upperBound),
                        "seed \(seed) \(form): \(min(a, b))..<\(max(a, b)) → \(span)")
                var document = Document(id: "d", text: input)
                try document.setLayer(TextLayer(name: Document.normalizedLayerName, text: output, map: map))
                #expect(throws: Never.self) {
                    try document.addAnnotation(type: "t", layerRange: min(a, b)..<max(a, b), in: document.normalized,
                                               provenance: Provenance(stage: "test"))
                }
            }
        }
    }

    @Test("NFC then NFKC, composed, equals NFKC directly on the bytes it keeps")
    func composedForms() throws {
        for seed in testSeeds(60) {
            var generator = SeededGenerator(seed: seed)
            let input = Self.curatedText(40, using: &generator)
            let (nfc, m1) = try UnicodeNormalizer.normalize(input, form: .nfc)
            let (nfkc, m2) = try UnicodeNormalizer.normalize(nfc, form: .nfkc)
            let (direct, directMap) = try UnicodeNormalizer.normalize(input, form: .nfkc)
            #expect(Array(nfkc.utf8) == Array(direct.utf8), "seed \(seed)")
            let composed = m1.composed(with: m2)
            #expect(composed.originalLength == directMap.originalLength && composed.layerLength == directMap.layerLength)
            // Unchanged ASCII characters (followed by ASCII) map the same way through both.
            let scalars = Array(input.unicodeScalars)
            var offset = 0
            for (index, scalar) in scalars.enumerated() {
                defer { offset += UTF8.width(scalar) }
                guard scalar.isASCII, index + 1 == scalars.count || scalars[index + 1].isASCII else { continue }
                let span = offset..<(offset + 1)
                #expect(composed.toLayer(span) == directMap.toLayer(span), "seed \(seed): ASCII at \(offset)")
                #expect(composed.toOriginal(directMap.toLayer(span)) == span, "seed \(seed): ASCII at \(offset)")
            }
        }
    }
}

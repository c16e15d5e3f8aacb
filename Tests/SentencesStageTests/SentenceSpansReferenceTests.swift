import ClinPipeCore
import ClinPipeTestSupport
import ClinPipeText
@testable import SentencesStage
import Testing

/// `SentencesStage.sentenceSpans` against a plain reading of its clinical exceptions (the token before a period
/// walked back in full, the word before it always found), on random texts of abbreviations, list numbers, long
/// words, numbers and line breaks.
@Suite struct SentenceSpansReferenceTests {
    /// The spans the stage keeps between ICU's `proposed` boundaries, computed the plain way.
    static func referenceSpans(_ bytes: [UInt8], table: AbbreviationTable) throws -> [Range<Int>] {
        let proposed = try bytes.withUnsafeBufferPointer { try SentenceBoundaries.boundaries(in: $0) }
        func isSpace(_ byte: UInt8) -> Bool { ByteClass.isSpace(byte) }
        func keepsTogether(_ position: Int) -> Bool {
            var end = position
            while end > 0 && (bytes[end - 1] == 0x20 || bytes[end - 1] == 0x09) { end -= 1 }
            if end > 0 && bytes[end - 1] == 0x0A { return false }
            guard end > 0, bytes[end - 1] == 0x2E else { return false }
            let next = position < bytes.count ? bytes[position] : 0
            var tokenStart = end - 1
            while tokenStart > 0 && !isSpace(bytes[tokenStart - 1]) && bytes[tokenStart - 1] != 0x28 { tokenStart -= 1 }
            let token = Array(bytes[tokenStart..<end])
            if token.count <= 3, token.dropLast().allSatisfy(ByteClass.isDigit) || (token.count == 2 && ByteClass.isWord(token[0])) {
                if tokenStart == 0 || bytes[tokenStart - 1] == 0x0A { return true }
            }
            // The word before the token, if any.
            var wordEnd = tokenStart
            while wordEnd > 0 && bytes[wordEnd - 1] == 0x20 { wordEnd -= 1 }
            var previous: [UInt8]?
            if wordEnd > 0 && wordEnd < tokenStart {
                var wordStart = wordEnd
                while wordStart > 0 && !isSpace(bytes[wordStart - 1]) { wordStart -= 1 }
                previous = Array(bytes[wordStart..<wordEnd])
            }
            let rule = token.withUnsafeBufferPointer { token in
                if let previous { return previous.withUnsafeBufferPointer { table.rule(for: token, previousWord: $0) } }
                return table.rule(for: token, previousWord: nil)
            }
            switch rule {
            case .always?: return true
            case .beforeDigit?: return ByteClass.isDigit(next)
            case .beforeLowercase?, nil: return next >= 0x61 && next <= 0x7A
            }
        }
        var spans: [Range<Int>] = []
        var start = 0
        for boundary in proposed.dropFirst() where boundary == bytes.count || !keepsTogether(boundary) {
            var lower = start, upper = boundary
            while lower < upper && isSpace(bytes[lower]) { lower += 1 }
            while upper > lower && isSpace(bytes[upper - 1]) { upper -= 1 }
            if upper > lower { spans.append(lower..<upper) }
            start = boundary
        }
        return spans
    }

    @Test("random clinical texts: the stage's spans are the plain reading's")
    func matchesPlainReading() throws {
        let stage = try SentencesStage()
        let table = try AbbreviationTable(tables: [
            try RuleTable(name: "abbreviations.tsv", text: EmbeddedRules.text("abbreviations.tsv"), required: ["abbreviation", "when"]),
        ])
        let pieces = ["Dr.", "dr.", "p.o.", "b.i.d.", "q.h.s.", "vs.", "e.g.", "No.", "et al.", "al.", "etc.", "1.", "12.", "123.",
                      "a.", "B.", "(Dr.", "L4-5.", "3.5", "Hospitalization.", "medications.", "Extraordinarily.", "pain", "Smith",
                      "the", "5", "mg", "Norco.", ".", "!", "?", "\n", "\n", " ", " ", "  ", "\t", ":", ",", "ABCDEFGHIJKLMNOP.",
                      "x.y.z.w.v.u.t.", "Sr.", "Mr.", "approx.", "(a)", "café."]
        var checked = 0
        for seed in testSeeds(400) {
            var generator = SeededGenerator(seed: seed)
            var text = ""
            for _ in 0..<Int.random(in: 0...60, using: &generator) {
                text += pieces.randomElement(using: &generator)!
                if Int.random(in: 0..<3, using: &generator) > 0 { text += " " }
            }
            let bytes = Array(text.utf8)
            let expected = try Self.referenceSpans(bytes, table: table)
            let found = try bytes.withUnsafeBufferPointer { try stage.sentenceSpans(in: $0) }
            #expect(found == expected, "seed \(seed)")
            checked += 1
        }
        #expect(checked == 400)
    }
}

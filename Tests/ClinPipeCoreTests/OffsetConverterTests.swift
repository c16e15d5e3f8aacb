import ClinPipeTestSupport
import ClinPipeCore
import Testing

/// `OffsetConverter` against Swift's own views of the same text.
@Suite("OffsetConverter")
struct OffsetConverterTests {
    /// The offset of `utf8Offset` (a scalar boundary) in `unit`, counted with Swift's string views.
    static func reference(_ text: String, utf8Offset: Int, unit: OffsetUnit) -> Int {
        let prefix = String(decoding: Array(text.utf8.prefix(utf8Offset)), as: UTF8.self)
        switch unit {
        case .utf8: return prefix.utf8.count
        case .utf16: return prefix.utf16.count
        case .codepoint: return prefix.unicodeScalars.count
        }
    }

    @Test("UTF-8 offsets convert to code points and UTF-16 and back, on random text", arguments: OffsetUnit.allCases)
    func randomRoundTrip(unit: OffsetUnit) {
        for seed in testSeeds(200) {
            var generator = SeededGenerator(seed: seed)
            let text = RandomText.make(pieceCount: Int.random(in: 0...60, using: &generator), using: &generator)
            let boundaries = RandomText.scalarBoundaries(text)
            // Unsorted, with repeats, including both ends.
            var offsets = (0..<Int.random(in: 0...40, using: &generator)).map { _ in boundaries.randomElement(using: &generator)! }
            offsets += [0, text.utf8.count]
            offsets.shuffle(using: &generator)
            let converter = OffsetConverter(text: text, unit: unit)
            let converted = converter.fromUTF8(offsets)
            let expected = offsets.map { Self.reference(text, utf8Offset: $0, unit: unit) }
            #expect(converted == expected, "seed \(seed) \(unit)")
            #expect(converter.toUTF8(converted) == offsets, "seed \(seed) \(unit): back to UTF-8")
            // The end of the text in each unit.
            let total = switch unit {
            case .utf8: text.utf8.count
            case .utf16: text.utf16.count
            case .codepoint: text.unicodeScalars.count
            }
            #expect(converter.fromUTF8([text.utf8.count]) == [total], "seed \(seed) \(unit)")
            #expect(converter.toUTF8([total + 1]) == nil, "seed \(seed) \(unit): beyond the end")
            #expect(converter.toUTF8([-1]) == nil, "seed \(seed) \(unit): negative")
        }
    }

    @Test("every code point offset and every UTF-16 offset of a text converts, except inside a surrogate pair")
    func everyOffset() {
        let text = "a\u{301}😀b中\r\n👨‍👩‍👧ﬁ𝔘"
        let bytes = Array(text.utf8)
        let scalarStarts = Set(RandomText.scalarBoundaries(text))
        // Code points: each one is a scalar boundary.
        let codepoints = OffsetConverter(text: text, unit: .codepoint)
        for index in 0...text.unicodeScalars.count {
            let utf8 = codepoints.toUTF8([index])
            #expect(utf8 != nil)
            if let utf8 { #expect(Self.reference(text, utf8Offset: utf8[0], unit: .codepoint) == index) }
        }
        // UTF-16: offsets between the halves of a surrogate pair are refused.
        let utf16 = OffsetConverter(text: text, unit: .utf16)
        var insidePair: Set<Int> = []
        var position = 0
        for scalar in text.unicodeScalars {
            if scalar.value > 0xFFFF { insidePair.insert(position + 1) }
            position += scalar.utf16.count
        }
        #expect(!insidePair.isEmpty)
        for index in 0...text.utf16.count {
            let utf8 = utf16.toUTF8([index])
            if insidePair.contains(index) {
                #expect(utf8 == nil, "UTF-16 offset \(index) is inside a surrogate pair")
            } else {
                #expect(utf8 != nil, "UTF-16 offset \(index)")
                if let utf8 { #expect(Self.reference(text, utf8Offset: utf8[0], unit: .utf16) == index) }
            }
        }
        // UTF-8: offsets inside a character are refused.
        let utf8 = OffsetConverter(text: text, unit: .utf8)
        for index in 0...bytes.count {
            #expect((utf8.toUTF8([index]) != nil) == scalarStarts.contains(index), "UTF-8 offset \(index)")
        }
    }

    @Test("ASCII text converts as identity in every unit")
    func ascii() {
        let text = "Pain at L4-5.\r\nNo fracture."
        for unit in OffsetUnit.allCases {
            let converter = OffsetConverter(text: text, unit: unit)
            #expect(converter.fromUTF8([0, 5, 26, 3]) == [0, 5, 26, 3])
            #expect(converter.toUTF8([0, 5, 26, 3]) == [0, 5, 26, 3])
            #expect(converter.toUTF8([text.utf8.count]) == [text.utf8.count])
            #expect(converter.toUTF8([text.utf8.count + 1]) == nil)
            #expect(converter.toUTF8([-1]) == nil)
        }
        #expect(OffsetConverter(text: "", unit: .codepoint).fromUTF8([0]) == [0])
        #expect(OffsetConverter(text: "", unit: .utf16).toUTF8([0]) == [0])
        #expect(OffsetConverter(text: "", unit: .utf16).toUTF8([1]) == nil)
    }

    @Test("isASCII looks at every byte, whatever the alignment")
    func isASCII() {
        for length in 0..<40 {
            for position in 0..<max(length, 1) {
                var bytes = [UInt8](repeating: 0x61, count: length)
                if length > 0 { bytes[position] = 0xC3 }
                let result = bytes.withUnsafeBufferPointer { OffsetConverter.isASCII($0) }
                #expect(result == (length == 0), "length \(length), non-ASCII byte at \(position)")
            }
        }
    }
}

import ClinPipeCore
import ClinPipeTestSupport
@testable import ContextStage
import Foundation
import NormalizeStage
import Testing

/// `SpanMapper` must map exactly as `OffsetMap` does, in both directions.
@Suite struct SpanMapperTests {
    @Test func agreesWithOffsetMapOnLetters() throws {
        let normalize = try NormalizeStage()
        var texts = try TestPaths.seedTexts().map(\.text)
        texts.append("A\u{00A0}“quoted”  text – with\nhard-\nwrapped lines\u{00AD} and ﬁ ligatures.\n\n\nEnd")
        var checked = 0
        for text in texts {
            var document = Document(id: "x", text: text)
            try normalize.process(&document)
            let map = document.normalized.map
            #expect(!map.isIdentity)
            let toLayer = SpanMapper.toLayer(map), toOriginal = SpanMapper.toOriginal(map)
            for (length, mapper, reference) in [(map.originalLength, toLayer, map.toLayer), (map.layerLength, toOriginal, map.toOriginal)]
                as [(Int, SpanMapper, (Range<Int>) -> Range<Int>)]
            {
                for start in 0...length {
                    for width in [0, 1, 2, 5, 17] where start + width <= length {
                        let range = start..<(start + width)
                        if mapper.map(range) != reference(range) {
                            Issue.record("span \(range) maps to \(mapper.map(range)), expected \(reference(range))")
                            return
                        }
                        checked += 1
                    }
                }
            }
        }
        #expect(checked > 100_000)
    }
}

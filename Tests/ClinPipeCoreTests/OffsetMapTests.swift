import ClinPipeTestSupport
import ClinPipeCore
import Testing

/// Property tests of `OffsetMap` over random Unicode texts with random edits, against `EditModel`.
@Suite("OffsetMap")
struct OffsetMapTests {
    // MARK: - Construction

    @Test("identity map maps every span to itself")
    func identity() {
        let map = OffsetMap.identity(length: 10)
        #expect(map.isIdentity)
        for lower in 0...10 {
            for upper in lower...10 {
                #expect(map.toOriginal(lower..<upper) == lower..<upper)
                #expect(map.toLayer(lower..<upper) == lower..<upper)
            }
        }
    }

    @Test("touching edits merge; bad edit lists are refused")
    func construction() throws {
        typealias Edit = OffsetMap.Edit
        let merged = try OffsetMap(edits: [Edit(originalRange: 2..<3, layerRange: 2..<5), Edit(originalRange: 3..<5, layerRange: 5..<5)],
                                   originalLength: 8, layerLength: 8)
        #expect(merged.edits == [Edit(originalRange: 2..<5, layerRange: 2..<5)])
        // Unsorted.
        #expect(throws: OffsetMapError.self) {
            try OffsetMap(edits: [Edit(originalRange: 5..<6, layerRange: 5..<6), Edit(originalRange: 1..<2, layerRange: 1..<2)],
                          originalLength: 8, layerLength: 8)
        }
        // Out of bounds.
        #expect(throws: OffsetMapError.self) {
            try OffsetMap(edits: [Edit(originalRange: 5..<9, layerRange: 5..<9)], originalLength: 8, layerLength: 8)
        }
        // Unchanged text of different lengths before the first edit, between edits, after the last.
        #expect(throws: OffsetMapError.self) {
            try OffsetMap(edits: [Edit(originalRange: 1..<2, layerRange: 2..<3)], originalLength: 8, layerLength: 9)
        }
        #expect(throws: OffsetMapError.self) {
            try OffsetMap(edits: [Edit(originalRange: 1..<2, layerRange: 1..<2), Edit(originalRange: 4..<5, layerRange: 5..<6)],
                          originalLength: 8, layerLength: 9)
        }
        #expect(throws: OffsetMapError.self) {
            try OffsetMap(edits: [Edit(originalRange: 1..<2, layerRange: 1..<3)], originalLength: 8, layerLength: 8)
        }
    }

    @Test("a hand-made map: ligature expanded, a character deleted, text inserted")
    func handMade() throws {
        // original: "ﬁne\u{AD}x" → layer: "fine-x!" ... built by hand:
        // "ﬁ" (3 bytes, 0..<3) → "fi" (0..<2); "ne" unchanged (3..<5 → 2..<4); soft hyphen (5..<7) deleted;
        // "x" unchanged (7..<8 → 4..<5); "!" inserted at the end (8..<8 → 5..<6).
        let map = try OffsetMap(edits: [
            .init(originalRange: 0..<3, layerRange: 0..<2),
            .init(originalRange: 5..<7, layerRange: 4..<4),
            .init(originalRange: 8..<8, layerRange: 5..<6),
        ], originalLength: 8, layerLength: 6)
        #expect(map.toOriginal(0..<2) == 0..<3)      // "fi" → "ﬁ"
        #expect(map.toOriginal(1..<2) == 0..<3)      // "i" alone widens to the ligature
        #expect(map.toOriginal(0..<4) == 0..<5)      // "fine" → "ﬁne", without the deleted soft hyphen
        #expect(map.toOriginal(4..<5) == 7..<8)      // "x" → "x", without the soft hyphen before it
        #expect(map.toOriginal(2..<5) == 3..<8)      // "nex" spans the deletion
        #expect(map.toOriginal(5..<6) == 8..<8)      // inserted "!" has no original text
        #expect(map.toOriginal(0..<6) == 0..<8)
        #expect(map.toLayer(3..<5) == 2..<4)
        #expect(map.toLayer(5..<7) == 4..<4)         // the deleted soft hyphen
        #expect(map.toLayer(7..<8) == 4..<5)         // "x" without the inserted "!"
        #expect(map.toLayer(0..<8) == 0..<5)         // the whole original, without the "!" inserted after it
    }

    // MARK: - Properties over random edits

    @Test("random edits: spans map exactly to the hull of their unchanged bytes and overlapped edits")
    func exactImages() throws {
        for seed in testSeeds(300) {
            var generator = SeededGenerator(seed: seed)
            let text = RandomText.make(pieceCount: Int.random(in: 0...40, using: &generator), using: &generator)
            let model = EditModel.random(from: text, maxEdits: 8, using: &generator)
            let map = try model.makeMap()
            #expect(map.originalLength == model.original.count && map.layerLength == model.layer.count, "seed \(seed)")
            // The map's own edits satisfy the invariants: rebuilding them changes nothing.
            let rebuilt = try OffsetMap(edits: map.edits, originalLength: map.originalLength, layerLength: map.layerLength)
            #expect(rebuilt == map, "seed \(seed)")

            Self.checkImages(map.toOriginal, name: "toOriginal", model.layerToOriginal, map.edits, from: \.layerRange,
                             to: \.originalRange, targetLength: model.original.count, seed: seed, using: &generator)
            Self.checkImages(map.toLayer, name: "toLayer", model.originalToLayer, map.edits, from: \.originalRange,
                             to: \.layerRange, targetLength: model.layer.count, seed: seed, using: &generator)
        }
    }

    static func checkImages<G: RandomNumberGenerator>(
        _ mapSpan: (Range<Int>) -> Range<Int>, name: String, _ correspondence: [Int?], _ edits: [OffsetMap.Edit],
        from: KeyPath<OffsetMap.Edit, Range<Int>>, to: KeyPath<OffsetMap.Edit, Range<Int>>, targetLength: Int,
        seed: UInt64, using generator: inout G
    ) {
        for span in spans(length: correspondence.count, count: 400, using: &generator) where !span.isEmpty {
            let image = mapSpan(span)
            let expected = expectedImage(of: span, correspondence: correspondence, edits: edits, from: from, to: to)
            #expect(image == expected, "seed \(seed): \(name)(\(span)) = \(image), expected \(String(describing: expected))")
            #expect(image.lowerBound >= 0 && image.upperBound <= targetLength, "seed \(seed)")
        }
    }

    @Test("random edits: mapping an array of spans gives each span's own mapping, in text order or not")
    func arrayMapping() throws {
        for seed in testSeeds(300) {
            var generator = SeededGenerator(seed: seed)
            let text = RandomText.make(pieceCount: Int.random(in: 0...40, using: &generator), using: &generator)
            let model = EditModel.random(from: text, maxEdits: 12, using: &generator)
            let map = try model.makeMap()
            let length = map.layerLength
            // Spans in text order without overlaps (the fast case), touching or with gaps.
            var cuts = (0..<Int.random(in: 0...20, using: &generator)).map { _ in Int.random(in: 0...length, using: &generator) }
            cuts.sort()
            var ordered: [Range<Int>] = []
            var index = 0
            while index + 1 < cuts.count {
                ordered.append(cuts[index]..<cuts[index + 1])
                index += Int.random(in: 1...2, using: &generator)
            }
            // Any spans in any order.
            let shuffled = (0..<Int.random(in: 0...20, using: &generator)).map { _ -> Range<Int> in
                let a = Int.random(in: 0...length, using: &generator), b = Int.random(in: 0...length, using: &generator)
                return min(a, b)..<max(a, b)
            }
            for spans in [ordered, shuffled, ordered.reversed(), ordered + shuffled] {
                #expect(map.toOriginal(spans) == spans.map { map.toOriginal($0) }, "seed \(seed)")
            }
        }
    }

    @Test("random edits: mapping is monotone and stays in bounds, for every position")
    func monotoneAndBounded() throws {
        for seed in testSeeds(300) {
            var generator = SeededGenerator(seed: seed)
            let text = RandomText.make(pieceCount: Int.random(in: 0...40, using: &generator), using: &generator)
            let model = EditModel.random(from: text, maxEdits: 8, using: &generator)
            let map = try model.makeMap()
            for toOriginal in [true, false] {
                let length = toOriginal ? map.layerLength : map.originalLength
                let targetLength = toOriginal ? map.originalLength : map.layerLength
                let mapSpan: (Range<Int>) -> Range<Int> = { toOriginal ? map.toOriginal($0) : map.toLayer($0) }
                let mapPosition: (Int) -> Int = { toOriginal ? map.toOriginal(position: $0) : map.toLayer(position: $0) }
                var previousBegin = -1, previousEnd = -1, previousPosition = -1
                for position in 0...length {
                    let begin = mapSpan(position..<length).lowerBound
                    let end = mapSpan(0..<position).upperBound
                    let single = mapPosition(position)
                    #expect(begin >= previousBegin && end >= previousEnd && single >= previousPosition,
                            "seed \(seed): not monotone at \(position) (\(toOriginal ? "toOriginal" : "toLayer"))")
                    #expect((0...targetLength).contains(begin) && (0...targetLength).contains(end)
                            && (0...targetLength).contains(single), "seed \(seed): out of bounds at \(position)")
                    previousBegin = begin
                    previousEnd = end
                    previousPosition = single
                    // Empty spans stay empty unless they sit strictly inside an edit, which they widen to.
                    let empty = mapSpan(position..<position)
                    if !empty.isEmpty {
                        let inside = map.edits.contains { (edit: OffsetMap.Edit) -> Bool in
                            let source = toOriginal ? edit.layerRange : edit.originalRange
                            let target = toOriginal ? edit.originalRange : edit.layerRange
                            return source.lowerBound < position && position < source.upperBound && target == empty
                        }
                        #expect(inside, "seed \(seed): empty span at \(position) became \(empty)")
                    }
                }
            }
        }
    }

    @Test("random edits: identity regions map exactly, both ways, and cover the same bytes")
    func identityRegions() throws {
        for seed in testSeeds(300) {
            var generator = SeededGenerator(seed: seed)
            let text = RandomText.make(pieceCount: Int.random(in: 0...40, using: &generator), using: &generator)
            let model = EditModel.random(from: text, maxEdits: 8, using: &generator)
            let map = try model.makeMap()
            // Regions between edits, as closed intervals of positions, in both texts.
            var regions: [(original: ClosedRange<Int>, layer: ClosedRange<Int>)] = []
            var originalStart = 0, layerStart = 0
            for edit in map.edits {
                regions.append((originalStart...edit.originalRange.lowerBound, layerStart...edit.layerRange.lowerBound))
                originalStart = edit.originalRange.upperBound
                layerStart = edit.layerRange.upperBound
            }
            regions.append((originalStart...map.originalLength, layerStart...map.layerLength))
            for region in regions {
                let shift = region.layer.lowerBound - region.original.lowerBound
                #expect(region.layer.count == region.original.count, "seed \(seed)")
                #expect(model.original[region.original.lowerBound..<region.original.upperBound]
                        == model.layer[region.layer.lowerBound..<region.layer.upperBound], "seed \(seed): region text differs")
                for _ in 0..<20 {
                    let a = Int.random(in: region.original, using: &generator)
                    let b = Int.random(in: a...region.original.upperBound, using: &generator)
                    // Empty spans on a region's edge may sit at an insertion or deletion: only inner ones are exact.
                    if a == b && (a == region.original.lowerBound || a == region.original.upperBound) { continue }
                    #expect(map.toLayer(a..<b) == (a + shift)..<(b + shift), "seed \(seed): toLayer(\(a)..<\(b))")
                    #expect(map.toOriginal((a + shift)..<(b + shift)) == a..<b, "seed \(seed): toOriginal")
                }
            }
        }
    }

    @Test("random edits: a round trip is stable and keeps all but inserted or deleted text at the edges")
    func roundTrip() throws {
        for seed in testSeeds(300) {
            var generator = SeededGenerator(seed: seed)
            let text = RandomText.make(pieceCount: Int.random(in: 0...40, using: &generator), using: &generator)
            let model = EditModel.random(from: text, maxEdits: 8, using: &generator)
            let map = try model.makeMap()
            for toOriginalFirst in [true, false] {
                let there: (Range<Int>) -> Range<Int> = { toOriginalFirst ? map.toOriginal($0) : map.toLayer($0) }
                let back: (Range<Int>) -> Range<Int> = { toOriginalFirst ? map.toLayer($0) : map.toOriginal($0) }
                let correspondence = toOriginalFirst ? model.layerToOriginal : model.originalToLayer
                // Bytes that exist only on this side: inside an edit whose other side is empty.
                var onlyHere = [Bool](repeating: false, count: correspondence.count)
                for edit in map.edits {
                    let source = toOriginalFirst ? edit.layerRange : edit.originalRange
                    let target = toOriginalFirst ? edit.originalRange : edit.layerRange
                    if target.isEmpty { for position in source { onlyHere[position] = true } }
                }
                for span in Self.spans(length: correspondence.count, count: 300, using: &generator) {
                    let image = there(span)
                    let returned = back(image)
                    // Stable: the image of the returned span is the image itself.
                    #expect(there(returned) == image, "seed \(seed): \(span) → \(image) → \(returned) → \(there(returned))")
                    // Everything but the text that exists only on this side, at the span's edges, comes back.
                    let kept = span.filter { !onlyHere[$0] }
                    if let first = kept.first, let last = kept.last {
                        #expect(returned.includes(first..<(last + 1)),
                                "seed \(seed): \(toOriginalFirst ? "layer" : "original") \(span) → \(image) → \(returned)")
                    }
                }
            }
        }
    }

    @Test("random edits: a composed map contains the two-step mapping and is exact on bytes both maps keep")
    func composition() throws {
        for seed in testSeeds(300) {
            var generator = SeededGenerator(seed: seed)
            let text = RandomText.make(pieceCount: Int.random(in: 0...30, using: &generator), using: &generator)
            let first = EditModel.random(from: text, maxEdits: 6, using: &generator)
            let middle = String(decoding: first.layer, as: UTF8.self)
            let second = EditModel.random(from: middle, maxEdits: 6, using: &generator)
            let m1 = try first.makeMap(), m2 = try second.makeMap()
            let composed = m1.composed(with: m2)
            let both = first.followed(by: second)
            #expect(composed.originalLength == m1.originalLength && composed.layerLength == m2.layerLength, "seed \(seed)")
            let rebuilt = try OffsetMap(edits: composed.edits, originalLength: composed.originalLength,
                                        layerLength: composed.layerLength)
            #expect(rebuilt == composed, "seed \(seed): composed edits break the map's invariants: \(composed.edits)")

            // Bytes outside the composed edits are exactly the bytes that both maps keep.
            var insideEdit = [Bool](repeating: false, count: composed.originalLength)
            for edit in composed.edits { for position in edit.originalRange { insideEdit[position] = true } }
            for position in 0..<composed.originalLength {
                #expect(insideEdit[position] == (both.originalToLayer[position] == nil),
                        "seed \(seed): byte \(position) of the original is \(insideEdit[position] ? "inside" : "outside") a composed edit")
            }

            // Empty spans are left out: at an edit's edge their image is a matter of convention (inserted and deleted
            // text is kept out), and two maps can place the same edge differently than their composition.
            for span in Self.spans(length: composed.originalLength, count: 300, using: &generator) where !span.isEmpty {
                let twoStep = m2.toLayer(m1.toLayer(span))
                let direct = composed.toLayer(span)
                #expect(direct.includes(twoStep), "seed \(seed): toLayer(\(span)): composed \(direct), two steps \(twoStep)")
                let expected = expectedImage(of: span, correspondence: both.originalToLayer, edits: composed.edits,
                                             from: \.originalRange, to: \.layerRange)
                #expect(direct == expected, "seed \(seed): composed toLayer(\(span)) = \(direct), expected \(String(describing: expected))")
            }
            for span in Self.spans(length: composed.layerLength, count: 300, using: &generator) where !span.isEmpty {
                let twoStep = m1.toOriginal(m2.toOriginal(span))
                let direct = composed.toOriginal(span)
                #expect(direct.includes(twoStep), "seed \(seed): toOriginal(\(span)): composed \(direct), two steps \(twoStep)")
                let expected = expectedImage(of: span, correspondence: both.layerToOriginal, edits: composed.edits,
                                             from: \.layerRange, to: \.originalRange)
                #expect(direct == expected, "seed \(seed): composed toOriginal(\(span)) = \(direct), expected \(String(describing: expected))")
            }
        }
    }

    @Test("composing with an identity map changes nothing")
    func composeIdentity() throws {
        var generator = SeededGenerator(seed: 99)
        let text = RandomText.make(pieceCount: 30, using: &generator)
        let model = EditModel.random(from: text, maxEdits: 5, using: &generator)
        let map = try model.makeMap()
        #expect(map.composed(with: .identity(length: map.layerLength)) == map)
        #expect(OffsetMap.identity(length: map.originalLength).composed(with: map) == map)
    }

    /// Random spans over `0...length`, including empty ones and the whole text.
    static func spans<G: RandomNumberGenerator>(length: Int, count: Int, using generator: inout G) -> [Range<Int>] {
        var result: [Range<Int>] = [0..<length]
        for _ in 0..<count {
            let a = Int.random(in: 0...length, using: &generator)
            let b = Int.random(in: 0...length, using: &generator)
            result.append(min(a, b)..<max(a, b))
            // Short spans too: most annotations are short.
            let c = min(length, a + Int.random(in: 0...4, using: &generator))
            result.append(a..<c)
        }
        return result
    }
}

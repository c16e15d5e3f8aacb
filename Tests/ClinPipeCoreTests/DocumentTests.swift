import ClinPipeCore
import ClinPipeTestSupport
import Testing

@Suite("Document")
struct DocumentTests {
    static let provenance = Provenance(stage: "test")

    @Test("addAnnotation accepts exactly the ranges inside the text on scalar boundaries")
    func acceptsOnlyScalarBoundaries() throws {
        for seed in testSeeds(100) {
            var generator = SeededGenerator(seed: seed)
            let text = RandomText.make(pieceCount: Int.random(in: 0...25, using: &generator), using: &generator)
            let boundaries = Set(RandomText.scalarBoundaries(text))
            let count = text.utf8.count
            var document = Document(id: "d", text: text)
            var accepted = 0
            for lower in -1...(count + 1) {
                for upper in max(lower, -1)...(count + 2) {
                    let valid = lower >= 0 && upper <= count && boundaries.contains(lower) && boundaries.contains(upper)
                    do {
                        let id = try document.addAnnotation(type: "t", range: lower..<upper, provenance: Self.provenance)
                        accepted += 1
                        #expect(valid, "seed \(seed): accepted \(lower)..<\(upper) of \(count) bytes")
                        #expect(id.rawValue == accepted, "seed \(seed): ids count up from 1")
                        #expect(Array(document.coveredText(of: lower..<upper).utf8) == Array(Array(text.utf8)[lower..<upper]),
                                "seed \(seed)")
                    } catch let error as AnnotationError {
                        #expect(!valid, "seed \(seed): refused \(lower)..<\(upper): \(error)")
                        guard case .invalidRange(let type, let range, _) = error else {
                            Issue.record("seed \(seed): wrong error \(error)")
                            continue
                        }
                        #expect(type == "t" && range == lower..<upper)
                    }
                }
            }
            #expect(document.annotations.count == accepted)
        }
    }

    @Test("the error message names the type and range but not the text")
    func errorMessage() {
        var document = Document(id: "d", text: "secret é")
        #expect {
            try document.addAnnotation(type: "drug", range: 0..<8, provenance: Self.provenance)
        } throws: { error in
            let message = String(describing: error)
            return message.contains("drug") && message.contains("0..<8") && !message.contains("secret")
        }
        #expect(throws: AnnotationError.self) {
            try document.addAnnotation(type: "drug", range: 0..<11, provenance: Self.provenance)
        }
    }

    @Test("a grapheme cluster may be split on a scalar boundary (offsets are scalar-exact)")
    func scalarBoundaryInsideGrapheme() throws {
        var document = Document(id: "d", text: "e\u{301}👨‍👩‍👧")
        try document.addAnnotation(type: "base", range: 0..<1, provenance: Self.provenance)
        try document.addAnnotation(type: "man", range: 3..<7, provenance: Self.provenance)
        #expect(document.texts(ofType: "base") == ["e"])
        #expect(Array(document.coveredText(of: 3..<7).unicodeScalars) == ["👨"])
    }

    @Test("layer ranges map to the original text; a layer of another text is refused")
    func layers() throws {
        // Original "ﬁne pain" (ligature, 3 bytes) → layer "fine pain".
        let original = "ﬁne pain"
        let layerText = "fine pain"
        let map = try OffsetMap(edits: [.init(originalRange: 0..<3, layerRange: 0..<2)],
                                originalLength: original.utf8.count, layerLength: layerText.utf8.count)
        var document = Document(id: "d", text: original)
        #expect(document.normalized.map.isIdentity)
        #expect(document.normalized.text == original)
        try document.setLayer(TextLayer(name: Document.normalizedLayerName, text: layerText, map: map))
        let layer = document.normalized
        #expect(layer.text == layerText)
        let fine = try document.addAnnotation(type: "word", layerRange: 0..<4, in: layer, provenance: Self.provenance)
        let pain = try document.addAnnotation(type: "word", layerRange: 5..<9, in: layer, provenance: Self.provenance)
        #expect(document.annotation(fine)?.range == 0..<5)
        #expect(document.annotation(pain)?.range == 6..<10)
        #expect(document.texts(ofType: "word") == ["ﬁne", "pain"])
        #expect(document.annotation(AnnotationID(3)) == nil)
        #expect(document.annotation(AnnotationID(0)) == nil)

        let wrong = TextLayer.identity(name: "other", text: "short")
        #expect(throws: AnnotationError.self) { try document.setLayer(wrong) }
    }

    @Test("normalized is the layer stored under its name (kept beside the dictionary), else the identity")
    func normalizedFollowsLayers() throws {
        let original = "ﬁne pain"
        var document = Document(id: "d", text: original)
        let other = TextLayer.identity(name: "other", text: original)
        try document.setLayer(other)
        #expect(document.layers[Document.normalizedLayerName] == nil)
        #expect(document.normalized.map.isIdentity && document.normalized.text == original)
        #expect(document.normalized.name == Document.normalizedLayerName)
        for layerText in ["fine pain", "fine  pai"] {
            let map = try OffsetMap(edits: [.init(originalRange: 0..<3, layerRange: 0..<2)],
                                    originalLength: original.utf8.count, layerLength: layerText.utf8.count)
            try document.setLayer(TextLayer(name: Document.normalizedLayerName, text: layerText, map: map))
            #expect(document.normalized.text == document.layers[Document.normalizedLayerName]?.text)
            #expect(document.normalized.text == layerText)
        }
        let copy = document
        #expect(copy.normalized.text == "fine  pai")
    }

    @Test("attributes of an annotation can be set and removed; document attributes keep their order")
    func attributes() throws {
        var document = Document(id: "d", text: "pain", attributes: ["b": 1, "a": "x"])
        #expect(document.attributes.keys == ["b", "a"])
        let id = try document.addAnnotation(type: "t", range: 0..<4, attributes: ["k": true], provenance: Self.provenance)
        document.setAttribute("n", .int(3), of: id)
        document.setAttribute("k", nil, of: id)
        document.setAttribute("ignored", .int(1), of: AnnotationID(7))
        #expect(document.annotation(id)?.attributes == ["n": 3])
        #expect(document.annotations.count == 1)
    }

    @Test("modifyAttributes changes an annotation's attributes in place as setAttribute does, and ignores unknown ids")
    func modifyAttributes() throws {
        var viaSet = Document(id: "d", text: "pain and more")
        let first = try viaSet.addAnnotation(type: "t", range: 0..<4, attributes: ["k": true, "negated": true],
                                             provenance: Self.provenance)
        let second = try viaSet.addAnnotation(type: "t", range: 5..<8, provenance: Self.provenance)
        var viaModify = viaSet
        for id in [first, second] {
            viaSet.setAttribute("negated", .bool(false), of: id)
            viaSet.setAttribute("experiencer", .string("patient"), of: id)
            viaSet.setAttribute("k", nil, of: id)
            viaModify.modifyAttributes(of: id) { attributes in
                attributes.reserveCapacity(attributes.count + 2)
                attributes["negated"] = .bool(false)
                attributes["experiencer"] = .string("patient")
                attributes["k"] = nil
            }
        }
        viaModify.modifyAttributes(of: AnnotationID(9)) { _ in Issue.record("called for an unknown id") }
        #expect(viaModify.annotations == viaSet.annotations)
        #expect(viaModify.annotation(first)?.attributes.keys == ["negated", "experiencer"])
        #expect(viaModify.annotation(second)?.attributes == ["negated": false, "experiencer": "patient"])
    }

    @Test("addAnnotations adds what addAnnotation adds span by span, and stops at the first bad span")
    func batchMatchesSingle() throws {
        for seed in testSeeds(200) {
            var generator = SeededGenerator(seed: seed)
            let text = RandomText.make(pieceCount: Int.random(in: 0...30, using: &generator), using: &generator)
            let model = EditModel.random(from: text, maxEdits: 8, using: &generator)
            let map = try model.makeMap()
            let layerText = String(decoding: model.layer, as: UTF8.self)
            guard Array(layerText.utf8) == model.layer else { continue }  // random edits may split a character
            let layer = TextLayer(name: Document.normalizedLayerName, text: layerText, map: map)
            let boundaries = RandomText.scalarBoundaries(layerText)
            var cuts = (0..<Int.random(in: 0...12, using: &generator)).map { _ in boundaries.randomElement(using: &generator)! }
            cuts.sort()
            var spans = zip(cuts, cuts.dropFirst()).map { $0..<$1 }
            if Int.random(in: 0..<4, using: &generator) == 0 { spans.append(0..<(layer.map.layerLength + 1)) }  // leaves the text
            var single = Document(id: "d", text: text)
            _ = try? single.addAnnotation(type: "first", range: 0..<0, provenance: Self.provenance)
            var batch = single
            batch.reserveAnnotations(Int.random(in: 0...3, using: &generator))
            var singleError: String?
            do {
                for span in spans { try single.addAnnotation(type: "s", layerRange: span, in: layer, provenance: Self.provenance) }
            } catch { singleError = "\(error)" }
            var batchError: String?
            do { try batch.addAnnotations(type: "s", layerRanges: spans, in: layer, provenance: Self.provenance) } catch {
                batchError = "\(error)"
            }
            #expect(batch.annotations == single.annotations, "seed \(seed)")
            #expect(batchError == singleError, "seed \(seed)")
        }
    }
}

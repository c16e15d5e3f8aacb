import ClinPipeTestSupport
import ClinPipeCore
import Testing

/// `AnnotationIndex` queries against brute force over random annotations.
@Suite("AnnotationIndex")
struct AnnotationIndexTests {
    static func randomAnnotations<G: RandomNumberGenerator>(count: Int, length: Int, allowEmpty: Bool,
                                                            using generator: inout G) -> [Annotation]
    {
        let types = ["sentence", "section", "drug"]
        return (0..<count).map { index in
            var a = Int.random(in: 0...length, using: &generator)
            var b: Int
            switch Int.random(in: 0..<4, using: &generator) {
            case 0: b = Int.random(in: 0...length, using: &generator)          // anything
            case 1: b = min(length, a + Int.random(in: 0...3, using: &generator)) // short
            case 2: b = a; a = 0; b = max(b, 1)                               // nested prefixes
            default: b = min(length, a + Int.random(in: 0...length / 4 + 1, using: &generator))
            }
            if a > b { swap(&a, &b) }
            if !allowEmpty && a == b { if b < length { b += 1 } else { a -= 1 } }
            return Annotation(id: AnnotationID(index + 1), type: types.randomElement(using: &generator)!, range: a..<b,
                              provenance: Provenance(stage: "test"))
        }
    }

    /// "Shares a byte with `range`", or for an empty `range` at `p`: contains `p` (half-open).
    static func overlaps(_ annotation: Range<Int>, _ range: Range<Int>) -> Bool {
        if range.isEmpty { return annotation.lowerBound <= range.lowerBound && range.lowerBound < annotation.upperBound }
        return annotation.lowerBound < range.upperBound && range.lowerBound < annotation.upperBound
    }

    static func isSortedByStart(_ annotations: [Annotation]) -> Bool {
        zip(annotations, annotations.dropFirst()).allSatisfy { $0.range.lowerBound <= $1.range.lowerBound }
    }

    @Test("inside, overlapping and covering agree with brute force", arguments: [false, true])
    func bruteForce(allowEmptyAnnotations: Bool) {
        for seed in testSeeds(150) {
            var generator = SeededGenerator(seed: seed)
            let length = Int.random(in: 1...200, using: &generator)
            let annotations = Self.randomAnnotations(count: Int.random(in: 0...80, using: &generator), length: length,
                                                     allowEmpty: allowEmptyAnnotations, using: &generator)
            let index = AnnotationIndex(annotations)
            for type in ["sentence", "section", "drug", "absent"] {
                let ofType = annotations.filter { $0.type == type }
                #expect(Set(index.annotations(ofType: type).map(\.id)) == Set(ofType.map(\.id)), "seed \(seed)")
                #expect(Self.isSortedByStart(index.annotations(ofType: type)), "seed \(seed)")
                for _ in 0..<60 {
                    let a = Int.random(in: 0...length, using: &generator)
                    let b = Int.random(in: 0..<4, using: &generator) == 0 ? a
                        : min(length, a + Int.random(in: 0...length / 3 + 1, using: &generator))
                    let range = a..<b

                    let inside = index.annotations(ofType: type, inside: range)
                    let expectedInside = ofType.filter { range.includes($0.range) }
                    #expect(Set(inside.map(\.id)) == Set(expectedInside.map(\.id)) && inside.count == expectedInside.count,
                            "seed \(seed): \(type) inside \(range): \(inside.map(\.range)) vs \(expectedInside.map(\.range))")
                    #expect(Self.isSortedByStart(inside), "seed \(seed)")

                    let overlapping = index.annotations(ofType: type, overlapping: range)
                    let expectedOverlapping = ofType.filter {
                        // An empty annotation shares no byte; the index reports one strictly inside the range.
                        $0.range.isEmpty
                            ? !range.isEmpty && range.lowerBound < $0.range.lowerBound && $0.range.lowerBound < range.upperBound
                            : Self.overlaps($0.range, range)
                    }
                    #expect(Set(overlapping.map(\.id)) == Set(expectedOverlapping.map(\.id))
                            && overlapping.count == expectedOverlapping.count,
                            "seed \(seed): \(type) overlapping \(range): \(overlapping.map(\.range)) vs \(expectedOverlapping.map(\.range))")
                    #expect(Self.isSortedByStart(overlapping), "seed \(seed)")

                    let covering = index.covering(range, ofType: type)
                    let candidates = ofType.filter { $0.range.includes(range) }
                    let smallest = candidates.map(\.range.count).min()
                    if let covering {
                        #expect(covering.range.includes(range) && covering.type == type, "seed \(seed)")
                        #expect(covering.range.count == smallest, "seed \(seed): covering \(range) gave \(covering.range), smallest is \(String(describing: smallest))")
                    } else {
                        #expect(candidates.isEmpty, "seed \(seed): nothing covers \(range) but \(candidates.map(\.range)) do")
                    }
                }
            }
        }
    }

    @Test("a small hand-checked case")
    func handChecked() {
        func annotation(_ id: Int, _ type: String, _ range: Range<Int>) -> Annotation {
            Annotation(id: AnnotationID(id), type: type, range: range, provenance: Provenance(stage: "t"))
        }
        let index = AnnotationIndex([
            annotation(1, "sentence", 0..<10), annotation(2, "sentence", 10..<30), annotation(3, "section", 0..<30),
            annotation(4, "drug", 2..<5), annotation(5, "drug", 12..<20), annotation(6, "drug", 25..<30),
            annotation(7, "section", 10..<30),
        ])
        #expect(index.annotations(ofType: "drug", inside: 10..<30).map(\.id.rawValue) == [5, 6])
        #expect(index.annotations(ofType: "drug", inside: 0..<10).map(\.id.rawValue) == [4])
        #expect(index.annotations(ofType: "drug", overlapping: 4..<13).map(\.id.rawValue) == [4, 5])
        #expect(index.annotations(ofType: "drug", overlapping: 5..<12).isEmpty)
        #expect(index.annotations(ofType: "sentence", overlapping: 10..<10).map(\.id.rawValue) == [2])
        #expect(index.covering(12..<20, ofType: "sentence")?.id.rawValue == 2)
        #expect(index.covering(12..<20, ofType: "section")?.id.rawValue == 7)   // innermost
        #expect(index.covering(5..<15, ofType: "sentence") == nil)
        #expect(index.covering(5..<15, ofType: "section")?.id.rawValue == 3)
        #expect(index.covering(0..<0, ofType: "sentence")?.id.rawValue == 1)
        #expect(index.covering(3..<4, ofType: "unknown") == nil)
    }
}

import ClinPipeCore
import ClinPipeTestSupport
@testable import OutcomeStage
import Testing

/// `QueriedAnnotations` answers exactly as `AnnotationIndex` does, in the same order.
@Suite struct QueriedAnnotationsTests {
    static func check(_ annotations: [Annotation], queries: [Range<Int>]) {
        let index = AnnotationIndex(annotations)
        let queried = QueriedAnnotations(annotations)
        for type in QueriedAnnotations.types {
            #expect(queried.annotations(ofType: type).map(\.id) == index.annotations(ofType: type).map(\.id))
            #expect(queried.positions(ofType: type).map { queried.all[$0].id } == index.annotations(ofType: type).map(\.id))
            for range in queries {
                let inside = index.annotations(ofType: type, inside: range)
                #expect(queried.annotations(ofType: type, inside: range).map(\.id) == inside.map(\.id))
                var positions: [Int] = []
                queried.forEachPosition(ofType: type, inside: range) { positions.append($0); return true }
                #expect(positions.map { queried.all[$0].id } == inside.map(\.id))
                #expect(queried.firstPosition(ofType: type, inside: range).map { queried.all[$0].id } == inside.first?.id)
                #expect(queried.firstPosition(ofType: type, inside: range) { queried.all[$0].id.rawValue % 2 == 0 }.map { queried.all[$0].id }
                    == inside.first { $0.id.rawValue % 2 == 0 }?.id)
                let overlapping = index.annotations(ofType: type, overlapping: range)
                #expect(queried.annotations(ofType: type, overlapping: range).map(\.id) == overlapping.map(\.id))
                #expect(queried.ranges(ofType: type, overlapping: range) == overlapping.map(\.range))
            }
        }
    }

    /// Each kind names its type in `types`, and a query by kind answers as the query by the type's name.
    @Test func kindsNameTheKeptTypes() {
        #expect(QueriedAnnotations.Kind.allCases.map(\.type) == QueriedAnnotations.types)
        var annotations: [Annotation] = []
        for (number, type) in (QueriedAnnotations.types + ["section", "context.modifier"]).enumerated() {
            for copy in 0..<3 {
                annotations.append(Annotation(id: AnnotationID(number * 3 + copy), type: type,
                                              range: (copy * 10 + number)..<(copy * 10 + number + 4), provenance: .input))
            }
        }
        let queried = QueriedAnnotations(annotations)
        for kind in QueriedAnnotations.Kind.allCases {
            let type = kind.type
            #expect(queried.positions(of: kind) == queried.positions(ofType: type))
            for range in [0..<0, 0..<12, 5..<25, 11..<40, 40..<50] {
                var byKind: [Int] = [], byType: [Int] = []
                queried.forEachPosition(of: kind, inside: range) { byKind.append($0); return true }
                queried.forEachPosition(ofType: type, inside: range) { byType.append($0); return true }
                #expect(byKind == byType)
                #expect(queried.firstPosition(of: kind, inside: range) == queried.firstPosition(ofType: type, inside: range))
                #expect(queried.ranges(of: kind, overlapping: range) == queried.ranges(ofType: type, overlapping: range))
            }
        }
    }

    @Test func unkeptIsTheNumberOfKeptTypes() {
        #expect(Int(QueriedAnnotations.unkept) == QueriedAnnotations.types.count)
    }

    @Test func sameAnswersOnTheSampleLetters() throws {
        for (name, text) in try TestPaths.seedTexts() {
            let document = try OutcomeTesting.run(text, id: name)
            let queries = document.annotations.filter { $0.type.hasPrefix("imr.item") }.map(\.range) + [0..<0, 5..<5, 0..<text.utf8.count]
            Self.check(document.annotations, queries: queries)
        }
    }

    @Test func sameAnswersOnRandomAnnotationsWithTiesAndNesting() {
        var generator = SeededGenerator(seed: 42)
        for round in 0..<200 {
            // Types of the lengths of kept types, and annotations not kept between kept ones.
            let types = QueriedAnnotations.types + ["context.modifier", "section", "sentencé", "imr.itex", "findinx", "dat", "drugs",
                                                    "imr.item.linx", "imr.item.rationalx", "imr.item.claims_guidelinx", "",
                                                    "imr.item.maximus_guidelinx", "procedure", "date "]
            let annotations = (0..<Int.random(in: 0...40, using: &generator)).map { number -> Annotation in
                let start = Int.random(in: 0...30, using: &generator)
                // Few distinct ranges, so that ties are common; sometimes already in order.
                let range = round % 3 == 0 ? number..<(number + 2) : start..<(start + Int.random(in: 0...4, using: &generator))
                return Annotation(id: AnnotationID(number), type: types.randomElement(using: &generator)!, range: range, provenance: .input)
            }
            let queries = (0..<20).map { _ in
                let start = Int.random(in: 0...35, using: &generator)
                return start..<(start + Int.random(in: 0...8, using: &generator))
            }
            Self.check(annotations, queries: queries)
        }
    }
}

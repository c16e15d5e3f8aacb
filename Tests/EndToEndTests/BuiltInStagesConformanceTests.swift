import ClinPipeCore
import ClinPipeIO
import ClinPipeStages
import ClinPipeTestSupport
import Foundation
import Testing

/// Every built-in stage, in the default pipeline, on the sample letters and on random Unicode text.
@Suite struct BuiltInStagesConformanceTests {
    let pipeline: Pipeline

    init() throws {
        pipeline = try Pipeline(configuration: .defaultPipeline, registry: .builtIn)
    }

    @Test func sampleLettersConform() throws {
        let documents = try TestPaths.seedTexts().map { Document(id: $0.name, text: $0.text) }
        #expect(documents.count == 5)
        #expect(StageConformance.check(pipeline: pipeline, documents: documents) == [])
    }

    @Test func randomUnicodeTextConforms() {
        var generator = SeededGenerator(seed: 20261122)
        let documents = (0..<60).map { Document(id: "random-\($0)", text: RandomText.make(&generator, pieces: 5 + $0 * 3)) }
        #expect(StageConformance.check(pipeline: pipeline, documents: documents) == [])
    }

    @Test func everyStageInTheRegistryIsInTheDefaultPipelineOrNeedsData() {
        let defaults = Set(PipelineConfiguration.defaultPipeline.stages.map(\.stage))
        let registered = Set(StageRegistry.builtIn.names)
        #expect(defaults.isSubset(of: registered))
        #expect(registered.subtracting(defaults) == ["lexicon"])
    }

    /// The contract of the output: for every annotation, slicing the original text at its offsets in the output
    /// unit gives its `text`.
    @Test(arguments: OffsetUnit.allCases)
    func outputOffsetsSliceTheOriginalText(unit: OffsetUnit) throws {
        var documents = try TestPaths.seedTexts().map { Document(id: $0.name, text: $0.text) }
        var generator = SeededGenerator(seed: 7)
        documents += (0..<20).map { Document(id: "r\($0)", text: RandomText.make(&generator, pieces: 40)) }
        let encoder = JSONLEncoder(unit: unit)
        var checked = 0
        for var document in documents {
            try pipeline.process(&document)
            let line = encoder.encode(.document(document))
            let record = try JSONDecoder().decode(OutputRecord.self, from: Data(line))
            #expect(record.offsets == unit.rawValue)
            for annotation in record.annotations {
                let begin = annotation.begin, end = annotation.end
                let slice: String
                switch unit {
                case .codepoint:
                    let scalars = Array(document.text.unicodeScalars)
                    var view = String.UnicodeScalarView()
                    view.append(contentsOf: scalars[begin..<end])
                    slice = String(view)
                case .utf16:
                    let units = Array(document.text.utf16)
                    slice = String(decoding: units[begin..<end], as: UTF16.self)
                case .utf8:
                    let bytes = Array(document.text.utf8)
                    slice = String(decoding: bytes[begin..<end], as: UTF8.self)
                }
                #expect(slice.unicodeScalars.elementsEqual(annotation.text.unicodeScalars))
                checked += 1
            }
        }
        #expect(checked > 100)
    }

    struct OutputRecord: Decodable {
        struct Item: Decodable { var begin: Int; var end: Int; var text: String }
        var offsets: String
        var annotations: [Item]
    }
}

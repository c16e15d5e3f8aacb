import ClinPipeCore
import ClinPipeIO
@testable import ClinPipeRunner
import Testing

/// The room a worker makes for a document's annotations (`AnnotationDensity`) changes only allocations: results
/// are the same whatever it learned.
@Suite struct AnnotationDensityTests {
    @Test("nothing is reserved before a document is seen; then the densest document's density, with room to spare")
    func learning() throws {
        var density = AnnotationDensity()
        #expect(density.expectedAnnotations(textBytes: 1_000) == 0)
        var document = Document(id: "a", text: "0123456789")
        try document.addAnnotation(type: "t", range: 0..<2, provenance: Provenance(stage: "s"))
        try document.addAnnotation(type: "t", range: 2..<4, provenance: Provenance(stage: "s"))
        let sparse = Document(id: "b", text: String(repeating: "x", count: 100))
        density.learn(from: [.document(sparse), .error(id: "c", message: "bad"), .document(document),
                             .document(Document(id: "e", text: ""))])
        #expect(density.perByte == 0.2)
        #expect(density.expectedAnnotations(textBytes: 100) == 26)
        density.learn(from: [.error(id: "c", message: "bad")])
        #expect(density.perByte == 0.2, "a batch without documents keeps what was learned")
    }

    @Test("results do not depend on the room reserved")
    func sameResults() throws {
        let runner = Runner(pipeline: try RunnerTests.pipeline(), encoder: JSONLEncoder(unit: .codepoint),
                            options: RunOptions(jobs: 1))
        let (records, _) = RunnerTests.mixedRecords(30)
        var nanoseconds: [UInt64] = []
        let encoder = JSONLEncoder(unit: .codepoint)
        let plain = runner.process(batch: records, nanoseconds: &nanoseconds).map(encoder.encode)
        var dense = AnnotationDensity()
        var document = Document(id: "a", text: "xy")
        for _ in 0..<50 { try document.addAnnotation(type: "t", range: 0..<1, provenance: Provenance(stage: "s")) }
        dense.learn(from: [.document(document)])
        let reserved = runner.process(batch: records, nanoseconds: &nanoseconds, density: dense).map(encoder.encode)
        #expect(plain == reserved)
    }
}

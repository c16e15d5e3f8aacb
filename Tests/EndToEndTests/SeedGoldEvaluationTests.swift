import ClinPipeCore
import ClinPipeEvaluation
import ClinPipeIO
import ClinPipeStages
import ClinPipeTestSupport
import Foundation
import Testing

/// The default pipeline against the hand-made gold of the five sample letters, as `clinpipe evaluate` runs it.
@Test func defaultPipelineMatchesTheSeedGold() throws {
    let pipeline = try Pipeline(configuration: .defaultPipeline, registry: .builtIn)
    let gold = try StandoffFile.readFolder(TestPaths.corpora.appendingPathComponent("gold"))
    #expect(gold.count == 5)
    let (evaluation, unmatched) = try GoldEvaluation.evaluate(
        pipeline: pipeline, source: try FolderSource(root: TestPaths.seedLetters), gold: gold)
    print(evaluation.report())
    #expect(unmatched.isEmpty)
    for type in ["date", "drug", "spine.level", "spine.dermatome"] {
        let exact = try #require(evaluation.exact[type])
        #expect(exact.gold > 0, "\(type)")
        #expect(exact.f1 >= 0.9, "\(type): \(exact)")
        #expect(evaluation.overlap[type]!.f1 >= 0.95, "\(type)")
    }
}

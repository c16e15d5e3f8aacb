import ArgumentParser
import ClinPipeCore
import ContextStage
import Foundation

/// `clinpipe evaluate-context FILE.tsv`
struct EvaluateContextCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "evaluate-context",
        abstract: "Evaluate ConText on labelled sentences: precision, recall and F1 for negation, accuracy for the rest.",
        discussion: """
            FILE is a TSV with columns id, sentence, target, label (Negated or Affirmed) and optionally uncertain, \
            hypothetical, historical, experiencer. The first occurrence of the target in each sentence is marked as \
            an input annotation and the pipeline (default: normalize, sentences, context) runs over the sentence. \
            Corpora/context/context-eval.tsv and context-heldout.tsv ship with ClinPipe.
            """)

    @Argument(help: "Labelled sentences (TSV).")
    var file: String

    @OptionGroup var pipelineOptions: PipelineOptions

    @Flag(name: .long, help: "List the ids of the misclassified targets.")
    var listErrors = false

    func run() throws {
        var options = pipelineOptions
        if options.pipeline == nil && options.stages.isEmpty { options.stages = ContextEvaluation.defaultStageNames }
        let pipeline: Pipeline
        do { pipeline = try options.makePipeline(registry: ClinPipeCommand.registry) } catch { fail("invalid pipeline: \(error)") }
        do {
            let report = try ContextEvaluation.run(file: URL(fileURLWithPath: file), pipeline: pipeline)
            print(report.formatted(listErrors: listErrors))
        } catch {
            fail("\(error)")
        }
    }
}

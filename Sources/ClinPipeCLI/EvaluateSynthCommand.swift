import ArgumentParser
import ClinPipeCore
import ClinPipeIO
import ClinPipeSynth
import Foundation

/// `clinpipe evaluate-synth --key KEY INPUT`: the configured pipeline against a generated corpus's answer key.
struct EvaluateSynthCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "evaluate-synth",
        abstract: "Run the pipeline over a generated corpus and score it against the corpus's answer key.",
        discussion: """
            INPUT is what 'clinpipe corpus synth' wrote (a .jsonl file or a folder); --key defaults to the key \
            beside it (FILE.key.jsonl, or DIR/key.jsonl). Prints precision, recall and F1 per annotation type \
            (exact and overlapping spans) for the types the pipeline produces (date, drug, spine.level, \
            spine.dermatome, sentence, section, imr.item), the accuracy of attributes (date value and role, drug \
            generic, level segments, dermatome roots, finding negation, decision outcome and partial form, \
            reviewer credentials), and lists the types skipped because no stage produces them.
            """)

    @Argument(help: "The generated corpus (.jsonl file or folder).")
    var input: String

    @Option(name: .long, help: ArgumentHelp("The answer key (JSON Lines).", valueName: "KEY"))
    var key: String?

    @OptionGroup var pipelineOptions: PipelineOptions

    @Flag(name: .long, help: "Print JSON.")
    var json = false

    func run() throws {
        let keyPath = key ?? SynthCorpus.Destination(path: input).keyPath
        let keys: [String: SynthKey]
        do { keys = try SynthKey.load(path: keyPath) } catch { fail("\(error)") }
        let pipeline: Pipeline
        do { pipeline = try pipelineOptions.makePipeline(registry: ClinPipeCommand.registry) } catch {
            fail("invalid pipeline: \(error)")
        }
        let source: DocumentSource
        do { source = try SourceOptions().openSource(input) } catch { fail("\(error)") }
        var evaluation = SynthEvaluation(producedTypes: Set(pipeline.steps.flatMap { $0.stage.produces }))
        var failures = 0
        while let record = try source.next()?.resolved() {
            guard case .success(let input) = record.content else { failures += 1; continue }
            var document = try input.makeDocument(unit: .codepoint)
            do { try pipeline.process(&document) } catch { failures += 1; continue }
            evaluation.add(document, key: keys[record.id] ?? keys[(record.id as NSString).lastPathComponent])
        }
        evaluation.finish()
        if json {
            print(evaluation.json().serialized(pretty: true))
        } else {
            print("pipeline: " + pipeline.steps.map(\.name).joined(separator: ", "))
            print(evaluation.report())
            if failures > 0 { print("\n\(failures) documents failed and were not scored") }
        }
    }
}

import ArgumentParser
import ClinPipeCore
import ClinPipeEvaluation
import ClinPipeIO
import Foundation

/// `clinpipe evaluate`: span evaluation against gold files (the default) and the outcome classifier.
struct EvaluateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "evaluate",
        abstract: "Evaluate the pipeline against gold annotations, or the outcome classifier by cross-validation.",
        subcommands: [EvaluateGold.self, EvaluateOutcome.self],
        defaultSubcommand: EvaluateGold.self)
}

/// `clinpipe evaluate [gold] --gold DIR INPUT...`
struct EvaluateGold: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "gold",
        abstract: "Compare the pipeline's annotations with gold standoff files: precision, recall and F1 per type.",
        discussion: """
            Gold files are brat .ann files (T<n><TAB>type begin end<TAB>text, Unicode code point offsets), one per \
            document, named after the document id's last path component (Corpora/gold/000_ccb6dedda2d825ee.ann \
            for Corpora/imr-seeds/000_ccb6dedda2d825ee.txt). Exact: same begin and end; overlap: one shared character.
            """)

    @Option(name: .long, help: ArgumentHelp("Folder of gold .ann files.", valueName: "DIR"))
    var gold: String

    @Argument(help: "Inputs, as for 'run'.")
    var inputs: [String]

    @OptionGroup var pipelineOptions: PipelineOptions

    @Option(name: .long, parsing: .upToNextOption, help: "Compare only these annotation types (default: all gold types).")
    var types: [String] = []

    @Flag(name: .long, help: "List every span that did not match exactly (prints document text: for your own screen).")
    var showDifferences = false

    func run() throws {
        let pipeline: Pipeline
        do { pipeline = try pipelineOptions.makePipeline(registry: ClinPipeCommand.registry) } catch { fail("invalid pipeline: \(error)") }
        let goldSpans: [String: [LabeledSpan]]
        do { goldSpans = try StandoffFile.readFolder(URL(fileURLWithPath: gold)) } catch { fail("cannot read gold files: \(error)") }
        if goldSpans.isEmpty { fail("no .ann files in \(gold)") }
        let source: DocumentSource
        do { source = ConcatenatedSource(try inputs.map { try SourceOptions().openSource($0) }) } catch { fail("\(error)") }
        let typeFilter = types.isEmpty ? nil : Set(types.flatMap { $0.split(separator: ",").map(String.init) })
        let (evaluation, unmatched) = try GoldEvaluation.evaluate(pipeline: pipeline, source: source, gold: goldSpans, types: typeFilter)
        print(evaluation.report())
        if !unmatched.isEmpty { print("\(unmatched.count) documents without a gold file were skipped") }
        if showDifferences {
            for difference in evaluation.differences {
                print("\(difference.missed ? "missed  " : "spurious") \(difference.document) \(difference.span.type) \(difference.span.begin)-\(difference.span.end) \(difference.span.text)")
            }
        }
    }
}

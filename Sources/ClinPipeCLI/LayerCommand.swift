import ArgumentParser
import ClinPipeCore
import ClinPipeIO
import Foundation

/// `clinpipe layer INPUT`: prints the normalized text that the stages read, for checking what normalization did.
struct LayerCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "layer",
        abstract: "Print the normalized layer of each document (what the stages see), after the configured stages.",
        discussion: "Each document's layer is preceded by a line '### <id>'. Prints document text: use it on your own screen only.")

    @Argument(help: "Inputs, as for 'run'.")
    var inputs: [String]

    @OptionGroup var pipelineOptions: PipelineOptions

    func run() throws {
        var options = pipelineOptions
        if options.pipeline == nil && options.stages.isEmpty { options.stages = ["normalize"] }
        let pipeline: Pipeline
        do { pipeline = try options.makePipeline(registry: ClinPipeCommand.registry) } catch { fail("invalid pipeline: \(error)") }
        let source: DocumentSource
        do { source = ConcatenatedSource(try inputs.map { try SourceOptions().openSource($0) }) } catch { fail("\(error)") }
        while let record = try source.next()?.resolved() {
            print("### \(record.id)")
            switch record.content {
            case .failure(let error): print("(error: \(error.message))")
            case .success(let input):
                var document = try input.makeDocument(unit: .codepoint)
                do { try pipeline.process(&document) } catch { print("(error: \(error))"); continue }
                print(document.normalized.text)
            }
        }
    }
}

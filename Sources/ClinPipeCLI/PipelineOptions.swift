import ArgumentParser
import ClinPipeCore
import ClinPipeStages
import Foundation

/// Options that choose the pipeline.
struct PipelineOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("Pipeline file (JSON); default: the built-in default pipeline.", valueName: "FILE"))
    var pipeline: String?

    @Option(name: .long, parsing: .upToNextOption,
            help: ArgumentHelp("Run only these stages (names), with default configurations.", valueName: "NAME"))
    var stages: [String] = []

    @Option(name: .long, help: ArgumentHelp("An RxNorm RXNCONSO.RRF file: extends the drugs stage's lexicon with every ingredient and brand name.", valueName: "PATH"))
    var rxnorm: String?

    /// The configuration file, or the default pipeline, with command-line overrides applied.
    func loadConfiguration() throws -> (PipelineConfiguration, URL) {
        var (configuration, base) = try loadFileOrDefault()
        if let rxnorm {
            let path = URL(fileURLWithPath: rxnorm, relativeTo: URL(fileURLWithPath: FileManager.default.currentDirectoryPath)).standardizedFileURL.path
            guard configuration.stages.contains(where: { $0.stage == "drugs" }) else {
                throw ValidationError("--rxnorm needs the drugs stage in the pipeline")
            }
            for index in configuration.stages.indices where configuration.stages[index].stage == "drugs" {
                var pairs = configuration.stages[index].config?.objectPairs ?? []
                pairs.removeAll { $0.0 == "rxnorm" }
                pairs.append(("rxnorm", .string(path)))
                configuration.stages[index].config = .object(pairs)
            }
        }
        return (configuration, base)
    }

    private func loadFileOrDefault() throws -> (PipelineConfiguration, URL) {
        let cwd = URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
        if let pipeline {
            if !stages.isEmpty { throw ValidationError("give either --pipeline or --stages, not both") }
            let url = URL(fileURLWithPath: pipeline, relativeTo: cwd).standardizedFileURL
            return (try PipelineConfiguration.load(from: url), url.deletingLastPathComponent())
        }
        if !stages.isEmpty {
            let names = stages.flatMap { $0.split(separator: ",").map(String.init) }.filter { $0 != "none" }
            return (PipelineConfiguration(stageNames: names), cwd)
        }
        return (.defaultPipeline, cwd)
    }

    /// Builds the pipeline, or exits with every problem listed.
    func makePipeline(registry: StageRegistry) throws -> Pipeline {
        let (configuration, base) = try loadConfiguration()
        return try Pipeline(configuration: configuration, registry: registry, baseDirectory: base)
    }
}

/// Prints a fatal error to standard error and exits non-zero.
func fail(_ message: String, code: Int32 = 2) -> Never {
    FileHandle.standardError.write(Data("clinpipe: \(message)\n".utf8))
    exit(code)
}

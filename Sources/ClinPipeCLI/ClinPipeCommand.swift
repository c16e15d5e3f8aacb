import ArgumentParser
import ClinPipeCore
import Foundation
import Synchronization

/// The `clinpipe` command line, reusable by other packages: build a registry with your own stages and call
/// `ClinPipeCommand.main(registry:)` from your executable to get `run`, `stages`, `config dump` and the rest
/// with your stages available by name.
public struct ClinPipeCommand: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "clinpipe",
        abstract: "A clinical text NLP pipeline: normalization, sections, entities, negation and outcomes.",
        discussion: """
            Reads documents (a folder of .txt files, JSONL, CSV, or JSONL on standard input with '-'), runs the \
            configured stages and writes one record per input document. Offsets are Unicode code points unless \
            --offsets says otherwise.
            """,
        subcommands: [
            RunCommand.self, StagesCommand.self, ConfigCommand.self, LayerCommand.self, EvaluateCommand.self,
            EvaluateContextCommand.self, EvaluateSynthCommand.self, TrainCommand.self, CorpusCommand.self, BenchCommand.self,
        ],
        defaultSubcommand: nil
    )

    public init() {}

    private static let registryStore = Mutex<StageRegistry?>(nil)

    /// The registry the subcommands use.
    public static var registry: StageRegistry {
        registryStore.withLock { $0 } ?? StageRegistry()
    }

    /// Runs the command line with `registry` (the built-in stages plus any you registered).
    public static func main(registry: StageRegistry, arguments: [String]? = nil) {
        registryStore.withLock { $0 = registry }
        signal(SIGPIPE, SIG_IGN)
        main(arguments)
    }
}

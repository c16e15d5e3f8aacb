import Foundation
import PackagePlugin

/// Validates a target's rule and lexicon files (its `Rules/` folder) and embeds them as Swift source, so that a
/// malformed rule file fails the build with its file and line, and the stage needs no resources at run time.
@main
struct RuleCompilerPlugin: BuildToolPlugin {
    func createBuildCommands(context: PluginContext, target: Target) throws -> [Command] {
        guard let target = target as? SourceModuleTarget else { return [] }
        let rules = target.directoryURL.appending(path: "Rules")
        let names = (try? FileManager.default.contentsOfDirectory(atPath: rules.path)) ?? []
        let files = names.filter { $0.hasSuffix(".tsv") || $0.hasSuffix(".json") || $0.hasSuffix(".txt") }
            .sorted().map { rules.appending(path: $0) }
        let output = context.pluginWorkDirectoryURL.appending(path: "EmbeddedRules.swift")
        return [
            .buildCommand(
                displayName: "Validating and embedding \(files.count) rule files of \(target.name)",
                executable: try context.tool(named: "clinpipe-rulec").url,
                arguments: ["compile", "--output", output.path] + files.map(\.path),
                inputFiles: files,
                outputFiles: [output])
        ]
    }
}

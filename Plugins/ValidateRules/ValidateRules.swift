import Foundation
import PackagePlugin

/// `swift package validate-rules [PATH...]`: checks every rule and lexicon file of the package's stages (their
/// `Rules/` folders), or the files and folders given, and prints each problem as `file:line: message`.
@main
struct ValidateRules: CommandPlugin {
    func performCommand(context: PluginContext, arguments: [String]) async throws {
        var paths = arguments
        if paths.isEmpty {
            for target in context.package.targets {
                guard let target = target as? SourceModuleTarget else { continue }
                let rules = target.directoryURL.appending(path: "Rules")
                if FileManager.default.fileExists(atPath: rules.path) { paths.append(rules.path) }
            }
        }
        let tool = try context.tool(named: "clinpipe-rulec")
        let process = Process()
        process.executableURL = tool.url
        process.arguments = ["validate"] + paths
        try process.run()
        process.waitUntilExit()
        if process.terminationStatus != 0 {
            Diagnostics.error("rule files have problems (see above)")
        }
    }
}

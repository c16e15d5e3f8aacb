import ArgumentParser
import ClinPipeCore
import ClinPipeStages
import Foundation

/// `clinpipe stages`: the registry.
struct StagesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "stages",
        abstract: "List the available stages with what they require, produce and accept as configuration.")

    @Flag(name: .long, help: "Print JSON.")
    var json = false

    func run() throws {
        let registry = ClinPipeCommand.registry
        let defaults = Set(PipelineConfiguration.defaultPipeline.stages.map(\.stage))
        if json {
            let value = JSONValue.array(registry.entries.map { entry in
                .object([
                    ("name", .string(entry.descriptor.name)),
                    ("version", .string(entry.descriptor.version)),
                    ("summary", .string(entry.descriptor.summary)),
                    ("requires", .array(entry.descriptor.requires.map { .string($0) })),
                    ("produces", .array(entry.descriptor.produces.map { .string($0) })),
                    ("default", .bool(defaults.contains(entry.descriptor.name))),
                    ("config", entry.defaultConfiguration),
                ])
            })
            print(value.serialized(pretty: true))
            return
        }
        for entry in registry.entries {
            let d = entry.descriptor
            print("\(d.name) (v\(d.version))\(defaults.contains(d.name) ? " [default pipeline]" : "")")
            print("  \(d.summary)")
            print("  requires: \(d.requires.isEmpty ? "-" : d.requires.joined(separator: ", "))")
            print("  produces: \(d.produces.isEmpty ? "(from its data files)" : d.produces.joined(separator: ", "))")
            print("  config:   \(entry.defaultConfiguration.serialized())")
        }
    }
}

/// `clinpipe config dump`
struct ConfigCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "config",
        abstract: "Pipeline configuration tools.",
        subcommands: [Dump.self])

    struct Dump: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "dump",
            abstract: "Print the effective pipeline configuration with every default filled in.")

        @OptionGroup var pipelineOptions: PipelineOptions

        func run() throws {
            do {
                let pipeline = try pipelineOptions.makePipeline(registry: ClinPipeCommand.registry)
                print(pipeline.effectiveConfiguration.serialized(pretty: true))
            } catch {
                fail("invalid pipeline: \(error)")
            }
        }
    }
}

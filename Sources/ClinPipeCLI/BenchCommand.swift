import ArgumentParser
import ClinPipeBench
import ClinPipeCore
import ClinPipeIO
import Foundation

/// `clinpipe bench INPUT`: throughput, time per stage, peak memory and start-up of the configured pipeline.
struct BenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Measure the pipeline's throughput, time per stage, peak memory and start-up on a corpus.",
        discussion: """
            Runs the configured pipeline over INPUT as 'clinpipe run' would (streaming, bounded memory), with \
            output encoded as JSONL and written to /dev/null (--no-encode to leave encoding out), once per value \
            of --jobs ('--jobs 1,2' compares one and two workers). Reports documents/s and MB/s of input text, \
            each stage's share of processor time and its MB per processor-second (from the workers' thread \
            CPU clocks, so other work on the machine does not inflate them), peak resident memory (VmHWM) per \
            run, the pipeline build time, and the machine with its load average (warning when other work is running). \
            Generate a corpus with 'clinpipe corpus synth'. Prints no document text.
            """)

    @Argument(help: "Inputs, as for 'run' (folders, .jsonl, .csv or .txt files).")
    var inputs: [String]

    @OptionGroup var pipelineOptions: PipelineOptions

    @Option(name: .long, help: ArgumentHelp("Worker counts to measure, comma-separated (default: 1 and the active cores).", valueName: "N[,N...]"))
    var jobs: String?

    @Flag(name: .long, help: "Print JSON.")
    var json = false

    @Flag(name: .long, help: "Do not encode output (time reading and stages only).")
    var noEncode = false

    @Option(name: .long, help: "Runs per worker count; the fastest is reported.")
    var repeats: Int = 1

    @Option(name: .long, help: "Documents a worker runs through the pipeline stage by stage (default 4; at most half a worker's share of the in-flight window).")
    var batch: Int = 4

    func run() throws {
        let startup = ProcessMemory.millisecondsSinceProcessStart()
        let machine = MachineInfo.current()
        let jobCounts: [Int]
        if let jobs {
            jobCounts = jobs.split(separator: ",").compactMap { Int($0.trimmingCharacters(in: .whitespaces)) }
            if jobCounts.isEmpty || jobCounts.contains(where: { $0 < 1 }) { fail("--jobs takes positive numbers, e.g. 1,2") }
        } else {
            jobCounts = machine.activeProcessors > 1 ? [1, machine.activeProcessors] : [1]
        }
        let buildStart = DispatchTime.now().uptimeNanoseconds
        let pipeline: Pipeline
        do { pipeline = try pipelineOptions.makePipeline(registry: ClinPipeCommand.registry) } catch {
            fail("invalid pipeline: \(error)")
        }
        let buildMilliseconds = Double(DispatchTime.now().uptimeNanoseconds - buildStart) / 1e6
        if !json, let warning = machine.loadWarning {
            FileHandle.standardError.write(Data("clinpipe bench: warning: \(warning)\n".utf8))
        }
        var measurements: [BenchMeasurement] = []
        for count in jobCounts {
            var best: BenchMeasurement?
            for _ in 0..<max(1, repeats) {
                let measurement: BenchMeasurement
                do {
                    measurement = try BenchMeasurement.run(pipeline: pipeline, makeSource: {
                        ConcatenatedSource(try inputs.map { try SourceOptions().openSource($0) })
                    }, jobs: count, encode: !noEncode, batch: batch)
                } catch {
                    fail("\(error)", code: 1)
                }
                if best == nil || measurement.seconds < best!.seconds { best = measurement }
            }
            measurements.append(best!)
        }
        let report = BenchReport(machine: machine, inputs: inputs, pipeline: pipeline.steps.map(\.name),
                                 startupMilliseconds: startup, pipelineBuildMilliseconds: buildMilliseconds,
                                 measurements: measurements)
        print(json ? report.json().serialized(pretty: true) : report.text())
    }
}

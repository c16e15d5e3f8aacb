import ClinPipeCore
import Foundation

/// Everything `clinpipe bench` reports: the machine, start-up figures and one measurement per `--jobs` value.
public struct BenchReport: Sendable {
    public var machine: MachineInfo
    public var inputs: [String]
    public var pipeline: [String]
    /// Milliseconds from process start to the start of the bench command (process start-up and argument parsing).
    public var startupMilliseconds: Double?
    /// Milliseconds to build (construct and validate) the pipeline: compiling patterns, loading lexicons.
    public var pipelineBuildMilliseconds: Double
    public var measurements: [BenchMeasurement]

    public init(machine: MachineInfo, inputs: [String], pipeline: [String], startupMilliseconds: Double?,
                pipelineBuildMilliseconds: Double, measurements: [BenchMeasurement])
    {
        self.machine = machine
        self.inputs = inputs
        self.pipeline = pipeline
        self.startupMilliseconds = startupMilliseconds
        self.pipelineBuildMilliseconds = pipelineBuildMilliseconds
        self.measurements = measurements
    }

    public func text() -> String {
        var lines: [String] = []
        var machineLine = "machine: \(machine.activeProcessors) of \(machine.processors) cores active"
        if let cpu = machine.cpuModel { machineLine += " (\(cpu))" }
        machineLine += String(format: ", %.1f GiB", Double(machine.physicalMemoryBytes) / 1_073_741_824)
        if let load = machine.loadAverage { machineLine += String(format: ", load average %.2f %.2f %.2f", load.0, load.1, load.2) }
        lines.append(machineLine)
        if let warning = machine.loadWarning { lines.append("WARNING: " + warning) }
        lines.append("pipeline: " + pipeline.joined(separator: ", "))
        var startup = String(format: "pipeline build: %.1f ms", pipelineBuildMilliseconds)
        if let ms = startupMilliseconds { startup += String(format: "; process start to bench start: %.0f ms (10 ms resolution)", ms) }
        lines.append(startup)
        for m in measurements {
            lines.append("")
            lines.append("jobs \(m.jobs): \(m.documents) documents (\(m.errors) errors), "
                + String(format: "%.1f MB in %.2f s: %.0f documents/s, %.2f MB/s", Double(m.textBytes) / 1e6, m.seconds,
                         m.documentsPerSecond, m.megabytesPerSecond)
                + (m.encoded ? " (JSONL output encoded, written to /dev/null)" : " (output not encoded)"))
            lines.append(String(format: "  processor time: %.2f s, %.2f MB per processor-second", m.cpuSeconds, m.megabytesPerCPUSecond))
            if let peak = m.peakResidentBytes {
                lines.append(String(format: "  peak resident memory: %.1f MB", Double(peak) / 1e6))
            }
            let processorTotal = Double(m.stageTotal + m.otherNanoseconds)
            for stage in m.stages {
                let share = processorTotal > 0 ? Double(stage.nanoseconds) / processorTotal * 100 : 0
                let rate = stage.nanoseconds > 0 ? Double(m.textBytes) / 1e6 / (Double(stage.nanoseconds) / 1e9) : 0
                lines.append("  " + pad(stage.name, 14) + String(format: "%5.1f %% of processor time, %8.1f MB per processor-second", share, rate))
            }
            let other = processorTotal > 0 ? Double(m.otherNanoseconds) / processorTotal * 100 : 0
            lines.append("  " + pad("(other)", 14) + String(format: "%5.1f %% reading, decoding, encoding", other))
        }
        if measurements.count > 1, let one = measurements.first(where: { $0.jobs == 1 }) {
            for m in measurements where m.jobs != 1 && one.megabytesPerSecond > 0 {
                lines.append("")
                lines.append(String(format: "speed-up with %d jobs: %.2f times one job", m.jobs, m.megabytesPerSecond / one.megabytesPerSecond))
            }
        }
        return lines.joined(separator: "\n")
    }

    public func json() -> JSONValue {
        var machineObject: [(String, JSONValue)] = [
            ("processors", .number(Double(machine.processors))),
            ("active_processors", .number(Double(machine.activeProcessors))),
            ("memory_bytes", .number(Double(machine.physicalMemoryBytes))),
        ]
        if let load = machine.loadAverage { machineObject.append(("load_average", .array([.number(load.0), .number(load.1), .number(load.2)]))) }
        if let cpu = machine.cpuModel { machineObject.append(("cpu", .string(cpu))) }
        if let warning = machine.loadWarning { machineObject.append(("warning", .string(warning))) }
        return .object([
            ("machine", .object(machineObject)),
            ("inputs", .array(inputs.map { .string($0) })),
            ("pipeline", .array(pipeline.map { .string($0) })),
            ("startup_ms", startupMilliseconds.map { .number($0) } ?? .null),
            ("pipeline_build_ms", .number(pipelineBuildMilliseconds)),
            ("runs", .array(measurements.map { m in
                .object([
                    ("jobs", .number(Double(m.jobs))), ("documents", .number(Double(m.documents))),
                    ("errors", .number(Double(m.errors))), ("text_bytes", .number(Double(m.textBytes))),
                    ("seconds", .number(m.seconds)), ("documents_per_second", .number(m.documentsPerSecond)),
                    ("megabytes_per_second", .number(m.megabytesPerSecond)),
                    ("peak_resident_bytes", m.peakResidentBytes.map { .number(Double($0)) } ?? .null),
                    ("output_encoded", .bool(m.encoded)),
                    ("cpu_seconds", .number(m.cpuSeconds)),
                    ("megabytes_per_cpu_second", .number(m.megabytesPerCPUSecond)),
                    ("stages", .array(m.stages.map { .object([("name", .string($0.name)), ("nanoseconds", .number(Double($0.nanoseconds)))]) })),
                    ("other_nanoseconds", .number(Double(m.otherNanoseconds))),
                ])
            })),
        ])
    }

    private func pad(_ text: String, _ width: Int) -> String {
        text.count >= width ? text + " " : text + String(repeating: " ", count: width - text.count)
    }
}

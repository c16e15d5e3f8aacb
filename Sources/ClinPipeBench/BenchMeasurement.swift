import ClinPipeCore
import ClinPipeIO
import ClinPipeRunner
import Foundation

/// One timed run of a pipeline over a corpus.
///
/// What is timed: the whole streaming run as `clinpipe run` does it: reading the input, decoding JSON or files,
/// every stage, and (unless `encode` is off) encoding each result as JSONL, written to `/dev/null`. Time per
/// stage is measured inside the workers (`RunOptions.timeStages`) and summed over them.
public struct BenchMeasurement: Sendable {
    public struct Stage: Sendable {
        public var name: String
        /// Processor nanoseconds spent in this stage (each worker thread's CPU clock), summed over all workers.
        public var nanoseconds: UInt64
    }

    public var jobs: Int
    public var documents: Int
    public var errors: Int
    /// UTF-8 bytes of document text processed.
    public var textBytes: Int
    /// Wall-clock seconds of the run.
    public var seconds: Double
    public var stages: [Stage]
    /// Peak resident memory during this run, in bytes (VmHWM, reset before the run when the kernel allows).
    public var peakResidentBytes: Int?
    public var encoded: Bool
    /// Processor seconds (user and system) the whole process used during the run (`getrusage`).
    public var cpuSeconds: Double

    /// Megabytes of text per processor second: the run's cost, less sensitive than MB/s to other work on the
    /// machine (waiting for a processor costs wall time, not processor time).
    public var megabytesPerCPUSecond: Double { cpuSeconds > 0 ? Double(textBytes) / 1e6 / cpuSeconds : 0 }

    public var documentsPerSecond: Double { seconds > 0 ? Double(documents) / seconds : 0 }
    /// Megabytes (10^6 bytes) of text per second.
    public var megabytesPerSecond: Double { seconds > 0 ? Double(textBytes) / 1e6 / seconds : 0 }
    /// Nanoseconds in all stages together.
    public var stageTotal: UInt64 { stages.reduce(0) { $0 + $1.nanoseconds } }
    /// Processor time of the run not spent in a stage: reading, decoding, encoding, locking, the main thread.
    public var otherNanoseconds: UInt64 {
        let processorTime = UInt64(cpuSeconds * 1e9)
        return processorTime > stageTotal ? processorTime - stageTotal : 0
    }

    /// Runs `pipeline` over a fresh source with `jobs` workers.
    /// - Parameters:
    ///   - makeSource: opens the input (called once; the corpus is read as it streams).
    ///   - encode: encode results as JSONL (written to /dev/null); off measures the stages and reading only.
    public static func run(pipeline: Pipeline, makeSource: () throws -> DocumentSource, jobs: Int,
                           encode: Bool = true, batch: Int = RunOptions().batch) throws -> BenchMeasurement
    {
        let source = try makeSource()
        let sink = try OutputSink(path: "/dev/null")
        let encoder: any RecordEncoder = encode ? JSONLEncoder(unit: .codepoint) : NullEncoder()
        let runner = Runner(pipeline: pipeline, encoder: encoder,
                            options: RunOptions(jobs: jobs, offsets: .codepoint, timeStages: true, batch: batch))
        let peakReset = ProcessMemory.resetPeak()
        let cpuBefore = processorSeconds()
        let summary = try runner.run(source: source, sink: sink)
        let cpu = processorSeconds() - cpuBefore
        let peak = ProcessMemory.peakResidentBytes()
        return BenchMeasurement(
            jobs: jobs, documents: summary.records, errors: summary.errors, textBytes: summary.textBytes,
            seconds: summary.seconds,
            stages: zip(pipeline.steps, summary.stageNanoseconds).map { Stage(name: $0.0.name, nanoseconds: $0.1) },
            peakResidentBytes: peakReset ? peak : peak, encoded: encode, cpuSeconds: cpu)
    }

    /// User plus system processor seconds of this process so far.
    static func processorSeconds() -> Double {
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        func seconds(_ t: timeval) -> Double { Double(t.tv_sec) + Double(t.tv_usec) / 1e6 }
        return seconds(usage.ru_utime) + seconds(usage.ru_stime)
    }
}

/// An encoder that writes nothing (to time the stages without output encoding).
public struct NullEncoder: RecordEncoder {
    public init() {}
    public var header: [UInt8] { [] }
    public func encode(_ result: DocumentResult) -> [UInt8] { [] }
}

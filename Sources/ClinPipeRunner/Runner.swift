import ClinPipeCore
import ClinPipeIO
import Foundation

/// Options of a run.
public struct RunOptions: Sendable {
    /// Worker threads (documents processed at once).
    public var jobs: Int
    /// At most this many documents are read but not yet written; bounds memory whatever the corpus size.
    public var window: Int
    /// The offset unit of input annotations (and of the encoder's output).
    public var offsets: OffsetUnit
    /// Measure the time spent in each stage.
    public var timeStages: Bool
    /// Documents a worker takes at once and runs through the pipeline stage by stage (so that each stage's tables
    /// stay in cache over the batch). At most half of `window / jobs`, so that workers never wait for each other's
    /// whole batch to be written; 1 processes document by document.
    public var batch: Int

    public init(jobs: Int = RunOptions.activeCores, window: Int? = nil, offsets: OffsetUnit = .codepoint,
                timeStages: Bool = false, batch: Int = 4)
    {
        self.jobs = max(1, jobs)
        self.window = max(self.jobs, window ?? self.jobs * 8)
        self.offsets = offsets
        self.timeStages = timeStages
        self.batch = min(max(1, batch), max(1, self.window / (2 * self.jobs)))
    }

    /// The number of active processor cores.
    public static var activeCores: Int { max(1, ProcessInfo.processInfo.activeProcessorCount) }
}

/// Counters of a run, also reported while it goes on.
public struct RunSummary: Sendable {
    /// Records written (documents and error records).
    public var records = 0
    /// Records that are error records.
    public var errors = 0
    /// UTF-8 bytes of document text processed.
    public var textBytes = 0
    /// Wall-clock seconds since the run started.
    public var seconds = 0.0
    /// Nanoseconds spent in each pipeline stage, summed over workers (when `timeStages` is on).
    public var stageNanoseconds: [UInt64] = []
}

/// Streams records from a source through a pipeline into a sink with bounded concurrency.
///
/// - Every record read yields exactly one output record, in input order.
/// - `jobs` worker threads each take the next records (up to `batch` at once), run them through the pipeline
///   stage by stage, encode them, and hand the bytes to an ordered buffer; whichever worker completes the next
///   record in order writes it. At most `window` records are in flight, so memory stays flat over any number of
///   documents.
/// - A failed record (unreadable, malformed, a stage error) becomes an error record; the run goes on. Only a
///   failure of the source as a whole or of the output throws.
public final class Runner: @unchecked Sendable {
    public let pipeline: Pipeline
    public let encoder: any RecordEncoder
    public let options: RunOptions

    public init(pipeline: Pipeline, encoder: any RecordEncoder, options: RunOptions = RunOptions()) {
        self.pipeline = pipeline
        self.encoder = encoder
        self.options = options
    }

    /// Processes one record into its result (no I/O). Safe from any thread.
    public func process(_ record: SourceRecord, nanoseconds: inout [UInt64]) -> DocumentResult {
        process(batch: [record], nanoseconds: &nanoseconds)[0]
    }

    /// Processes records into their results, in order (no I/O): each record is read into a document, then the
    /// documents go through the pipeline stage by stage. A record that cannot be read, or whose stage fails,
    /// becomes an error result. Stage times are added to `nanoseconds` when `timeStages` is on.
    func process(batch records: [SourceRecord], nanoseconds: inout [UInt64],
                 density: AnnotationDensity = AnnotationDensity()) -> [DocumentResult] {
        var results = [DocumentResult?](repeating: nil, count: records.count)
        var ids = [String](repeating: "", count: records.count)
        var documents: [Document] = []
        var documentSlots: [Int] = []
        for (slot, record) in records.enumerated() {
            let record = record.resolved()
            ids[slot] = record.id
            switch record.content {
            case .failure(let error):
                results[slot] = .error(id: record.id, message: error.message)
            case .success(let input):
                do {
                    var document = try input.makeDocument(unit: options.offsets)
                    document.reserveAnnotations(density.expectedAnnotations(textBytes: document.utf8Count))
                    documents.append(document)
                    documentSlots.append(slot)
                } catch let error as RecordError {
                    results[slot] = .error(id: record.id, message: error.message)
                } catch {
                    results[slot] = .error(id: record.id, message: String(describing: error))
                }
            }
        }
        let failures = options.timeStages
            ? pipeline.process(batch: &documents, nanoseconds: &nanoseconds)
            : pipeline.process(batch: &documents)
        for (position, slot) in documentSlots.enumerated() {
            if let failure = failures[position] {
                results[slot] = .error(id: ids[slot], message: String(describing: failure))
            } else {
                results[slot] = .document(documents[position])
            }
        }
        return results.map { $0! }
    }

    /// Runs the whole source into `sink`, encoded with the runner's encoder.
    /// - Parameter progress: called (under the output lock, so keep it short) about twice a second.
    /// - Throws: `SourceError` or `SinkError`; records already written stay written.
    @discardableResult
    public func run(source: DocumentSource, sink: OutputSink,
                    progress: (@Sendable (RunSummary) -> Void)? = nil) throws -> RunSummary
    {
        try run(source: source, writer: EncodedResultWriter(encoder: encoder, sink: sink), progress: progress)
    }

    /// Runs the whole source into `writer` (JSONL, CSV, SQLite, brat, ...).
    @discardableResult
    public func run(source: DocumentSource, writer: any ResultWriter,
                    progress: (@Sendable (RunSummary) -> Void)? = nil) throws -> RunSummary
    {
        let state = RunState(source: source, writer: writer, window: options.window,
                             stageCount: pipeline.steps.count, progress: progress)
        let group = DispatchGroup()
        for _ in 0..<options.jobs {
            group.enter()
            let thread = Thread { [self] in
                self.work(state)
                group.leave()
            }
            thread.stackSize = 16 << 20
            thread.start()
        }
        group.wait()
        return try state.finish()
    }

    private func work(_ state: RunState) {
        var nanoseconds = [UInt64](repeating: 0, count: pipeline.steps.count)
        var density = AnnotationDensity()
        while let first = state.take() {
            // A batch: the first record (waiting for room in the window if need be), then as many more as there are
            // without waiting.
            var taken = [first]
            while taken.count < options.batch, let next = state.take(waiting: false) { taken.append(next) }
            let results = process(batch: taken.map(\.1), nanoseconds: &nanoseconds, density: density)
            density.learn(from: results)
            for (slot, (index, _)) in taken.enumerated() {
                let result = results[slot]
                var textBytes = 0
                if case .document(let document) = result { textBytes = document.utf8Count }
                var isError = false
                if case .error = result { isError = true }
                state.deliver(index: index, prepared: state.writer.prepare(result), isError: isError, textBytes: textBytes)
            }
        }
        state.addStageTimes(nanoseconds)
    }
}

/// The shared state of one run, guarded by two locks: one for reading the source, one for ordered output.
private final class RunState: @unchecked Sendable {
    private let source: DocumentSource
    let writer: any ResultWriter
    private let window: Int
    private let progress: (@Sendable (RunSummary) -> Void)?

    private let sourceLock = NSLock()
    private var nextIndex = 0
    private var sourceFinished = false

    private let output = NSCondition()
    private var inFlight = 0
    private var nextToWrite = 0
    private var pending: [Int: (prepared: PreparedResult, isError: Bool, textBytes: Int)] = [:]
    private var failure: Error?
    private var summary = RunSummary()
    private let start = DispatchTime.now().uptimeNanoseconds
    private var lastProgress: UInt64 = 0

    init(source: DocumentSource, writer: any ResultWriter, window: Int, stageCount: Int,
         progress: (@Sendable (RunSummary) -> Void)?)
    {
        self.source = source
        self.writer = writer
        self.window = window
        self.progress = progress
        summary.stageNanoseconds = Array(repeating: 0, count: stageCount)
    }

    /// The next record and its position, or nil when the source is exhausted or the run failed (or, when not
    /// `waiting`, when the window is full).
    func take(waiting: Bool = true) -> (Int, SourceRecord)? {
        output.lock()
        if !waiting && inFlight >= window {
            output.unlock()
            return nil
        }
        while inFlight >= window && failure == nil { output.wait() }
        if failure != nil || sourceFinished {
            output.unlock()
            return nil
        }
        inFlight += 1
        output.unlock()

        sourceLock.lock()
        var taken: (Int, SourceRecord)?
        var error: Error?
        if !sourceFinished {
            do {
                if let record = try source.next() {
                    taken = (nextIndex, record)
                    nextIndex += 1
                } else {
                    sourceFinished = true
                }
            } catch let thrown {
                error = thrown
                sourceFinished = true
            }
        }
        sourceLock.unlock()

        if taken == nil {
            output.lock()
            inFlight -= 1
            if let error, failure == nil { failure = error }
            output.broadcast()
            output.unlock()
        }
        return taken
    }

    /// Hands over the prepared result of record `index`; writes every record that is now next in order.
    func deliver(index: Int, prepared: PreparedResult, isError: Bool, textBytes: Int) {
        output.lock()
        defer { output.unlock() }
        pending[index] = (prepared, isError, textBytes)
        guard failure == nil else { return }
        while let next = pending.removeValue(forKey: nextToWrite) {
            do { try writer.write(next.prepared) } catch {
                failure = error
                output.broadcast()
                return
            }
            nextToWrite += 1
            inFlight -= 1
            summary.records += 1
            summary.textBytes += next.textBytes
            if next.isError { summary.errors += 1 }
        }
        output.broadcast()
        if let progress {
            let now = DispatchTime.now().uptimeNanoseconds
            if now - lastProgress > 500_000_000 {
                lastProgress = now
                var current = summary
                current.seconds = Double(now - start) / 1e9
                progress(current)
            }
        }
    }

    func addStageTimes(_ nanoseconds: [UInt64]) {
        output.lock()
        for (index, value) in nanoseconds.enumerated() where index < summary.stageNanoseconds.count {
            summary.stageNanoseconds[index] &+= value
        }
        output.unlock()
    }

    func finish() throws -> RunSummary {
        output.lock()
        defer { output.unlock() }
        if let failure {
            // Records written before a source failure stay written: finish the output before reporting it.
            if !(failure is SinkError) { try? writer.finish() }
            throw failure
        }
        try writer.finish()
        summary.seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        return summary
    }
}

import ClinPipeCore
import ClinPipeIO
import ClinPipeRunner
import Foundation
import Synchronization
import Testing

/// A stage for runner tests: annotates the first word, throws on documents containing "FAIL", and sleeps a
/// little on some documents so that workers finish out of order.
struct ProbeStage: Stage {
    struct Configuration: StageConfiguration {
        var failOn: String = "FAIL"
        /// Documents whose id hashes to 0 modulo this sleep (0: never).
        var slowEvery: Int = 0
        var sleepMicroseconds: Int = 0
        /// Annotate the whole text instead of the first word (makes each output record as large as its text).
        var wholeText: Bool = false
        init() {}
    }

    static let descriptor = StageDescriptor(name: "probe", summary: "test stage", produces: ["word"])

    let configuration: Configuration

    init(configuration: Configuration, environment: StageEnvironment) throws { self.configuration = configuration }

    struct Failure: Error, CustomStringConvertible {
        var description: String { "probe failed on purpose" }
    }

    func process(_ document: inout Document) throws {
        if document.text.contains(configuration.failOn) { throw Failure() }
        if configuration.slowEvery > 0 {
            let hash = document.id.utf8.reduce(0) { ($0 &* 31 &+ Int($1)) & 0xFFFF }
            if hash % configuration.slowEvery == 0 { usleep(UInt32(configuration.sleepMicroseconds)) }
        }
        if configuration.wholeText {
            try document.addAnnotation(type: "text", range: 0..<document.utf8Count, provenance: Provenance(stage: "probe"))
        }
        let end = document.text.utf8.firstIndex(of: 0x20).map { document.text.utf8.distance(from: document.text.utf8.startIndex, to: $0) }
            ?? document.utf8Count
        try document.addAnnotation(type: "word", range: 0..<end, provenance: Provenance(stage: "probe"))
    }
}

/// A source that makes `count` documents on demand, so that a long stream costs no memory up front, and checks
/// on every read that at most `window` records have been read but not yet written (when given a way to count
/// written records).
final class GeneratedSource: DocumentSource, @unchecked Sendable {
    let count: Int
    let text: (Int) -> String
    var produced = 0
    let writtenCount: (() -> Int)?
    let window: Int
    var worstBacklog = 0
    var peakResidentBytes = 0

    init(count: Int, window: Int = .max, writtenCount: (() -> Int)? = nil, text: @escaping (Int) -> String) {
        self.count = count
        self.text = text
        self.window = window
        self.writtenCount = writtenCount
    }

    func next() throws -> SourceRecord? {
        guard produced < count else { return nil }
        if let writtenCount {
            // Records read so far, this one included, minus records already written.
            worstBacklog = max(worstBacklog, produced + 1 - writtenCount())
        }
        if produced % 5_000 == 0 { peakResidentBytes = max(peakResidentBytes, residentBytes()) }
        let id = "doc-\(produced)"
        produced += 1
        return SourceRecord(id: id, content: .success(InputDocument(id: id, text: text(produced - 1))))
    }
}

/// Resident memory of this process (`/proc/self/statm`), in bytes.
func residentBytes() -> Int {
    guard let statm = try? String(contentsOfFile: "/proc/self/statm", encoding: .utf8) else { return 0 }
    let fields = statm.split(separator: " ")
    guard fields.count > 1, let pages = Int(fields[1]) else { return 0 }
    return pages * Int(sysconf(Int32(_SC_PAGESIZE)))
}

/// Writes a fixed 16 bytes per record, so that a file's size counts the records written.
struct FixedSizeEncoder: RecordEncoder {
    var header: [UInt8] { [] }
    func encode(_ result: DocumentResult) -> [UInt8] {
        var line = Array(result.id.utf8.prefix(15))
        line += [UInt8](repeating: 0x20, count: 15 - line.count)
        line.append(0x0A)
        return line
    }
}

@Suite("Runner", .serialized)
struct RunnerTests {
    static func pipeline(_ config: JSONValue? = nil) throws -> Pipeline {
        try Pipeline(configuration: PipelineConfiguration(stages: [.init(stage: "probe", config: config)]),
                     registry: StageRegistry().registering(ProbeStage.self))
    }

    static func temporaryFile() -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("clinpipe-runner-\(UUID().uuidString)").path
    }

    struct Line: Decodable {
        struct Annotation: Decodable { var type: String; var begin: Int; var end: Int; var text: String }
        var id: String
        var error: String?
        var annotations: [Annotation]?
    }

    /// `count` records: good documents, unreadable records, documents the stage fails on, documents whose input
    /// annotations are invalid, and non-ASCII documents with valid input annotations.
    static func mixedRecords(_ count: Int) -> (records: [SourceRecord], expectedErrors: [Bool]) {
        var records: [SourceRecord] = []
        var errors: [Bool] = []
        for index in 0..<count {
            let id = "r\(index)"
            switch index % 7 {
            case 1:
                records.append(.failure(id: id, "malformed JSON line"))
                errors.append(true)
            case 3:
                records.append(SourceRecord(id: id, content: .success(InputDocument(id: id, text: "will FAIL here \(index)"))))
                errors.append(true)
            case 5:
                let input = InputDocument(id: id, text: "short", annotations: [InputAnnotation(type: "given", begin: 2, end: 99)])
                records.append(SourceRecord(id: id, content: .success(input)))
                errors.append(true)
            case 6:
                let input = InputDocument(id: id, text: "Café😀 pain \(index)", annotations: [InputAnnotation(type: "given", begin: 6, end: 10)])
                records.append(SourceRecord(id: id, content: .success(input)))
                errors.append(false)
            default:
                records.append(SourceRecord(id: id, content: .success(InputDocument(id: id, text: "Document \(index) is fine."))))
                errors.append(false)
            }
        }
        return (records, errors)
    }

    @Test("N records in, N out, in input order, for mixed good and bad input",
          arguments: [1, 2, 4], [nil, 1, 3, 16] as [Int?])
    func orderAndCount(jobs: Int, window: Int?) throws {
        let (records, expectedErrors) = Self.mixedRecords(400)
        let pipeline = try Self.pipeline(.object([("slowEvery", .number(5)), ("sleepMicroseconds", .number(300))]))
        let options = RunOptions(jobs: jobs, window: window, offsets: .codepoint)
        let path = Self.temporaryFile()
        defer { try? FileManager.default.removeItem(atPath: path) }
        let summary = try Runner(pipeline: pipeline, encoder: JSONLEncoder(unit: .codepoint), options: options)
            .run(source: ArraySource(records), sink: try OutputSink(path: path))
        let lines = try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n", omittingEmptySubsequences: false).dropLast()
        #expect(lines.count == records.count)
        let decoded = try lines.map { try JSONDecoder().decode(Line.self, from: Data($0.utf8)) }
        #expect(decoded.map(\.id) == records.map(\.id))
        #expect(decoded.map { $0.error != nil } == expectedErrors)
        #expect(summary.records == records.count)
        #expect(summary.errors == expectedErrors.filter { $0 }.count)
        for (line, record) in zip(decoded, records) {
            if let error = line.error {
                #expect(!error.isEmpty && line.annotations == nil)
                if record.document?.text.contains("FAIL") == true {
                    #expect(error == "stage 'probe': probe failed on purpose")
                }
                if record.document?.annotations.isEmpty == false {
                    #expect(error.contains("not a valid codepoint span"))
                }
            } else {
                let annotations = try #require(line.annotations)
                let words = annotations.filter { $0.type == "word" }
                #expect(words.count == 1)
                if let given = annotations.first(where: { $0.type == "given" }) {
                    // The input annotation comes back with its own offsets and text.
                    #expect(given.begin == 6 && given.end == 10 && given.text == "pain")
                }
            }
        }
    }

    @Test("batches of any size write the same bytes as document-by-document processing", arguments: [1, 2])
    func batchesChangeNothing(jobs: Int) throws {
        let (records, _) = Self.mixedRecords(300)
        let pipeline = try Self.pipeline(.object([("slowEvery", .number(7)), ("sleepMicroseconds", .number(200))]))
        var outputs: [Data] = []
        for batch in [1, 3, 8] {
            let path = Self.temporaryFile()
            defer { try? FileManager.default.removeItem(atPath: path) }
            let options = RunOptions(jobs: jobs, window: 32, offsets: .codepoint, batch: batch)
            #expect(options.batch == batch)
            try Runner(pipeline: pipeline, encoder: JSONLEncoder(unit: .codepoint), options: options)
                .run(source: ArraySource(records), sink: try OutputSink(path: path))
            outputs.append(try Data(contentsOf: URL(fileURLWithPath: path)))
        }
        #expect(outputs[0] == outputs[1])
        #expect(outputs[0] == outputs[2])
        #expect(RunOptions(jobs: 2, window: 4, batch: 8).batch == 1)
        #expect(RunOptions(jobs: 2, window: 16, batch: 8).batch == 4)
    }

    @Test("CSV output: header once, then rows in input order")
    func csvOutput() throws {
        let (records, _) = Self.mixedRecords(50)
        let path = Self.temporaryFile()
        defer { try? FileManager.default.removeItem(atPath: path) }
        try Runner(pipeline: try Self.pipeline(), encoder: CSVEncoder(unit: .utf16), options: RunOptions(jobs: 3, window: 4))
            .run(source: ArraySource(records), sink: try OutputSink(path: path))
        let rows = try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n").map(String.init)
        #expect(rows.first == CSVEncoder.columns.joined(separator: ","))
        let ids = rows.dropFirst().map { String($0.prefix { $0 != "," }) }
        // Each document appears in order; a document may have several rows (here: the input annotation too).
        var seen: [String] = []
        for id in ids where seen.last != id { seen.append(id) }
        #expect(seen == records.map(\.id))
    }

    @Test("an empty source writes nothing and succeeds")
    func emptySource() throws {
        let path = Self.temporaryFile()
        defer { try? FileManager.default.removeItem(atPath: path) }
        let summary = try Runner(pipeline: try Self.pipeline(), encoder: JSONLEncoder(unit: .codepoint))
            .run(source: ArraySource([]), sink: try OutputSink(path: path))
        #expect(summary.records == 0)
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)).isEmpty)
    }

    @Test("a source that fails stops the run with its error; what was written is an ordered prefix",
          .timeLimit(.minutes(1)))
    func sourceFailure() throws {
        final class FailingSource: DocumentSource {
            var index = 0
            func next() throws -> SourceRecord? {
                index += 1
                if index > 100 { throw SourceError.readFailed("disk gone") }
                return SourceRecord(id: "f\(index)", content: .success(InputDocument(id: "f\(index)", text: "text \(index)")))
            }
        }
        let path = Self.temporaryFile()
        defer { try? FileManager.default.removeItem(atPath: path) }
        #expect(throws: SourceError.self) {
            try Runner(pipeline: try Self.pipeline(), encoder: JSONLEncoder(unit: .codepoint), options: RunOptions(jobs: 4, window: 8))
                .run(source: FailingSource(), sink: try OutputSink(path: path))
        }
        let ids = try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n")
            .map { try JSONDecoder().decode(Line.self, from: Data($0.utf8)).id }
        #expect(!ids.isEmpty, "records processed before the failure are written")
        #expect(ids == (0..<ids.count).map { "f\($0 + 1)" })
    }

    @Test("an output that fails stops the run with its error instead of hanging", .timeLimit(.minutes(1)))
    func sinkFailure() throws {
        let fd = open("/dev/full", O_WRONLY)
        try #require(fd >= 0, "/dev/full is needed for this test")
        let sink = OutputSink(descriptor: fd, ownsDescriptor: true, capacity: 64)
        let source = GeneratedSource(count: 10_000) { "document number \($0)" }
        #expect(throws: SinkError.self) {
            try Runner(pipeline: try Self.pipeline(), encoder: JSONLEncoder(unit: .codepoint), options: RunOptions(jobs: 4, window: 8))
                .run(source: source, sink: sink)
        }
        #expect(source.produced < 10_000, "the run should stop reading soon after the output fails")
    }

    @Test("at most `window` records are read but not yet written", arguments: [(1, 1), (2, 2), (4, 4), (4, 12)])
    func windowBound(jobs: Int, window: Int) throws {
        let path = Self.temporaryFile()
        defer { try? FileManager.default.removeItem(atPath: path) }
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        try #require(fd >= 0)
        // Capacity 1: every record goes to the file as soon as the runner writes it, so the file's size counts them.
        let sink = OutputSink(descriptor: fd, ownsDescriptor: true, capacity: 1)
        let source = GeneratedSource(count: 3_000, window: window, writtenCount: {
            var info = stat()
            return stat(path, &info) == 0 ? Int(info.st_size) / 16 : 0
        }) { "document \($0) text" }
        let pipeline = try Self.pipeline(.object([("slowEvery", .number(40)), ("sleepMicroseconds", .number(2_000))]))
        let summary = try Runner(pipeline: pipeline, encoder: FixedSizeEncoder(), options: RunOptions(jobs: jobs, window: window))
            .run(source: source, sink: sink)
        #expect(summary.records == 3_000)
        #expect(source.worstBacklog <= window, "up to \(source.worstBacklog) records were pending with a window of \(window)")
        // With a slow document now and then, the backlog does fill the window when there is more than one job.
        if jobs > 1 { #expect(source.worstBacklog == window) }
        let size = (try FileManager.default.attributesOfItem(atPath: path)[.size] as? NSNumber)?.intValue
        #expect(size == 3_000 * 16)
    }

    @Test("memory stays flat over a long stream of documents", .timeLimit(.minutes(10)))
    func flatMemory() throws {
        // 200,000 documents of about 600 bytes, every text its own allocation, each output record as large (the
        // whole text is annotated): keeping the documents, or their output, would grow resident memory by
        // about 250 MB.
        let filler = String(repeating: "Lumbar pain radiating to the left leg. ", count: 15)
        func text(_ index: Int) -> String { "Note \(index) " + filler + String(index) }
        let pipeline = try Self.pipeline(.object([("wholeText", .bool(true))]))
        let runner = Runner(pipeline: pipeline, encoder: JSONLEncoder(unit: .codepoint), options: RunOptions(jobs: 2, window: 16))
        // Warm up allocator and thread caches.
        try runner.run(source: GeneratedSource(count: 5_000, text: text), sink: try OutputSink(path: "/dev/null"))
        let before = residentBytes()
        try #require(before > 0, "/proc/self/statm is needed for this test")
        let source = GeneratedSource(count: 200_000, text: text)
        let summary = try runner.run(source: source, sink: try OutputSink(path: "/dev/null"))
        let after = residentBytes()
        #expect(summary.records == 200_000 && summary.errors == 0)
        #expect(summary.textBytes > 200_000 * 580)
        let growth = max(after, source.peakResidentBytes) - before
        #expect(growth < 100 << 20, "resident memory grew by \(growth >> 20) MB over 200,000 documents (\(summary.textBytes >> 20) MB of text)")
    }
}

extension SourceRecord {
    var document: InputDocument? { if case .success(let document) = content { document } else { nil } }
}

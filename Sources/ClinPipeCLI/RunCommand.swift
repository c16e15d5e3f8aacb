import ArgumentParser
import ClinPipeCore
import ClinPipeIO
import ClinPipeRunner
import ClinPipeSQLite
import Foundation

extension OffsetUnit: ExpressibleByArgument {}
extension OutputFormat: ExpressibleByArgument {}

/// `clinpipe run INPUT...`
struct RunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run the pipeline over documents and write one record per document.",
        discussion: """
            INPUT is a folder (every .txt file, recursively; the id is the path without extension), a .jsonl \
            file ({"id", "text", "annotations"} per line), a .csv file (--id-column, --text-column), any other \
            file as one document, or '-' for JSONL on standard input. Bad records become error records \
            ({"id", "error"}) and the run goes on; the exit status is non-zero only for fatal problems.
            """)

    @Argument(help: "Inputs: folders, .jsonl, .csv or .txt files, or '-' for standard input.")
    var inputs: [String]

    @OptionGroup var pipelineOptions: PipelineOptions

    @Option(name: .long, help: "Output format: jsonl, csv, sqlite (a file) or brat (a folder). Default: from --out's extension, else jsonl.")
    var format: OutputFormat?

    @Option(name: .long, help: ArgumentHelp("Output file (or folder for brat), or '-' for standard output.", valueName: "PATH"))
    var out: String = "-"

    @Option(name: .long, help: "Worker threads (default: active cores).")
    var jobs: Int = RunOptions.activeCores

    @Option(name: .long, help: "Offset unit of output and input annotations: codepoint, utf16 or utf8.")
    var offsets: OffsetUnit = .codepoint

    @Option(name: .long, help: "CSV input: the id column.")
    var idColumn: String = "id"

    @Option(name: .long, help: "CSV input: the text column.")
    var textColumn: String = "text"

    @Option(name: .long, help: "Documents larger than this many MiB become error records.")
    var maxDocumentMib: Int = 512

    @Flag(name: .long, help: "Folders: read .pdf files too, through poppler's pdftotext.")
    var pdf = false

    @Flag(name: .long, help: "No progress line, even on a terminal.")
    var quiet = false

    func validate() throws {
        if jobs < 1 { throw ValidationError("--jobs must be at least 1") }
        if maxDocumentMib < 1 { throw ValidationError("--max-document-mib must be at least 1") }
    }

    func run() throws {
        let pipeline: Pipeline
        do { pipeline = try pipelineOptions.makePipeline(registry: ClinPipeCommand.registry) } catch {
            fail("invalid pipeline: \(error)")
        }
        var sourceOptions = SourceOptions()
        sourceOptions.idColumn = idColumn
        sourceOptions.textColumn = textColumn
        sourceOptions.maximumDocumentBytes = maxDocumentMib << 20
        sourceOptions.readPDF = pdf
        let source: DocumentSource
        do { source = ConcatenatedSource(try inputs.map { try sourceOptions.openSource($0) }) } catch {
            fail("\(error)")
        }
        let writer: any ResultWriter
        do { writer = try makeWriter(pipeline: pipeline) } catch { fail("\(error)") }
        let runner = Runner(pipeline: pipeline, encoder: JSONLEncoder(unit: offsets), options: RunOptions(jobs: jobs, offsets: offsets))
        let showProgress = !quiet && isatty(2) != 0
        let progress: (@Sendable (RunSummary) -> Void)? = showProgress ? RunCommand.printProgress : nil
        do {
            let summary = try runner.run(source: source, writer: writer, progress: progress)
            if showProgress { RunCommand.printProgress(summary, final: true) }
        } catch {
            fail("\(error)", code: 1)
        }
    }

    /// The writer for the chosen format and destination.
    func makeWriter(pipeline: Pipeline) throws -> any ResultWriter {
        let chosen = format ?? (out == "-" ? .jsonl : OutputFormat.inferred(from: out) ?? .jsonl)
        switch chosen {
        case .jsonl, .csv:
            let sink = out == "-" ? OutputSink.standardOutput() : try OutputSink(path: out)
            return EncodedResultWriter(encoder: chosen.makeEncoder(offsets: offsets)!, sink: sink)
        case .sqlite:
            guard out != "-" else { throw ValidationError("--format sqlite needs --out FILE") }
            return try SQLiteResultWriter(path: out, unit: offsets, configuration: pipeline.effectiveConfiguration.serialized())
        case .brat:
            guard out != "-" else { throw ValidationError("--format brat needs --out FOLDER") }
            return try BratResultWriter(directory: out)
        }
    }

    /// The progress line on standard error: counts and throughput, never document content.
    @Sendable static func printProgress(_ summary: RunSummary) { printProgress(summary, final: false) }

    static func printProgress(_ summary: RunSummary, final: Bool) {
        let megabytes = Double(summary.textBytes) / 1e6
        let rate = summary.seconds > 0 ? megabytes / summary.seconds : 0
        let line = "\r\(summary.records) documents, \(summary.errors) errors, "
            + String(format: "%.1f MB in %.1f s, %.1f MB/s", megabytes, summary.seconds, rate) + (final ? "\n" : " ")
        FileHandle.standardError.write(Data(line.utf8))
    }
}

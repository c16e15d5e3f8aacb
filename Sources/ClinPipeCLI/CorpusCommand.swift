import ArgumentParser
import ClinPipeSynth
import Foundation

/// `clinpipe corpus synth`: deterministic synthetic IMR letters with their answer key.
struct CorpusCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "corpus",
        abstract: "Generate corpora for evaluation and benchmarks.",
        subcommands: [Synth.self])

    struct Synth: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "synth",
            abstract: "Write synthetic IMR letters with an answer key (deterministic for a seed).",
            discussion: """
                Writes letters in the 2014-15 and 2016-17 templates with the layout of PDF text extraction \
                (hard-wrapped lines with trailing spaces, doubled blank lines, one-space paragraph separators, \
                page breaks) and varied dates, drugs with doses, spinal levels and dermatomes, negated and \
                affirmed findings, and one to five disputed items (upheld, overturned, partial authorization). \
                --out FILE.jsonl writes {"id","text"} lines and the key to FILE.key.jsonl; --out DIR writes \
                DIR/<id>.txt and DIR/key.jsonl. Key offsets are Unicode code points. The same seed gives the \
                same bytes, whatever --jobs.
                """)

        @Option(name: .long, help: "Number of letters.")
        var letters: Int

        @Option(name: .long, help: "Seed (an unsigned 64-bit integer).")
        var seed: UInt64 = 1

        @Option(name: .long, help: ArgumentHelp("A .jsonl file, or a folder.", valueName: "DIR|FILE.jsonl"))
        var out: String

        @Flag(name: .long, help: "Do not write the answer key (for large benchmark corpora).")
        var noKey = false

        @Option(name: .long, help: "Threads generating letters (the output does not depend on it).")
        var jobs: Int = 1

        @Flag(name: .long, help: "No summary on standard error.")
        var quiet = false

        func validate() throws {
            if letters < 0 { throw ValidationError("--letters must not be negative") }
            if jobs < 1 { throw ValidationError("--jobs must be at least 1") }
        }

        func run() throws {
            let corpus = SynthCorpus(seed: seed)
            let destination = SynthCorpus.Destination(path: out)
            let start = DispatchTime.now().uptimeNanoseconds
            let summary: SynthCorpus.Summary
            do {
                summary = try corpus.write(count: letters, to: destination, writeKey: !noKey, jobs: jobs)
            } catch {
                fail("\(error)", code: 1)
            }
            guard !quiet else { return }
            let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
            var line = "\(summary.letters) letters, " + String(format: "%.1f MB of text in %.1f s", Double(summary.textBytes) / 1e6, seconds)
            if let key = summary.keyPath { line += "; key: \(key)" }
            FileHandle.standardError.write(Data((line + "\n").utf8))
        }
    }
}

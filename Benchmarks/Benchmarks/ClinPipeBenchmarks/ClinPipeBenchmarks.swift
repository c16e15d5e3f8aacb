// Throughput benchmarks of ClinPipe: one per registered stage (the stage alone, over letters already prepared by
// the stages before it in the default pipeline) and end to end (the default pipeline from raw text, and a whole
// streaming run with JSONL encoding to /dev/null), over a generated corpus of synthetic IMR letters.
//
// Each iteration processes the whole corpus once: text MB/s = corpus MB (in the benchmark's name) / wall clock.
// Environment: CLINPIPE_BENCH_LETTERS (default 100 letters, about 0.45 MB), CLINPIPE_BENCH_SEED (default 1),
// CLINPIPE_BENCH_SECONDS (longest time per benchmark, default 3).
import Benchmark
import ClinPipeIO
import ClinPipeRunner
import ClinPipeStages
import ClinPipeSynth
import Foundation

private func environmentInt(_ name: String, _ fallback: Int) -> Int {
    ProcessInfo.processInfo.environment[name].flatMap { Int($0) } ?? fallback
}

private let letterCount = environmentInt("CLINPIPE_BENCH_LETTERS", 100)
private let seed = UInt64(environmentInt("CLINPIPE_BENCH_SEED", 1))
private let seconds = environmentInt("CLINPIPE_BENCH_SECONDS", 3)

/// The corpus: generated once, deterministic for the seed.
private let corpus: [(id: String, text: String)] = (0..<letterCount).map {
    let letter = SynthCorpus(seed: seed).letter(at: $0)
    return (letter.id, letter.text)
}
private let corpusMegabytes = Double(corpus.reduce(0) { $0 + $1.text.utf8.count }) / 1e6
private let corpusLabel = String(format: "%d letters, %.2f MB", letterCount, corpusMegabytes)

let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(
        metrics: [.wallClock, .cpuTotal, .throughput, .mallocCountTotal, .peakMemoryResident],
        warmupIterations: 1,
        maxDuration: .seconds(seconds),
        maxIterations: 1000
    )
    let registry = StageRegistry.builtIn
    let defaultNames = PipelineConfiguration.defaultPipeline.stages.map(\.stage)

    // One benchmark per registered stage.
    for entry in registry.entries {
        let name = entry.descriptor.name
        // The stages before it: its predecessors in the default pipeline, or the whole default pipeline for a
        // stage that is not in it.
        let before = defaultNames.firstIndex(of: name).map { Array(defaultNames[..<$0]) } ?? defaultNames
        guard let prefix = try? Pipeline(configuration: PipelineConfiguration(stageNames: before), registry: registry),
              let full = try? Pipeline(configuration: PipelineConfiguration(stageNames: before + [name]), registry: registry),
              let stage = full.steps.last?.stage
        else {
            FileHandle.standardError.write(Data("skipping stage \(name): it cannot be built with its default configuration\n".utf8))
            continue
        }
        let prepared: [Document] = corpus.map { letter in
            var document = Document(id: letter.id, text: letter.text)
            try? prefix.process(&document)
            return document
        }
        Benchmark("stage \(name) (\(corpusLabel))") { benchmark in
            for document in prepared {
                var copy = document
                try? stage.process(&copy)
                blackHole(copy)
            }
        }
    }

    // End to end: the default pipeline over raw letters.
    if let pipeline = try? Pipeline(configuration: .defaultPipeline, registry: registry) {
        let names = pipeline.steps.map(\.name).joined(separator: "+")
        Benchmark("pipeline \(names) (\(corpusLabel))") { benchmark in
            for letter in corpus {
                var document = Document(id: letter.id, text: letter.text)
                try? pipeline.process(&document)
                blackHole(document)
            }
        }
        // A whole streaming run as `clinpipe run` does it, one worker, JSONL encoded and written to /dev/null.
        let inputs = corpus.map { InputDocument(id: $0.id, text: $0.text) }
        Benchmark("run \(names), 1 job, JSONL to /dev/null (\(corpusLabel))") { benchmark in
            let runner = Runner(pipeline: pipeline, encoder: JSONLEncoder(unit: .codepoint), options: RunOptions(jobs: 1))
            guard let sink = try? OutputSink(path: "/dev/null") else { return }
            let summary = try? runner.run(source: ArraySource(documents: inputs), sink: sink)
            blackHole(summary)
        }
    }
}

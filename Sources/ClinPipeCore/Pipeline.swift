import Foundation

/// An ordered list of constructed stages, validated so that every stage's requirements are produced earlier.
///
/// `process` is safe to call from many threads at once on different documents.
public struct Pipeline: Sendable {
    /// One constructed stage.
    public struct Step: Sendable {
        /// The stage's name in this pipeline.
        public let name: String
        public let descriptor: StageDescriptor
        public let stage: any Stage
        /// The effective configuration, defaults filled in.
        public let configuration: JSONValue
    }

    public let steps: [Step]

    /// Builds and validates a pipeline.
    /// - Parameter baseDirectory: relative paths in stage configurations resolve against it.
    /// - Throws: `PipelineError` with every problem found (unknown stages, bad configurations, unmet requirements).
    public init(configuration: PipelineConfiguration, registry: StageRegistry,
                baseDirectory: URL = URL(fileURLWithPath: FileManager.default.currentDirectoryPath)) throws
    {
        var problems: [String] = []
        var steps: [Step] = []
        var seenNames: Set<String> = []
        for spec in configuration.stages {
            let name = spec.name ?? spec.stage
            if !seenNames.insert(name).inserted {
                problems.append("stage name '\(name)' is used twice: give one of them a distinct \"name\"")
            }
            guard let entry = registry.entry(named: spec.stage) else {
                let suggestion = Self.closest(to: spec.stage, in: registry.names).map { " (did you mean '\($0)'?)" } ?? ""
                problems.append("unknown stage '\(spec.stage)'\(suggestion); known stages: \(registry.names.joined(separator: ", "))")
                continue
            }
            let environment = StageEnvironment(baseDirectory: baseDirectory, stageName: name)
            switch registry.makeStage(entry, configuration: spec.config, environment: environment) {
            case .success(let (stage, json)):
                steps.append(Step(name: name, descriptor: entry.descriptor, stage: stage, configuration: json))
            case .failure(let error):
                problems.append(contentsOf: error.problems)
            }
        }
        // Requirements: each must be produced by an earlier step.
        var produced: Set<String> = []
        for step in steps {
            for requirement in step.stage.requires where !produced.contains(requirement) {
                let providers = registry.entries.filter { $0.descriptor.produces.contains(requirement) }.map(\.descriptor.name)
                let hint = providers.isEmpty ? "" : " (add '\(providers.joined(separator: "' or '"))' before it)"
                problems.append("stage '\(step.name)' requires '\(requirement)', which no earlier stage produces\(hint)")
            }
            produced.formUnion(step.stage.produces)
        }
        if !problems.isEmpty { throw PipelineError(problems: problems) }
        self.steps = steps
    }

    /// The effective configuration: every stage with every default filled in.
    public var effectiveConfiguration: JSONValue {
        .object([
            ("version", .number(1)),
            ("stages", .array(steps.map { step in
                var pairs: [(String, JSONValue)] = [("stage", .string(step.descriptor.name))]
                if step.name != step.descriptor.name { pairs.append(("name", .string(step.name))) }
                pairs.append(("config", step.configuration))
                return .object(pairs)
            })),
        ])
    }

    /// Runs every stage on `document`.
    /// - Throws: `StageFailure` naming the stage that failed.
    public func process(_ document: inout Document) throws {
        for step in steps {
            do { try step.stage.process(&document) } catch { throw StageFailure(stage: step.name, underlying: error) }
        }
    }

    /// Runs every stage on `document`, adding the processor nanoseconds the calling thread spent in stage `i` to
    /// `nanoseconds[i]` (the thread's CPU clock, so waiting for a processor on a busy machine is not counted;
    /// reading the clock costs about a microsecond, so use this for benchmarks only).
    public func process(_ document: inout Document, nanoseconds: inout [UInt64]) throws {
        if nanoseconds.count < steps.count { nanoseconds += Array(repeating: 0, count: steps.count - nanoseconds.count) }
        for (index, step) in steps.enumerated() {
            let start = ThreadClock.nanoseconds()
            defer { nanoseconds[index] &+= ThreadClock.nanoseconds() &- start }
            do { try step.stage.process(&document) } catch { throw StageFailure(stage: step.name, underlying: error) }
        }
    }

    /// Runs every stage over a batch of documents, stage by stage: each stage's tables (tries, compiled patterns,
    /// ICU data) stay in the processor's caches for the whole batch instead of being evicted by the other stages
    /// between documents. The results are those of `process(_:)` on each document (stages keep no state between
    /// documents). A document whose stage fails is left out of the later stages and its failure is returned at its
    /// position; nil means success.
    public func process(batch documents: inout [Document]) -> [StageFailure?] {
        var unused: [UInt64] = []
        return process(batch: &documents, timing: false, nanoseconds: &unused)
    }

    /// `process(batch:)`, adding each stage's processor time on this thread to `nanoseconds[i]` (see
    /// `process(_:nanoseconds:)`).
    public func process(batch documents: inout [Document], nanoseconds: inout [UInt64]) -> [StageFailure?] {
        process(batch: &documents, timing: true, nanoseconds: &nanoseconds)
    }

    private func process(batch documents: inout [Document], timing: Bool, nanoseconds: inout [UInt64]) -> [StageFailure?] {
        var failures = [StageFailure?](repeating: nil, count: documents.count)
        if timing && nanoseconds.count < steps.count {
            nanoseconds += Array(repeating: 0, count: steps.count - nanoseconds.count)
        }
        // Reads each step's stage in place: copying a whole `Step` retains its name, descriptor and configuration
        // too, once per step and batch.
        for stepIndex in steps.indices {
            let start = timing ? ThreadClock.nanoseconds() : 0
            for index in documents.indices where failures[index] == nil {
                do { try steps[stepIndex].stage.process(&documents[index]) } catch {
                    failures[index] = StageFailure(stage: steps[stepIndex].name, underlying: error)
                }
            }
            if timing { nanoseconds[stepIndex] &+= ThreadClock.nanoseconds() &- start }
        }
        return failures
    }

    private static func closest(to name: String, in names: [String]) -> String? {
        func distance(_ a: String, _ b: String) -> Int {
            let a = Array(a), b = Array(b)
            var row = Array(0...b.count)
            for i in 1...max(a.count, 1) where !a.isEmpty {
                var previous = row[0]
                row[0] = i
                for j in 1...max(b.count, 1) where !b.isEmpty {
                    let current = row[j]
                    row[j] = min(row[j] + 1, row[j - 1] + 1, previous + (a[i - 1] == b[j - 1] ? 0 : 1))
                    previous = current
                }
            }
            return row[b.count]
        }
        return names.map { ($0, distance(name, $0)) }.filter { $0.1 <= 3 }.min { $0.1 < $1.1 }?.0
    }
}

/// A stage failed on one document. The message names the stage and never contains document text.
public struct StageFailure: Error, Sendable, CustomStringConvertible {
    public let stage: String
    public let underlying: any Error
    public var description: String { "stage '\(stage)': \(underlying)" }
}

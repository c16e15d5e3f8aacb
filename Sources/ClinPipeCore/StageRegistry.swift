import Foundation

/// The stages a pipeline can be built from, by name.
///
/// `StageRegistry.builtIn` (module `ClinPipeStages`) holds ClinPipe's own stages; another package adds its own
/// with one `register` call and hands the registry to `ClinPipeCommand` to get the whole command line.
public struct StageRegistry: Sendable {
    /// One registered stage: its descriptor, its default configuration, and how to build it.
    public struct Entry: Sendable {
        public let descriptor: StageDescriptor
        /// The stage's default configuration as JSON (every key with its default).
        public let defaultConfiguration: JSONValue
        fileprivate let make: @Sendable (JSONValue, StageEnvironment) throws -> any Stage
    }

    public private(set) var entries: [Entry] = []

    public init() {}

    /// Adds a stage type. A later registration with the same name replaces the earlier one.
    public mutating func register<S: Stage>(_ stage: S.Type) {
        let defaults = Self.encode(S.Configuration())
        let entry = Entry(descriptor: S.descriptor, defaultConfiguration: defaults) { json, environment in
            let data = try JSONEncoder().encode(json)
            let configuration = try JSONDecoder().decode(S.Configuration.self, from: data)
            return try S(configuration: configuration, environment: environment)
        }
        if let index = entries.firstIndex(where: { $0.descriptor.name == S.descriptor.name }) {
            entries[index] = entry
        } else {
            entries.append(entry)
        }
    }

    /// A copy with `stage` registered.
    public func registering<S: Stage>(_ stage: S.Type) -> StageRegistry {
        var copy = self
        copy.register(stage)
        return copy
    }

    /// The entry for a stage name.
    public func entry(named name: String) -> Entry? { entries.first { $0.descriptor.name == name } }

    /// Registered stage names in registration order.
    public var names: [String] { entries.map(\.descriptor.name) }

    /// Builds one stage from a configuration given in a pipeline file (missing keys take their defaults).
    /// - Returns: the stage and the effective configuration, or the list of problems found.
    func makeStage(_ entry: Entry, configuration given: JSONValue?, environment: StageEnvironment)
        -> Result<(any Stage, JSONValue), PipelineError>
    {
        let label = environment.stageName == entry.descriptor.name
            ? "stage '\(entry.descriptor.name)'" : "stage '\(environment.stageName)' (\(entry.descriptor.name))"
        var effective = entry.defaultConfiguration.objectPairs ?? []
        var problems: [String] = []
        switch given {
        case nil, .null?: break
        case .object(let pairs)?:
            let known = Set(effective.map(\.0))
            for (key, value) in pairs {
                if !known.contains(key) {
                    let hint = known.isEmpty ? "it takes no configuration" : "known keys: \(known.sorted().joined(separator: ", "))"
                    problems.append("\(label): unknown configuration key '\(key)' (\(hint))")
                } else if let index = effective.firstIndex(where: { $0.0 == key }) {
                    effective[index].1 = value
                }
            }
        case let other?:
            problems.append("\(label): configuration must be a JSON object, not \(other.serialized())")
        }
        // Build the stage even when some keys are unknown, so that its own problems (a bad lexicon line) are
        // reported in the same run.
        let json = JSONValue.object(effective)
        do {
            let stage = try entry.make(json, environment)
            if problems.isEmpty { return .success((stage, json)) }
        } catch let error as DecodingError {
            problems.append("\(label): invalid configuration: \(Self.describe(error))")
        } catch {
            // A stage may report several problems in one error, one per line (a rule file's `file:line`s).
            problems += String(describing: error).split(separator: "\n").map { "\(label): \($0)" }
        }
        return .failure(PipelineError(problems: problems))
    }

    static func encode<C: Encodable>(_ value: C) -> JSONValue {
        guard let data = try? JSONEncoder().encode(value), let json = try? JSONValue.parse(data) else {
            return .object([])
        }
        return json
    }

    static func describe(_ error: DecodingError) -> String {
        func path(_ context: DecodingError.Context) -> String {
            let keys = context.codingPath.map(\.stringValue).joined(separator: ".")
            return keys.isEmpty ? "" : " at '\(keys)'"
        }
        switch error {
        case .typeMismatch(let type, let context): return "expected \(type)\(path(context))"
        case .valueNotFound(let type, let context): return "missing \(type)\(path(context))"
        case .keyNotFound(let key, let context): return "missing key '\(key.stringValue)'\(path(context))"
        case .dataCorrupted(let context): return "\(context.debugDescription)\(path(context))"
        @unknown default: return "\(error)"
        }
    }
}

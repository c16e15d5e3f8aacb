import Foundation

/// A pipeline file: JSON, an ordered list of stages with optional configurations.
///
/// ```json
/// {
///   "version": 1,
///   "stages": [
///     { "stage": "normalize", "config": { "form": "NFC" } },
///     { "stage": "sentences" },
///     { "stage": "lexicon", "name": "findings", "config": { "lexicons": ["findings.tsv"] } }
///   ]
/// }
/// ```
/// `stage` names a registered stage; `name` (optional) distinguishes two uses of one stage and becomes the
/// provenance of what it produces; `config` gives only the keys that differ from the defaults.
public struct PipelineConfiguration: Codable, Sendable {
    public struct StageSpec: Codable, Sendable {
        public var stage: String
        public var name: String?
        public var config: JSONValue?

        public init(stage: String, name: String? = nil, config: JSONValue? = nil) {
            self.stage = stage
            self.name = name
            self.config = config
        }
    }

    /// The file format's version (1).
    public var version: Int
    public var stages: [StageSpec]

    public init(version: Int = 1, stages: [StageSpec]) {
        self.version = version
        self.stages = stages
    }

    /// A pipeline of the named stages with default configurations.
    public init(stageNames: [String]) {
        self.init(stages: stageNames.map { StageSpec(stage: $0) })
    }

    private enum CodingKeys: String, CodingKey { case version, stages }

    public init(from decoder: Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        version = try container.decodeIfPresent(Int.self, forKey: .version) ?? 1
        stages = try container.decode([StageSpec].self, forKey: .stages)
    }

    /// Reads a pipeline file.
    /// - Throws: `PipelineError` naming the file and what is wrong with it.
    public static func load(from url: URL) throws -> PipelineConfiguration {
        let data: Data
        do { data = try Data(contentsOf: url) } catch {
            throw PipelineError(problems: ["cannot read pipeline file \(url.path): \(error.localizedDescription)"])
        }
        do {
            let configuration = try JSONDecoder().decode(PipelineConfiguration.self, from: data)
            guard configuration.version == 1 else {
                throw PipelineError(problems: ["\(url.path): unsupported pipeline file version \(configuration.version) (this build reads version 1)"])
            }
            return configuration
        } catch let error as DecodingError {
            throw PipelineError(problems: ["\(url.path): \(StageRegistry.describe(error))"])
        }
    }
}

/// Everything wrong with a pipeline, reported at once.
public struct PipelineError: Error, Sendable, CustomStringConvertible {
    public var problems: [String]
    public init(problems: [String]) { self.problems = problems }
    public var description: String {
        problems.count == 1 ? problems[0] : "\(problems.count) problems:\n" + problems.map { "  - \($0)" }.joined(separator: "\n")
    }
}

import Foundation

/// A stage's configuration: Codable, with every field defaulted by `init()`.
///
/// A pipeline file gives only the keys it changes; the rest come from `init()`. `clinpipe config dump` prints the
/// encoded defaults, so keep every field non-optional where a default exists (optional fields that are `nil`
/// are not printed and so not discoverable).
public protocol StageConfiguration: Codable, Sendable {
    init()
}

/// The configuration of a stage that has nothing to configure.
public struct EmptyConfiguration: StageConfiguration {
    public init() {}
}

/// What a stage is, independent of any configuration.
public struct StageDescriptor: Sendable {
    /// The name used in pipeline files and the registry (`sentences`, `spine`).
    public var name: String
    /// The stage's version; change it when its output changes.
    public var version: String
    /// One line saying what the stage does.
    public var summary: String
    /// Annotation types (or `layer:NAME`) that an earlier stage must produce.
    public var requires: [String]
    /// Annotation types (or `layer:NAME`) this stage produces with its default configuration.
    public var produces: [String]

    public init(name: String, version: String = "1", summary: String, requires: [String] = [], produces: [String]) {
        self.name = name
        self.version = version
        self.summary = summary
        self.requires = requires
        self.produces = produces
    }
}

/// Where a stage finds files named in its configuration.
public struct StageEnvironment: Sendable {
    /// Relative paths in a stage configuration are resolved against this folder (the pipeline file's folder, or
    /// the working directory).
    public var baseDirectory: URL
    /// The name the stage has in this pipeline (its registry name unless the pipeline renamed it).
    public var stageName: String

    public init(baseDirectory: URL = URL(fileURLWithPath: FileManager.default.currentDirectoryPath), stageName: String) {
        self.baseDirectory = baseDirectory
        self.stageName = stageName
    }

    /// Resolves a path from a configuration: absolute as is, relative against `baseDirectory`.
    public func resolve(_ path: String) -> URL {
        if path.hasPrefix("/") { return URL(fileURLWithPath: path) }
        return baseDirectory.appendingPathComponent(path)
    }
}

/// One step of a pipeline.
///
/// A stage is built once per pipeline (compile patterns and load lexicons in `init`), then `process` is called
/// from many threads at once on different documents: a stage holds only immutable state. `process` adds
/// annotations in original-text coordinates (map layer spans with `TextLayer.toOriginal`) and never changes the
/// original text. It throws only for problems with this document; the runner turns them into the document's
/// error record and goes on.
public protocol Stage: Sendable {
    associatedtype Configuration: StageConfiguration = EmptyConfiguration

    static var descriptor: StageDescriptor { get }

    init(configuration: Configuration, environment: StageEnvironment) throws

    func process(_ document: inout Document) throws

    /// The annotation types this instance produces (defaults to the descriptor's). A data-driven stage, such as a
    /// lexicon, reports the types its data files define.
    var produces: [String] { get }

    /// The annotation types this instance requires (defaults to the descriptor's).
    var requires: [String] { get }
}

extension Stage {
    public var produces: [String] { Self.descriptor.produces }
    public var requires: [String] { Self.descriptor.requires }
}

extension Stage where Configuration == EmptyConfiguration {
    public init(environment: StageEnvironment) throws {
        try self.init(configuration: EmptyConfiguration(), environment: environment)
    }
}

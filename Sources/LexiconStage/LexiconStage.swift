import ClinPipeCore
import ClinPipeText
import Foundation

/// A generic, data-driven entity stage: every term of one or more lexicon files (TSV) becomes an annotation of
/// the type its row names, so that a user adds an entity type with a data file and a line in the pipeline file,
/// and no Swift code.
///
/// Matching runs over the normalized layer in one pass (see `LexiconMatcher`: whole words, longest match,
/// ASCII case-insensitive). Each annotation carries `normalized` and the row's attributes; its provenance rule is
/// the row's `file:line`. When a term appears in several rows with different types, each type gets an annotation.
///
/// ```json
/// { "stage": "lexicon", "name": "devices", "config": { "lexicons": ["devices.tsv"] } }
/// ```
public struct LexiconStage: Stage {
    public struct Configuration: StageConfiguration {
        /// Lexicon files (TSV: `term`, `type`, `normalized`, `attributes`), relative to the pipeline file.
        public var lexicons: [String] = []
        /// Type for rows that leave `type` empty.
        public var defaultType: String = ""
        /// Match letter case exactly instead of ignoring ASCII case.
        public var caseSensitive: Bool = false
        public init() {}
    }

    public static let descriptor = StageDescriptor(
        name: "lexicon",
        summary: "Terms from lexicon files (TSV) as annotations of the types the files name",
        produces: [])

    public let lexicon: Lexicon
    private let matcher: LexiconMatcher
    private let stageName: String

    public init(configuration: Configuration, environment: StageEnvironment) throws {
        var lexicon = Lexicon()
        var problems: [String] = []
        for path in configuration.lexicons {
            let url = environment.resolve(path)
            guard let text = try? String(contentsOf: url, encoding: .utf8) else {
                problems.append("cannot read lexicon \(url.path)")
                continue
            }
            do {
                lexicon.append(contentsOf: try Lexicon(name: path, text: text,
                                                       defaultType: configuration.defaultType.isEmpty ? nil : configuration.defaultType))
            } catch let error as RuleFileError {
                problems.append(contentsOf: error.problems)
            }
        }
        if !problems.isEmpty { throw RuleFileError(problems: problems) }
        self.init(lexicon: lexicon, caseSensitive: configuration.caseSensitive, stageName: environment.stageName)
    }

    /// A stage over a lexicon built in code (for tools that embed the stage).
    public init(lexicon: Lexicon, caseSensitive: Bool = false, stageName: String = "lexicon") {
        self.lexicon = lexicon
        self.matcher = lexicon.makeMatcher(caseSensitive: caseSensitive)
        self.stageName = stageName
    }

    public var produces: [String] { lexicon.types }

    public func process(_ document: inout Document) throws {
        let layer = document.normalized
        var found: [(Range<Int>, Int)] = []
        layer.text.withUTF8Bytes { bytes in
            matcher.forEachMatch(in: bytes) { range, group in found.append((range, group)) }
        }
        for (range, group) in found {
            var emittedTypes: [String] = []
            for index in matcher.values(ofGroup: group) {
                let entry = lexicon.entries[index]
                if emittedTypes.contains(entry.type) { continue }
                emittedTypes.append(entry.type)
                var attributes: Attributes = ["normalized": .string(entry.normalized)]
                for (key, value) in entry.attributes { attributes[key] = value }
                try document.addAnnotation(type: entry.type, layerRange: range, in: layer, attributes: attributes,
                                           provenance: Provenance(stage: stageName, rule: entry.source))
            }
        }
    }
}

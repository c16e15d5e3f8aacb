import ClinPipeCore
import ClinPipeTestSupport
import Foundation
import NormalizeStage
import SectionsStage
import SentencesStage

/// normalize + sentences + sections, built once, run on one document at a time (no runner).
struct Harness: Sendable {
    let normalize: NormalizeStage
    let sentences: SentencesStage
    let sections: SectionsStage

    init(sections configuration: SectionsStage.Configuration = .init(), environment: StageEnvironment? = nil) throws {
        normalize = try NormalizeStage()
        sentences = try SentencesStage()
        sections = try SectionsStage(configuration: configuration,
                                     environment: environment ?? StageEnvironment(stageName: "sections"))
    }

    /// The document after the three stages.
    func run(_ text: String, id: String = "test", normalizing: Bool = true) throws -> Document {
        var document = Document(id: id, text: text)
        if normalizing { try normalize.process(&document) }
        try sentences.process(&document)
        try sections.process(&document)
        return document
    }

    /// Only the sections stage, on text taken as it is (no normalization, no sentences).
    func sectionsOnly(_ text: String) throws -> Document {
        var document = Document(id: "test", text: text)
        try sections.process(&document)
        return document
    }
}

/// The files of a shared corpus folder, sorted, or nil (with a message) when `../shared` is absent.
func sharedFiles(_ folder: String, extension ext: String = "txt") -> [URL]? {
    guard let root = TestPaths.sharedCorpora else {
        print("skipped: ../shared/corpora is absent in this checkout")
        return nil
    }
    let url = root.appendingPathComponent(folder)
    guard let names = try? FileManager.default.contentsOfDirectory(atPath: url.path) else {
        print("skipped: \(url.path) is absent")
        return nil
    }
    return names.filter { $0.hasSuffix("." + ext) }.sorted().map { url.appendingPathComponent($0) }
}

extension Document {
    /// Annotations of a type in text order.
    func sorted(_ type: String) -> [Annotation] {
        annotations(ofType: type).sorted { $0.range.lowerBound < $1.range.lowerBound }
    }

    /// A string attribute of an annotation.
    func string(_ key: String, of annotation: Annotation) -> String? { annotation.attributes[key]?.stringValue }

    /// The text of an annotation in the normalized layer, whitespace collapsed.
    func layerText(of annotation: Annotation) -> String {
        let layer = normalized
        return collapse(String(layer.slice(layer.toLayer(annotation.range))))
    }

    /// The `(title, name)` of each section, in order.
    var sectionTitles: [String] { sorted("section").compactMap { string("title", of: $0) } }
    var sectionNames: [String] { sorted("section").compactMap { string("name", of: $0) } }
}

/// Whitespace runs as one space, trimmed.
func collapse<S: StringProtocol>(_ text: S) -> String {
    text.split(whereSeparator: { $0 == " " || $0 == "\n" || $0 == "\t" || $0 == "\r" }).joined(separator: " ")
}

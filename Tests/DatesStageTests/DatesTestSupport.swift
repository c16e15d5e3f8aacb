import ClinPipeCore
import ClinPipeTestSupport
import DatesStage
import Foundation
import Testing

/// Builds the stage once per configuration for the tests. `today` is fixed so that results do not depend on the
/// day the tests run.
enum DatesFixture {
    static func configuration(today: String = "2025-06-30") -> DatesStage.Configuration {
        var configuration = DatesStage.Configuration()
        configuration.today = today
        return configuration
    }

    static let stage: DatesStage = {
        do {
            return try DatesStage(configuration: configuration(), environment: StageEnvironment(stageName: "dates"))
        } catch {
            fatalError("the built-in date rules do not load: \(error)")
        }
    }()

    /// Runs the stage on `text` (identity layer) and returns the document.
    static func run(_ text: String, attributes: Attributes = [:], stage: DatesStage = stage) throws -> Document {
        var document = Document(id: "test", text: text, attributes: attributes)
        try stage.process(&document)
        return document
    }

    /// The `date` annotations of `text`, sorted by position.
    static func dates(_ text: String, attributes: Attributes = [:], stage: DatesStage = stage) throws -> [Annotation] {
        try run(text, attributes: attributes, stage: stage).annotations(ofType: "date")
            .sorted { $0.range.lowerBound < $1.range.lowerBound }
    }

    /// Checks that the stage finds exactly the marked spans of `marked`.
    static func expectSpans(_ marked: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let expected = MarkedText(marked)
        let found = try dates(expected.text).map(\.range)
        #expect(found == expected.spans, "\(marked)", sourceLocation: sourceLocation)
    }

    /// The one date in `text`, or nil when there is not exactly one.
    static func single(_ text: String, attributes: Attributes = [:]) throws -> Annotation? {
        let found = try dates(text, attributes: attributes)
        return found.count == 1 ? found[0] : nil
    }
}

extension Annotation {
    func string(_ key: String) -> String? { attributes[key]?.stringValue }
}

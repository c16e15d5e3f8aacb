import ClinPipeCore
import ClinPipeTestSupport
import ContextStage
import Foundation
import NormalizeStage
import SentencesStage

/// Runs normalize, sentences and context over texts whose targets are marked inline (`[[...]]`, given as input
/// annotations of type `target`), as a user's entities from another tool would be.
struct ContextHarness {
    let normalize: NormalizeStage
    let sentences: SentencesStage
    let context: ContextStage

    init(_ configuration: ContextStage.Configuration = .init(), environment: StageEnvironment? = nil) throws {
        normalize = try NormalizeStage()
        sentences = try SentencesStage()
        context = try ContextStage(configuration: configuration,
                                   environment: environment ?? StageEnvironment(stageName: "context"))
    }

    /// The processed document and the ids of the marked targets, in order.
    func run(_ marked: String, targetType: String = "target") throws -> (Document, [AnnotationID]) {
        let parsed = MarkedText(marked)
        var document = Document(id: "test", text: parsed.text)
        var ids: [AnnotationID] = []
        for span in parsed.spans {
            ids.append(try document.addAnnotation(type: targetType, range: span, provenance: .input))
        }
        try normalize.process(&document)
        try sentences.process(&document)
        try context.process(&document)
        return (document, ids)
    }

    /// The ConText attributes of each marked target, as a compact string: `N` negated, `U` uncertain,
    /// `H` hypothetical, `T` historical, `F`/`O` family/other experiencer, `-` nothing.
    func flags(_ marked: String) throws -> [String] {
        let (document, ids) = try run(marked)
        return ids.map { Self.flags(of: document.annotation($0)!) }
    }

    static func flags(of annotation: Annotation) -> String {
        var result = ""
        if annotation.attributes["negated"]?.boolValue == true { result += "N" }
        if annotation.attributes["uncertain"]?.boolValue == true { result += "U" }
        if annotation.attributes["hypothetical"]?.boolValue == true { result += "H" }
        if annotation.attributes["historical"]?.boolValue == true { result += "T" }
        switch annotation.attributes["experiencer"]?.stringValue {
        case "family"?: result += "F"
        case "other"?: result += "O"
        default: break
        }
        return result.isEmpty ? "-" : result
    }
}

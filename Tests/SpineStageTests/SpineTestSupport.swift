import ClinPipeCore
import ClinPipeTestSupport
import SpineStage

/// The stage with its default configuration, built once for all tests.
let defaultSpineStage: SpineStage = {
    do { return try SpineStage(environment: StageEnvironment(stageName: "spine")) } catch {
        fatalError("the built-in spine rules do not load: \(error)")
    }
}()

/// Runs the stage on `text` (no normalize stage: the identity layer) and returns the document.
func runSpine(_ text: String, stage: SpineStage = defaultSpineStage) throws -> Document {
    var document = Document(id: "test", text: text)
    try stage.process(&document)
    return document
}

/// One annotation as a test sees it: type, covered text, and attributes.
struct Seen: CustomStringConvertible {
    var type: String
    var text: String
    var attributes: Attributes

    var description: String {
        let attrs = attributes.map { "\($0.key)=\(Seen.render($0.value))" }.joined(separator: " ")
        return "\(type == SpineStage.levelType ? "LEVEL" : "DERM") [\(text)] \(attrs)"
    }

    static func render(_ value: AttributeValue) -> String {
        switch value {
        case .string(let s): s
        case .list(let l): "[" + l.map(render).joined(separator: ",") + "]"
        case .bool(let b): String(b)
        case .int(let i): String(i)
        default: "\(value)"
        }
    }

    func strings(_ key: String) -> [String]? { attributes[key]?.listValue?.compactMap(\.stringValue) }
    func string(_ key: String) -> String? { attributes[key]?.stringValue }
}

/// The stage's annotations on `text`, in text order.
func spineAnnotations(_ text: String, stage: SpineStage = defaultSpineStage) throws -> [Seen] {
    let document = try runSpine(text, stage: stage)
    return document.annotations.sorted { $0.range.lowerBound < $1.range.lowerBound }.map {
        Seen(type: $0.type, text: String(document.coveredText(of: $0)), attributes: $0.attributes)
    }
}

/// The ranges (UTF-8, original text) of the annotations of `type` on `text`, sorted.
func spineRanges(_ text: String, type: String, stage: SpineStage = defaultSpineStage) throws -> [Range<Int>] {
    try runSpine(text, stage: stage).annotations.filter { $0.type == type }.map(\.range)
        .sorted { $0.lowerBound < $1.lowerBound }
}

/// The only annotation on `text`, or nil when there is not exactly one.
func onlyAnnotation(_ text: String, stage: SpineStage = defaultSpineStage) throws -> Seen? {
    let seen = try spineAnnotations(text, stage: stage)
    return seen.count == 1 ? seen[0] : nil
}

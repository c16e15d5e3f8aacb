import ClinPipeText

/// The findings lexicon that ships with the `context` stage: the clinical findings IMR criteria turn on (trigger
/// points, twitch response, referred pain, radiculopathy, myofascial pain, functional improvement, spasm,
/// tenderness, decreased sensation, straight leg raise, neurologic deficit, pain relief, home exercise program,
/// conservative treatment failure, red flags) with their common variants.
///
/// It is an ordinary lexicon file (`term`, `type`, `normalized`, `attributes`; see `Lexicon`): rows of type
/// `finding`, and a few of type `procedure` ("trigger point injection") that exist so that the longest match takes
/// a treatment's whole name instead of the finding inside it. Other stages and tools can match it themselves:
///
/// ```swift
/// let lexicon = try FindingsLexicon.builtIn()
/// let stage = LexiconStage(lexicon: lexicon, stageName: "findings")
/// ```
public enum FindingsLexicon {
    /// The file name of the built-in lexicon (`Rules/findings.tsv` in the ContextStage module).
    public static let fileName = "findings.tsv"

    /// The text of the built-in findings lexicon (TSV), for tools that write it out or extend it.
    public static var text: String { EmbeddedRules.text(fileName) }

    /// The built-in findings lexicon.
    public static func builtIn() throws -> Lexicon { try Lexicon(name: fileName, text: text) }
}

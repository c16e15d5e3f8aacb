/// One training or evaluation example: a text, its label and the group it belongs to.
///
/// Examples of the same group (all disputed items of one IMR letter, say) always fall in the same
/// cross-validation fold, so that a model is never tested on a letter it was trained on. A nil group makes the
/// example a group of its own.
public struct LabeledText: Sendable, Hashable, Codable {
    public var text: String
    public var label: String
    public var group: String?

    public init(text: String, label: String, group: String? = nil) {
        self.text = text
        self.label = label
        self.group = group
    }
}

/// What a ConText trigger does (the `category` column of a trigger rule file).
///
/// The first five modify the targets in their scope and become target attributes; `pseudo` and `terminate` only
/// shape the matching and the scopes of the others.
public enum ContextCategory: String, Sendable, Hashable, CaseIterable, Codable {
    /// The target is absent ("no", "denies", "was ruled out"). Attribute `negated`.
    case negated
    /// The target is possible but not certain ("possible", "cannot be ruled out"). Attribute `uncertain`.
    case uncertain
    /// The target may happen or is spoken of generically ("if", "should ... develop", "risk of"). Attribute
    /// `hypothetical`.
    case hypothetical
    /// The target belongs to the patient's past ("history of", "status post", "prior"). Attribute `historical`.
    case historical
    /// The target concerns someone other than the patient ("family history of", "his mother"). Attribute
    /// `experiencer`, with the rule's `value` (`family`, `other`).
    case experiencer
    /// A phrase that contains a trigger but is none ("no increase", "gram negative", "not medically necessary"):
    /// matched so that the shorter trigger inside it is not.
    case pseudo
    /// A phrase that ends the scopes of other triggers ("but", "however", "which").
    case terminate

    /// Categories that modify targets (and set their attributes), in output order.
    public static let modifying: [ContextCategory] = [.negated, .uncertain, .hypothetical, .historical, .experiencer]

    /// A bit of its own per category (for sets of categories in one byte).
    var bit: UInt8 {
        switch self {
        case .negated: 1
        case .uncertain: 2
        case .hypothetical: 4
        case .historical: 8
        case .experiencer: 16
        case .pseudo: 32
        case .terminate: 64
        }
    }

    /// Whether triggers of this category modify targets.
    public var isModifying: Bool {
        switch self {
        case .negated, .uncertain, .hypothetical, .historical, .experiencer: true
        case .pseudo, .terminate: false
        }
    }
}

/// Which way a trigger's scope reaches from the trigger, within its sentence.
public enum ContextDirection: String, Sendable, Hashable, Codable {
    /// From the end of the trigger to the end of the sentence ("no fever, chills or sweats").
    case forward
    /// From the start of the sentence to the start of the trigger ("fracture was ruled out").
    case backward
    /// Both.
    case bidirectional

    var reachesForward: Bool { self != .backward }
    var reachesBackward: Bool { self != .forward }
}

import ClinPipeCore

/// Setting the five ConText attributes on a target annotation: `negated`, `uncertain`, `hypothetical`,
/// `historical` (booleans) and `experiencer` (a string), in that order, each replacing a value the annotation may
/// have had and appended after its other attributes when it had none.
///
/// Most targets carry none of the five (they come from earlier stages), so the keys are looked at once: when no key
/// of the annotation is one of the five, the five are appended in order, which is what setting them one by one
/// does, without the five lookups (each a scan of the keys with a comparison of lengths per key). Otherwise they are
/// set one by one.
enum ContextAttributes {
    /// The five keys, in the order they are set.
    static let keys = ["negated", "uncertain", "hypothetical", "historical", "experiencer"]

    /// Bit `n` set when one of `keys` is `n` UTF-8 bytes long: 7, 9, 10, 11, 12 (one key of each length).
    private static let keyLengths: UInt32 = 1 << 7 | 1 << 9 | 1 << 10 | 1 << 11 | 1 << 12

    /// Sets the five attributes on `attributes` as `setOneByOne` does.
    static func set(on attributes: inout Attributes, negated: Bool, uncertain: Bool, hypothetical: Bool,
                    historical: Bool, experiencer: String)
    {
        guard !containsAnyKey(attributes) else {
            return setOneByOne(on: &attributes, negated: negated, uncertain: uncertain, hypothetical: hypothetical,
                               historical: historical, experiencer: experiencer)
        }
        attributes.reserveCapacity(attributes.count + 5)
        attributes.appendNew("negated", .bool(negated))
        attributes.appendNew("uncertain", .bool(uncertain))
        attributes.appendNew("hypothetical", .bool(hypothetical))
        attributes.appendNew("historical", .bool(historical))
        attributes.appendNew("experiencer", .string(experiencer))
    }

    /// The plain path: one subscript assignment per attribute (room for the five reserved first, one allocation at
    /// most).
    static func setOneByOne(on attributes: inout Attributes, negated: Bool, uncertain: Bool, hypothetical: Bool,
                            historical: Bool, experiencer: String)
    {
        attributes.reserveCapacity(attributes.count + 5)
        attributes["negated"] = .bool(negated)
        attributes["uncertain"] = .bool(uncertain)
        attributes["hypothetical"] = .bool(hypothetical)
        attributes["historical"] = .bool(historical)
        attributes["experiencer"] = .string(experiencer)
    }

    /// Whether some key of `attributes` is one of `keys`: a key of one of their lengths is compared with the one key
    /// of that length.
    static func containsAnyKey(_ attributes: Attributes) -> Bool {
        var found = false
        attributes.forEachPair { _, key, _ in
            let length = key.utf8.count
            guard length < 32, keyLengths & (1 << UInt32(length)) != 0 else { return }
            switch length {
            case 7: found = found || key == "negated"
            case 9: found = found || key == "uncertain"
            case 10: found = found || key == "historical"
            case 11: found = found || key == "experiencer"
            default: found = found || key == "hypothetical"
            }
        }
        return found
    }
}

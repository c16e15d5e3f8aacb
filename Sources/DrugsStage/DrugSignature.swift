import ClinPipeCore

/// What the text says about one drug mention besides its name: the parsed prescription signature
/// (`Flexeril 5mg 1 PO QHS PRN #30 with 2 refills`).
///
/// Values are normalized: units lowercase (`mg`, `mcg`, `%`, `ml`, `g`), routes as words (`oral`, `topical`,
/// `intramuscular`), frequencies as Latin codes (`QHS`, `BID`, `Q6H`), number words as digits.
public struct DrugSignature: Sendable, Hashable {
    /// The strength as written, without its unit: `5`, `10/325`, `0.1`.
    public var strength: String?
    /// The strength's unit: `mg`, `mcg`, `%`, `mg/ml`, `mcg/hr`, ...
    public var unit: String?
    /// How many units one administration takes: `1`, `1-2`.
    public var dose: String?
    /// The unit of `dose`: `tablet`, `capsule`, `patch`, `puff`, ...
    public var doseUnit: String?
    /// The dosage form: `tablet`, `capsule`, `patch`, `cream`, `gel`, `solution`, `injection`, ...
    public var form: String?
    /// The route: `oral`, `topical`, `transdermal`, `intramuscular`, `intravenous`, `subcutaneous`, ...
    public var route: String?
    /// The frequency code: `QD`, `BID`, `TID`, `QID`, `QHS`, `QAM`, `Q6H`, `Q4-6H`, `QOD`, `QWEEK`, `ONCE`, ...
    public var frequency: String?
    /// True when the text says the drug is taken as needed (`PRN`, `as needed`).
    public var asNeeded: Bool = false
    /// The dispensed quantity (`#30`, `quantity 60`).
    public var quantity: Int?
    /// The unit of `quantity` when written (`#60 grams`): `g`, `ml`, `tablet`, `patch`, `box`, ...
    public var quantityUnit: String?
    /// The number of refills (`with 2 refills`; `no refills` is 0).
    public var refills: Int?
    /// How long the drug is given (`for 30 days`): a number and `days`, `weeks` or `months`.
    public var duration: String?
    /// `extended-release`, `delayed-release`, `immediate-release`, `orally-disintegrating` or `double-strength`.
    public var release: String?
    /// The salt written after the name (`sodium`, `HCl`, `bitartrate`); the mention's span includes it.
    public var salt: String?
    /// The end of the last signature element, in the same UTF-8 coordinates as the text parsed (the name's end
    /// when nothing was parsed).
    public var end: Int = 0
    /// The end of the salt word when one follows the name, else nil (UTF-8, same coordinates).
    public var saltEnd: Int?

    public init() {}

    /// True when no element was found.
    public var isEmpty: Bool {
        strength == nil && dose == nil && form == nil && route == nil && frequency == nil && !asNeeded
            && quantity == nil && refills == nil && duration == nil && release == nil && salt == nil
    }

    /// The frequency as output: the code, with ` PRN` when as needed (`QHS PRN`), or `PRN` alone.
    public var frequencyText: String? {
        switch (frequency, asNeeded) {
        case (let code?, true): "\(code) PRN"
        case (let code?, false): code
        case (nil, true): "PRN"
        case (nil, false): nil
        }
    }

    /// Calls `body` with each of the signature's attributes that was found, in a fixed order: the one list that
    /// `attributeCount`, `appendNew(to:)` and `write(to:)` follow.
    @inline(__always) func forEachAttribute(_ body: (String, AttributeValue) -> Void) {
        if let strength { body("strength", .string(strength)) }
        if let unit { body("unit", .string(unit)) }
        if let dose { body("dose", .string(dose)) }
        if let doseUnit { body("dose_unit", .string(doseUnit)) }
        if let form { body("form", .string(form)) }
        if let route { body("route", .string(route)) }
        if let frequency = frequencyText { body("frequency", .string(frequency)) }
        if asNeeded { body("as_needed", .bool(true)) }
        if let quantity { body("quantity", .int(quantity)) }
        if let quantityUnit { body("quantity_unit", .string(quantityUnit)) }
        if let refills { body("refills", .int(refills)) }
        if let duration { body("duration", .string(duration)) }
        if let release { body("release", .string(release)) }
        if let salt { body("salt", .string(salt)) }
    }

    /// How many attributes `write` and `appendNew(to:)` add.
    var attributeCount: Int {
        var count = 0
        forEachAttribute { _, _ in count += 1 }
        return count
    }

    /// Appends the signature's attributes (only those found), in `write`'s order, to `attributes`, which must hold
    /// none of their keys: what `write` does, without looking for the keys first.
    func appendNew(to attributes: inout Attributes) {
        forEachAttribute { attributes.appendNew($0, $1) }
    }

    /// Adds the signature's attributes (only those found) to `attributes`, in a fixed order.
    public func write(to attributes: inout Attributes) {
        forEachAttribute { attributes[$0] = $1 }
    }
}

/// A typed attribute value: annotations carry these instead of string-to-string maps, so that a consumer of the
/// output reads numbers as numbers, flags as booleans and lists as lists.
public enum AttributeValue: Sendable, Hashable {
    case string(String)
    case int(Int)
    case double(Double)
    case bool(Bool)
    case list([AttributeValue])
    case object(Attributes)
    case null

    /// The string payload, if this is a `.string`.
    public var stringValue: String? { if case .string(let s) = self { return s } else { return nil } }
    /// The integer payload, if this is an `.int`.
    public var intValue: Int? { if case .int(let i) = self { return i } else { return nil } }
    /// The boolean payload, if this is a `.bool`.
    public var boolValue: Bool? { if case .bool(let b) = self { return b } else { return nil } }
    /// The list payload, if this is a `.list`.
    public var listValue: [AttributeValue]? { if case .list(let l) = self { return l } else { return nil } }
    /// The object payload, if this is an `.object`.
    public var objectValue: Attributes? { if case .object(let o) = self { return o } else { return nil } }
}

extension AttributeValue: ExpressibleByStringLiteral, ExpressibleByIntegerLiteral, ExpressibleByBooleanLiteral,
    ExpressibleByFloatLiteral, ExpressibleByArrayLiteral, ExpressibleByNilLiteral
{
    public init(stringLiteral value: String) { self = .string(value) }
    public init(integerLiteral value: Int) { self = .int(value) }
    public init(booleanLiteral value: Bool) { self = .bool(value) }
    public init(floatLiteral value: Double) { self = .double(value) }
    public init(arrayLiteral elements: AttributeValue...) { self = .list(elements) }
    public init(nilLiteral: ()) { self = .null }
}

extension AttributeValue {
    /// A list of strings.
    public static func strings(_ values: [String]) -> AttributeValue { .list(values.map { .string($0) }) }
}

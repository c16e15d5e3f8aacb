extension AttributeValue {
    /// Converts a JSON value; whole numbers become `.int`.
    public init(_ json: JSONValue) {
        switch json {
        case .null: self = .null
        case .bool(let b): self = .bool(b)
        case .number(let n): self = (n.isFinite && n == n.rounded() && abs(n) < 9e15) ? .int(Int(n)) : .double(n)
        case .string(let s): self = .string(s)
        case .array(let a): self = .list(a.map(AttributeValue.init))
        case .object(let o): self = .object(Attributes(o.map { ($0.0, AttributeValue($0.1)) }))
        }
    }
}

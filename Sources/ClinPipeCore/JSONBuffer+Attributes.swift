extension JSONBuffer {
    /// Appends `attributes` as a JSON object: keys in their order, each value with its JSON type (see
    /// `appendJSON(_: AttributeValue)`); `{}` when empty.
    ///
    /// It lives next to `Attributes` so that it reads the stored entries in place: keys and values are neither
    /// copied out of the array nor retained one by one.
    public mutating func appendJSON(_ attributes: Attributes) {
        if attributes.isEmpty {
            append("{}")
            return
        }
        append(UInt8(ascii: "{"))
        attributes.entries.withUnsafeBufferPointer { entries in
            for index in entries.indices {
                if index > 0 { append(UInt8(ascii: ",")) }
                appendQuoted(entries[index].key)
                append(UInt8(ascii: ":"))
                appendScalarOrOther(entries[index].value)
            }
        }
        append(UInt8(ascii: "}"))
    }

    /// Appends one attribute value as JSON: strings quoted, integers in decimal, doubles as Swift prints them
    /// (`null` when not finite), booleans and null as literals, lists as arrays and objects as objects.
    public mutating func appendJSON(_ value: AttributeValue) {
        switch value {
        case .string(let string): appendQuoted(string)
        case .int(let int): appendDecimal(int)
        case .double(let double): appendUTF8(double.isFinite ? String(double) : "null")
        case .bool(true): append("true")
        case .bool(false): append("false")
        case .null: append("null")
        case .object(let object): appendJSON(object)
        case .list(let list):
            append(UInt8(ascii: "["))
            list.withUnsafeBufferPointer { elements in
                for index in elements.indices {
                    if index > 0 { append(UInt8(ascii: ",")) }
                    appendScalarOrOther(elements[index])
                }
            }
            append(UInt8(ascii: "]"))
        }
    }

    /// `appendJSON(_: AttributeValue)` with the common scalar kinds written in place (no call) and the others (lists,
    /// objects, doubles, null) through it.
    @inline(__always) private mutating func appendScalarOrOther(_ value: AttributeValue) {
        switch value {
        case .bool(true): append("true")
        case .bool(false): append("false")
        case .int(let number): appendDecimal(number)
        case .string(let string): appendQuoted(string)
        default: appendJSON(value)
        }
    }
}

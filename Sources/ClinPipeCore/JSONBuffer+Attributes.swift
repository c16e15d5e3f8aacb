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
        let readsInPlace = StoredStringBytes.layoutIsAsExpected
        attributes.entries.withUnsafeBufferPointer { entries in
            for index in entries.indices {
                if index > 0 { append(UInt8(ascii: ",")) }
                appendQuoted(entries[index].key)
                append(UInt8(ascii: ":"))
                let stored = UnsafeRawPointer(entries.baseAddress! + index) + Self.valueOffset
                appendScalarOrOther(entries[index].value, storedAt: stored, readsInPlace: readsInPlace)
            }
        }
        append(UInt8(ascii: "}"))
    }

    /// `appendJSON(_: Attributes)` with the keys written through `memo`: a key met before (in this document or an
    /// earlier one that the memo served) is one copy of its JSON (values, more often unique, are written the plain
    /// way).
    public mutating func appendJSON(_ attributes: Attributes, memo: inout JSONStringMemo) {
        if attributes.isEmpty {
            append("{}")
            return
        }
        // Each member is written after a comma; the first comma becomes the opening brace (no branch per member).
        let opening = written
        let readsInPlace = StoredStringBytes.layoutIsAsExpected  // once per object, not per value
        attributes.entries.withUnsafeBufferPointer { entries in
            let first = UnsafeRawPointer(entries.baseAddress!)
            let keyOffset = MemoryLayout<Attributes.Entry>.offset(of: \.key)!
            let valueOffset = Self.valueOffset
            for index in entries.indices {
                append(UInt8(ascii: ","))
                let entry = first + index &* MemoryLayout<Attributes.Entry>.stride
                memo.append(stringAt: entry + keyOffset, role: .key, keeping: entries[index].key, to: &self) { out in
                    out.appendQuoted(entries[index].key)
                    out.append(UInt8(ascii: ":"))
                }
                appendScalarOrOther(entries[index].value, storedAt: entry + valueOffset, readsInPlace: readsInPlace)
            }
        }
        base[opening] = UInt8(ascii: "{")
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
            let readsInPlace = StoredStringBytes.layoutIsAsExpected
            list.withUnsafeBufferPointer { elements in
                for index in elements.indices {
                    if index > 0 { append(UInt8(ascii: ",")) }
                    appendScalarOrOther(elements[index], storedAt: UnsafeRawPointer(elements.baseAddress! + index),
                                        readsInPlace: readsInPlace)
                }
            }
            append(UInt8(ascii: "]"))
        }
    }

    /// Appends `true` or `false` without a branch on which: eight bytes are written from one of two words (`true`
    /// padded), and the count advances by 4 or 5.
    @inlinable @inline(__always) public mutating func appendBool(_ flag: Bool) {
        reserve(8)
        let word: UInt64 = flag ? 0x2020_2020_6575_7274 : 0x2020_2065_736C_6166  // "true    ", "false   ", little-endian
        UnsafeMutableRawPointer(base + written).storeBytes(of: word.littleEndian, as: UInt64.self)
        written &+= flag ? 4 : 5
    }

    /// Where an entry's value lies in it (bytes).
    private static var valueOffset: Int { MemoryLayout<Attributes.Entry>.offset(of: \.value)! }

    /// `appendJSON(_: AttributeValue)` with the common scalar kinds written in place (no call) and the others (lists,
    /// objects, doubles, null) through it. `address` is where `value` is stored (in an array's buffer): a string is
    /// read there (`StoredStringBytes`, no copy of the value; an enum's payload starts at its first byte, checked by
    /// the tests) when `readsInPlace` (`StoredStringBytes.layoutIsAsExpected`, read once by the caller per object or
    /// list) and its form allows it, or copied the plain way.
    @inline(__always) private mutating func appendScalarOrOther(_ value: AttributeValue,
                                                                storedAt address: UnsafeRawPointer,
                                                                readsInPlace: Bool) {
        switch value {
        case .bool(let flag): appendBool(flag)
        case .int(let number): appendDecimal(number)
        case .string:
            if readsInPlace, let bytes = StoredStringBytes.unchecked(at: address) {
                appendQuoted(bytes)
            } else {
                appendJSON(value)
            }
        default: appendJSON(value)
        }
    }
}

import ClinPipeText

/// Month names and abbreviations (`month_names.tsv`): the month of a `month_name` field.
///
/// A field's key is its text lower-cased with trailing periods and spaces dropped (`Sept.` → `sept`). Lookups of
/// ASCII fields go through a table keyed by the key's bytes packed into an integer, with no string made; that table
/// exists only when every name is ASCII and at most 15 bytes (the built-in names are), because then string equality
/// is byte equality. Other fields and tables take the string path.
struct MonthNameTable: Sendable {
    /// Months by key (`monthKey`).
    let months: [String: Int]
    /// The same, keyed by `packedKey`; nil when some name is not ASCII or longer than 15 bytes.
    private let packed: [UInt128: Int]?

    init(months: [String: Int]) {
        self.months = months
        var packed: [UInt128: Int]? = [:]
        for (name, month) in months {
            guard let key = Array(name.utf8).withUnsafeBufferPointer({ Self.packedKey($0, 0..<$0.count) }) else {
                packed = nil
                break
            }
            packed?[key] = month
        }
        self.packed = packed
    }

    /// The month of the field `bytes[range]`, or nil when its key is not a known name.
    func month(_ bytes: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) -> Int? {
        if let packed, let key = Self.packedKey(bytes, range) { return packed[key] }
        var key = [UInt8]()
        key.reserveCapacity(range.count)
        for position in range { key.append(ByteClass.lower(bytes[position])) }
        return months[Self.monthKey(String(decoding: key, as: UTF8.self))]
    }

    /// A name's key: lower-cased, trailing periods and spaces dropped.
    static func monthKey(_ name: String) -> String {
        var key = Substring(name.lowercased())
        while key.last == "." || key.last == " " { key = key.dropLast() }
        return String(key)
    }

    /// The key of `bytes[range]` (ASCII lower-cased, trailing periods and spaces dropped) as its bytes in the low
    /// 15 bytes of an integer (first byte lowest) and its length in the top byte; nil when the key has a non-ASCII
    /// byte or more than 15 bytes. For ASCII text this is `monthKey`, packed.
    static func packedKey(_ bytes: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) -> UInt128? {
        var end = range.upperBound
        while end > range.lowerBound && (bytes[end - 1] == UInt8(ascii: ".") || bytes[end - 1] == UInt8(ascii: " ")) {
            end -= 1
        }
        let length = end - range.lowerBound
        guard length <= 15 else { return nil }
        var key = UInt128(length) << 120
        for position in range.lowerBound..<end {
            let byte = bytes[position]
            guard byte < 0x80 else { return nil }
            key |= UInt128(ByteClass.lower(byte)) << UInt128(8 * (position - range.lowerBound))
        }
        return key
    }
}

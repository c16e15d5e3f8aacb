import CByteScan

/// The unit of offsets in input and output records.
///
/// Inside the process every offset is a UTF-8 byte offset. Output is in Unicode code points by default (Python's
/// `str` slicing and brat count these); `utf16` suits Java, JavaScript and Spark NLP; `utf8` is the raw byte
/// offset. Every output record names its unit.
public enum OffsetUnit: String, Sendable, CaseIterable, Codable {
    case utf8
    case utf16
    case codepoint
}

/// Converts offsets between UTF-8 bytes and another unit for one text, in one pass over the text per batch.
///
/// ASCII texts (the common case) convert without touching the text again.
public struct OffsetConverter: Sendable {
    public let unit: OffsetUnit
    private let text: String
    private let isIdentity: Bool

    public init(text: String, unit: OffsetUnit) {
        self.text = text
        self.unit = unit
        self.isIdentity = unit == .utf8 || text.withUTF8Bytes { Self.isASCII($0) }
    }

    /// Converts UTF-8 byte offsets (each on a scalar boundary, within the text) to `unit`, keeping their order.
    public func fromUTF8(_ offsets: [Int]) -> [Int] {
        if isIdentity || offsets.isEmpty { return offsets }
        let order = offsets.indices.sorted { offsets[$0] < offsets[$1] }
        var result = [Int](repeating: 0, count: offsets.count)
        text.withUTF8Bytes { bytes in
            var byte = 0, units = 0
            for index in order {
                let target = min(offsets[index], bytes.count)
                while byte < target {
                    units &+= unitWeight(bytes[byte])
                    byte &+= 1
                }
                result[index] = units
            }
        }
        return result
    }

    /// Converts offsets in `unit` to UTF-8 byte offsets. Returns nil for an offset beyond the text or one that
    /// falls inside a character (for UTF-16: between the two halves of a surrogate pair).
    public func toUTF8(_ offsets: [Int]) -> [Int]? {
        if isIdentity {
            let count = text.utf8.count
            if unit == .utf8 {
                let valid = text.withUTF8Bytes { bytes in
                    offsets.allSatisfy { $0 >= 0 && $0 <= count && ($0 == count || bytes[$0] & 0xC0 != 0x80) }
                }
                return valid ? offsets : nil
            }
            return offsets.allSatisfy { $0 >= 0 && $0 <= count } ? offsets : nil
        }
        if offsets.contains(where: { $0 < 0 }) { return nil }
        let order = offsets.indices.sorted { offsets[$0] < offsets[$1] }
        var result = [Int](repeating: 0, count: offsets.count)
        let ok: Bool = text.withUTF8Bytes { bytes in
            var byte = 0, units = 0
            for index in order {
                let target = offsets[index]
                while units < target && byte < bytes.count {
                    units &+= unitWeight(bytes[byte])
                    byte &+= 1
                    while byte < bytes.count && bytes[byte] & 0xC0 == 0x80 { byte &+= 1 }
                }
                if units != target { return false }
                result[index] = byte
            }
            return true
        }
        return ok ? result : nil
    }

    /// How many units of `unit` the character whose UTF-8 sequence contains `byte` adds when `byte` is read.
    @inline(__always) private func unitWeight(_ byte: UInt8) -> Int {
        if byte & 0xC0 == 0x80 { return 0 }
        if unit == .utf16 && byte >= 0xF0 { return 2 }
        return 1
    }

    /// True when every byte is ASCII (`cbs_is_ascii`: sixty-four bytes a step).
    public static func isASCII(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let base = bytes.baseAddress else { return true }
        return cbs_is_ascii(base, bytes.count) != 0
    }
}

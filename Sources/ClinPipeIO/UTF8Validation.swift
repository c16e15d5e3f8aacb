/// Checks bytes for valid UTF-8 without making a `String` of them.
///
/// `String(validating:as: UTF8.self)` both checks and copies (an allocation the size of the bytes, thrown away when
/// only the answer is needed), and its check is slow on text with scattered non-ASCII characters (about ten
/// instructions a byte on such JSONL lines). This check reads ASCII eight bytes at a time and every other sequence
/// by its lead byte, and accepts exactly what `String(validating:as: UTF8.self)` accepts (the Unicode standard's
/// well-formed sequences, Table 3-7: no overlong forms, no surrogates, nothing above U+10FFFF).
enum UTF8Validation {
    /// True when `bytes` are well-formed UTF-8 (empty bytes are).
    static func isValid(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let base = bytes.baseAddress else { return true }
        let count = bytes.count
        let raw = UnsafeRawPointer(base)
        var index = 0
        while index < count {
            if index &+ 8 <= count && raw.loadUnaligned(fromByteOffset: index, as: UInt64.self) & 0x8080_8080_8080_8080 == 0 {
                index &+= 8
                continue
            }
            let lead = base[index]
            if lead < 0x80 {
                index &+= 1
                continue
            }
            // The sequence's length and the range of its second byte (the later ones are always 80...BF).
            let length: Int
            var secondLow: UInt8 = 0x80, secondHigh: UInt8 = 0xBF
            switch lead {
            case 0xC2...0xDF: length = 2
            case 0xE0: length = 3; secondLow = 0xA0
            case 0xE1...0xEC, 0xEE...0xEF: length = 3
            case 0xED: length = 3; secondHigh = 0x9F
            case 0xF0: length = 4; secondLow = 0x90
            case 0xF1...0xF3: length = 4
            case 0xF4: length = 4; secondHigh = 0x8F
            default: return false  // a continuation byte, C0, C1 or F5...FF
            }
            guard index &+ length <= count else { return false }
            let second = base[index &+ 1]
            guard second >= secondLow && second <= secondHigh else { return false }
            var next = index &+ 2
            while next < index &+ length {
                guard base[next] & 0xC0 == 0x80 else { return false }
                next &+= 1
            }
            index = next
        }
        return true
    }
}

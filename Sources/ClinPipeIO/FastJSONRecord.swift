import CByteScan
import ClinPipeCore

/// A fast reader for the common shape of a JSONL input line: an object whose fields are only `"id"` (a string or
/// a plain integer) and `"text"` (a string), each at most once, in any order.
///
/// Anything else (other fields, duplicate keys, numbers with fractions or exponents, lone surrogate escapes, raw
/// control characters, trailing content) returns nil, and the caller decodes the line with the general
/// `JSONDecoder` path, so that results and error messages never depend on which path ran. The input must be valid
/// UTF-8 (the caller validates the line first, or knows it to be ASCII).
enum FastJSONRecord {
    struct Fields {
        var id: String?
        var text: String?
    }

    static func parse(_ line: UnsafeBufferPointer<UInt8>) -> Fields? {
        guard let base = line.baseAddress else { return nil }
        var scanner = Scanner(base: base, count: line.count)
        var fields = Fields()
        var sawID = false, sawText = false
        scanner.skipSpace()
        guard scanner.take(UInt8(ascii: "{")) else { return nil }
        scanner.skipSpace()
        if scanner.take(UInt8(ascii: "}")) { return trailingSpaceOnly(&scanner) ? fields : nil }
        while true {
            scanner.skipSpace()
            guard let key = scanner.keyName() else { return nil }
            scanner.skipSpace()
            guard scanner.take(UInt8(ascii: ":")) else { return nil }
            scanner.skipSpace()
            switch key {
            case .id:
                guard !sawID else { return nil }
                sawID = true
                if scanner.peek == UInt8(ascii: "\"") {
                    guard let value = scanner.string() else { return nil }
                    fields.id = value
                } else {
                    guard let value = scanner.plainInteger() else { return nil }
                    fields.id = value
                }
            case .text:
                guard !sawText else { return nil }
                sawText = true
                guard scanner.peek == UInt8(ascii: "\""), let value = scanner.string() else { return nil }
                fields.text = value
            }
            scanner.skipSpace()
            if scanner.take(UInt8(ascii: ",")) { continue }
            guard scanner.take(UInt8(ascii: "}")) else { return nil }
            return trailingSpaceOnly(&scanner) ? fields : nil
        }
    }

    private static func trailingSpaceOnly(_ scanner: inout Scanner) -> Bool {
        scanner.skipSpace()
        return scanner.atEnd
    }

    private enum Key { case id, text }

    private struct Scanner {
        let base: UnsafePointer<UInt8>
        let count: Int
        var position = 0

        init(base: UnsafePointer<UInt8>, count: Int) {
            self.base = base
            self.count = count
        }

        var atEnd: Bool { position >= count }
        var peek: UInt8? { position < count ? base[position] : nil }

        mutating func skipSpace() {
            while position < count {
                switch base[position] {
                case 0x20, 0x09, 0x0A, 0x0D: position += 1
                default: return
                }
            }
        }

        mutating func take(_ byte: UInt8) -> Bool {
            guard position < count, base[position] == byte else { return false }
            position += 1
            return true
        }

        /// `"id"` or `"text"` written without escapes; nil for any other key.
        mutating func keyName() -> Key? {
            guard take(UInt8(ascii: "\"")) else { return nil }
            let start = position
            while position < count && base[position] != UInt8(ascii: "\"") && base[position] != UInt8(ascii: "\\") { position += 1 }
            guard position < count, base[position] == UInt8(ascii: "\"") else { return nil }
            let length = position - start
            position += 1
            if length == 2 && base[start] == UInt8(ascii: "i") && base[start + 1] == UInt8(ascii: "d") { return .id }
            if length == 4 && base[start] == UInt8(ascii: "t") && base[start + 1] == UInt8(ascii: "e")
                && base[start + 2] == UInt8(ascii: "x") && base[start + 3] == UInt8(ascii: "t") { return .text }
            return nil
        }

        /// A JSON integer without sign issues, fraction or exponent (`0`, `-12`, `345`), as its decimal text.
        mutating func plainInteger() -> String? {
            let start = position
            _ = take(UInt8(ascii: "-"))
            let digitsStart = position
            while position < count && base[position] >= 0x30 && base[position] <= 0x39 { position += 1 }
            let digits = position - digitsStart
            guard digits > 0, digits <= 18, digits == 1 || base[digitsStart] != UInt8(ascii: "0") else { return nil }
            if position < count, base[position] == UInt8(ascii: ".") || base[position] | 0x20 == UInt8(ascii: "e") { return nil }
            guard let value = Int(String(decoding: UnsafeBufferPointer(start: base + start, count: position - start), as: UTF8.self))
            else { return nil }
            return String(value)
        }

        /// A JSON string (the scanner is on its opening quote), unescaped; nil on anything irregular.
        mutating func string() -> String? {
            guard take(UInt8(ascii: "\"")) else { return nil }
            // Plain strings (no escapes) are copied at once. DEL may stand unescaped: step over it.
            var index = JSONText.nextEscapedByte(in: base, from: position, count: count)
            while index < count && base[index] == 0x7F { index = JSONText.nextEscapedByte(in: base, from: index + 1, count: count) }
            guard index < count else { return nil }
            if base[index] == UInt8(ascii: "\"") {
                let value = String(decoding: UnsafeBufferPointer(start: base + position, count: index - position), as: UTF8.self)
                position = index + 1
                return value
            }
            // With escapes: decoded straight into the string's storage. Unescaping never lengthens, so the rest of
            // the line is room enough.
            let capacity = count - position
            var decoded = true
            var value = String(unsafeUninitializedCapacity: capacity) { buffer in
                guard let written = unescape(into: buffer.baseAddress!, firstSpecial: index) else {
                    decoded = false
                    return 0
                }
                return written
            }
            guard decoded else { return nil }
            // A short string (an id before the text) should not keep room for the rest of the line.
            if value.utf8.count < capacity / 4 && capacity > 256 { value = String(decoding: Array(value.utf8), as: UTF8.self) }
            return value
        }

        /// Unescapes the string from `position` (after its opening quote; `firstSpecial` is the offset of its first
        /// byte that is not plain text) into `out`, and moves past its closing quote; returns the number of bytes
        /// written, nil on anything irregular (then `position` is undefined: the caller gives up). `out` must have
        /// room for the rest of the line from `position`: plain runs and the two-byte escapes are unescaped by
        /// `cbs_json_unescape_simple`, which writes whole sixteen-byte steps as far as the rest of the line is long
        /// (unescaping never lengthens the text); the closing quote and `\u` escapes are handled here.
        private mutating func unescape(into out: UnsafeMutablePointer<UInt8>, firstSpecial: Int) -> Int? {
            var written = firstSpecial - position
            out.update(from: base + position, count: written)
            position = firstSpecial
            while true {
                var read = 0
                written += cbs_json_unescape_simple(out + written, base + position, count - position, &read)
                position += read
                guard position < count else { return nil }
                if base[position] == UInt8(ascii: "\"") {
                    position += 1
                    return written
                }
                // Only a `\u` escape remains regular here (not an unknown escape, nor a raw control character).
                guard base[position] == UInt8(ascii: "\\"), position + 1 < count, base[position + 1] == UInt8(ascii: "u")
                else { return nil }
                position += 2
                guard let scalar = escapedScalar() else { return nil }
                // At most four bytes, from six (or twelve) bytes of escape: room enough.
                for byte in UTF8.encode(scalar)! {
                    out[written] = byte
                    written += 1
                }
            }
        }

        /// The scalar of a `\uXXXX` escape (the scanner is after its `u`), with the low surrogate's escape that
        /// must follow a high one; nil for a lone surrogate or bad hex digits.
        private mutating func escapedScalar() -> Unicode.Scalar? {
            guard let unit = hex4() else { return nil }
            var scalarValue = UInt32(unit)
            if unit >= 0xD800 && unit < 0xDC00 {
                // A high surrogate must be followed by an escaped low surrogate.
                guard take(UInt8(ascii: "\\")), take(UInt8(ascii: "u")), let low = hex4(), low >= 0xDC00, low < 0xE000
                else { return nil }
                scalarValue = 0x10000 + ((UInt32(unit) - 0xD800) << 10) + (UInt32(low) - 0xDC00)
            } else if unit >= 0xDC00 && unit < 0xE000 {
                return nil
            }
            return Unicode.Scalar(scalarValue)
        }

        private mutating func hex4() -> UInt16? {
            guard position + 4 <= count else { return nil }
            var value: UInt16 = 0
            for _ in 0..<4 {
                let byte = base[position]
                let digit: UInt8
                switch byte {
                case 0x30...0x39: digit = byte - 0x30
                case 0x41...0x46: digit = byte - 0x41 + 10
                case 0x61...0x66: digit = byte - 0x61 + 10
                default: return nil
                }
                value = value << 4 | UInt16(digit)
                position += 1
            }
            return value
        }
    }
}

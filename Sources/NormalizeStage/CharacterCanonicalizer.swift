import CByteScan
import ClinPipeText

/// Canonical forms of characters that vary between PDF extractors and word processors, applied to a line of the
/// (already ICU-normalized) text through an `EditWriter`:
/// - runs of horizontal whitespace (spaces, tabs, no-break and other Unicode spaces) become one space;
/// - soft hyphens, zero-width spaces and byte-order marks are removed;
/// - typographic quotes and primes become `'` and `"`;
/// - hyphen characters and the minus sign become `-`; en and em dashes, figure dashes and horizontal bars become
///   `-` where they join numbers or levels (`L4–5`, `2014–2015`, `4–8/10`), and are kept elsewhere.
struct CharacterCanonicalizer {
    var dashes = true
    var quotes = true

    /// What one character at a position is.
    private enum Class {
        case plain(length: Int)
        case space(length: Int)
        case remove(length: Int)
        case replace(length: Int, with: UInt8)
        case joiningDash(length: Int)
    }

    @inline(__always)
    private func classify(_ bytes: UnsafeBufferPointer<UInt8>, _ i: Int, _ end: Int) -> Class {
        let b0 = bytes[i]
        if b0 < 0x80 {
            return (b0 == 0x20 || b0 == 0x09 || b0 == 0x0B) ? .space(length: 1) : .plain(length: 1)
        }
        if b0 == 0xC2, i + 1 < end {
            if bytes[i + 1] == 0xA0 { return .space(length: 2) }
            if bytes[i + 1] == 0xAD { return .remove(length: 2) }
            return .plain(length: 2)
        }
        if b0 == 0xE2, i + 2 < end {
            let b1 = bytes[i + 1], b2 = bytes[i + 2]
            if b1 == 0x80 {
                switch b2 {
                case 0x80...0x8A, 0xAF: return .space(length: 3)
                case 0x8B: return .remove(length: 3)
                case 0x90, 0x91: return dashes ? .replace(length: 3, with: UInt8(ascii: "-")) : .plain(length: 3)
                case 0x92...0x95: return dashes ? .joiningDash(length: 3) : .plain(length: 3)
                case 0x98...0x9B, 0xB2: return quotes ? .replace(length: 3, with: UInt8(ascii: "'")) : .plain(length: 3)
                case 0x9C...0x9F, 0xB3: return quotes ? .replace(length: 3, with: UInt8(ascii: "\"")) : .plain(length: 3)
                default: return .plain(length: 3)
                }
            }
            if b1 == 0x81, b2 == 0x9F { return .space(length: 3) }  // U+205F medium mathematical space
            if b1 == 0x88, b2 == 0x92 { return dashes ? .replace(length: 3, with: UInt8(ascii: "-")) : .plain(length: 3) }
            return .plain(length: 3)
        }
        if b0 == 0xE3, i + 2 < end, bytes[i + 1] == 0x80, bytes[i + 2] == 0x80 { return .space(length: 3) }
        if b0 == 0xEF, i + 2 < end, bytes[i + 1] == 0xBB, bytes[i + 2] == 0xBF { return .remove(length: 3) }
        let length = b0 >= 0xF0 ? 4 : b0 >= 0xE0 ? 3 : 2
        return .plain(length: min(length, end - i))
    }

    /// Whether horizontal whitespace (as this type understands it) starts at `i`; returns its byte length or 0.
    func whitespaceLength(_ bytes: UnsafeBufferPointer<UInt8>, _ i: Int, _ end: Int) -> Int {
        if case .space(let length) = classify(bytes, i, end) { return length }
        if case .remove(let length) = classify(bytes, i, end) { return length }
        return 0
    }

    /// Writes `bytes[start..<end]` (one line, no line breaks, trimmed by the caller) through `writer`.
    func write(_ bytes: UnsafeBufferPointer<UInt8>, from start: Int, to end: Int, into writer: inout EditWriter) {
        write(bytes, from: start, to: end, into: &writer, wordScan: true)
    }

    /// `write` without the sixteen-byte scan: the byte loop it shortens (for tests).
    func writeByteByByte(_ bytes: UnsafeBufferPointer<UInt8>, from start: Int, to end: Int, into writer: inout EditWriter) {
        write(bytes, from: start, to: end, into: &writer, wordScan: false)
    }

    @inline(__always)
    private func write(_ bytes: UnsafeBufferPointer<UInt8>, from start: Int, to end: Int, into writer: inout EditWriter,
                       wordScan: Bool)
    {
        writer.copy(upTo: start, from: bytes)
        var i = start
        let base = bytes.baseAddress
        while i < end {
            // Sixteen bytes at a time (`cbs_plain_prefix`, SSE2), to the first byte that is not plain for `classify`:
            // printable ASCII (0x21...0x7F), or a single space before printable ASCII (it stays).
            if wordScan, let base {
                i += cbs_plain_prefix(base + i, end - i)
                if i == end { break }
            }
            // Fast path, same result as `classify`: printable ASCII is plain, and a single space before it stays.
            let byte = bytes[i]
            if byte > 0x20 && byte < 0x80 {
                i += 1
                continue
            }
            if byte == 0x20, i + 1 < end, bytes[i + 1] > 0x20, bytes[i + 1] < 0x80 {
                i += 2
                continue
            }
            switch classify(bytes, i, end) {
            case .plain(let length):
                i += length
            case .space(let length):
                // A run of whitespace becomes one space; a single ASCII space stays as it is.
                var runEnd = i + length
                while runEnd < end, case .space(let more) = classify(bytes, runEnd, end) { runEnd += more }
                if runEnd - i == 1 && bytes[i] == 0x20 {
                    i = runEnd
                    continue
                }
                writer.copy(upTo: i, from: bytes)
                writer.replace(upTo: runEnd, with: UInt8(ascii: " "), from: bytes)
                i = runEnd
            case .remove(let length):
                writer.copy(upTo: i, from: bytes)
                writer.remove(upTo: i + length)
                i += length
            case .replace(let length, let byte):
                writer.copy(upTo: i, from: bytes)
                writer.replace(upTo: i + length, with: byte, from: bytes)
                i += length
            case .joiningDash(let length):
                if joinsNumbers(bytes, dashAt: i, length: length, lineStart: start, lineEnd: end) {
                    writer.copy(upTo: i, from: bytes)
                    writer.replace(upTo: i + length, with: UInt8(ascii: "-"), from: bytes)
                }
                i += length
            }
        }
        writer.copy(upTo: end, from: bytes)
    }

    /// A dash joins numbers or levels when it touches a letter or digit on both sides and one of them is a digit
    /// (`L4–5`, `L5–S1`, `4–8/10`), or when spaces surround it and digits stand on both sides (`L4 – 5`).
    private func joinsNumbers(_ bytes: UnsafeBufferPointer<UInt8>, dashAt i: Int, length: Int, lineStart: Int, lineEnd: Int) -> Bool {
        var before = i - 1
        while before >= lineStart && bytes[before] == 0x20 { before -= 1 }
        var after = i + length
        while after < lineEnd && bytes[after] == 0x20 { after += 1 }
        guard before >= lineStart, after < lineEnd else { return false }
        let left = bytes[before], right = bytes[after]
        let leftAlnum = left < 0x80 && ByteClass.isWord(left)
        let rightAlnum = right < 0x80 && ByteClass.isWord(right)
        let touching = before == i - 1 && after == i + length
        if touching { return leftAlnum && rightAlnum && (ByteClass.isDigit(left) || ByteClass.isDigit(right)) }
        return ByteClass.isDigit(left) && ByteClass.isDigit(right)
    }
}

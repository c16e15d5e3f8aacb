import CPCRE2

/// The bytes a match of a PCRE2 pattern can start with, as PCRE2's own study of the pattern found them: a cheap
/// test that rules out a match attempt at a position before paying for the call.
///
/// A match attempt at offset `p` can succeed only if the byte at `p` is in the set (PCRE2 skips start positions
/// with the same table). The set exists only when the study gives one: a pattern that can match the empty string,
/// starts at a line start, or whose first character PCRE2 cannot pin down has none (`init` returns nil), and then
/// every position must be tried. Where PCRE2 names a single first code unit that is a letter or non-ASCII, the set
/// is widened to be safe for caseless matching: both ASCII cases of a letter and every byte that can start a
/// non-ASCII character.
public struct StartByteSet: Sendable {
    private let bits: (UInt64, UInt64, UInt64, UInt64)

    /// The start bytes of `pattern` compiled with `options` (in UTF mode, as `PCRE2Pattern` compiles it), or nil
    /// when PCRE2 finds none or the pattern does not compile. For an anchored search (`\G` in front), pass the
    /// pattern without the `\G`: an anchored attempt at `p` matches only where the plain pattern has a match
    /// starting at `p`.
    public init?(pattern: String, options: PCRE2Pattern.Options = []) {
        var errorCode: Int32 = 0
        var errorOffset = 0
        let flags = options.rawValue | UInt32(PCRE2_UTF)
        let compiled: OpaquePointer? = pattern.withUTF8Bytes { bytes in
            pcre2_compile_8(bytes.baseAddress ?? PCRE2ThreadScratch.emptySubject, bytes.count, flags, &errorCode, &errorOffset, nil)
        }
        guard let compiled else { return nil }
        defer { pcre2_code_free_8(compiled) }
        var minimumLength: UInt32 = 0
        pcre2_pattern_info_8(compiled, UInt32(PCRE2_INFO_MINLENGTH), &minimumLength)
        guard minimumLength > 0 else { return nil }
        var words: [UInt64] = [0, 0, 0, 0]
        func insert(_ byte: Int) { words[byte >> 6] |= 1 << UInt64(byte & 63) }
        var firstType: UInt32 = 0
        pcre2_pattern_info_8(compiled, UInt32(PCRE2_INFO_FIRSTCODETYPE), &firstType)
        if firstType == 1 {
            var unit: UInt32 = 0
            pcre2_pattern_info_8(compiled, UInt32(PCRE2_INFO_FIRSTCODEUNIT), &unit)
            guard unit < 0x100 else { return nil }
            insert(Int(unit))
            let byte = UInt8(unit)
            let isLetter = (byte | 0x20) >= 0x61 && (byte | 0x20) <= 0x7A
            if isLetter || byte >= 0x80 {
                // A caseless letter can also match the other ASCII case and non-ASCII characters (k and the Kelvin
                // sign, s and the long s), and a non-ASCII first character an ASCII one: both cases, every lead
                // byte, and for a non-ASCII unit every ASCII letter.
                if isLetter { insert(Int(byte ^ 0x20)) }
                for lead in 0xC2...0xF4 { insert(lead) }
                if byte >= 0x80 { for letter in 0x41...0x5A { insert(letter); insert(letter | 0x20) } }
            }
        } else if firstType == 0 {
            var table: UnsafePointer<UInt8>?
            pcre2_pattern_info_8(compiled, UInt32(PCRE2_INFO_FIRSTBITMAP), &table)
            guard let table else { return nil }
            for byte in 0..<256 where table[byte >> 3] & (1 << UInt8(byte & 7)) != 0 { insert(byte) }
        } else {
            return nil
        }
        bits = (words[0], words[1], words[2], words[3])
    }

    /// Whether a match can start with `byte`.
    @inline(__always) public func contains(_ byte: UInt8) -> Bool {
        let word = byte < 0x80 ? (byte < 0x40 ? bits.0 : bits.1) : (byte < 0xC0 ? bits.2 : bits.3)
        return (word >> UInt64(byte & 63)) & 1 != 0
    }

    /// The bytes in the set, ascending (for tests and diagnostics).
    public var members: [UInt8] { (0...255).map { UInt8($0) }.filter { contains($0) } }
}

/// The normalizations the signature parser applies to a matched group, computed straight from the group's UTF-8
/// bytes in one pass for ASCII text, with the same results as the String path they replace (which they fall back to
/// otherwise): no intermediate `String` per step.
///
/// The fast paths apply when the bytes are ASCII and hold no CR LF pair (a pair is one `Character`, which
/// `SignatureVocabulary.collapsed` does not treat as whitespace); whitespace means space, tab, LF and CR.
enum SignatureValueText {
    /// `SignatureVocabulary.digits` of the group's text collapsed, with ` to ` made `-` and spaces removed
    /// (`1 to 2` → `1-2`, `Two` → `2`).
    static func value(_ bytes: UnsafeBufferPointer<UInt8>) -> String {
        if let fast = asciiValue(bytes) { return fast }
        return plainValue(String(decoding: bytes, as: UTF8.self))
    }

    /// What `value` computes, through Strings (the reference of the tests, and the path for other text).
    static func plainValue(_ text: String) -> String {
        let collapsed = SignatureVocabulary.collapsed(text)
        let compact = ASCIIText.replacing(ASCIIText.replacing(collapsed, " to ", with: "-"), " ", with: "")
        return SignatureVocabulary.digits(compact)
    }

    /// `SignatureVocabulary.collapsed` of the bytes' text.
    static func collapsed(_ bytes: UnsafeBufferPointer<UInt8>) -> String {
        plainASCIICollapsed(bytes) ?? SignatureVocabulary.collapsed(String(decoding: bytes, as: UTF8.self))
    }

    /// The bytes' text with each whitespace run as one space and none at either end, when they are ASCII without a
    /// CR LF pair (what `SignatureVocabulary.collapsed` gives for such text); nil otherwise. The one collapsing loop
    /// of the stage (`ASCIIText.collapsed` too).
    static func plainASCIICollapsed(_ bytes: UnsafeBufferPointer<UInt8>) -> String? {
        guard isPlainASCII(bytes) else { return nil }
        return withScratch(bytes.count) { out in
            let count = collapse(bytes, into: out)
            return String(decoding: UnsafeBufferPointer(rebasing: out[0..<count]), as: UTF8.self)
        }
    }

    /// `SignatureVocabulary.strengthUnit(SignatureVocabulary.collapsed(text))` of the bytes' text: for ASCII, the
    /// bytes lowercased without whitespace, then canonical spelling.
    static func strengthUnit(_ bytes: UnsafeBufferPointer<UInt8>) -> String {
        if isPlainASCII(bytes) {
            return withScratch(bytes.count) { out in
                var count = 0
                for byte in bytes where !isSpace(byte) {
                    out[count] = byte >= 0x41 && byte <= 0x5A ? byte | 0x20 : byte
                    count += 1
                }
                let lower = UnsafeBufferPointer(rebasing: out[0..<count])
                guard count <= 8 else {
                    return SignatureVocabulary.canonicalStrengthUnit(String(decoding: lower, as: UTF8.self))
                }
                // Short units (nearly all) are looked up as one packed word among the spellings that change.
                var key: UInt64 = 0
                for index in lower.indices.reversed() { key = key << 8 | UInt64(lower[index]) }
                let units = changedStrengthUnits
                for index in units.keys.indices where units.keys[index] == key && units.lengths[index] == count {
                    return units.canonical[index]
                }
                return String(decoding: lower, as: UTF8.self)
            }
        }
        return SignatureVocabulary.strengthUnit(SignatureVocabulary.collapsed(String(decoding: bytes, as: UTF8.self)))
    }

    /// Writes `bytes` to `out` with each whitespace run as one space and none at either end, as
    /// `SignatureVocabulary.collapsed` does on ASCII text without CR LF pairs; returns the count written (at most
    /// `bytes.count`, the room `out` must have).
    @inline(__always) private static func collapse(_ bytes: UnsafeBufferPointer<UInt8>, into out: UnsafeMutableBufferPointer<UInt8>) -> Int {
        var count = 0, pendingSpace = false
        for byte in bytes {
            if isSpace(byte) {
                pendingSpace = count > 0
                continue
            }
            if pendingSpace {
                out[count] = 0x20
                count += 1
                pendingSpace = false
            }
            out[count] = byte
            count += 1
        }
        return count
    }

    /// The ASCII path of `value`, or nil for other text.
    private static func asciiValue(_ bytes: UnsafeBufferPointer<UInt8>) -> String? {
        guard isPlainASCII(bytes) else { return nil }
        return withScratch(bytes.count) { out in
            // Collapse first, as the String path does.
            let collapsedCount = collapse(bytes, into: out)
            // Then, left to right without overlaps, ` to ` becomes `-` and other spaces go (in place: the output
            // never outruns the input).
            var count = 0, index = 0
            while index < collapsedCount {
                let byte = out[index]
                if byte == 0x20 {
                    if index + 3 < collapsedCount && out[index + 1] == 0x74 && out[index + 2] == 0x6F
                        && out[index + 3] == 0x20
                    {
                        out[count] = 0x2D
                        count += 1
                        index += 4
                    } else {
                        index += 1
                    }
                    continue
                }
                out[count] = byte
                count += 1
                index += 1
            }
            let compact = UnsafeBufferPointer(rebasing: out[0..<count])
            return digitWord(compact) ?? String(decoding: compact, as: UTF8.self)
        }
    }

    /// `SignatureVocabulary.digits` for an ASCII number word (any case), or nil when the bytes are no such word.
    private static func digitWord(_ bytes: UnsafeBufferPointer<UInt8>) -> String? {
        // Every number word starts with a letter; most values are digits, which end the search at once.
        guard bytes.count >= 1 && bytes.count <= 8, (bytes[0] | 0x20) >= 0x61 && (bytes[0] | 0x20) <= 0x7A else { return nil }
        // The lowercase bytes packed into one word, first byte lowest.
        var key: UInt64 = 0
        for index in bytes.indices.reversed() {
            let byte = bytes[index]
            key = key << 8 | UInt64(byte >= 0x41 && byte <= 0x5A ? byte | 0x20 : byte)
        }
        // Keys only in the loop (no String copied per word); the length tells `no` from `no` and a NUL byte.
        let words = numberWords
        for index in words.keys.indices where words.keys[index] == key && words.lengths[index] == bytes.count {
            return words.digits[index]
        }
        return nil
    }

    /// The number words of `SignatureVocabulary.digits`: each packed as `digitWord` packs bytes, its length, and
    /// what `digits` gives for it, at the same index.
    private static let numberWords: (keys: [UInt64], lengths: [Int], digits: [String]) = {
        let words = ["no", "zero", "none", "once", "one", "single", "a", "twice", "two", "three", "thrice", "four",
                     "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve", "fourteen", "thirty", "sixty",
                     "ninety", "half", "one-half"]
        return (words.map(packed), words.map(\.utf8.count), words.map(SignatureVocabulary.digits))
    }()

    /// The ASCII strength units of at most eight bytes that `SignatureVocabulary.canonicalStrengthUnit` changes
    /// (every other such unit it returns as it is), packed as `packed` does, with their lengths and canonical
    /// spellings at the same index.
    private static let changedStrengthUnits: (keys: [UInt64], lengths: [Int], canonical: [String]) = {
        let units = ["gm", "gram", "grams", "ug", "cc", "unit", "iu", "meq", "mcg/hour", "mcg/h"]
        return (units.map(packed), units.map(\.utf8.count), units.map(SignatureVocabulary.canonicalStrengthUnit))
    }()

    /// Up to eight bytes packed into one word, first byte lowest.
    static func packed(_ word: String) -> UInt64 {
        var key: UInt64 = 0
        for byte in word.utf8.reversed() { key = key << 8 | UInt64(byte) }
        return key
    }

    @inline(__always) private static func isSpace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D
    }

    /// True when every byte is ASCII and no CR is followed by LF.
    private static func isPlainASCII(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        var previousCR = false
        for byte in bytes {
            if byte >= 0x80 || (previousCR && byte == 0x0A) { return false }
            previousCR = byte == 0x0D
        }
        return true
    }

    /// Runs `body` on uninitialized scratch room for `count` bytes (on the stack when small).
    @inline(__always)
    private static func withScratch<R>(_ count: Int, _ body: (UnsafeMutableBufferPointer<UInt8>) -> R) -> R {
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: max(count, 1)) { body($0) }
    }
}

import ClinPipeCore
import ClinPipeText

/// Splits UTF-8 text into normalized word tokens, without decoding it.
///
/// A token is a maximal run of word characters: ASCII letters and digits, and non-ASCII letters, numbers and
/// combining marks (a non-ASCII word is never split; non-ASCII punctuation and symbols separate). ASCII letters are lowercased and digits normalized
/// as `TokenizerConfiguration.digits` says; non-ASCII bytes are kept as they are. Punctuation, spaces and line
/// breaks only separate tokens: `non-certified` gives `non` and `certified`, `L4-5` gives `l0` and `0` with the
/// default `.collapse`. Tokens outside the configured length bounds and stop words are dropped.
///
/// Immutable and `Sendable`: one tokenizer serves every thread.
public struct Tokenizer: Sendable {
    public let configuration: TokenizerConfiguration
    private let stopKeys: Set<UInt64>

    public init(configuration: TokenizerConfiguration = TokenizerConfiguration()) {
        self.configuration = configuration
        var keys = Set<UInt64>()
        let plain = Tokenizer(unfiltered: configuration)
        for word in configuration.stopWords {
            // A stop word is normalized like text; a "stop word" that tokenizes into several tokens drops each.
            plain.forEachToken(inText: word) { _, key in keys.insert(key) }
        }
        self.stopKeys = keys
    }

    private init(unfiltered configuration: TokenizerConfiguration) {
        var copy = configuration
        copy.stopWords = []
        copy.minimumLength = 1
        copy.maximumLength = Int.max
        self.configuration = copy
        self.stopKeys = []
    }

    /// The tokens of `text` as strings, in order (for vocabularies, tests and debugging; prediction uses keys).
    public func tokens(in text: String) -> [String] {
        var tokens: [String] = []
        forEachToken(inText: text) { token, _ in tokens.append(String(decoding: token, as: UTF8.self)) }
        return tokens
    }

    /// Appends the stable key (`FeatureHash.token`) of each token of `bytes` to `keys`, in order.
    ///
    /// The prediction path: the same tokens as `tokens(in:)`, hashed while they are normalized, without copying
    /// them anywhere.
    public func appendTokenKeys(in bytes: UnsafeBufferPointer<UInt8>, to keys: inout [UInt64]) {
        let minimum = configuration.minimumLength, maximum = configuration.maximumLength
        let digits = configuration.digits
        let filterStops = !stopKeys.isEmpty
        var index = 0
        let count = bytes.count
        while index < count {
            // Skip separators; ASCII first, without a call.
            let first = bytes[index]
            var length = first < 0x80 ? (ByteClass.isWord(first) ? 1 : 0) : Self.wordCharacterLength(bytes, at: index, continuing: false)
            guard length > 0 else {
                index += Self.characterLength(first)
                continue
            }
            var hash = FeatureHash.offsetBasis
            var normalizedLength = 0
            var previousWasDigit = false
            while true {
                if length == 1 {
                    var byte = bytes[index]
                    var emit = true
                    if ByteClass.isDigit(byte) {
                        switch digits {
                        case .keep: break
                        case .zero: byte = 0x30
                        case .collapse:
                            byte = 0x30
                            emit = !previousWasDigit
                        }
                        previousWasDigit = true
                    } else {
                        byte = ByteClass.lower(byte)
                        previousWasDigit = false
                    }
                    if emit {
                        hash ^= UInt64(byte)
                        hash &*= FeatureHash.prime
                        normalizedLength += 1
                    }
                } else {
                    for offset in 0..<length {
                        hash ^= UInt64(bytes[index + offset])
                        hash &*= FeatureHash.prime
                    }
                    normalizedLength += length
                    previousWasDigit = false
                }
                index += length
                guard index < count else { break }
                let next = bytes[index]
                length = next < 0x80 ? (ByteClass.isWord(next) ? 1 : 0) : Self.wordCharacterLength(bytes, at: index, continuing: true)
                if length == 0 { break }
            }
            guard normalizedLength >= minimum, normalizedLength <= maximum else { continue }
            let key = SplitMix64.mix(hash)
            if filterStops && stopKeys.contains(key) { continue }
            keys.append(key)
        }
    }

    func forEachToken(inText text: String, _ body: (UnsafeBufferPointer<UInt8>, UInt64) -> Void) {
        text.withUTF8Bytes { forEachToken(in: $0, body) }
    }

    /// Calls `body` with each token's normalized bytes (valid only during the call) and its key, in order.
    func forEachToken(in bytes: UnsafeBufferPointer<UInt8>, _ body: (UnsafeBufferPointer<UInt8>, UInt64) -> Void) {
        let minimum = configuration.minimumLength, maximum = configuration.maximumLength
        let digits = configuration.digits
        let filterStops = !stopKeys.isEmpty
        var scratch = [UInt8](repeating: 0, count: 64)
        var index = 0
        let count = bytes.count
        while index < count {
            var length = Self.wordCharacterLength(bytes, at: index, continuing: false)
            guard length > 0 else {
                index += Self.characterLength(bytes[index])
                continue
            }
            let start = index
            index += length
            while index < count {
                length = Self.wordCharacterLength(bytes, at: index, continuing: true)
                if length == 0 { break }
                index += length
            }
            // Normalize bytes[start..<index] into the scratch buffer; the normalized token is never longer.
            if index - start > scratch.count { scratch = [UInt8](repeating: 0, count: index - start) }
            scratch.withUnsafeMutableBufferPointer { buffer in
                var length = 0
                var previousWasDigit = false
                for position in start..<index {
                    let byte = bytes[position]
                    if ByteClass.isDigit(byte) {
                        switch digits {
                        case .keep:
                            buffer[length] = byte
                            length += 1
                        case .zero:
                            buffer[length] = 0x30
                            length += 1
                        case .collapse:
                            if !previousWasDigit {
                                buffer[length] = 0x30
                                length += 1
                            }
                        }
                        previousWasDigit = true
                    } else {
                        buffer[length] = ByteClass.lower(byte)
                        length += 1
                        previousWasDigit = false
                    }
                }
                guard length >= minimum, length <= maximum else { return }
                let token = UnsafeBufferPointer(rebasing: buffer[0..<length])
                let key = FeatureHash.token(token)
                if filterStops && stopKeys.contains(key) { return }
                body(token, key)
            }
        }
    }

    /// The UTF-8 length of the character whose first byte is `byte` (1 for ASCII and stray bytes).
    @inline(__always) static func characterLength(_ byte: UInt8) -> Int {
        byte < 0xC0 ? 1 : byte < 0xE0 ? 2 : byte < 0xF0 ? 3 : 4
    }

    /// The UTF-8 length of the character at `index` when it is a word character, 0 when it is not. Word
    /// characters: ASCII letters and digits; non-ASCII letters and numbers; combining marks when `continuing` a
    /// token (so `café`, `naïve` and `e` + U+0301 stay one token, while `–`, `“`, `•` and emoji with their
    /// variation selectors separate tokens).
    @inline(__always) static func wordCharacterLength(_ bytes: UnsafeBufferPointer<UInt8>, at index: Int, continuing: Bool) -> Int {
        let byte = bytes[index]
        if byte < 0x80 { return ByteClass.isWord(byte) ? 1 : 0 }
        let length = characterLength(byte)
        guard length > 1, index + length <= bytes.count else { return 0 }
        var value = UInt32(byte) & (length == 2 ? 0x1F : length == 3 ? 0x0F : 0x07)
        for offset in 1..<length { value = value << 6 | UInt32(bytes[index + offset] & 0x3F) }
        guard let scalar = Unicode.Scalar(value) else { return 0 }
        let properties = scalar.properties
        if properties.isAlphabetic || properties.numericType != nil { return length }
        switch properties.generalCategory {
        case .nonspacingMark, .spacingMark, .enclosingMark: return continuing && !properties.isVariationSelector ? length : 0
        default: return 0
        }
    }
}

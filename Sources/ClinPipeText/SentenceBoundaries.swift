import CICUShim

/// Sentence boundaries of UTF-8 text by the Unicode rules (UAX #29), exactly as ICU's sentence break iterator
/// (root locale) gives them. Clinical exceptions are the `sentences` stage's job.
///
/// `SentenceBreakRules` computes them on the bytes; texts it leaves alone (those holding Extend or Format characters,
/// or invalid UTF-8) go to ICU. Thread-safe: no shared mutable state (ICU's iterator is cached per thread).
public enum SentenceBoundaries {
    /// Boundary offsets in UTF-8 bytes of `bytes`: strictly ascending, from 0 to `bytes.count`, each at a
    /// character boundary; `[0]` for empty text.
    /// - Throws: `TextEngineError.icu` when ICU is needed and fails.
    public static func boundaries(in bytes: UnsafeBufferPointer<UInt8>) throws -> [Int] {
        if let boundaries = SentenceBreakRules.boundaries(in: bytes) { return boundaries }
        return try icuBoundaries(in: bytes)
    }

    /// `boundaries(in:)` without the boundaries that `drops` (given a boundary's offset) says to drop; the first (0)
    /// and the last (`bytes.count`) are always kept. On the byte rules' path `drops` is asked only about the
    /// boundaries after a full stop (those ending `ATerm Close* Sp*`); when ICU is needed, about every other
    /// boundary. So `drops` must answer false for a boundary after a paragraph separator or after `STerm Close* Sp*`
    /// (a function that looks back for a period past ASCII spaces and tabs does), and then both paths agree with
    /// filtering `boundaries(in:)` by `drops`. The stage that reconsiders boundaries after periods saves the look at
    /// every other boundary (most follow a line feed).
    public static func boundaries(in bytes: UnsafeBufferPointer<UInt8>, droppingAfterFullStop drops: (Int) -> Bool) throws -> [Int] {
        if let boundaries = SentenceBreakRules.boundaries(in: bytes, droppingAfterFullStop: drops) { return boundaries }
        let all = try icuBoundaries(in: bytes)
        return all.indices.filter { all[$0] == 0 || all[$0] == bytes.count || !drops(all[$0]) }.map { all[$0] }
    }

    /// Boundary offsets of a string (UTF-8 bytes), as `boundaries(in:)` on its bytes.
    public static func boundaries(in text: String) throws -> [Int] {
        try text.withUTF8Bytes { try boundaries(in: $0) }
    }

    /// The same boundaries from ICU's sentence break iterator (root locale), whatever the text: the reference for
    /// `boundaries(in:)` and its fallback.
    public static func icuBoundaries(in bytes: UnsafeBufferPointer<UInt8>) throws -> [Int] {
        var result = cp_boundaries()
        var message = [CChar](repeating: 0, count: 160)
        let base = UnsafeRawPointer(bytes.baseAddress ?? PCRE2ThreadScratch.emptySubject).assumingMemoryBound(to: CChar.self)
        let status = cp_sentence_boundaries_utf8(base, Int64(bytes.count), &result, &message, Int32(message.count))
        guard status == 0 else {
            throw TextEngineError.icu(String(decoding: message.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self))
        }
        defer { cp_boundaries_free(&result) }
        return (0..<Int(result.count)).map { Int(result.offsets[$0]) }
    }

    /// `icuBoundaries(in:)` of a string.
    public static func icuBoundaries(in text: String) throws -> [Int] {
        try text.withUTF8Bytes { try icuBoundaries(in: $0) }
    }
}

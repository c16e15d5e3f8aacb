import CICUShim
import ClinPipeCore

/// ICU Unicode normalization of UTF-8 text with an exact offset map (ICU `Normalizer2::normalizeUTF8` with
/// `Edits`). Thread-safe: ICU's normalizer instances are immutable singletons.
public enum UnicodeNormalizer {
    public enum Form: String, Sendable, Codable, CaseIterable {
        case nfc = "NFC", nfkc = "NFKC", nfd = "NFD", nfkd = "NFKD"

        var code: Int32 {
            switch self {
            case .nfc: Int32(CP_NORMALIZATION_NFC)
            case .nfkc: Int32(CP_NORMALIZATION_NFKC)
            case .nfd: Int32(CP_NORMALIZATION_NFD)
            case .nfkd: Int32(CP_NORMALIZATION_NFKD)
            }
        }
    }

    /// Normalizes `text`; the map aligns `text` (original) with the result (layer), in UTF-8 bytes.
    /// - Throws: `TextEngineError.icu` when ICU fails (never for valid UTF-8 under 2 GiB).
    public static func normalize(_ text: String, form: Form) throws -> (text: String, map: OffsetMap) {
        // ASCII is invariant under all four forms (no ASCII character decomposes, composes or reorders), and most
        // letters are plain ASCII: ICU is asked only about the stretches around non-ASCII characters, and not at all
        // for ASCII text (`isNormalizedByPieces`).
        if text.withUTF8Bytes({ isNormalizedByPieces($0, form: form) }) { return (text, .identity(length: text.utf8.count)) }
        return try normalizeWithICU(text, form: form)
    }

    /// Whether `bytes` (valid UTF-8) are already in `form`, from ICU's check of the stretches around non-ASCII
    /// characters only (`cp_is_normalized_utf8_by_pieces`): true means they are; false means some stretch is not, or
    /// the whole text must be asked (`normalizeWithICU` does that).
    static func isNormalizedByPieces(_ bytes: UnsafeBufferPointer<UInt8>, form: Form) -> Bool {
        guard let base = bytes.baseAddress, !bytes.isEmpty else { return true }
        let text = UnsafeRawPointer(base).assumingMemoryBound(to: CChar.self)
        return cp_is_normalized_utf8_by_pieces(form.code, text, Int64(bytes.count)) == 1
    }

    /// Whether `bytes` (valid UTF-8) are already in `form`, from ICU's check of the whole text (for tests: the plain
    /// check that `isNormalizedByPieces` stands for).
    static func isNormalizedWhole(_ bytes: UnsafeBufferPointer<UInt8>, form: Form) throws -> Bool {
        var result = cp_normalization()
        var message = [CChar](repeating: 0, count: 160)
        let base = UnsafeRawPointer(bytes.baseAddress ?? PCRE2ThreadScratch.emptySubject).assumingMemoryBound(to: CChar.self)
        let status = cp_normalize_utf8(form.code, base, Int64(bytes.count), &result, &message, Int32(message.count))
        guard status == 0 else { throw TextEngineError.icu("normalization check failed") }
        defer { cp_normalization_free(&result) }
        return result.unchanged != 0
    }

    /// `normalize` through ICU, whatever the text.
    static func normalizeWithICU(_ text: String, form: Form) throws -> (text: String, map: OffsetMap) {
        try text.withUTF8Bytes { bytes in
            var result = cp_normalization()
            var message = [CChar](repeating: 0, count: 160)
            let base = UnsafeRawPointer(bytes.baseAddress ?? PCRE2ThreadScratch.emptySubject).assumingMemoryBound(to: CChar.self)
            let status = cp_normalize_utf8(form.code, base, Int64(bytes.count), &result, &message, Int32(message.count))
            guard status == 0 else {
                throw TextEngineError.icu(String(decoding: message.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self))
            }
            defer { cp_normalization_free(&result) }
            if result.unchanged != 0 { return (text, .identity(length: bytes.count)) }
            let output = String(decoding: UnsafeRawBufferPointer(start: result.text, count: Int(result.length)), as: UTF8.self)
            var edits: [OffsetMap.Edit] = []
            edits.reserveCapacity(Int(result.edit_count))
            for index in 0..<Int(result.edit_count) {
                let edit = result.edits[index]
                edits.append(OffsetMap.Edit(
                    originalRange: Int(edit.source_offset)..<Int(edit.source_offset + edit.source_length),
                    layerRange: Int(edit.result_offset)..<Int(edit.result_offset + edit.result_length)))
            }
            let map = try OffsetMap(edits: edits, originalLength: bytes.count, layerLength: Int(result.length))
            return (output, map)
        }
    }

    /// The ICU version this process runs with.
    public static var icuVersion: String {
        var buffer = [CChar](repeating: 0, count: 32)
        cp_icu_version(&buffer, Int32(buffer.count))
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}

/// Errors from the text engine's C libraries.
public enum TextEngineError: Error, Sendable, CustomStringConvertible {
    case icu(String)
    public var description: String {
        switch self {
        case .icu(let message): "ICU: \(message)"
        }
    }
}

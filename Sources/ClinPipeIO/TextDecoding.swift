#if canImport(Glibc)
import Glibc
#endif
/// Turns raw bytes into document text, or says clearly why they are not a text document.
public enum TextDecoding {
    /// Documents larger than this are refused by default (bytes).
    public static let defaultMaximumBytes = 512 * 1024 * 1024

    /// Validates `bytes` as a UTF-8 text document.
    /// - Returns: the text, or a `RecordError` for empty input, binary content (NUL bytes), invalid UTF-8 (with
    ///   the byte offset of the first bad sequence) or a document over `maximumBytes`.
    public static func decode<C: Collection>(_ bytes: C, maximumBytes: Int = defaultMaximumBytes) -> Result<String, RecordError>
    where C.Element == UInt8 {
        if bytes.isEmpty { return .failure(RecordError("empty document")) }
        if bytes.count > maximumBytes {
            return .failure(RecordError("document of \(bytes.count) bytes exceeds the limit of \(maximumBytes) bytes"))
        }
        if let nul = bytes.firstIndex(of: 0) {
            return .failure(RecordError("binary content: NUL byte at offset \(bytes.distance(from: bytes.startIndex, to: nul))"))
        }
        if let text = String(validating: bytes, as: UTF8.self) {
            if text.utf8.allSatisfy({ $0 == 0x20 || ($0 >= 0x09 && $0 <= 0x0D) }) {
                return .failure(RecordError("document contains only whitespace"))
            }
            return .success(text)
        }
        return .failure(RecordError("invalid UTF-8 at byte offset \(firstInvalidOffset(bytes))"))
    }

    /// Why an already decoded text cannot be a document (the checks of `decode` that remain once the text is a
    /// valid `String`): empty, over `maximumBytes`, a NUL byte, or only whitespace. Nil when it is fine.
    public static func problem(with text: String, maximumBytes: Int = defaultMaximumBytes) -> RecordError? {
        var text = text
        return text.withUTF8 { bytes -> RecordError? in
            if bytes.isEmpty { return RecordError("empty document") }
            if bytes.count > maximumBytes {
                return RecordError("document of \(bytes.count) bytes exceeds the limit of \(maximumBytes) bytes")
            }
            if let base = bytes.baseAddress, let nul = memchr(base, 0, bytes.count) {
                return RecordError("binary content: NUL byte at offset \(UnsafeRawPointer(nul) - UnsafeRawPointer(base))")
            }
            if bytes.allSatisfy({ $0 == 0x20 || ($0 >= 0x09 && $0 <= 0x0D) }) {
                return RecordError("document contains only whitespace")
            }
            return nil
        }
    }

    /// The offset of the first byte that starts an invalid UTF-8 sequence.
    static func firstInvalidOffset<C: Collection>(_ bytes: C) -> Int where C.Element == UInt8 {
        var decoder = UTF8()
        var iterator = bytes.makeIterator()
        var offset = 0
        while true {
            switch decoder.decode(&iterator) {
            case .scalarValue(let scalar): offset += UTF8.width(scalar)
            case .emptyInput: return offset
            case .error: return offset
            }
        }
    }
}

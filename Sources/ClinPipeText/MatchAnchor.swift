/// A condition that every match of a pattern meets, declared next to the pattern in a rule file, so that matching
/// can skip text where the pattern cannot match: **each match contains one of `bytes` at most `lead` bytes after
/// its start** (offsets in UTF-8 bytes).
///
/// Written `[1-9] 12` in rule files: an ASCII bracket class (single characters and `a-z` ranges, no negation)
/// and the largest lead. The pattern `L4-5 | lumbar   4` declares `[1-9] 11`: a level's first digit follows at
/// most eleven bytes after the start (`thoracic` and three spaces).
///
/// An anchor is a promise about the pattern, not a filter on its matches: matches are exactly those of a scan
/// without it when the promise holds. The rule compiler does not prove the promise; each stage that accepts
/// anchors tests that its built-in patterns find the same matches with and without them.
public struct MatchAnchor: Sendable, Hashable, CustomStringConvertible {
    /// Bytes, one of which every match contains.
    public let bytes: Set<UInt8>
    /// The largest distance, in bytes, from a match's start to the anchor byte it contains.
    public let lead: Int
    let isAnchorByte: [Bool]

    public init(bytes: Set<UInt8>, lead: Int) {
        self.bytes = bytes
        self.lead = max(0, lead)
        var table = [Bool](repeating: false, count: 256)
        for byte in bytes { table[Int(byte)] = true }
        self.isAnchorByte = table
    }

    /// Parses `[<class>] <lead>`, e.g. `[1-9] 12` or `[0-9:] 40`.
    /// - Throws: `MatchAnchor.SyntaxError` with a message.
    public init(parsing text: String) throws {
        let trimmed = text.trimmingASCIIWhitespace()
        guard trimmed.hasPrefix("["), let close = trimmed.lastIndex(of: "]") else {
            throw SyntaxError(message: "anchor must look like '[1-9] 12' (an ASCII class and a lead in bytes)")
        }
        let classBody = Array(trimmed[trimmed.index(after: trimmed.startIndex)..<close].utf8)
        guard let lead = Int(trimmed[trimmed.index(after: close)...].trimmingASCIIWhitespace()), lead >= 0 else {
            throw SyntaxError(message: "anchor needs a lead in bytes after the class, e.g. '[1-9] 12'")
        }
        guard !classBody.isEmpty, classBody.first != UInt8(ascii: "^"), classBody.allSatisfy({ $0 >= 0x20 && $0 < 0x7F }) else {
            throw SyntaxError(message: "anchor class must list printable ASCII characters or ranges, without '^'")
        }
        var bytes: Set<UInt8> = []
        var index = 0
        while index < classBody.count {
            let low = classBody[index]
            if index + 2 < classBody.count, classBody[index + 1] == UInt8(ascii: "-") {
                let high = classBody[index + 2]
                guard low <= high else { throw SyntaxError(message: "anchor class range is reversed") }
                for byte in low...high { bytes.insert(byte) }
                index += 3
            } else {
                bytes.insert(low)
                index += 1
            }
        }
        self.init(bytes: bytes, lead: lead)
    }

    public var description: String {
        let characters = bytes.sorted().map { String(UnicodeScalar($0)) }.joined()
        return "[\(characters)] \(lead)"
    }

    public struct SyntaxError: Error, CustomStringConvertible, Sendable {
        public let message: String
        public var description: String { message }
    }

    /// The first offset at or after `start` (and before `end`) holding an anchor byte.
    @inline(__always) func nextAnchor(in base: UnsafePointer<UInt8>, from start: Int, to end: Int) -> Int? {
        var index = start
        while index < end {
            if isAnchorByte[Int(base[index])] { return index }
            index += 1
        }
        return nil
    }
}

private extension StringProtocol {
    func trimmingASCIIWhitespace() -> String {
        let bytes = Array(utf8)
        var start = 0, end = bytes.count
        while start < end && ByteClass.isSpace(bytes[start]) { start += 1 }
        while end > start && ByteClass.isSpace(bytes[end - 1]) { end -= 1 }
        return String(decoding: bytes[start..<end], as: UTF8.self)
    }
}

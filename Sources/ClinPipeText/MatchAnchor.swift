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
    /// The scanner for these bytes (a plain value: the match loop copies it without reference counting).
    let scan: Scan

    public init(bytes: Set<UInt8>, lead: Int) {
        self.bytes = bytes
        self.lead = max(0, lead)
        self.scan = Scan(bytes: bytes, lead: self.lead)
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

    /// Finds anchor bytes: the byte set as 256 bits, and the lead.
    struct Scan: Sendable, Hashable {
        let lead: Int
        /// Bits of bytes 0x00–0x7F and 0x80–0xFF.
        private let low: UInt128, high: UInt128
        /// Whether the anchor bytes are one run of ASCII bytes from 0x01 to 0x7F (`[1-9]`): `next` then tests eight
        /// bytes at a time with the two constants below (see `runFlags`).
        private let isASCIIRun: Bool
        /// Each byte `128 + last` and `128 - first` for the run `first...last`.
        private let belowLast: UInt64, aboveFirst: UInt64

        init(bytes: Set<UInt8>, lead: Int) {
            self.lead = lead
            var low: UInt128 = 0, high: UInt128 = 0
            for byte in bytes {
                if byte < 0x80 { low |= 1 << UInt128(byte) } else { high |= 1 << UInt128(byte - 0x80) }
            }
            self.low = low
            self.high = high
            let ones: UInt64 = 0x0101_0101_0101_0101
            if let first = bytes.min(), let last = bytes.max(), first >= 1, last <= 0x7F, Int(last - first) + 1 == bytes.count {
                isASCIIRun = true
                belowLast = ones &* (128 + UInt64(last))
                aboveFirst = ones &* (128 - UInt64(first))
            } else {
                isASCIIRun = false
                belowLast = 0
                aboveFirst = 0
            }
        }

        @inline(__always) func isAnchorByte(_ byte: UInt8) -> Bool {
            byte < 0x80 ? low >> UInt128(byte) & 1 != 0 : high >> UInt128(byte & 0x7F) & 1 != 0
        }

        /// The first offset at or after `start` (and before `end`) holding an anchor byte.
        @inline(__always) func next(in base: UnsafePointer<UInt8>, from start: Int, to end: Int) -> Int? {
            var index = start
            if isASCIIRun {
                let raw = UnsafeRawPointer(base)
                while index &+ 8 <= end {
                    let flags = runFlags(UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: index, as: UInt64.self)))
                    if flags != 0 { return index &+ flags.trailingZeroBitCount >> 3 }
                    index &+= 8
                }
            }
            while index < end {
                if isAnchorByte(base[index]) { return index }
                index &+= 1
            }
            return nil
        }

        /// For a scan of an ASCII run `first...last`: the high bit of each byte of `word` that lies in the run, others
        /// clear. Per byte, with `b7` its low seven bits: `(128 + last) - b7` has its high bit when `b7 <= last`,
        /// `b7 + (128 - first)` when `b7 >= first`, and `~word` when the byte is ASCII. No step carries into the next
        /// byte, so every flag is exact (Bit Twiddling Hacks' `hasbetween`).
        @inline(__always) func runFlags(_ word: UInt64) -> UInt64 {
            let low7 = word & 0x7F7F_7F7F_7F7F_7F7F
            return (belowLast &- low7) & ~word & (low7 &+ aboveFirst) & 0x8080_8080_8080_8080
        }
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

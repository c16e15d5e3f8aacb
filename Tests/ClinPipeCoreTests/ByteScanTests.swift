import CByteScan
import ClinPipeTestSupport
import Testing

/// The SSE2 scans of `CByteScan` against a byte-at-a-time reference: every byte JSON escapes at every position of
/// strings of 1 to 64 bytes (covering the 16-byte blocks, the overlapping last block and the short 8- and 4-byte
/// paths), next to bytes of multi-byte characters, and on random bytes at every alignment.
@Suite("CByteScan")
struct ByteScanTests {
    /// The bytes JSON escapes inside a string, and bytes next to them that it does not.
    static let specials: [UInt8] = Array(0...0x1F) + [0x22, 0x5C, 0x7F]
    static let nearMisses: [UInt8] = [0x20, 0x21, 0x23, 0x5B, 0x5D, 0x7E, 0x80, 0x9F, 0xA0, 0xA2, 0xBF, 0xC3, 0xDC, 0xE2, 0xF0, 0xFF]
    /// Fillers around the special byte: ASCII, and bytes of multi-byte characters (which must never match).
    static let fillers: [[UInt8]] = [[0x61], [0xC3, 0xA9], [0xE2, 0x80, 0x99], [0xF0, 0x9F, 0x98, 0x80], [0xFF], [0x80]]

    /// The reference: the first offset whose byte is below 0x20, `"`, `\` or DEL.
    static func reference(_ bytes: ArraySlice<UInt8>) -> Int {
        (bytes.firstIndex { $0 < 0x20 || $0 == 0x22 || $0 == 0x5C || $0 == 0x7F } ?? bytes.endIndex) - bytes.startIndex
    }

    /// Runs both scans on `storage[offset...]` (so that the input may start at any alignment) and returns what
    /// differs from the reference, if anything. The copy must reproduce the clean prefix and write nothing at or
    /// beyond the input's length (guard bytes after the destination stay untouched).
    static func problem(_ storage: [UInt8], from offset: Int = 0) -> String? {
        let bytes = storage[offset...]
        let expected = reference(bytes)
        let found = storage.withUnsafeBufferPointer { cbs_next_json_escape($0.baseAddress.map { $0 + offset }, bytes.count) }
        if found != expected { return "scan found \(found), expected \(expected)" }
        var destination = [UInt8](repeating: 0xEE, count: bytes.count + 32)
        let copied = storage.withUnsafeBufferPointer { source in
            destination.withUnsafeMutableBufferPointer {
                cbs_copy_until_json_escape($0.baseAddress, source.baseAddress.map { $0 + offset }, bytes.count)
            }
        }
        if copied != expected { return "copy stopped at \(copied), expected \(expected)" }
        if destination[0..<expected] != bytes.prefix(expected) { return "copied prefix differs" }
        if !destination[bytes.count...].allSatisfy({ $0 == 0xEE }) { return "copy wrote past the end" }
        return nil
    }

    @Test("every special byte at every position of 1- to 64-byte strings, among ASCII and non-ASCII fillers")
    func everyPosition() {
        var problems: [String] = []
        for filler in Self.fillers {
            for length in 1...64 {
                // The filler repeated to the length (a multi-byte filler may be cut at the end: the scan reads bytes).
                let plain = (0..<length).map { filler[$0 % filler.count] }
                if let problem = Self.problem(plain) { problems.append("no special, length \(length), filler \(filler): \(problem)") }
                for position in 0..<length {
                    for special in Self.specials + Self.nearMisses {
                        var bytes = plain
                        bytes[position] = special
                        if let problem = Self.problem(bytes) {
                            problems.append("byte \(special) at \(position) of \(length), filler \(filler): \(problem)")
                        }
                    }
                    // Two specials: the first one must be found, wherever the second stands.
                    if position + 1 < length {
                        var bytes = plain
                        bytes[position] = 0x0A
                        bytes[length - 1] = 0x22
                        if let problem = Self.problem(bytes) {
                            problems.append("specials at \(position) and \(length - 1), filler \(filler): \(problem)")
                        }
                    }
                }
            }
        }
        #expect(problems.isEmpty, "\(problems.count) problems, first: \(problems.prefix(5))")
    }

    @Test("the empty input has no special byte")
    func empty() {
        #expect(cbs_next_json_escape(nil, 0) == 0)
        #expect(cbs_copy_until_json_escape(nil, nil, 0) == 0)
        #expect(Self.problem([]) == nil)
    }

    @Test("random bytes, from sparse to dense specials, lengths 0 to 300, at every alignment")
    func randomBytes() {
        var problems: [String] = []
        for seed in testSeeds(400) {
            var generator = SeededGenerator(seed: seed)
            let length = Int(generator.next() % 301)
            let density = Int(generator.next() % 64) + 1
            let offset = Int(generator.next() % 16)
            let storage = (0..<(offset + length)).map { _ -> UInt8 in
                generator.next() % UInt64(density) == 0
                    ? Self.specials[Int(generator.next() % UInt64(Self.specials.count))]
                    : UInt8(truncatingIfNeeded: generator.next())
            }
            // The whole string, and some of its suffixes (as a reader resuming after an escape scans them).
            for start in stride(from: offset, through: storage.count, by: max(1, length / 8)) {
                if let problem = Self.problem(storage, from: start) { problems.append("seed \(seed) from \(start): \(problem)") }
            }
        }
        #expect(problems.isEmpty, "\(problems.count) problems, first: \(problems.prefix(5))")
    }

    /// The counts of `cbs_utf8_scalar_count` and `cbs_utf8_utf16_count`, and `cbs_is_ascii`, one byte at a time.
    static func countProblem(_ storage: [UInt8], from offset: Int) -> String? {
        let bytes = storage[offset...]
        let continuations = bytes.filter { $0 & 0xC0 == 0x80 }.count
        let fourByteLeads = bytes.filter { $0 >= 0xF0 }.count
        let (scalars, units, ascii) = storage.withUnsafeBufferPointer { buffer in
            let start = buffer.baseAddress.map { $0 + offset }
            return (cbs_utf8_scalar_count(start, bytes.count), cbs_utf8_utf16_count(start, bytes.count),
                    cbs_is_ascii(start, bytes.count) != 0)
        }
        if scalars != bytes.count - continuations { return "scalars \(scalars), expected \(bytes.count - continuations)" }
        if units != bytes.count - continuations + fourByteLeads { return "UTF-16 units \(units)" }
        if ascii != bytes.allSatisfy({ $0 < 0x80 }) { return "ASCII \(ascii)" }
        return nil
    }

    @Test("UTF-8 counts and the ASCII check: every kind of byte at every position of 1- to 80-byte inputs")
    func countsAtEveryPosition() {
        // Lead bytes of each length, continuation bytes, and ASCII, each at each position among ASCII and among
        // continuation bytes (the counts are per byte, so the input need not be valid UTF-8).
        let kinds: [UInt8] = [0x00, 0x41, 0x7F, 0x80, 0xBF, 0xC2, 0xDF, 0xE0, 0xEF, 0xF0, 0xF4, 0xFF]
        var problems: [String] = []
        for filler: UInt8 in [0x61, 0x80, 0xE2] {
            for length in 1...80 {
                let plain = [UInt8](repeating: filler, count: length)
                if let problem = Self.countProblem(plain, from: 0) { problems.append("filler \(filler) × \(length): \(problem)") }
                for position in 0..<length {
                    for kind in kinds {
                        var bytes = plain
                        bytes[position] = kind
                        if let problem = Self.countProblem(bytes, from: 0) {
                            problems.append("byte \(kind) at \(position) of \(length) × \(filler): \(problem)")
                        }
                    }
                }
            }
        }
        #expect(problems.isEmpty, "\(problems.count) problems, first: \(problems.prefix(5))")
    }

    @Test("UTF-8 counts on random text and random bytes, lengths 0 to 300, at every alignment")
    func countsOnRandomInput() {
        var problems: [String] = []
        for seed in testSeeds(300) {
            var generator = SeededGenerator(seed: seed)
            let offset = Int(generator.next() % 16)
            let body: [UInt8] = generator.next() % 2 == 0
                ? Array(RandomText.make(pieceCount: Int(generator.next() % 80), using: &generator).utf8)
                : (0..<Int(generator.next() % 301)).map { _ in UInt8(truncatingIfNeeded: generator.next()) }
            let storage = [UInt8](repeating: 0x20, count: offset) + body
            for start in stride(from: offset, through: storage.count, by: max(1, body.count / 8)) {
                if let problem = Self.countProblem(storage, from: start) { problems.append("seed \(seed) from \(start): \(problem)") }
            }
        }
        #expect(problems.isEmpty, "\(problems.count) problems, first: \(problems.prefix(5))")
    }

    /// `cbs_plain_prefix` against the byte rule it implements: every byte value, and a space before every byte value,
    /// at every position of 1- to 40-byte runs of printable ASCII (the sixteen-byte blocks, the seventeenth byte each
    /// block reads, the last sixteen bytes read again over bytes already seen, and the byte loop of runs under 16).
    @Test("plain runs: every byte and every space pair at every position")
    func plainPrefix() {
        func reference(_ bytes: [UInt8]) -> Int {
            for i in bytes.indices {
                let byte = bytes[i]
                if byte > 0x20 && byte < 0x80 { continue }
                if byte == 0x20, i + 1 < bytes.count, bytes[i + 1] > 0x20, bytes[i + 1] < 0x80 { continue }
                return i
            }
            return bytes.count
        }
        var problems: [String] = []
        for length in 1...40 {
            let plain = (0..<length).map { UInt8(0x21 + $0 % 94) }
            var cases: [[UInt8]] = [plain]
            for position in 0..<length {
                for byte in 0...255 {
                    var bytes = plain
                    bytes[position] = UInt8(byte)
                    cases.append(bytes)
                    if position + 1 < length {
                        var pair = plain
                        pair[position] = 0x20
                        pair[position + 1] = UInt8(byte)
                        cases.append(pair)
                    }
                }
            }
            for bytes in cases {
                let found = bytes.withUnsafeBufferPointer { cbs_plain_prefix($0.baseAddress, $0.count) }
                if found != reference(bytes) { problems.append("\(bytes): found \(found), expected \(reference(bytes))") }
            }
        }
        #expect(problems.isEmpty, "\(problems.prefix(5))")
    }

    /// `cbs_next_below_0e` against a byte loop: every byte value at every position of 1- to 40-byte runs, and two
    /// such bytes (the first must be found).
    @Test("bytes below 0x0E: every byte at every position")
    func nextBelow0E() {
        var problems: [String] = []
        for length in 1...40 {
            let plain = (0..<length).map { UInt8(0x0E + $0 % 0xF0) }
            var cases: [[UInt8]] = [plain]
            for position in 0..<length {
                for byte in 0...255 {
                    var bytes = plain
                    bytes[position] = UInt8(byte)
                    if position + 3 < length { bytes[position + 3] = 0x0A }
                    cases.append(bytes)
                }
            }
            for bytes in cases {
                let expected = bytes.firstIndex { $0 < 0x0E } ?? bytes.count
                let found = bytes.withUnsafeBufferPointer { cbs_next_below_0e($0.baseAddress, $0.count) }
                if found != expected { problems.append("\(bytes): found \(found), expected \(expected)") }
            }
        }
        #expect(problems.isEmpty, "\(problems.prefix(5))")
    }

    /// The bytes `cbs_next_sentence_candidate` stops at: `.`, `!`, `?`, CR, LF and every byte of 0x80 and above.
    static func isSentenceCandidate(_ byte: UInt8) -> Bool {
        byte >= 0x80 || byte == 0x0A || byte == 0x0D || byte == 0x21 || byte == 0x2E || byte == 0x3F
    }

    @Test("sentence candidates: every byte value at every position of 1- to 40-byte inputs, and random text at every alignment")
    func sentenceCandidates() {
        var problems: [String] = []
        func check(_ storage: [UInt8], from offset: Int) {
            let bytes = storage[offset...]
            let expected = (bytes.firstIndex(where: Self.isSentenceCandidate) ?? bytes.endIndex) - bytes.startIndex
            let found = storage.withUnsafeBufferPointer { cbs_next_sentence_candidate($0.baseAddress.map { $0 + offset }, bytes.count) }
            if found != expected { problems.append("\(bytes.count) bytes from \(offset): found \(found), expected \(expected)") }
        }
        for length in 1...40 {
            for position in 0..<length {
                for byte in UInt8(0)...UInt8(255) {
                    var storage = [UInt8](repeating: 0x61, count: length)
                    storage[position] = byte
                    check(storage, from: 0)
                }
            }
        }
        check([], from: 0)
        let sample = Array("Pt seen 3.5 hrs ago; no pain!? Dr. Smith\r\nVital signs: BP 120/80 \u{2014} café, naïve\n".utf8)
        for seed in testSeeds(200) {
            var generator = SeededGenerator(seed: seed)
            let length = Int.random(in: 0...300, using: &generator)
            let storage: [UInt8] = Bool.random(using: &generator)
                ? (0..<length).map { _ in sample.randomElement(using: &generator)! }
                : (0..<length).map { _ in Int.random(in: 0..<8, using: &generator) == 0 ? UInt8.random(in: 0...255, using: &generator) : 0x61 }
            for offset in 0...min(length, 17) { check(storage, from: offset) }
        }
        #expect(problems.isEmpty, "\(problems.count) problems, first: \(problems.prefix(5))")
    }

    @Test("keys at or before a position: the branch-free search counts as a linear scan does, for every count and stride")
    func countKeysAtOrBefore() {
        var generator = SeededGenerator(seed: 41)
        for count in 0...70 {
            for stride in [1, 2, 4] {
                // Ascending keys with repeats and gaps, `stride` Int64s per record (the key first, then padding).
                var keys: [Int64] = []
                var key: Int64 = Int64(generator.next() % 5)
                for _ in 0..<count {
                    key += Int64(generator.next() % 4)
                    keys.append(key)
                }
                let records = keys.flatMap { [$0] + [Int64](repeating: -99, count: stride - 1) }
                for position in Int64(-2)...(key + 3) {
                    let expected = keys.filter { $0 <= position }.count
                    let found = records.withUnsafeBytes { raw in
                        cbs_count_keys_at_or_before(raw.baseAddress, stride * 8, count, position)
                    }
                    #expect(found == expected, "count \(count), stride \(stride), position \(position)")
                }
            }
        }
    }
}

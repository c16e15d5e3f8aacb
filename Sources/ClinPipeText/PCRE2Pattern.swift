import CPCRE2
import ClinPipeCore
#if canImport(Glibc)
import Glibc
#endif

/// A PCRE2 pattern compiled once (with JIT when available) and matched on UTF-8 bytes.
///
/// The compiled code is immutable and shared by every thread; each thread matches with its own match data, match
/// context and JIT stack (see `PCRE2ThreadScratch`). Subjects are always valid UTF-8 (Swift strings are), so
/// matching passes `PCRE2_NO_UTF_CHECK` and never re-validates the text. Every match runs under a match limit and
/// a depth limit, so no input can hang a worker: exceeding one throws `PCRE2Error.limitExceeded`.
///
/// All offsets are UTF-8 byte offsets into the subject.
public final class PCRE2Pattern: @unchecked Sendable {
    /// Compile options.
    public struct Options: OptionSet, Sendable {
        public let rawValue: UInt32
        public init(rawValue: UInt32) { self.rawValue = rawValue }
        /// Case-insensitive matching (`(?i)`).
        public static let caseless = Options(rawValue: UInt32(PCRE2_CASELESS))
        /// `^` and `$` match at line starts and ends.
        public static let multiline = Options(rawValue: UInt32(PCRE2_MULTILINE))
        /// `.` matches newlines too.
        public static let dotAll = Options(rawValue: UInt32(PCRE2_DOTALL))
        /// Whitespace and `#` comments in the pattern are ignored.
        public static let extended = Options(rawValue: UInt32(PCRE2_EXTENDED))
        /// `\w`, `\d`, `\b` and POSIX classes use Unicode properties (slower; off by default: clinical patterns are
        /// ASCII and `\b` then treats every non-ASCII letter as a non-word character).
        public static let unicodeProperties = Options(rawValue: UInt32(PCRE2_UCP))
    }

    /// Limits that bound the work of one match attempt.
    public struct Limits: Sendable, Hashable {
        /// `pcre2_set_match_limit`: the number of internal match steps (also enforced by JIT code).
        public var matchLimit: UInt32
        /// `pcre2_set_depth_limit`: the backtracking depth of the interpreter.
        public var depthLimit: UInt32
        /// `pcre2_set_heap_limit` in KiB: the interpreter's backtracking memory.
        public var heapLimitKiB: UInt32

        public init(matchLimit: UInt32 = 2_000_000, depthLimit: UInt32 = 20_000, heapLimitKiB: UInt32 = 20_000) {
            self.matchLimit = matchLimit
            self.depthLimit = depthLimit
            self.heapLimitKiB = heapLimitKiB
        }

        public static let `default` = Limits()
    }

    /// The pattern's source.
    public let pattern: String
    public let options: Options
    public let limits: Limits
    /// Number of capturing groups.
    public let captureCount: Int
    /// Capturing group numbers by name.
    public let groupNumbers: [String: Int]
    /// True when the pattern runs as JIT code.
    public let isJIT: Bool
    /// The declared condition every match meets, used to skip text (see `MatchAnchor`); nil scans everywhere.
    public let anchor: MatchAnchor?

    let code: OpaquePointer
    /// `anchor?.scan`, kept apart so that the match loop reads it without copying the anchor's sets.
    private let anchorScan: MatchAnchor.Scan?

    /// Compiles `pattern` (UTF mode always on).
    /// - Parameters:
    ///   - jit: compile to machine code (default). Matches are the same either way.
    ///   - anchor: a condition every match meets (see `MatchAnchor`); matching then runs only near anchor bytes.
    ///     Matches are the same as without it as long as the condition holds.
    /// - Throws: `PCRE2Error.compile` with the error message and the offset in the pattern.
    public init(_ pattern: String, options: Options = [], limits: Limits = .default, jit: Bool = true,
                anchor: MatchAnchor? = nil) throws
    {
        var errorCode: Int32 = 0
        var errorOffset: Int = 0
        var flags = options.rawValue | UInt32(PCRE2_UTF)
        if anchor != nil { flags |= UInt32(PCRE2_USE_OFFSET_LIMIT) }
        self.anchor = anchor
        self.anchorScan = anchor?.scan
        let compiled: OpaquePointer? = pattern.withUTF8Bytes { bytes in
            let base = bytes.baseAddress ?? PCRE2ThreadScratch.emptySubject
            return pcre2_compile_8(base, bytes.count, flags, &errorCode, &errorOffset, nil)
        }
        guard let compiled else {
            throw PCRE2Error.compile(message: PCRE2Error.message(for: errorCode), offset: errorOffset)
        }
        self.code = compiled
        self.pattern = pattern
        self.options = options
        self.limits = limits
        var count: UInt32 = 0
        pcre2_pattern_info_8(compiled, UInt32(PCRE2_INFO_CAPTURECOUNT), &count)
        self.captureCount = Int(count)
        guard count < PCRE2ThreadScratch.ovectorPairs else {
            pcre2_code_free_8(compiled)
            throw PCRE2Error.compile(message: "more than \(PCRE2ThreadScratch.ovectorPairs - 1) capturing groups", offset: 0)
        }
        self.groupNumbers = Self.readGroupNames(compiled)
        if jit {
            self.isJIT = pcre2_jit_compile_8(compiled, UInt32(PCRE2_JIT_COMPLETE)) == 0
        } else {
            self.isJIT = false
        }
    }

    deinit { pcre2_code_free_8(code) }

    private static func readGroupNames(_ code: OpaquePointer) -> [String: Int] {
        var nameCount: UInt32 = 0
        var entrySize: UInt32 = 0
        var table: UnsafePointer<UInt8>?
        pcre2_pattern_info_8(code, UInt32(PCRE2_INFO_NAMECOUNT), &nameCount)
        guard nameCount > 0 else { return [:] }
        pcre2_pattern_info_8(code, UInt32(PCRE2_INFO_NAMEENTRYSIZE), &entrySize)
        pcre2_pattern_info_8(code, UInt32(PCRE2_INFO_NAMETABLE), &table)
        guard let table else { return [:] }
        var names: [String: Int] = [:]
        for index in 0..<Int(nameCount) {
            let entry = table + index * Int(entrySize)
            let number = Int(entry[0]) << 8 | Int(entry[1])
            var length = 0
            while entry[2 + length] != 0 && length < Int(entrySize) - 2 { length += 1 }
            let name = String(decoding: UnsafeBufferPointer(start: entry + 2, count: length), as: UTF8.self)
            names[name] = number
        }
        return names
    }

    // MARK: - Matching

    /// Calls `body` for each non-overlapping match in `subject[start..<subject.count]`, left to right, until it
    /// returns false. `subject` must be valid UTF-8 and `start` a character boundary.
    ///
    /// With an `anchor`, matching runs only from shortly before each run of anchor bytes, with PCRE2's offset limit
    /// so that no attempt starts after the run. The matches are the same: a match starting at `p` contains an
    /// anchor byte in `p...p+lead`, so when the next anchor byte at or after `offset` is at `a`, no match starts in
    /// `offset..<a-lead`; and a window's last allowed start is the last anchor byte of the run (anchor bytes closer
    /// than `lead` to each other form one run).
    /// - Throws: `PCRE2Error.limitExceeded` when a match attempt hits a limit, `PCRE2Error.match` otherwise.
    public func forEachMatch(in subject: UnsafeBufferPointer<UInt8>, from start: Int = 0,
                             _ body: (PCRE2Match) throws -> Bool) throws
    {
        if let anchorScan {
            try forEachAnchoredMatch(in: subject, from: start, scan: anchorScan, body)
            return
        }
        let scratch = PCRE2ThreadScratch.current(for: limits)
        let matchData = scratch.enter()
        defer { scratch.leave() }
        let base = subject.baseAddress ?? PCRE2ThreadScratch.emptySubject
        let length = subject.count
        var offset = start
        let ovector = pcre2_get_ovector_pointer_8(matchData)!
        while offset <= length {
            let rc = run(base, length, from: offset, matchData, scratch)
            if rc == PCRE2_ERROR_NOMATCH { return }
            if rc < 0 { throw PCRE2Error.fromMatch(rc) }
            let begin = ovector[0], end = ovector[1]
            guard try body(PCRE2Match(ovector: ovector, pairCount: captureCount + 1, groupNumbers: groupNumbers)) else { return }
            offset = Self.offset(afterMatch: begin, end, base, length)
        }
    }

    /// `forEachMatch` for a pattern with an anchor (see there).
    @inline(never)
    private func forEachAnchoredMatch(in subject: UnsafeBufferPointer<UInt8>, from start: Int, scan: MatchAnchor.Scan,
                                      _ body: (PCRE2Match) throws -> Bool) throws
    {
        let scratch = PCRE2ThreadScratch.current(for: limits)
        let matchData = scratch.enter()
        defer { scratch.leave() }
        let base = subject.baseAddress ?? PCRE2ThreadScratch.emptySubject
        let length = subject.count
        var offset = start
        let ovector = pcre2_get_ovector_pointer_8(matchData)!
        while offset < length {
            guard let first = scan.next(in: base, from: offset, to: length) else { return }
            // Extend the run while the next anchor byte is within `lead` of the last one.
            var latestStart = first
            while let next = scan.next(in: base, from: latestStart + 1, to: min(length, latestStart + scan.lead + 1)) {
                latestStart = next
            }
            var searchStart = max(offset, first - scan.lead)
            while searchStart > offset && base[searchStart] & 0xC0 == 0x80 { searchStart -= 1 }
            pcre2_set_offset_limit_8(scratch.matchContext, latestStart)
            let rc = run(base, length, from: searchStart, matchData, scratch)
            pcre2_set_offset_limit_8(scratch.matchContext, PCRE2ThreadScratch.unset)
            if rc == PCRE2_ERROR_NOMATCH {
                offset = latestStart + 1
                continue
            }
            if rc < 0 { throw PCRE2Error.fromMatch(rc) }
            let begin = ovector[0], end = ovector[1]
            guard try body(PCRE2Match(ovector: ovector, pairCount: captureCount + 1, groupNumbers: groupNumbers)) else { return }
            offset = Self.offset(afterMatch: begin, end, base, length)
        }
    }

    /// One match attempt from `searchStart` with this thread's match data and context.
    ///
    /// JIT code goes through PCRE2's fast path, which skips `pcre2_match`'s argument checks (the subject is valid
    /// UTF-8 and `searchStart <= length` here) but honours the same match context: limits, offset limit and JIT
    /// stack.
    @inline(__always)
    private func run(_ base: UnsafePointer<UInt8>, _ length: Int, from searchStart: Int, _ matchData: OpaquePointer,
                     _ scratch: PCRE2ThreadScratch) -> Int32
    {
        // A callback may have run a pattern with other limits on this thread's shared match context.
        if scratch.limits != limits { _ = PCRE2ThreadScratch.current(for: limits) }
        return isJIT
            ? pcre2_jit_match_8(code, base, length, searchStart, 0, matchData, scratch.matchContext)
            : pcre2_match_8(code, base, length, searchStart, UInt32(PCRE2_NO_UTF_CHECK), matchData, scratch.matchContext)
    }

    /// Where the search goes on after a match `begin..<end`: its end, or one character further for an empty match.
    @inline(__always)
    private static func offset(afterMatch begin: Int, _ end: Int, _ base: UnsafePointer<UInt8>, _ length: Int) -> Int {
        if end > begin { return end }
        var offset = end + 1
        while offset < length && base[offset] & 0xC0 == 0x80 { offset += 1 }
        return offset
    }

    /// The range of the first match at or after `start`, or nil. Allocates nothing (`firstMatch` builds an array).
    public func firstMatchRange(in subject: UnsafeBufferPointer<UInt8>, from start: Int = 0) throws -> Range<Int>? {
        var found: Range<Int>?
        try forEachMatch(in: subject, from: start) { match in
            found = match.range
            return false
        }
        return found
    }

    /// The first match at or after `start`, as captured ranges, or nil.
    public func firstMatch(in subject: UnsafeBufferPointer<UInt8>, from start: Int = 0) throws -> [Range<Int>?]? {
        var found: [Range<Int>?]?
        try forEachMatch(in: subject, from: start) { match in
            found = (0...captureCount).map { match.range($0) }
            return false
        }
        return found
    }

    /// Whether the pattern matches anywhere in `subject`.
    public func matches(_ subject: UnsafeBufferPointer<UInt8>) throws -> Bool {
        var found = false
        try forEachMatch(in: subject) { _ in
            found = true
            return false
        }
        return found
    }

    /// All matches in `text` as captured ranges (UTF-8 offsets); group 0 is the whole match. For tests and tools;
    /// hot paths use `forEachMatch`, which allocates nothing per match.
    public func allMatches(in text: String) throws -> [[Range<Int>?]] {
        try text.withUTF8Bytes { bytes in
            var all: [[Range<Int>?]] = []
            try forEachMatch(in: bytes) { match in
                all.append((0...captureCount).map { match.range($0) })
                return true
            }
            return all
        }
    }
}

/// A view of one match, valid only inside the `forEachMatch` callback that received it.
public struct PCRE2Match {
    let ovector: UnsafeMutablePointer<Int>
    let pairCount: Int
    let groupNumbers: [String: Int]

    /// The whole match (UTF-8 offsets).
    public var range: Range<Int> { ovector[0]..<ovector[1] }

    /// The range of capturing group `group`, or nil if it did not participate.
    public func range(_ group: Int) -> Range<Int>? {
        guard group >= 0, group < pairCount else { return nil }
        let begin = ovector[2 * group], end = ovector[2 * group + 1]
        if begin == PCRE2ThreadScratch.unset || end == PCRE2ThreadScratch.unset { return nil }
        return begin..<end
    }

    /// The range of the named group, or nil if it did not participate.
    public func range(_ name: String) -> Range<Int>? {
        guard let number = groupNumbers[name] else { return nil }
        return range(number)
    }
}

/// Errors from compiling or matching.
public enum PCRE2Error: Error, Sendable, CustomStringConvertible, Equatable {
    case compile(message: String, offset: Int)
    /// A match or depth limit was reached: the input is pathological for this pattern.
    case limitExceeded(String)
    case match(code: Int32, message: String)

    public var description: String {
        switch self {
        case .compile(let message, let offset): "pattern error at offset \(offset): \(message)"
        case .limitExceeded(let message): "regular expression limit exceeded (\(message))"
        case .match(let code, let message): "regular expression match error \(code): \(message)"
        }
    }

    static func message(for code: Int32) -> String {
        var buffer = [UInt8](repeating: 0, count: 256)
        let length = pcre2_get_error_message_8(code, &buffer, buffer.count)
        return length > 0 ? String(decoding: buffer[0..<Int(length)], as: UTF8.self) : "error \(code)"
    }

    static func fromMatch(_ code: Int32) -> PCRE2Error {
        switch code {
        case PCRE2_ERROR_MATCHLIMIT, PCRE2_ERROR_DEPTHLIMIT, PCRE2_ERROR_HEAPLIMIT, PCRE2_ERROR_JIT_STACKLIMIT:
            .limitExceeded(message(for: code))
        default:
            .match(code: code, message: message(for: code))
        }
    }
}

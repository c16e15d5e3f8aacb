import ClinPipeText

/// Keywords without which a rule's pattern cannot match: an exact pre-test that spares running PCRE2 over texts
/// where the pattern has no chance.
///
/// A row's `keywords` field lists groups separated by `&`, each a `|`-separated list of ASCII words or word parts
/// (`trigger|twitch`, `not & meet|satisfy`). The rule's author guarantees that every match of the row's pattern
/// contains, for every group, at least one of the group's keywords (ASCII letters and digits, letters compared
/// case-insensitively). So a text that lacks every keyword of some group cannot match and the pattern need not
/// run; results never change. An empty field never filters.
///
/// When the pattern's alphabet is known (`PatternAlphabet`), a match lies between two characters the pattern
/// cannot consume, so the keywords must occur together in one such segment (a clause, for most rules), and the
/// pattern need only run on the segments that have them all.
///
/// All keywords of a table are found in one pass over the text's UTF-8 bytes: an Aho–Corasick automaton with one
/// class per byte the keywords use (letters folded to lower case), each state's row of 16-bit transitions in one
/// 64-byte cache line, states in breadth-first order. A byte costs one dependent table load; the groups of the state
/// reached are or-ed in without a branch, and only the bytes that end a segment or may start U+212A/U+017F (below) are
/// looked at, four bytes tested at once. PCRE2's
/// caseless matching in UTF mode also lets `k` match U+212A KELVIN SIGN and `s` match U+017F LATIN SMALL LETTER
/// LONG S, which fold to no ASCII byte: a text containing either is never filtered.
struct KeywordFilter: Sendable {
    /// Where each row's pattern may match in one text.
    struct Scan {
        /// The segments that hold keywords (UTF-8 ranges, in text order), with the groups found in each.
        fileprivate let segments: [(range: Range<Int>, groups: UInt64)]
        /// The groups found anywhere in the text.
        fileprivate let seen: UInt64
        fileprivate let required: [UInt64]
        fileprivate let bySegment: UInt64

        /// The offset from which row `row`'s pattern may match (UTF-8), or nil when it cannot match the text: for a
        /// row filtered by segment, the start of the first segment that holds all its groups (found when asked: the
        /// stage itself only walks `forEachSegment`); else 0 when the text holds all its groups.
        func start(of row: Int) -> Int? {
            let required = required[row]
            if isBySegment(row) { return segments.first { $0.groups & required == required }?.range.lowerBound }
            return seen & required == required ? 0 : nil
        }

        /// Whether the text holds every group of row `row` (somewhere; a row filtered by segment also needs them in one
        /// segment): when not, the row cannot match.
        func holdsGroups(of row: Int) -> Bool { seen & required[row] == required[row] }

        /// Whether the matches of row `row` lie inside the segments that `forEachSegment` lists.
        func isBySegment(_ row: Int) -> Bool { row < 64 && bySegment & (1 << UInt64(row)) != 0 }

        /// Calls `body` with each segment (UTF-8 range, in text order) where row `row`'s pattern may match, until it
        /// returns false. Only for rows filtered by segment.
        func forEachSegment(of row: Int, _ body: (Range<Int>) throws -> Bool) rethrows {
            let required = required[row]
            for segment in segments where segment.groups & required == required {
                guard try body(segment.range) else { return }
            }
        }
    }

    /// Whether a byte may appear in a keyword: ASCII letters and digits.
    private static func isKeywordByte(_ byte: UInt8) -> Bool { ByteTest.isASCIIWord(byte) && byte != UInt8(ascii: "_") }

    /// Per byte: for a byte that only moves the automaton, its class times 2 (the byte offset of its `UInt16` entry in
    /// a row of `rows`): class 0 for bytes in no keyword, 1... for the (case-folded) bytes the keywords use. `lookMark`
    /// for a byte that needs a look: an ASCII separator (ends a segment), or `E2` or `C5` (the first byte of U+212A or
    /// U+017F). Both move the automaton to its start, as class 0 does.
    private let classOffsets: [UInt8]
    private static let lookMark: UInt8 = 0x80
    /// The bits of a class offset that name its column (a look byte's column is 0: class 0).
    private static let columnMask = 0x7F
    /// The automaton: one row per state, states in breadth-first order (the start, then the states one byte deep,
    /// ...), so that the few states most text visits share few cache lines. A row holds the state's transitions, one
    /// `UInt16` per class, and in its last 4 bytes (8 when the table has more than 32 groups) the groups whose keyword
    /// ends at the state (including keywords that are suffixes of the state's path): 64 bytes, one cache line, for up to
    /// 30 classes, else 128. A state is named by its row's offset divided by `nameScale` (the start is 0): the
    /// transition of state `s` on a byte of class offset `c` is the `UInt16` at byte `c + nameScale * s`, the next
    /// state's name, and its groups are the `UInt64` at byte `rowBytes - 8 + nameScale * s` shifted right by
    /// `groupShift`.
    private let rows: CacheAlignedBytes
    /// The size of a row of `rows` in bytes.
    private let rowBytes: Int
    /// A state's row starts at byte `name * nameScale` of `rows`: 1 (names are row offsets) for tables up to 64 KB,
    /// else 8.
    private let nameScale: Int
    /// 32 when a row's groups take its last 4 bytes, 0 when they take 8.
    private let groupShift: UInt64
    /// Per row, the groups that must all be seen for the row's pattern to be able to match (0: always).
    private let required: [UInt64]
    private let hasKeywords: Bool
    /// The rows (bit `r` for row `r` < 64) whose keywords must occur in one segment (their pattern's alphabet is
    /// known).
    private let bySegment: UInt64

    /// Builds the filter from each row's `keywords` field and pattern source (nil: none). `names` (file:line per
    /// row) appear in errors.
    /// - Throws: `RuleFileError` for a keyword that is not ASCII letters and digits, or more than 64 groups in the
    ///   table.
    init(fields: [String], patterns: [String?], names: [String]) throws {
        var groupKeywords: [[String]] = []
        var required: [UInt64] = []
        var problems: [String] = []
        for (field, name) in zip(fields, names) {
            var mask: UInt64 = 0
            for group in field.split(separator: "&") {
                let keywords = group.split(separator: "|").map { String($0.filter { $0 != " " }).lowercased() }
                guard !keywords.isEmpty, keywords.allSatisfy({ !$0.isEmpty && $0.utf8.allSatisfy(Self.isKeywordByte) }) else {
                    problems.append("\(name): keywords must be ASCII letters and digits, as 'a|b & c' (found '\(group)')")
                    continue
                }
                guard groupKeywords.count < 64 else {
                    problems.append("\(name): more than 64 keyword groups in the table")
                    continue
                }
                mask |= 1 << UInt64(groupKeywords.count)
                groupKeywords.append(keywords)
            }
            required.append(mask)
        }
        if !problems.isEmpty { throw RuleFileError(problems: problems) }
        self.required = required
        hasKeywords = !groupKeywords.isEmpty

        var alphabet = Array(repeating: false, count: 128)
        var bySegment: UInt64 = 0
        for (row, pattern) in patterns.enumerated() where row < 64 && required[row] != 0 {
            guard let pattern, let rowAlphabet = PatternAlphabet.ascii(of: pattern) else { continue }
            bySegment |= 1 << UInt64(row)
            for byte in 0..<128 where rowAlphabet[byte] { alphabet[byte] = true }
        }
        self.bySegment = bySegment
        // Classes: one per byte that keywords use (letters folded to lower case).
        var keywordClass = Array(repeating: UInt8(0), count: 256)
        var used: UInt8 = 0
        for keyword in groupKeywords.joined() {
            for byte in keyword.utf8 where keywordClass[Int(byte)] == 0 {
                used += 1
                keywordClass[Int(byte)] = used
                if (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte) { keywordClass[Int(byte) - 0x20] = used }
            }
        }
        // Classes 0...used; at most 36 (letters and digits), so a class offset stays below the look marks.
        let width = Int(used) + 1
        classOffsets = keywordClass.enumerated().map { byte, keywordClass in
            if keywordClass != 0 { return keywordClass * 2 }
            if byte == 0xC5 || byte == 0xE2 { return Self.lookMark }
            // Separators: ASCII bytes outside every segment row's alphabet and in no keyword (fewer separators
            // only make segments longer, which is always safe).
            return bySegment != 0 && byte < 0x80 && !alphabet[byte] ? Self.lookMark : 0
        }

        // The keyword trie (goto function), then failure links in breadth-first order, which completes it into a
        // deterministic automaton.
        var next: [Int] = Array(repeating: -1, count: width)
        var output: [UInt64] = [0]
        for (group, keywords) in groupKeywords.enumerated() {
            for keyword in keywords {
                var state = 0
                for byte in keyword.utf8 {
                    let slot = state * width + Int(keywordClass[Int(byte)])
                    if next[slot] < 0 {
                        next[slot] = output.count
                        output.append(0)
                        next.append(contentsOf: repeatElement(-1, count: width))
                    }
                    state = next[slot]
                }
                output[state] |= 1 << UInt64(group)
            }
        }
        var failure = Array(repeating: 0, count: output.count)
        var queue: [Int] = []
        for symbol in 0..<width {
            if next[symbol] < 0 { next[symbol] = 0 } else { queue.append(next[symbol]) }
        }
        var head = 0
        while head < queue.count {
            let state = queue[head]
            head += 1
            output[state] |= output[failure[state]]
            for symbol in 0..<width {
                let slot = state * width + symbol
                let fallback = next[failure[state] * width + symbol]
                if next[slot] < 0 {
                    next[slot] = fallback
                } else {
                    failure[next[slot]] = fallback
                    queue.append(next[slot])
                }
            }
        }
        // Every state, breadth-first (the queue holds each state but the start once).
        let order = [0] + queue
        let groupBytes = groupKeywords.count <= 32 ? 4 : 8
        let rowBytes = width * 2 + groupBytes <= 64 ? 64 : 128
        // A state's name: its row's byte offset when every offset fits 16 bits (no scaling in the scan's chain of
        // loads), else the offset / 8.
        let nameScale = order.count * rowBytes <= 1 << 16 ? 1 : 8
        let unit = rowBytes / nameScale
        guard (order.count - 1) * unit <= Int(UInt16.max) else {
            throw RuleFileError(problems: ["\(names.first ?? "keywords"): too many keyword characters"])
        }
        var name = Array(repeating: 0, count: order.count)
        for (number, state) in order.enumerated() { name[state] = number * unit }
        rows = CacheAlignedBytes(count: order.count * rowBytes) { rows in
            for (number, state) in order.enumerated() {
                let row = rows + number * rowBytes
                for symbol in 0..<width {
                    row.storeBytes(of: UInt16(name[next[state * width + symbol]]), toByteOffset: symbol * 2, as: UInt16.self)
                }
                if groupBytes == 4 {
                    row.storeBytes(of: UInt32(output[state]), toByteOffset: rowBytes - 4, as: UInt32.self)
                } else {
                    row.storeBytes(of: output[state], toByteOffset: rowBytes - 8, as: UInt64.self)
                }
            }
        }
        self.rowBytes = rowBytes
        self.nameScale = nameScale
        groupShift = groupBytes == 4 ? 32 : 0
    }

    /// Where each row may match in `bytes` (UTF-8): one pass, one dependent table load per byte (none when no row
    /// has keywords).
    func scan(_ bytes: UnsafeBufferPointer<UInt8>) -> Scan {
        guard hasKeywords else { return .unfiltered(rows: required.count) }
        guard let text = bytes.baseAddress else { return Scan(segments: [], seen: 0, required: required, bySegment: bySegment) }
        // The log starts on the stack (room for most texts' segments) and moves to the heap only when it outgrows it.
        return withUnsafeTemporaryAllocation(of: SegmentLog.Entry.self, capacity: SegmentLog.stackCapacity) { stack in
            var log = SegmentLog(stack: stack.baseAddress!)
            defer { log.deallocate() }
            let table = rows.base, count = bytes.count, look = Int(Self.lookMark)
            let groups = table + (rowBytes - 8), groupShift = groupShift, tableAddress = UInt(bitPattern: table), nameScale = nameScale
            classOffsets.withUnsafeBufferPointer { classOffsets in
                let classes = classOffsets.baseAddress!
                if nameScale == 1 { scanAll(classes, scale: 1, into: &log) } else { scanAll(classes, scale: 8, into: &log) }
            }
            /// The scan, with states named by `scale` (a constant where called: each gets its own loop).
            @inline(__always) func scanAll(_ classes: UnsafePointer<UInt8>, scale: Int, into log: inout SegmentLog) {
                var state = 0
                /// The groups seen since the segment's start.
                var segment: UInt64 = 0
                /// One byte, of class offset `classOffset` (a column: no look mark); returns the last 8 bytes of the row of
                /// the state reached, its groups once shifted right by `groupShift`.
                @inline(__always) func step(_ classOffset: Int) -> UInt64 {
                    // The column's address first (from the text alone), so that the load that depends on the last state
                    // adds no arithmetic of its own: the bytes' chain of dependent loads is one load a byte.
                    let column = UnsafeRawPointer(bitPattern: tableAddress &+ UInt(bitPattern: classOffset)).unsafelyUnwrapped
                    state = Int(column.load(fromByteOffset: state &* scale, as: UInt16.self))
                    return groups.load(fromByteOffset: state &* scale, as: UInt64.self)
                }
                var offset = 0
                // Four bytes a turn; a turn with a look byte steps them the same way (a look byte moves to the start,
                // as class 0 does) and has the log place their groups.
                while offset &+ 4 <= count {
                    let c0 = Int(classes[Int(text[offset])]), c1 = Int(classes[Int(text[offset &+ 1])])
                    let c2 = Int(classes[Int(text[offset &+ 2])]), c3 = Int(classes[Int(text[offset &+ 3])])
                    if (c0 | c1 | c2 | c3) & look == 0 {
                        let g0 = step(c0), g1 = step(c1), g2 = step(c2), g3 = step(c3)
                        segment |= (g0 | g1 | g2 | g3) &>> groupShift
                    } else {
                        let mask = Self.columnMask
                        let g0 = step(c0 & mask), g1 = step(c1 & mask), g2 = step(c2 & mask), g3 = step(c3 & mask)
                        let looks = (c0 & look) >> 7 | (c1 & look) >> 6 | (c2 & look) >> 5 | (c3 & look) >> 4
                        // The state goes through the call and back, so that the loop need not keep it in memory.
                        (segment, state) = log.place(bytes, at: offset, looks: looks,
                                                     groups: (g0 &>> groupShift, g1 &>> groupShift, g2 &>> groupShift, g3 &>> groupShift),
                                                     segment: segment, state: state)
                        if log.unfilterable { return }
                    }
                    offset &+= 4
                }
                // The last bytes, one at a time.
                log.reserveFour()
                while offset < count {
                    let classOffset = Int(classes[Int(text[offset])])
                    let found = step(classOffset & Self.columnMask) &>> groupShift
                    if classOffset & look == 0 {
                        segment |= found
                    } else if text[offset] < 0x80 {
                        log.close(segment, at: offset)
                        segment = 0
                    } else if Self.startsCaselessEquivalentOfASCII(bytes, at: offset) {
                        log.unfilterable = true
                        return
                    }
                    offset &+= 1
                }
                // The text's end closes the last segment.
                log.close(segment, at: count)
            }
            if log.unfilterable { return .unfiltered(rows: required.count) }
            var seen: UInt64 = 0
            let segments = (0..<log.count).map { index in
                let entry = log.entries[index]
                seen |= entry.groups
                return (range: entry.start..<entry.end, groups: entry.groups)
            }
            return Scan(segments: segments, seen: seen, required: required, bySegment: bySegment)
        }
    }

    /// The segments a scan has closed that hold keywords, in text order: written without a branch per segment, out of
    /// the scan's inner loop.
    private struct SegmentLog {
        typealias Entry = (start: Int, end: Int, groups: UInt64)
        /// The segments `0..<count` (UTF-8 ranges and the groups found in them).
        private(set) var entries: UnsafeMutablePointer<Entry>
        /// The room of the log's first storage, which the scan allocates on the stack.
        static let stackCapacity = 32
        private var capacity = stackCapacity
        /// Whether `entries` is heap memory of the log's own (after the log outgrew the stack storage).
        private var ownsEntries = false
        private(set) var count = 0
        /// Where the current segment starts.
        private var segmentStart = 0
        /// Whether U+212A or U+017F was found (the scan stops: nothing is filtered).
        var unfilterable = false

        /// A log in `stack`, room for `stackCapacity` entries that the caller keeps alive as long as the log.
        init(stack: UnsafeMutablePointer<Entry>) { entries = stack }

        func deallocate() { if ownsEntries { entries.deallocate() } }

        /// Ends the segment before `end`, whose groups are `segment`; it is kept only when it holds a group.
        @inline(__always)
        mutating func close(_ segment: UInt64, at end: Int) {
            entries[count] = (segmentStart, end, segment)
            count &+= segment != 0 ? 1 : 0
            segmentStart = end &+ 1
        }

        /// Places the groups of the four bytes at `offset` (`groups`, one per byte) in their segments, given the
        /// groups of the segment so far; bit `i` of `looks` marks byte `offset + i` as a look byte (an ASCII
        /// separator, or the first byte of U+212A or U+017F). Returns the groups of the segment that goes on after the
        /// bytes, and `state` unchanged (passed through, the scan's loop keeps it in a register).
        @inline(never)
        mutating func place(_ bytes: UnsafeBufferPointer<UInt8>, at offset: Int, looks: Int, groups: (UInt64, UInt64, UInt64, UInt64),
                            segment: UInt64, state: Int) -> (segment: UInt64, state: Int)
        {
            reserveFour()
            let text = bytes.baseAddress!
            // Separators: the look bytes below 0x80.
            let ascii = Int(~text[offset] >> 7) | Int(~text[offset &+ 1] >> 7) << 1 | Int(~text[offset &+ 2] >> 7) << 2
                | Int(~text[offset &+ 3] >> 7) << 3
            let separators = looks & ascii
            var leads = looks & ~ascii
            while leads != 0 {
                let index = leads.trailingZeroBitCount
                leads &= leads - 1
                if KeywordFilter.startsCaselessEquivalentOfASCII(bytes, at: offset + index) {
                    unfilterable = true
                    return (segment, state)
                }
            }
            var segment = segment
            /// Byte `offset + index`: a separator closes the segment (its own groups are none: it moved to the start).
            /// Selects rather than branches (wrapping arithmetic: no overflow branches either).
            @inline(__always) func place(_ index: Int, _ found: UInt64) {
                let isSeparator = separators &>> index & 1
                let end = offset &+ index
                entries[count] = (segmentStart, end, segment)
                count &+= isSeparator & (segment != 0 ? 1 : 0)
                segmentStart = isSeparator != 0 ? end &+ 1 : segmentStart
                segment = segment & (UInt64(bitPattern: Int64(isSeparator)) &- 1) | found
            }
            place(0, groups.0)
            place(1, groups.1)
            place(2, groups.2)
            place(3, groups.3)
            return (segment, state)
        }

        /// Makes room for four more segments.
        mutating func reserveFour() {
            guard count + 4 >= capacity else { return }
            let larger = UnsafeMutablePointer<(start: Int, end: Int, groups: UInt64)>.allocate(capacity: capacity * 2)
            larger.moveInitialize(from: entries, count: count)
            if ownsEntries { entries.deallocate() }
            entries = larger
            ownsEntries = true
            capacity *= 2
        }
    }

    /// Whether `byte` separates the segments in which keywords must occur together.
    func isSeparator(_ byte: UInt8) -> Bool { byte < 0x80 && classOffsets[Int(byte)] == Self.lookMark }

    /// Whether U+212A (`E2 84 AA`) or U+017F (`C5 BF`), the only non-ASCII characters that PCRE2 matches
    /// caselessly against ASCII letters (`k`, `s`), starts at `offset`.
    static func startsCaselessEquivalentOfASCII(_ bytes: UnsafeBufferPointer<UInt8>, at offset: Int) -> Bool {
        if bytes[offset] == 0xC5 { return offset + 1 < bytes.count && bytes[offset + 1] == 0xBF }
        return bytes[offset] == 0xE2 && offset + 2 < bytes.count && bytes[offset + 1] == 0x84 && bytes[offset + 2] == 0xAA
    }
}

extension KeywordFilter.Scan {
    /// Every row may match anywhere.
    fileprivate static func unfiltered(rows: Int) -> Self {
        Self(segments: [], seen: 0, required: Array(repeating: 0, count: rows), bySegment: 0)
    }
}

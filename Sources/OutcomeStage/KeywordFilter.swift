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
/// All keywords of a table are found in one pass over the text's UTF-8 bytes (an Aho–Corasick automaton with one
/// class per byte the keywords use, letters folded to lower case; the automaton is small enough for the L1 cache,
/// and each byte costs one dependent table load). PCRE2's
/// caseless matching in UTF mode also lets `k` match U+212A KELVIN SIGN and `s` match U+017F LATIN SMALL LETTER
/// LONG S, which fold to no ASCII byte: a text containing either is never filtered.
struct KeywordFilter: Sendable {
    /// Where each row's pattern may match in one text.
    struct Scan {
        /// Per row, the offset from which its pattern may match (UTF-8), or -1 for nowhere.
        fileprivate let starts: [Int]
        /// The segments that hold keywords (UTF-8 ranges, in text order), with the groups found in each.
        fileprivate let segments: [(range: Range<Int>, groups: UInt64)]
        fileprivate let required: [UInt64]
        fileprivate let bySegment: UInt64

        /// The offset from which row `row`'s pattern may match, or nil when it cannot match the text.
        func start(of row: Int) -> Int? { starts[row] >= 0 ? starts[row] : nil }

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

    /// The byte classes of this filter: 0 for bytes in no keyword, 1...`separatorClass - 1` for the (case-folded)
    /// bytes the keywords use, then `separatorClass` (ends a segment) and `separatorClass + 1` (the first byte of
    /// U+212A, `E2`, or U+017F, `C5`), which move the automaton like class 0.
    private let classes: [UInt8]
    private let separatorClass: UInt8
    /// The number of classes (the width of a row of `transitions`).
    private let classCount: Int
    /// The automaton, with each state named by its row's offset (`state * classCount`):
    /// `transitions[offset + class]` is the next state's offset when the step only moves the automaton, and the
    /// next state's offset bit-inverted (so negative) when the step needs a closer look (the next state has
    /// outputs, or `class >= separatorClass`). The sign test keeps the scan's inner loop to a few instructions a
    /// byte.
    private let transitions: [Int32]
    /// Per state, the groups whose keyword ends there (including keywords that are suffixes of the state's path).
    private let outputs: [UInt64]
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
        let separatorClass = used + 1
        self.separatorClass = separatorClass
        let width = Int(used) + 3
        classCount = width
        classes = keywordClass.enumerated().map { byte, keywordClass in
            if keywordClass != 0 { return keywordClass }
            if byte == 0xC5 || byte == 0xE2 { return separatorClass + 1 }
            // Separators: ASCII bytes outside every segment row's alphabet and in no keyword (fewer separators
            // only make segments longer, which is always safe).
            return bySegment != 0 && byte < 0x80 && !alphabet[byte] ? separatorClass : 0
        }

        // The keyword trie (goto function), then failure links in breadth-first order, which completes it into a
        // deterministic automaton.
        let keywordWidth = Int(separatorClass)
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
        for symbol in 0..<keywordWidth {
            if next[symbol] < 0 { next[symbol] = 0 } else { queue.append(next[symbol]) }
        }
        var head = 0
        while head < queue.count {
            let state = queue[head]
            head += 1
            output[state] |= output[failure[state]]
            for symbol in 0..<keywordWidth {
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
        // The classes past the keyword classes move like class 0.
        for state in 0..<output.count {
            for symbol in keywordWidth..<width { next[state * width + symbol] = next[state * width] }
        }
        guard output.count * width < Int(Int32.max) else { throw RuleFileError(problems: ["\(names.first ?? "keywords"): too many keyword characters"]) }
        transitions = next.indices.map { slot in
            let target = Int32(next[slot] * width)
            let needsLook = output[next[slot]] != 0 || slot % width >= keywordWidth
            return needsLook ? ~target : target
        }
        outputs = output
    }

    /// Where each row may match in `bytes` (UTF-8): one pass, about one table lookup per byte (none when no row
    /// has keywords).
    func scan(_ bytes: UnsafeBufferPointer<UInt8>) -> Scan {
        guard hasKeywords else { return .unfiltered(rows: required.count) }
        var starts: [Int] = []
        var segments: [(range: Range<Int>, groups: UInt64)] = []
        var seen: UInt64 = 0
        var unfilterable = false
        let width = classCount, separatorClass = separatorClass, bySegment = bySegment
        classes.withUnsafeBufferPointer { classes in
            transitions.withUnsafeBufferPointer { transitions in
                outputs.withUnsafeBufferPointer { outputs in
                    required.withUnsafeBufferPointer { required in
                        // Locals only in the loop (nothing captured), written back at the end.
                        var state = 0
                        var segment: UInt64 = 0
                        var segmentStart = 0
                        var allGroups: UInt64 = 0
                        var foundLead = false
                        /// Segment rows not yet placed.
                        var pending = bySegment
                        var found: [(range: Range<Int>, groups: UInt64)] = []
                        var firstStarts = required.map { $0 == 0 ? 0 : -1 }
                        let count = bytes.count
                        var offset = 0
                        while true {
                            // Bytes that only move the automaton, two at a time; stops at a byte that needs a
                            // look (with `state` its step's target) or at the end.
                            var look = false
                            while offset &+ 1 < count {
                                let first = transitions[state &+ Int(classes[Int(bytes[offset])])]
                                if first < 0 {
                                    state = Int(~first)
                                    look = true
                                    break
                                }
                                let second = transitions[Int(first) &+ Int(classes[Int(bytes[offset &+ 1])])]
                                if second < 0 {
                                    state = Int(~second)
                                    offset &+= 1
                                    look = true
                                    break
                                }
                                state = Int(second)
                                offset &+= 2
                            }
                            if !look && offset < count {
                                let last = transitions[state &+ Int(classes[Int(bytes[offset])])]
                                if last < 0 { state = Int(~last) } else { state = Int(last); offset &+= 1 }
                            }
                            // A byte that needs a look, or the text's end, which closes the last segment.
                            let byteClass = offset < count ? classes[Int(bytes[offset])] : separatorClass
                            if byteClass < separatorClass {
                                segment |= outputs[state / width]
                            } else if byteClass == separatorClass {
                                if segment != 0 {
                                    // The segment that ends here: rows whose keywords it holds start here.
                                    allGroups |= segment
                                    if found.isEmpty { found.reserveCapacity(8) }
                                    found.append((segmentStart..<offset, segment))
                                    var rows = pending
                                    while rows != 0 {
                                        let row = rows.trailingZeroBitCount
                                        rows &= rows &- 1
                                        if required[row] & segment == required[row] {
                                            firstStarts[row] = segmentStart
                                            pending &= ~(1 << UInt64(row))
                                        }
                                    }
                                    segment = 0
                                }
                                segmentStart = offset &+ 1
                            } else if Self.startsCaselessEquivalentOfASCII(bytes, at: offset) {
                                foundLead = true
                            }
                            guard offset < count else { break }
                            offset &+= 1
                        }
                        seen = allGroups
                        unfilterable = foundLead
                        segments = found
                        starts = firstStarts
                    }
                }
            }
        }
        if unfilterable { return .unfiltered(rows: required.count) }
        for row in starts.indices where (row >= 64 || bySegment & (1 << UInt64(row)) == 0) && starts[row] < 0
            && required[row] & seen == required[row]
        {
            starts[row] = 0
        }
        return Scan(starts: starts, segments: segments, required: required, bySegment: bySegment)
    }

    /// Whether `byte` separates the segments in which keywords must occur together.
    func isSeparator(_ byte: UInt8) -> Bool { classes[Int(byte)] == separatorClass }

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
        Self(starts: Array(repeating: 0, count: rows), segments: [], required: Array(repeating: 0, count: rows), bySegment: 0)
    }
}

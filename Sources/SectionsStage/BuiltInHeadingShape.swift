import ClinPipeText

/// The rows of the shipped `heading-shapes.tsv`, matched by byte code instead of PCRE2: the same matches, in the same
/// order, as `PCRE2Pattern.forEachMatch` over a whole layer, found in one cheap pass per shape (line starts, colons or
/// commas) instead of a PCRE2 call per candidate.
///
/// A row is matched this way only while its pattern and options are exactly the shipped ones (`init?(pattern:)`),
/// and only when the matcher agrees with PCRE2 on a few probe texts at construction (line breaks other than LF,
/// which a PCRE2 built with another newline convention would treat as line ends). A user's edited or added rows
/// go through PCRE2 as before. `BuiltInHeadingShapeTests` compares every case with its pattern on generated texts.
///
/// How the patterns are read (all offsets are UTF-8 bytes; every class is ASCII, so a multi-byte character is in
/// none): a title is a first byte, a run of "middle" bytes and an end byte, and every end byte is also a middle
/// byte, while neither a tab, a colon nor a line feed is. So a title that starts at `ts` can only end just after
/// the last non-space byte `j` of the maximal middle run after `ts` (the bytes between its end and the colon or
/// comma that follows must be spaces or tabs): the title is `ts...j` when `j` is an end byte and the run up to it
/// has an allowed length, else (for the shapes whose group is optional) the first byte alone when the run is all
/// spaces, else there is no match at `ts`. PCRE2's backtracking comes to the same answer, since each shorter
/// title would leave a non-space byte before the colon.
enum BuiltInHeadingShape: Sendable, CaseIterable {
    /// `line`, in capitals: `HISTORY OF PRESENT ILLNESS:` alone on its line.
    case capitalLine
    /// `line`, mixed case: `Past Medical History` alone on its line.
    case mixedCaseLine
    /// `line_start`: `HPI: The patient ...`.
    case lineStart
    /// `flattened`: `allergies.,MEDICATIONS:, Norco`.
    case flattened
    /// `flattened_start`: `weak.,GENERAL:  The patient ...`.
    case flattenedStart
    /// `flattened_line`: `breast cancer.,POSTOPERATIVE DIAGNOSES,1. ...`.
    case flattenedLine
    /// `after_sentence`: `... normal. NECK: Supple.`.
    case afterSentence
    /// The `exclude` row: an IMR decision line `MRI OF THE LUMBAR SPINE: Upheld` (its match is the whole line).
    case decisionLine

    /// The shipped pattern of each case, as `heading-shapes.tsv` has it.
    var source: String {
        switch self {
        case .capitalLine: #"(?m)^[ \t]*(?<title>[A-Z][A-Z0-9 /&(),'\-]*[A-Z0-9)])[ \t]*:?[ \t]*$"#
        case .mixedCaseLine: #"(?m)^[ \t]*(?<title>[A-Za-z][A-Za-z /&()'\-]{1,60}[A-Za-z)])[ \t]*:?[ \t]*$"#
        case .lineStart: #"(?m)^[ \t]*(?<title>[A-Za-z](?:(?:[A-Za-z0-9 /&()'\-]|,(?= )){0,60}[A-Za-z0-9)])?)[ \t]*:(?![0-9])"#
        case .flattened: #"(?:^|,)[ \t]*(?<title>[A-Za-z](?:[A-Za-z0-9 /&()'\-]{0,60}[A-Za-z0-9)])?)[ \t]*:[ \t]*,"#
        case .flattenedStart: #"(?<=[.!?:)"]),[ \t]*(?<title>[A-Za-z](?:[A-Za-z0-9 /&()'\-]{0,60}[A-Za-z0-9)])?)[ \t]*:(?![0-9])"#
        case .flattenedLine: #"(?:^|(?<=[.!?:)]),)[ \t]*(?<title>[A-Z](?:[A-Z0-9 /&()'\-]{0,60}[A-Z0-9)])?)[ \t]*,"#
        case .afterSentence: #"(?<=[.!?])[ \t]+(?<title>[A-Z](?:[A-Z0-9 /&()'\-]{0,60}[A-Z0-9)])?)[ \t]*:(?![0-9])"#
        case .decisionLine: #"(?m)^[^\n]*:[ \t]*(?:Upheld|Overturned)[ \t]*$"#
        }
    }

    /// The shipped options of each case (the `flags` column: only the `exclude` row is caseless).
    var options: PCRE2Pattern.Options { self == .decisionLine ? [.caseless] : [] }

    /// The case whose shipped pattern `pattern` is, if any, and if the byte code agrees with PCRE2 on the probe
    /// texts.
    init?(pattern: PCRE2Pattern) {
        guard let shape = Self.allCases.first(where: { $0.source == pattern.pattern && $0.options == pattern.options }),
              (try? shape.agreesWithPCRE2(pattern, on: Self.probeTexts)) == true
        else { return nil }
        self = shape
    }

    /// Texts with the line breaks PCRE2 knows besides LF (CR, CRLF, VT, FF, NEL, LS, PS): under the LF convention they
    /// are ordinary characters, and the byte code assumes that convention.
    static let probeTexts = ["HPI:\r\nPLAN\r\nA B:\rX.,C D:,\u{85}E F:\u{2028}G:\u{2029}x. NECK:\r",
                             "PLAN\u{0B}HPI: x\u{0C}CT: Upheld\r\nMRI: Upheld\u{85}x\nEMG:\tOverturned\u{2028}",
                             "Plan\nHPI:\nA.,B:, c.,D E,x. F:\n\u{85}G:\n\u{2028}H:\nI: upheld\n"]

    /// Whether `forEachMatch` finds what `pattern.forEachMatch` finds in each of `texts`, groups included.
    func agreesWithPCRE2(_ pattern: PCRE2Pattern, on texts: [String]) throws -> Bool {
        let titleGroup = pattern.groupNumbers["title"]
        for text in texts {
            var utf8 = Array(text.utf8)
            let same = try utf8.withUnsafeMutableBufferPointer { mutable -> Bool in
                let bytes = UnsafeBufferPointer(mutable)
                var expected: [Range<Int>] = []
                try pattern.forEachMatch(in: bytes) { match in
                    expected.append(match.range)
                    expected.append(titleGroup.flatMap { match.range($0) } ?? match.range)
                    return true
                }
                var found: [Range<Int>] = []
                forEachMatch(in: bytes) { match, title in
                    found.append(match)
                    found.append(title)
                }
                return found == expected
            }
            if !same { return false }
        }
        return true
    }

    // MARK: - Byte classes

    /// Bits of `classes`.
    private static let blank: UInt16 = 1 << 0         // [ \t]
    private static let upper: UInt16 = 1 << 1         // [A-Z]
    private static let letter: UInt16 = 1 << 2        // [A-Za-z]
    private static let capitalMiddle: UInt16 = 1 << 3 // [A-Z0-9 /&(),'\-]
    private static let capitalEnd: UInt16 = 1 << 4    // [A-Z0-9)]
    private static let mixedMiddle: UInt16 = 1 << 5   // [A-Za-z /&()'\-]
    private static let mixedEnd: UInt16 = 1 << 6      // [A-Za-z)]
    private static let anyMiddle: UInt16 = 1 << 7     // [A-Za-z0-9 /&()'\-]
    private static let anyEnd: UInt16 = 1 << 8        // [A-Za-z0-9)]
    private static let upperMiddle: UInt16 = 1 << 9   // [A-Z0-9 /&()'\-]
    private static let digit: UInt16 = 1 << 10        // [0-9]
    private static let sentenceEnd: UInt16 = 1 << 11  // [.!?]
    private static let beforeFlattenedStart: UInt16 = 1 << 12 // [.!?:)"]
    private static let beforeFlattenedLine: UInt16 = 1 << 13  // [.!?:)]
    private static let comma: UInt16 = 1 << 14        // ,

    /// Per byte value, the classes above it belongs to.
    private static let classes: [UInt16] = (0...255).map { value in
        let byte = UInt8(value)
        func isIn(_ members: String) -> Bool { members.utf8.contains(byte) }
        let isUpper = byte >= 0x41 && byte <= 0x5A, isLower = byte >= 0x61 && byte <= 0x7A, isDigit = byte >= 0x30 && byte <= 0x39
        var bits: UInt16 = 0
        if byte == 0x20 || byte == 0x09 { bits |= blank }
        if isUpper { bits |= upper }
        if isUpper || isLower { bits |= letter }
        if isDigit { bits |= digit }
        if isUpper || isDigit || isIn(" /&(),'-") { bits |= capitalMiddle }
        if isUpper || isDigit || byte == 0x29 { bits |= capitalEnd }
        if isUpper || isLower || isIn(" /&()'-") { bits |= mixedMiddle }
        if isUpper || isLower || byte == 0x29 { bits |= mixedEnd }
        if isUpper || isLower || isDigit || isIn(" /&()'-") { bits |= anyMiddle }
        if isUpper || isLower || isDigit || byte == 0x29 { bits |= anyEnd }
        if isUpper || isDigit || isIn(" /&()'-") { bits |= upperMiddle }
        if isIn(".!?") { bits |= sentenceEnd }
        if isIn(".!?:)\"") { bits |= beforeFlattenedStart }
        if isIn(".!?:)") { bits |= beforeFlattenedLine }
        if byte == 0x2C { bits |= comma }
        return bits
    }

    /// What a title is made of in one shape: its first byte, middle bytes (`commaSpace`: and a comma followed by a
    /// space), end byte, how many middle bytes stand before the end byte, and whether the part after the first byte
    /// may be absent.
    private struct Title {
        var first: UInt16
        var middle: UInt16
        var end: UInt16
        var commaSpace = false
        var minMiddle = 0
        var maxMiddle = 60
        var optional = true
    }

    private var title: Title {
        switch self {
        case .capitalLine:
            Title(first: Self.upper, middle: Self.capitalMiddle, end: Self.capitalEnd, maxMiddle: Int.max, optional: false)
        case .mixedCaseLine:
            Title(first: Self.letter, middle: Self.mixedMiddle, end: Self.mixedEnd, minMiddle: 1, optional: false)
        case .lineStart: Title(first: Self.letter, middle: Self.anyMiddle, end: Self.anyEnd, commaSpace: true)
        case .flattened, .flattenedStart: Title(first: Self.letter, middle: Self.anyMiddle, end: Self.anyEnd)
        case .flattenedLine, .afterSentence, .decisionLine: Title(first: Self.upper, middle: Self.upperMiddle, end: Self.capitalEnd)
        }
    }

    /// The scan of one text: its bytes and the class table.
    private struct Scan {
        let text: UnsafePointer<UInt8>
        let count: Int
        let classes: UnsafePointer<UInt16>

        @inline(__always) func classOf(_ i: Int) -> UInt16 { classes[Int(text[i])] }

        /// The first position at or after `i` that is not a space or tab (`count` at the end).
        @inline(__always) func skipBlanks(_ i: Int) -> Int {
            var i = i
            while i < count && (text[i] == 0x20 || text[i] == 0x09) { i &+= 1 }
            return i
        }

        /// The title that starts at `start`: its end, and the end of the middle run after it (the bytes between the
        /// two are spaces); nil when no title of this shape starts there (see the type's comment).
        @inline(__always) func title(at start: Int, _ shape: Title) -> (end: Int, runEnd: Int)? {
            guard start < count, classOf(start) & shape.first != 0 else { return nil }
            // The last non-space middle byte may stand at most `maxMiddle` bytes after the first middle byte: the
            // run is read up to there, then only over spaces (a non-space middle byte further on rules the title out).
            let limit = shape.maxMiddle == Int.max ? count : min(count, start &+ 2 &+ shape.maxMiddle)
            var r = start &+ 1
            var last = -1
            while r < limit {
                let byte = text[r]
                guard isMiddle(byte, at: r, shape) else { break }
                last = byte != 0x20 ? r : last
                r &+= 1
            }
            if r == limit && r < count {
                while r < count && text[r] == 0x20 { r &+= 1 }
                if r < count && isMiddle(text[r], at: r, shape) { return nil }
            }
            guard last >= 0 else { return shape.optional ? (start &+ 1, r) : nil }
            guard classOf(last) & shape.end != 0, last &- start &- 1 >= shape.minMiddle else { return nil }
            return (last &+ 1, r)
        }

        /// Whether `byte`, at `i`, is a middle byte of `shape` (a comma only when a space follows it).
        @inline(__always) func isMiddle(_ byte: UInt8, at i: Int, _ shape: Title) -> Bool {
            classes[Int(byte)] & shape.middle != 0 || (shape.commaSpace && byte == 0x2C && i &+ 1 < count && text[i &+ 1] == 0x20)
        }

        /// Whether the byte after a colon at `colon` lets `:(?![0-9])` match.
        @inline(__always) func noDigitAfter(_ colon: Int) -> Bool { colon &+ 1 >= count || classOf(colon &+ 1) & BuiltInHeadingShape.digit == 0 }

        /// Whether `i` is a line end for `$` (LF convention): a line feed or the text's end.
        @inline(__always) func isLineEnd(_ i: Int) -> Bool { i >= count || text[i] == 0x0A }

        /// The first position of the run of bytes of `members` that ends just before `end` (`end` itself when the
        /// byte before it is not one).
        @inline(__always) func runStart(before end: Int, _ members: UInt16) -> Int {
            var i = end
            while i > 0 && classOf(i &- 1) & members != 0 { i &-= 1 }
            return i
        }
    }

    /// The matches of the shipped pattern in `bytes` (a whole text, searched from its start), in text order: the
    /// whole match and the `title` group (for `decisionLine`, the whole match twice).
    func forEachMatch(in bytes: UnsafeBufferPointer<UInt8>, _ body: (_ match: Range<Int>, _ title: Range<Int>) -> Void) {
        var positions = BytePositions(in: bytes)
        forEachMatch(in: bytes, positions: &positions, body)
    }

    /// `forEachMatch(in:_:)`, with the positions of line feeds, colons and commas taken from (or added to)
    /// `positions`, which must have been made for this `bytes`.
    func forEachMatch(in bytes: UnsafeBufferPointer<UInt8>, positions: inout BytePositions,
                      _ body: (_ match: Range<Int>, _ title: Range<Int>) -> Void)
    {
        guard let text = bytes.baseAddress, !bytes.isEmpty else { return }
        precondition(positions.text.baseAddress == text && positions.text.count == bytes.count, "BytePositions made for another text")
        let marks = positions.positions(of: markByte)
        Self.classes.withUnsafeBufferPointer { classes in
            marks.withUnsafeBufferPointer { marks in
                let scan = Scan(text: text, count: bytes.count, classes: classes.baseAddress!)
                switch self {
                case .capitalLine, .mixedCaseLine: wholeLines(scan, lineFeeds: marks, body)
                case .lineStart: lineStarts(scan, colons: marks, body)
                case .flattened: flattened(scan, colons: marks, body)
                case .flattenedStart, .flattenedLine: afterComma(scan, commas: marks, body)
                case .afterSentence: afterSentence(scan, colons: marks, body)
                case .decisionLine: decisionLines(scan, colons: marks, body)
                }
            }
        }
    }

    /// The byte whose positions drive the pass: line feeds for the whole-line shapes, commas for those that start
    /// at a comma, colons for the others.
    private var markByte: UInt8 {
        switch self {
        case .capitalLine, .mixedCaseLine: 0x0A
        case .flattenedStart, .flattenedLine: 0x2C
        default: 0x3A
        }
    }

    /// `capitalLine`, `mixedCaseLine`: a line (`(?m)^`: from the text's start or a line feed) of blanks, a title,
    /// blanks, one optional colon and blanks.
    private func wholeLines(_ scan: Scan, lineFeeds: UnsafeBufferPointer<Int>, _ body: (Range<Int>, Range<Int>) -> Void) {
        let shape = title
        let endBit = shape.end
        var lineStart = 0
        for k in 0...lineFeeds.count {
            let lineEnd = k < lineFeeds.count ? lineFeeds[k] : scan.count
            defer { lineStart = lineEnd &+ 1 }
            guard lineStart < scan.count else { break }
            let start = scan.skipBlanks(lineStart)
            // The line's last byte before blanks, one colon and blanks must end the title: most lines end in a
            // period and are ruled out here.
            var last = lineEnd
            while last > start && scan.classOf(last &- 1) & Self.blank != 0 { last &-= 1 }
            if last > start && scan.text[last &- 1] == 0x3A { last &-= 1 }
            while last > start && scan.classOf(last &- 1) & Self.blank != 0 { last &-= 1 }
            guard last > start, scan.classOf(last &- 1) & endBit != 0, let found = scan.title(at: start, shape) else { continue }
            var after = scan.skipBlanks(found.runEnd)
            if after < scan.count && scan.text[after] == 0x3A { after = scan.skipBlanks(after &+ 1) }
            guard scan.isLineEnd(after) else { continue }
            body(lineStart..<after, start..<found.end)
        }
    }

    /// `lineStart`: blanks at a line's start, a title, blanks and a colon not followed by a digit. Driven by the
    /// colons, read backwards: the title ends where the blanks before the colon start; before its end stand its
    /// middle bytes (a comma only when a space follows it), at most `maxMiddle + 2` bytes of title, and before the
    /// title only blanks back to the line's start. That is the forward reading's title (see the type's comment):
    /// only the line's first colon can end one, since a colon is no middle byte.
    private func lineStarts(_ scan: Scan, colons: UnsafeBufferPointer<Int>, _ body: (Range<Int>, Range<Int>) -> Void) {
        let shape = title
        let text = scan.text
        for colon in colons {
            guard scan.noDigitAfter(colon) else { continue }
            var end = colon
            while end > 0 && scan.classOf(end &- 1) & Self.blank != 0 { end &-= 1 }
            // Back over middle bytes, no further than the longest title: a title byte before that bound leaves a
            // non-blank byte before the blanks below, which is then no line start.
            let floor = max(0, end &- (shape.maxMiddle &+ 2))
            var i = end
            while i > floor {
                let byte = text[i &- 1]
                guard scan.classes[Int(byte)] & shape.middle != 0 || (byte == 0x2C && text[i] == 0x20) else { break }
                i &-= 1
            }
            var lineStart = i
            while lineStart > 0 && scan.classOf(lineStart &- 1) & Self.blank != 0 { lineStart &-= 1 }
            guard lineStart == 0 || text[lineStart &- 1] == 0x0A else { continue }
            let start = scan.skipBlanks(lineStart)
            guard start < end, scan.classOf(start) & shape.first != 0 else { continue }
            // A title longer than its first byte ends with an end byte.
            guard end &- start == 1 || scan.classOf(end &- 1) & shape.end != 0 else { continue }
            body(lineStart..<(colon &+ 1), start..<end)
        }
    }

    /// `flattened`: `(?:^|,)`, blanks, a title, blanks, a colon, blanks and a comma. Driven by the colons followed by
    /// blanks and a comma: every byte between a match's start and its colon is a blank or a middle byte, and its
    /// start is the text's start or a comma, so the only start that can reach a colon is the nearest comma before
    /// it (or the text's start, when there is none and no other stop). Starts so found ascend with their colons.
    private func flattened(_ scan: Scan, colons: UnsafeBufferPointer<Int>, _ body: (Range<Int>, Range<Int>) -> Void) {
        let shape = title
        var resume = 0  // where the plain search goes on after the last match
        for colon in colons {
            let comma = scan.skipBlanks(colon &+ 1)
            guard comma < scan.count, scan.text[comma] == 0x2C else { continue }
            let run = scan.runStart(before: colon, shape.middle | Self.blank)
            let start: Int, titleStart: Int
            if run == 0 {
                start = 0  // `^`
                titleStart = scan.skipBlanks(0)
            } else if scan.text[run &- 1] == 0x2C {
                start = run &- 1
                titleStart = scan.skipBlanks(run)
            } else {
                continue
            }
            guard start >= resume, let found = scan.title(at: titleStart, shape), scan.skipBlanks(found.runEnd) == colon else { continue }
            body(start..<(comma &+ 1), titleStart..<found.end)
            resume = comma &+ 1
        }
    }

    /// `flattenedStart` (a colon not followed by a digit after the title) and `flattenedLine` (a comma after it):
    /// a comma after one of a few bytes, blanks, a title; `flattenedLine` also starts at the text's start (`^`).
    private func afterComma(_ scan: Scan, commas: UnsafeBufferPointer<Int>, _ body: (Range<Int>, Range<Int>) -> Void) {
        let shape = title
        let isLine = self == .flattenedLine
        let before = isLine ? Self.beforeFlattenedLine : Self.beforeFlattenedStart
        let terminator: UInt8 = isLine ? 0x2C : 0x3A
        /// The end of the match whose title starts at `titleStart`, and the title's end.
        func match(_ titleStart: Int) -> (end: Int, titleEnd: Int)? {
            guard let found = scan.title(at: titleStart, shape) else { return nil }
            let after = scan.skipBlanks(found.runEnd)
            guard after < scan.count, scan.text[after] == terminator, isLine || scan.noDigitAfter(after) else { return nil }
            return (after &+ 1, found.end)
        }
        var from = 0
        if isLine {
            let titleStart = scan.skipBlanks(0)
            if let found = match(titleStart) {
                body(0..<found.end, titleStart..<found.titleEnd)
                from = found.end
            }
        }
        for comma in commas {
            guard comma >= from, comma > 0, scan.classOf(comma &- 1) & before != 0 else { continue }
            let titleStart = scan.skipBlanks(comma &+ 1)
            guard let found = match(titleStart) else { continue }
            body(comma..<found.end, titleStart..<found.titleEnd)
            from = found.end
        }
    }

    /// `afterSentence`: one of `.!?`, blanks (at least one), a title, blanks, a colon not followed by a digit.
    /// Driven by the colons: every byte between the match's start and its colon is a blank or a middle byte, and
    /// the byte before the start is none, so the start is where that run before the colon begins.
    private func afterSentence(_ scan: Scan, colons: UnsafeBufferPointer<Int>, _ body: (Range<Int>, Range<Int>) -> Void) {
        let shape = title
        var resume = 0
        for colon in colons {
            guard scan.noDigitAfter(colon) else { continue }
            let start = scan.runStart(before: colon, shape.middle | Self.blank)
            guard start > 0, start >= resume, scan.classOf(start &- 1) & Self.sentenceEnd != 0,
                  scan.classOf(start) & Self.blank != 0 else { continue }
            let titleStart = scan.skipBlanks(start)
            guard let found = scan.title(at: titleStart, shape), scan.skipBlanks(found.runEnd) == colon else { continue }
            body(start..<(colon &+ 1), titleStart..<found.end)
            resume = colon &+ 1
        }
    }

    /// `decisionLine`: a whole line with a colon followed by blanks, `Upheld` or `Overturned` in any case, and blanks
    /// to the line's end.
    private func decisionLines(_ scan: Scan, colons: UnsafeBufferPointer<Int>, _ body: (Range<Int>, Range<Int>) -> Void) {
        var from = 0
        for colon in colons where colon >= from {
            let word = scan.skipBlanks(colon &+ 1)
            let length = Self.decisionWordLength(scan.text, count: scan.count, at: word)
            guard length > 0 else { continue }
            let end = scan.skipBlanks(word &+ length)
            guard scan.isLineEnd(end) else { continue }
            var lineStart = colon
            while lineStart > 0 && scan.text[lineStart &- 1] != 0x0A { lineStart &-= 1 }
            body(lineStart..<end, lineStart..<end)
            from = end
        }
    }

    /// The length of `upheld` or `overturned` (ASCII letters in any case) at `i`, or 0. No other character matches
    /// their letters caselessly in PCRE2 (only `k` and `s` have non-ASCII case partners). Setting bit 0x20 of a byte
    /// gives one of these lower-case letters only for the letter in either case.
    static func decisionWordLength(_ text: UnsafePointer<UInt8>, count: Int, at i: Int) -> Int {
        guard i < count else { return 0 }
        let raw = UnsafeRawPointer(text + i)
        switch text[i] | 0x20 {
        case 0x75 where i &+ 6 <= count:  // upheld
            let head = raw.loadUnaligned(as: UInt32.self) | 0x2020_2020, tail = raw.loadUnaligned(fromByteOffset: 4, as: UInt16.self) | 0x2020
            return head == 0x6568_7075 && tail == 0x646C ? 6 : 0
        case 0x6F where i &+ 10 <= count:  // overturned
            let head = raw.loadUnaligned(as: UInt64.self) | 0x2020_2020_2020_2020
            let tail = raw.loadUnaligned(fromByteOffset: 8, as: UInt16.self) | 0x2020
            return head == 0x6E72_7574_7265_766F && tail == 0x6465 ? 10 : 0
        default:
            return 0
        }
    }

}

import ClinPipeText

/// A cheap necessary condition for an unanchored window pattern (not-a-level contexts, preceding cues, side cues):
/// literal strings ("needles") one of which every match contains, read from the pattern's source. A window of ASCII
/// text holding none of them (in any ASCII case) has no match, and PCRE2 need not be asked.
///
/// How the needles are read: the pattern's top-level sequence is parsed into elements; an element that every match
/// passes through (not quantified with a minimum of zero, not a lookaround) gives needles: a run of such literal
/// characters gives itself; a group gives the needles of each of its alternatives, when each has some. The set
/// whose shortest needle is longest is kept. Zero-width items (`\b`, `^`, `$`, `\A`, `\z`) between literals do not
/// break a run. Anything the reader does not know (back references, `\Q`, verbs, conditionals, recursion, extended
/// mode, `\x`, Unicode properties...) is not a literal, and a construct it cannot parse at all makes `init` return
/// nil (the pattern then always runs).
///
/// Matching is caseless in UTF mode, where `s` and `k` also match LONG S and KELVIN SIGN: a window holding any byte of
/// a non-ASCII character is therefore always passed to PCRE2. Offsets are UTF-8 byte offsets; a window lies inside
/// the text and every match of PCRE2 on it lies inside the window, so a needle of the match does too.
/// `NeedleFilterTests` compares the filter with the patterns it guards.
final class NeedleFilter: Sendable {
    /// The needles, lower-case ASCII, none empty, at most 64.
    let needles: [[UInt8]]
    /// Per byte value: 0, or the bucket (1-based index into `buckets`) of the needles whose rarest byte this is (in
    /// either case); `nonASCII` for the bytes of non-ASCII characters.
    private let anchorBuckets: [UInt8]
    /// Per bucket, the needles' indices and the offsets of their rarest bytes.
    private let buckets: [[(needle: Int, offset: Int)]]
    private static let nonASCII: UInt8 = 255

    convenience init?(pattern: PCRE2Pattern) {
        guard pattern.options.isSubset(of: [.caseless, .multiline, .dotAll]),
              var parser = Optional(NeedleParser(Array(pattern.pattern.utf8))),
              let sequence = parser.parseAlternatives(), parser.atEnd,
              sequence.count == 1, let needles = Self.needles(of: sequence[0]), !needles.isEmpty, needles.count <= 64
        else { return nil }
        self.init(needles: needles)
    }

    /// A filter for `needles` (non-empty ASCII strings, at most 64; duplicates are kept, each with its own bit).
    init(needles: [[UInt8]]) {
        precondition(!needles.isEmpty && needles.count <= 64 && needles.allSatisfy { !$0.isEmpty && $0.allSatisfy { $0 < 0x80 } })
        let lowered = needles.map { $0.map(ByteClass.lower) }
        self.needles = lowered
        var table = [UInt8](repeating: 0, count: 256)
        var buckets: [[(needle: Int, offset: Int)]] = []
        for (index, needle) in lowered.enumerated() {
            let offset = needle.indices.min { Self.rank(needle[$0]) < Self.rank(needle[$1]) }!
            let byte = needle[offset]
            if table[Int(byte)] == 0 {
                buckets.append([])
                table[Int(byte)] = UInt8(buckets.count)
                if byte >= 0x61 && byte <= 0x7A { table[Int(byte ^ 0x20)] = UInt8(buckets.count) }
            }
            buckets[Int(table[Int(byte)]) - 1].append((index, offset))
        }
        // Every non-ASCII byte stops the scan (see `foundNeedles`).
        for byte in 0x80..<256 { table[byte] = Self.nonASCII }
        anchorBuckets = table
        self.buckets = buckets
    }

    /// How common a byte is in English clinical text (lower is rarer): letters by frequency, then the rest.
    private static func rank(_ byte: UInt8) -> Int {
        let common = Array("etaoinsrhldcumfpgwybvkxjqz".utf8)
        if let index = common.firstIndex(of: byte) { return 40 - index }  // e 40 ... z 15
        if byte == 0x20 { return 50 }
        if ByteClass.isDigit(byte) { return 30 }
        return 20
    }

    /// False when the pattern cannot match in `range` of `bytes`.
    func mayMatch(_ bytes: UnsafeBufferPointer<UInt8>, in range: Range<Int>) -> Bool {
        foundNeedles(bytes, in: range, first: true) != 0
    }

    /// The needles that stand in `range` of `bytes`, as bits by index (with `first`, only the first one found);
    /// every bit when the range holds a byte of a non-ASCII character (whose meaning the filter does not read).
    func foundNeedles(_ bytes: UnsafeBufferPointer<UInt8>, in range: Range<Int>, first: Bool = false) -> UInt64 {
        guard !range.isEmpty, let base = bytes.baseAddress else { return 0 }
        return anchorBuckets.withUnsafeBufferPointer { table -> UInt64 in
            var found: UInt64 = 0
            var index = range.lowerBound
            let end = range.upperBound
            while index < end {
                let bucket = table[Int(base[index])]
                if bucket != 0 {
                    if bucket == Self.nonASCII { return .max }
                    for (needleIndex, offset) in buckets[Int(bucket) - 1] where found >> UInt64(needleIndex) & 1 == 0 {
                        let needle = needles[needleIndex]
                        let start = index - offset
                        guard start >= range.lowerBound, start + needle.count <= end else { continue }
                        var same = true
                        for position in 0..<needle.count where ByteClass.lower(base[start + position]) != needle[position] {
                            same = false
                            break
                        }
                        if same {
                            found |= 1 << UInt64(needleIndex)
                            if first { return found }
                        }
                    }
                }
                index &+= 1
            }
            return found
        }
    }

    // MARK: - Reading needles from a pattern

    /// The needles of a sequence: the best set among its mandatory elements, or nil when none gives one.
    static func needles(of sequence: [NeedleParser.Element]) -> [[UInt8]]? {
        var best: [[UInt8]]?
        func consider(_ candidate: [[UInt8]]) {
            guard !candidate.isEmpty, candidate.allSatisfy({ !$0.isEmpty }) else { return }
            let shortest = candidate.map(\.count).min()!
            if let current = best {
                let currentShortest = current.map(\.count).min()!
                if shortest < currentShortest || (shortest == currentShortest && candidate.count >= current.count) { return }
            }
            best = candidate
        }
        var run: [UInt8] = []
        for element in sequence {
            switch element {
            case .zeroWidth:
                continue
            case .literal(let byte, let minimum, let single):
                if minimum == 0 {
                    consider([run])
                    run = []
                    continue
                }
                run.append(byte)
                if !single {
                    consider([run])
                    run = []
                }
            case .group(let alternatives, let minimum):
                consider([run])
                run = []
                guard minimum > 0 else { continue }
                var union: [[UInt8]] = []
                var complete = true
                for alternative in alternatives {
                    guard let inner = needles(of: alternative) else {
                        complete = false
                        break
                    }
                    union += inner
                }
                if complete { consider(union) }
            case .other:
                consider([run])
                run = []
            }
        }
        consider([run])
        return best
    }
}

/// A small reader of PCRE2 pattern syntax for `NeedleFilter`: just enough to find literals and groups.
struct NeedleParser {
    enum Element {
        /// An ASCII character matched literally; `minimum` repetitions at least; `single` when exactly once.
        case literal(UInt8, minimum: Int, single: Bool)
        /// A group (capturing, named, non-capturing, atomic, with option letters) and its alternatives.
        indirect case group([[Element]], minimum: Int)
        /// Something that consumes characters but is not a literal (class, `.`, `\d`, a non-ASCII character...).
        case other
        /// Something that consumes nothing (`\b`, `^`, `$`, lookarounds, option settings).
        case zeroWidth
    }

    private let bytes: [UInt8]
    private var index = 0

    init(_ bytes: [UInt8]) { self.bytes = bytes }

    var atEnd: Bool { index >= bytes.count }

    private func peek(_ offset: Int = 0) -> UInt8? { index + offset < bytes.count ? bytes[index + offset] : nil }

    /// Alternatives up to a `)` (not consumed) or the end; nil for syntax it does not read.
    mutating func parseAlternatives() -> [[Element]]? {
        var alternatives: [[Element]] = [[]]
        while let byte = peek(), byte != UInt8(ascii: ")") {
            if byte == UInt8(ascii: "|") {
                index += 1
                alternatives.append([])
                continue
            }
            guard let element = parseElement() else { return nil }
            alternatives[alternatives.count - 1].append(element)
        }
        return alternatives
    }

    /// One atom with its quantifier.
    private mutating func parseElement() -> Element? {
        guard let byte = peek() else { return nil }
        var atom: Element
        switch byte {
        case UInt8(ascii: "("):
            guard let group = parseGroup() else { return nil }
            atom = group
        case UInt8(ascii: "["):
            guard skipClass() else { return nil }
            atom = .other
        case UInt8(ascii: "\\"):
            guard let escaped = parseEscape() else { return nil }
            atom = escaped
        case UInt8(ascii: "."):
            index += 1
            atom = .other
        case UInt8(ascii: "^"), UInt8(ascii: "$"):
            index += 1
            return .zeroWidth
        case UInt8(ascii: "*"), UInt8(ascii: "+"), UInt8(ascii: "?"):
            return nil
        default:
            index += 1
            // A non-ASCII character: skip its continuation bytes.
            if byte >= 0x80 {
                while let next = peek(), next & 0xC0 == 0x80 { index += 1 }
                atom = .other
            } else if (byte | 0x20) >= 0x61 && (byte | 0x20) <= 0x7A || ByteClass.isDigit(byte) || byte == 0x20
                        || "/,:;-_'\"&%#@=<>!~`".utf8.contains(byte)
            {
                atom = .literal(byte, minimum: 1, single: true)
            } else {
                atom = .other
            }
        }
        guard let (minimum, maximumOne) = parseQuantifier() else { return nil }
        switch atom {
        case .zeroWidth:
            return .zeroWidth
        case .literal(let byte, _, _):
            return .literal(byte, minimum: minimum, single: maximumOne)
        case .group(let alternatives, _):
            return .group(alternatives, minimum: minimum)
        case .other:
            return .other
        }
    }

    /// `?`, `*`, `+`, `{n}`, `{n,}`, `{n,m}` (with a lazy `?` or possessive `+`): the minimum and whether the maximum
    /// is one; `(1, true)` without a quantifier. A `{` that does not start a quantifier is left as a literal.
    private mutating func parseQuantifier() -> (Int, Bool)? {
        guard let byte = peek() else { return (1, true) }
        var result: (Int, Bool)
        switch byte {
        case UInt8(ascii: "?"): index += 1; result = (0, true)
        case UInt8(ascii: "*"): index += 1; result = (0, false)
        case UInt8(ascii: "+"): index += 1; result = (1, false)
        case UInt8(ascii: "{"):
            var cursor = index + 1
            var low = 0, digits = 0
            while cursor < bytes.count, ByteClass.isDigit(bytes[cursor]) {
                low = low * 10 + Int(bytes[cursor] - 0x30)
                cursor += 1
                digits += 1
            }
            guard digits > 0, cursor < bytes.count else { return (1, true) }
            var high: Int? = low
            if bytes[cursor] == UInt8(ascii: ",") {
                cursor += 1
                var value = 0, highDigits = 0
                while cursor < bytes.count, ByteClass.isDigit(bytes[cursor]) {
                    value = value * 10 + Int(bytes[cursor] - 0x30)
                    cursor += 1
                    highDigits += 1
                }
                high = highDigits > 0 ? value : nil
            }
            guard cursor < bytes.count, bytes[cursor] == UInt8(ascii: "}") else { return (1, true) }
            index = cursor + 1
            result = (low, high == 1 && low == 1)
        default:
            return (1, true)
        }
        if let next = peek(), next == UInt8(ascii: "?") || next == UInt8(ascii: "+") { index += 1 }
        return result
    }

    private mutating func parseGroup() -> Element? {
        index += 1  // (
        var lookaround = false
        if peek() == UInt8(ascii: "?") {
            index += 1
            guard let kind = peek() else { return nil }
            switch kind {
            case UInt8(ascii: ":"), UInt8(ascii: ">"):
                index += 1
            case UInt8(ascii: "="), UInt8(ascii: "!"):
                index += 1
                lookaround = true
            case UInt8(ascii: "<"):
                if peek(1) == UInt8(ascii: "=") || peek(1) == UInt8(ascii: "!") {
                    index += 2
                    lookaround = true
                } else {
                    // A named group `(?<name>`.
                    index += 1
                    while let byte = peek(), byte != UInt8(ascii: ">") {
                        guard byte < 0x80, ByteClass.isWord(byte) || byte == UInt8(ascii: "_") else { return nil }
                        index += 1
                    }
                    guard peek() == UInt8(ascii: ">") else { return nil }
                    index += 1
                }
            default:
                // Option letters: `(?i)` alone consumes nothing; `(?i:` opens a group. `x` (extended) is not read.
                var cursor = index
                while cursor < bytes.count, "imsnU-^J".utf8.contains(bytes[cursor]) { cursor += 1 }
                guard cursor > index, cursor < bytes.count,
                      !bytes[index..<cursor].contains(UInt8(ascii: "x"))
                else { return nil }
                index = cursor
                if bytes[cursor] == UInt8(ascii: ")") {
                    index += 1
                    return .zeroWidth
                }
                guard bytes[cursor] == UInt8(ascii: ":") else { return nil }
                index += 1
            }
        } else if peek() == UInt8(ascii: "*") {
            return nil  // verbs and alpha assertions
        }
        guard let alternatives = parseAlternatives(), peek() == UInt8(ascii: ")") else { return nil }
        index += 1
        return lookaround ? .zeroWidth : .group(alternatives, minimum: 1)
    }

    /// Skips a character class `[...]`; false when it is not closed.
    private mutating func skipClass() -> Bool {
        index += 1
        if peek() == UInt8(ascii: "^") { index += 1 }
        if peek() == UInt8(ascii: "]") { index += 1 }
        while let byte = peek(), byte != UInt8(ascii: "]") {
            if byte == UInt8(ascii: "\\") {
                index += 2
            } else if byte == UInt8(ascii: "["), peek(1) == UInt8(ascii: ":") {
                var cursor = index + 2
                while cursor + 1 < bytes.count, !(bytes[cursor] == UInt8(ascii: ":") && bytes[cursor + 1] == UInt8(ascii: "]")) {
                    cursor += 1
                }
                guard cursor + 1 < bytes.count else { return false }
                index = cursor + 2
            } else {
                index += 1
            }
        }
        guard peek() == UInt8(ascii: "]") else { return false }
        index += 1
        return true
    }

    private mutating func parseEscape() -> Element? {
        guard let byte = peek(1) else { return nil }
        index += 2
        switch byte {
        case UInt8(ascii: "b"), UInt8(ascii: "B"), UInt8(ascii: "A"), UInt8(ascii: "z"), UInt8(ascii: "Z"), UInt8(ascii: "G"):
            return .zeroWidth
        case UInt8(ascii: "s"), UInt8(ascii: "S"), UInt8(ascii: "d"), UInt8(ascii: "D"), UInt8(ascii: "w"), UInt8(ascii: "W"),
             UInt8(ascii: "h"), UInt8(ascii: "H"), UInt8(ascii: "v"), UInt8(ascii: "V"), UInt8(ascii: "R"), UInt8(ascii: "N"),
             UInt8(ascii: "t"), UInt8(ascii: "n"), UInt8(ascii: "r"), UInt8(ascii: "f"), UInt8(ascii: "e"), UInt8(ascii: "a"):
            return .other
        case UInt8(ascii: "x"):
            if peek() == UInt8(ascii: "{") {
                while let next = peek(), next != UInt8(ascii: "}") { index += 1 }
                guard peek() == UInt8(ascii: "}") else { return nil }
                index += 1
            } else {
                var digits = 0
                while digits < 2, let next = peek(), ByteClass.isDigit(next) || (next | 0x20) >= 0x61 && (next | 0x20) <= 0x66 {
                    index += 1
                    digits += 1
                }
            }
            return .other
        default:
            // Escaped ASCII punctuation is that character; letters and digits not listed above (back references,
            // `\Q`, `\K`, `\p`, `\g`, `\k`, `\c`, `\o`, octal...) are not read.
            guard byte < 0x80, !ByteClass.isWord(byte) else { return nil }
            return .literal(byte, minimum: 1, single: true)
        }
    }
}

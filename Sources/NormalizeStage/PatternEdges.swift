import ClinPipeText

/// A set of byte values (0...255) as a 256-bit mask.
struct EdgeByteSet: Sendable, Equatable {
    private var words: (UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0)

    static let all: EdgeByteSet = { var set = EdgeByteSet(); set.insert(0...255); return set }()
    /// Every byte of a multi-byte UTF-8 character (lead and continuation bytes).
    static let nonASCII: EdgeByteSet = { var set = EdgeByteSet(); set.insert(0x80...0xFF); return set }()

    static func == (a: EdgeByteSet, b: EdgeByteSet) -> Bool {
        a.words.0 == b.words.0 && a.words.1 == b.words.1 && a.words.2 == b.words.2 && a.words.3 == b.words.3
    }

    @inline(__always)
    func contains(_ byte: UInt8) -> Bool {
        let bit = UInt64(1) << UInt64(byte & 63)
        switch byte >> 6 {
        case 0: return words.0 & bit != 0
        case 1: return words.1 & bit != 0
        case 2: return words.2 & bit != 0
        default: return words.3 & bit != 0
        }
    }

    mutating func insert(_ byte: UInt8) {
        let bit = UInt64(1) << UInt64(byte & 63)
        switch byte >> 6 {
        case 0: words.0 |= bit
        case 1: words.1 |= bit
        case 2: words.2 |= bit
        default: words.3 |= bit
        }
    }

    mutating func insert(_ range: ClosedRange<UInt8>) { for byte in range { insert(byte) } }

    mutating func formUnion(_ other: EdgeByteSet) {
        words.0 |= other.words.0; words.1 |= other.words.1; words.2 |= other.words.2; words.3 |= other.words.3
    }

    func union(_ other: EdgeByteSet) -> EdgeByteSet { var set = self; set.formUnion(other); return set }

    /// This set with the other case of every ASCII letter in it, and every non-ASCII byte (caseless matching in UTF
    /// mode lets ASCII letters match non-ASCII characters such as U+212A KELVIN SIGN for `k`).
    func caseClosed() -> EdgeByteSet {
        var set = self
        var letter = false
        for byte in UInt8(ascii: "A")...UInt8(ascii: "Z") where contains(byte) || contains(byte | 0x20) {
            set.insert(byte); set.insert(byte | 0x20); letter = true
        }
        if letter { set.formUnion(.nonASCII) }
        return set
    }
}

/// What every match of a PCRE2 pattern (compiled with `PCRE2_UTF`, as `PCRE2Pattern` does) looks like at its edges:
/// the bytes a non-empty match can start and end with, and whether the pattern can match the empty string.
///
/// The analysis is conservative: each set contains at least every byte that a non-empty match can begin (`first`) or
/// end (`last`) with, so "the subject's first byte is not in `first`" proves that a pattern anchored at the subject
/// start (`\A`) does not match unless `nullable`, and likewise `last` for a pattern anchored at the end (`\z`).
/// Patterns using anything the analysis does not model exactly (look-arounds, back references, `\K`, verbs, bare
/// option settings, extended mode, POSIX classes, `\x`, `\p` outside classes, ...) give `nil`: no shortcut.
struct PatternEdges: Sendable, Equatable {
    var first: EdgeByteSet
    var last: EdgeByteSet
    var nullable: Bool

    /// The edges of `pattern`, or nil when the pattern uses constructs the analysis does not model.
    static func analyze(_ pattern: String) -> PatternEdges? {
        var parser = Parser(bytes: Array(pattern.utf8))
        guard let edges = parser.alternation(caseless: false), parser.position == parser.bytes.count else { return nil }
        return edges
    }

    private static let empty = PatternEdges(first: EdgeByteSet(), last: EdgeByteSet(), nullable: true)

    private static func atom(_ set: EdgeByteSet) -> PatternEdges { PatternEdges(first: set, last: set, nullable: false) }

    private func followed(by next: PatternEdges) -> PatternEdges {
        PatternEdges(first: nullable ? first.union(next.first) : first,
                     last: next.nullable ? next.last.union(last) : next.last,
                     nullable: nullable && next.nullable)
    }

    private func or(_ other: PatternEdges) -> PatternEdges {
        PatternEdges(first: first.union(other.first), last: last.union(other.last), nullable: nullable || other.nullable)
    }

    private static func set(_ bytes: ClosedRange<UInt8>...) -> EdgeByteSet {
        var set = EdgeByteSet()
        for range in bytes { set.insert(range) }
        return set
    }

    // Class escapes; non-ASCII bytes are always included (conservative for UCP and caseless matching).
    private static let digits = set(0x30...0x39, 0x80...0xFF)
    private static let spaces = set(0x09...0x0D, 0x20...0x20, 0x80...0xFF)
    private static let horizontalSpaces = set(0x09...0x09, 0x20...0x20, 0x80...0xFF)
    private static let verticalSpaces = set(0x0A...0x0D, 0x80...0xFF)
    private static let wordBytes = set(0x30...0x39, 0x41...0x5A, 0x5F...0x5F, 0x61...0x7A, 0x80...0xFF)

    private struct Parser {
        let bytes: [UInt8]
        var position = 0

        var atEnd: Bool { position >= bytes.count }
        func peek(_ offset: Int = 0) -> UInt8? { position + offset < bytes.count ? bytes[position + offset] : nil }

        /// `alt (| alt)*` up to a `)` or the end.
        mutating func alternation(caseless: Bool) -> PatternEdges? {
            guard var result = sequence(caseless: caseless) else { return nil }
            while peek() == UInt8(ascii: "|") {
                position += 1
                guard let next = sequence(caseless: caseless) else { return nil }
                result = result.or(next)
            }
            return result
        }

        mutating func sequence(caseless: Bool) -> PatternEdges? {
            var result = PatternEdges.empty
            while let byte = peek(), byte != UInt8(ascii: "|"), byte != UInt8(ascii: ")") {
                guard var item = atom(caseless: caseless) else { return nil }
                guard let minimumIsZero = quantifier() else { return nil }
                if minimumIsZero { item.nullable = true }
                result = result.followed(by: item)
            }
            return result
        }

        /// Consumes a quantifier if one follows: nil on an unsupported form, else whether its minimum is zero.
        mutating func quantifier() -> Bool? {
            guard let byte = peek() else { return false }
            var minimumIsZero: Bool
            switch byte {
            case UInt8(ascii: "?"), UInt8(ascii: "*"): minimumIsZero = true; position += 1
            case UInt8(ascii: "+"): minimumIsZero = false; position += 1
            case UInt8(ascii: "{"):
                // Only `{n}`, `{n,}` and `{n,m}` are quantifiers; anything else starting with `{` is refused.
                var i = position + 1
                var minimum = 0, digits = 0
                while i < bytes.count, bytes[i] >= 0x30, bytes[i] <= 0x39 { minimum = min(minimum * 10 + Int(bytes[i] - 0x30), 1 << 20); digits += 1; i += 1 }
                guard digits > 0, i < bytes.count else { return nil }
                if bytes[i] == UInt8(ascii: ",") {
                    i += 1
                    while i < bytes.count, bytes[i] >= 0x30, bytes[i] <= 0x39 { i += 1 }
                }
                guard i < bytes.count, bytes[i] == UInt8(ascii: "}") else { return nil }
                position = i + 1
                minimumIsZero = minimum == 0
            default: return false
            }
            if let modifier = peek(), modifier == UInt8(ascii: "?") || modifier == UInt8(ascii: "+") { position += 1 }
            // A second quantifier in a row is an error or unusual: refuse.
            if let next = peek(), next == UInt8(ascii: "?") || next == UInt8(ascii: "*") || next == UInt8(ascii: "+") || next == UInt8(ascii: "{") {
                return nil
            }
            return minimumIsZero
        }

        mutating func atom(caseless: Bool) -> PatternEdges? {
            guard let byte = peek() else { return nil }
            switch byte {
            case UInt8(ascii: "("): return group(caseless: caseless)
            case UInt8(ascii: "["):
                position += 1
                guard let set = characterClass(caseless: caseless) else { return nil }
                return .atom(set)
            case UInt8(ascii: "."): position += 1; return .atom(.all)
            case UInt8(ascii: "^"), UInt8(ascii: "$"): position += 1; return .empty
            case UInt8(ascii: "\\"): return escape(caseless: caseless)
            case UInt8(ascii: "*"), UInt8(ascii: "+"), UInt8(ascii: "?"), UInt8(ascii: "{"): return nil
            default:
                if byte >= 0x80 {
                    position += 1
                    while let next = peek(), next & 0xC0 == 0x80 { position += 1 }
                    return .atom(.nonASCII)
                }
                position += 1
                var set = EdgeByteSet()
                set.insert(byte)
                return .atom(caseless ? set.caseClosed() : set)
            }
        }

        mutating func group(caseless: Bool) -> PatternEdges? {
            position += 1  // (
            var innerCaseless = caseless
            if peek() == UInt8(ascii: "*") { return nil }
            if peek() == UInt8(ascii: "?") {
                position += 1
                guard let kind = peek() else { return nil }
                switch kind {
                case UInt8(ascii: ":"), UInt8(ascii: ">"), UInt8(ascii: "|"): position += 1
                case UInt8(ascii: "<"), UInt8(ascii: "P"), UInt8(ascii: "'"):
                    // Named capture `(?<name>`, `(?P<name>`, `(?'name'`; look-behinds `(?<=`, `(?<!` are refused.
                    if kind == UInt8(ascii: "P") { position += 1; guard peek() == UInt8(ascii: "<") else { return nil } }
                    let close = peek() == UInt8(ascii: "'") ? UInt8(ascii: "'") : UInt8(ascii: ">")
                    position += 1
                    guard let nameStart = peek(), ByteClass.isWord(nameStart), !ByteClass.isDigit(nameStart), nameStart < 0x80 else { return nil }
                    while let next = peek(), next < 0x80, ByteClass.isWord(next) { position += 1 }
                    guard peek() == close else { return nil }
                    position += 1
                default:
                    // Option group `(?i:`, `(?-i:`, `(?im-s:` ...: only i, m and s are allowed, and a colon must follow.
                    var on = true
                    while let option = peek(), option != UInt8(ascii: ":") {
                        switch option {
                        case UInt8(ascii: "-"): guard on else { return nil }; on = false
                        case UInt8(ascii: "i"): innerCaseless = on
                        case UInt8(ascii: "m"), UInt8(ascii: "s"): break
                        default: return nil
                        }
                        position += 1
                    }
                    guard peek() == UInt8(ascii: ":") else { return nil }
                    position += 1
                }
            }
            guard let inner = alternation(caseless: innerCaseless), peek() == UInt8(ascii: ")") else { return nil }
            position += 1
            return inner
        }

        mutating func escape(caseless: Bool) -> PatternEdges? {
            position += 1  // backslash
            guard let byte = peek() else { return nil }
            position += 1
            switch byte {
            case UInt8(ascii: "d"): return .atom(PatternEdges.digits)
            case UInt8(ascii: "s"): return .atom(PatternEdges.spaces)
            case UInt8(ascii: "h"): return .atom(PatternEdges.horizontalSpaces)
            case UInt8(ascii: "v"): return .atom(PatternEdges.verticalSpaces)
            case UInt8(ascii: "w"): return .atom(PatternEdges.wordBytes)
            case UInt8(ascii: "D"), UInt8(ascii: "S"), UInt8(ascii: "W"), UInt8(ascii: "H"), UInt8(ascii: "V"),
                 UInt8(ascii: "N"), UInt8(ascii: "R"), UInt8(ascii: "X"):
                return .atom(.all)
            case UInt8(ascii: "b"), UInt8(ascii: "B"), UInt8(ascii: "A"), UInt8(ascii: "Z"), UInt8(ascii: "z"), UInt8(ascii: "G"):
                return .empty
            case UInt8(ascii: "t"): return .atom(literal(0x09))
            case UInt8(ascii: "n"): return .atom(literal(0x0A))
            case UInt8(ascii: "r"): return .atom(literal(0x0D))
            case UInt8(ascii: "f"): return .atom(literal(0x0C))
            case UInt8(ascii: "e"): return .atom(literal(0x1B))
            case UInt8(ascii: "a"): return .atom(literal(0x07))
            default:
                // An escaped ASCII punctuation character stands for itself; other escapes are refused.
                guard byte < 0x80, !ByteClass.isWord(byte), byte > 0x20 else { return nil }
                var set = literal(byte)
                if caseless { set = set.caseClosed() }
                return .atom(set)
            }
        }

        func literal(_ byte: UInt8) -> EdgeByteSet { var set = EdgeByteSet(); set.insert(byte); return set }

        /// A `[...]` class after its `[`: the bytes its characters can start or end with (one set serves both).
        mutating func characterClass(caseless: Bool) -> EdgeByteSet? {
            var set = EdgeByteSet()
            var negated = false
            if peek() == UInt8(ascii: "^") { negated = true; position += 1 }
            var firstItem = true
            /// One class member: a byte value for a single ASCII character (usable in a range), or a set.
            enum Member { case byte(UInt8), nonASCII, set(EdgeByteSet) }
            func member(_ parser: inout Parser) -> Member? {  // takes no capture of self
                guard let byte = parser.peek() else { return nil }
                if byte == UInt8(ascii: "[") && (parser.peek(1) == UInt8(ascii: ":") || parser.peek(1) == UInt8(ascii: ".") || parser.peek(1) == UInt8(ascii: "=")) {
                    return nil  // POSIX classes and collating elements
                }
                if byte >= 0x80 {
                    parser.position += 1
                    while let next = parser.peek(), next & 0xC0 == 0x80 { parser.position += 1 }
                    return .nonASCII
                }
                guard byte == UInt8(ascii: "\\") else { parser.position += 1; return .byte(byte) }
                parser.position += 1
                guard let escaped = parser.peek() else { return nil }
                parser.position += 1
                switch escaped {
                case UInt8(ascii: "d"): return .set(PatternEdges.digits)
                case UInt8(ascii: "s"): return .set(PatternEdges.spaces)
                case UInt8(ascii: "h"): return .set(PatternEdges.horizontalSpaces)
                case UInt8(ascii: "v"): return .set(PatternEdges.verticalSpaces)
                case UInt8(ascii: "w"): return .set(PatternEdges.wordBytes)
                case UInt8(ascii: "D"), UInt8(ascii: "S"), UInt8(ascii: "W"), UInt8(ascii: "H"), UInt8(ascii: "V"): return .set(.all)
                case UInt8(ascii: "t"): return .byte(0x09)
                case UInt8(ascii: "n"): return .byte(0x0A)
                case UInt8(ascii: "r"): return .byte(0x0D)
                case UInt8(ascii: "f"): return .byte(0x0C)
                case UInt8(ascii: "e"): return .byte(0x1B)
                case UInt8(ascii: "a"): return .byte(0x07)
                case UInt8(ascii: "b"): return .byte(0x08)
                case UInt8(ascii: "x"):
                    // `\x{hhhh}` or `\xhh` (at most two hex digits).
                    var value = 0, digits = 0
                    let braced = parser.peek() == UInt8(ascii: "{")
                    if braced { parser.position += 1 }
                    while let hex = parser.peek(), let digit = Parser.hexValue(hex), braced || digits < 2 {
                        value = min(value * 16 + digit, 0x110000); digits += 1; parser.position += 1
                    }
                    if braced { guard digits > 0, parser.peek() == UInt8(ascii: "}") else { return nil }; parser.position += 1 }
                    return value < 0x80 ? .byte(UInt8(value)) : .nonASCII
                default:
                    guard escaped < 0x80, !ByteClass.isWord(escaped), escaped > 0x20 else { return nil }
                    return .byte(escaped)
                }
            }
            while true {
                guard let byte = peek() else { return nil }
                if byte == UInt8(ascii: "]") && !firstItem { position += 1; break }
                firstItem = false
                guard let low = member(&self) else { return nil }
                // A range `a-b` (a `-` before `]` is a literal).
                if peek() == UInt8(ascii: "-"), let after = peek(1), after != UInt8(ascii: "]") {  // `after`: the range end
                    position += 1
                    guard let high = member(&self) else { return nil }
                    switch (low, high) {
                    case (.byte(let a), .byte(let b)):
                        guard a <= b else { return nil }
                        set.insert(a...b)
                    case (.byte(let a), .nonASCII):
                        set.insert(a...0x7F); set.formUnion(.nonASCII)
                    case (.nonASCII, .nonASCII):
                        set.formUnion(.nonASCII)
                    default:
                        return nil
                    }
                    continue
                }
                switch low {
                case .byte(let a): set.insert(a)
                case .nonASCII: set.formUnion(.nonASCII)
                case .set(let members): set.formUnion(members)
                }
            }
            if negated { return .all }
            return caseless ? set.caseClosed() : set
        }

        static func hexValue(_ byte: UInt8) -> Int? {
            switch byte {
            case 0x30...0x39: return Int(byte - 0x30)
            case 0x41...0x46: return Int(byte - 0x41 + 10)
            case 0x61...0x66: return Int(byte - 0x61 + 10)
            default: return nil
            }
        }
    }
}

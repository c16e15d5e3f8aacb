/// Parses the subset of PCRE2 syntax that `PatternPlan` understands; nil for anything else.
struct RegexParser {
    private let source: [UInt8]
    private var position = 0
    private var caseless: Bool
    private var multiline: Bool

    /// Reads atomic groups `(?>…)` as plain groups, back references `\k<name>` as any text and `\G` as an
    /// assertion: a superset of the matches, which is enough for necessary conditions (`AffixFilter`), not for
    /// `PatternPlan`.
    private let lenient: Bool

    init(_ source: [UInt8], caseless: Bool, multiline: Bool, lenient: Bool = false) {
        self.source = source
        self.caseless = caseless
        self.multiline = multiline
        self.lenient = lenient
    }

    mutating func parsePattern() -> RegexNode? {
        guard let node = parseAlternation(), position == source.count else { return nil }
        return node
    }

    private var current: UInt8? { position < source.count ? source[position] : nil }

    /// Branches up to a `)` (not consumed) or the end. Option settings such as `(?i)` last to the group's end.
    private mutating func parseAlternation() -> RegexNode? {
        let savedCaseless = caseless, savedMultiline = multiline
        defer { caseless = savedCaseless; multiline = savedMultiline }
        var branches: [RegexNode] = []
        var items: [RegexNode] = []
        while let byte = current, byte != 0x29 {
            if byte == 0x7C {  // |
                position += 1
                branches.append(.sequence(items))
                items = []
                continue
            }
            guard let atom = parseAtom() else { return nil }
            guard let quantified = parseQuantifier(atom) else { return nil }
            if case .sequence(let inner) = quantified, inner.isEmpty { continue }  // an option setting
            items.append(quantified)
        }
        branches.append(.sequence(items))
        return .alternation(branches)
    }

    private mutating func parseQuantifier(_ atom: RegexNode) -> RegexNode? {
        guard let byte = current else { return atom }
        var min = 0, max: Int? = nil
        switch byte {
        case 0x2A: position += 1  // *
        case 0x2B: position += 1; min = 1  // +
        case 0x3F: position += 1; max = 1  // ?
        case 0x7B:  // {n}, {n,}, {n,m}; anything else is a literal brace
            guard let (low, high, end) = braceQuantifier() else { return atom }
            position = end
            min = low
            max = high
        default: return atom
        }
        if let next = current, next == 0x3F || next == 0x2B { position += 1 }  // lazy or possessive
        return .repeated(atom, min: min, max: max)
    }

    private func braceQuantifier() -> (Int, Int?, Int)? {
        var i = position + 1
        func number() -> Int? {
            let start = i
            while i < source.count, ByteClass.isDigit(source[i]), i - start < 6 { i += 1 }
            guard i > start else { return nil }
            return Int(String(decoding: source[start..<i], as: UTF8.self))
        }
        guard let low = number() else { return nil }
        var high: Int? = low
        if i < source.count && source[i] == 0x2C {
            i += 1
            high = nil
            if i < source.count && ByteClass.isDigit(source[i]) { high = number() }
        }
        guard i < source.count, source[i] == 0x7D else { return nil }
        return (low, high, i + 1)
    }

    private mutating func parseAtom() -> RegexNode? {
        guard let byte = current else { return nil }
        switch byte {
        case 0x28: return parseGroup()
        case 0x5B: return parseClass()
        case 0x2E: position += 1; return .chars(.all)
        case 0x5E: position += 1; return multiline ? .lineStart : .textStart
        case 0x24: position += 1; return .lineEnd
        case 0x5C: return parseEscape()
        case 0x2A, 0x2B, 0x3F, 0x29: return nil
        default:
            if byte >= 0x80 {
                // A non-ASCII literal: its bytes; caseless, it may match ASCII letters too.
                position += 1
                while let next = current, next & 0xC0 == 0x80 { position += 1 }
                return .chars(caseless ? Self.caseClosure(.nonASCII) : .nonASCII)
            }
            position += 1
            return .chars(literal(byte))
        }
    }

    private func literal(_ byte: UInt8) -> ByteSet {
        var set = ByteSet()
        set.insert(byte)
        return caseless ? Self.caseClosure(set) : set
    }

    /// Adds the other case of every ASCII letter, and non-ASCII bytes for `k` and `s` (KELVIN SIGN, LONG S).
    static func caseClosure(_ set: ByteSet) -> ByteSet {
        var closed = set
        for upper in UInt8(0x41)...UInt8(0x5A) where set.contains(upper) || set.contains(upper | 0x20) {
            closed.insert(upper)
            closed.insert(upper | 0x20)
            if upper == 0x4B || upper == 0x53 { closed.formUnion(.nonASCII) }
        }
        // A non-ASCII member may fold to an ASCII letter (KELVIN SIGN to k).
        if !set.isASCII { closed.insert(0x41...0x5A); closed.insert(0x61...0x7A) }
        return closed
    }

    private mutating func parseGroup() -> RegexNode? {
        position += 1  // (
        enum Kind { case plain, lookahead, lookbehind(negative: Bool) }
        var kind = Kind.plain
        var scoped: (caseless: Bool, multiline: Bool)?
        if current == 0x3F {  // ?
            position += 1
            guard let byte = current else { return nil }
            switch byte {
            case 0x3A: position += 1  // (?:
            case 0x3E where lenient: position += 1  // (?> read as (?:
            case 0x3D, 0x21: position += 1; kind = .lookahead  // (?= (?!
            case 0x3C:  // (?<= (?<! (?<name>
                position += 1
                if current == 0x3D || current == 0x21 {
                    kind = .lookbehind(negative: current == 0x21)
                    position += 1
                } else {
                    guard skipName(until: 0x3E) else { return nil }
                }
            case 0x27: position += 1; guard skipName(until: 0x27) else { return nil }  // (?'name'
            case 0x50:  // (?P<name>
                position += 1
                guard current == 0x3C else { return nil }
                position += 1
                guard skipName(until: 0x3E) else { return nil }
            default:
                // Option letters: (?i) (?-i) (?m) (?s) ... or (?i: ...)
                var on = true
                var newCaseless = caseless, newMultiline = multiline
                while let letter = current, letter != 0x29 && letter != 0x3A {
                    switch letter {
                    case 0x2D: on = false
                    case 0x69: newCaseless = on
                    case 0x6D: newMultiline = on
                    case 0x73: break
                    default: return nil
                    }
                    position += 1
                }
                guard let end = current else { return nil }
                position += 1
                if end == 0x29 {  // applies to the rest of the enclosing group
                    caseless = newCaseless
                    multiline = newMultiline
                    return .sequence([])
                }
                scoped = (caseless, multiline)
                caseless = newCaseless
                multiline = newMultiline
            }
        } else if current == 0x2A {  // (*VERB)
            return nil
        }
        let inner = parseAlternation()
        if let scoped { caseless = scoped.caseless; multiline = scoped.multiline }
        guard let inner, current == 0x29 else { return nil }
        position += 1
        switch kind {
        case .plain: return inner
        case .lookahead: return .lookahead(inner)
        case .lookbehind(let negative):
            if case .alternation(let branches) = inner, branches.count == 1, case .sequence(let items) = branches[0],
               items.count == 1, case .chars = items[0]
            {
                return .lookbehind(items[0], negative: negative)
            }
            return .lookbehind(inner, negative: negative)
        }
    }

    private mutating func skipName(until terminator: UInt8) -> Bool {
        let start = position
        while let byte = current, byte != terminator {
            guard ByteClass.isWord(byte) || byte == 0x5F, byte < 0x80 else { return false }
            position += 1
        }
        guard current == terminator, position > start else { return false }
        position += 1
        return true
    }

    private static let space: ByteSet = { var set = ByteSet(); for byte: UInt8 in [0x09, 0x0A, 0x0B, 0x0C, 0x0D, 0x20] { set.insert(byte) }; return set }()
    private static let digit: ByteSet = { var set = ByteSet(); set.insert(0x30...0x39); return set }()
    private static let word: ByteSet = {
        var set = ByteSet(); set.insert(0x30...0x39); set.insert(0x41...0x5A); set.insert(0x61...0x7A); set.insert(0x5F); return set
    }()

    /// The set of a class escape (`\s`, `\d`, ...) or a character escape (`\t`, `\.`), or nil.
    private static func escapeSet(_ letter: UInt8) -> ByteSet? {
        var single = ByteSet()
        switch letter {
        case 0x73: return space  // \s
        case 0x53: return space.inverted().union(.nonASCII)  // \S
        case 0x64: return digit
        case 0x44: return digit.inverted().union(.nonASCII)
        case 0x77: return word
        case 0x57: return word.inverted().union(.nonASCII)
        case 0x68: var set = ByteSet.nonASCII; set.insert(0x09); set.insert(0x20); return set  // \h
        case 0x48: return .all
        case 0x74: single.insert(0x09)
        case 0x6E: single.insert(0x0A)
        case 0x72: single.insert(0x0D)
        case 0x66: single.insert(0x0C)
        case 0x65: single.insert(0x1B)
        case 0x61: single.insert(0x07)
        default:
            // An escaped ASCII punctuation character is itself; escaped letters and digits mean other things.
            guard letter < 0x80, !ByteClass.isWord(letter), letter > 0x20 else { return nil }
            single.insert(letter)
        }
        return single
    }

    private mutating func parseEscape() -> RegexNode? {
        position += 1
        guard let letter = current else { return nil }
        position += 1
        switch letter {
        case 0x41: return .textStart  // \A
        case 0x7A, 0x5A, 0x62, 0x42: return .otherAssertion  // \z \Z \b \B
        case 0x47 where lenient: return .otherAssertion  // \G
        case 0x6B where lenient:  // \k<name>: the text of a group, any text here
            guard current == 0x3C else { return nil }
            position += 1
            guard skipName(until: 0x3E) else { return nil }
            return .repeated(.chars(.all), min: 0, max: nil)
        case 0x78:  // \xhh, \x{hhhh}
            guard let value = hexEscape() else { return nil }
            if value >= 0x80 { return .chars(caseless ? Self.caseClosure(.nonASCII) : .nonASCII) }
            var set = ByteSet()
            set.insert(UInt8(value))
            return .chars(caseless ? Self.caseClosure(set) : set)
        default:
            guard let set = Self.escapeSet(letter) else { return nil }
            return .chars(caseless ? Self.caseClosure(set) : set)
        }
    }

    /// Skips a class member that is a non-ASCII character (literal or `\x` escape); false for anything else.
    private mutating func skipNonASCIIClassMember() -> Bool {
        guard let byte = current else { return false }
        if byte >= 0x80 {
            position += 1
            while let next = current, next & 0xC0 == 0x80 { position += 1 }
            return true
        }
        guard byte == 0x5C, position + 1 < source.count, source[position + 1] == 0x78 else { return false }
        position += 2
        guard let value = hexEscape(), value >= 0x80 else { return false }
        return true
    }

    /// The code point of a hex escape after its `\x`: `\x{h...}` or up to two hex digits; nil when malformed.
    private mutating func hexEscape() -> Int? {
        func hexValue(_ byte: UInt8) -> Int? {
            switch byte {
            case 0x30...0x39: Int(byte - 0x30)
            case 0x41...0x46: Int(byte - 0x41 + 10)
            case 0x61...0x66: Int(byte - 0x61 + 10)
            default: nil
            }
        }
        var value = 0, digits = 0
        let braced = current == 0x7B
        if braced { position += 1 }
        while let byte = current, let digit = hexValue(byte), braced || digits < 2 {
            value = min(value * 16 + digit, 0x110000)
            digits += 1
            position += 1
        }
        if braced {
            guard digits > 0, current == 0x7D else { return nil }
            position += 1
        }
        return value
    }

    private mutating func parseClass() -> RegexNode? {
        position += 1  // [
        var negated = false
        if current == 0x5E { negated = true; position += 1 }
        var set = ByteSet()
        var first = true
        while true {
            guard let byte = current else { return nil }
            if byte == 0x5D && !first { position += 1; break }
            first = false
            // One member: a character or an escape; then maybe a range.
            var low: UInt8
            if byte == 0x5C {
                position += 1
                guard let letter = current else { return nil }
                position += 1
                if letter == 0x78 {  // \x: a character by its code point
                    guard let value = hexEscape() else { return nil }
                    if value >= 0x80 {
                        set.formUnion(.nonASCII)
                        if current == 0x2D, position + 1 < source.count, source[position + 1] != 0x5D {
                            // A range up to another non-ASCII character holds non-ASCII characters only.
                            position += 1
                            guard skipNonASCIIClassMember() else { return nil }
                        }
                        continue
                    }
                    low = UInt8(value)
                } else {
                    guard let escaped = Self.escapeSet(letter) else { return nil }
                    if escaped.count != 1 { set.formUnion(escaped); continue }
                    low = escaped.members[0]
                }
            } else if byte == 0x5B && position + 1 < source.count && source[position + 1] == 0x3A {
                return nil  // POSIX class
            } else if byte >= 0x80 {
                position += 1
                while let next = current, next & 0xC0 == 0x80 { position += 1 }
                set.formUnion(.nonASCII)
                if current == 0x2D, position + 1 < source.count, source[position + 1] != 0x5D { return nil }
                continue
            } else {
                position += 1
                low = byte
            }
            if current == 0x2D, position + 1 < source.count, source[position + 1] != 0x5D {
                position += 1
                guard let highByte = current else { return nil }
                var high: UInt8
                if highByte == 0x5C {
                    position += 1
                    guard let letter = current else { return nil }
                    position += 1
                    if letter == 0x78 {
                        guard let value = hexEscape() else { return nil }
                        if value >= 0x80 {  // a range into non-ASCII
                            set.insert(Int(low)...0x7F)
                            set.formUnion(.nonASCII)
                            continue
                        }
                        high = UInt8(value)
                    } else {
                        guard let escaped = Self.escapeSet(letter), escaped.count == 1 else { return nil }
                        high = escaped.members[0]
                    }
                } else {
                    position += 1
                    high = highByte
                    if highByte >= 0x80 {  // a range into non-ASCII
                        while let next = current, next & 0xC0 == 0x80 { position += 1 }
                        set.insert(Int(low)...0x7F)
                        set.formUnion(.nonASCII)
                        continue
                    }
                }
                guard low <= high else { return nil }
                set.insert(Int(low)...Int(high))
            } else {
                set.insert(low)
            }
        }
        if caseless { set = Self.caseClosure(set) }
        if negated { set = set.inverted().union(.nonASCII) }
        return .chars(set)
    }
}

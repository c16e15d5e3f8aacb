/// The ASCII characters a PCRE2 pattern can consume, found by reading its source; nil when the pattern uses a
/// construct this reader does not know (then nothing is assumed about it).
///
/// A match consists only of characters from the pattern's alphabet, so it lies inside one run of text between
/// characters outside the alphabet. Understood: literal characters (both cases: patterns are caseless), escaped
/// punctuation, `\s` `\w` `\d` (ASCII meanings, as without `PCRE2_UCP`), classes without negation, groups
/// (capturing, named, non-capturing, atomic, lookaround), inline options other than `x`, comments, alternation,
/// quantifiers and the assertions `\b` `\B` `^` `\A` (`$`, `\z` and `\Z` are refused). Lookaround contents count as
/// consumable, which only widens the alphabet. Non-ASCII characters of the text are never separators (and a
/// non-ASCII literal, whose case partner may be ASCII, makes the pattern unknown).
enum PatternAlphabet {
    /// `alphabet[b]` for each ASCII byte `b`, or nil.
    static func ascii(of pattern: String) -> [Bool]? {
        var alphabet = Array(repeating: false, count: 128)
        let scalars = Array(pattern.unicodeScalars)
        var index = 0
        func add(_ scalar: Unicode.Scalar) -> Bool {
            guard scalar.isASCII else { return false }
            let value = Int(scalar.value)
            alphabet[value] = true
            if (0x41...0x5A).contains(value) { alphabet[value | 0x20] = true }
            if (0x61...0x7A).contains(value) { alphabet[value & ~0x20] = true }
            return true
        }
        func addClass(_ letter: Unicode.Scalar) -> Bool {
            switch letter {
            case "s": for byte in [0x09, 0x0A, 0x0B, 0x0C, 0x0D, 0x20] { alphabet[byte] = true }
            case "d": for byte in 0x30...0x39 { alphabet[byte] = true }
            case "w":
                for byte in 0..<128 where ByteTest.isASCIIWord(UInt8(byte)) { alphabet[byte] = true }
            default: return false
            }
            return true
        }
        func isPunctuation(_ scalar: Unicode.Scalar) -> Bool {
            scalar.isASCII && !(scalar.properties.isAlphabetic || ("0"..."9").contains(scalar)) && scalar.value > 0x20
        }
        while index < scalars.count {
            let scalar = scalars[index]
            index += 1
            switch scalar {
            case "\\":
                guard index < scalars.count else { return nil }
                let escaped = scalars[index]
                index += 1
                if "sdw".unicodeScalars.contains(escaped) {
                    _ = addClass(escaped)
                } else if "bBA".unicodeScalars.contains(escaped) {
                    continue
                } else if isPunctuation(escaped) {
                    _ = add(escaped)
                } else {
                    return nil
                }
            case "[":
                // A class: literals, ranges, \s \w \d and escaped punctuation; no negation, no POSIX names.
                guard index < scalars.count, scalars[index] != "^", scalars[index] != "]" else { return nil }
                var previous: Unicode.Scalar?
                while true {
                    guard index < scalars.count else { return nil }
                    var member = scalars[index]
                    index += 1
                    if member == "]" { break }
                    if member == "[" { return nil }
                    if member == "\\" {
                        guard index < scalars.count else { return nil }
                        let escaped = scalars[index]
                        index += 1
                        if "sdw".unicodeScalars.contains(escaped) {
                            _ = addClass(escaped)
                            previous = nil
                            continue
                        }
                        guard isPunctuation(escaped) else { return nil }
                        member = escaped
                    } else if member == "-", let start = previous, index < scalars.count, scalars[index] != "]" {
                        // A range start-end.
                        var end = scalars[index]
                        index += 1
                        if end == "\\" {
                            guard index < scalars.count, isPunctuation(scalars[index]) else { return nil }
                            end = scalars[index]
                            index += 1
                        }
                        guard start.isASCII, end.isASCII, start.value <= end.value else { return nil }
                        for value in start.value...end.value { _ = add(Unicode.Scalar(value)!) }
                        previous = nil
                        continue
                    }
                    guard add(member) else { return nil }
                    previous = member
                }
            case "(":
                if index < scalars.count, scalars[index] == "*" { return nil }
                guard index < scalars.count, scalars[index] == "?" else { continue }
                index += 1
                guard index < scalars.count else { return nil }
                let kind = scalars[index]
                switch kind {
                case ":", "=", "!", ">", "|":
                    index += 1
                case "<":
                    index += 1
                    guard index < scalars.count else { return nil }
                    if scalars[index] == "=" || scalars[index] == "!" {
                        index += 1
                    } else {
                        // A named group: skip the name.
                        while index < scalars.count, scalars[index] != ">" { index += 1 }
                        index += 1
                    }
                case "#":
                    while index < scalars.count, scalars[index] != ")" { index += 1 }
                    index += 1
                default:
                    // Inline options such as (?i) or (?-i:...); extended mode changes what the source means.
                    while index < scalars.count, scalars[index] != ")", scalars[index] != ":" {
                        let option = scalars[index]
                        guard option == "-" || option == "^" || ("a"..."z").contains(option) || ("A"..."Z").contains(option),
                              option != "x" else { return nil }
                        index += 1
                    }
                    index += 1
                }
            case "{":
                // A quantifier {n}, {n,} or {n,m}; anything else would be literal text.
                var digits = 0
                while index < scalars.count, ("0"..."9").contains(scalars[index]) { index += 1; digits += 1 }
                guard digits > 0, index < scalars.count else { return nil }
                if scalars[index] == "," {
                    index += 1
                    while index < scalars.count, ("0"..."9").contains(scalars[index]) { index += 1 }
                }
                guard index < scalars.count, scalars[index] == "}" else { return nil }
                index += 1
            case ")", "|", "?", "*", "+", "^":
                continue
            case ".", "$":
                // `$` is refused because it would see a shortened text's end (see `PatternTable.matches`).
                return nil
            default:
                guard add(scalar) else { return nil }
            }
        }
        return alphabet
    }
}

enum ByteTest {
    /// `\w` without Unicode properties: ASCII letters, digits and underscore.
    static func isASCIIWord(_ byte: UInt8) -> Bool {
        byte == UInt8(ascii: "_") || (byte >= 0x30 && byte <= 0x39) || ((byte | 0x20) >= 0x61 && (byte | 0x20) <= 0x7A)
    }
}

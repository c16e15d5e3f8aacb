import CICUShim

/// The Unicode Sentence_Break property of a character (UAX #29, "Sentence Boundaries"): the classes the
/// sentence-boundary rules are written in.
///
/// ASCII characters are classified here without ICU (the tests check every ASCII code point against ICU); any other
/// code point is looked up in ICU's property data, so the classes are always those of the Unicode version of the ICU
/// that ICU's sentence break iterator uses (Unicode 15.0 for ICU 72). The raw values are the shim's
/// `CP_SENTENCE_BREAK_*` constants.
enum SentenceBreakClass: UInt8, Sendable, CaseIterable {
    case other = 0, cr, lf, sep, sp, lower, upper, oLetter, numeric, aTerm, sTerm, close, sContinue, extend, format

    /// ParaSep of the rules: CR, LF or Sep (U+0085, U+2028, U+2029). A sentence always ends after one.
    @inline(__always) var isParaSep: Bool { rawValue >= Self.cr.rawValue && rawValue <= Self.sep.rawValue }

    /// SATerm of the rules: ATerm ('.') or STerm ('!', '?', '。' …), the characters that can end a sentence.
    @inline(__always) var isTerminator: Bool { self == .aTerm || self == .sTerm }

    /// Whether an SB8 look-ahead ("ATerm Close* Sp* × (¬(OLetter | Upper | Lower | ParaSep | SATerm))* Lower") stops
    /// at this character: a letter, a paragraph separator or a terminator.
    @inline(__always) var stopsLowercaseLookahead: Bool {
        switch self {
        case .oLetter, .upper, .lower, .cr, .lf, .sep, .aTerm, .sTerm: true
        default: false
        }
    }

    /// The class of an ASCII byte (0...127): letters, digits and the characters listed below; everything else,
    /// ';' included, is Other (as in ICU 72's data: the tests compare all 128).
    @inline(__always) static func of(ascii byte: UInt8) -> SentenceBreakClass {
        switch byte {
        case 0x61...0x7A: .lower                                          // a-z
        case 0x41...0x5A: .upper                                          // A-Z
        case 0x30...0x39: .numeric                                        // 0-9
        case 0x20, 0x09, 0x0B, 0x0C: .sp                                  // space, tab, vertical tab, form feed
        case 0x0A: .lf
        case 0x0D: .cr
        case 0x2E: .aTerm                                                 // .
        case 0x21, 0x3F: .sTerm                                           // ! ?
        case 0x22, 0x27, 0x28, 0x29, 0x5B, 0x5D, 0x7B, 0x7D: .close      // " ' ( ) [ ] { }
        case 0x2C, 0x2D, 0x3A: .sContinue                                 // , - :
        default: .other
        }
    }

    /// The class of any Unicode scalar value, from ICU's property data.
    static func of(codePoint: UInt32) -> SentenceBreakClass {
        SentenceBreakClass(rawValue: UInt8(truncatingIfNeeded: cp_sentence_break_class(Int32(bitPattern: codePoint)))) ?? .other
    }
}

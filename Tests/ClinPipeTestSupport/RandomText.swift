import ClinPipeCore
import Foundation

/// The generator of every random test: SplitMix64 (ClinPipeCore), so that each test reproduces from its seed.
public typealias SeededGenerator = SplitMix64

/// The seeds a property test runs over: `count` fixed seeds, or only `CLINPIPE_SEED` when that environment variable
/// is set (to reproduce one failure: every failure message names its seed).
public func testSeeds(_ count: Int) -> [UInt64] {
    if let value = ProcessInfo.processInfo.environment["CLINPIPE_SEED"], let seed = UInt64(value) { return [seed] }
    return (0..<UInt64(count)).map { $0 &* 0x1000_0001 &+ 17 }
}

/// Random Unicode text for property tests, from a seeded generator so that failures reproduce.
public enum RandomText {
    /// Pieces mixing clinical ASCII with the characters that break naive offset code: combining marks, emoji with
    /// ZWJ, CJK, ligatures and fullwidth forms that NFKC rewrites, typographic dashes and quotes, no-break spaces,
    /// soft hyphens, CRLF and form feeds, doubled blank lines.
    public static let pieces = [
        "Pain at L4–5 ", "L5-S1 ", "Norco 10/325mg #60 ", "no trigger points", ". ", "\n", "\r\n", "\n\n", " \n\n",
        "e\u{301}", "ﬁbromyalgia ", "１２/３/２０１４ ", "👩‍⚕️ ", "脊椎 ", "“quoted” ", "non\u{00A0}breaking ",
        "soft\u{00AD}hyphen ", "\u{000C}", "Dr. Smith ", "x", "CLINICAL CASE SUMMARY\n", "Decision rationale: ", "   ",
        "treat-\nment ", "ß", "İ", "Å", "\u{FEFF}", "Upheld\n",
    ]

    public static func make(_ generator: inout SeededGenerator, pieces count: Int) -> String {
        var text = ""
        for _ in 0..<count { text += pieces[Int(generator.next() % UInt64(pieces.count))] }
        return text
    }

    /// Pieces for the offset property tests (Unicode edge cases first, clinical words second).
    public static let stressPieces: [String] = [
        "pain", "L4-5", "Lumbar", "MRI", "the", "no", "denied", "a", "x", " ", " ", "  ", ".", ",", ";", "(", ")",
        "\n", "\r\n", "\r\n\r\n", "\t", "\u{0B}", "\u{0C}", "\u{85}", "\u{2028}",
        "e\u{301}", "a\u{308}\u{323}", "\u{301}", "\u{0338}", "o\u{328}\u{304}", "n\u{303}", "\u{1E9B}\u{0323}",
        "é", "ü", "Å", "\u{212B}", "\u{2126}", "\u{0958}", "ß", "İ", "ǅ",
        "😀", "👍🏽", "👨‍👩‍👧‍👦", "🏳️‍🌈", "🇫🇷", "❤️", "\u{200D}", "\u{FE0F}",
        "中文", "日本語", "患者", "한국어", "\u{1100}\u{1161}\u{11A8}", "ｶﾞ", "ｶ", "\u{FF9E}",
        "ﬁ", "ﬂ", "ﬃ", "ﬅ", "１２３", "０", "ＡＢ", "½", "²", "™", "Ⅻ", "ℌ", "\u{00A0}", "…", "㎏", "㍻", "ǈ",
        "𝔘", "𠀋", "𝟘", "\u{10FFFD}", "\u{FFFD}", "\u{FEFF}", "\u{1}", "\u{7F}", "\"", "\\", "/",
    ]

    /// A random text of `pieceCount` pieces from `stressPieces` and random scalars.
    public static func make<G: RandomNumberGenerator>(pieceCount: Int, using generator: inout G) -> String {
        var text = ""
        for _ in 0..<pieceCount { text += piece(using: &generator) }
        return text
    }

    /// One random piece: usually from `pieces`, sometimes a random scalar (never a surrogate or NUL).
    public static func piece<G: RandomNumberGenerator>(using generator: inout G) -> String {
        if Int.random(in: 0..<10, using: &generator) == 0 {
            return String(Character(randomScalar(using: &generator)))
        }
        return stressPieces.randomElement(using: &generator)!
    }

    public static func randomScalar<G: RandomNumberGenerator>(using generator: inout G) -> Unicode.Scalar {
        while true {
            let plane = Int.random(in: 0..<4, using: &generator)
            let value: UInt32 = switch plane {
            case 0: UInt32.random(in: 0x20...0x7E, using: &generator)
            case 1: UInt32.random(in: 0xA0...0x7FF, using: &generator)
            case 2: UInt32.random(in: 0x800...0xFFFF, using: &generator)
            default: UInt32.random(in: 0x10000...0x10FFFF, using: &generator)
            }
            if let scalar = Unicode.Scalar(value) { return scalar }
        }
    }

    /// UTF-8 offsets of every scalar boundary of `text`, from 0 to its byte count.
    public static func scalarBoundaries(_ text: String) -> [Int] {
        var result = [0]
        var offset = 0
        for scalar in text.unicodeScalars {
            offset += UTF8.width(scalar)
            result.append(offset)
        }
        return result
    }
}

extension Array where Element == UInt8 {
    /// The bytes as text for a failure message (test data only, never clinical text).
    public var debugText: String { String(decoding: self, as: UTF8.self).debugDescription }
}

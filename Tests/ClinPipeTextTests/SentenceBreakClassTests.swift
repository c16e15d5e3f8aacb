@testable import ClinPipeText
import Testing

@Suite struct SentenceBreakClassTests {
    @Test("the ASCII classes are ICU's")
    func asciiMatchesICU() {
        for byte in UInt8(0)..<128 {
            #expect(SentenceBreakClass.of(ascii: byte) == SentenceBreakClass.of(codePoint: UInt32(byte)), "U+\(String(byte, radix: 16))")
        }
        #expect(SentenceBreakClass.of(ascii: UInt8(ascii: ";")) == .other)
    }

    @Test("non-ASCII classes come from ICU")
    func nonASCII() {
        let expected: [(UInt32, SentenceBreakClass)] = [
            (0x85, .sep), (0x2028, .sep), (0x2029, .sep), (0xA0, .sp), (0x2019, .close), (0x201C, .close), (0xAB, .close),
            (0x2013, .sContinue), (0x2014, .sContinue), (0xB0, .other), (0xAE, .other), (0xD7, .other), (0xE9, .lower),
            (0xC9, .upper), (0x4E2D, .oLetter), (0x3002, .sTerm), (0xFF0E, .aTerm), (0x663, .numeric), (0x301, .extend),
            (0x200D, .extend), (0xAD, .format), (0xFEFF, .format),
        ]
        for (codePoint, kind) in expected {
            #expect(SentenceBreakClass.of(codePoint: codePoint) == kind, "U+\(String(codePoint, radix: 16))")
        }
    }

    @Test("derived classes")
    func derived() {
        #expect(SentenceBreakClass.allCases.filter(\.isParaSep) == [.cr, .lf, .sep])
        #expect(SentenceBreakClass.allCases.filter(\.isTerminator) == [.aTerm, .sTerm])
        #expect(SentenceBreakClass.allCases.filter(\.stopsLowercaseLookahead) == [.cr, .lf, .sep, .lower, .upper, .oLetter, .aTerm, .sTerm])
    }
}

import ClinPipeCore
import ClinPipeTestSupport
@testable import DatesStage
import Testing

/// `DateScanWindows.nextDigit` (sixteen and eight bytes a step) against a byte-by-byte search.
@Suite struct DateScanWindowsTests {
    @Test func nextDigitIsTheFirstDigit() {
        let alphabet: [UInt8] = Array("0123456789/-: aZ\n".utf8) + [0x2F, 0x3A, 0x00, 0x7F, 0x80, 0xB0, 0xB9, 0xE2, 0xFF]
        for seed in testSeeds(2000) {
            var generator = SeededGenerator(seed: seed)
            // Mostly non-digits, so that the word loops run; digits anywhere, including at word edges.
            let bytes: [UInt8] = (0..<Int(generator.next() % 70)).map { _ in
                generator.next() % 6 == 0 ? alphabet[Int(generator.next() % 10)]
                    : alphabet[10 + Int(generator.next() % UInt64(alphabet.count - 10))]
            }
            bytes.withUnsafeBufferPointer { buffer in
                for start in 0...bytes.count {
                    let expected = (start..<bytes.count).first { bytes[$0] >= 0x30 && bytes[$0] <= 0x39 } ?? bytes.count
                    #expect(DateScanWindows.nextDigit(in: buffer, from: start) == expected, "seed \(seed) from \(start)")
                }
            }
        }
    }
}

/// The windowed search (which stops a window after a match past its last trigger) finds the candidates of a scan of
/// the whole text, on date-dense random text.
@Suite struct DateScanWindowSearchTests {
    @Test func windowedCandidatesAreTheWholeTextOnes() throws {
        let patterns = try DatePatternSet(
            patternSources: [RuleSource(name: "date_patterns.tsv", text: EmbeddedRules.text("date_patterns.tsv"))],
            monthNameSources: [RuleSource(name: "month_names.tsv", text: EmbeddedRules.text("month_names.tsv"))])
        let pieces = ["11/27/1986", "8-18-11", "01-10-2014", "August 18, 2011", "December 2014", "DOS: 03/25/2015",
                      "in 2014", "from 2012 to 2014", "2014-08-18", "4-8/10", "L4-5", "5/325", " ", ", ", " and ",
                      "\n", "on ", "(", ")", "x", "Jan. 5, 2015", "18 August 2011", "12", "3/25", "MTUS 2016 ",
                      "09-16-\n\n2015", "é", "since 2012, 2013 and 2015", "1/5/15–2/3/15", "123456", "7"]
        for seed in testSeeds(300) {
            var generator = SeededGenerator(seed: seed)
            var text = ""
            for _ in 0..<Int(generator.next() % 80) { text += pieces[Int(generator.next() % UInt64(pieces.count))] }
            let describe: ([DateCandidate]) -> [String] = { $0.map { "\($0.range) \($0.year) \($0.yearDigits) \(String(describing: $0.month)) \(String(describing: $0.day)) \($0.rule)" } }
            let (windowed, whole) = try text.withUTF8Bytes { bytes in
                (describe(try patterns.candidates(in: bytes)), describe(try patterns.candidates(in: bytes, wholeText: true)))
            }
            #expect(windowed == whole, "seed \(seed)")
        }
    }
}

import ClinPipeCore
import ClinPipeTestSupport
import ClinPipeText
@testable import OutcomeStage
import Testing

/// `GuidelineSourceWords` gives the row that PCRE2 gives with the shipped `Rules/guidelines.tsv`, in ASCII text.
@Suite struct GuidelineSourceWordsTests {
    @Test func theShippedSourceRowsAreMatchedByWords() throws {
        let citations = try GuidelineCitations()
        #expect(citations.sourcesByWords)
        #expect(citations.sources.rows.map(\.label) == GuidelineSourceWords.shippedRows.map(\.label))
        // Another pattern, or another order, is not the shipped table.
        var rows = GuidelineSourceWords.shippedRows
        #expect(GuidelineSourceWords.isShipped(rows))
        rows.swapAt(0, 1)
        #expect(!GuidelineSourceWords.isShipped(rows))
        rows = GuidelineSourceWords.shippedRows
        rows[3].pattern += "|x"
        #expect(!GuidelineSourceWords.isShipped(rows))
    }

    /// The initials the word walk stops at are exactly the letters `laterRow` tests (its cases), in either case, and no
    /// other byte.
    @Test func laterRowInitialsAreTheLettersLaterRowAccepts() {
        let letters = "acfhjmnopuw"
        #expect(GuidelineSourceWords.laterRowInitials == letters.utf8.reduce(0) { $0 | 1 << UInt32($1 - UInt8(ascii: "a")) })
        for byte in 0...255 {
            let expected = byte < 0x80 && letters.utf8.contains(ByteClass.lower(UInt8(byte)))
            #expect((GuidelineSourceWords.isLaterRowInitial(UInt8(byte)) == 1) == expected, "\(byte)")
        }
    }

    /// Words that start a later row only where `\b` holds: after a digit, `_` or letter they are not words of their own.
    @Test func laterRowsStartOnlyAtWordStarts() throws {
        let sources = try GuidelineCitations().sources
        let texts = ["ODG", "9ODG", "_ODG", "xODG", "-ODG", "(ODG)", "x ODG", "ODGx ACOEM", "aODG ACOEM", "1NIH", " NIH", "NIH",
                     "journal", "Xjournal", "_www.", " www.", "CMS_ FDA", "peer-reviewed", "apeer-reviewed", "a", "o", ""]
        for text in texts {
            try text.withUTF8Bytes { bytes in
                let expected = try sources.firstMatch(in: bytes, prefilter: false).flatMap { row in
                    sources.rows.firstIndex { $0.source == row.source }
                }
                #expect(GuidelineSourceWords.firstRow(in: bytes) == expected, "\(text.debugDescription)")
            }
        }
    }

    @Test func wordsGiveThePatternsFirstRow() throws {
        let sources = try GuidelineCitations().sources
        var generator = SeededGenerator(seed: 4_711)
        let pieces = ["MTUS", "mtus", "MTUSx", "xMTUS", "_MTUS", "MTUS2", "CA MTUS", "California  MTUS", "Non-MTUS", "Non-MTUS Citation",
                      "Medical", "Treatment", "Utilization", "Schedule", "Schedules", "Medical Treatment Utilization Schedule",
                      "medical\ttreatment\nutilization  schedule", "Medical Treatment Utilization", "ODG", "ODGs", "odg_", "Official",
                      "Disability", "Guideline", "Guidelines", "Guidelinesx", "Official Disability Guidelines",
                      "official  disability\u{0B}guideline", "ACOEM", "acoemx", "American College of Occupational and Environmental Medicine",
                      "American", "College", "of", "Occupational", "and", "Environmental", "Medicine", "Citation", "Citations",
                      "xCitation", "FDA", "FDAs", "NIH", "Medicare", "Medicare's", "CMS", "CMS1", "AHRQ", "UpToDate", "uptodatex", "peer",
                      "peer-reviewed", "peer reviewed", "peer  reviewed", "peer--reviewed", "peer-review", "journal", "Journals",
                      "National", "National Guideline", "national\tguidelines", "National  Guidelinex", "Nationalguideline",
                      "http", "https", "http://", "https://x", "http:/", "httpx://", "www", "www.", "wwww.", "www,", "National", "peer-",
                      " ", "  ", "\t", "\n", ".", ",", ";", "-", "(", ")", "/", ":", "_", "0", "9", "x", "Page(s): 12", "Low back"]
        var texts = ["", " ", "MTUS", "peer", "www", "http", "https:", "National", "National ", "peer-", "Medical Treatment",
                     "Official Disability", "American College of Occupational and Environmental"]
        texts += (0..<6000).map { _ in
            (0..<Int.random(in: 0...9, using: &generator)).map { _ in pieces.randomElement(using: &generator)! }.joined()
        }
        texts += GuidelineCitationsTests.randomLines().filter { $0.utf8.allSatisfy { $0 < 0x80 } }
        for (_, text) in try TestPaths.seedTexts() {
            texts += text.split(separator: "\n").map(String.init).filter { $0.utf8.allSatisfy { $0 < 0x80 } }
        }
        var counts = [Int](repeating: 0, count: sources.rows.count + 1)
        for text in texts {
            try text.withUTF8Bytes { bytes in
                let expected = try sources.firstMatch(in: bytes, prefilter: false).flatMap { row in
                    sources.rows.firstIndex { $0.source == row.source }
                }
                let actual = GuidelineSourceWords.firstRow(in: bytes)
                #expect(actual == expected, "\(text.debugDescription)")
                counts[expected ?? sources.rows.count] += 1
            }
        }
        // Every row, and no row, is found many times.
        #expect(counts.allSatisfy { $0 > 50 }, "\(counts)")
    }
}

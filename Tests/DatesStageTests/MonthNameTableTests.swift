import ClinPipeTestSupport
@testable import DatesStage
import Testing

/// `MonthNameTable.month` looks ASCII fields up by packed bytes; the string path (`monthKey`) is the reference.
@Suite struct MonthNameTableTests {
    static let builtIn: [String: Int] = {
        var months: [String: Int] = [:]
        for (index, name) in ["january", "jan", "february", "feb", "march", "mar", "april", "apr", "may", "june", "jun",
                              "july", "jul", "august", "aug", "september", "sept", "sep", "october", "oct",
                              "november", "nov", "december", "dec"].enumerated() {
            months[name] = index / 2 + 1
        }
        return months
    }()

    static func plainMonth(_ months: [String: Int], _ field: String) -> Int? {
        let lowered = String(decoding: field.utf8.map { $0 >= 0x41 && $0 <= 0x5A ? $0 | 0x20 : $0 }, as: UTF8.self)
        return months[MonthNameTable.monthKey(lowered)]
    }

    static func expectSame(_ table: MonthNameTable, _ field: String) {
        let found = Array(field.utf8).withUnsafeBufferPointer { table.month($0, 0..<$0.count) }
        #expect(found == Self.plainMonth(table.months, field), "\(field)")
    }

    @Test func realFieldsAndRandomOnes() {
        let tables = [MonthNameTable(months: Self.builtIn),
                      MonthNameTable(months: Self.builtIn.merging(["märz": 3, "abcdefghijklmnopq": 1]) { a, _ in a })]
        let fields = ["January", "JAN", "Jan.", "Sept. ", "sept", "SEPTEMBER", "May", "may.", "Mayo", "", ".", "Jan..",
                      "Dec .", "MÄRZ", "März", "märz", "abcdefghijklmnopq", "ABCDEFGHIJKLMNOPQ", "abcdefghijklmno",
                      "ja\u{0}", "jan\u{0}", "Ｊａｎ"]
        for table in tables {
            for field in fields { Self.expectSame(table, field) }
            for seed in testSeeds(500) {
                var generator = SeededGenerator(seed: seed)
                let letters = Array("janfebmrpyulgsoctvdJANFEBMRPYULGSOCTVD. äÄ".unicodeScalars)
                let field = String(String.UnicodeScalarView((0..<Int(generator.next() % 12)).map { _ in
                    letters[Int(generator.next() % UInt64(letters.count))]
                }))
                Self.expectSame(table, field)
            }
        }
    }
}

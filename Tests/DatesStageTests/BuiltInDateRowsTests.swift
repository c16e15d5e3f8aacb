import ClinPipeCore
import ClinPipeTestSupport
import ClinPipeText
@testable import DatesStage
import Testing

/// `BuiltInDateRows` (the shipped date rows as byte code) against the PCRE2 alternation it replaces: the same
/// matches, rows and fields, on every subject a window can have (every start, every end).
@Suite struct BuiltInDateRowsTests {
    static let shipped = try! DatePatternSet(
        patternSources: [RuleSource(name: "date_patterns.tsv", text: EmbeddedRules.text("date_patterns.tsv"))],
        monthNameSources: [RuleSource(name: "month_names.tsv", text: EmbeddedRules.text("month_names.tsv"))])

    /// Date pieces and the characters at the edges of each row's lookarounds (non-ASCII included).
    static let pieces = [
        "11/27/1986", "8-18-11", "01-10-2014", "2014-08-18", "2014/8/1", "9\u{2013}16\u{2013}15", "August 18, 2011",
        "Aug. 18th 2011", "December 2014", "January of 1991", "18 August 2011", "5th of March, 2015", "11/2016",
        "04/2015", "MAY", "Sept", "SEPTEMBER", "Sepember", "JANuary", "Mar", "1st", "22nd", "of", "ofx", " ", "  ", "\n",
        "\r\n", "\r", "\t", "\u{0B}", "\u{0C}", "\u{85}", "\u{A0}", "\u{2028}", ",", ".", "/", "-", "$", "#", "%", "_", "x",
        "a", "Z", "é", "K", "\u{212A}", "\u{17F}", "1", "12", "123", "2014", "1986", "20145", "mg", "Kg", "units", "unit",
        "kcal", "lbs", "steps", "sessions", "in 2014", "2014 mg", "2014 MG", "2014\u{212A}g", "(", ")",
    ]

    static func randomTexts(_ count: Int, seed: UInt64) -> [String] {
        var generator = SeededGenerator(seed: seed)
        return (0..<count).map { _ in
            (0..<Int(1 + generator.next() % 12)).map { _ in pieces[Int(generator.next() % UInt64(pieces.count))] }.joined()
        }
    }

    @Test func theShippedRowsUseTheByteCode() throws {
        let builtIn = try #require(Self.shipped.builtInRows)
        #expect(BuiltInDateRows(rows: BuiltInDateRows.shippedRows.map { ($0.pattern, $0.caseless) }) != nil)
        // A changed row or flag, a missing or an added row: PCRE2.
        var rows = BuiltInDateRows.shippedRows.map { (pattern: $0.pattern, caseless: $0.caseless) }
        rows[6].caseless = false
        #expect(BuiltInDateRows(rows: rows) == nil)
        rows[6].caseless = true
        rows[0].pattern += "x"
        #expect(BuiltInDateRows(rows: rows) == nil)
        #expect(BuiltInDateRows(rows: Array(rows.dropLast())) == nil)
        _ = builtIn
    }

    @Test func aDifferentPatternFileUsesPCRE2() throws {
        let text = EmbeddedRules.text("date_patterns.tsv").replacingOccurrences(of: "numeric_month_year\ttext\t\t(?<![\\d/.A-Z-])",
                                                                                 with: "numeric_month_year\ttext\t\t(?<![\\d/.A-Z])")
        #expect(text != EmbeddedRules.text("date_patterns.tsv"))
        let edited = try DatePatternSet(
            patternSources: [RuleSource(name: "date_patterns.tsv", text: text)],
            monthNameSources: [RuleSource(name: "month_names.tsv", text: EmbeddedRules.text("month_names.tsv"))])
        #expect(edited.builtInRows == nil)
    }

    @Test func theKeysAreTheWordLists() {
        func check(_ word: String, _ predicate: (UnsafePointer<UInt8>, Int, Int) -> Bool) -> Bool {
            Array(word.utf8).withUnsafeBufferPointer { predicate($0.baseAddress!, 0, $0.count) }
        }
        for name in BuiltInDateRows.monthNames {
            #expect(BuiltInDateRows.maySecondLetter(Array(name.utf8)[1]), "\(name)")
            #expect(check(name.prefix(1).uppercased() + name.dropFirst(), BuiltInDateRows.isMonthName), "\(name)")
            #expect(check(name.uppercased(), BuiltInDateRows.isMonthName), "\(name)")
            #expect(!check(name, BuiltInDateRows.isMonthName), "\(name)")
            #expect(!check(name.prefix(2).uppercased() + name.dropFirst(2), BuiltInDateRows.isMonthName), "\(name)")
            #expect(!check(name.prefix(1).uppercased() + name.dropFirst() + "x", BuiltInDateRows.isMonthName), "\(name)")
        }
        for word in ["Janu", "Septe", "Ma", "Sepembers", "Decembe", "May1", "Jun_"] {
            #expect(!check(word, BuiltInDateRows.isMonthName), "\(word)")
        }
        for unit in BuiltInDateRows.unitWords {
            #expect(check(unit, BuiltInDateRows.isUnitWord), "\(unit)")
            #expect(check(unit.uppercased(), BuiltInDateRows.isUnitWord), "\(unit)")
            #expect(!check(unit + "x", BuiltInDateRows.isUnitWord), "\(unit)")
            #expect(!check(unit + "_", BuiltInDateRows.isUnitWord), "\(unit)")
        }
        for word in ["", "m", "mgs", "kcals", "session", "uni"] { #expect(!check(word, BuiltInDateRows.isUnitWord), "\(word)") }
        // The month-name and unit lists are the patterns' alternations: each word is matched whole by its row.
        let monthRow = try! PCRE2Pattern("\\A(?:" + BuiltInDateRows.shippedRows[4].pattern.split(separator: "(?<month_name>")[1]
            .split(separator: ")\\b")[0] + ")\\z")
        for name in BuiltInDateRows.monthNames {
            let capitalized = name.prefix(1).uppercased() + name.dropFirst()
            #expect((try? monthRow.allMatches(in: capitalized).count) == 1, "\(name)")
            #expect((try? monthRow.allMatches(in: name.uppercased()).count) == 1, "\(name)")
        }
    }

    @Test func theStartMaskIsTheDigitsAndTheMonthsFirstLetters() {
        let starts = Set(Array("0123456789ADFJMNOS".utf8))
        for byte in UInt8.min...UInt8.max {
            #expect(BuiltInDateRows.mayStartMatch(byte) == starts.contains(byte), "\(byte)")
            #expect(BuiltInDateRows.monthStart(byte) == (starts.contains(byte) && byte >= 0x41), "\(byte)")
            #expect(BuiltInDateRows.maySecondLetter(byte) == Array("aceopuACEOPU".utf8).contains(byte), "\(byte)")
        }
    }

    @Test func byteCodeFindsThePCRE2MatchesInEveryWindow() throws {
        let patterns = Self.shipped
        let builtIn = try #require(patterns.builtInRows)
        #expect(try patterns.agrees(builtIn, with: try #require(patterns.textPatternForTests), on: BuiltInDateRows.probeTexts,
                                     everySubject: true))
        let texts = Self.randomTexts(700, seed: 11) + ["", "1", "Jan", "2014", "Jan 2014", "\u{212A}"]
        for (index, text) in texts.enumerated() {
            let same = try patterns.agrees(builtIn, with: try #require(patterns.textPatternForTests), on: [text],
                                           everySubject: true)
            #expect(same, "text \(index)")
        }
    }

    @Test func theCandidatesAreThoseOfPCRE2() throws {
        let patterns = Self.shipped
        let plain = patterns.withoutBuiltInRows()
        let describe: ([DateCandidate]) -> [String] = {
            $0.map { "\($0.range) \($0.year) \($0.yearDigits) \(String(describing: $0.month)) \(String(describing: $0.day)) \($0.rule)" }
        }
        for text in Self.randomTexts(1500, seed: 12) + (try TestPaths.seedTexts().map(\.text)) {
            for wholeText in [false, true] {
                let (fast, slow) = try text.withUTF8Bytes { bytes in
                    (describe(try patterns.candidates(in: bytes, wholeText: wholeText)),
                     describe(try plain.candidates(in: bytes, wholeText: wholeText)))
                }
                #expect(fast == slow)
            }
        }
    }

    /// A unit that a caseless `k` or `s` may start in UTF mode (`\u{212A}g` is `kg` to PCRE2): undecided, so PCRE2
    /// searches the window, and the candidates are still PCRE2's.
    @Test func aNonASCIIUnitIsLeftToPCRE2() throws {
        let text = "since 2014 \u{212A}g and since 2015 \u{17F}teps, in 2016 é"
        let undecided = text.withUTF8Bytes { bytes in
            Self.shipped.builtInRows!.firstMatch(in: bytes, end: bytes.count, from: 0)
        }
        #expect(undecided == .undecided)
        let years = try text.withUTF8Bytes { try Self.shipped.candidates(in: $0).map(\.year) }
        #expect(years == [2016])
    }
}

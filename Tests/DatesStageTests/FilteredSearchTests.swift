import ClinPipeCore
import ClinPipeTestSupport
import ClinPipeText
@testable import DatesStage
import Testing

/// The shortcuts of the dates stage find exactly what PCRE2's plain search finds: the role cues searched only at the
/// start positions their filter admits, the date rows behind a lookahead on their first characters, and the bare-year
/// cue checked backwards before PCRE2 runs.
@Suite struct FilteredSearchTests {
    static let pieces = [
        " ", "  ", "\n", ". ", "; ", ", ", ":", "(", ")", "-", "/", "the ", "report ", "dated ", "of ", "on ", "date of injury ",
        "DOI ", "DOS: ", "UR ", "utilization review ", "denied ", "request for authorization ", "RFA ", "PR-2 ", "progress note ",
        "office visit ", "injured ", "sustained a work injury ", "in ", "since ", "prior to ", "the year ", "MTUS ", "Dr. ",
        "January ", "Jan. ", "March ", "MAY ", "August 18, ", "18th ", "11/27/1986", "11/7/13", "01-10-2014", "8-18-11",
        "2014-08-18", "2011", "2016", "1986", "4-8/10", "5/325", "L4-5", "12", "7", "\u{2013}", "é", "K", "x", "treating physician's ",
    ]

    static func texts() throws -> [String] {
        var generator = SeededGenerator(seed: 21)
        var texts = try TestPaths.seedTexts().map(\.text)
        for _ in 0..<600 {
            let count = 1 + Int(generator.next() % 24)
            texts.append((0..<count).map { _ in pieces[Int(generator.next() % UInt64(pieces.count))] }.joined())
        }
        return texts
    }

    /// Every match (with its groups) from several start offsets, by `search`.
    static func matches(_ search: (UnsafeBufferPointer<UInt8>, Int, (PCRE2Match) throws -> Bool) throws -> Void,
                        _ bytes: UnsafeBufferPointer<UInt8>, from start: Int, groups: Int) throws -> [[Range<Int>?]] {
        var found: [[Range<Int>?]] = []
        try search(bytes, start) { match in
            found.append((0...groups).map { match.range($0) })
            return true
        }
        return found
    }

    @Test func roleCuesAreFoundWhereThePlainSearchFindsThem() throws {
        let classifier = try DateRoleClassifier(
            cueSources: [RuleSource(name: "role_cues.tsv", text: EmbeddedRules.text("role_cues.tsv"))],
            fillerSources: [RuleSource(name: "role_fillers.tsv", text: EmbeddedRules.text("role_fillers.tsv"))], windowBytes: 120)
        let before = try #require(classifier.before)
        #expect(before.isFiltered)
        for text in try Self.texts() {
            try text.withUTF8Bytes { bytes in
                // The role search runs on the text up to a date: try every end, from a few starts.
                for end in stride(from: 0, through: bytes.count, by: max(1, bytes.count / 40)) {
                    let subject = UnsafeBufferPointer(rebasing: bytes[0..<end])
                    for start in [0, end / 2, max(0, end - 20)] where start == end || subject[start] & 0xC0 != 0x80 {
                        let plain = try Self.matches({ try before.pattern.forEachMatch(in: $0, from: $1, $2) }, subject, from: start,
                                                     groups: before.pattern.captureCount)
                        let filtered = try Self.matches({ try before.forEachMatch(in: $0, from: $1, $2) }, subject, from: start,
                                                        groups: before.pattern.captureCount)
                        #expect(plain == filtered, "\(String(decoding: subject, as: UTF8.self).debugDescription) from \(start)")
                    }
                }
            }
        }
    }

    @Test func firstCharacterLookaheadsKeepEveryRowsMatches() throws {
        let table = try RuleTable(name: "date_patterns.tsv", text: EmbeddedRules.text("date_patterns.tsv"), required: ["id", "pattern"])
        let texts = try Self.texts()
        for row in table.rows where row["scope"] != "after_year" {
            let caseless = row["flags"].contains("i")
            let options: PCRE2Pattern.Options = caseless ? [.caseless] : []
            let firstClass = try #require(AffixFilter.firstCharacterClass(of: row["pattern"], caseless: caseless), "\(row["id"])")
            let plain = try PCRE2Pattern(row["pattern"], options: options)
            let guarded = try PCRE2Pattern("(?=\(firstClass))(?:\(row["pattern"]))", options: options)
            for text in texts {
                try text.withUTF8Bytes { bytes in
                    let expected = try Self.matches({ try plain.forEachMatch(in: $0, from: $1, $2) }, bytes, from: 0, groups: plain.captureCount)
                    let actual = try Self.matches({ try guarded.forEachMatch(in: $0, from: $1, $2) }, bytes, from: 0, groups: plain.captureCount)
                    #expect(expected == actual, "\(row["id"]) on \(text.prefix(80).debugDescription)")
                }
            }
        }
    }

    @Test func bareYearCueIsCheckedBackwardsExactly() throws {
        let table = try RuleTable(name: "date_patterns.tsv", text: EmbeddedRules.text("date_patterns.tsv"), required: ["id", "pattern"])
        for row in table.rows where !row["before_pattern"].isEmpty {
            let caseless = row["flags"].contains("i")
            let source = "(?:\(withLookbehindWordStart(row["before_pattern"])))\\z"
            let pattern = try PCRE2Pattern(source, options: caseless ? [.caseless] : [])
            let end = try #require(AffixFilter(source, caseless: caseless, edge: .end))
            for text in try Self.texts() {
                try text.withUTF8Bytes { bytes in
                    for position in 0...bytes.count where position == bytes.count || bytes[position] & 0xC0 != 0x80 {
                        var start = max(0, position - DatePatternSet.beforeWindowBytes)
                        while start < position, bytes[start] & 0xC0 == 0x80 { start += 1 }
                        let subject = UnsafeBufferPointer(rebasing: bytes[0..<position])
                        if try pattern.firstMatchRange(in: subject, from: start) != nil {
                            #expect(end.admits(bytes, at: position, limit: start), "\(text.debugDescription) at \(position)")
                        }
                    }
                }
            }
        }
    }
}

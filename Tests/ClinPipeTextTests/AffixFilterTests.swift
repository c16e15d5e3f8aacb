import ClinPipeTestSupport
import ClinPipeText
import Testing

/// `AffixFilter` may answer "maybe" where no match exists, but never "no" where PCRE2 finds one.
@Suite struct AffixFilterTests {
    static let probes = [
        "(?i:Upheld|Overturned)", "(?i::\\s*(?:Upheld|Overturned)\\s*$)", "\\(?\\d{1,2}[.)]\\s+\\S", "[a-z][.)]\\s+\\S",
        "[-*\\x{2022}\\x{25CF}\\x{25AA}]\\s+\\S", "(?i:Page\\s+\\d{1,4}(?:\\s+of\\s+\\d{1,4})?\\s*$)", "-?\\s*\\d{1,4}\\s*-?\\s*$",
        "(?i:k)", "(?i:s+)", "[^a]b", "\\w+\\.", "é|ü?x", "(?<n>a|b)c?", "(?:ab|a)\\S", "[\\x{e9}-\\x{ff}]", "(?i:[a-c])",
        ".\\h?", "a\\b", "\\D", "(?i-s:K)\\s*", "[A-Z][A-Z0-9 /&(),'-]{1,60}:(?:\\s|$)", "(?:ab){2,}c", "(?:a?b?){3}x",
        "x{0,3}y", "(?i:was\\s+the\\s+original\\s+request\\s*\\.)", "(?:[\\w-]+[\\s-]+){0,3}?injur(?:y|ies)", "\\x41\\x{42}c",
        "(?<![a-z])(?i:dates?\\s+of|DOI\\b|UR\\b)", "(?i:in|since|prior\\s+to)(?:\\s+(?:early|the\\s+year(?:\\s+of)?))?\\s+",
        "[^.;]{0,5}?\\b(?:on|of)\\b", "(?:Case|Date)\\s+Number", "ab|abcdefgh", "a(?=b)bc", "(?:x|)(?:y|)z",
    ]
    static let pieces = ["a", "b", "c", "x", "y", "z", "k", "s", "K", "S", "A", "B", " ", "\t", ".", ":", ";", "-", "(", ")", "1",
                         "2", "12", "é", "ü", "\u{212A}", "\u{017F}", "\u{2022}", "Upheld", "overturned", "Page ", "\u{00A0}",
                         "was the original request", "injury", "dates of", "DOI", "UR", "in ", "since ", "prior to ", "the year ",
                         "of", "on", "Case Number", "HPI", "abcdefgh", "injuries"]

    @Test(arguments: [1, 2, 4, 6])
    func neverRejectsAMatch(depth: Int) throws {
        var generator = SeededGenerator(seed: 11)
        for source in Self.probes {
            let atStart = try PCRE2Pattern("\\A(?:" + source + ")")
            let atEnd = try PCRE2Pattern("(?:" + source + ")\\z")
            let prefix = AffixFilter(source, edge: .start, depth: depth)
            let suffix = AffixFilter(source, edge: .end, depth: depth)
            #expect(prefix != nil && suffix != nil || source.contains("x|)"), "\(source) is not analysed")
            var rejected = 0
            for _ in 0..<600 {
                let count = 1 + Int(generator.next() % 6)
                let text = (0..<count).map { _ in Self.pieces[Int(generator.next() % UInt64(Self.pieces.count))] }.joined()
                let bytes = Array(text.utf8)
                try bytes.withUnsafeBufferPointer { buffer in
                    let startMatches = try atStart.matches(buffer), endMatches = try atEnd.matches(buffer)
                    if let prefix {
                        let admitted = prefix.admits(buffer, at: 0, limit: buffer.count)
                        #expect(admitted || !startMatches, "\(source) at the start of \(text.debugDescription)")
                        if !admitted { rejected += 1 }
                    }
                    if let suffix {
                        let admitted = suffix.admits(buffer, at: buffer.count, limit: 0)
                        #expect(admitted || !endMatches, "\(source) at the end of \(text.debugDescription)")
                        if !admitted { rejected += 1 }
                    }
                }
            }
            // The filter is worth having: it rules out some texts (patterns that match nearly anything aside).
            if !["[^a]b", ".\\h?", "\\D", "-?\\s*\\d{1,4}\\s*-?\\s*$", "(?:x|)(?:y|)z", "[^.;]{0,5}?\\b(?:on|of)\\b"].contains(source) {
                #expect(rejected > 0, "\(source) rules nothing out")
            }
        }
    }

    /// At every position of many texts, with the character before it: lookbehinds where a match starts become a
    /// condition on that character, atomic groups and back references are read leniently.
    @Test func everyPositionWithLookbehindsAndLenientSyntax() throws {
        let sources = ["(?<![\\d/.A-Z])(?<!\\b[a-z])(?<m>\\d{1,2})(?<s>[-/])\\d{1,2}\\k<s>(?:\\d{4}|\\d{2})(?![\\d/]|-(?>\\d+))",
                       "(?<![A-Za-z])(?:Jan(?:uary)?|Mar(?:ch)?|May)\\b\\.?\\s*\\d{1,2}", "(?<!\\w)(?i:report|DOS\\b|UR\\b)\\s*\\z",
                       "(?<=:)\\s*(?i:upheld)", "(?:(?<!x)a|b)c", "(?>ab|a)c", "(?<![a-z])(?i:k)2"]
        let pieces = ["1", "12", "/", "-", "2014", "14", " ", "Jan", "January", "May", "March", "x", "a", "b", "c", "k", "K",
                      "\u{212A}", "é", ":", "report", "DOS", "UR", "upheld", ".", "Q", "2", "ab"]
        var generator = SeededGenerator(seed: 5)
        for source in sources {
            let filter = try #require(AffixFilter(source, edge: .start), "\(source)")
            let anchored = try PCRE2Pattern("\\G(?:" + source + ")")
            for _ in 0..<300 {
                let count = 1 + Int(generator.next() % 8)
                let text = (0..<count).map { _ in pieces[Int(generator.next() % UInt64(pieces.count))] }.joined()
                let bytes = Array(text.utf8)
                try bytes.withUnsafeBufferPointer { buffer in
                    for position in 0..<buffer.count where buffer[position] & 0xC0 != 0x80 {
                        guard try anchored.firstMatchRange(in: buffer, from: position) != nil else { continue }
                        #expect(filter.admits(buffer, at: position, limit: buffer.count), "\(source) at \(position) of \(text.debugDescription)")
                    }
                }
            }
        }
    }

    /// Positions inside a text and limits short of its end, as the stages use them.
    /// `edgeByteVerdicts` are false for a byte only where `admits` answers false on every text that has it first
    /// (last) or second (second to last): checked on many texts, texts of one byte included, with lookbehinds at the
    /// text's start and non-ASCII bytes.
    @Test func edgeByteVerdictsNeverOverruleAdmits() throws {
        var generator = SeededGenerator(seed: 12)
        let sources = Self.probes + ["(?<!\\w)(?i:report|DOS\\b|UR\\b)", "(?<=:)\\s*x", "(?<![a-z])ab", "(?<!x)"]
        var texts = (0..<400).map { _ in
            (0..<(1 + Int(generator.next() % 5))).map { _ in Self.pieces[Int(generator.next() % UInt64(Self.pieces.count))] }.joined()
        }
        for byte: UInt8 in 0..<128 {
            let single = String(UnicodeScalar(byte))
            texts += [single, single + "b", "b" + single]
        }
        var ruledOut = 0
        for source in sources {
            for edge in [AffixFilter.Edge.start, .end] {
                guard let filter = AffixFilter(source, edge: edge) else { continue }
                let (first, second) = filter.edgeByteVerdicts
                #expect(first.count == 256 && second.count == 256)
                for text in texts {
                    let bytes = Array(text.utf8)
                    try #require(!bytes.isEmpty)
                    let admitted = bytes.withUnsafeBufferPointer { buffer in
                        edge == .start ? filter.admits(buffer, at: 0, limit: buffer.count)
                            : filter.admits(buffer, at: buffer.count, limit: 0)
                    }
                    let x = edge == .start ? bytes[0] : bytes[bytes.count - 1]
                    var passes = first[Int(x)]
                    if bytes.count >= 2 { passes = passes && second[Int(edge == .start ? bytes[1] : bytes[bytes.count - 2])] }
                    #expect(passes || !admitted, "\(source) \(edge) on \(text.debugDescription)")
                    if !passes { ruledOut += 1 }
                }
            }
        }
        #expect(ruledOut > 0)
    }

    @Test func positionsAndLimits() throws {
        let filter = try #require(AffixFilter("(?i:report|DOS\\b)", edge: .start))
        let end = try #require(AffixFilter("(?i:in|since)\\s+", edge: .end))
        let text = Array("the report dated in 2014".utf8)
        text.withUnsafeBufferPointer { bytes in
            #expect(filter.admits(bytes, at: 4, limit: bytes.count))
            #expect(!filter.admits(bytes, at: 4, limit: 8))  // `repo` cannot hold `report`
            #expect(!filter.admits(bytes, at: 0, limit: bytes.count))
            #expect(end.admits(bytes, at: 20, limit: 0))
            #expect(!end.admits(bytes, at: 20, limit: 19))  // the match would start before the limit
            #expect(!end.admits(bytes, at: 11, limit: 0))
        }
    }

    @Test func emptyMatchesAndUnknownSyntaxGiveNoFilter() {
        for source in ["a*", "(?:a|)", "\\b", "(a)\\1", "\\p{L}", "(*UCP)a", "a\\Kb", "(?<!x)", "(?x) a"] {
            #expect(AffixFilter(source, edge: .start) == nil, "\(source)")
        }
        #expect(AffixFilter("(?=a)", edge: .end) == nil)
    }

    /// Long bounded and unbounded repetitions stay small and exact enough.
    @Test func repetitionsConverge() throws {
        let label = try #require(AffixFilter("[A-Z][A-Z0-9 /&(),'-]{1,60}:", edge: .start, depth: 6))
        #expect(label.depth == 6)
        for (text, expected) in [("HPI: x", true), ("Hpi: x", false), ("A:", false), ("AB:", true), ("ABCDEFGH", true), ("AB", false)] {
            let bytes = Array(text.utf8)
            bytes.withUnsafeBufferPointer { #expect(label.admits($0, at: 0, limit: $0.count) == expected, "\(text)") }
        }
    }
}

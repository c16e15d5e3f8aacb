import ClinPipeCore
import ClinPipeText
import Foundation
import Testing

@testable import SectionsStage

/// The byte-level shortcuts give what the String-based code they replace gives, for any input.
@Suite struct BytePathTests {
    /// A small deterministic generator (tests must not depend on the run).
    struct Generator {
        var state: UInt64
        mutating func next(_ bound: Int) -> Int {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int((state >> 33) % UInt64(bound))
        }
    }

    static let pieces = ["and", "AND", "And", "anD", " ", "  ", ",", ";", ".", "..", "California", "Texas", "andrew",
                         "sand", "and.", "Pain Medicine", "x", "é", "K", "\u{212A}", "e\u{301}", ",\u{301}", "\t", "-"]

    @Test func credentialSplitMatchesCharacterSplit() {
        var random = Generator(state: 7)
        for _ in 0..<20_000 {
            var text = ""
            for _ in 0..<random.next(9) { text += Self.pieces[random.next(Self.pieces.count)] }
            for atAnd in [false, true] {
                #expect(ReviewerCredentials.split(text, atAnd: atAnd) == ReviewerCredentials.splitCharacters(text, atAnd: atAnd),
                        "\(text.debugDescription) atAnd: \(atAnd)")
            }
        }
    }

    /// A credential value collapsed into a reused byte buffer and split from it gives the parts of the plain path
    /// (`TextBytes.collapsed`, then `split` of the String), with whitespace runs, line breaks and non-ASCII text.
    @Test func collapsedCredentialSplitMatchesPlainPath() {
        var random = Generator(state: 11)
        var scratch: [UInt8] = [0x41, 0x42]
        for _ in 0..<20_000 {
            var text = ""
            for _ in 0..<random.next(9) { text += (Self.pieces + ["\n", "\r\n", " \n\t", "\u{0B}"])[random.next(Self.pieces.count + 4)] }
            let bytes = Array(text.utf8)
            bytes.withUnsafeBufferPointer { buffer in
                let range = 0..<buffer.count
                let length = ReviewerCredentials.collapse(buffer, range, into: &scratch)
                let plain = TextBytes.collapsed(buffer, range)
                #expect(Array(scratch[..<length]) == Array(plain.utf8), "\(text.debugDescription)")
                for atAnd in [false, true] {
                    var parts: [String] = []
                    scratch.withUnsafeBufferPointer { scratch in
                        ReviewerCredentials.split(UnsafeBufferPointer(rebasing: scratch[..<length]), atAnd: atAnd) { parts.append($0) }
                    }
                    #expect(parts == ReviewerCredentials.split(plain, atAnd: atAnd), "\(text.debugDescription) atAnd: \(atAnd)")
                }
            }
        }
    }

    /// The shortcut of `TextBytes.collapsed` for texts that are already collapsed gives what the writing loop gives,
    /// for any range of any text (ends, whitespace of every kind, non-ASCII).
    @Test func collapsedShortcutMatchesWritingLoop() {
        func written(_ bytes: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) -> String {
            var out: [UInt8] = []
            var pendingSpace = false
            for i in range {
                if ByteClass.isSpace(bytes[i]) {
                    pendingSpace = !out.isEmpty
                } else {
                    if pendingSpace { out.append(0x20) }
                    pendingSpace = false
                    out.append(bytes[i])
                }
            }
            return String(decoding: out, as: UTF8.self)
        }
        var random = Generator(state: 13)
        let pieces = Self.pieces + ["\n", "\r", "\u{0B}", "\u{0C}", "\u{85}", "\u{A0}", "HPI", "A B", "A  B"]
        for _ in 0..<3_000 {
            var text = ""
            for _ in 0..<random.next(7) { text += pieces[random.next(pieces.count)] }
            let bytes = Array(text.utf8)
            let boundaries = (0...bytes.count).filter { $0 == bytes.count || bytes[$0] & 0xC0 != 0x80 }
            bytes.withUnsafeBufferPointer { buffer in
                for lower in boundaries {
                    for upper in boundaries where upper >= lower {
                        let range = lower..<upper
                        let expected = Array(written(buffer, range).utf8)
                        #expect(Array(TextBytes.collapsed(buffer, range).utf8) == expected, "\(text.debugDescription) \(range)")
                        let unchanged = expected == Array(buffer[range])
                        #expect(TextBytes.isCollapsed(buffer, range) == unchanged, "\(text.debugDescription) \(range)")
                    }
                }
            }
        }
    }

    @Test func headingLookupMatchesStringKeys() throws {
        let environment = StageEnvironment(stageName: "sections")
        let table = try HeadingTable(tables: RuleSources.tables(builtIn: "headings.tsv", extra: [], required: HeadingTable.columns,
                                                                 environment: environment))
        var titles = table.entries.keys.flatMap { [$0, $0.lowercased(), $0 + ":", " " + $0 + " : ", $0.replacingOccurrences(of: " ", with: "  \t"),
                                                   String($0.dropLast()), $0 + "S"] }
        titles += ["", ":", "  ", "K", "\u{212A}", "HPI", "hpi:", "H P I", "Ä", "A\u{308}"]
        for title in titles {
            let bytes = Array(title.utf8)
            let expected = table[TextBytes.headingKey(bytes)]
            let found = bytes.withUnsafeBufferPointer { table.entry(forTitle: $0) }
            #expect(found == expected, "\(title.debugDescription)")
        }
    }

    /// `HeadingTable.writeKey` (eight bytes at a time where it can) writes what `TextBytes.headingKey` gives for a
    /// title without trailing whitespace or colons, at every length around the word size, with spaces, runs of
    /// whitespace and control bytes at every place, lower case at the edges of the letters (`` ` `` `{` `@` `[`),
    /// and non-ASCII bytes.
    @Test func headingKeyWordPathMatchesByteLoop() {
        let pieces = ["a", "z", "A", "Z", "m", "`", "{", "@", "[", "1", ":", " ", " ", " ", "  ", "\t", "\n", "\r\n", "\u{0B}",
                      "\u{0C}", "\u{01}", "\u{1F}", "\u{7F}", "é", "\u{212A}", "HISTORY", "of", "PRESENT ILLNESS"]
        var random = Generator(state: 7)
        for _ in 0..<20_000 {
            var text = ""
            for _ in 0..<random.next(24) { text += pieces[random.next(pieces.count)] }
            var bytes = Array(text.utf8)
            // What `entry(forTitle:)` hands over: no trailing whitespace or colons.
            while let last = bytes.last, ByteClass.isSpace(last) || last == 0x3A { bytes.removeLast() }
            let expected = Array(TextBytes.headingKey(bytes).utf8)
            let written = bytes.withUnsafeBufferPointer { title -> [UInt8] in
                withUnsafeTemporaryAllocation(of: UInt8.self, capacity: title.count + 8) { buffer in
                    let key = HeadingTable.writeKey(title.baseAddress ?? UnsafePointer(buffer.baseAddress!), title.count,
                                                    into: buffer.baseAddress!)
                    #expect((key.bits < 0x80) == bytes.allSatisfy { $0 < 0x80 }, "\(text.debugDescription)")
                    return Array(buffer[0..<key.count])
                }
            }
            #expect(written == expected, "\(text.debugDescription)")
        }
    }

    /// Keys that differ only after their first word, or only in length, hash apart and are found (the word hash
    /// pads with zeros: `AB` and `AB\0` must not be one key).
    @Test func byteKeyIndexFindsKeysAcrossWordEdges() throws {
        let headings = ["A", "AB", "ABCDEFG", "ABCDEFGH", "ABCDEFGHI", "ABCDEFGH X", "ABCDEFGHIJKLMNOP", "ABCDEFGHIJKLMNOPQ"]
        let rows = "heading\tname\n" + headings.enumerated().map { "\($1)\tname_\($0)" }.joined(separator: "\n") + "\n"
        let table = try HeadingTable(tables: [RuleTable(name: "extra.tsv", text: rows)])
        for (index, heading) in headings.enumerated() {
            for title in [heading, heading.lowercased() + ":", heading + "\u{00}", String(heading.dropLast()) + "\u{00}"] {
                let bytes = Array(title.utf8)
                let expected = table[TextBytes.headingKey(bytes)]
                #expect(bytes.withUnsafeBufferPointer { table.entry(forTitle: $0) } == expected, "\(title.debugDescription)")
                if title.count == heading.count + 1 && title.hasSuffix(":") { #expect(expected?.name == "name_\(index)") }
            }
        }
    }

    /// With only ASCII keys, the edge filter must still let through a title that equals a key through canonical
    /// equivalence (KELVIN SIGN inside the title, or at an edge, where the filter is not asked).
    @Test func edgeFilterKeepsCanonicallyEqualTitles() throws {
        let rows = "heading\tname\nKNEE\tknee\nLEFT KNEE\tleft_knee\nK\tk\nX RAY\tx_ray\n"
        let table = try HeadingTable(tables: [RuleTable(name: "extra.tsv", text: rows)])
        for title in ["left \u{212A}nee:", "LEFT \u{212A}NEE", "\u{212A}NEE", "KNE\u{212A}", "kne\u{212A} :", "\u{212A}", " k ", "x  ray:", "X\tRAY", "KNEES", "KN", "XRAY", "K N"] {
            let bytes = Array(title.utf8)
            let expected = table[TextBytes.headingKey(bytes)]
            #expect(bytes.withUnsafeBufferPointer { table.entry(forTitle: $0) } == expected, "\(title.debugDescription)")
        }
        #expect(Array("left \u{212A}nee:".utf8).withUnsafeBufferPointer { table.entry(forTitle: $0) }?.name == "left_knee")
    }

    @Test func nonASCIIKeysStillMatchByCanonicalEquivalence() throws {
        let rows = "heading\tname\n\u{212A}NEE\tknee\n"
        let table = try HeadingTable(tables: [RuleTable(name: "extra.tsv", text: rows)])
        for title in ["KNEE", "knee:", "\u{212A}NEE", "\u{212A}nee"] {
            let bytes = Array(title.utf8)
            let expected = table[TextBytes.headingKey(bytes)]
            #expect(expected?.name == "knee")
            #expect(bytes.withUnsafeBufferPointer { table.entry(forTitle: $0) } == expected, "\(title)")
        }
    }
}

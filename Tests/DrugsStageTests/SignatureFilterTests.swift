import ClinPipeCore
import ClinPipeTestSupport
@testable import DrugsStage
import Foundation
import Testing

/// The signature parser skips PCRE2 where a run's start-byte set or affix filter proves that no row of the run can
/// match at the parse position; with or without those shortcuts, every text gets the same signature.
@Suite struct SignatureFilterTests {
    static let pieces = ["5mg", "10/325 mg", " ", "  ", "\t", "\n", "\n\n", "\r\n", ", ", "(", ")", "/", "-", "+", ":", ".",
                         "1", "one", "two", "1-2", "1 to 2", "half", "tab", "tablets", "caps", "patch", "PO", "p.o.",
                         "by mouth", "orally", "QHS", "q.h.s.", "at bedtime", "BID", "b.i.d.", "twice a day", "TID",
                         "q6h", "q 4-6 h", "every 8 hours", "daily", "once daily", "weekly", "PRN", "p.r.n.",
                         "as needed for pain", "#30", "#60 grams", "qty: 90", "dispense 30", "with 2 refills",
                         "no refills", "refills: 3", "x 2 refills", "for 30 days", "x 2 weeks", "30-day supply",
                         "14 days", "3 days ago", "ER", "er", "XR", "extended release", "ODT", "DS", "HCl", "sodium",
                         "bitartrate", "take", "taking", "apply", "sig", "use", "to affected area", "topically",
                         "IM", "SQ", "SL", "ophthalmic", "in both eyes", "cream", "gel", "drops", "nasal spray",
                         "dose pack", "mcg/hr", "0.1%", "1000 units", "2 tabs", "2 puffs", "and", "the", "2019", "x",
                         "é", "\u{301}", "\u{A0}", "\u{212A}", "µg", "ſ", "mg", "q", "Q", "12 hours on and 12 hours off",
                         "5 times a day", "3x/week", "stat", "once", "10", "9", "a"]

    static let rules: (filtered: SignatureRules, plain: SignatureRules) = {
        let text = EmbeddedRules.text("signature.tsv")
        return (try! SignatureRules(name: "signature.tsv", text: text),
                try! SignatureRules(name: "signature.tsv", text: text, filtered: false))
    }()

    @Test func everyRunHasAFilter() {
        for run in Self.rules.filtered.runs + Self.rules.filtered.skipRuns {
            #expect(run.filter != nil, "\(run.rows.first?.source ?? "")")
        }
        for run in Self.rules.plain.runs + Self.rules.plain.skipRuns {
            #expect(run.filter == nil && run.startBytes == nil)
        }
    }

    /// The first-byte table holds, for every byte, exactly the runs whose start-byte set has it (all runs for the
    /// plain rules, which have none), and `RunCandidates` visits them in file order; without a table, every run.
    @Test func firstByteTableListsTheRunsThatMayStart() {
        for rules in [Self.rules.filtered, Self.rules.plain] {
            #expect(rules.runs.count <= 32 && rules.runsByFirstByte.count == 256)
            for value in 0..<256 {
                let byte = UInt8(value)
                let expected = rules.runs.indices.filter { rules.runs[$0].startBytes?.contains(byte) != false }
                var candidates = RunCandidates(table: rules.runsByFirstByte, byte: byte, runCount: rules.runs.count)
                var visited: [Int] = []
                while let index = candidates.next() { visited.append(index) }
                #expect(visited == expected, "byte \(value)")
                #expect(candidates.startBytesChecked)
            }
        }
        #expect(Self.rules.filtered.runsByFirstByte.contains { $0.nonzeroBitCount < Self.rules.filtered.runs.count })
        var plain = RunCandidates(table: [], byte: 0x35, runCount: 40)
        var visited: [Int] = []
        while let index = plain.next() { visited.append(index) }
        #expect(visited == Array(0..<40) && !plain.startBytesChecked)
        #expect(SignatureRules.runsByFirstByte(Array(repeating: Self.rules.plain.runs[0], count: 33)).isEmpty)
    }

    /// `shippedSkipEnd` gives the end of the shipped `skip` row's PCRE2 match wherever it answers, at every
    /// position of random texts of separators, line breaks, skip words (any case, `ſ` for `s`) and other bytes,
    /// the text's end included; and it answers for the common case (spaces before a number).
    @Test func shippedSkipEndIsThePatternsMatch() throws {
        #expect(Self.rules.filtered.skipIsShipped && !Self.rules.plain.skipIsShipped)
        let skip = Self.rules.plain.skipRuns[0]
        let pieces = [" ", "\t", ",", ":", "(", ")", "[", "]", "/", "+", "-", "\n", "\r\n", "\n\n", " \n \n", "take", "Take", "TAKES",
                      "taking", "apply", "applied", "use", "Using", "sig", "ſig", "give", "given", "5", "mg", "x", "tab", "a", "g",
                      "s", "u", "t", "é", "\u{212A}", ".", ";", "#"]
        var generator = SeededGenerator(seed: 5)
        var answered = 0
        for _ in 0..<3_000 {
            var text = ""
            for _ in 0..<Int(generator.next() % 8) { text += pieces[Int(generator.next() % UInt64(pieces.count))] }
            try text.withUTF8Bytes { bytes in
                for position in 0..<bytes.count where bytes[position] & 0xC0 != 0x80 {
                    guard let end = SignatureRules.shippedSkipEnd(in: bytes, from: position) else { continue }
                    answered += 1
                    var expected = position
                    try skip.pattern.forEachMatch(in: bytes, from: position) { match in
                        if match.range.lowerBound == position { expected = match.range.upperBound }
                        return false
                    }
                    #expect(end == expected, "\(text.debugDescription) at \(position)")
                }
            }
        }
        #expect(answered > 1_000, "\(answered)")
        "Norco  5mg".withUTF8Bytes { #expect(SignatureRules.shippedSkipEnd(in: $0, from: 5) == 7) }
        "Norco\n".withUTF8Bytes { #expect(SignatureRules.shippedSkipEnd(in: $0, from: 5) == nil) }
        "Norco, take".withUTF8Bytes { #expect(SignatureRules.shippedSkipEnd(in: $0, from: 5) == nil) }
        "Norco (".withUTF8Bytes { #expect(SignatureRules.shippedSkipEnd(in: $0, from: 5) == 7) }
    }

    @Test func filtersGiveThePlainSignatures() throws {
        var generator = SeededGenerator(seed: 11)
        var nonEmpty = 0
        for _ in 0..<4_000 {
            var before = "", after = ""
            for _ in 0..<Int(generator.next() % 3) { before += Self.pieces[Int(generator.next() % UInt64(Self.pieces.count))] }
            let separated = generator.next() % 4 != 0
            for _ in 0..<Int(generator.next() % 9) {
                if separated { after += " " }
                after += Self.pieces[Int(generator.next() % UInt64(Self.pieces.count))]
            }
            let document = before + "Norco" + after
            let start = before.utf8.count + 5
            try document.withUTF8Bytes { bytes in
                // Every limit on a character boundary, the text's end included.
                var limits: [Int] = []
                for limit in start...bytes.count where limit == bytes.count || bytes[limit] & 0xC0 != 0x80 {
                    limits.append(limit)
                }
                for limit in [bytes.count] + limits.filter({ _ in generator.next() % 4 == 0 }) {
                    let filtered = try Self.rules.filtered.parse(bytes, from: start, limit: limit)
                    let plain = try Self.rules.plain.parse(bytes, from: start, limit: limit)
                    #expect(filtered == plain, "\(document.debugDescription) limit \(limit)")
                    if !plain.isEmpty { nonEmpty += 1 }
                }
            }
        }
        #expect(nonEmpty > 1_000, "\(nonEmpty)")
    }

    @Test func emptyAndEndOfTextParses() throws {
        for document in ["", "Norco", "Norco ", "Norco 5", "Norco 5mg", "Norco é", "Norco\n", "Norco q"] {
            try document.withUTF8Bytes { bytes in
                let start = min(5, bytes.count)
                for limit in start...bytes.count where limit == bytes.count || bytes[limit] & 0xC0 != 0x80 {
                    let filtered = try Self.rules.filtered.parse(bytes, from: start, limit: limit)
                    #expect(filtered == (try Self.rules.plain.parse(bytes, from: start, limit: limit)), "\(document.debugDescription)")
                }
            }
        }
    }
}

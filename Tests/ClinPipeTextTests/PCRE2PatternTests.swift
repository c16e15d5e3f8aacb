import ClinPipeTestSupport
import ClinPipeText
import Dispatch
import Synchronization
import Testing

@Suite("PCRE2Pattern")
struct PCRE2PatternTests {
    /// Patterns of the kinds the stages use: named groups, lookbehind, lookahead, caseless, multiline, Unicode
    /// properties, backreferences, subroutines, empty matches, and non-ASCII literals.
    static let patterns: [(String, PCRE2Pattern.Options)] = [
        (#"\b(?<from>[LTCS]\d{1,2})\s*[-–]\s*(?<to>[LTCS]?\d{1,2})\b"#, []),
        (#"\bpain\b"#, [.caseless]),
        (#"(?<=\bthe )\w+"#, [.caseless]),
        (#"(?<!\bno )\b(?:pain|tenderness|spasm)\b"#, [.caseless]),
        (#"(?<![\w/])(?<m>\d{1,2})/(?<d>\d{1,2})/(?<y>\d{2,4})\b"#, []),
        (#"^\s*(?<heading>[A-Z][A-Z /&]+):?\s*$"#, [.multiline]),
        (#"\b(?:MRI|CT|x-?rays?|EMG|NCV)\b"#, [.caseless]),
        (#"(?<word>\w+)\s+\k<word>\b"#, [.caseless]),
        (#"(?<drug>[A-Z][a-z]+)\s+(?<dose>\d+(?:\.\d+)?)\s*(?<unit>mg|mcg|g|ml)\b"#, [.caseless]),
        (#"[^\x00-\x7F]+"#, []),
        (#"\p{Lu}\p{Ll}+"#, [.unicodeProperties]),
        (#"\w+"#, [.unicodeProperties]),
        (#"(?s)recommend.{0,200}?(?:certification|(?:not )?medically necessary)"#, [.caseless]),
        (#"(?x) \b (?<num> \d+ ) \s* (?: % | percent ) "#, []),
        (#"(?=\.)"#, []),
        (#"x*"#, []),
        (#"."#, [.dotAll]),
        (#"\R"#, []),
        (#"(?<sentence>[^.!?\n]{20,}[.!?])(?=\s)"#, []),
        (#"(?|(?<n>\d+)mg|mg(?<n>\d+))"#, [.caseless]),
        (#"é|ü|中文|😀|ﬁ"#, [.caseless]),
        (#"\X"#, []),
        (#"(?<a>\((?:[^()]++|(?&a))*\))"#, []),
    ]

    /// The seed letters plus random Unicode text.
    static func subjects() throws -> [String] {
        var texts = try TestPaths.seedTexts().map(\.text)
        #expect(texts.count >= 5, "Corpora/imr-seeds should hold the five sample letters")
        var generator = SeededGenerator(seed: 7)
        for _ in 0..<20 { texts.append(RandomText.make(pieceCount: 200, using: &generator)) }
        texts.append("")
        texts.append("Café naïve CAFÉ ÉCOLE 中文 ﬁne １２ mg Aspirin 81 mg 😀 L4–L5 l5-s1 (a(b)c)")
        return texts
    }

    struct MatchFailure: Error, CustomStringConvertible {
        var description: String
    }

    static func allMatches(_ pattern: PCRE2Pattern, _ texts: [String]) throws -> [[[Range<Int>?]]] {
        try texts.enumerated().map { index, text in
            do { return try pattern.allMatches(in: text) } catch {
                throw MatchFailure(description: "pattern \(pattern.pattern) (JIT: \(pattern.isJIT)) on subject \(index): \(error)")
            }
        }
    }

    @Test("JIT and interpreter find the same matches and groups, on real letters and Unicode text")
    func jitMatchesInterpreter() throws {
        let texts = try Self.subjects()
        var total = 0
        for (source, options) in Self.patterns {
            let jit = try PCRE2Pattern(source, options: options, jit: true)
            let interpreted = try PCRE2Pattern(source, options: options, jit: false)
            #expect(jit.isJIT, "JIT should be available for \(source)")
            #expect(!interpreted.isJIT)
            #expect(jit.groupNumbers == interpreted.groupNumbers && jit.captureCount == interpreted.captureCount)
            let a = try Self.allMatches(jit, texts)
            let b = try Self.allMatches(interpreted, texts)
            #expect(a == b, "pattern \(source)")
            let count = a.reduce(0) { $0 + $1.count }
            #expect(count > 0, "pattern \(source) never matched: the test would prove nothing")
            total += count
            // Every match and group lies on scalar boundaries.
            for (text, matches) in zip(texts, a) {
                let bytes = Array(text.utf8)
                for match in matches {
                    for range in match.compactMap({ $0 }) {
                        for position in [range.lowerBound, range.upperBound] where position < bytes.count {
                            #expect(bytes[position] & 0xC0 != 0x80, "pattern \(source): offset \(position) splits a character")
                        }
                    }
                }
            }
        }
        #expect(total > 1000)
    }

    @Test("named groups, captures that do not participate, and firstMatch")
    func namedGroups() throws {
        let pattern = try PCRE2Pattern(#"(?<level>L\d)(?:-(?<to>S?\d))?|(?<other>C\d)"#)
        #expect(pattern.captureCount == 3)
        #expect(pattern.groupNumbers == ["level": 1, "to": 2, "other": 3])
        let text = "L4-5 and L3, C7"
        var found: [(String, String?, String?)] = []
        try text.withUTF8Bytes { bytes in
            try pattern.forEachMatch(in: bytes) { match in
                let slice = { (range: Range<Int>?) in range.map { String(text.sliceUTF8($0)) } }
                found.append((String(text.sliceUTF8(match.range)), slice(match.range("to")), slice(match.range("other"))))
                #expect(match.range("unknown") == nil)
                #expect(match.range(99) == nil)
                return true
            }
            #expect(try pattern.firstMatch(in: bytes, from: 5)?[0] == 9..<11)
            #expect(try pattern.firstMatch(in: bytes, from: 14) == nil)
            #expect(try pattern.matches(bytes))
        }
        #expect(found.map(\.0) == ["L4-5", "L3", "C7"])
        #expect(found.map(\.1) == ["5", nil, nil])
        #expect(found.map(\.2) == [nil, nil, "C7"])
    }

    @Test("forEachMatch stops when the body returns false, and empty matches advance by a whole character")
    func stopAndEmptyMatches() throws {
        let pattern = try PCRE2Pattern("x*")
        let text = "éx😀"
        let starts = try pattern.allMatches(in: text).map { $0[0]!.lowerBound }
        // "é" is 2 bytes, "x" matches at 2..<3, then empty matches at 3 and 7 (never inside the emoji).
        #expect(starts == [0, 2, 3, 7])
        var calls = 0
        try text.withUTF8Bytes { bytes in
            try pattern.forEachMatch(in: bytes) { _ in
                calls += 1
                return calls < 2
            }
        }
        #expect(calls == 2)
    }

    @Test("catastrophic backtracking ends with a limit error, with and without JIT",
          .timeLimit(.minutes(2)), arguments: [true, false])
    func catastrophicBacktracking(jit: Bool) throws {
        let cases: [(String, String)] = [
            (#"(a+)+$"#, String(repeating: "a", count: 5_000) + "!"),
            (#"(\w+\s?)*$"#, String(repeating: "pain in the lower back ", count: 400) + "!"),
            (#"(x+x+)+$"#, String(repeating: "x", count: 3_000) + "!"),
            (#"^(\w+\s?)*\d$"#, String(repeating: "word ", count: 2_000)),
        ]
        for (source, subject) in cases {
            let pattern = try PCRE2Pattern(source, jit: jit)
            #expect(pattern.isJIT == jit)
            do {
                _ = try pattern.allMatches(in: subject)
                Issue.record("pattern \(source) (JIT: \(jit)) finished without reaching a limit")
            } catch PCRE2Error.limitExceeded {
                // Expected.
            } catch {
                Issue.record("pattern \(source) (JIT: \(jit)): \(error) instead of a limit error")
            }
            // The thread's matching state survives the error.
            let simple = try PCRE2Pattern("b", jit: jit)
            #expect(try simple.allMatches(in: "abcb").count == 2)
        }
    }

    @Test("a small match limit stops an ordinary pattern early; the limit is per pattern")
    func customLimits() throws {
        let subject = String(repeating: "pain ", count: 200)
        let tight = try PCRE2Pattern(#"(\w+\s?)*$"#, limits: .init(matchLimit: 50, depthLimit: 50, heapLimitKiB: 20_000))
        let loose = try PCRE2Pattern(#"(\w+\s?)*$"#)
        #expect(throws: PCRE2Error.self) { try tight.allMatches(in: subject) }
        #expect(try loose.allMatches(in: subject).count >= 1)
        #expect(throws: PCRE2Error.self) { try tight.allMatches(in: subject) }
    }

    @Test("compile errors carry PCRE2's message and the offset in the pattern")
    func compileErrors() {
        let cases: [(String, Int)] = [
            ("abc(def", 7),       // missing ) at the end
            ("a)b", 1),           // unmatched ) at 1
            ("[z-a]", 3),         // range out of order, reported at its end
            ("x{2,1}", 5),        // numbers out of order
            ("(?<n>a)(?<n>b)", 12), // duplicate name, reported after it
            ("\\", 1),            // trailing backslash
            ("é(", 3),            // offsets are UTF-8 bytes of the pattern
        ]
        for (source, offset) in cases {
            do {
                _ = try PCRE2Pattern(source)
                Issue.record("pattern \(source) compiled")
            } catch let PCRE2Error.compile(message, reported) {
                #expect(reported == offset, "pattern \(source): \(message)")
                #expect(!message.isEmpty && !message.hasPrefix("error "), "pattern \(source): message \(message)")
                #expect(String(describing: PCRE2Error.compile(message: message, offset: reported)).contains("offset \(offset)"))
            } catch {
                Issue.record("pattern \(source): unexpected error \(error)")
            }
        }
        let tooMany = String(repeating: "(a)", count: 200)
        #expect(throws: PCRE2Error.self) { try PCRE2Pattern(tooMany) }
    }

    @Test("a callback may run another pattern, or the same one, on the same thread")
    func nestedMatching() throws {
        let words = try PCRE2Pattern(#"(?<word>\b\w+\b)"#)
        let vowels = try PCRE2Pattern("[aeiouy]", options: .caseless)
        for text in try TestPaths.seedTexts().map(\.text).prefix(2) {
            // Reference: outer matches first, then the inner pattern on each word, separately.
            let wordRanges = try words.allMatches(in: text).map { $0[0]! }
            let expected: [[Range<Int>]] = try text.withUTF8Bytes { bytes in
                try wordRanges.map { word in
                    var inner: [Range<Int>] = []
                    try vowels.forEachMatch(in: bytes, from: word.lowerBound) { match in
                        guard match.range.upperBound <= word.upperBound else { return false }
                        inner.append(match.range)
                        return true
                    }
                    return inner
                }
            }
            var nested: [[Range<Int>]] = []
            var outerAfterInner: [Range<Int>] = []
            var selfNested = 0
            try text.withUTF8Bytes { bytes in
                try words.forEachMatch(in: bytes) { outer in
                    let word = outer.range
                    var inner: [Range<Int>] = []
                    try vowels.forEachMatch(in: bytes, from: word.lowerBound) { match in
                        guard match.range.upperBound <= word.upperBound else { return false }
                        inner.append(match.range)
                        return true
                    }
                    // The same pattern inside its own callback: the next word.
                    try words.forEachMatch(in: bytes, from: word.upperBound) { _ in
                        selfNested += 1
                        return false
                    }
                    nested.append(inner)
                    // The outer match is still readable after the inner ones ran.
                    outerAfterInner.append(outer.range("word")!)
                    #expect(outer.range == word)
                    return true
                }
            }
            #expect(nested == expected)
            #expect(outerAfterInner == wordRanges)
            #expect(selfNested == wordRanges.count - 1)
            #expect(nested.joined().count > 100)
        }
    }

    @Test("a nested pattern's limits do not leak into the outer pattern's next match")
    func nestedLimits() throws {
        // The outer pattern needs a few hundred match steps per match; the inner one allows only 20.
        let outer = try PCRE2Pattern(#"(?:\w+\s?){1,40}?\d"#)
        let inner = try PCRE2Pattern("x", limits: .init(matchLimit: 20, depthLimit: 20, heapLimitKiB: 20_000))
        let subject = Array(repeating: "a b c d e f g h i j k l m n o p q r s t 1", count: 5).joined(separator: " ")
        let expected = try outer.allMatches(in: subject).count
        #expect(expected == 5)
        var count = 0
        try subject.withUTF8Bytes { bytes in
            try outer.forEachMatch(in: bytes) { _ in
                count += 1
                do { #expect(try inner.matches(bytes) == false) } catch { Issue.record("inner pattern: \(error)") }
                return true
            }
        }
        #expect(count == expected)
    }

    @Test("matching from many threads at once gives the same results as one thread")
    func concurrentMatching() throws {
        let texts = try Self.subjects()
        let compiled = try Self.patterns.map { try PCRE2Pattern($0.0, options: $0.1) }
        // One pattern with its own limits, so threads switch limits between patterns.
        let limited = try PCRE2Pattern(#"\b\w+ain\b"#, limits: .init(matchLimit: 100_000, depthLimit: 1_000, heapLimitKiB: 1_000))
        let all = compiled + [limited]
        let expected = try all.map { try Self.allMatches($0, texts) }
        let results = Mutex<[Int: [[[[Range<Int>?]]]]]>([:])
        let failures = Mutex<[String]>([])
        DispatchQueue.concurrentPerform(iterations: 12) { iteration in
            do {
                // Each thread walks the patterns in a different order.
                let order = all.indices.map { ($0 + iteration * 5) % all.count }
                var mine = [[[[Range<Int>?]]]](repeating: [], count: all.count)
                for index in order { mine[index] = try Self.allMatches(all[index], texts) }
                results.withLock { $0[iteration] = mine }
            } catch {
                failures.withLock { $0.append("\(error)") }
            }
        }
        #expect(failures.withLock { $0 } == [])
        let collected = results.withLock { $0 }
        #expect(collected.count == 12)
        for (iteration, result) in collected {
            #expect(result == expected, "thread iteration \(iteration)")
        }
    }
}

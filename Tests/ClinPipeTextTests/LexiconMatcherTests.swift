import ClinPipeTestSupport
@testable import ClinPipeText
import Testing

@Suite("LexiconMatcher")
struct LexiconMatcherTests {
    /// Covered texts of every match.
    static func found(_ terms: [String], in text: String, caseSensitive: Bool = false) -> [String] {
        LexiconMatcher(terms: terms, caseSensitive: caseSensitive).matches(in: text).map { String(text.sliceUTF8($0.range)) }
    }

    @Test("the longest term wins and matches never overlap")
    func longestMatch() {
        let terms = ["back", "back pain", "back pain syndrome", "pain", "syndrome x", "low back"]
        #expect(Self.found(terms, in: "chronic back pain here") == ["back pain"])
        #expect(Self.found(terms, in: "back pain syndrome x") == ["back pain syndrome"])
        #expect(Self.found(terms, in: "low back pain") == ["low back", "pain"])
        #expect(Self.found(terms, in: "back pain syndromes") == ["back pain"])
        #expect(Self.found(["a b", "b c"], in: "a b c") == ["a b"])
    }

    @Test("terms match whole words only")
    func wholeWords() {
        let terms = ["pain", "L4", "mg", "L4-5", "C-"]
        #expect(Self.found(terms, in: "painful Spain pains pain.") == ["pain"])
        #expect(Self.found(terms, in: "L45 L4 L4-5 L4-51 (L4)") == ["L4", "L4-5", "L4", "L4"])
        #expect(Self.found(terms, in: "81mg 81 mg mg/day") == ["mg", "mg"])
        // A term ending in punctuation may be followed by a letter; non-ASCII letters are word characters.
        #expect(Self.found(terms, in: "C-spine épain painé") == ["C-"])
        // Underscores are not word characters.
        #expect(Self.found(terms, in: "pain_score") == ["pain"])
    }

    @Test("ASCII letters match in any case; non-ASCII characters match exactly")
    func caseInsensitivity() {
        #expect(Self.found(["MRI", "Straight Leg Raise"], in: "mri, Mri, MRI; straight LEG raise") == ["mri", "Mri", "MRI", "straight LEG raise"])
        #expect(Self.found(["MRI"], in: "mri MRI", caseSensitive: true) == ["MRI"])
        #expect(Self.found(["naïve", "Café"], in: "Naïve NAÏVE naïve café CAFÉ") == ["Naïve", "naïve", "café"])
        let matcher = LexiconMatcher(terms: ["pain", "Pain", "PAIN", "ache"])
        let matches = matcher.matches(in: "PaIn and ache")
        #expect(matches.map(\.values) == [[0, 1, 2], [3]])
        #expect(matcher.termCount == 4)
    }

    @Test("a space in a term matches any run of whitespace, line breaks included")
    func whitespace() {
        let terms = ["trigger point injection", "  low   back\tpain ", "   ", ""]
        let text = "trigger  point\r\ninjection; trigger\n\npoint\tinjection; low back pain; low\r\n back \t pain; triggerpoint injection"
        #expect(Self.found(terms, in: text) == [
            "trigger  point\r\ninjection", "trigger\n\npoint\tinjection", "low back pain", "low\r\n back \t pain",
        ])
        #expect(LexiconMatcher.normalizedKey("  Low \t Back\n", caseSensitive: false) == Array("low back".utf8))
    }

    @Test("non-ASCII terms")
    func nonASCII() {
        let terms = ["中文", "Schmerz im Rücken", "😀", "ﬁbrosis", "é"]
        #expect(Self.found(terms, in: "in 中文 text, Schmerz im  Rücken; 😀! ﬁbrosis é") ==
                ["中文", "Schmerz im  Rücken", "😀", "ﬁbrosis", "é"])
        // Non-ASCII characters are word characters: no match inside a run of them.
        #expect(Self.found(terms, in: "说中文。 éé") == [])
    }

    @Test("matches at the very start and end of the text, and in empty text")
    func edges() {
        #expect(Self.found(["pain"], in: "pain") == ["pain"])
        #expect(Self.found(["pain"], in: "") == [])
        #expect(LexiconMatcher(terms: []).matches(in: "pain").isEmpty)
        let text = "Pain"
        #expect(LexiconMatcher(terms: ["pain"]).matches(in: text).map(\.range) == [0..<4])
    }

    // MARK: - Against brute force

    /// An independent, slow implementation of the documented semantics.
    struct Reference {
        let keys: [[UInt8]]
        /// Term indices by their first two key bytes (one byte for one-byte keys), to keep the scan quick.
        var buckets: [UInt16: [Int]] = [:]
        var singleByte: [UInt8: [Int]] = [:]
        let caseSensitive: Bool

        static func isWord(_ byte: UInt8) -> Bool {
            byte >= 0x80 || (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A)
        }
        static func isSpace(_ byte: UInt8) -> Bool { [0x20, 0x09, 0x0A, 0x0B, 0x0C, 0x0D].contains(byte) }
        func fold(_ byte: UInt8) -> UInt8 { !caseSensitive && byte >= 0x41 && byte <= 0x5A ? byte + 0x20 : byte }

        init(terms: [String], caseSensitive: Bool) {
            self.caseSensitive = caseSensitive
            var keys: [[UInt8]] = []
            for term in terms {
                // Trim, collapse whitespace runs to one space, fold case.
                let words = term.utf8.split(whereSeparator: Self.isSpace).map { Array($0) }
                var key: [UInt8] = []
                for (index, word) in words.enumerated() {
                    if index > 0 { key.append(0x20) }
                    key += word.map { !caseSensitive && $0 >= 0x41 && $0 <= 0x5A ? $0 + 0x20 : $0 }
                }
                keys.append(key)
            }
            self.keys = keys
            for (index, key) in keys.enumerated() where !key.isEmpty {
                if key.count == 1 {
                    singleByte[key[0], default: []].append(index)
                } else {
                    buckets[UInt16(key[0]) << 8 | UInt16(key[1]), default: []].append(index)
                }
            }
        }

        /// Where `key` ends if it matches at `start`.
        func end(of key: [UInt8], in text: [UInt8], at start: Int) -> Int? {
            var position = start
            for byte in key {
                if byte == 0x20 {
                    guard position < text.count, Self.isSpace(text[position]) else { return nil }
                    while position < text.count && Self.isSpace(text[position]) { position += 1 }
                } else {
                    guard position < text.count, fold(text[position]) == byte else { return nil }
                    position += 1
                }
            }
            return position
        }

        func matches(in text: [UInt8]) -> [(Range<Int>, [Int])] {
            var result: [(Range<Int>, [Int])] = []
            var start = 0
            while start < text.count {
                if start > 0 && Self.isWord(text[start]) && Self.isWord(text[start - 1]) {
                    start += 1
                    continue
                }
                var best = -1
                var values: [Int] = []
                var candidates = singleByte[fold(text[start])] ?? []
                if start + 1 < text.count {
                    let second = Self.isSpace(text[start + 1]) ? 0x20 : fold(text[start + 1])
                    candidates += buckets[UInt16(fold(text[start])) << 8 | UInt16(second)] ?? []
                }
                for index in candidates {
                    guard let end = end(of: keys[index], in: text, at: start) else { continue }
                    guard end == text.count || !Self.isWord(text[end]) || !Self.isWord(text[end - 1]) else { continue }
                    if end > best {
                        best = end
                        values = [index]
                    } else if end == best {
                        values.append(index)
                    }
                }
                if best > start {
                    result.append((start..<best, values))
                    start = best
                } else {
                    start += 1
                }
            }
            return result
        }
    }

    static func randomWord<G: RandomNumberGenerator>(using generator: inout G) -> String {
        let letters: [String] = ["a", "b", "c", "d", "e", "i", "l", "n", "o", "p", "r", "s", "t", "A", "B", "P", "T",
                                 "0", "4", "5", "-", ".", "/", "é", "ü", "中", "É"]
        return (0..<Int.random(in: 1...6, using: &generator)).map { _ in letters.randomElement(using: &generator)! }.joined()
    }

    static func randomCase<G: RandomNumberGenerator>(_ text: String, using generator: inout G) -> String {
        String(text.map { character in
            guard character.isASCII, Int.random(in: 0..<4, using: &generator) == 0 else { return character }
            return Character(character.isUppercase ? character.lowercased() : character.uppercased())
        })
    }

    /// Both scans: terms that start with punctuation (every byte looked at) and terms that all start with a word
    /// byte (only word starts visited, 64 bytes at a time, with matches that cross the 64-byte chunks).
    @Test("20,000 random terms against a brute-force reference on random text",
          arguments: [(false, false), (true, false), (false, true), (true, true)])
    func randomTermsAgainstReference(caseSensitive: Bool, wordStartsOnly: Bool) {
        for seed in testSeeds(2) {
            var generator = SeededGenerator(seed: seed)
            let vocabulary = (0..<2_500).map { _ in Self.randomWord(using: &generator) }
            let separators = [" ", " ", " ", "  ", "\n", "\r\n", "\t ", ", ", ". ", "(", ")", " - ", "", "_", "é"]
            let terms: [String] = (0..<20_000).map { _ in
                let words = (0..<Int.random(in: 1...3, using: &generator)).map { _ in vocabulary.randomElement(using: &generator)! }
                let joiner = [" ", " ", " ", "  ", "\t"].randomElement(using: &generator)!
                let term = words.joined(separator: joiner)
                return Int.random(in: 0..<10, using: &generator) == 0 ? " \(term) " : term
            }.filter { term in
                !wordStartsOnly || term.utf8.first(where: { !Reference.isSpace($0) }).map(Reference.isWord) ?? false
            }
            var text = ""
            for _ in 0..<6_000 {
                let word = Int.random(in: 0..<5, using: &generator) == 0 ? Self.randomWord(using: &generator)
                    : vocabulary.randomElement(using: &generator)!
                text += Self.randomCase(word, using: &generator)
                text += separators.randomElement(using: &generator)!
            }
            let matcher = LexiconMatcher(terms: terms, caseSensitive: caseSensitive)
            #expect(matcher.trie.termsStartWithWords == wordStartsOnly)
            let reference = Reference(terms: terms, caseSensitive: caseSensitive)
            let bytes = Array(text.utf8)
            let actual = matcher.matches(in: text)
            let expected = reference.matches(in: bytes)
            #expect(actual.count == expected.count, "seed \(seed): \(actual.count) matches, reference \(expected.count)")
            #expect(expected.count > 500, "seed \(seed): too few matches for the test to mean much")
            for (found, wanted) in zip(actual, expected) where found.range != wanted.0 || found.values.sorted() != wanted.1.sorted() {
                Issue.record("seed \(seed): match \(found.range) \(found.values) ≠ reference \(wanted.0) \(wanted.1): \(Array(bytes[wanted.0]).debugText)")
                break
            }
        }
    }

    @Test("finds the terms of a real letter exactly where a brute-force scan does")
    func realLetters() throws {
        let terms = ["pain", "back pain", "low back pain", "lumbar spine", "MRI", "physical therapy", "medically necessary",
                     "not medically necessary", "L4-5", "L5-S1", "trigger point injection", "chronic pain syndrome",
                     "the", "of the", "is", "CA MTUS", "ACOEM", "ODG", "guidelines", "opioids", "Norco"]
        let reference = Reference(terms: terms, caseSensitive: false)
        let matcher = LexiconMatcher(terms: terms)
        var total = 0
        for (name, text) in try TestPaths.seedTexts() {
            let actual = matcher.matches(in: text)
            let expected = reference.matches(in: Array(text.utf8))
            #expect(actual.map(\.range) == expected.map(\.0), "\(name)")
            #expect(actual.map { $0.values.sorted() } == expected.map { $0.1.sorted() }, "\(name)")
            total += actual.count
        }
        #expect(total > 100)
    }
}

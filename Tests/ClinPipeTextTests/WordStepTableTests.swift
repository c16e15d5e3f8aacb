import ClinPipeTestSupport
@testable import ClinPipeText
import Testing

/// The word step tables answer exactly (a key's first word gets its node from the root, any other word -1), and the
/// trie's walk, which takes whole words through them, finds at every start what a walk one byte at a time finds.
@Suite struct WordStepTableTests {
    /// Every word start of `bytes` (offset 0, or after a non-word byte), with the word's end.
    static func words(in bytes: [UInt8]) -> [Range<Int>] {
        var result: [Range<Int>] = []
        var position = 0
        while position < bytes.count {
            guard ByteClass.isWord(bytes[position]) else { position += 1; continue }
            var end = position
            while end < bytes.count && ByteClass.isWord(bytes[end]) { end += 1 }
            result.append(position..<end)
            position = end
        }
        return result
    }

    /// The longest match at `position` walked one byte at a time from the root, as the matcher walked before word
    /// steps: the reference.
    static func plainLongestMatch(_ trie: LexiconMatcher.Trie, _ base: UnsafePointer<UInt8>, at position: Int,
                                  count: Int) -> (end: Int, group: Int)
    {
        let space = trie.symbolOf[0x20]
        var node: Int32 = 0
        var cursor = position
        var best = (end: -1, group: -1)
        while true {
            if node != 0 && trie.isTerminal(node)
                && (cursor == count || !ByteClass.isWord(base[cursor]) || !ByteClass.isWord(base[cursor - 1]))
            {
                best = (cursor, Int(trie.terminal[Int(node)]))
            }
            if cursor >= count { break }
            let symbol = trie.symbolOf[Int(base[cursor])]
            if symbol == 0 { break }
            let next = trie.child(of: node, symbol: symbol)
            if next < 0 { break }
            node = next
            cursor += 1
            if symbol == space { while cursor < count && ByteClass.isSpace(base[cursor]) { cursor += 1 } }
        }
        return best
    }

    /// For each word of `text`: the first word table's node agrees with the keys' first words, and the walk from it
    /// gives the plain walk's match; at every other start that is not inside a word, the trie's match is the plain
    /// one too. Returns how many words were keys' first words.
    static func check(terms: [String], text: String, caseSensitive: Bool, _ label: String) -> Int {
        let matcher = LexiconMatcher(terms: terms, caseSensitive: caseSensitive)
        let trie = matcher.trie
        let firstWords = Set(terms.map { LexiconMatcher.normalizedKey($0, caseSensitive: caseSensitive) }
            .filter { !$0.isEmpty && ByteClass.isWord($0[0]) }.map { Array($0.prefix(while: ByteClass.isWord)) })
        let bytes = Array(text.utf8)
        var held = 0
        bytes.withUnsafeBufferPointer { buffer in
            let base = buffer.baseAddress!
            // Slices that end inside words too (the text's end ends every word).
            for count in [bytes.count, bytes.count * 2 / 3, bytes.count / 3] {
                for word in words(in: Array(bytes[..<count])) {
                    let hash = FirstWordFilter.hash(ofFolded: word.map { trie.wordFold[Int(bytes[$0])] })
                    let folded = word.map { trie.wordFold[Int(bytes[$0])] }
                    let node = trie.firstWordTable.node(from: 0, word: base, start: word.lowerBound, end: word.upperBound,
                                                        hash: hash, first: FirstWordFilter.firstBlock(ofFolded: folded),
                                                        fold: trie.wordFold)
                    #expect((node >= 0) == firstWords.contains(folded), "\(label): word at \(word)")
                    if node >= 0 { held += 1 }
                    let plain = plainLongestMatch(trie, base, at: word.lowerBound, count: count)
                    let fast = node >= 0 ? trie.walk(base, from: node, at: word.upperBound, count: count) : (end: -1, group: -1)
                    #expect(fast == plain, "\(label): match at \(word.lowerBound) of \(count) bytes")
                    #expect(trie.longestMatch(base, at: word.lowerBound, count: count) == plain,
                            "\(label): trie match at \(word.lowerBound) of \(count) bytes")
                }
                for position in 0..<count where !ByteClass.isWord(bytes[position]) {
                    #expect(trie.longestMatch(base, at: position, count: count) == plainLongestMatch(trie, base, at: position, count: count),
                            "\(label): match at non-word byte \(position) of \(count) bytes")
                }
            }
        }
        return held
    }

    @Test("random terms and text, in both case modes", arguments: testSeeds(6))
    func randomTermsAndText(seed: UInt64) {
        var generator = SeededGenerator(seed: seed)
        let vocabulary = (0..<400).map { _ in LexiconMatcherTests.randomWord(using: &generator) }
        let terms: [String] = (0..<3_000).map { _ in
            (0..<Int.random(in: 1...3, using: &generator)).map { _ in vocabulary.randomElement(using: &generator)! }
                .joined(separator: [" ", "  ", "\t", "-", "/", " (", "'s "].randomElement(using: &generator)!)
        }
        var text = ""
        for _ in 0..<3_000 {
            let word = Int.random(in: 0..<4, using: &generator) == 0 ? LexiconMatcherTests.randomWord(using: &generator)
                : vocabulary.randomElement(using: &generator)!
            text += LexiconMatcherTests.randomCase(word, using: &generator)
            text += [" ", " ", "\n", ", ", ". ", "-", "(", "é", ""].randomElement(using: &generator)!
        }
        for caseSensitive in [false, true] {
            let held = Self.check(terms: terms, text: text, caseSensitive: caseSensitive, "seed \(seed)")
            #expect(held > 300, "seed \(seed): too few first words for the test to mean much")
        }
    }

    /// Words of fifteen to forty bytes that share their first sixteen bytes (the block compared at once) and differ
    /// after them, at the text's end too, in both case modes.
    @Test("long words that share their first sixteen bytes", arguments: testSeeds(4))
    func longWords(seed: UInt64) {
        var generator = SeededGenerator(seed: seed)
        let stem = "abcdefghijklmnop"  // sixteen bytes
        let words = [String(stem.prefix(15)), stem, stem + "q", stem + "r", stem + "qq", stem + "é", stem + "qrstuvwxyz0123456789",
                     stem + "qrstuvwxyz0123456788", "abcdefghijklmnoé", "abcdefghijklmnéq", "中文中文中文", "中文中文中文x"]
        let terms = words + words.map { "x " + $0 } + words.map { $0 + " y" } + [stem + " " + stem + "q"]
        var text = ""
        for _ in 0..<600 {
            var word = words.randomElement(using: &generator)!
            if Int.random(in: 0..<3, using: &generator) == 0 { word.removeLast() }
            text += LexiconMatcherTests.randomCase(word, using: &generator)
            text += [" ", " x ", " y", "\n", "-", "é", ""].randomElement(using: &generator)!
        }
        text += stem + "q"  // a word at the very end
        for caseSensitive in [false, true] {
            let held = Self.check(terms: terms, text: text, caseSensitive: caseSensitive, "seed \(seed)")
            #expect(held > 100, "seed \(seed): too few first words for the test to mean much")
        }
    }

    @Test("the context trigger phrases over real letters")
    func realLetters() throws {
        let terms = ["no", "not", "no evidence of", "denies", "is", "was", "the", "history of", "family history",
                     "negative for", "without", "x-ray", "L4-5", "status post", "s/p", "rule out", "possible", "é"]
        var held = 0
        for (name, text) in try TestPaths.seedTexts() {
            held += Self.check(terms: terms, text: text, caseSensitive: false, name)
        }
        #expect(held > 100)
    }
}

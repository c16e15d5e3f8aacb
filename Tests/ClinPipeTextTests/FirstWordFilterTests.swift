import ClinPipeTestSupport
@testable import ClinPipeText
import CByteScan
import Testing

/// `FirstWordFilter` must never rule out a first word it holds (that would lose matches); its false positives only
/// cost a trie walk, but they should stay rare.
@Suite struct FirstWordFilterTests {
    static func hash(_ word: String, folding: Bool) -> UInt64 {
        FirstWordFilter.hash(ofFolded: word.utf8.map { folding ? ByteClass.lower($0) : $0 })
    }

    @Test("holds every key's first word, in any ASCII case when folding", arguments: [false, true])
    func noFalseNegatives(folding: Bool) {
        var generator = SeededGenerator(seed: 11)
        let letters = Array("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789é中".utf8)
        var keys: [[UInt8]] = []
        var firstWords: [String] = []
        for _ in 0..<20_000 {
            let length = Int(generator.next() % 12) + 1
            let word = (0..<length).map { _ in letters[Int(generator.next() % UInt64(letters.count))] }
            // Bytes of `é` and `中` picked alone decode to U+FFFD: non-ASCII first words either way.
            let text = String(decoding: word, as: UTF8.self)
            let key = Array((folding ? text.lowercased() : text).utf8)
            firstWords.append(String(decoding: key, as: UTF8.self))
            keys.append(key + Array(" rest of the term".utf8))
        }
        let filter = FirstWordFilter(keys: keys, fold: { folding ? ByteClass.lower($0) : $0 })
        for word in firstWords {
            #expect(filter.mayContain(Self.hash(word, folding: folding)), "lost first word \(word)")
            if folding && word.utf8.allSatisfy({ $0 < 0x80 }) { #expect(filter.mayContain(Self.hash(word.uppercased(), folding: true))) }
        }
        var falsePositives = 0
        let held = Set(firstWords)
        var tried = 0
        while tried < 20_000 {
            let word = "zq" + String(generator.next() % 1_000_000_000)
            if held.contains(word) { continue }
            tried += 1
            if filter.mayContain(Self.hash(word, folding: folding)) { falsePositives += 1 }
        }
        #expect(falsePositives < 1_000, "\(falsePositives) false positives in 20,000 words")
    }

    @Test("the branch-free count agrees with the answer")
    func countAgreesWithAnswer() {
        var generator = SeededGenerator(seed: 5)
        let keys = (0..<300).map { Array("w\($0) rest".utf8) }
        let filter = FirstWordFilter(keys: keys, fold: { $0 })
        var held = 0
        for index in 0..<20_000 {
            let hash = index < 300 ? Self.hash("w\(index)", folding: false) : generator.next()
            let count = FirstWordFilter.mayContainCount(hash, words: filter.words, indexShift: filter.indexShift)
            #expect(count == (filter.mayContain(hash) ? 1 : 0))
            held += count
        }
        #expect(held >= 300)
        // Hashes whose probe bits are all set, all clear, or the top bit alone.
        for hash: UInt64 in [0, 1, .max, 1 << 63] {
            #expect(FirstWordFilter.mayContainCount(hash, words: filter.words, indexShift: filter.indexShift)
                == (filter.mayContain(hash) ? 1 : 0))
        }
    }

    @Test("sized by the distinct first words, not by the keys")
    func sizedByDistinctFirstWords() {
        let firstWords = (0..<300).map { "w\($0)" }
        let many = FirstWordFilter(keys: (0..<9_000).map { Array("\(firstWords[$0 % 300]) rest \($0)".utf8) }, fold: { $0 })
        let distinct = FirstWordFilter(keys: firstWords.map { Array($0.utf8) }, fold: { $0 })
        #expect(many.indexShift == distinct.indexShift)
        for word in firstWords { #expect(many.mayContain(Self.hash(word, folding: false))) }
    }

    @Test func keysThatStartWithPunctuationAddNothing() {
        let filter = FirstWordFilter(keys: [Array("#3 tablet".utf8), Array("(left)".utf8)], fold: { $0 })
        #expect(!filter.mayContain(Self.hash("tablet", folding: false)))
        #expect(!filter.mayContain(Self.hash("left", folding: false)))
    }

    /// The hash of `hash(ofFolded:)` spelled out in Swift: the zero-padded blocks of sixteen bytes as two
    /// little-endian halves, mixed from the seed (so that a change to the C side cannot go unnoticed).
    static func plainHash(_ folded: [UInt8]) -> UInt64 {
        var padded = folded + [UInt8](repeating: 0, count: 16 - folded.count % 16)
        var hash: UInt64 = 0x243F_6A88_85A3_08D3
        while !padded.isEmpty {
            var low: UInt64 = 0, high: UInt64 = 0
            for index in 0..<8 { low |= UInt64(padded[index]) << UInt64(8 * index) }
            for index in 0..<8 { high |= UInt64(padded[8 + index]) << UInt64(8 * index) }
            hash = (hash ^ low) &* 0x9E37_79B9_7F4A_7C15
            hash = (hash ^ high) &* 0x9E37_79B9_7F4A_7C15
            padded.removeFirst(16)
        }
        return hash ^ (hash >> 29)
    }

    @Test("hash(ofFolded:) is the documented block hash, for words of every length up to 50")
    func hashIsTheBlockHash() {
        var generator = SeededGenerator(seed: 5)
        let letters = Array("abcxyz019\u{e9}".utf8)
        for length in 0...50 {
            let word = (0..<length).map { _ in letters[Int(generator.next() % UInt64(letters.count))] }
            #expect(FirstWordFilter.hash(ofFolded: word) == Self.plainHash(word), "length \(length)")
        }
    }

    @Test("readWord gives the plain byte-by-byte word end and the hash of the folded word", arguments: testSeeds(6))
    func readWordMatchesThePlainLoop(seed: UInt64) throws {
        var generator = SeededGenerator(seed: seed)
        let common = Array("aZ09mQ_-. \n@[`{/:\u{e9}".utf8)
        var bytes: [UInt8] = (0..<1_500).map { _ in
            generator.next() % 4 == 0 ? UInt8(truncatingIfNeeded: generator.next()) : common[Int(generator.next() % UInt64(common.count))]
        }
        // Long words too (several blocks of sixteen, and exact multiples of sixteen).
        for length in [15, 16, 17, 31, 32, 33, 48, 70] {
            bytes += Array(" ".utf8) + (0..<length).map { _ in common[Int(generator.next() % 4)] } + Array(".".utf8)
        }
        bytes += Array(try TestPaths.seedTexts().first!.1.utf8.prefix(3_000))
        for folding in [false, true] {
            bytes.withUnsafeBufferPointer { buffer in
                for count in [bytes.count, bytes.count - 1, bytes.count - 2, bytes.count - 3, bytes.count - 17, 5, 4, 3, 2, 1, 0] {
                    for position in 0...count {
                        var end = position
                        var folded: [UInt8] = []
                        while end < count && ByteClass.isWord(bytes[end]) {
                            folded.append(folding ? ByteClass.lower(bytes[end]) : bytes[end])
                            end += 1
                        }
                        let read = FirstWordFilter.readWord(buffer.baseAddress!, at: position, count: count, foldsCase: folding)
                        #expect(read.end == end && read.hash == Self.plainHash(folded), "seed \(seed), position \(position) of \(count)")
                        #expect(read.first == FirstWordFilter.firstBlock(ofFolded: folded), "seed \(seed), position \(position) of \(count)")
                        #expect(cbs_word_length(buffer.baseAddress! + position, count - position) == end - position)
                    }
                }
            }
        }
    }
}

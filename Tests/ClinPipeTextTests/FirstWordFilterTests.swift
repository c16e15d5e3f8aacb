import ClinPipeTestSupport
@testable import ClinPipeText
import Testing

/// `FirstWordFilter` must never rule out a first word it holds (that would lose matches); its false positives only
/// cost a trie walk, but they should stay rare.
@Suite struct FirstWordFilterTests {
    static func hash(_ word: String, folding: Bool) -> UInt64 {
        Array(word.utf8).withUnsafeBufferPointer { buffer in
            var hash = FirstWordFilter.seed
            for byte in buffer { hash = FirstWordFilter.combine(hash, folding ? ByteClass.lower(byte) : byte) }
            return hash
        }
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

    @Test func keysThatStartWithPunctuationAddNothing() {
        let filter = FirstWordFilter(keys: [Array("#3 tablet".utf8), Array("(left)".utf8)], fold: { $0 })
        #expect(!filter.mayContain(Self.hash("tablet", folding: false)))
        #expect(!filter.mayContain(Self.hash("left", folding: false)))
    }

    @Test("readWord gives the plain byte-by-byte word end and hash", arguments: testSeeds(6))
    func readWordMatchesThePlainLoop(seed: UInt64) throws {
        var generator = SeededGenerator(seed: seed)
        let common = Array("aZ09mQ_-. \n@[`{/:é".utf8)
        var bytes: [UInt8] = (0..<1_500).map { _ in
            generator.next() % 4 == 0 ? UInt8(truncatingIfNeeded: generator.next()) : common[Int(generator.next() % UInt64(common.count))]
        }
        bytes += Array(try TestPaths.seedTexts().first!.1.utf8.prefix(3_000))
        let fold = UnsafeMutablePointer<UInt8>.allocate(capacity: 256)
        defer { fold.deallocate() }
        for folding in [false, true] {
            for byte in 0..<256 {
                let value = UInt8(byte)
                fold[byte] = ByteClass.isWord(value) ? (folding ? ByteClass.lower(value) : value) : 0
            }
            bytes.withUnsafeBufferPointer { buffer in
                for count in [bytes.count, bytes.count - 1, bytes.count - 2, bytes.count - 3, 5, 4, 3, 2, 1] {
                    for position in 0..<count {
                        var end = position
                        var hash = FirstWordFilter.seed
                        while end < count && fold[Int(bytes[end])] != 0 {
                            hash = FirstWordFilter.combine(hash, fold[Int(bytes[end])])
                            end += 1
                        }
                        let read = FirstWordFilter.readWord(buffer.baseAddress!, at: position, count: count, fold: fold)
                        #expect(read.end == end && read.hash == hash, "seed \(seed), position \(position) of \(count)")
                    }
                }
            }
        }
    }
}

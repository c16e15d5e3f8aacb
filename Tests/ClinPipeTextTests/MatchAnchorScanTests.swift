import ClinPipeCore
import ClinPipeTestSupport
@testable import ClinPipeText
import Testing

/// `MatchAnchor.Scan.next` (eight bytes at a time for a run of ASCII bytes) against a plain byte-by-byte search.
@Suite("MatchAnchor.Scan")
struct MatchAnchorScanTests {
    static func plainNext(_ bytes: Set<UInt8>, _ text: [UInt8], from start: Int, to end: Int) -> Int? {
        (start..<max(start, end)).first { bytes.contains(text[$0]) }
    }

    @Test(arguments: ["[1-9] 12", "[0-9] 0", "[0-9:] 4", "[/] 2", "[a-z] 3", "[Tt] 10", "[!-~] 1", "[A-Z0-9] 5"])
    func sameAsAPlainSearch(anchorText: String) throws {
        let anchor = try MatchAnchor(parsing: anchorText)
        for seed in testSeeds(200) {
            var generator = SeededGenerator(seed: seed)
            // Every byte value, with the anchor bytes and their neighbours (the edges of a run) common.
            let near = anchor.bytes.flatMap { [$0 &- 1, $0, $0 &+ 1] }
            let text: [UInt8] = (0..<Int(generator.next() % 80)).map { _ in
                generator.next() % 3 == 0 && !near.isEmpty ? near[Int(generator.next() % UInt64(near.count))]
                    : UInt8(truncatingIfNeeded: generator.next())
            }
            text.withUnsafeBufferPointer { buffer in
                let base = buffer.baseAddress ?? PCRE2ThreadScratch.emptySubject
                for _ in 0..<8 {
                    let start = text.isEmpty ? 0 : Int(generator.next() % UInt64(text.count))
                    let end = min(text.count, start + Int(generator.next() % 40))
                    let expected = Self.plainNext(anchor.bytes, text, from: start, to: end)
                    #expect(anchor.scan.next(in: base, from: start, to: end) == expected, "seed \(seed) \(anchorText)")
                }
            }
        }
    }

    /// Every single-byte word position and every run bound: the word test flags exactly the bytes in the run.
    @Test func wordTestIsExactForEveryByte() {
        for (low, high) in [(UInt8(1), UInt8(0x7F)), (0x31, 0x39), (0x30, 0x30), (0x41, 0x5A), (1, 1), (0x7F, 0x7F)] {
            for value in 0...255 {
                for lane in 0..<8 {
                    let filler: UInt64 = low == 0x30 ? 0x2020_2020_2020_2020 : 0
                    let word = filler & ~(UInt64(0xFF) << (8 * lane)) | UInt64(value) << (8 * lane)
                    let flags = MatchAnchor.Scan(bytes: Set(low...high), lead: 0).runFlags(word)
                    let expected = (0..<8).reduce(UInt64(0)) { result, index in
                        let byte = UInt8(truncatingIfNeeded: word >> (8 * index))
                        return byte >= low && byte <= high ? result | 0x80 << (8 * index) : result
                    }
                    #expect(flags == expected, "run \(low)...\(high), byte \(value) in lane \(lane)")
                }
            }
        }
    }
}

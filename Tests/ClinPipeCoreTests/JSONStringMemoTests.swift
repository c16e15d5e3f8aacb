import ClinPipeCore
import ClinPipeTestSupport
import Testing

/// `JSONStringMemo` against the plain writers it stands in for: attributes written with the memo (keys remembered)
/// equal `appendJSON(_: Attributes)`, and strings written through the memo equal `appendQuoted`, over many writes
/// into one memo (first writes and remembered ones, growth of its tables), for small and large strings, escapes,
/// non-ASCII, equal texts in different storage, and the same string in different roles.
@Suite("JSONStringMemo")
struct JSONStringMemoTests {
    /// Keys as stages set them (literals, small strings), and keys that need escapes or are stored out of line.
    static func keys(_ generator: inout SeededGenerator) -> [String] {
        let fixed = ["negated", "uncertain", "experiencer", "a", "", "rationale_conclusion_long_key", "qu\"ote",
                     "new\nline", "é", "😀 emoji key", "\u{1}\u{7F}"]
        // Texts built at run time: equal to some fixed keys, but in their own storage.
        let built = (0..<20).map { "key\($0)" } + [String(fixed[0].reversed().reversed()), fixed[5] + ""]
        let random = (0..<10).map { _ in RandomText.make(pieceCount: Int(generator.next() % 4), using: &generator) }
        return fixed + built + random
    }

    @Test("attributes written with the memo equal the plain writer, over many writes into one memo")
    func attributes() {
        for seed in testSeeds(40) {
            var generator = SeededGenerator(seed: seed)
            let keys = Self.keys(&generator)
            var memo = JSONStringMemo(expectedStrings: Int(generator.next() % 4))
            var withMemo = JSONBuffer(capacity: 1)
            var plain = JSONBuffer(capacity: 1)
            var all: [Attributes] = []
            for _ in 0..<200 {
                var attributes = Attributes()
                for _ in 0..<Int(generator.next() % 8) {
                    let value: AttributeValue = switch generator.next() % 6 {
                    case 0: .bool(true)
                    case 1: .bool(false)
                    case 2: .int(Int(truncatingIfNeeded: generator.next()) >> Int(generator.next() % 64))
                    case 3: .string(keys[Int(generator.next() % UInt64(keys.count))])
                    case 4: .list([.int(1), .string("x\n"), .null, .double(2.5)])
                    default: .object(["inner": .bool(false), keys[0]: .int(7)])
                    }
                    attributes[keys[Int(generator.next() % UInt64(keys.count))]] = value
                }
                all.append(attributes)  // kept alive, as the memo requires
                withMemo.appendJSON(attributes, memo: &memo)
                plain.appendJSON(attributes)
            }
            #expect(withMemo.bytes == plain.bytes, "seed \(seed)")
        }
    }

    @Test("strings through the memo in several roles equal the plain writes")
    func roles() {
        var generator = SeededGenerator(seed: 21)
        let strings = Self.keys(&generator) + (0..<300).map { "distinct \($0) \u{A0}" }
        var memo = JSONStringMemo()
        var withMemo = JSONBuffer(capacity: 1)
        var plain = JSONBuffer(capacity: 1)
        strings.withUnsafeBufferPointer { stored in
            let first = UnsafeRawPointer(stored.baseAddress!)
            for _ in 0..<4000 {
                let index = Int(generator.next() % UInt64(stored.count))
                let address = first + index * MemoryLayout<String>.stride
                switch generator.next() % 3 {
                case 0:
                    memo.append(stringAt: address, role: .quoted, keeping: stored[index], to: &withMemo) { $0.appendQuoted(stored[index]) }
                    plain.appendQuoted(stored[index])
                case 1:
                    memo.append(stringAt: address, role: .key, keeping: stored[index], to: &withMemo) { out in
                        out.appendQuoted(stored[index])
                        out.append(UInt8(ascii: ":"))
                    }
                    plain.appendQuoted(stored[index])
                    plain.append(UInt8(ascii: ":"))
                default:
                    // A role of the caller's own, written as a whole field.
                    memo.append(stringAt: address, role: JSONStringMemo.Role(7), keeping: stored[index], to: &withMemo) { out in
                        out.append(#","name":"#)
                        out.appendQuoted(stored[index])
                    }
                    plain.append(#","name":"#)
                    plain.appendQuoted(stored[index])
                }
            }
        }
        #expect(withMemo.bytes == plain.bytes)
    }

    @Test("a string whose JSON is too long for a slot (16 MiB) is written the plain way each time")
    func tooLongToRemember() {
        let strings = [String(repeating: "long \"text\" ", count: 1_400_000), "short"]
        var memo = JSONStringMemo()
        var withMemo = JSONBuffer(capacity: 1)
        var plain = JSONBuffer(capacity: 1)
        strings.withUnsafeBufferPointer { stored in
            for index in [0, 1, 0, 1, 0] {
                let address = UnsafeRawPointer(stored.baseAddress! + index)
                memo.append(stringAt: address, role: .quoted, keeping: stored[index], to: &withMemo) { $0.appendQuoted(stored[index]) }
                plain.appendQuoted(stored[index])
            }
        }
        #expect(withMemo.count > 3 * 16_777_216)
        #expect(withMemo.bytes == plain.bytes)
    }

    @Test("one memo over many documents whose strings go away: equal to the plain writes, also after removeAll")
    func reusedAcrossDocuments() {
        var memo = JSONStringMemo(expectedStrings: 4)
        var emptied = 0
        for document in 0..<400 {
            // Strings made for this document only (their memory freed after it, free for the next document's strings),
            // small and large, and strings that every document has.
            let strings = (0..<12).map { "doc \(document) string \($0)" + ($0 % 2 == 0 ? " longer than fifteen \"bytes\"" : "") }
                + ["negated", "shared string stored out of line", "é\u{1}"]
            var withMemo = JSONBuffer(capacity: 1)
            var plain = JSONBuffer(capacity: 1)
            strings.withUnsafeBufferPointer { stored in
                for round in 0..<3 {
                    for index in stored.indices {
                        let address = UnsafeRawPointer(stored.baseAddress! + index)
                        let role: JSONStringMemo.Role = round == 1 ? .key : .quoted
                        memo.append(stringAt: address, role: role, keeping: stored[index], to: &withMemo) { out in
                            out.appendQuoted(stored[index])
                            if round == 1 { out.append(UInt8(ascii: ":")) }
                        }
                        plain.appendQuoted(stored[index])
                        if round == 1 { plain.append(UInt8(ascii: ":")) }
                    }
                }
            }
            #expect(withMemo.bytes == plain.bytes, "document \(document)")
            if memo.isFull {
                memo.removeAll()
                #expect(memo.count == 0)
                emptied += 1
            }
        }
        #expect(emptied > 0)
    }

    @Test("true and false without a branch")
    func booleans() {
        var buffer = JSONBuffer(capacity: 1)
        for flag in [true, false, false, true] { buffer.appendBool(flag) }
        #expect(String(decoding: buffer.bytes, as: UTF8.self) == "truefalsefalsetrue")
    }
}

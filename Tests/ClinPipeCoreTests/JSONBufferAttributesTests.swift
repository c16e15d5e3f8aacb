import ClinPipeTestSupport
import ClinPipeCore
import Testing

/// `JSONBuffer.appendJSON` (attributes read in place) against a plain recursive writer built from `Attributes`'
/// public iteration and the byte-at-a-time reference escaper.
@Suite("JSONBuffer+Attributes")
struct JSONBufferAttributesTests {
    /// The JSON of `value`, written the plain way (the definition the in-place writer must reproduce).
    static func reference(_ value: AttributeValue) -> [UInt8] {
        switch value {
        case .string(let string): return JSONBufferTests.reference(Array(string.utf8))
        case .int(let int): return Array(String(int).utf8)
        case .double(let double): return Array((double.isFinite ? String(double) : "null").utf8)
        case .bool(let bool): return Array((bool ? "true" : "false").utf8)
        case .null: return Array("null".utf8)
        case .list(let list): return Array("[".utf8) + list.map(reference).joined(separator: Array(",".utf8)) + Array("]".utf8)
        case .object(let object):
            let members = object.map { JSONBufferTests.reference(Array($0.key.utf8)) + Array(":".utf8) + reference($0.value) }
            return Array("{".utf8) + members.joined(separator: Array(",".utf8)) + Array("}".utf8)
        }
    }

    /// A random value: mostly scalars, sometimes (while `depth` allows) lists and objects of random values.
    static func randomValue(_ generator: inout SeededGenerator, depth: Int) -> AttributeValue {
        switch Int(generator.next() % (depth > 0 ? 9 : 7)) {
        case 0: return .string(RandomText.make(pieceCount: Int(generator.next() % 6), using: &generator))
        case 1: return .string(RandomText.make(&generator, pieces: Int(generator.next() % 4)))
        case 2: return .int(Int(bitPattern: UInt(generator.next())) >> Int(generator.next() % 64))
        case 3: return .double([0.5, -1e300, 3.25, .infinity, .nan, 1e-7, 42][Int(generator.next() % 7)])
        case 4: return .bool(generator.next() & 1 == 0)
        case 5: return .null
        case 6: return .int(Int(generator.next() % 20))
        case 7: return .list((0..<Int(generator.next() % 4)).map { _ in randomValue(&generator, depth: depth - 1) })
        default: return .object(randomAttributes(&generator, depth: depth - 1))
        }
    }

    static func randomAttributes(_ generator: inout SeededGenerator, depth: Int) -> Attributes {
        var attributes = Attributes()
        for _ in 0..<Int(generator.next() % 7) {
            let key = generator.next() % 3 == 0 ? RandomText.piece(using: &generator) : ["negated", "experiencer", "parent", "targets"][Int(generator.next() % 4)]
            attributes[key] = randomValue(&generator, depth: depth)
        }
        return attributes
    }

    static func written(_ attributes: Attributes) -> [UInt8] {
        var buffer = JSONBuffer(capacity: 1)
        buffer.appendJSON(attributes)
        return buffer.bytes
    }

    @Test("Random attributes (nested lists and objects, Unicode keys and values) are written as the plain writer writes them")
    func randomAttributesMatchReference() {
        for seed in testSeeds(200) {
            var generator = SeededGenerator(seed: seed)
            let attributes = Self.randomAttributes(&generator, depth: 3)
            #expect(Self.written(attributes) == Self.reference(.object(attributes)), "seed \(seed)")
        }
    }

    @Test("Attributes as the stages set them, with real letter text as values")
    func realAttributes() {
        let attributes: Attributes = [
            "negated": false, "uncertain": true, "experiencer": "patient", "parent": 12,
            "targets": .list([.string("MRI of the lumbar spine"), .int(3)]),
            "rationale_conclusion": "The request for \"Norco 10/325mg #60\" is not medically\nnecessary.\r\n",
            "guidelines": .list([.object(["source": "MTUS", "page": 9.5])]), "none": .null, "empty": .object([:]),
        ]
        #expect(Self.written(attributes) == Self.reference(.object(attributes)))
        #expect(Self.written([:]) == Array("{}".utf8))
    }
}

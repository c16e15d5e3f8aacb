import ClinPipeCore
import Foundation
import Testing

/// `StoredStringBytes` (a string's UTF-8 read from its stored 16 bytes) against the plain `String.utf8`, for every
/// form of string it meets: it must give the same bytes or nil, and it must give them for the forms the encoder
/// relies on (small, native, literal).
@Suite struct StoredStringBytesTests {
    /// The bytes read in place from a copy of `string` stored in memory, or nil.
    static func inPlace(_ string: String) -> [UInt8]? {
        withUnsafePointer(to: string) { pointer in
            StoredStringBytes.utf8(at: UnsafeRawPointer(pointer)).map(Array.init)
        }
    }

    @Test("this platform's strings pass the once-per-process layout check (else every read would take the plain way)")
    func layoutCheck() {
        #if _pointerBitWidth(_64) && _endian(little)
        #expect(StoredStringBytes.layoutIsAsExpected)
        #else
        #expect(!StoredStringBytes.layoutIsAsExpected)
        #endif
    }

    @Test("small, native and literal strings are read in place, with the bytes of String.utf8")
    func forms() {
        let literal = "a literal longer than fifteen bytes, with é"
        var samples: [String] = ["", "a", "fifteen bytes!!", "sixteen bytes!!!", "é", "ééééééé", "ééééééé1", literal,
                                 "short literal"]
        for length in 0..<70 {
            samples.append(String(repeating: "x", count: length))
            samples.append(String(repeating: "ü", count: length / 2) + String(repeating: "y", count: length % 2))
        }
        samples.append(String(decoding: Array("made from bytes, long enough to need storage".utf8), as: UTF8.self))
        samples.append(String(literal.dropFirst(2)))                    // from a substring
        samples.append(String(format: "%@ %d", "formatted", 12345678))  // through Foundation
        samples.append("interpolated \(samples.count) and more than fifteen bytes")
        for sample in samples {
            let read = Self.inPlace(sample)
            #expect(read != nil, "\(sample.utf8.count) bytes")
            #expect(read == Array(sample.utf8))
        }
    }

    @Test("strings whose bytes are not stored in the value's storage answer nil or their bytes, never others")
    func otherForms() {
        let bridged = NSString(string: "a bridged string that is long enough") as String
        let shared = String(NSMutableString(string: "mutable bridged string, long enough too"))
        for sample in [bridged, shared] {
            if let read = Self.inPlace(sample) { #expect(read == Array(sample.utf8)) }
        }
    }

    @Test("a string attribute value's payload starts at the value's first byte (what the JSON writer reads)")
    func payloadLayout() {
        let values: [AttributeValue] = [.string("tiny"), .string("a string with storage of its own, long"), .string("")]
        values.withUnsafeBufferPointer { stored in
            for index in stored.indices {
                guard case .string(let string) = stored[index] else { continue }
                let read = StoredStringBytes.utf8(at: UnsafeRawPointer(stored.baseAddress! + index)).map(Array.init)
                #expect(read == Array(string.utf8))
            }
        }
    }
}

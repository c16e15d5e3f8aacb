/// Reads the UTF-8 bytes of a `String` where it is stored (in an array's buffer, in an enum's payload), from the 16
/// bytes the value is made of, without copying the value: no retain and release of its storage.
///
/// Writing an attribute's string value as JSON the plain way copies the `String` out of the attributes (a retain and,
/// after the write, a release: atomic operations on storage that is often not in cache). The bytes of the two forms
/// that hold almost every string are found from the value's own 16 bytes (the standard library's layout on 64-bit
/// little-endian platforms, which the ABI fixes):
/// - a small string (15 bytes or fewer; bit 61 of the second word): its bytes are the value's first bytes, and its
///   length is bits 56-59 of the second word;
/// - a tail-allocated string (native storage or a literal; bit 60 of the first word, and bit 60 of the second word
///   clear): its length is the low 48 bits of the first word and its bytes start 32 bytes after the address in the
///   low 60 bits of the second word.
/// Any other form (shared or bridged storage) answers nil, and the caller copies the value the plain way.
///
/// The layout is checked once per process, on a small, a native and a literal string whose bytes and addresses are
/// known (`layoutIsAsExpected`): should a standard library lay strings out otherwise, every read answers nil and the
/// plain way is taken, so a wrong layout can cost speed but never write wrong bytes.
///
/// The bytes are valid only while the stored value is alive and unchanged (during the caller's read of it).
public enum StoredStringBytes {
    /// The UTF-8 bytes of the `String` whose 16 bytes are at `address`, when they can be read in place; nil otherwise.
    @inlinable @inline(__always) public static func utf8(at address: UnsafeRawPointer) -> UnsafeBufferPointer<UInt8>? {
        guard layoutIsAsExpected else { return nil }
        return unchecked(at: address)
    }

    /// Whether this process's standard library stores strings as `unchecked(at:)` reads them: checked once, on a
    /// small string, a string in native storage and a literal, each against its `utf8` view (bytes and, for the two
    /// with storage, their address).
    public static let layoutIsAsExpected: Bool = {
        let small = "small é"
        var native = String(repeating: "native storage ", count: 3)
        native.append("ü")
        let literal = "a literal that is longer than fifteen bytes"
        for sample in [small, native, literal] {
            let matches = withUnsafePointer(to: sample) { pointer -> Bool in
                guard let read = unchecked(at: UnsafeRawPointer(pointer)) else { return false }
                return sample.utf8.withContiguousStorageIfAvailable { stored in
                    read.count == stored.count && (sample.utf8.count <= 15 || read.baseAddress == stored.baseAddress)
                        && read.elementsEqual(stored)
                } ?? false
            }
            if !matches { return false }
        }
        return true
    }()

    /// `utf8(at:)` without the layout check, for callers that read `layoutIsAsExpected` themselves, once for many
    /// values.
    @inlinable @inline(__always) static func unchecked(at address: UnsafeRawPointer) -> UnsafeBufferPointer<UInt8>? {
        #if _pointerBitWidth(_64) && _endian(little)
        let countAndFlags = address.loadUnaligned(as: UInt64.self)
        let object = address.loadUnaligned(fromByteOffset: 8, as: UInt64.self)
        if object & (1 << 61) != 0 {
            return UnsafeBufferPointer(start: address.assumingMemoryBound(to: UInt8.self),
                                       count: Int(truncatingIfNeeded: (object >> 56) & 0xF))
        }
        guard countAndFlags & (1 << 60) != 0, object & (1 << 60) == 0,
              let start = UnsafePointer<UInt8>(bitPattern: UInt(truncatingIfNeeded: object & 0x0FFF_FFFF_FFFF_FFFF) &+ 32)
        else { return nil }
        return UnsafeBufferPointer(start: start, count: Int(truncatingIfNeeded: countAndFlags & 0xFFFF_FFFF_FFFF))
        #else
        return nil
        #endif
    }
}

/// A block of bytes that starts on a 64-byte boundary (a cache line on x86-64 and most ARM cores), filled once when
/// made and never changed after: a table whose 64-byte rows each occupy exactly one cache line, so reading any entry
/// of a row brings in that row alone.
///
/// A class only to own the allocation (freed with the last reference); being immutable after `init`, it is safe to
/// read from any number of threads at once.
final class CacheAlignedBytes: @unchecked Sendable {
    /// The first byte (64-byte aligned).
    let base: UnsafeRawPointer
    /// The number of bytes.
    let count: Int

    /// `count` bytes (at least one is allocated), zeroed, then handed to `fill` to write.
    init(count: Int, fill: (UnsafeMutableRawPointer) throws -> Void) rethrows {
        let bytes = UnsafeMutableRawPointer.allocate(byteCount: max(count, 1), alignment: 64)
        bytes.initializeMemory(as: UInt8.self, repeating: 0, count: max(count, 1))
        do { try fill(bytes) } catch {
            bytes.deallocate()
            throw error
        }
        base = UnsafeRawPointer(bytes)
        self.count = count
    }

    deinit { UnsafeMutableRawPointer(mutating: base).deallocate() }
}

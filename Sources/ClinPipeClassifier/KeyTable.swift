/// An open-addressing hash table from 64-bit feature keys to columns, for the lookups on the prediction path.
///
/// Feature keys are already well mixed (`FeatureHash`), so a key's low bits serve as its slot directly: no
/// rehashing as `Dictionary` (SipHash) would do. Linear probing; the table is at most half full.
struct KeyTable: Sendable {
    private var keys: [UInt64]
    /// The column of each slot, -1 for an empty slot.
    private var columns: [Int32]
    private let mask: Int

    init(minimumCapacity: Int) {
        var size = 16
        while size < minimumCapacity * 2 { size <<= 1 }
        keys = [UInt64](repeating: 0, count: size)
        columns = [Int32](repeating: -1, count: size)
        mask = size - 1
    }

    /// Inserts `key` → `column`; returns false (and changes nothing) when the key is already there.
    mutating func insert(_ key: UInt64, column: Int32) -> Bool {
        var slot = Int(truncatingIfNeeded: key) & mask
        while columns[slot] >= 0 {
            if keys[slot] == key { return false }
            slot = (slot + 1) & mask
        }
        keys[slot] = key
        columns[slot] = column
        return true
    }

    /// The column of `key`, or -1 when absent.
    @inline(__always) func column(of key: UInt64) -> Int32 {
        keys.withUnsafeBufferPointer { keys in
            columns.withUnsafeBufferPointer { columns in
                var slot = Int(truncatingIfNeeded: key) & mask
                while true {
                    let column = columns[slot]
                    if column < 0 || keys[slot] == key { return column }
                    slot = (slot + 1) & mask
                }
            }
        }
    }
}

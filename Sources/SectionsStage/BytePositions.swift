#if canImport(Glibc)
import Glibc
#endif

/// Where a few bytes (line feeds, colons, commas) stand in one text, found the first time they are asked for and then
/// shared by every pass over the same text (the built-in heading shapes). Positions are UTF-8 byte offsets,
/// ascending. The struct holds the text's buffer, so it must not outlive it.
struct BytePositions {
    let text: UnsafeBufferPointer<UInt8>
    /// Per byte asked for, its positions. A few bytes per text: searched in order, not hashed.
    private var found: [(byte: UInt8, positions: [Int])] = []

    init(in text: UnsafeBufferPointer<UInt8>) {
        self.text = text
        // The three bytes of the heading shapes and item lines, in one allocation.
        found.reserveCapacity(4)
    }

    /// Every position of `byte` in the text, ascending.
    mutating func positions(of byte: UInt8) -> [Int] {
        for entry in found where entry.byte == byte { return entry.positions }
        var positions: [Int] = []
        // About one line feed in 50 bytes in letters, colons and commas fewer: room enough for most texts.
        positions.reserveCapacity(max(16, byte == 0x0A ? text.count >> 5 : text.count >> 6))
        if let base = text.baseAddress {
            let count = text.count
            var from = 0
            while from < count, let hit = memchr(base + from, Int32(byte), count - from) {
                let position = UnsafeRawPointer(hit) - UnsafeRawPointer(base)
                positions.append(position)
                from = position + 1
            }
        }
        found.append((byte, positions))
        return positions
    }
}

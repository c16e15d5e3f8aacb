/// Byte classes for scanning UTF-8 text without decoding it.
public enum ByteClass {
    /// ASCII letters and digits, and every byte of a non-ASCII character (treated as a letter, so that a word
    /// boundary never splits a non-ASCII word).
    @inline(__always) public static func isWord(_ byte: UInt8) -> Bool {
        byte >= 0x80 || (byte >= 0x30 && byte <= 0x39) || ((byte | 0x20) >= 0x61 && (byte | 0x20) <= 0x7A)
    }

    /// Space, tab, line feed, carriage return, vertical tab, form feed.
    @inline(__always) public static func isSpace(_ byte: UInt8) -> Bool {
        byte == 0x20 || (byte >= 0x09 && byte <= 0x0D)
    }

    /// ASCII lowercase of a byte; other bytes unchanged.
    @inline(__always) public static func lower(_ byte: UInt8) -> UInt8 {
        (byte >= 0x41 && byte <= 0x5A) ? byte | 0x20 : byte
    }

    @inline(__always) public static func isDigit(_ byte: UInt8) -> Bool { byte >= 0x30 && byte <= 0x39 }
    @inline(__always) public static func isUpper(_ byte: UInt8) -> Bool { byte >= 0x41 && byte <= 0x5A }
}

import ClinPipeText

/// The parts of a text worth searching for dates, found by one cheap pass over its bytes.
///
/// Every date the patterns can match contains a *trigger*: a run of exactly four digits (a year), or a run of one
/// or two digits followed by a separator (`/`, `-`, an en dash) and a digit (`11/27`, `8-18`). A date starts
/// at most `leadBytes` before a trigger's first digit (a month name and spaces before the day or year) and its
/// pattern looks at most `tailBytes` past a trigger's last digit. So the date patterns only need to run over the
/// windows `[trigger.start - leadBytes, trigger.end + tailBytes)`, merged where they overlap: in IMR letters a
/// few percent of the text instead of all of it, which makes the stage several times faster.
///
/// Windows are UTF-8 byte ranges on character boundaries, sorted and disjoint. A pattern that breaks the
/// trigger rule (a date without any such digit run) needs `DatesStage.Configuration.scanWholeText`.
///
/// Each window also tells where its last trigger starts: a match that ends after that offset is the window's last
/// one (a later match would start at or after its end and contain a trigger there), so the search of the window
/// stops without a last call that scans the tail and finds nothing.
enum DateScanWindows {
    static let leadBytes = 40
    static let tailBytes = 32

    /// A window: the bytes to search (UTF-8 offsets) and the start of the last trigger in it.
    struct Window: Equatable {
        var range: Range<Int>
        var lastTriggerStart: Int

        /// Whether a match ending at `end` may be followed by another one in this window.
        func mayMatchAfter(_ end: Int) -> Bool { end <= lastTriggerStart }
    }

    /// The windows of `bytes` (valid UTF-8).
    static func windows(in bytes: UnsafeBufferPointer<UInt8>) -> [Window] {
        var windows: [Window] = []
        forEachWindow(in: bytes) { windows.append($0) }
        return windows
    }

    /// Calls `body` with each window of `bytes` (valid UTF-8), in text order, without building an array: a window is
    /// handed over once the next trigger's window no longer reaches it.
    @inline(__always)
    static func forEachWindow(in bytes: UnsafeBufferPointer<UInt8>, _ body: (Window) throws -> Void) rethrows {
        var pending: Window?
        let count = bytes.count
        var position = 0
        while position < count {
            position = nextDigit(in: bytes, from: position)
            guard position < count else { break }
            let start = position
            while position < count, ByteClass.isDigit(bytes[position]) { position += 1 }
            let length = position - start
            var isTrigger = length == 4
            if !isTrigger, length <= 2, position < count {
                let separator = bytes[position]
                if separator == UInt8(ascii: "/") || separator == UInt8(ascii: "-") {
                    isTrigger = position + 1 < count && ByteClass.isDigit(bytes[position + 1])
                } else if separator == 0xE2, position + 3 < count, bytes[position + 1] == 0x80,
                          bytes[position + 2] == 0x93
                {
                    // U+2013 EN DASH.
                    isTrigger = ByteClass.isDigit(bytes[position + 3])
                }
            }
            guard isTrigger else { continue }
            var lower = max(0, start - leadBytes)
            while lower > 0, bytes[lower] & 0xC0 == 0x80 { lower -= 1 }
            var upper = min(count, position + tailBytes)
            while upper < count, bytes[upper] & 0xC0 == 0x80 { upper += 1 }
            if let last = pending, lower <= last.range.upperBound {
                pending = Window(range: last.range.lowerBound..<max(last.range.upperBound, upper), lastTriggerStart: start)
            } else {
                if let last = pending { try body(last) }
                pending = Window(range: lower..<upper, lastTriggerStart: start)
            }
        }
        if let last = pending { try body(last) }
    }

    /// The offset of the first ASCII digit at or after `start`, or `bytes.count`. Eight bytes at a time (two
    /// words a step while sixteen bytes remain): a digit is a byte b with b ^ 0x30 < 10, and "some byte of x is
    /// below 10" is (x - 0x0A…) & ~x & 0x80… != 0, whose lowest set bit marks the first digit (digits are rare in
    /// prose, so the word loop carries most of the scan).
    @inline(__always)
    static func nextDigit(in bytes: UnsafeBufferPointer<UInt8>, from start: Int) -> Int {
        let count = bytes.count
        var position = start
        guard let base = bytes.baseAddress else { return count }
        let raw = UnsafeRawPointer(base)
        while position &+ 16 <= count {
            let first = digitFlags(raw.loadUnaligned(fromByteOffset: position, as: UInt64.self))
            let second = digitFlags(raw.loadUnaligned(fromByteOffset: position &+ 8, as: UInt64.self))
            if first | second != 0 {
                return first != 0 ? position &+ first.trailingZeroBitCount >> 3
                    : position &+ 8 &+ second.trailingZeroBitCount >> 3
            }
            position &+= 16
        }
        while position &+ 8 <= count {
            let digits = digitFlags(raw.loadUnaligned(fromByteOffset: position, as: UInt64.self))
            if digits != 0 { return position &+ digits.trailingZeroBitCount >> 3 }
            position &+= 8
        }
        while position < count, !ByteClass.isDigit(base[position]) { position += 1 }
        return position
    }

    /// For eight bytes loaded from memory: a set high bit in the lowest flagged byte marks the first digit (a borrow
    /// can only flag bytes above a true one).
    @inline(__always)
    static func digitFlags(_ loaded: UInt64) -> UInt64 {
        let x = UInt64(littleEndian: loaded) ^ 0x3030_3030_3030_3030
        return (x &- 0x0A0A_0A0A_0A0A_0A0A) & ~x & 0x8080_8080_8080_8080
    }
}

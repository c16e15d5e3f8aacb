import CByteScan
import ClinPipeCore

/// Converts a text's UTF-8 byte offsets to an output unit one offset at a time, in constant time each and in any
/// order (no sorting of the offsets, no pass over the text per batch).
///
/// UTF-8 output, and any unit for an ASCII text (the common case), is the identity. Otherwise one pass over the
/// text (sixteen bytes at a time) records the offset in the unit at every 64th byte; converting an offset then adds
/// the units of the at most 63 bytes since the last such mark (`cbs_utf8_scalar_count`, `cbs_utf8_utf16_count`).
struct OutputOffsets {
    /// Bytes between marks.
    private static let stride = 64
    private let unit: OffsetUnit
    /// `marks[k]` is the offset in `unit` of UTF-8 byte offset `k * stride`; empty when offsets are unchanged.
    private let marks: [Int]

    /// Prepares conversions for `text` (the UTF-8 bytes of the text whose offsets are converted).
    init(text: UnsafeBufferPointer<UInt8>, unit: OffsetUnit) {
        self.unit = unit
        guard unit != .utf8, let base = text.baseAddress, cbs_is_ascii(base, text.count) == 0 else {
            marks = []
            return
        }
        var marks: [Int] = []
        marks.reserveCapacity(text.count / Self.stride + 1)
        var units = 0
        var start = 0
        while start <= text.count {
            marks.append(units)
            units += Self.units(base + start, min(Self.stride, text.count - start), unit)
            start += Self.stride
        }
        self.marks = marks
    }

    /// True when every offset converts to itself.
    var isIdentity: Bool { marks.isEmpty }

    /// The offset in the output unit of UTF-8 byte offset `offset` (on a scalar boundary, within `text`, the same
    /// bytes the converter was made for).
    @inline(__always) func convert(_ offset: Int, in text: UnsafeBufferPointer<UInt8>) -> Int {
        if marks.isEmpty { return offset }
        let mark = offset / Self.stride
        let markStart = mark * Self.stride
        return marks[mark] + Self.units(text.baseAddress! + markStart, offset - markStart, unit)
    }

    /// The units of `unit` of the scalars whose UTF-8 sequences start in `bytes[0..<count]`.
    @inline(__always) private static func units(_ bytes: UnsafePointer<UInt8>, _ count: Int, _ unit: OffsetUnit) -> Int {
        unit == .utf16 ? cbs_utf8_utf16_count(bytes, count) : cbs_utf8_scalar_count(bytes, count)
    }
}

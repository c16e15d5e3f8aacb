/// What holds at a match's start position: every condition of the term (see `PatternPlan.starts`).
struct StartTerm: Sendable {
    /// The position is the text's start.
    var textStart = false
    /// The position is the text's start or follows a line break.
    var lineStart = false
    /// The byte before the position is in this set.
    var previous: ByteSet?
    /// The byte at the position is in this set.
    var first: ByteSet?

    func and(_ other: StartTerm) -> StartTerm {
        StartTerm(textStart: textStart || other.textStart, lineStart: lineStart || other.lineStart,
                  previous: Self.meet(previous, other.previous), first: Self.meet(first, other.first))
    }

    private static func meet(_ a: ByteSet?, _ b: ByteSet?) -> ByteSet? {
        guard let a else { return b }
        guard let b else { return a }
        return a.intersection(b)
    }

    /// `PatternPlan.lineBreakBytes` as a switch (no global to initialise-check on every call).
    @inline(__always) static func isLineBreak(_ byte: UInt8) -> Bool {
        switch byte {
        case 0x0A, 0x0B, 0x0C, 0x0D, 0x85, 0xA8, 0xA9: true
        default: false
        }
    }

    @inline(__always) func holds(in text: UnsafePointer<UInt8>, count: Int, at s: Int) -> Bool {
        if textStart && s != 0 { return false }
        if lineStart && s != 0 && !Self.isLineBreak(text[s - 1]) { return false }
        if let previous, s == 0 || !previous.contains(text[s - 1]) { return false }
        if let first, s >= count || !first.contains(text[s]) { return false }
        return true
    }
}

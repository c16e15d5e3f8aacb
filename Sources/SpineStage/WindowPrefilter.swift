import ClinPipeText

/// A cheap necessary condition for a window pattern to match, checked before PCRE2 is asked: the leading bytes of a
/// `^`-anchored pattern (`LeadingByteFilter`) or the needles every match contains (`NeedleFilter`). Patterns that
/// neither reads always run. Offsets are UTF-8 byte offsets into the window's text.
struct WindowPrefilter: Sendable {
    let leading: LeadingByteFilter?
    let needles: NeedleFilter?

    /// The leading bytes when they rule out most windows, else the needles (asking both would cost more than it saves:
    /// a window that passes the leading test is mostly one where the pattern does match).
    init(_ pattern: PCRE2Pattern) {
        let leading = LeadingByteFilter(pattern: pattern)
        if let leading, leading.asciiStartCount <= 80 {
            self.leading = leading
            needles = nil
        } else {
            self.leading = nil
            needles = NeedleFilter(pattern: pattern)
        }
    }

    /// Whether the filter reads the pattern at all (for tests).
    var filters: Bool { leading != nil || needles != nil }

    /// False when the pattern cannot match in `range` of `bytes`; true when it may.
    @inline(__always)
    func mayMatch(_ bytes: UnsafeBufferPointer<UInt8>, in range: Range<Int>) -> Bool {
        if let leading, !leading.mayMatch(bytes, in: range) { return false }
        if let needles, !needles.mayMatch(bytes, in: range) { return false }
        return true
    }
}

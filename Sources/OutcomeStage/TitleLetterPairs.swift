/// A pre-test for the shipped `title` row of `Rules/citations.tsv`: each of its alternatives names a guideline
/// document with a word that holds `ic` or `ur` (Chronic, Acupuncture, Post-surgical, Medical, Official, Practice,
/// American), so an ASCII part without either pair, in any case, has no title and the pattern need not run. Text that is not ASCII is always searched (PCRE2 matches some letters caselessly with non-ASCII ones).
///
/// Used only while the row's pattern is exactly `shippedPattern`; the tests check the pairs against every title the
/// pattern finds.
enum TitleLetterPairs {
    /// The `title` row's pattern as shipped.
    static let shippedPattern = #"(?<title>(?:Chronic\s+Pain(?:\s+Medical)?\s+Treatment(?:\s+Guidelines?)?|Acupuncture\s+Medical\s+Treatment(?:\s+Guidelines?)?|Post-?surgical\s+(?:Treatment\s+)?Guidelines?|Medical\s+Treatment\s+Utilization\s+Schedule|Official\s+Disability\s+Guidelines|(?:ACOEM\s+)?(?:Occupational\s+Medicine\s+)?Practice\s+Guidelines?|American\s+College\s+of\s+Occupational\s+and\s+Environmental\s+Medicine)(?:[,\s]+(?:\d{4}|2nd\s+Edition|3rd\s+Edition))*)"#

    /// `ic` and `ur`, either letter in either case.
    private static let pairs = BytePairSet([(UInt8(ascii: "i"), 0x20, UInt8(ascii: "c"), 0x20), (UInt8(ascii: "u"), 0x20, UInt8(ascii: "r"), 0x20)])

    /// Whether the shipped title pattern may match `bytes` (UTF-8), of which `isASCII` tells whether all bytes are
    /// ASCII: false only for ASCII text without `ic` or `ur` in any case.
    static func mayHoldTitle(_ bytes: UnsafeBufferPointer<UInt8>, isASCII: Bool) -> Bool {
        guard isASCII else { return true }
        var found = false
        pairs.forEachCandidate(in: bytes, from: 0) { _ in
            found = true
            return bytes.count
        }
        return found
    }
}

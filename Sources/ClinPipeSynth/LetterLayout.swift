import ClinPipeCore

/// Lays out a letter's blocks the way PDF text extraction leaves IMR letters, and maps every key span into the
/// final text.
///
/// - Paragraphs are hard-wrapped at `width` columns (counted in UTF-8 bytes, which for these letters are almost
///   all ASCII): a line ends with the space at which it broke (the trailing space extraction leaves), then a
///   newline. A long hyphenated token (`10-30-2016`, `non-certification`) may break after a hyphen.
/// - 2014-15 template (`doubled`): every line is followed by a blank line.
/// - Paragraph separators are a line holding one space; a heading line is followed by a space.
/// - Occasionally a page break leaves an empty line in the middle of a paragraph.
///
/// Wrapping only inserts newlines between characters, so a span maps to the final text by counting the bytes
/// inserted before its ends: a span that crosses a line break includes the break.
struct LetterLayout {
    enum Block {
        /// A paragraph (or heading, or one-line field) to wrap. `trailingSpace`: the last line ends with a space.
        case paragraph(Fragment, leadingSpace: Bool, trailingSpace: Bool)
        /// A line holding one space.
        case separator
        /// An empty line.
        case emptyLine
    }

    let width: Int
    let doubled: Bool
    /// Probability that a line break inside a paragraph is followed by an empty line (a page break).
    let pageBreakRate: Double
    /// Probability that a long hyphenated token breaks after a hyphen instead of before the token.
    let hyphenBreakRate: Double

    /// The laid-out letter: its bytes, the key spans in final UTF-8 offsets, and for each block the final range
    /// of its content (without the trailing space and newlines; empty for separators).
    struct Result {
        var bytes: [UInt8] = []
        var spans: [KeySpan] = []
        var blockRanges: [Range<Int>] = []
    }

    func layout(_ blocks: [Block], random: inout SplitMix64) -> Result {
        var result = Result()
        result.bytes.reserveCapacity(blocks.count * 160)
        func endLine(_ out: inout [UInt8]) {
            out.append(0x0A)
            if doubled { out.append(0x0A) }
        }
        for block in blocks {
            switch block {
            case .separator:
                let start = result.bytes.count
                result.bytes.append(0x20)
                endLine(&result.bytes)
                result.blockRanges.append(start..<start)
            case .emptyLine:
                let start = result.bytes.count
                result.bytes.append(0x0A)
                result.blockRanges.append(start..<start)
            case .paragraph(let fragment, let leadingSpace, let trailingSpace):
                if leadingSpace { result.bytes.append(0x20) }
                let base = result.bytes.count
                let (wrapped, insertions) = wrap(fragment.bytes, random: &random)
                result.bytes.append(contentsOf: wrapped)
                let contentEnd = result.bytes.count
                if trailingSpace { result.bytes.append(0x20) }
                endLine(&result.bytes)
                result.blockRanges.append(base..<contentEnd)
                for span in fragment.spans {
                    var mapped = span
                    mapped.range = (base + Self.map(span.range.lowerBound, insertions, inclusive: true))
                        ..< (base + Self.map(span.range.upperBound, insertions, inclusive: false))
                    result.spans.append(mapped)
                }
            }
        }
        return result
    }

    /// A position after insertions: `inclusive` counts insertions made at the position itself (for a span's
    /// begin, whose character follows the inserted bytes), otherwise only those before it (for a span's end).
    static func map(_ position: Int, _ insertions: [(at: Int, count: Int)], inclusive: Bool) -> Int {
        var shifted = position
        for insertion in insertions {
            if insertion.at < position || (inclusive && insertion.at == position) { shifted += insertion.count } else { break }
        }
        return shifted
    }

    /// Wraps one paragraph. Returns the wrapped bytes and the insertions (position in the unwrapped bytes,
    /// bytes inserted there), in increasing order.
    func wrap(_ bytes: [UInt8], random: inout SplitMix64) -> ([UInt8], [(at: Int, count: Int)]) {
        var insertions: [(at: Int, count: Int)] = []
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count + bytes.count / 40 + 4)
        var lineStart = 0
        while bytes.count - lineStart > width {
            // The last break opportunity within the width: after a space, or after a hyphen inside a long token.
            var spaceBreak = -1
            var hyphenBreak = -1
            var position = lineStart + 1
            let limit = min(bytes.count - 1, lineStart + width)
            while position <= limit {
                let previous = bytes[position - 1]
                if previous == 0x20 && bytes[position] != 0x20 { spaceBreak = position }
                if previous == UInt8(ascii: "-") && position >= 2 && isWordByte(bytes[position - 2])
                    && isWordByte(bytes[position]) && tokenLength(bytes, around: position) >= 9
                {
                    hyphenBreak = position
                }
                position += 1
            }
            var breakAt = spaceBreak
            if hyphenBreak > spaceBreak && random.chance(hyphenBreakRate) { breakAt = hyphenBreak }
            if breakAt <= lineStart {
                // One token longer than the line: break at the next space.
                var next = lineStart + width
                while next < bytes.count && !(bytes[next - 1] == 0x20 && bytes[next] != 0x20) { next += 1 }
                if next >= bytes.count { break }
                breakAt = next
            }
            out.append(contentsOf: bytes[lineStart..<breakAt])
            var inserted = 1
            out.append(0x0A)
            if doubled { out.append(0x0A); inserted += 1 }
            if random.chance(pageBreakRate) { out.append(0x0A); inserted += 1 }
            insertions.append((breakAt, inserted))
            lineStart = breakAt
        }
        out.append(contentsOf: bytes[lineStart...])
        return (out, insertions)
    }

    private func isWordByte(_ byte: UInt8) -> Bool {
        (byte >= 0x30 && byte <= 0x39) || (byte | 0x20 >= 0x61 && byte | 0x20 <= 0x7A)
    }

    /// Length of the space-delimited token containing `position`.
    private func tokenLength(_ bytes: [UInt8], around position: Int) -> Int {
        var start = position, end = position
        while start > 0 && bytes[start - 1] != 0x20 { start -= 1 }
        while end < bytes.count && bytes[end] != 0x20 { end += 1 }
        return end - start
    }
}

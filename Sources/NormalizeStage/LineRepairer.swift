import CByteScan
import ClinPipeCore
import ClinPipeText
#if canImport(Glibc)
import Glibc
#endif

/// Repairs the line structure that PDF text extraction leaves behind, writing the result through an `EditWriter`
/// so that every change is in the offset map:
///
/// - lines hard-wrapped mid-sentence are joined with one space, so a wrapped sentence becomes one line;
/// - blank lines that only double every line (one extractor's habit) or mark a page break are dropped;
/// - a paragraph break becomes one blank line (`\n\n`), any other kept line break one `\n`;
/// - trailing and leading spaces, form feeds and page-number lines next to page breaks are removed, and lines
///   that repeat as the first or last line of several pages (running headers and footers) too;
/// - a word hyphenated across lines is rejoined (`treat-\nment` → `treatment`; `self-\ncare` keeps its hyphen).
///
/// Headings (all-capital lines), lines that the rules say start or end a line (field labels such as `Decision
/// rationale:`, list items, `<item>: Upheld`) and short lines followed by a capital keep their line breaks. An IMR
/// item line becomes one line of its own even when it has several sentences (the partial-authorization form, whose
/// sentences the `item_sentence` rules know) or when the outcome stands alone on the next line (`decision_tail`). Blank
/// lines with spaces in them are paragraph breaks when the text has any (the `pypdf` habit); otherwise empty lines
/// away from page breaks are (the `pdftotext` habit).
struct LineRepairer {
    let rules: LineRules
    let characters: CharacterCanonicalizer
    /// Skip the `item_sentence` and `decision_tail` rules on lines where no decision reads their answer (see
    /// `Features.itemSentence`, `Features.decisionTail`). Off only in tests, to compare with the plain path.
    var skipsUnreadRules = true
    /// Rule out line kinds by the line's first two and last two bytes before their filters (`LineRules.candidates`). Off
    /// only in tests, to compare with the plain path.
    var usesEdgeBytes = true
    /// Copy the content of lines that `split` found plain (`Line.plain`) without asking `CharacterCanonicalizer`. Off
    /// only in tests, to compare with the plain path.
    var copiesPlainLines = true

    /// One physical line of the source.
    struct Line {
        /// First and past-the-last byte of the content without surrounding whitespace.
        var contentStart: Int
        var contentEnd: Int
        /// The line's terminator contains a form feed.
        var pageBreakAfter = false
        /// The line is blank but contains whitespace characters.
        var whitespaceOnly = false
        /// Set when the line is a page artefact to drop.
        var artifact = false
        /// The content holds only bytes that `CharacterCanonicalizer` keeps as they are without looking further:
        /// printable ASCII (0x21...0x7F) and single spaces before it (`cbs_plain_prefix`). False says nothing.
        var plain = false
        var isBlank: Bool { contentStart == contentEnd }
        var length: Int { contentEnd - contentStart }
    }

    enum Joint { case space, none, noneDropHyphen, lineBreak, paragraph }

    func repair(_ bytes: UnsafeBufferPointer<UInt8>, into writer: inout EditWriter) throws {
        var lines = split(bytes)
        try markArtifacts(&lines, bytes)
        // The content lines' indices, lengths and features, in arrays sized once (no growth).
        var content: [Int] = []
        content.reserveCapacity(lines.count)
        var pypdfStyle = false
        for index in lines.indices {
            let line = lines[index]
            if !line.isBlank && !line.artifact { content.append(index) }
            if line.whitespaceOnly { pypdfStyle = true }
        }
        guard let first = content.first else {
            writer.remove(upTo: bytes.count)
            return
        }
        var lengths: [Int] = []
        lengths.reserveCapacity(content.count)
        var lineFeatures: [Features] = []
        lineFeatures.reserveCapacity(content.count)
        for index in content {
            lengths.append(lines[index].length)
            let afterColon = lineFeatures.last?.endsWithColon ?? false
            lineFeatures.append(try features(of: lines[index], afterColon: afterColon, bytes))
        }
        let width = wrapWidth(lengths)
        // ahead[k]: the lines from k on form (the rest of) an IMR item line.
        let ahead = decisionsAhead(lineFeatures)

        writer.remove(upTo: lines[first].contentStart)
        for (k, index) in content.enumerated() {
            let line = lines[index]
            var joint: Joint?
            if k + 1 < content.count {
                let next = content[k + 1]
                var strong = false, pageBreak = line.pageBreakAfter
                for between in (index + 1)..<next {
                    let separator = lines[between]
                    if separator.pageBreakAfter { pageBreak = true }
                    if pypdfStyle ? separator.whitespaceOnly : (separator.isBlank && !separator.artifact) { strong = true }
                }
                if pageBreak && !pypdfStyle { strong = false }
                joint = decide(lineFeatures[k], lineFeatures[k + 1], lineLength: line.length, width: width, strong: strong,
                               inItemLine: ahead[k], decisionAhead: ahead[k + 1], bytes)
            }
            let dropHyphen = joint == .noneDropHyphen
            let contentEnd = dropHyphen ? line.contentEnd - 1 : line.contentEnd
            // A plain line is copied as it is: `write` would find nothing to change in it (nor in a prefix of it).
            if line.plain && copiesPlainLines {
                writer.copy(upTo: contentEnd, from: bytes)
            } else {
                characters.write(bytes, from: line.contentStart, to: contentEnd, into: &writer)
            }
            guard let joint else { continue }
            let nextStart = lines[content[k + 1]].contentStart
            switch joint {
            case .space: writer.replace(upTo: nextStart, with: UInt8(ascii: " "), from: bytes)
            case .none, .noneDropHyphen: writer.remove(upTo: nextStart)
            case .lineBreak: writer.replace(upTo: nextStart, with: UInt8(ascii: "\n"), from: bytes)
            case .paragraph: writer.replace(upTo: nextStart, with: UInt8(ascii: "\n"), UInt8(ascii: "\n"), from: bytes)
            }
        }
        writer.remove(upTo: bytes.count)
    }

    // MARK: - Lines

    func split(_ bytes: UnsafeBufferPointer<UInt8>) -> [Line] {
        var lines: [Line] = []
        // Room for lines of 16 bytes on average (generated letters have many short and blank lines): rarely grows.
        lines.reserveCapacity(bytes.count / 16 + 4)
        var start = 0
        var i = 0
        let count = bytes.count
        // The first byte at or after `start` that is not plain (as `cbs_plain_prefix` reads it), or `count`.
        var firstNotPlain = -1
        while i <= count {
            // Skip to the next line terminator (or the end), sixteen bytes at a time: first over the plain bytes, then
            // to the first byte below 0x0E (a terminator is not plain, so it is never skipped over). In most lines the
            // first byte that is not plain is the terminator or a space before it.
            if let base = bytes.baseAddress, i < count {
                if firstNotPlain < 0 {
                    i += cbs_plain_prefix(base + i, count - i)
                    firstNotPlain = i
                }
                if i < count && bytes[i] >= 0x0E { i += cbs_next_below_0e(base + i, count - i) }
            }
            let byte: UInt8 = i < count ? bytes[i] : 0x0A
            guard byte == 0x0A || byte == 0x0D || byte == 0x0C else {
                i += 1
                continue
            }
            var line = trimmed(bytes, start, i)
            // Every content byte before the first byte that is not plain is plain, and so is the content read alone:
            // its last byte is no space, so each of its spaces is followed by the same byte as in the line.
            line.plain = firstNotPlain >= line.contentEnd
            firstNotPlain = -1
            var terminatorEnd = i + 1
            if byte == 0x0D, terminatorEnd < count, bytes[terminatorEnd] == 0x0A { terminatorEnd += 1 }
            line.pageBreakAfter = byte == 0x0C
            if i < count || start < count { lines.append(line) }
            start = terminatorEnd
            i = terminatorEnd
        }
        return lines
    }

    func trimmed(_ bytes: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int) -> Line {
        // Shortcut (most lines): ASCII spaces, tabs or vertical tabs, if any, around content that starts and ends with
        // printable ASCII (0x21...0x7F, that is `byte &- 0x21 < 0x5F`). Anything else takes the byte loop.
        func isASCIISpace(_ byte: UInt8) -> Bool { byte == 0x20 || byte == 0x09 || byte == 0x0B }
        var contentStart = start
        while contentStart < end, isASCIISpace(bytes[contentStart]) { contentStart += 1 }
        if contentStart < end, bytes[contentStart] &- 0x21 < 0x5F {
            // The walk back stops at `contentStart` at the latest: that byte is not a space.
            var contentEnd = end
            while isASCIISpace(bytes[contentEnd - 1]) { contentEnd -= 1 }
            if bytes[contentEnd - 1] &- 0x21 < 0x5F { return Line(contentStart: contentStart, contentEnd: contentEnd) }
        }
        // An empty line (most blank lines) has no content and no whitespace.
        if start == end { return Line(contentStart: start, contentEnd: end) }
        return trimmedByteByByte(bytes, start, end)
    }

    /// `trimmed` without its shortcut (for tests).
    func trimmedByteByByte(_ bytes: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int) -> Line {
        // ASCII first: a space, tab or vertical tab is whitespace, any other ASCII byte is not (`classify`).
        func isASCIISpace(_ byte: UInt8) -> Bool { byte == 0x20 || byte == 0x09 || byte == 0x0B }
        var contentStart = start
        while contentStart < end {
            let byte = bytes[contentStart]
            if isASCIISpace(byte) {
                contentStart += 1
                continue
            }
            if byte < 0x80 { break }
            let length = characters.whitespaceLength(bytes, contentStart, end)
            if length == 0 { break }
            contentStart += length
        }
        var contentEnd = end
        // Trailing whitespace: step back over ASCII spaces and multi-byte spaces.
        while contentEnd > contentStart {
            let byte = bytes[contentEnd - 1]
            if isASCIISpace(byte) {
                contentEnd -= 1
                continue
            }
            if byte < 0x80 { break }
            var characterStart = contentEnd - 1
            while characterStart > contentStart && bytes[characterStart] & 0xC0 == 0x80 { characterStart -= 1 }
            if characters.whitespaceLength(bytes, characterStart, end) == contentEnd - characterStart {
                contentEnd = characterStart
            } else {
                break
            }
        }
        var line = Line(contentStart: contentStart, contentEnd: contentEnd)
        line.whitespaceOnly = contentStart == contentEnd && end > start
        return line
    }

    /// Marks page-number lines next to page breaks, and lines repeated at the top or bottom of several pages.
    private func markArtifacts(_ lines: inout [Line], _ bytes: UnsafeBufferPointer<UInt8>) throws {
        let breaks = lines.indices.filter { lines[$0].pageBreakAfter }
        guard !breaks.isEmpty else { return }
        func neighbours(of breakIndex: Int) -> (before: Int?, after: Int?) {
            var before: Int?
            var i = breakIndex
            while i >= 0 { if !lines[i].isBlank { before = i; break }; i -= 1 }
            var after: Int?
            i = breakIndex + 1
            while i < lines.count { if !lines[i].isBlank { after = i; break }; i += 1 }
            return (before, after)
        }
        var neighbourList: [(before: Int?, after: Int?)] = []
        neighbourList.reserveCapacity(breaks.count + 2)
        // The start and the end of the text are page edges too. Consecutive page breaks (`\f\f`, an empty page)
        // share their neighbours: count each line once, so that a paragraph's last line before an empty page is
        // not taken for a repeated footer.
        let firstContent = lines.indices.first { !lines[$0].isBlank }
        let lastContent = lines.indices.last { !lines[$0].isBlank }
        neighbourList.append((nil, firstContent))
        for breakIndex in breaks { neighbourList.append(neighbours(of: breakIndex)) }
        neighbourList.append((lastContent, nil))
        // The lines counted as page headers (after a break) and footers (before one), as (hash of the text, line)
        // pairs sorted by hash; equal texts are found by comparing bytes among equal hashes. No copies of the lines'
        // bytes, no dictionaries.
        func textHash(_ index: Int) -> UInt64 {
            var hash: UInt64 = 0xCBF2_9CE4_8422_2325
            for byte in UnsafeBufferPointer(rebasing: bytes[lines[index].contentStart..<lines[index].contentEnd]) {
                hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01B3
            }
            return hash
        }
        func sameText(_ a: Int, _ b: Int) -> Bool {
            let first = lines[a], second = lines[b]
            guard first.length == second.length else { return false }
            guard let base = bytes.baseAddress, first.length > 0 else { return true }
            return memcmp(base + first.contentStart, base + second.contentStart, first.length) == 0
        }
        var headers: [(hash: UInt64, line: Int)] = [], footers: [(hash: UInt64, line: Int)] = []
        headers.reserveCapacity(neighbourList.count)
        footers.reserveCapacity(neighbourList.count)
        var counted = [UInt8](repeating: 0, count: lines.count)  // bit 0: as a header, bit 1: as a footer
        for (before, after) in neighbourList {
            for index in [before, after] {
                guard let index else { continue }
                let line = lines[index]
                if try LineRules.matches(rules.artifact, UnsafeBufferPointer(rebasing: bytes[line.contentStart..<line.contentEnd])) {
                    lines[index].artifact = true
                }
            }
            if let after, counted[after] & 1 == 0 {
                counted[after] |= 1
                headers.append((textHash(after), after))
            }
            if let before, counted[before] & 2 == 0 {
                counted[before] |= 2
                footers.append((textHash(before), before))
            }
        }
        // A running header or footer repeats on at least three pages (two breaks).
        guard breaks.count >= 2 else { return }
        headers.sort { $0.hash < $1.hash }
        footers.sort { $0.hash < $1.hash }
        /// How many of the counted lines in `table` (sorted by hash) have the text of line `index`.
        func count(_ index: Int, in table: [(hash: UInt64, line: Int)]) -> Int {
            let hash = textHash(index)
            var low = 0, high = table.count
            while low < high {
                let middle = (low + high) / 2
                if table[middle].hash < hash { low = middle + 1 } else { high = middle }
            }
            var count = 0
            while low < table.count, table[low].hash == hash {
                if sameText(table[low].line, index) { count += 1 }
                low += 1
            }
            return count
        }
        for (before, after) in neighbourList {
            if let after, lines[after].length <= 120, count(after, in: headers) >= 3 { lines[after].artifact = true }
            if let before, lines[before].length <= 120, count(before, in: footers) >= 3 { lines[before].artifact = true }
        }
    }

    // MARK: - Decisions

    struct Features {
        var heading = false
        var forcedStart = false
        var forcedEnd = false
        var decisionEnd = false
        /// Ends with a sentence that belongs to a multi-sentence item line (`... was the original request.`).
        /// Read only together with `terminal` (and `sentenceEnd`, which implies it): left false, unchecked, on a line
        /// that is not `terminal` when `skipsUnreadRules`.
        var itemSentence = false
        /// Is only an outcome (`Upheld`), completing the item line before it. Read only when the content line before
        /// ends with `:`: left false, unchecked, on other lines (and the first) when `skipsUnreadRules`.
        var decisionTail = false
        /// Ends with `:`.
        var endsWithColon = false
        /// Ends with `.`, `?`, `!`, `:` or `;` (optionally followed by a closing quote or parenthesis).
        var terminal = false
        /// Ends with `.`, `?` or `!` (a sentence end).
        var sentenceEnd = false
        /// Ends with a hyphen right after a letter: the letters before it (byte offsets of the text).
        var hyphenatedWord: Range<Int>?
        /// Ends with a hyphen right after a digit (a date or level cut at the line end: `10-30-`, `L4-`).
        var hyphenAfterDigit = false
        var startsDigit = false
        var startsUppercase = false
        var startsLowercase = false
        var startsUppercaseOrDigit = false
    }

    /// - Parameter afterColon: the content line before this one ends with `:` (false for the first).
    private func features(of line: Line, afterColon: Bool, _ bytes: UnsafeBufferPointer<UInt8>) throws -> Features {
        let content = UnsafeBufferPointer(rebasing: bytes[line.contentStart..<line.contentEnd])
        var f = Features()
        // Look-ups on the first two and the last two bytes rule out most kinds for most lines (see
        // `LineRules.candidates`); the rest go through their filters and patterns.
        let kinds = usesEdgeBytes ? rules.candidates(content) : 0xFF
        if kinds & LineRules.startBit != 0 { f.forcedStart = try LineRules.matches(rules.start, content) }
        if kinds & LineRules.endBit != 0 { f.forcedEnd = try LineRules.matches(rules.end, content) }
        if kinds & LineRules.decisionBit != 0 { f.decisionEnd = try LineRules.matches(rules.decision, content) }
        if kinds & LineRules.decisionTailBit != 0, afterColon || !skipsUnreadRules {
            f.decisionTail = try LineRules.matches(rules.decisionTail, content)
        }
        f.endsWithColon = content[content.count - 1] == 0x3A
        f.heading = isHeading(content)
        let first = content[0]
        f.startsLowercase = first >= 0x61 && first <= 0x7A
        f.startsUppercaseOrDigit = ByteClass.isUpper(first) || ByteClass.isDigit(first)
        f.startsDigit = ByteClass.isDigit(first)
        f.startsUppercase = ByteClass.isUpper(first)
        var last = content.count - 1
        if last > 0, content[last] == 0x22 || content[last] == 0x27 || content[last] == 0x29 { last -= 1 }
        let end = content[last]
        f.sentenceEnd = end == 0x2E || end == 0x3F || end == 0x21
        f.terminal = f.sentenceEnd || end == 0x3A || end == 0x3B
        if kinds & LineRules.itemSentenceBit != 0, f.terminal || !skipsUnreadRules {
            f.itemSentence = try LineRules.matches(rules.itemSentence, content)
        }
        if content.count >= 2, content[content.count - 1] == 0x2D {
            var start = content.count - 2
            while start >= 0, ByteClass.isWord(content[start]), content[start] < 0x80 { start -= 1 }
            let word = content[(start + 1)..<(content.count - 1)]
            if !word.isEmpty, word.allSatisfy({ !ByteClass.isDigit($0) }) {
                f.hyphenatedWord = (line.contentStart + start + 1)..<(line.contentStart + content.count - 1)
            }
            f.hyphenAfterDigit = ByteClass.isDigit(content[content.count - 2])
        }
        return f
    }

    /// An all-capital line with at least four letters and no lowercase ASCII letter (`CLINICAL CASE SUMMARY`,
    /// `HISTORY OF PRESENT ILLNESS:`).
    func isHeading(_ content: UnsafeBufferPointer<UInt8>) -> Bool {
        // The first two bytes are checked first, in one test: most lines start with something else, or with a capital
        // and a lowercase letter (which the scan would reject at once), and need no scan.
        let second = content.count >= 2 ? content[1] : 0x20
        guard content.count <= 120 && ByteClass.isUpper(content[0]) && !(second >= 0x61 && second <= 0x7A) else {
            return false
        }
        var letters = 0, others = 0
        for byte in content {
            if byte >= 0x61 && byte <= 0x7A { return false }
            if ByteClass.isUpper(byte) { letters += 1 } else if byte != 0x20 { others += 1 }
        }
        return letters >= 4 && letters >= others * 2
    }

    /// For each line k, whether the lines from `k` on form an IMR item line: they reach a decision end (or an outcome
    /// alone on the line after one ending with `:`) before any sentence ends, sentences of the partial-authorization
    /// form aside, within ten lines (a partial-authorization item line wraps over up to seven lines in `pdftotext`
    /// output).
    ///
    /// One backward pass: past line k, each line either settles the answer (yes at a decision end, no at a sentence
    /// end, a heading or a forced start) or passes it on, whatever k is; so the answer for k is line k's own verdict or
    /// that of the first settling line after it, when that is less than ten lines from k.
    func decisionsAhead(_ features: [Features]) -> [Bool] {
        let count = features.count
        var ahead = [Bool](repeating: false, count: count)
        // The first line at or after i + 1 that settles (as a line after the first), and its verdict.
        var settling = count, verdict = false
        var i = count - 1
        while i >= 0 {
            let f = features[i]
            if f.decisionEnd {
                ahead[i] = true
            } else if (f.sentenceEnd && !f.itemSentence) || f.heading {
                ahead[i] = false
            } else {
                ahead[i] = settling < i + 10 && verdict
            }
            // As a later line (for the lines before it).
            if f.decisionEnd || (f.decisionTail && i > 0 && features[i - 1].endsWithColon) {
                settling = i
                verdict = true
            } else if (f.sentenceEnd && !f.itemSentence) || f.heading || f.forcedStart {
                settling = i
                verdict = false
            }
            i -= 1
        }
        return ahead
    }

    /// - Parameters:
    ///   - inItemLine: line `a` is part of an IMR item line (the lines from `a` on reach its decision).
    ///   - decisionAhead: the lines from `b` on reach an item's decision.
    private func decide(_ a: Features, _ b: Features, lineLength: Int, width: Int, strong: Bool, inItemLine: Bool,
                        decisionAhead: Bool, _ bytes: UnsafeBufferPointer<UInt8>) -> Joint
    {
        if a.heading || b.heading { return .paragraph }
        // A date or level cut after its hyphen (`On (11-28-` / `16) the ...`) goes on, even where the next line
        // looks like a numbered list item.
        if a.hyphenAfterDigit && b.startsDigit { return .none }
        // An item line that follows is set apart as a paragraph, as the letters print it.
        if b.forcedStart || a.forcedEnd { return strong || (a.terminal && decisionAhead) ? .paragraph : .lineBreak }
        if b.decisionTail && a.endsWithColon && inItemLine { return .space }
        // An item line wrapped after a colon (`..., DOS:` / `11/11/2016: Upheld`) goes on: only a sentence end
        // before an item line sets the item apart.
        if inItemLine && decisionAhead && !a.sentenceEnd { return .space }
        if a.terminal && decisionAhead { return a.itemSentence && inItemLine ? .space : .paragraph }
        if let word = a.hyphenatedWord, b.startsLowercase {
            return rules.keptHyphenPrefixes.contains(word.map { ByteClass.lower(bytes[$0]) }) ? .none : .noneDropHyphen
        }
        // A compound name broken after its hyphen (`Depo-` / `Medrol`) keeps the hyphen and loses the break.
        if a.hyphenatedWord != nil && b.startsUppercase && !strong { return .none }
        if strong {
            return (b.startsLowercase && !a.sentenceEnd) ? .space : .paragraph
        }
        let short = width >= 40 && lineLength * 10 < width * 6
        if short && b.startsUppercaseOrDigit { return .lineBreak }
        return .space
    }

    /// The typical full line length: the 90th percentile of line lengths (bytes), that is the element at
    /// `count * 9 / 10` of the sorted lengths. Counted, not sorted: lengths up to `countedLengths` go into a
    /// histogram, longer ones (rare) are sorted.
    func wrapWidth(_ lengths: [Int]) -> Int {
        guard !lengths.isEmpty else { return 0 }
        let rank = min(lengths.count - 1, lengths.count * 9 / 10)
        let countedLengths = 255
        return withUnsafeTemporaryAllocation(of: Int.self, capacity: countedLengths + 1) { histogram in
            histogram.initialize(repeating: 0)
            var longer: [Int] = []
            for length in lengths {
                if length <= countedLengths { histogram[length] += 1 } else { longer.append(length) }
            }
            var below = 0
            for length in 0...countedLengths {
                below += histogram[length]
                if below > rank { return length }
            }
            longer.sort()
            return longer[rank - below]
        }
    }
}

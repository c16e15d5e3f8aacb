import ClinPipeText

/// The `text` rows of the shipped `date_patterns.tsv`, matched by byte code instead of the PCRE2 alternation: the same
/// matches, with the same rows and fields, as `PCRE2Pattern.forEachMatch` of that alternation over a subject
/// `bytes[0..<end]` searched from `start` (lookbehinds see the bytes before `start`; nothing at or after `end` is
/// seen).
///
/// Used only while the set's `text` rows are exactly the shipped ones, in the shipped order and with the shipped
/// flags (`init?(rows:)`), and only when the byte code agrees with PCRE2 on probe texts at construction
/// (`DatePatternSet` checks that). Added or edited rows go through PCRE2 as before. `BuiltInDateRowsTests` compares
/// the two on generated texts.
///
/// How the patterns are read (offsets are UTF-8 bytes; every class in them is ASCII, so a byte of a multi-byte
/// character is in none of them, and without PCRE2_UCP `\d`, `\s` and `\w` are ASCII: `\s` is space, tab, LF, VT,
/// FF, CR; `\w` is letters, digits and `_`):
/// - Rows 0, 1, 3, 5 and 6 start at a digit that follows no digit, rows 2 and 4 at a capital letter that follows no
///   letter; at one start the earlier row wins, and the search takes the leftmost start.
/// - Each quantified piece is followed by something it cannot match (a digit run by a separator or a non-digit, a
///   whitespace run by a digit or a letter, a month name by a word boundary), so PCRE2's backtracking can never
///   find a second way to match: every field is the maximal run at its place, and a row either matches that way
///   or not at all. A month name is a whole word (`\b` after it, and every name is letters only).
/// - One piece is caseless: the units after a cued year (`2014 mg`). In UTF mode a caseless `k` or `s` also
///   matches U+212A or U+017F, so when a non-ASCII byte stands where a unit could be, the search says
///   `.undecided` and the caller searches that subject with PCRE2.
struct BuiltInDateRows: Sendable {
    /// The shipped `text` rows: id, caseless (`flags` = `i`), pattern, as `date_patterns.tsv` has them.
    static let shippedRows: [(id: String, caseless: Bool, pattern: String)] = [
        ("iso", false, #"(?<![\d/.A-Z])(?<!\b[a-z])(?<year>(?:19|20)\d\d)(?<sep>[-/])(?<month>\d{1,2})\k<sep>(?<day>\d{1,2})(?![\d/]|\.\d|-\d)"#),
        ("numeric_mdy", false, #"(?<![\d/.A-Z])(?<!\b[a-z])(?<month>\d{1,2})(?<sep>[-/]|–)(?:[ \t]*\r?\n\s*)?(?<day>\d{1,2})\k<sep>(?:[ \t]*\r?\n\s*|\x20(?=\d{4}(?!\d)))?(?<year>\d{4}|\d{2})(?![\d/]|\.\d|-(?>\d+)(?![/-]\d))"#),
        ("month_day_year", false, #"(?<![A-Za-z])(?<month_name>J(?:an(?:uary)?|une?|uly?|AN(?:UARY)?|UNE?|ULY?)|F(?:eb(?:ruary)?|EB(?:RUARY)?)|M(?:a(?:r(?:ch)?|y)|A(?:R(?:CH)?|Y))|A(?:pr(?:il)?|ug(?:ust)?|PR(?:IL)?|UG(?:UST)?)|S(?:ept?(?:ember)?|EPT?(?:EMBER)?)|O(?:ct(?:ober)?|CT(?:OBER)?)|N(?:ov(?:ember)?|OV(?:EMBER)?)|D(?:ec(?:ember)?|EC(?:EMBER)?))\b\.?\s*(?<day>\d{1,2})(?:st|nd|rd|th)?\b,?\s*(?<year>(?:19|20)\d\d)(?![\d/]|\.\d|-\d)"#),
        ("day_month_year", false, #"(?<![\d/.A-Za-z])(?<day>\d{1,2})(?:st|nd|rd|th)?(?:\s+of)?\s*(?<month_name>J(?:an(?:uary)?|une?|uly?|AN(?:UARY)?|UNE?|ULY?)|F(?:eb(?:ruary)?|EB(?:RUARY)?)|M(?:a(?:r(?:ch)?|y)|A(?:R(?:CH)?|Y))|A(?:pr(?:il)?|ug(?:ust)?|PR(?:IL)?|UG(?:UST)?)|S(?:ept?(?:ember)?|EPT?(?:EMBER)?)|O(?:ct(?:ober)?|CT(?:OBER)?)|N(?:ov(?:ember)?|OV(?:EMBER)?)|D(?:ec(?:ember)?|EC(?:EMBER)?))\b\.?,?[ \t]*\r?\n?\s*(?<year>(?:19|20)\d\d)(?![\d/]|\.\d|-\d)"#),
        ("month_year", false, #"(?<![A-Za-z])(?<month_name>J(?:an(?:uary)?|une?|uly?|AN(?:UARY)?|UNE?|ULY?)|F(?:eb(?:ruary)?|EB(?:RUARY)?)|M(?:a(?:r(?:ch)?|y)|A(?:R(?:CH)?|Y))|A(?:pr(?:il)?|ug(?:ust)?|PR(?:IL)?|UG(?:UST)?)|S(?:ept?(?:ember)?|EPT?(?:EMBER)?)|O(?:ct(?:ober)?|CT(?:OBER)?)|N(?:ov(?:ember)?|OV(?:EMBER)?)|D(?:ec(?:ember)?|EC(?:EMBER)?))\b\.?,?\s+(?:of\s+)?(?<year>(?:19|20)\d\d)(?![\d/]|\.\d|-\d)"#),
        ("numeric_month_year", false, #"(?<![\d/.A-Z-])(?<!\b[a-z])(?<month>0?[1-9]|1[0-2])/(?<year>(?:19|20)\d\d)(?![\d/]|\.\d|-\d)"#),
        ("cued_year", true, #"(?<![\d/.$#-])(?<year>(?:19|20)\d\d)\b(?![/.-]\d|\s*(?:%|mg\b|mcg\b|g\b|gm\b|ml\b|cc\b|units?\b|iu\b|mm\b|cm\b|kg\b|lbs?\b|calories\b|kcal\b|steps\b|feet\b|ft\b|miles\b|patients\b|subjects\b|people\b|cases\b|dollars\b|hours\b|visits\b|sessions\b))"#),
    ]

    /// The words the shipped month-name alternation matches (it is case-sensitive: Capitalized or CAPITALS), lower-cased.
    static let monthNames = ["jan", "january", "jun", "june", "jul", "july", "feb", "february", "mar", "march", "may",
                             "apr", "april", "aug", "august", "sep", "sept", "sepember", "september", "oct", "october",
                             "nov", "november", "dec", "december"]

    /// The words of the cued year's unit alternation (caseless, each followed by `\b`).
    static let unitWords = ["mg", "mcg", "g", "gm", "ml", "cc", "unit", "units", "iu", "mm", "cm", "kg", "lb", "lbs",
                            "calories", "kcal", "steps", "feet", "ft", "miles", "patients", "subjects", "people",
                            "cases", "dollars", "hours", "visits", "sessions"]

    /// Texts on which `DatePatternSet` compares the byte code with PCRE2 before using it: every row, line breaks and
    /// spaces other than LF and space (CR, CRLF, VT, FF, NEL, LS, no-break space), en dashes, ordinals, units in
    /// other cases, and the edges of each row's lookarounds.
    static let probeTexts = [
        "DOS 2014-08-18, 2014/8/1x 2014-08-180 a2014-1-1 ab2014-1-1 X2014-1-1 11/27/1986 8-18-11 9\u{2013}16\u{2013}15 "
            + "09-16-\n\n2015 09-16- 2015 09-16-\r\n 2015 1/2/\u{0B}2015 1/2/\u{0C}15 1/2/\r2015 1/2/\u{85}2015 "
            + "1/2/2015-3 1/2/2015-3/4 1/2/15.5 1/2/\u{A0}2015 3/4/15x",
        "August 18, 2011 Aug. 18th 2011 Aug 18th, 2011 Aug\u{0B}18\u{0C}2011 Augx 18, 2011 MAY 1 2015 May 1st2015 "
            + "JANuary 5, 2015 Sept 5, 2015 SEPTEMBER 2015 Sepember 2014 Mar.,\n2014 June of 2012 June of2012 "
            + "xJune 2012 5June 2012 Dec 2014.5 Nov 1, 2014/5 Jan\u{85}5, 2015 Jan\u{2028}2015",
        "18 August 2011 5th of March, 2015 5 of March 2015 5 ofMarch 2015 21st\u{85}May 2014 3rd MAY.\r\n2014 "
            + "x5 May 2014 é5 May 2014 4/2015 12/2015 13/2015 04/2015 -4/2015 a4/2015 in 2014 2014 mg 2014 MG "
            + "2014 Kcal 2014 kcals 2014 units 2014 unit2 2014% 2014\u{A0}mg 2014 \u{2028}mg #2014 $2014 2014_",
    ]

    /// One match: the row (index into `shippedRows`), the whole match and the fields that took part (UTF-8 offsets).
    struct Match: Equatable {
        var row: Int
        var range: Range<Int>
        var year: Range<Int>
        var month: Range<Int>?
        var monthName: Range<Int>?
        var day: Range<Int>?
    }

    /// The first match, none, or a subject the byte code does not decide (see the type's comment).
    enum Search: Equatable {
        case match(Match)
        case none
        case undecided
    }

    /// Nil unless `rows` (pattern and caseless flag of each `text` row, in order) are exactly `shippedRows`.
    init?(rows: [(pattern: String, caseless: Bool)]) {
        guard rows.count == Self.shippedRows.count,
              zip(rows, Self.shippedRows).allSatisfy({ $0.pattern == $1.pattern && $0.caseless == $1.caseless })
        else { return nil }
    }

    /// A word's first (at most) 8 bytes, ASCII lower-cased (`| 0x20`, which leaves digits alone and turns `_` into
    /// DEL), first byte lowest, with the length in the top byte when it is below 8: the keys of `isMonthName` and
    /// `isUnitWord`.
    static func packedLowercaseKey(_ base: UnsafePointer<UInt8>, _ start: Int, _ length: Int) -> UInt64 {
        var key: UInt64 = 0
        for index in 0..<min(length, 8) { key |= UInt64(base[start + index] | 0x20) << UInt64(8 * index) }
        return length < 8 ? key | UInt64(length) << 56 : key
    }

    // MARK: - Byte classes (PCRE2's, not ClinPipeText's: non-ASCII bytes are in none of them)

    @inline(__always) private static func isDigit(_ byte: UInt8) -> Bool { byte &- 0x30 < 10 }
    @inline(__always) private static func isLetter(_ byte: UInt8) -> Bool { (byte | 0x20) &- 0x61 < 26 }
    /// `\w` without PCRE2_UCP.
    @inline(__always) private static func isWord(_ byte: UInt8) -> Bool {
        isDigit(byte) || isLetter(byte) || byte == UInt8(ascii: "_")
    }
    /// `\s` without PCRE2_UCP: space, tab, LF, VT, FF, CR.
    @inline(__always) private static func isSpace(_ byte: UInt8) -> Bool { byte == 0x20 || byte &- 0x09 < 5 }

    /// The first match in `bytes[0..<end]` starting at or after `start`, as `PCRE2Pattern.forEachMatch` of the shipped
    /// alternation finds it (`end` at most `bytes.count`, `start` at most `end`).
    func firstMatch(in bytes: UnsafeBufferPointer<UInt8>, end: Int, from start: Int) -> Search {
        guard let base = bytes.baseAddress, start < end else { return .none }
        let scan = Scan(base: base, end: end)
        var position = start
        while position < end {
            // Skip to a digit or a month's first letter: no row starts anywhere else.
            while !Self.mayStartMatch(base[position]) {
                position += 1
                if position == end { return .none }
            }
            let byte = base[position]
            if Self.isDigit(byte) {
                // Every digit row starts a digit run (a digit before it rules out every row).
                let runEnd = scan.digitRunEnd(position)
                if position == 0 || !Self.isDigit(base[position - 1]) {
                    switch scan.digitRows(at: position, runEnd: runEnd) {
                    case .match(let match): return .match(match)
                    case .undecided: return .undecided
                    case .none: break
                    }
                }
                position = runEnd
            } else {
                if position == 0 || !Self.isLetter(base[position - 1]), let match = scan.monthRows(at: position) {
                    return .match(match)
                }
                position += 1
            }
        }
        return .none
    }

    /// A digit or one of J F M A S O N D: a bit of a 128-bit mask, chosen without a branch (a `&&` here would be a
    /// branch on every byte, taken or not as letters and spaces come).
    @inline(__always) static func mayStartMatch(_ byte: UInt8) -> Bool {
        // Digits are bits 48-57 of the low word (bytes 0x00-0x3F), the capitals bits 1-19 of the high word (0x40-0x7F).
        let word: UInt64 = byte < 0x40 ? 0x03FF_0000_0000_0000 : byte < 0x80 ? 0x0000_0000_0008_E452 : 0
        return word >> UInt64(byte & 63) & 1 != 0
    }

    /// The first letters of the month names: J F M A S O N D.
    @inline(__always) static func monthStart(_ byte: UInt8) -> Bool {
        // Bits of "ADFJMNOS" - 0x40.
        let offset = byte &- 0x40
        return offset < 32 && (UInt32(1) << UInt32(offset)) & 0x0008_E452 != 0
    }

    /// Whether `byte` is the second letter of some month name (a c e o p u in either case), without a branch.
    @inline(__always) static func maySecondLetter(_ byte: UInt8) -> Bool {
        let offset = (byte | 0x20) &- 0x61
        let mask: UInt32 = offset < 26 ? 0x0010_C015 : 0
        return mask >> UInt32(offset & 31) & 1 != 0
    }

    /// Whether `base[start..<wordEnd]` is a shipped month name: Capitalized or in CAPITALS, and its lower case one of
    /// `monthNames` (the keys below are theirs, by `packedLowercaseKey`; a test checks them).
    static func isMonthName(_ base: UnsafePointer<UInt8>, _ start: Int, _ wordEnd: Int) -> Bool {
        let length = wordEnd - start
        guard length >= 3, length <= 9, base[start] &- 0x41 < 26 else { return false }
        let capitals = base[start + 1] &- 0x41 < 26
        for position in start + 1..<wordEnd where (base[position] &- 0x41 < 26) != capitals || !isLetter(base[position]) {
            return false
        }
        let key = packedLowercaseKey(base, start, length)
        if length == 9 { return key == 0x6562_6D65_7470_6573 && base[start + 8] | 0x20 == UInt8(ascii: "r") }
        switch key {
        case 0x0300_0000_006E_616A, 0x0779_7261_756E_616A, 0x0300_0000_006E_756A, 0x0400_0000_656E_756A,
             0x0300_0000_006C_756A, 0x0400_0000_796C_756A, 0x0300_0000_0062_6566, 0x7972_6175_7262_6566,
             0x0300_0000_0072_616D, 0x0500_0068_6372_616D, 0x0300_0000_0079_616D, 0x0300_0000_0072_7061,
             0x0500_006C_6972_7061, 0x0300_0000_0067_7561, 0x0600_7473_7567_7561, 0x0300_0000_0070_6573,
             0x0400_0000_7470_6573, 0x7265_626D_6570_6573, 0x0300_0000_0074_636F, 0x0772_6562_6F74_636F,
             0x0300_0000_0076_6F6E, 0x7265_626D_6576_6F6E, 0x0300_0000_0063_6564, 0x7265_626D_6563_6564:
            return true
        default:
            return false
        }
    }

    /// Whether `base[start..<wordEnd]` (ASCII: the caller has checked) is one of `unitWords` in any case (the keys
    /// below are theirs, by `packedLowercaseKey`; a test checks them).
    static func isUnitWord(_ base: UnsafePointer<UInt8>, _ start: Int, _ wordEnd: Int) -> Bool {
        let length = wordEnd - start
        guard length >= 1, length <= 8 else { return false }
        switch packedLowercaseKey(base, start, length) {
        case 0x0200_0000_0000_676D, 0x0300_0000_0067_636D, 0x0100_0000_0000_0067, 0x0200_0000_0000_6D67,
             0x0200_0000_0000_6C6D, 0x0200_0000_0000_6363, 0x0400_0000_7469_6E75, 0x0500_0073_7469_6E75,
             0x0200_0000_0000_7569, 0x0200_0000_0000_6D6D, 0x0200_0000_0000_6D63, 0x0200_0000_0000_676B,
             0x0200_0000_0000_626C, 0x0300_0000_0073_626C, 0x7365_6972_6F6C_6163, 0x0400_0000_6C61_636B,
             0x0500_0073_7065_7473, 0x0400_0000_7465_6566, 0x0200_0000_0000_7466, 0x0500_0073_656C_696D,
             0x7374_6E65_6974_6170, 0x7374_6365_6A62_7573, 0x0600_656C_706F_6570, 0x0500_0073_6573_6163,
             0x0773_7261_6C6C_6F64, 0x0500_0073_7275_6F68, 0x0600_7374_6973_6976, 0x736E_6F69_7373_6573:
            return true
        default:
            return false
        }
    }

    /// The row matchers over one subject `base[0..<end]`.
    private struct Scan {
        let base: UnsafePointer<UInt8>
        let end: Int

        @inline(__always) func byte(_ position: Int) -> UInt8? { position < end ? base[position] : nil }
        @inline(__always) func isByte(_ position: Int, _ value: UInt8) -> Bool { position < end && base[position] == value }
        @inline(__always) func isDigit(_ position: Int) -> Bool { position < end && BuiltInDateRows.isDigit(base[position]) }
        @inline(__always) func isSpace(_ position: Int) -> Bool { position < end && BuiltInDateRows.isSpace(base[position]) }
        @inline(__always) func isWord(_ position: Int) -> Bool { position < end && BuiltInDateRows.isWord(base[position]) }
        /// `\b` at `position`.
        @inline(__always) func isBoundary(_ position: Int) -> Bool {
            (position > 0 && BuiltInDateRows.isWord(base[position - 1])) != isWord(position)
        }
        @inline(__always) func digitRunEnd(_ position: Int) -> Int {
            var cursor = position
            while isDigit(cursor) { cursor += 1 }
            return cursor
        }
        @inline(__always) func spaceRunEnd(_ position: Int) -> Int {
            var cursor = position
            while isSpace(cursor) { cursor += 1 }
            return cursor
        }
        @inline(__always) func wordRunEnd(_ position: Int) -> Int {
            var cursor = position
            while isWord(cursor) { cursor += 1 }
            return cursor
        }
        /// `(?:19|20)\d\d` at `position`.
        @inline(__always) func isCenturyYear(_ position: Int) -> Bool {
            guard position + 4 <= end else { return false }
            let first = base[position], second = base[position + 1]
            return (first == UInt8(ascii: "1") && second == UInt8(ascii: "9")
                || first == UInt8(ascii: "2") && second == UInt8(ascii: "0"))
                && BuiltInDateRows.isDigit(base[position + 2]) && BuiltInDateRows.isDigit(base[position + 3])
        }
        /// `(?![\d/]|\.\d|-\d)` at `position`.
        @inline(__always) func endsDate(_ position: Int) -> Bool {
            guard let next = byte(position) else { return true }
            if BuiltInDateRows.isDigit(next) || next == UInt8(ascii: "/") { return false }
            if next == UInt8(ascii: ".") || next == UInt8(ascii: "-") { return !isDigit(position + 1) }
            return true
        }
        /// `(?![\d/]|\.\d|-(?>\d+)(?![/-]\d))` at `position` (`numeric_mdy`).
        func endsNumericDate(_ position: Int) -> Bool {
            guard let next = byte(position) else { return true }
            if BuiltInDateRows.isDigit(next) || next == UInt8(ascii: "/") { return false }
            if next == UInt8(ascii: "."), isDigit(position + 1) { return false }
            if next == UInt8(ascii: "-"), isDigit(position + 1) {
                let runEnd = digitRunEnd(position + 1)
                let followed = (isByte(runEnd, UInt8(ascii: "/")) || isByte(runEnd, UInt8(ascii: "-"))) && isDigit(runEnd + 1)
                return followed
            }
            return true
        }
        /// `(?<![\d/.A-Z])(?<!\b[a-z])` at `position` (`iso`, `numeric_mdy`; with `-` for `numeric_month_year`).
        @inline(__always) func numericStartAllowed(_ position: Int, dash: Bool) -> Bool {
            guard position > 0 else { return true }
            let previous = base[position - 1]
            if BuiltInDateRows.isDigit(previous) || previous == UInt8(ascii: "/") || previous == UInt8(ascii: ".")
                || previous &- 0x41 < 26 || dash && previous == UInt8(ascii: "-")
            {
                return false
            }
            if previous &- 0x61 < 26 {
                // \b before a lower-case letter: a word byte must stand before it.
                return position > 1 && BuiltInDateRows.isWord(base[position - 2])
            }
            return true
        }
        /// `[ \t]*\r?\n\s*` at `position`: its end, or nil.
        @inline(__always) func lineBreak(_ position: Int) -> Int? {
            var cursor = position
            while isByte(cursor, 0x20) || isByte(cursor, 0x09) { cursor += 1 }
            if isByte(cursor, 0x0D) { cursor += 1 }
            guard isByte(cursor, 0x0A) else { return nil }
            return spaceRunEnd(cursor + 1)
        }
        /// `(?:st|nd|rd|th)` at `position`.
        @inline(__always) func isOrdinalSuffix(_ position: Int) -> Bool {
            guard position + 2 <= end else { return false }
            switch (base[position], base[position + 1]) {
            case (UInt8(ascii: "s"), UInt8(ascii: "t")), (UInt8(ascii: "n"), UInt8(ascii: "d")),
                 (UInt8(ascii: "r"), UInt8(ascii: "d")), (UInt8(ascii: "t"), UInt8(ascii: "h")): return true
            default: return false
            }
        }
        /// The end of a shipped month name starting at `position`, or nil (`(?<month_name>…)\b`).
        @inline(__always) func monthNameEnd(_ position: Int) -> Int? {
            // Every name has three letters or more, and its second letter in any case is one of a c e o p u.
            guard position + 3 <= end, BuiltInDateRows.maySecondLetter(base[position + 1]) else { return nil }
            let wordEnd = wordRunEnd(position)
            return BuiltInDateRows.isMonthName(base, position, wordEnd) ? wordEnd : nil
        }

        /// Rows 0, 1, 3, 5, 6 at a digit that follows no digit, whose run ends at `runEnd`. Each row's first field
        /// fixes the run's length: four digits for `iso` and `cued_year` (a separator or `\b` follows the year), one
        /// or two for the others (a separator or a non-digit follows).
        @inline(__always)
        func digitRows(at position: Int, runEnd: Int) -> Search {
            switch runEnd - position {
            case 4:
                if let match = iso(position) { return .match(match) }
                return cuedYear(position)
            case 1, 2:
                if let match = numericMonthDayYear(position) ?? dayMonthYear(position) ?? numericMonthYear(position) {
                    return .match(match)
                }
                return .none
            default:
                return .none
            }
        }

        /// Rows 2 and 4 at a month's first letter that follows no letter.
        func monthRows(at position: Int) -> Match? {
            guard let nameEnd = monthNameEnd(position) else { return nil }
            return monthDayYear(position, nameEnd) ?? monthYear(position, nameEnd)
        }

        /// Row 0, `iso`: `2014-08-18`.
        func iso(_ start: Int) -> Match? {
            guard numericStartAllowed(start, dash: false), isCenturyYear(start), let separator = byte(start + 4),
                  separator == UInt8(ascii: "-") || separator == UInt8(ascii: "/")
            else { return nil }
            let monthStart = start + 5, monthEnd = digitRunEnd(monthStart)
            guard monthEnd > monthStart, monthEnd - monthStart <= 2, isByte(monthEnd, separator) else { return nil }
            let dayStart = monthEnd + 1, dayEnd = digitRunEnd(dayStart)
            guard dayEnd > dayStart, dayEnd - dayStart <= 2, endsDate(dayEnd) else { return nil }
            return Match(row: 0, range: start..<dayEnd, year: start..<start + 4, month: monthStart..<monthEnd,
                         day: dayStart..<dayEnd)
        }

        /// Row 1, `numeric_mdy`: `11/27/1986`, `8-18-11`, `09-16-⏎2015`.
        func numericMonthDayYear(_ start: Int) -> Match? {
            guard numericStartAllowed(start, dash: false) else { return nil }
            let monthEnd = digitRunEnd(start)
            guard monthEnd - start <= 2, let first = byte(monthEnd) else { return nil }
            let separatorLength: Int
            if first == UInt8(ascii: "-") || first == UInt8(ascii: "/") {
                separatorLength = 1
            } else if first == 0xE2, isByte(monthEnd + 1, 0x80), isByte(monthEnd + 2, 0x93) {
                separatorLength = 3
            } else {
                return nil
            }
            var dayStart = monthEnd + separatorLength
            if !isDigit(dayStart) {
                guard let afterBreak = lineBreak(dayStart) else { return nil }
                dayStart = afterBreak
            }
            let dayEnd = digitRunEnd(dayStart)
            guard dayEnd > dayStart, dayEnd - dayStart <= 2, dayEnd + separatorLength <= end else { return nil }
            for index in 0..<separatorLength where base[dayEnd + index] != base[monthEnd + index] { return nil }
            var yearStart = dayEnd + separatorLength
            if !isDigit(yearStart) {
                if let afterBreak = lineBreak(yearStart) {
                    yearStart = afterBreak
                } else if isByte(yearStart, 0x20), digitRunEnd(yearStart + 1) == yearStart + 5 {
                    yearStart += 1
                } else {
                    return nil
                }
            }
            let yearEnd = digitRunEnd(yearStart)
            guard yearEnd - yearStart == 4 || yearEnd - yearStart == 2, endsNumericDate(yearEnd) else { return nil }
            return Match(row: 1, range: start..<yearEnd, year: yearStart..<yearEnd, month: start..<monthEnd,
                         day: dayStart..<dayEnd)
        }

        /// Row 2, `month_day_year`: `August 18, 2011`, `Aug. 18th 2011`.
        func monthDayYear(_ start: Int, _ nameEnd: Int) -> Match? {
            var dayStart = nameEnd
            if isByte(dayStart, UInt8(ascii: ".")) { dayStart += 1 }
            dayStart = spaceRunEnd(dayStart)
            let dayEnd = digitRunEnd(dayStart)
            guard dayEnd > dayStart, dayEnd - dayStart <= 2 else { return nil }
            var cursor = dayEnd
            if isOrdinalSuffix(cursor) {
                cursor += 2
                guard !isWord(cursor) else { return nil }
            } else {
                guard !isWord(cursor) else { return nil }
            }
            if isByte(cursor, UInt8(ascii: ",")) { cursor += 1 }
            let yearStart = spaceRunEnd(cursor)
            guard isCenturyYear(yearStart), endsDate(yearStart + 4) else { return nil }
            return Match(row: 2, range: start..<yearStart + 4, year: yearStart..<yearStart + 4,
                         monthName: start..<nameEnd, day: dayStart..<dayEnd)
        }

        /// Row 3, `day_month_year`: `18 August 2011`, `5th of March, 2015`.
        func dayMonthYear(_ start: Int) -> Match? {
            if start > 0 {
                let previous = base[start - 1]
                if BuiltInDateRows.isDigit(previous) || previous == UInt8(ascii: "/") || previous == UInt8(ascii: ".")
                    || BuiltInDateRows.isLetter(previous)
                {
                    return nil
                }
            }
            let dayEnd = digitRunEnd(start)
            guard dayEnd - start <= 2 else { return nil }
            var cursor = dayEnd
            if isOrdinalSuffix(cursor) { cursor += 2 }
            let afterSpace = spaceRunEnd(cursor)
            if afterSpace > cursor, isByte(afterSpace, UInt8(ascii: "o")), isByte(afterSpace + 1, UInt8(ascii: "f")) {
                cursor = afterSpace + 2
            }
            let nameStart = spaceRunEnd(cursor)
            guard nameStart < end, BuiltInDateRows.monthStart(base[nameStart]), let nameEnd = monthNameEnd(nameStart) else {
                return nil
            }
            cursor = nameEnd
            if isByte(cursor, UInt8(ascii: ".")) { cursor += 1 }
            if isByte(cursor, UInt8(ascii: ",")) { cursor += 1 }
            let yearStart = spaceRunEnd(cursor)
            guard isCenturyYear(yearStart), endsDate(yearStart + 4) else { return nil }
            return Match(row: 3, range: start..<yearStart + 4, year: yearStart..<yearStart + 4,
                         monthName: nameStart..<nameEnd, day: start..<dayEnd)
        }

        /// Row 4, `month_year`: `December 2014`, `January of 1991`.
        func monthYear(_ start: Int, _ nameEnd: Int) -> Match? {
            var cursor = nameEnd
            if isByte(cursor, UInt8(ascii: ".")) { cursor += 1 }
            if isByte(cursor, UInt8(ascii: ",")) { cursor += 1 }
            let afterSpace = spaceRunEnd(cursor)
            guard afterSpace > cursor else { return nil }
            var yearStart = afterSpace
            if isByte(afterSpace, UInt8(ascii: "o")), isByte(afterSpace + 1, UInt8(ascii: "f")), isSpace(afterSpace + 2) {
                yearStart = spaceRunEnd(afterSpace + 2)
            }
            guard isCenturyYear(yearStart), endsDate(yearStart + 4) else { return nil }
            return Match(row: 4, range: start..<yearStart + 4, year: yearStart..<yearStart + 4,
                         monthName: start..<nameEnd)
        }

        /// Row 5, `numeric_month_year`: `11/2016`.
        func numericMonthYear(_ start: Int) -> Match? {
            guard numericStartAllowed(start, dash: true), let first = byte(start), let second = byte(start + 1) else {
                return nil
            }
            let monthEnd: Int
            if first &- 0x31 < 9, second == UInt8(ascii: "/") {
                monthEnd = start + 1
            } else if first == UInt8(ascii: "0") && second &- 0x31 < 9 || first == UInt8(ascii: "1") && second &- 0x30 < 3,
                      isByte(start + 2, UInt8(ascii: "/"))
            {
                monthEnd = start + 2
            } else {
                return nil
            }
            let yearStart = monthEnd + 1
            guard isCenturyYear(yearStart), endsDate(yearStart + 4) else { return nil }
            return Match(row: 5, range: start..<yearStart + 4, year: yearStart..<yearStart + 4, month: start..<monthEnd)
        }

        /// Row 6, `cued_year`: a four-digit year not followed by a unit (its cue is the caller's `before` check).
        func cuedYear(_ start: Int) -> Search {
            if start > 0 {
                let previous = base[start - 1]
                if BuiltInDateRows.isDigit(previous) || previous == UInt8(ascii: "/") || previous == UInt8(ascii: ".")
                    || previous == UInt8(ascii: "$") || previous == UInt8(ascii: "#") || previous == UInt8(ascii: "-")
                {
                    return .none
                }
            }
            let yearEnd = start + 4
            guard isCenturyYear(start), !isWord(yearEnd) else { return .none }
            if let next = byte(yearEnd), next == UInt8(ascii: "/") || next == UInt8(ascii: ".") || next == UInt8(ascii: "-"),
               isDigit(yearEnd + 1)
            {
                return .none
            }
            let unitStart = spaceRunEnd(yearEnd)
            if isByte(unitStart, UInt8(ascii: "%")) { return .none }
            for position in unitStart..<min(end, unitStart + 8) where base[position] >= 0x80 { return .undecided }
            if BuiltInDateRows.isUnitWord(base, unitStart, wordRunEnd(unitStart)) { return .none }
            return .match(Match(row: 6, range: start..<yearEnd, year: start..<yearEnd))
        }
    }
}

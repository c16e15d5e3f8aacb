/// A calendar date of day, month or year granularity in the proleptic Gregorian calendar.
///
/// Invariants: `month` is 1...12 when present, `day` is a real day of that month and year when present (leap years
/// included), and `day` is present only with `month`. The initializer refuses anything else, which is how the
/// `dates` stage rejects impossible dates such as `13/45/2014`, `2/30/2015` or `2/29/2015`.
public struct CalendarDate: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// How precisely a date is known.
    public enum Granularity: String, Sendable {
        case day, month, year
    }

    public let year: Int
    /// 1...12, or nil for a year.
    public let month: Int?
    /// 1...31 (within the month), or nil for a month or a year.
    public let day: Int?

    /// A valid date, or nil. `day` without `month` is invalid.
    public init?(year: Int, month: Int? = nil, day: Int? = nil) {
        if let month, !(1...12).contains(month) { return nil }
        if let day {
            guard let month, day >= 1, day <= Self.daysInMonth(month, year: year) else { return nil }
        }
        self.year = year
        self.month = month
        self.day = day
    }

    public var granularity: Granularity { day != nil ? .day : (month != nil ? .month : .year) }

    /// ISO 8601 at the date's granularity: `2011-08-18`, `2014-12`, `2014`.
    public var iso8601: String {
        // Written in place: this runs once per date found, and ten bytes at most make a small string (no heap).
        let fourDigits = (0...9999).contains(year)
        let yearText = fourDigits ? "" : String(year)
        let yearLength = fourDigits ? 4 : yearText.utf8.count
        let length = yearLength + (month == nil ? 0 : 3) + (day == nil ? 0 : 3)
        return String(unsafeUninitializedCapacity: length) { buffer in
            if fourDigits {
                Self.writeDigits(year, width: 4, to: buffer, at: 0)
            } else {
                _ = buffer.initialize(from: yearText.utf8)
            }
            var end = yearLength
            if let month {
                buffer[end] = UInt8(ascii: "-")
                Self.writeDigits(month, width: 2, to: buffer, at: end + 1)
                end += 3
            }
            if let day {
                buffer[end] = UInt8(ascii: "-")
                Self.writeDigits(day, width: 2, to: buffer, at: end + 1)
                end += 3
            }
            return end
        }
    }

    public var description: String { iso8601 }

    /// Days since 1970-01-01 of the first day the date covers (1 January for a year, the 1st for a month).
    public var firstDayNumber: Int { Self.dayNumber(year: year, month: month ?? 1, day: day ?? 1) }

    /// Days since 1970-01-01 of the last day the date covers (31 December for a year, the month's last day).
    public var lastDayNumber: Int {
        let lastMonth = month ?? 12
        return Self.dayNumber(year: year, month: lastMonth, day: day ?? Self.daysInMonth(lastMonth, year: year))
    }

    /// Orders by first day, then by granularity (a year before its January, a month before its first day).
    public static func < (lhs: CalendarDate, rhs: CalendarDate) -> Bool {
        if lhs.firstDayNumber != rhs.firstDayNumber { return lhs.firstDayNumber < rhs.firstDayNumber }
        return lhs.lastDayNumber > rhs.lastDayNumber
    }

    public static func isLeapYear(_ year: Int) -> Bool { (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 }

    /// Days in `month` (1...12) of `year`.
    public static func daysInMonth(_ month: Int, year: Int) -> Int {
        switch month {
        case 2: isLeapYear(year) ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }

    /// Days since 1970-01-01 (negative before), for a valid date (H. Hinnant's `days_from_civil`).
    public static func dayNumber(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    /// Parses a reference date given as a document attribute or in a configuration: ISO `2016-12-30`, `2016-12`,
    /// `2016`, or US `12/30/2016`, `12-30-2016` (four-digit years only, so nothing needs a pivot). Surrounding
    /// spaces and a time part after `T` or a space (`2016-12-30T10:00:00Z`) are ignored.
    public static func parse(_ string: String) -> CalendarDate? {
        var text = Substring(string)
        while text.first == " " { text = text.dropFirst() }
        while text.last == " " { text = text.dropLast() }
        if let cut = text.firstIndex(where: { $0 == "T" || $0 == " " }) { text = text[..<cut] }
        let separator: Character = text.contains("/") ? "/" : "-"
        let parts = text.split(separator: separator, omittingEmptySubsequences: false)
        guard !parts.isEmpty, parts.count <= 3, parts.allSatisfy({ !$0.isEmpty && $0.allSatisfy(\.isASCII) }),
              let numbers = Optional(parts.compactMap { Int($0) }), numbers.count == parts.count
        else { return nil }
        if parts[0].count == 4 {
            return CalendarDate(year: numbers[0], month: numbers.count > 1 ? numbers[1] : nil,
                                day: numbers.count > 2 ? numbers[2] : nil)
        }
        guard numbers.count == 3, parts[2].count == 4 else { return nil }
        return CalendarDate(year: numbers[2], month: numbers[0], day: numbers[1])
    }

    /// The date of a day number (inverse of `dayNumber`; H. Hinnant's `civil_from_days`).
    public static func fromDayNumber(_ number: Int) -> CalendarDate {
        let z = number + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let mp = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        let year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
        return CalendarDate(year: year, month: month, day: day)!
    }

    /// Writes `value` (0 ≤ value < 10^width) as exactly `width` decimal digits at `buffer[offset...]`.
    private static func writeDigits(_ value: Int, width: Int, to buffer: UnsafeMutableBufferPointer<UInt8>, at offset: Int) {
        var divisor = 1
        for _ in 1..<width { divisor *= 10 }
        var rest = value
        var index = offset
        while divisor > 0 {
            buffer[index] = UInt8(truncatingIfNeeded: 0x30 + rest / divisor)
            index += 1
            rest %= divisor
            divisor /= 10
        }
    }
}

/// A calendar date for the generator, with the proleptic Gregorian arithmetic it needs (day numbers after
/// Howard Hinnant's `days_from_civil`), and the written forms the letters use.
struct SynthDate: Sendable, Comparable {
    let year: Int
    let month: Int
    let day: Int

    init(year: Int, month: Int, day: Int) {
        self.year = year
        self.month = month
        self.day = day
    }

    /// Days since 1970-01-01.
    var dayNumber: Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    init(dayNumber: Int) {
        let z = dayNumber + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let mp = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        self.init(year: yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month: month, day: day)
    }

    func adding(days: Int) -> SynthDate { SynthDate(dayNumber: dayNumber + days) }

    static func < (lhs: SynthDate, rhs: SynthDate) -> Bool { lhs.dayNumber < rhs.dayNumber }

    static let monthNames = ["January", "February", "March", "April", "May", "June", "July", "August",
                             "September", "October", "November", "December"]
    static let monthAbbreviations = ["Jan.", "Feb.", "Mar.", "Apr.", "May", "Jun.", "Jul.", "Aug.", "Sept.",
                                     "Oct.", "Nov.", "Dec."]

    /// ISO 8601 at day granularity (`2011-08-18`).
    var isoDay: String { "\(year)-\(Self.pad(month))-\(Self.pad(day))" }
    /// ISO 8601 at month granularity (`2014-12`).
    var isoMonth: String { "\(year)-\(Self.pad(month))" }

    private static func pad(_ value: Int) -> String { value < 10 ? "0\(value)" : String(value) }

    /// The written forms of a full date in the letters.
    enum Style: CaseIterable, Sendable {
        case slashLong        // 11/27/1986
        case slashShort       // 11/7/13
        case dashLong         // 01-10-2014
        case dashShort        // 8-18-11
        case monthName        // August 18, 2011
        case monthAbbreviated // Aug. 18, 2011

        /// Relative frequencies, roughly as the letters use them.
        static let weights: [Double] = [30, 14, 18, 10, 18, 10]
    }

    func written(_ style: Style) -> String {
        let shortYear = Self.pad(year % 100)
        switch style {
        case .slashLong: return "\(Self.pad(month))/\(Self.pad(day))/\(year)"
        case .slashShort: return "\(month)/\(day)/\(shortYear)"
        case .dashLong: return "\(Self.pad(month))-\(Self.pad(day))-\(year)"
        case .dashShort: return "\(month)-\(day)-\(shortYear)"
        case .monthName: return "\(Self.monthNames[month - 1]) \(day), \(year)"
        case .monthAbbreviated: return "\(Self.monthAbbreviations[month - 1]) \(day), \(year)"
        }
    }

    /// Month granularity: `December 2014`.
    var writtenMonth: String { "\(Self.monthNames[month - 1]) \(year)" }
}

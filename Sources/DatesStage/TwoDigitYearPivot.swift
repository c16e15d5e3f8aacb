/// Resolves two-digit years (`11/7/13`) so that a date never lands after the letter's own date when the document
/// names it (an attribute), nor after today.
///
/// The limit (the last day a resolved date may fall on) is, in order:
/// 1. a document attribute named in `referenceAttributes` (default `letter_date`, `decision_date`), as an ISO
///    (`2016-12-30`) or US (`12/30/2016`) string: the letter's own date, used strictly;
/// 2. otherwise, when the document has dates with a four-digit year, `today` or, if later, the latest of those
///    dates (its last day, so `December 2014` counts as 2014-12-31) plus `inferredSlackDays` (default 366). The
///    latest four-digit date is only a LOWER bound of the letter's own date, never an upper one: a letter may cite
///    nothing in four digits but an old date of injury and give every recent date in two digits ("injured on
///    November 1, 2009 ... UR dated 7/31/14"), and may name a requested service's future date (seed letter 004:
///    "DOS 12/29/15" in a letter whose latest four-digit date is 2/12/2015). A letter cannot be dated after today,
///    so today is the upper bound; the slack only matters when `today` is configured earlier than the letters;
/// 3. otherwise today (`today`), used strictly.
///
/// A two-digit year YY becomes 20YY unless that date (its first day) is after the limit, then 19YY. Either way
/// the date carries `year_inferred: true`. Earlier versions took the latest four-digit date plus the slack alone as
/// the limit, which read every two-digit year more than a year after a letter's latest four-digit date as 19YY
/// (`7/31/14` as 1914 in a letter whose only four-digit date was in 2009).
struct TwoDigitYearPivot: Sendable {
    /// Day numbers (days since 1970-01-01) are compared; see `CalendarDate.dayNumber`.
    let referenceAttributes: [String]
    let inferredSlackDays: Int
    let today: CalendarDate

    /// The last day (day number) a resolved date may fall on, for a document with these attributes and whose
    /// four-digit-year dates end at the latest on day `latestFourDigitDayNumber` (their largest `lastDayNumber`; nil:
    /// the document has none).
    func limitDayNumber(attributeValues: [String?], latestFourDigitDayNumber: Int?) -> Int {
        for value in attributeValues {
            if let value, let date = CalendarDate.parse(value) { return date.lastDayNumber }
        }
        if let latest = latestFourDigitDayNumber { return max(latest + inferredSlackDays, today.lastDayNumber) }
        return today.lastDayNumber
    }

    /// The four-digit year for a written two-digit year `yy` (0...99) of a date with `month` and `day`
    /// (either may be nil), given the limit from `limitDayNumber`.
    func resolve(_ yy: Int, month: Int?, day: Int?, limit: Int) -> Int {
        let modern = 2000 + yy
        let first = CalendarDate.dayNumber(year: modern, month: month ?? 1, day: day ?? 1)
        return first > limit ? 1900 + yy : modern
    }
}

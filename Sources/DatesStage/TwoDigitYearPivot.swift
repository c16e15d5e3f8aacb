/// Resolves two-digit years (`11/7/13`) so that a date never lands after the letter's own date.
///
/// The reference is, in order:
/// 1. a document attribute named in `referenceAttributes` (default `letter_date`, `decision_date`), as an ISO
///    (`2016-12-30`) or US (`12/30/2016`) string: the letter's own date, used strictly;
/// 2. otherwise the latest date with a four-digit year in the same document (its last day, so `December 2014`
///    counts as 2014-12-31). That date is only a LOWER bound of the letter's own date: a letter usually cites
///    dates up to some months before it was written, and may name a requested service's future date (seed
///    letter 004: "DOS 12/29/15" in a letter whose latest four-digit date is 2/12/2015). So the inferred
///    reference is extended by `inferredSlackDays` (default 366);
/// 3. otherwise today (`today`), used strictly.
///
/// A two-digit year YY becomes 20YY unless that date (its first day) is after the reference, then 19YY. Either
/// way the date carries `year_inferred: true`.
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
        if let latest = latestFourDigitDayNumber { return latest + inferredSlackDays }
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

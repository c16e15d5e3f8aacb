import DatesStage
import Testing

@Suite struct CalendarDateTests {
    @Test func validity() {
        #expect(CalendarDate(year: 2014, month: 13, day: 45) == nil)
        #expect(CalendarDate(year: 2015, month: 2, day: 30) == nil)
        #expect(CalendarDate(year: 2015, month: 2, day: 29) == nil)
        #expect(CalendarDate(year: 2016, month: 2, day: 29) != nil)
        #expect(CalendarDate(year: 1900, month: 2, day: 29) == nil)
        #expect(CalendarDate(year: 2000, month: 2, day: 29) != nil)
        #expect(CalendarDate(year: 2015, month: 4, day: 31) == nil)
        #expect(CalendarDate(year: 2015, month: 0) == nil)
        #expect(CalendarDate(year: 2015, month: nil, day: 3) == nil)
    }

    @Test func isoAndGranularity() {
        #expect(CalendarDate(year: 2011, month: 8, day: 18)?.iso8601 == "2011-08-18")
        #expect(CalendarDate(year: 2014, month: 12)?.iso8601 == "2014-12")
        #expect(CalendarDate(year: 2014)?.iso8601 == "2014")
        #expect(CalendarDate(year: 2014, month: 12)?.granularity == .month)
    }

    @Test func dayNumbersRoundTrip() {
        #expect(CalendarDate.dayNumber(year: 1970, month: 1, day: 1) == 0)
        #expect(CalendarDate.dayNumber(year: 2000, month: 3, day: 1) == 11_017)
        for number in stride(from: -30_000, to: 60_000, by: 37) {
            let date = CalendarDate.fromDayNumber(number)
            #expect(CalendarDate.dayNumber(year: date.year, month: date.month!, day: date.day!) == number)
        }
        #expect(CalendarDate(year: 2014, month: 12)!.lastDayNumber == CalendarDate.dayNumber(year: 2014, month: 12, day: 31))
        #expect(CalendarDate(year: 2016)!.lastDayNumber == CalendarDate.dayNumber(year: 2016, month: 12, day: 31))
    }

    @Test func parsesReferenceDates() {
        #expect(CalendarDate.parse("2016-12-30") == CalendarDate(year: 2016, month: 12, day: 30))
        #expect(CalendarDate.parse("12/30/2016") == CalendarDate(year: 2016, month: 12, day: 30))
        #expect(CalendarDate.parse("01-09-2017") == CalendarDate(year: 2017, month: 1, day: 9))
        #expect(CalendarDate.parse(" 2016-12-30T10:00:00Z") == CalendarDate(year: 2016, month: 12, day: 30))
        #expect(CalendarDate.parse("2016-12") == CalendarDate(year: 2016, month: 12))
        #expect(CalendarDate.parse("12/30/16") == nil)
        #expect(CalendarDate.parse("2/30/2016") == nil)
        #expect(CalendarDate.parse("soon") == nil)
        #expect(CalendarDate.parse("") == nil)
    }
}

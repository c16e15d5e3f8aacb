import ClinPipeTestSupport
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

/// `CalendarDate.iso8601` writes its bytes in place; the reference is the plain zero-padded interpolation.
@Suite struct CalendarDateISOTests {
    static func plainISO(_ date: CalendarDate) -> String {
        func padded(_ value: Int, _ width: Int) -> String {
            let digits = String(value)
            return String(repeating: "0", count: max(0, width - digits.count)) + digits
        }
        var text = (0...9999).contains(date.year) ? padded(date.year, 4) : String(date.year)
        if let month = date.month { text += "-" + padded(month, 2) }
        if let day = date.day { text += "-" + padded(day, 2) }
        return text
    }

    @Test func sameAsInterpolation() throws {
        var generator = SeededGenerator(seed: 19)
        let years = [0, 7, 99, 999, 1900, 2014, 9999, 10000, -1, -2014, 123_456, -99_999]
        for index in 0..<3000 {
            let year = index < years.count ? years[index] : Int(generator.next() % 12000) - 1000
            let month = generator.next() % 3 == 0 ? nil : Int(generator.next() % 12) + 1
            let day = month == nil || generator.next() % 2 == 0 ? nil : Int(generator.next() % 28) + 1
            let date = try #require(CalendarDate(year: year, month: month, day: day))
            #expect(date.iso8601 == Self.plainISO(date), "\(year) \(String(describing: month)) \(String(describing: day))")
        }
    }
}

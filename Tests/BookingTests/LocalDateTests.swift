import Foundation
import XCTest
@testable import Booking

final class LocalDateTests: XCTestCase {
    /// Days since 1970-01-01 of a UTC civil date, computed by Foundation.
    private func foundationDayNumber(_ year: Int, _ month: Int, _ day: Int) -> Int {
        Int(utc(year, month, day).timeIntervalSince1970 / 86_400)
    }

    func testDayNumbersOfKnownDates() {
        XCTAssertEqual(day(1970, 1, 1).dayNumber, 0)
        XCTAssertEqual(day(1970, 1, 2).dayNumber, 1)
        XCTAssertEqual(day(1969, 12, 31).dayNumber, -1)
        XCTAssertEqual(day(2000, 1, 1).dayNumber, 10_957)      // 946 684 800 s
        XCTAssertEqual(day(2024, 2, 29).dayNumber, 19_782)     // 1 709 164 800 s
        XCTAssertEqual(day(1900, 1, 1).dayNumber, -25_567)     // -2 208 988 800 s
        XCTAssertEqual(day(2026, 11, 25).dayNumber, foundationDayNumber(2026, 11, 25))
    }

    func testCivilRoundTripMatchesFoundationCalendarDayByDay() {
        let calendar = utcCalendar()
        // Every day from 1899-12-01 to 2101-01-31 (both century edges), then a sparse walk
        // over 1600...2400 (Foundation's Gregorian calendar is proleptic only after 1582).
        let dense = Array(foundationDayNumber(1899, 12, 1)...foundationDayNumber(2101, 1, 31))
        let sparse = Array(stride(from: foundationDayNumber(1600, 1, 1), through: foundationDayNumber(2400, 12, 31), by: 17))
        var previous: LocalDate?
        for number in dense + sparse {
            let date = LocalDate(dayNumber: number)
            let parts = calendar.dateComponents([.year, .month, .day], from: Date(timeIntervalSince1970: Double(number) * 86_400))
            guard date.year == parts.year, date.month == parts.month, date.day == parts.day else {
                XCTFail("day \(number): LocalDate says \(date.year)-\(date.month)-\(date.day), Foundation says \(parts)")
                return
            }
            XCTAssertEqual(LocalDate(year: date.year, month: date.month, day: date.day)?.dayNumber, number)
            if let previous, previous.dayNumber + 1 == number {
                XCTAssertLessThan(previous, date)
                XCTAssertEqual(previous.adding(days: 1), date)
            }
            previous = date
        }
    }

    func testLeapYearsAndImpossibleDays() {
        XCTAssertNotNil(LocalDate(year: 2000, month: 2, day: 29), "2000 is divisible by 400")
        XCTAssertNotNil(LocalDate(year: 2024, month: 2, day: 29))
        XCTAssertNotNil(LocalDate(year: 2028, month: 2, day: 29))
        XCTAssertNil(LocalDate(year: 1900, month: 2, day: 29), "1900 is divisible by 100, not by 400")
        XCTAssertNil(LocalDate(year: 2100, month: 2, day: 29))
        XCTAssertNil(LocalDate(year: 2026, month: 2, day: 29))
        XCTAssertNil(LocalDate(year: 2024, month: 2, day: 30))
        XCTAssertNil(LocalDate(year: 2026, month: 4, day: 31))
        XCTAssertNil(LocalDate(year: 2026, month: 11, day: 31))
        XCTAssertNotNil(LocalDate(year: 2026, month: 12, day: 31))
        XCTAssertNil(LocalDate(year: 2026, month: 0, day: 1))
        XCTAssertNil(LocalDate(year: 2026, month: 13, day: 1))
        XCTAssertNil(LocalDate(year: 2026, month: 1, day: 0))
        XCTAssertNil(LocalDate(year: 2026, month: 1, day: -1))
        XCTAssertNil(LocalDate(year: 2026, month: 1, day: 32))

        let leap = day(2024, 2, 29)
        XCTAssertEqual([leap.year, leap.month, leap.day], [2024, 2, 29])
        XCTAssertEqual(leap.adding(days: 1), day(2024, 3, 1))
        XCTAssertEqual(day(1900, 2, 28).adding(days: 1), day(1900, 3, 1))
        XCTAssertEqual(day(2000, 2, 28).adding(days: 1), day(2000, 2, 29))
        XCTAssertEqual(day(2026, 12, 31).adding(days: 1), day(2027, 1, 1))
        XCTAssertEqual(day(2027, 1, 1).adding(days: -1), day(2026, 12, 31))
    }

    func testWeekday() {
        XCTAssertEqual(day(1970, 1, 1).weekday, .thursday)
        XCTAssertEqual(day(1970, 1, 5).weekday, .monday)
        XCTAssertEqual(day(1969, 12, 31).weekday, .wednesday)
        XCTAssertEqual(day(2026, 11, 25).weekday, .wednesday)
        XCTAssertEqual(day(2026, 11, 29).weekday, .sunday)
        XCTAssertEqual(day(2000, 1, 1).weekday, .saturday)
        XCTAssertEqual(day(1900, 1, 1).weekday, .monday)

        // Foundation numbers Sunday 1 ... Saturday 7; ISO numbers Monday 1 ... Sunday 7.
        let calendar = utcCalendar()
        for number in stride(from: foundationDayNumber(1890, 1, 1), through: foundationDayNumber(2110, 1, 1), by: 3) {
            let foundation = calendar.component(.weekday, from: Date(timeIntervalSince1970: Double(number) * 86_400))
            let iso = (foundation + 5) % 7 + 1
            guard LocalDate(dayNumber: number).weekday.rawValue == iso else {
                XCTFail("day \(number): weekday \(LocalDate(dayNumber: number).weekday), Foundation ISO \(iso)")
                return
            }
        }
        XCTAssertEqual(Weekday.allCases.map(\.rawValue), Array(1...7))
        XCTAssertLessThan(Weekday.monday, Weekday.sunday)
    }

    func testMonthArithmeticExamples() {
        let nov25 = day(2026, 11, 25)
        XCTAssertEqual(nov25.firstOfMonth(addingMonths: 0), day(2026, 11, 1))
        XCTAssertEqual(nov25.lastOfMonth(addingMonths: 0), day(2026, 11, 30))
        XCTAssertEqual(nov25.firstOfMonth(addingMonths: 1), day(2026, 12, 1))
        XCTAssertEqual(nov25.lastOfMonth(addingMonths: 1), day(2026, 12, 31))
        XCTAssertEqual(nov25.firstOfMonth(addingMonths: 2), day(2027, 1, 1))
        XCTAssertEqual(nov25.firstOfMonth(addingMonths: 3), day(2027, 2, 1))
        XCTAssertEqual(nov25.lastOfMonth(addingMonths: 3), day(2027, 2, 28))
        XCTAssertEqual(day(2027, 11, 10).lastOfMonth(addingMonths: 3), day(2028, 2, 29))
        XCTAssertEqual(day(2099, 11, 10).lastOfMonth(addingMonths: 3), day(2100, 2, 28))
        XCTAssertEqual(day(1999, 11, 30).lastOfMonth(addingMonths: 3), day(2000, 2, 29))
        XCTAssertEqual(day(2026, 1, 31).lastOfMonth(addingMonths: 1), day(2026, 2, 28))
        XCTAssertEqual(day(2026, 11, 25).lastOfMonth(addingMonths: 14), day(2028, 1, 31))

        // Negative months, across one and several year boundaries.
        XCTAssertEqual(day(2026, 1, 15).firstOfMonth(addingMonths: -1), day(2025, 12, 1))
        XCTAssertEqual(day(2026, 1, 15).lastOfMonth(addingMonths: -1), day(2025, 12, 31))
        XCTAssertEqual(day(2026, 3, 31).firstOfMonth(addingMonths: -13), day(2025, 2, 1))
        XCTAssertEqual(day(2026, 3, 31).lastOfMonth(addingMonths: -13), day(2025, 2, 28))
        XCTAssertEqual(day(2026, 3, 1).lastOfMonth(addingMonths: -1), day(2026, 2, 28))
        XCTAssertEqual(day(2026, 1, 1).firstOfMonth(addingMonths: -12), day(2025, 1, 1))
        XCTAssertEqual(day(2026, 1, 1).firstOfMonth(addingMonths: -24), day(2024, 1, 1))
        XCTAssertEqual(day(2026, 1, 1).lastOfMonth(addingMonths: -23), day(2024, 2, 29))
        XCTAssertEqual(day(1970, 1, 10).firstOfMonth(addingMonths: -1), day(1969, 12, 1))
        XCTAssertEqual(day(1970, 1, 10).lastOfMonth(addingMonths: -2), day(1969, 11, 30))
    }

    func testMonthArithmeticMatchesFoundationCalendar() {
        let calendar = utcCalendar()
        for number in stride(from: foundationDayNumber(1995, 1, 1), through: foundationDayNumber(2035, 12, 31), by: 23) {
            let date = LocalDate(dayNumber: number)
            let instant = Date(timeIntervalSince1970: Double(number) * 86_400)
            let first = calendar.date(from: calendar.dateComponents([.year, .month], from: instant))!
            for months in -27...27 {
                let expectedFirst = calendar.date(byAdding: .month, value: months, to: first)!
                let expectedLast = calendar.date(byAdding: DateComponents(month: months + 1, day: -1), to: first)!
                let gotFirst = date.firstOfMonth(addingMonths: months)
                let gotLast = date.lastOfMonth(addingMonths: months)
                guard Double(gotFirst.dayNumber) * 86_400 == expectedFirst.timeIntervalSince1970,
                      Double(gotLast.dayNumber) * 86_400 == expectedLast.timeIntervalSince1970 else {
                    XCTFail("\(date) \(months >= 0 ? "+" : "")\(months) months: got \(gotFirst)...\(gotLast), Foundation \(expectedFirst)...\(expectedLast)")
                    return
                }
            }
        }
    }

    func testDescriptionIsZeroPaddedISO() {
        XCTAssertEqual(day(2026, 11, 25).description, "2026-11-25")
        XCTAssertEqual(day(2000, 2, 5).description, "2000-02-05")
        XCTAssertEqual(day(1970, 1, 1).description, "1970-01-01")
        XCTAssertEqual(day(2024, 2, 29).description, "2024-02-29")
        XCTAssertEqual(day(1999, 12, 31).description, "1999-12-31")
        XCTAssertEqual("\(LocalDate(dayNumber: 0))", "1970-01-01")
    }

    func testParseValidStrings() {
        XCTAssertEqual(LocalDate("2026-11-25"), day(2026, 11, 25))
        XCTAssertEqual(LocalDate("2000-02-29"), day(2000, 2, 29))
        XCTAssertEqual(LocalDate("2024-02-29"), day(2024, 2, 29))
        XCTAssertEqual(LocalDate("1970-01-01")?.dayNumber, 0)
        XCTAssertEqual(LocalDate("2027-01-09"), day(2027, 1, 9))
        // description and parsing are inverse over a few years of days.
        for number in day(2025, 1, 1).dayNumber...day(2029, 1, 1).dayNumber {
            let date = LocalDate(dayNumber: number)
            guard LocalDate(date.description) == date else {
                XCTFail("\(date) does not parse back")
                return
            }
        }
    }

    func testParseRejectsMalformedStrings() {
        let bad = [
            "", "2026", "2026-11", "2026-11-25-01", "2026/11/25", "2026.11.25", "20261125",
            "26-11-25", "02026-11-25", "2026-1-25", "2026-11-5", "2026-011-25", "2026-11-025",
            "2026-13-01", "2026-00-10", "2026-11-00", "2026-11-31", "2026-02-29", "1900-02-29",
            " 2026-11-25", "2026-11-25 ", "2026-11-2x", "abcd-ef-gh", "2026-ab-25", "2026-11-25T10:00",
        ]
        for text in bad {
            XCTAssertNil(LocalDate(text), "\"\(text)\" must not parse")
        }
    }

    /// `YYYY-MM-DD` means exactly four digits, a hyphen, two digits, a hyphen, two digits.
    /// Empty fields between hyphens and signed numbers are not that format.
    func testParseRejectsStraySeparatorsAndSigns() {
        let bad = ["2026-11-25-", "-2026-11-25", "2026--11-25", "2026-11--25", "+202-11-25", "2026-+1-25", "2026-11-+5", "2026--1-25"]
        for text in bad {
            XCTAssertNil(LocalDate(text), "\"\(text)\" must not parse, got \(LocalDate(text).map(String.init(describing:)) ?? "nil")")
        }
    }
}

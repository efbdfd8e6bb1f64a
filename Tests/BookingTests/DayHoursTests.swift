import Booking
import XCTest

final class DayHoursTests: XCTestCase {
    func testOnlyOpeningBeforeClosingWithinTheDayIsValid() {
        XCTAssertNotNil(DayHours(open: 0, close: 1440))
        XCTAssertNotNil(DayHours(openHour: 9, closeHour: 18))
        XCTAssertNil(DayHours(open: 600, close: 600), "empty")
        XCTAssertNil(DayHours(open: 700, close: 600), "inverted")
        XCTAssertNil(DayHours(open: -1, close: 600))
        XCTAssertNil(DayHours(open: 0, close: 1441))
        XCTAssertEqual(DayHours(openHour: 9, closeHour: 18)?.open, 540)
        XCTAssertEqual(DayHours(openHour: 9, closeHour: 18)?.close, 1080)
    }

    func testEveryDayScheduleHasHoursOnAllSevenDaysAndAMissingDayIsOff() {
        let nineToSix = DayHours(openHour: 9, closeHour: 18)!
        let schedule = WorkSchedule.everyDay(nineToSix)
        XCTAssertEqual(Weekday.allCases.compactMap { schedule.hours(on: $0) }.count, 7)
        var weekdaysOnly = schedule
        weekdaysOnly.hours[.saturday] = nil
        weekdaysOnly.hours[.sunday] = nil
        XCTAssertNil(weekdaysOnly.hours(on: .sunday))
        XCTAssertEqual(weekdaysOnly.hours(on: .friday), nineToSix)
    }
}

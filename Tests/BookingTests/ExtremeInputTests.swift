import Foundation
import XCTest
@testable import Booking

/// Values from outside (button data, stored settings, far instants) at their extremes:
/// the calendar refuses them or holds them at its ends, and nothing traps, since a trap
/// kills the worker process (review F1).
final class ExtremeInputTests: XCTestCase {
    private let extremes = [Int.max, Int.min, Int.max - 1, Int.min + 1, 4_738_381_338_321_616_895, -4_738_381_338_321_616_895]

    func testTheCalendarRunsFromYearOneTo9999() {
        XCTAssertEqual(LocalDate.earliest, day(1, 1, 1))
        XCTAssertEqual(LocalDate.latest, day(9999, 12, 31))
        XCTAssertEqual(LocalDate.earliest.weekday, .monday, "0001-01-01 was a Monday (proleptic Gregorian)")
        XCTAssertEqual(LocalDate.latest.weekday, .friday)
        XCTAssertEqual(LocalDate.earliest.description, "0001-01-01")
        XCTAssertEqual(LocalDate.latest.description, "9999-12-31")
        XCTAssertNil(LocalDate(year: 0, month: 12, day: 31))
        XCTAssertNil(LocalDate(year: 10_000, month: 1, day: 1))
        XCTAssertNil(LocalDate("0000-01-01"))
        XCTAssertEqual(LocalDate("9999-12-31"), LocalDate.latest)
    }

    func testYearsFarOutsideAreRefusedNotComputed() {
        for year in extremes + [394_865_111_526_801_407] {  // the year of month index 36^12 − 1
            for month in [1, 2, 12] {
                XCTAssertNil(LocalDate(year: year, month: month, day: 1), "\(year)-\(month)")
            }
        }
        XCTAssertNil(LocalDate(year: 2026, month: Int.max, day: 1))
        XCTAssertNil(LocalDate(year: 2026, month: 1, day: Int.min))
    }

    func testDayNumbersOutsideAreHeldAtTheEnds() {
        for number in extremes {
            let date = LocalDate(dayNumber: number)
            XCTAssertEqual(date, number > 0 ? LocalDate.latest : LocalDate.earliest, "\(number)")
            _ = (date.year, date.month, date.day, date.weekday, date.description)
        }
        XCTAssertEqual(LocalDate(dayNumber: 20_000).dayNumber, 20_000, "inside, a day number is kept as it is")
    }

    func testDayAndMonthArithmeticAtTheExtremesStaysInTheCalendar() {
        let today = day(2026, 12, 3)
        for date in [today, LocalDate.earliest, LocalDate.latest] {
            for amount in extremes + [0, 1, -1] {
                let moved = date.adding(days: amount)
                XCTAssertTrue((LocalDate.earliest...LocalDate.latest).contains(moved))
                let first = date.firstOfMonth(addingMonths: amount)
                let last = date.lastOfMonth(addingMonths: amount)
                XCTAssertEqual(first.day, 1, "\(date) \(amount)")
                XCTAssertEqual(last.adding(days: 1).day == 1 || last == LocalDate.latest, true, "\(date) \(amount): \(last)")
                XCTAssertLessThanOrEqual(first, last)
            }
        }
        XCTAssertEqual(today.adding(days: .max), LocalDate.latest)
        XCTAssertEqual(today.adding(days: .min), LocalDate.earliest)
        XCTAssertEqual(today.firstOfMonth(addingMonths: .max), day(9999, 12, 1))
        XCTAssertEqual(today.lastOfMonth(addingMonths: .max), LocalDate.latest)
        XCTAssertEqual(today.firstOfMonth(addingMonths: .min), LocalDate.earliest)
        XCTAssertEqual(today.lastOfMonth(addingMonths: .min), day(1, 1, 31))
        XCTAssertEqual(LocalDate.latest.lastOfMonth(addingMonths: 1), LocalDate.latest)
        XCTAssertEqual(LocalDate.earliest.firstOfMonth(addingMonths: -1), LocalDate.earliest)
    }

    func testTheClockReadsAnyInstantWithinTheCalendar() {
        let instants = [Double.nan, .infinity, -.infinity, 1e300, -1e300, Double(Int.max), -Double(Int.max),
                        Date.distantFuture.timeIntervalSince1970, Date.distantPast.timeIntervalSince1970]
        for zone in [Zones.moscow, Zones.newYork, TimeZone(identifier: "Pacific/Kiritimati")!, TimeZone(identifier: "Pacific/Pago_Pago")!] {
            let clock = BusinessClock(timeZone: zone)
            for seconds in instants {
                let instant = Date(timeIntervalSince1970: seconds)
                let date = clock.localDate(of: instant)
                XCTAssertTrue((LocalDate.earliest...LocalDate.latest).contains(date), "\(seconds) in \(zone.identifier)")
                XCTAssertTrue((0..<1440).contains(clock.minuteOfDay(of: instant)), "\(seconds) in \(zone.identifier)")
            }
            XCTAssertEqual(clock.localDate(of: Date(timeIntervalSince1970: 1e300)), LocalDate.latest)
            XCTAssertEqual(clock.localDate(of: Date(timeIntervalSince1970: -1e300)), LocalDate.earliest)
            // The calendar's own ends have a start of day and a closing boundary in every zone.
            for date in [LocalDate.earliest, LocalDate.latest] {
                _ = clock.startOfDay(date)
                XCTAssertNil(clock.instant(of: date, minute: Int.max))
                XCTAssertNil(clock.instant(of: date, minute: Int.min))
            }
        }
    }

    func testSlotsAndRulesAtTheCalendarsEndsDoNotTrap() {
        for zone in [Zones.moscow, Zones.newYork, TimeZone(identifier: "Pacific/Kiritimati")!] {
            let rules = makeRules(zone: zone, schedule: .everyDay(DayHours(open: 0, close: 1440)!), horizonMonths: Int.max)
            let finder = SlotFinder(rules: rules)
            for (date, now) in [(LocalDate.latest, Date(timeIntervalSince1970: 253_402_200_000)), (LocalDate.earliest, Date(timeIntervalSince1970: -62_135_000_000))] {
                XCTAssertEqual(rules.horizonEnd(now: now), LocalDate.latest)
                _ = finder.monthStatuses(of: date, durationMinutes: 60, occupancy: .empty, now: now)
                _ = finder.freeStarts(on: date, durationMinutes: 60, occupancy: .empty, now: now)
                let request = SlotRequest(start: Date(timeIntervalSince1970: 1e300), durationMinutes: 60, serviceActive: true)
                XCTAssertNotNil(rules.refusal(for: .book(request, activeBookings: 0), by: .client, now: now, occupancy: .empty))
            }
        }
    }

    func testARangeOfNegativeLengthIsEmptyRatherThanATrap() {
        let start = utc(2026, 12, 3, 10)
        XCTAssertEqual(TimeRange(start: start, minutes: -30), TimeRange(start: start, end: start))
        XCTAssertEqual(TimeRange(start: start, minutes: Int.min).durationMinutes, 0)
        XCTAssertEqual(TimeRange(start: Date(timeIntervalSince1970: -1e300), end: Date(timeIntervalSince1970: 1e300)).durationMinutes, Int.max)
    }

    func testSaturatingConversionFloorsAndHolds() {
        XCTAssertEqual(Int(saturatingFloor: 2.9), 2)
        XCTAssertEqual(Int(saturatingFloor: -2.1), -3)
        XCTAssertEqual(Int(saturatingFloor: .nan), 0)
        XCTAssertEqual(Int(saturatingFloor: .infinity), .max)
        XCTAssertEqual(Int(saturatingFloor: -.infinity), .min)
        XCTAssertEqual(Int(saturatingFloor: 9_223_372_036_854_775_808.0), .max)
        XCTAssertEqual(Int(saturatingFloor: -9_223_372_036_854_775_808.0), .min)
        XCTAssertEqual(Int(saturatingFloor: 9_223_372_036_854_774_784.0), 9_223_372_036_854_774_784, "the largest Double below 2^63")
    }
}

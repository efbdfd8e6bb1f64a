import Foundation
import XCTest
@testable import Booking

/// Real IANA zones; every expected instant is a UTC literal or a wall time with the zone's
/// known offset written out (Moscow +3; Berlin CET +1, CEST +2; New York EST -5, EDT -4).
final class BusinessClockTests: XCTestCase {
    private let moscow = BusinessClock(timeZone: Zones.moscow)
    private let berlin = BusinessClock(timeZone: Zones.berlin)
    private let newYork = BusinessClock(timeZone: Zones.newYork)
    private let utcClock = BusinessClock(timeZone: Zones.utc)

    func testZoneIdentifiers() {
        XCTAssertEqual(BusinessClock(zoneIdentifier: "Europe/Moscow")?.timeZone.identifier, "Europe/Moscow")
        XCTAssertNil(BusinessClock(zoneIdentifier: "Mars/Olympus_Mons"))
    }

    // MARK: Moscow, UTC+3 all year

    func testMoscowWallTimesAreUTCPlusThreeInWinterAndSummer() {
        XCTAssertEqual(moscow.instant(of: day(2026, 11, 25), minute: 0), utc(2026, 11, 24, 21, 0))
        XCTAssertEqual(moscow.instant(of: day(2026, 11, 25), minute: 9 * 60), utc(2026, 11, 25, 6, 0))
        XCTAssertEqual(moscow.instant(of: day(2026, 11, 25), minute: 18 * 60 + 30), utc(2026, 11, 25, 15, 30))
        XCTAssertEqual(moscow.instant(of: day(2026, 7, 1), minute: 9 * 60), utc(2026, 7, 1, 6, 0))
        XCTAssertEqual(moscow.instant(of: day(2026, 11, 25), minute: 1440), utc(2026, 11, 25, 21, 0), "1440 is the next midnight")
        XCTAssertEqual(moscow.startOfDay(day(2026, 11, 25)), utc(2026, 11, 24, 21, 0))
        // The wall days around the Berlin and New York switch dates do not move in Moscow.
        XCTAssertEqual(moscow.instant(of: day(2026, 3, 29), minute: 150), utc(2026, 3, 28, 23, 30))
        XCTAssertEqual(moscow.instant(of: day(2026, 10, 25), minute: 150), utc(2026, 10, 24, 23, 30))
    }

    func testMoscowLocalDateAndMinuteAroundMidnight() {
        let midnight = utc(2026, 11, 24, 21, 0)   // 2026-11-25 00:00 MSK
        XCTAssertEqual(moscow.localDate(of: midnight), day(2026, 11, 25))
        XCTAssertEqual(moscow.minuteOfDay(of: midnight), 0)
        XCTAssertEqual(moscow.localDate(of: midnight.addingTimeInterval(-1)), day(2026, 11, 24))
        XCTAssertEqual(moscow.minuteOfDay(of: midnight.addingTimeInterval(-1)), 1439)
        XCTAssertEqual(moscow.localDate(of: midnight.addingTimeInterval(-0.25)), day(2026, 11, 24), "a fraction before midnight is the day before")
        XCTAssertEqual(moscow.minuteOfDay(of: midnight.addingTimeInterval(-0.25)), 1439)
        XCTAssertEqual(moscow.minuteOfDay(of: midnight.addingTimeInterval(59.9)), 0)
        XCTAssertEqual(moscow.minuteOfDay(of: midnight.addingTimeInterval(60)), 1)
        // 23:30 UTC on the 24th is already the 25th in Moscow, while UTC still says the 24th.
        XCTAssertEqual(moscow.localDate(of: utc(2026, 11, 24, 23, 30)), day(2026, 11, 25))
        XCTAssertEqual(moscow.minuteOfDay(of: utc(2026, 11, 24, 23, 30)), 150)
        XCTAssertEqual(utcClock.localDate(of: utc(2026, 11, 24, 23, 30)), day(2026, 11, 24))
        XCTAssertEqual(utcClock.minuteOfDay(of: utc(2026, 11, 24, 23, 30)), 23 * 60 + 30)
        // New Year.
        XCTAssertEqual(moscow.localDate(of: utc(2026, 12, 31, 21, 0)), day(2027, 1, 1))
        XCTAssertEqual(moscow.localDate(of: utc(2026, 12, 31, 20, 59, 59)), day(2026, 12, 31))
        // Before 1970 (negative instants) the floor still picks the right day and minute.
        XCTAssertEqual(utcClock.localDate(of: utc(1969, 12, 31, 23, 59, 30)), day(1969, 12, 31))
        XCTAssertEqual(utcClock.minuteOfDay(of: utc(1969, 12, 31, 23, 59, 30)), 1439)
    }

    func testWallTimesRoundTripEveryMinuteOfAnOrdinaryDay() {
        for (clock, offset) in [(moscow, 3), (berlin, 1), (newYork, -5), (utcClock, 0)] {
            let date = day(2026, 11, 25)
            for minute in 0..<1440 {
                let expected = wall(2026, 11, 25, 0, minute, offset: offset)
                guard clock.instant(of: date, minute: minute) == expected,
                      clock.localDate(of: expected) == date, clock.minuteOfDay(of: expected) == minute else {
                    XCTFail("\(clock.timeZone.identifier) minute \(minute): instant \(String(describing: clock.instant(of: date, minute: minute))), expected \(expected)")
                    return
                }
            }
        }
    }

    // MARK: Berlin

    func testBerlinSpringForwardSkipsTwoToThree() {
        let date = day(2026, 3, 29)   // 02:00 CET becomes 03:00 CEST at 01:00 UTC
        XCTAssertEqual(berlin.instant(of: date, minute: 0), wall(2026, 3, 29, 0, 0, offset: 1))
        XCTAssertEqual(berlin.instant(of: date, minute: 0), utc(2026, 3, 28, 23, 0))
        XCTAssertEqual(berlin.instant(of: date, minute: 60), utc(2026, 3, 29, 0, 0))
        XCTAssertEqual(berlin.instant(of: date, minute: 119), utc(2026, 3, 29, 0, 59))
        XCTAssertNil(berlin.instant(of: date, minute: 120), "02:00 does not exist")
        XCTAssertNil(berlin.instant(of: date, minute: 150), "02:30 does not exist")
        XCTAssertNil(berlin.instant(of: date, minute: 179), "02:59 does not exist")
        XCTAssertEqual(berlin.instant(of: date, minute: 180), utc(2026, 3, 29, 1, 0))
        XCTAssertEqual(berlin.instant(of: date, minute: 180), wall(2026, 3, 29, 3, 0, offset: 2))
        XCTAssertEqual(berlin.instant(of: date, minute: 12 * 60), utc(2026, 3, 29, 10, 0))
        XCTAssertEqual(berlin.instant(of: date, minute: 1440), utc(2026, 3, 29, 22, 0), "a 23-hour day")
        XCTAssertEqual(berlin.startOfDay(date), utc(2026, 3, 28, 23, 0))
        // The day before and after keep whole offsets.
        XCTAssertEqual(berlin.instant(of: day(2026, 3, 28), minute: 150), utc(2026, 3, 28, 1, 30))
        XCTAssertEqual(berlin.instant(of: day(2026, 3, 30), minute: 150), utc(2026, 3, 30, 0, 30))

        XCTAssertEqual(berlin.minuteOfDay(of: utc(2026, 3, 29, 0, 59, 59)), 119)
        XCTAssertEqual(berlin.minuteOfDay(of: utc(2026, 3, 29, 1, 0)), 180)
        XCTAssertEqual(berlin.localDate(of: utc(2026, 3, 29, 1, 0)), date)
        XCTAssertEqual(berlin.localDate(of: utc(2026, 3, 28, 22, 59, 59)), day(2026, 3, 28))
        XCTAssertEqual(berlin.localDate(of: utc(2026, 3, 28, 23, 0)), date)
        XCTAssertEqual(berlin.localDate(of: utc(2026, 3, 29, 21, 59, 59)), date)
        XCTAssertEqual(berlin.minuteOfDay(of: utc(2026, 3, 29, 21, 59, 59)), 1439)
        XCTAssertEqual(berlin.localDate(of: utc(2026, 3, 29, 22, 0)), day(2026, 3, 30))
    }

    func testBerlinFallBackRepeatsTwoToThreeAndMapsToTheFirstOccurrence() {
        let date = day(2026, 10, 25)   // 03:00 CEST becomes 02:00 CET at 01:00 UTC
        XCTAssertEqual(berlin.instant(of: date, minute: 0), utc(2026, 10, 24, 22, 0))
        XCTAssertEqual(berlin.instant(of: date, minute: 119), utc(2026, 10, 24, 23, 59))
        XCTAssertEqual(berlin.instant(of: date, minute: 120), utc(2026, 10, 25, 0, 0), "02:00 CEST, not 02:00 CET")
        XCTAssertEqual(berlin.instant(of: date, minute: 150), utc(2026, 10, 25, 0, 30), "first 02:30 (CEST)")
        XCTAssertEqual(berlin.instant(of: date, minute: 150), wall(2026, 10, 25, 2, 30, offset: 2))
        XCTAssertNotEqual(berlin.instant(of: date, minute: 150), wall(2026, 10, 25, 2, 30, offset: 1))
        XCTAssertEqual(berlin.instant(of: date, minute: 179), utc(2026, 10, 25, 0, 59))
        XCTAssertEqual(berlin.instant(of: date, minute: 180), utc(2026, 10, 25, 2, 0), "03:00 CET")
        XCTAssertEqual(berlin.instant(of: date, minute: 1440), utc(2026, 10, 25, 23, 0), "a 25-hour day")
        XCTAssertEqual(berlin.startOfDay(date), utc(2026, 10, 24, 22, 0))

        // Both occurrences read as the same wall clock.
        for instant in [utc(2026, 10, 25, 0, 30), utc(2026, 10, 25, 1, 30)] {
            XCTAssertEqual(berlin.localDate(of: instant), date)
            XCTAssertEqual(berlin.minuteOfDay(of: instant), 150)
        }
        XCTAssertEqual(berlin.minuteOfDay(of: utc(2026, 10, 25, 0, 59, 59)), 179)
        XCTAssertEqual(berlin.minuteOfDay(of: utc(2026, 10, 25, 1, 0)), 120, "the clock goes back to 02:00")
        XCTAssertEqual(berlin.minuteOfDay(of: utc(2026, 10, 25, 2, 0)), 180)
        XCTAssertEqual(berlin.localDate(of: utc(2026, 10, 24, 21, 59, 59)), day(2026, 10, 24))
        XCTAssertEqual(berlin.localDate(of: utc(2026, 10, 24, 22, 0)), date)
        XCTAssertEqual(berlin.localDate(of: utc(2026, 10, 25, 22, 59, 59)), date)
        XCTAssertEqual(berlin.localDate(of: utc(2026, 10, 25, 23, 0)), day(2026, 10, 26))
    }

    func testBerlinEveryMinuteOfBothSwitchDays() {
        // Spring: minutes 120..<180 have no instant; the rest are CET before and CEST after.
        for minute in 0..<1440 {
            let got = berlin.instant(of: day(2026, 3, 29), minute: minute)
            let expected: Date? = minute < 120 ? wall(2026, 3, 29, 0, minute, offset: 1)
                : minute < 180 ? nil : wall(2026, 3, 29, 0, minute, offset: 2)
            guard got == expected else {
                XCTFail("2026-03-29 minute \(minute): \(String(describing: got)) != \(String(describing: expected))")
                return
            }
        }
        // Autumn: minutes before 180 are CEST (the repeated hour's first pass), later ones CET.
        for minute in 0..<1440 {
            let got = berlin.instant(of: day(2026, 10, 25), minute: minute)
            let expected = wall(2026, 10, 25, 0, minute, offset: minute < 180 ? 2 : 1)
            guard got == expected else {
                XCTFail("2026-10-25 minute \(minute): \(String(describing: got)) != \(expected)")
                return
            }
        }
    }

    // MARK: New York

    func testNewYorkSpringForward() {
        let date = day(2026, 3, 8)   // 02:00 EST becomes 03:00 EDT at 07:00 UTC
        XCTAssertEqual(newYork.instant(of: date, minute: 0), utc(2026, 3, 8, 5, 0))
        XCTAssertEqual(newYork.instant(of: date, minute: 119), utc(2026, 3, 8, 6, 59))
        XCTAssertNil(newYork.instant(of: date, minute: 120))
        XCTAssertNil(newYork.instant(of: date, minute: 150))
        XCTAssertEqual(newYork.instant(of: date, minute: 180), utc(2026, 3, 8, 7, 0))
        XCTAssertEqual(newYork.instant(of: date, minute: 9 * 60), wall(2026, 3, 8, 9, 0, offset: -4))
        XCTAssertEqual(newYork.instant(of: date, minute: 1440), utc(2026, 3, 9, 4, 0))
        XCTAssertEqual(newYork.instant(of: day(2026, 3, 7), minute: 9 * 60), wall(2026, 3, 7, 9, 0, offset: -5))
        XCTAssertEqual(newYork.minuteOfDay(of: utc(2026, 3, 8, 6, 59, 59)), 119)
        XCTAssertEqual(newYork.minuteOfDay(of: utc(2026, 3, 8, 7, 0)), 180)
        // Around local midnight: UTC is five hours ahead before the switch, four after.
        XCTAssertEqual(newYork.localDate(of: utc(2026, 3, 8, 4, 59, 59)), day(2026, 3, 7))
        XCTAssertEqual(newYork.minuteOfDay(of: utc(2026, 3, 8, 4, 59, 59)), 1439)
        XCTAssertEqual(newYork.localDate(of: utc(2026, 3, 8, 5, 0)), date)
        XCTAssertEqual(newYork.localDate(of: utc(2026, 3, 9, 3, 59, 59)), date)
        XCTAssertEqual(newYork.localDate(of: utc(2026, 3, 9, 4, 0)), day(2026, 3, 9))
        XCTAssertEqual(newYork.minuteOfDay(of: utc(2026, 3, 9, 4, 0)), 0)
    }

    func testNewYorkFallBack() {
        let date = day(2026, 11, 1)   // 02:00 EDT becomes 01:00 EST at 06:00 UTC
        XCTAssertEqual(newYork.instant(of: date, minute: 0), utc(2026, 11, 1, 4, 0))
        XCTAssertEqual(newYork.instant(of: date, minute: 60), utc(2026, 11, 1, 5, 0), "first 01:00 (EDT)")
        XCTAssertEqual(newYork.instant(of: date, minute: 90), utc(2026, 11, 1, 5, 30), "first 01:30 (EDT)")
        XCTAssertEqual(newYork.instant(of: date, minute: 119), utc(2026, 11, 1, 5, 59))
        XCTAssertEqual(newYork.instant(of: date, minute: 120), utc(2026, 11, 1, 7, 0), "02:00 EST")
        XCTAssertEqual(newYork.instant(of: date, minute: 1440), utc(2026, 11, 2, 5, 0))
        XCTAssertEqual(newYork.startOfDay(date), utc(2026, 11, 1, 4, 0))
        for instant in [utc(2026, 11, 1, 5, 30), utc(2026, 11, 1, 6, 30)] {
            XCTAssertEqual(newYork.localDate(of: instant), date)
            XCTAssertEqual(newYork.minuteOfDay(of: instant), 90)
        }
        XCTAssertEqual(newYork.minuteOfDay(of: utc(2026, 11, 1, 6, 0)), 60)
        XCTAssertEqual(newYork.localDate(of: utc(2026, 11, 2, 4, 59, 59)), date)
        XCTAssertEqual(newYork.minuteOfDay(of: utc(2026, 11, 2, 4, 59, 59)), 1439)
        XCTAssertEqual(newYork.localDate(of: utc(2026, 11, 2, 5, 0)), day(2026, 11, 2))
        for minute in 0..<1440 {
            let expected = wall(2026, 11, 1, 0, minute, offset: minute < 120 ? -4 : -5)
            guard newYork.instant(of: date, minute: minute) == expected else {
                XCTFail("2026-11-01 minute \(minute): \(String(describing: newYork.instant(of: date, minute: minute))) != \(expected)")
                return
            }
        }
    }

    /// Chile moves its clocks at midnight: 2026-09-06 00:00 (-04) becomes 01:00 (-03) at
    /// 04:00 UTC, so the day starts at 01:00.
    func testStartOfDayWhenMidnightItselfIsSkipped() throws {
        let zone = try XCTUnwrap(TimeZone(identifier: "America/Santiago"))
        guard zone.secondsFromGMT(for: utc(2026, 9, 6, 3, 59)) == -4 * 3600,
              zone.secondsFromGMT(for: utc(2026, 9, 6, 4, 0)) == -3 * 3600 else {
            throw XCTSkip("this system's zone data has another rule for Chile in 2026")
        }
        let santiago = BusinessClock(timeZone: zone)
        XCTAssertNil(santiago.instant(of: day(2026, 9, 6), minute: 0))
        XCTAssertNil(santiago.instant(of: day(2026, 9, 5), minute: 1440))
        XCTAssertEqual(santiago.instant(of: day(2026, 9, 6), minute: 60), utc(2026, 9, 6, 4, 0))
        XCTAssertEqual(santiago.startOfDay(day(2026, 9, 6)), utc(2026, 9, 6, 4, 0))
        XCTAssertEqual(santiago.startOfDay(day(2026, 9, 5)), utc(2026, 9, 5, 4, 0))
        XCTAssertEqual(santiago.localDate(of: utc(2026, 9, 6, 3, 59, 59)), day(2026, 9, 5))
        XCTAssertEqual(santiago.localDate(of: utc(2026, 9, 6, 4, 0)), day(2026, 9, 6))
        XCTAssertEqual(santiago.minuteOfDay(of: utc(2026, 9, 6, 4, 0)), 60)
    }

    func testWallTimesJustBeforeAChangeInAUTCPlusFourteenZoneExist() {
        // Samoa left DST on 2012-04-01 at 04:00 (+14) for 03:00 (+13). 02:00 that morning
        // existed once, at +14; looking for the offset only 12 hours around the wall time
        // found +13 on both sides and called it skipped.
        let apia = BusinessClock(timeZone: TimeZone(identifier: "Pacific/Apia")!)
        XCTAssertEqual(apia.instant(of: day(2012, 4, 1), minute: 120), utc(2012, 3, 31, 12, 0))
        XCTAssertEqual(apia.instant(of: day(2012, 4, 1), minute: 190), utc(2012, 3, 31, 13, 10), "03:10 came twice: the first")
        XCTAssertEqual(apia.instant(of: day(2012, 4, 1), minute: 250), utc(2012, 3, 31, 15, 10))
    }
}

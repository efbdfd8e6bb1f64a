import DevSupport
import Foundation
import XCTest
@testable import Booking

/// Properties of the calendar, the clock and the slot finder over the whole range they
/// accept, from the seeded generator of SlotPropertyTests (same seeds, same cases on
/// every machine). A failure prints its seed; `BOOKING_PROPERTY_SEED=0x…` reruns it.
final class CalendarPropertyTests: XCTestCase {
    private var seed: UInt64 {
        ProcessInfo.processInfo.environment["BOOKING_PROPERTY_SEED"].flatMap(SlotPropertyTests.parseSeed) ?? 0xCA1E_DA25_2026_1206
    }

    private func randomDay(_ random: inout SplitMix64) -> LocalDate {
        // Mostly anywhere in the calendar; a quarter of the time at or next to an end.
        switch random.int(0...7) {
        case 0: return LocalDate.earliest.adding(days: random.int(0...400))
        case 1: return LocalDate.latest.adding(days: -random.int(0...400))
        default: return LocalDate(dayNumber: random.int(LocalDate.earliest.dayNumber...LocalDate.latest.dayNumber))
        }
    }

    func testDayNumbersAndCivilDatesRoundTripOverTheWholeCalendar() {
        var random = SplitMix64(seed: seed)
        let numbers = [LocalDate.earliest.dayNumber, LocalDate.latest.dayNumber] + (0..<20_000).map { _ in randomDay(&random).dayNumber }
        for number in numbers {
            let date = LocalDate(dayNumber: number)
            guard let back = LocalDate(year: date.year, month: date.month, day: date.day), back.dayNumber == number,
                  LocalDate(date.description) == date else {
                return XCTFail("day \(number) (\(date)) does not round-trip (seed \(SlotPropertyTests.hex(seed)))")
            }
            // The next day is the civil successor: the day after, or the 1st of the next month
            // after the month's last day (independent of the day-number arithmetic).
            guard number < LocalDate.latest.dayNumber else { continue }
            let next = LocalDate(dayNumber: number + 1)
            let lastOfMonth = date.day == LocalDate.daysIn(year: date.year, month: date.month)
            let expected = !lastOfMonth ? (date.year, date.month, date.day + 1)
                : date.month < 12 ? (date.year, date.month + 1, 1) : (date.year + 1, 1, 1)
            guard (next.year, next.month, next.day) == expected,
                  next.weekday.rawValue == date.weekday.rawValue % 7 + 1, date < next else {
                return XCTFail("after \(date) (\(date.weekday)) comes \(next) (\(next.weekday)) (seed \(SlotPropertyTests.hex(seed)))")
            }
            guard LocalDate(dayNumber: min(number + 7 * random.int(-1000...1000), LocalDate.latest.dayNumber)).weekday == date.weekday
                    || number + 7_000 > LocalDate.latest.dayNumber || number - 7_000 < LocalDate.earliest.dayNumber else {
                return XCTFail("weeks later \(date) is another weekday (seed \(SlotPropertyTests.hex(seed)))")
            }
        }
        // Anchors of the proleptic Gregorian calendar.
        XCTAssertEqual(day(2000, 1, 1).weekday, .saturday)
        XCTAssertEqual(day(1582, 10, 15).weekday, .friday)
    }

    func testMonthArithmeticOverTheWholeCalendar() {
        var random = SplitMix64(seed: seed ^ 1)
        for _ in 0..<20_000 {
            let date = randomDay(&random)
            let months = random.chance(10) ? random.int(-150_000...150_000) : random.int(-40...40)
            let first = date.firstOfMonth(addingMonths: months)
            let last = date.lastOfMonth(addingMonths: months)
            let target = date.year * 12 + date.month - 1 + months
            let held = min(max(target, 1 * 12), 9999 * 12 + 11)
            guard first.day == 1, first.year * 12 + first.month - 1 == held,
                  last.year == first.year, last.month == first.month,
                  last == LocalDate.latest || last.adding(days: 1).day == 1 else {
                return XCTFail("\(date) \(months) months: \(first)...\(last) (seed \(SlotPropertyTests.hex(seed)))")
            }
        }
    }

    /// Zones with DST (northern and southern), a 30-minute DST, a :45 offset, a zone that
    /// skipped a whole day, and UTC.
    private static let zones = ["Europe/Berlin", "America/New_York", "Australia/Lord_Howe", "America/Santiago",
                                "Asia/Kathmandu", "Pacific/Apia", "Europe/Moscow", "UTC"].map { TimeZone(identifier: $0)! }

    func testTheClockRoundTripsLocalAndUTCIncludingDSTDays() {
        var random = SplitMix64(seed: seed ^ 2)
        var instants: [(TimeZone, Date)] = []
        for zone in Self.zones {
            // Around every transition Foundation knows from 2009 to 2031…
            var probe = utc(2009, 1, 1)
            while let change = zone.nextDaylightSavingTimeTransition(after: probe), change < utc(2031, 1, 1) {
                instants += (-180...180).map { (zone, change.addingTimeInterval(Double($0) * 60)) }
                probe = change
            }
            // …and at random minutes over the calendar (a day from its ends: an instant on
            // its first or last UTC day can be local time outside it).
            instants += (0..<2_000).map { _ in
                let day = min(max(randomDay(&random).dayNumber, LocalDate.earliest.dayNumber + 1), LocalDate.latest.dayNumber - 1)
                return (zone, Date(timeIntervalSince1970: Double(day) * 86_400 + Double(random.int(0...1439)) * 60))
            }
        }
        for (zone, instant) in instants {
            let clock = BusinessClock(timeZone: zone)
            let date = clock.localDate(of: instant)
            let minute = clock.minuteOfDay(of: instant)
            // The wall clock, independently: the instant plus the zone's offset at it.
            let wall = instant.timeIntervalSince1970 + Double(zone.secondsFromGMT(for: instant))
            guard date.dayNumber == Int((wall / 86_400).rounded(.down)), minute == Int(wall - Double(date.dayNumber) * 86_400) / 60,
                  let back = clock.instant(of: date, minute: minute) else {
                return XCTFail("\(instant) in \(zone.identifier): \(date) minute \(minute) (seed \(SlotPropertyTests.hex(seed)))")
            }
            // Back to the same instant, or to the first of a wall time the clock showed twice.
            guard back == instant || (back < instant && clock.localDate(of: back) == date && clock.minuteOfDay(of: back) == minute) else {
                return XCTFail("\(instant) in \(zone.identifier) reads \(date) minute \(minute), which maps to \(back) (seed \(SlotPropertyTests.hex(seed)))")
            }
        }
    }

    func testTheSlotFinderNeverOffersAStartOutsideHoursInThePastOrOverlapping() {
        var random = SplitMix64(seed: seed ^ 3)
        var offered = 0
        for _ in 0..<600 {
            let zone = random.pick(Self.zones)
            let open = random.int(0...47) * 30
            let hours = DayHours(open: open, close: random.int((open / 30 + 1)...48) * 30)!
            let rules = makeRules(zone: zone, schedule: .everyDay(hours), step: random.pick([15, 30, 45, 60, 90]),
                                  horizonMonths: random.pick([0, 1, 3, 12]), notice: random.pick([0, 60, 1440]))
            let date = random.chance(50) ? randomDay(&random) : day(2026, 1, 1).adding(days: random.int(0...3000))
            let now = Date(timeIntervalSince1970: Double(date.dayNumber) * 86_400 + Double(random.int(-40 * 1440...1440)) * 60 + Double(random.int(0...59)))
            let duration = random.int(1...16) * 15
            let occupancy = Occupancy(
                bookings: (0..<random.int(0...4)).map { _ in
                    TimeRange(start: Date(timeIntervalSince1970: Double(date.dayNumber) * 86_400 + Double(random.int(-600...2000)) * 60), minutes: random.int(15...240))
                },
                blocks: (0..<random.int(0...2)).map { _ in
                    TimeRange(start: Date(timeIntervalSince1970: Double(date.dayNumber) * 86_400 + Double(random.int(-600...2000)) * 60), minutes: random.int(15...600))
                })
            let starts = SlotFinder(rules: rules).freeStarts(on: date, durationMinutes: duration, occupancy: occupancy, now: now)
            offered += starts.count
            let closing = SlotFinder(rules: rules).boundary(date, minute: hours.close)
            for (index, start) in starts.enumerated() {
                let minute = rules.clock.minuteOfDay(of: start)
                let range = TimeRange(start: start, minutes: duration)
                let problems = [
                    rules.clock.localDate(of: start) != date ? "on another day" : nil,
                    minute < hours.open || range.end > closing ? "outside the hours" : nil,
                    (minute - hours.open) % rules.slotStepMinutes != 0 ? "off the grid" : nil,
                    start <= now || start < rules.earliestStart(now: now) ? "in the past or inside the notice" : nil,
                    occupancy.conflict(with: range) != nil ? "over taken time" : nil,
                    index > 0 && starts[index - 1] >= start ? "out of order" : nil,
                    rules.refusal(for: .book(SlotRequest(start: start, durationMinutes: duration, serviceActive: true), activeBookings: 0),
                                  by: .client, now: now, occupancy: occupancy).map { "refused at commit: \($0)" },
                ].compactMap { $0 }
                guard problems.isEmpty else {
                    return XCTFail("\(start) offered on \(date) in \(zone.identifier) (hours \(hours.open)–\(hours.close), now \(now)): \(problems) (seed \(SlotPropertyTests.hex(seed)))")
                }
            }
        }
        XCTAssertGreaterThan(offered, 1_000, "the generator must produce days with free starts")
    }
}

import Foundation
import XCTest
@testable import Booking

/// Example-based checks of the offered starts and the month-view day colours. Unless a
/// test says otherwise: Moscow (UTC+3), 9:00–18:00 every day, step 60, notice 60 min,
/// horizon 3 months, and "now" is 2026-11-20 10:00 MSK (horizon end 2027-02-28).
final class SlotFinderTests: XCTestCase {
    private let wednesday = day(2026, 11, 25)
    private let earlier = msk(2026, 11, 20, 10, 0)

    private func finder(_ rules: BookingRules = makeRules()) -> SlotFinder { SlotFinder(rules: rules) }

    /// Moscow starts on 2026-11-25 at the given wall times (hour, minute).
    private func onWednesday(_ times: [(Int, Int)]) -> [Date] { times.map { msk(2026, 11, 25, $0.0, $0.1) } }
    private func onWednesday(hours: ClosedRange<Int>) -> [Date] { hours.map { msk(2026, 11, 25, $0, 0) } }

    private func range(_ fromHour: Int, _ fromMinute: Int, _ toHour: Int, _ toMinute: Int) -> TimeRange {
        TimeRange(start: msk(2026, 11, 25, fromHour, fromMinute), end: msk(2026, 11, 25, toHour, toMinute))
    }

    // MARK: Candidates

    func testDefaultHoursOfferNineStartsForAnHourService() {
        let starts = finder().freeStarts(on: wednesday, durationMinutes: 60, occupancy: .empty, now: earlier)
        XCTAssertEqual(starts, onWednesday(hours: 9...17))
        XCTAssertEqual(starts.count, 9)
        XCTAssertEqual(finder().candidateStarts(on: wednesday, durationMinutes: 60), onWednesday(hours: 9...17))
    }

    func testTheWholeServiceMustEndByClosing() {
        XCTAssertEqual(finder().freeStarts(on: wednesday, durationMinutes: 120, occupancy: .empty, now: earlier),
                       onWednesday(hours: 9...16))
        XCTAssertEqual(finder().freeStarts(on: wednesday, durationMinutes: 90, occupancy: .empty, now: earlier),
                       onWednesday(hours: 9...16), "16:00 + 90 min = 17:30 fits, 17:00 + 90 does not")
        XCTAssertEqual(finder().freeStarts(on: wednesday, durationMinutes: 540, occupancy: .empty, now: earlier),
                       onWednesday(hours: 9...9), "exactly the opening hours")
        XCTAssertEqual(finder().freeStarts(on: wednesday, durationMinutes: 541, occupancy: .empty, now: earlier), [])
        XCTAssertEqual(finder().dayStatus(on: wednesday, durationMinutes: 541, occupancy: .empty, now: earlier), .unavailable)
    }

    func testStepThirtyCountsFromOpening() {
        let rules = makeRules(step: 30)
        let expected = instants(from: msk(2026, 11, 25, 9, 0), count: 17, stepMinutes: 30)   // 9:00 ... 17:00
        XCTAssertEqual(finder(rules).freeStarts(on: wednesday, durationMinutes: 60, occupancy: .empty, now: earlier), expected)
        XCTAssertEqual(expected.last, msk(2026, 11, 25, 17, 0))

        // With an opening at 9:15 and step 45 the grid is 9:15, 10:00, 10:45, ...
        let odd = makeRules(schedule: .everyDay(DayHours(open: 9 * 60 + 15, close: 12 * 60)!), step: 45)
        XCTAssertEqual(finder(odd).freeStarts(on: wednesday, durationMinutes: 45, occupancy: .empty, now: earlier),
                       onWednesday([(9, 15), (10, 0), (10, 45)]))
    }

    func testBookingsUseHalfOpenIntervals() {
        let twoHours = Occupancy(bookings: [range(10, 0, 12, 0)])
        let free = finder().freeStarts(on: wednesday, durationMinutes: 60, occupancy: twoHours, now: earlier)
        XCTAssertEqual(free, onWednesday([(9, 0), (12, 0), (13, 0), (14, 0), (15, 0), (16, 0), (17, 0)]))
        XCTAssertFalse(free.contains(msk(2026, 11, 25, 11, 0)), "11:00–12:00 lies inside 10:00–12:00")
        XCTAssertTrue(free.contains(msk(2026, 11, 25, 12, 0)), "12:00 starts exactly when the booking ends")
        XCTAssertTrue(free.contains(msk(2026, 11, 25, 9, 0)), "9:00–10:00 ends exactly when the booking starts")

        let oneHour = Occupancy(bookings: [range(10, 0, 11, 0)])
        XCTAssertEqual(finder().freeStarts(on: wednesday, durationMinutes: 60, occupancy: oneHour, now: earlier),
                       onWednesday([(9, 0), (11, 0), (12, 0), (13, 0), (14, 0), (15, 0), (16, 0), (17, 0)]))
        // A two-hour service cannot start at 9:00 when 10:00 is taken.
        XCTAssertEqual(finder().freeStarts(on: wednesday, durationMinutes: 120, occupancy: oneHour, now: earlier),
                       onWednesday(hours: 11...16))
        // A short booking in the middle of a step still blocks the slot around it.
        let short = Occupancy(bookings: [range(13, 20, 13, 40)])
        XCTAssertEqual(finder().freeStarts(on: wednesday, durationMinutes: 60, occupancy: short, now: earlier),
                       onWednesday([(9, 0), (10, 0), (11, 0), (12, 0), (14, 0), (15, 0), (16, 0), (17, 0)]))
    }

    func testBlocksRemoveStartsLikeBookings() {
        let occupancy = Occupancy(bookings: [range(9, 0, 10, 0)], blocks: [range(13, 0, 15, 0), range(16, 30, 18, 0)])
        XCTAssertEqual(finder().freeStarts(on: wednesday, durationMinutes: 60, occupancy: occupancy, now: earlier),
                       onWednesday([(10, 0), (11, 0), (12, 0), (15, 0)]))
        // A block over the whole day, even one longer than the day, leaves nothing.
        let wholeDay = Occupancy(blocks: [TimeRange(start: msk(2026, 11, 24, 0, 0), end: msk(2026, 11, 27, 0, 0))])
        XCTAssertEqual(finder().freeStarts(on: wednesday, durationMinutes: 60, occupancy: wholeDay, now: earlier), [])
        // Occupancy on other days does not matter.
        let otherDays = Occupancy(bookings: [TimeRange(start: msk(2026, 11, 24, 9, 0), minutes: 540)],
                                  blocks: [TimeRange(start: msk(2026, 11, 26, 9, 0), minutes: 540)])
        XCTAssertEqual(finder().freeStarts(on: wednesday, durationMinutes: 60, occupancy: otherDays, now: earlier),
                       onWednesday(hours: 9...17))
    }

    func testMinimumNoticeAndPastStartsAreFilteredToday() {
        let f = finder()
        // 10:30 + 60 min notice = 11:30: 9:00–11:00 are gone.
        XCTAssertEqual(f.freeStarts(on: wednesday, durationMinutes: 60, occupancy: .empty, now: msk(2026, 11, 25, 10, 30)),
                       onWednesday(hours: 12...17))
        // Exactly 10:00 + 60 = 11:00: a start exactly at the earliest instant is offered.
        XCTAssertEqual(f.freeStarts(on: wednesday, durationMinutes: 60, occupancy: .empty, now: msk(2026, 11, 25, 10, 0)),
                       onWednesday(hours: 11...17))
        // One second later it is not.
        XCTAssertEqual(f.freeStarts(on: wednesday, durationMinutes: 60, occupancy: .empty,
                                    now: msk(2026, 11, 25, 10, 0).addingTimeInterval(1)),
                       onWednesday(hours: 12...17))
        // Notice reaches into tomorrow: at 23:30 with 10 hours' notice tomorrow starts at 9:30 → 10:00.
        let longNotice = finder(makeRules(notice: 600))
        XCTAssertEqual(longNotice.freeStarts(on: day(2026, 11, 26), durationMinutes: 60, occupancy: .empty,
                                             now: msk(2026, 11, 25, 23, 30)),
                       (10...17).map { msk(2026, 11, 26, $0, 0) })
        // Before opening today everything is ahead.
        XCTAssertEqual(f.freeStarts(on: wednesday, durationMinutes: 60, occupancy: .empty, now: msk(2026, 11, 25, 7, 0)),
                       onWednesday(hours: 9...17))
        // After the last start nothing is left; a past day gives nothing either.
        XCTAssertEqual(f.freeStarts(on: wednesday, durationMinutes: 60, occupancy: .empty, now: msk(2026, 11, 25, 16, 30)), [])
        XCTAssertEqual(f.freeStarts(on: day(2026, 11, 24), durationMinutes: 60, occupancy: .empty, now: msk(2026, 11, 25, 7, 0)), [])
        // Notice zero: starts from now on.
        let noNotice = finder(makeRules(notice: 0))
        XCTAssertEqual(noNotice.freeStarts(on: wednesday, durationMinutes: 60, occupancy: .empty, now: msk(2026, 11, 25, 14, 10)),
                       onWednesday(hours: 15...17))
    }

    func testDayOffOffersNothing() {
        var schedule = WorkSchedule.everyDay(hours(9, 18))
        schedule.hours[.sunday] = nil
        let f = finder(makeRules(schedule: schedule))
        let sunday = day(2026, 11, 29)
        XCTAssertEqual(f.candidateStarts(on: sunday, durationMinutes: 60), [])
        XCTAssertEqual(f.freeStarts(on: sunday, durationMinutes: 60, occupancy: .empty, now: earlier), [])
        XCTAssertEqual(f.dayStatus(on: sunday, durationMinutes: 60, occupancy: .empty, now: earlier), .unavailable)
        XCTAssertEqual(f.freeStarts(on: day(2026, 11, 30), durationMinutes: 60, occupancy: .empty, now: earlier).count, 9)

        // Per-weekday hours: Saturday 10–14 only.
        schedule.hours[.saturday] = hours(10, 14)
        XCTAssertEqual(finder(makeRules(schedule: schedule)).freeStarts(on: day(2026, 11, 28), durationMinutes: 60, occupancy: .empty, now: earlier),
                       (10...13).map { msk(2026, 11, 28, $0, 0) })
    }

    func testHorizonEndsOnTheLastDayOfTheMonthPlusN() {
        let f = finder()
        XCTAssertEqual(f.rules.horizonEnd(now: earlier), day(2027, 2, 28))
        XCTAssertEqual(f.freeStarts(on: day(2027, 2, 28), durationMinutes: 60, occupancy: .empty, now: earlier),
                       (9...17).map { msk(2027, 2, 28, $0, 0) })
        XCTAssertEqual(f.dayStatus(on: day(2027, 2, 28), durationMinutes: 60, occupancy: .empty, now: earlier), .allFree)
        XCTAssertEqual(f.candidateStarts(on: day(2027, 3, 1), durationMinutes: 60).count, 9, "the hours exist...")
        XCTAssertEqual(f.freeStarts(on: day(2027, 3, 1), durationMinutes: 60, occupancy: .empty, now: earlier), [], "...but not the horizon")
        XCTAssertEqual(f.dayStatus(on: day(2027, 3, 1), durationMinutes: 60, occupancy: .empty, now: earlier), .unavailable)

        // The horizon follows the business's calendar, not UTC's: 2026-11-30 22:30 UTC is
        // already December 1 in Moscow, so the horizon reaches March 31.
        let lateNovemberUTC = utc(2026, 11, 30, 22, 30)
        XCTAssertEqual(f.rules.horizonEnd(now: lateNovemberUTC), day(2027, 3, 31))
        XCTAssertEqual(f.freeStarts(on: day(2027, 3, 31), durationMinutes: 60, occupancy: .empty, now: lateNovemberUTC).count, 9)
        XCTAssertEqual(f.rules.horizonEnd(now: utc(2026, 11, 30, 20, 59)), day(2027, 2, 28))

        // Horizon 0: this month only.
        let thisMonth = finder(makeRules(horizonMonths: 0))
        XCTAssertEqual(thisMonth.freeStarts(on: day(2026, 11, 30), durationMinutes: 60, occupancy: .empty, now: earlier).count, 9)
        XCTAssertEqual(thisMonth.freeStarts(on: day(2026, 12, 1), durationMinutes: 60, occupancy: .empty, now: earlier), [])
    }

    // MARK: DST (Berlin, open around the clock, step 30)

    private var berlinAroundTheClock: SlotFinder {
        finder(makeRules(zone: Zones.berlin, schedule: .everyDay(DayHours(open: 0, close: 1440)!), step: 30))
    }

    func testSpringForwardDayHasNoStartsInTheSkippedHour() {
        let f = berlinAroundTheClock
        let now = utc(2026, 3, 1, 12, 0)
        let date = day(2026, 3, 29)
        let starts = f.freeStarts(on: date, durationMinutes: 30, occupancy: .empty, now: now)
        // 23 real hours: 00:00 CET (23:00 UTC) every 30 minutes through 23:30 CEST (21:30 UTC).
        XCTAssertEqual(starts, instants(from: utc(2026, 3, 28, 23, 0), count: 46, stepMinutes: 30))
        let wallMinutes = starts.map { f.rules.clock.minuteOfDay(of: $0) }
        XCTAssertFalse(wallMinutes.contains(120), "no 02:00")
        XCTAssertFalse(wallMinutes.contains(150), "no 02:30")
        XCTAssertTrue(wallMinutes.contains(90) && wallMinutes.contains(180))
        // An hour-long service: the last start is 23:00 CEST, ending at midnight.
        XCTAssertEqual(f.freeStarts(on: date, durationMinutes: 60, occupancy: .empty, now: now),
                       instants(from: utc(2026, 3, 28, 23, 0), count: 45, stepMinutes: 30))
        // A 90-minute service at 01:00 CET ends at 03:30 CEST (an hour was skipped): offered.
        XCTAssertTrue(f.freeStarts(on: date, durationMinutes: 90, occupancy: .empty, now: now).contains(utc(2026, 3, 29, 0, 0)))
    }

    func testFallBackDayOffersEachRepeatedWallTimeOnce() {
        let f = berlinAroundTheClock
        let now = utc(2026, 10, 1, 12, 0)
        let date = day(2026, 10, 25)
        let starts = f.freeStarts(on: date, durationMinutes: 30, occupancy: .empty, now: now)
        // 00:00–02:30 CEST (22:00–00:30 UTC), then 03:00 CET (02:00 UTC) through 23:30 CET.
        let expected = instants(from: utc(2026, 10, 24, 22, 0), count: 6, stepMinutes: 30)
            + instants(from: utc(2026, 10, 25, 2, 0), count: 42, stepMinutes: 30)
        XCTAssertEqual(starts, expected)
        XCTAssertEqual(starts.count, 48, "one start per wall-clock half hour, although the day has 25 hours")
        let wallMinutes = starts.map { f.rules.clock.minuteOfDay(of: $0) }
        XCTAssertEqual(wallMinutes.filter { $0 == 120 }.count, 1, "02:00 once")
        XCTAssertEqual(wallMinutes.filter { $0 == 150 }.count, 1, "02:30 once")
        XCTAssertEqual(wallMinutes, Array(stride(from: 0, to: 1440, by: 30)))
        XCTAssertFalse(starts.contains(utc(2026, 10, 25, 1, 0)), "not the second 02:00")
        XCTAssertFalse(starts.contains(utc(2026, 10, 25, 1, 30)), "not the second 02:30")
        // The last hour-long start is 23:00 CET (22:00 UTC), ending at midnight.
        XCTAssertEqual(f.freeStarts(on: date, durationMinutes: 60, occupancy: .empty, now: now).last, utc(2026, 10, 25, 22, 0))
    }

    func testClosingTimeInsideASwitchedHour() {
        // Spring: closing at 02:30, a time that does not exist, means closing when the clock
        // resumes at 03:00 CEST (01:00 UTC).
        let spring = finder(makeRules(zone: Zones.berlin, schedule: .everyDay(DayHours(open: 60, close: 150)!), step: 15))
        let march = utc(2026, 3, 1, 12, 0)
        XCTAssertEqual(spring.freeStarts(on: day(2026, 3, 29), durationMinutes: 45, occupancy: .empty, now: march),
                       [utc(2026, 3, 29, 0, 0), utc(2026, 3, 29, 0, 15)], "01:15 CET + 45 min = 03:00 CEST")
        XCTAssertEqual(spring.freeStarts(on: day(2026, 3, 29), durationMinutes: 60, occupancy: .empty, now: march),
                       [utc(2026, 3, 29, 0, 0)])
        // Autumn: closing at 02:30, a time that happens twice, means its first occurrence (00:30 UTC).
        let autumn = finder(makeRules(zone: Zones.berlin, schedule: .everyDay(DayHours(open: 60, close: 150)!), step: 30))
        let october = utc(2026, 10, 1, 12, 0)
        XCTAssertEqual(autumn.freeStarts(on: day(2026, 10, 25), durationMinutes: 90, occupancy: .empty, now: october),
                       [utc(2026, 10, 24, 23, 0)])
        XCTAssertEqual(autumn.freeStarts(on: day(2026, 10, 25), durationMinutes: 30, occupancy: .empty, now: october),
                       [utc(2026, 10, 24, 23, 0), utc(2026, 10, 24, 23, 30), utc(2026, 10, 25, 0, 0)])
    }

    func testNewYorkSwitchDaysWithRegularHours() {
        // 9–18 in New York: the switch happens at night, so the hours keep their wall times
        // and only the UTC instants shift by an hour between the days around the switch.
        let f = finder(makeRules(zone: Zones.newYork))
        let now = utc(2026, 3, 1, 12, 0)
        XCTAssertEqual(f.freeStarts(on: day(2026, 3, 7), durationMinutes: 60, occupancy: .empty, now: now),
                       (9...17).map { wall(2026, 3, 7, $0, 0, offset: -5) })
        XCTAssertEqual(f.freeStarts(on: day(2026, 3, 8), durationMinutes: 60, occupancy: .empty, now: now),
                       (9...17).map { wall(2026, 3, 8, $0, 0, offset: -4) })
        let autumn = utc(2026, 10, 20, 12, 0)
        XCTAssertEqual(f.freeStarts(on: day(2026, 11, 1), durationMinutes: 60, occupancy: .empty, now: autumn),
                       (9...17).map { wall(2026, 11, 1, $0, 0, offset: -5) })
        // Opening inside the skipped hour: 02:00–04:00 on 2026-03-08 keeps only 03:00 (EDT).
        let night = finder(makeRules(zone: Zones.newYork, schedule: .everyDay(hours(2, 4))))
        XCTAssertEqual(night.freeStarts(on: day(2026, 3, 8), durationMinutes: 60, occupancy: .empty, now: now),
                       [utc(2026, 3, 8, 7, 0)])
        // Opening in the repeated hour: 01:00–03:00 step 30 on 2026-11-01 offers 01:00 and
        // 01:30 (EDT) once, then 02:00 and 02:30 EST.
        let repeated = finder(makeRules(zone: Zones.newYork, schedule: .everyDay(hours(1, 3)), step: 30))
        XCTAssertEqual(repeated.freeStarts(on: day(2026, 11, 1), durationMinutes: 30, occupancy: .empty, now: autumn),
                       [utc(2026, 11, 1, 5, 0), utc(2026, 11, 1, 5, 30), utc(2026, 11, 1, 7, 0), utc(2026, 11, 1, 7, 30)])
    }

    // MARK: Day colours

    func testDayStatusColours() {
        let f = finder()
        XCTAssertEqual(f.dayStatus(on: wednesday, durationMinutes: 60, occupancy: .empty, now: earlier), .allFree)
        XCTAssertEqual(f.dayStatus(on: wednesday, durationMinutes: 60,
                                   occupancy: Occupancy(bookings: [range(10, 0, 11, 0)]), now: earlier), .someFree)
        XCTAssertEqual(f.dayStatus(on: wednesday, durationMinutes: 60,
                                   occupancy: Occupancy(blocks: [range(9, 0, 12, 0)]), now: earlier), .someFree)
        XCTAssertEqual(f.dayStatus(on: wednesday, durationMinutes: 60,
                                   occupancy: Occupancy(blocks: [range(9, 0, 18, 0)]), now: earlier), .full)
        // Nine one-hour bookings fill the day too.
        let allBooked = Occupancy(bookings: (9...17).map { TimeRange(start: msk(2026, 11, 25, $0, 0), minutes: 60) })
        XCTAssertEqual(f.dayStatus(on: wednesday, durationMinutes: 60, occupancy: allBooked, now: earlier), .full)
        // A 30-minute gap is free for a 30-minute service but not for an hour-long one.
        let gap = Occupancy(bookings: [range(9, 0, 12, 30), range(13, 0, 18, 0)])
        let halfHourly = finder(makeRules(step: 30))
        XCTAssertEqual(halfHourly.dayStatus(on: wednesday, durationMinutes: 30, occupancy: gap, now: earlier), .someFree)
        XCTAssertEqual(halfHourly.freeStarts(on: wednesday, durationMinutes: 30, occupancy: gap, now: earlier), onWednesday([(12, 30)]))
        XCTAssertEqual(halfHourly.dayStatus(on: wednesday, durationMinutes: 60, occupancy: gap, now: earlier), .full)
    }

    func testUnavailableDays() {
        let f = finder()
        // Past day.
        XCTAssertEqual(f.dayStatus(on: day(2026, 11, 19), durationMinutes: 60, occupancy: .empty, now: earlier), .unavailable)
        // Closed day.
        var schedule = WorkSchedule.everyDay(hours(9, 18))
        schedule.hours[.wednesday] = nil
        XCTAssertEqual(finder(makeRules(schedule: schedule)).dayStatus(on: wednesday, durationMinutes: 60, occupancy: .empty, now: earlier),
                       .unavailable)
        // Beyond the horizon.
        XCTAssertEqual(f.dayStatus(on: day(2027, 3, 1), durationMinutes: 60, occupancy: .empty, now: earlier), .unavailable)
        // Today after every start has passed (17:00 is within the notice at 16:30).
        XCTAssertEqual(f.dayStatus(on: wednesday, durationMinutes: 60, occupancy: .empty, now: msk(2026, 11, 25, 16, 30)), .unavailable)
        XCTAssertEqual(f.dayStatus(on: wednesday, durationMinutes: 60, occupancy: .empty, now: msk(2026, 11, 25, 20, 0)), .unavailable)
    }

    func testTodayIsColouredByTheStartsStillAhead() {
        let f = finder()
        let now = msk(2026, 11, 25, 13, 0)   // earliest 14:00: 14, 15, 16, 17 remain
        XCTAssertEqual(f.dayStatus(on: wednesday, durationMinutes: 60, occupancy: .empty, now: now), .allFree,
                       "the passed morning does not make today yellow")
        // The morning was fully booked: still green, those starts are behind us.
        let busyMorning = Occupancy(bookings: [range(9, 0, 13, 0)])
        XCTAssertEqual(f.dayStatus(on: wednesday, durationMinutes: 60, occupancy: busyMorning, now: now), .allFree)
        XCTAssertEqual(f.dayStatus(on: wednesday, durationMinutes: 60, occupancy: Occupancy(bookings: [range(15, 0, 16, 0)]), now: now), .someFree)
        XCTAssertEqual(f.dayStatus(on: wednesday, durationMinutes: 60, occupancy: Occupancy(blocks: [range(14, 0, 18, 0)]), now: now), .full,
                       "the remaining starts are all taken: red, not black")
        XCTAssertTrue(DayStatus.allFree.isBookable)
        XCTAssertTrue(DayStatus.someFree.isBookable)
        XCTAssertFalse(DayStatus.full.isBookable)
        XCTAssertFalse(DayStatus.unavailable.isBookable)
    }

    func testMonthStatuses() {
        var schedule = WorkSchedule.everyDay(hours(9, 18))
        schedule.hours[.sunday] = nil
        let f = finder(makeRules(schedule: schedule))
        let occupancy = Occupancy(bookings: [range(10, 0, 11, 0)], blocks: [TimeRange(start: msk(2026, 11, 27, 9, 0), end: msk(2026, 11, 27, 18, 0))])
        let statuses = f.monthStatuses(of: wednesday, durationMinutes: 60, occupancy: occupancy, now: earlier)
        XCTAssertEqual(statuses.map(\.date), (1...30).map { day(2026, 11, $0) })
        let byDay = Dictionary(uniqueKeysWithValues: statuses.map { ($0.date.day, $0.status) })
        for dayOfMonth in 1...19 { XCTAssertEqual(byDay[dayOfMonth], .unavailable, "past: \(dayOfMonth)") }
        XCTAssertEqual(byDay[20], .allFree, "today, 11:00 onward")
        XCTAssertEqual(byDay[25], .someFree)
        XCTAssertEqual(byDay[27], .full)
        for sunday in [22, 29] { XCTAssertEqual(byDay[sunday], .unavailable, "closed: \(sunday)") }
        for dayOfMonth in [21, 23, 24, 26, 28, 30] { XCTAssertEqual(byDay[dayOfMonth], .allFree, "\(dayOfMonth)") }
        // A month past the horizon is all black; February 2027 is the last with colours.
        XCTAssertTrue(f.monthStatuses(of: day(2027, 3, 10), durationMinutes: 60, occupancy: .empty, now: earlier).allSatisfy { $0.status == .unavailable })
        let february = f.monthStatuses(of: day(2027, 2, 1), durationMinutes: 60, occupancy: .empty, now: earlier)
        XCTAssertEqual(february.count, 28)
        XCTAssertEqual(february.last?.status, .unavailable, "2027-02-28 is a Sunday")
        XCTAssertEqual(february.first?.status, .allFree)
    }
}

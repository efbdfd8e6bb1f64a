import Foundation
import XCTest
@testable import Booking

/// `BookingRules.refusal(for:by:now:occupancy:)`: every refusal, who may bypass which, and
/// the re-check at commit. Defaults as in SlotFinderTests: Moscow, 9–18, step 60, notice 60,
/// horizon 3 months, 3 active bookings, 24 h cut-offs; now is 2026-11-20 10:00 MSK.
final class PolicyTests: XCTestCase {
    private let rules = makeRules()
    private let now = msk(2026, 11, 20, 10, 0)
    /// A free, aligned, far-enough start: 2026-11-25 12:00 MSK.
    private let goodStart = msk(2026, 11, 25, 12, 0)

    private func book(_ start: Date, minutes: Int = 60, active: Bool = true, activeBookings: Int = 0) -> BookingAction {
        .book(SlotRequest(start: start, durationMinutes: minutes, serviceActive: active), activeBookings: activeBookings)
    }

    private func move(to start: Date, from current: Date, minutes: Int = 60, active: Bool = true) -> BookingAction {
        .move(SlotRequest(start: start, durationMinutes: minutes, serviceActive: active), currentStart: current)
    }

    private func check(_ action: BookingAction, _ actor: BookingActor = .client, rules: BookingRules? = nil,
                       at moment: Date? = nil, occupancy: Occupancy = .empty) -> BookingRefusal? {
        (rules ?? self.rules).refusal(for: action, by: actor, now: moment ?? now, occupancy: occupancy)
    }

    // MARK: Each refusal once

    func testAGoodRequestIsAllowed() {
        XCTAssertNil(check(book(goodStart)))
        XCTAssertNil(check(book(goodStart), .admin))
        XCTAssertNil(check(move(to: goodStart, from: msk(2026, 11, 24, 12, 0))))
        XCTAssertNil(check(.cancel(currentStart: msk(2026, 11, 24, 12, 0))))
        XCTAssertNil(check(book(goodStart, activeBookings: 2)), "2 of 3: one more is fine")
    }

    func testNotActive() {
        XCTAssertEqual(check(book(goodStart, active: false)), .notActive)
        XCTAssertEqual(check(book(goodStart, active: false), .admin), .notActive)
        XCTAssertEqual(check(move(to: goodStart, from: msk(2026, 11, 24, 12, 0), active: false)), .notActive)
    }

    func testInPast() {
        XCTAssertEqual(check(book(msk(2026, 11, 19, 12, 0))), .inPast)
        XCTAssertEqual(check(book(msk(2026, 11, 20, 9, 0))), .inPast, "earlier today")
        XCTAssertEqual(check(.cancel(currentStart: msk(2026, 11, 20, 9, 0))), .inPast)
        XCTAssertEqual(check(.cancel(currentStart: now), .admin), .inPast)
        XCTAssertEqual(check(move(to: goodStart, from: msk(2026, 11, 20, 9, 0))), .inPast, "a visit that began cannot move")
        XCTAssertEqual(check(move(to: msk(2026, 11, 20, 9, 0), from: goodStart), .admin), .inPast, "nor move into the past")
    }

    func testTooSoon() {
        XCTAssertEqual(check(book(msk(2026, 11, 20, 10, 0).addingTimeInterval(30 * 60))), .tooSoon)
        XCTAssertEqual(check(book(msk(2026, 11, 20, 10, 0)), at: msk(2026, 11, 20, 9, 1)), .tooSoon, "59 minutes ahead")
        XCTAssertNil(check(book(msk(2026, 11, 20, 11, 0))), "exactly the notice ahead is allowed")
        XCTAssertEqual(check(book(msk(2026, 11, 20, 11, 0)), at: now.addingTimeInterval(1)), .tooSoon)
    }

    func testOutsideHours() {
        XCTAssertEqual(check(book(msk(2026, 11, 25, 8, 0))), .outsideHours, "before opening")
        XCTAssertEqual(check(book(msk(2026, 11, 25, 18, 0))), .outsideHours, "at closing")
        XCTAssertEqual(check(book(msk(2026, 11, 25, 17, 0), minutes: 120)), .outsideHours, "does not fit before closing")
        XCTAssertNil(check(book(msk(2026, 11, 25, 16, 0), minutes: 120)), "ends exactly at closing")
        XCTAssertEqual(check(book(msk(2026, 11, 25, 23, 0))), .outsideHours)
        var schedule = WorkSchedule.everyDay(hours(9, 18))
        schedule.hours[.wednesday] = nil
        XCTAssertEqual(check(book(goodStart), rules: makeRules(schedule: schedule)), .outsideHours, "day off")
    }

    func testNotAligned() {
        XCTAssertEqual(check(book(msk(2026, 11, 25, 12, 30))), .notAligned, "half past with step 60")
        XCTAssertEqual(check(book(goodStart.addingTimeInterval(30))), .notAligned, "30 seconds off the grid")
        XCTAssertEqual(check(book(goodStart.addingTimeInterval(0.5))), .notAligned, "half a second off the grid")
        XCTAssertEqual(check(book(goodStart.addingTimeInterval(-30))), .notAligned)
        XCTAssertNil(check(book(msk(2026, 11, 25, 12, 30)), rules: makeRules(step: 30)))
        // The grid counts from opening: 9:15 + 45-minute steps.
        let odd = makeRules(schedule: .everyDay(DayHours(open: 9 * 60 + 15, close: 18 * 60)!), step: 45)
        XCTAssertNil(check(book(msk(2026, 11, 25, 10, 0)), rules: odd))
        XCTAssertEqual(check(book(msk(2026, 11, 25, 10, 15)), rules: odd), .notAligned)
        XCTAssertEqual(check(book(msk(2026, 11, 25, 9, 0)), rules: odd), .outsideHours)
    }

    func testBeyondHorizon() {
        XCTAssertNil(check(book(msk(2027, 2, 28, 17, 0))), "the last day of the horizon")
        XCTAssertEqual(check(book(msk(2027, 3, 1, 9, 0))), .beyondHorizon)
        XCTAssertEqual(check(book(msk(2028, 1, 5, 9, 0))), .beyondHorizon)
    }

    func testOverlaps() {
        let booked = Occupancy(bookings: [TimeRange(start: msk(2026, 11, 25, 11, 0), minutes: 120)])
        XCTAssertEqual(check(book(goodStart), occupancy: booked), .overlapsBooking)
        XCTAssertNil(check(book(msk(2026, 11, 25, 13, 0)), occupancy: booked), "13:00 starts when it ends")
        XCTAssertNil(check(book(msk(2026, 11, 25, 10, 0)), occupancy: booked), "10:00–11:00 ends when it starts")
        let blocked = Occupancy(blocks: [TimeRange(start: msk(2026, 11, 25, 12, 30), minutes: 15)])
        XCTAssertEqual(check(book(goodStart), occupancy: blocked), .overlapsBlock)
        let both = Occupancy(bookings: booked.bookings, blocks: blocked.blocks)
        XCTAssertEqual(check(book(goodStart), occupancy: both), .overlapsBlock, "a block is reported before a booking")
    }

    func testLimitReached() {
        XCTAssertEqual(check(book(goodStart, activeBookings: 3)), .limitReached)
        XCTAssertEqual(check(book(goodStart, activeBookings: 7)), .limitReached)
        XCTAssertEqual(check(book(goodStart, activeBookings: 1), rules: makeRules(maxActive: 1)), .limitReached)
    }

    func testCancelCutoff() {
        XCTAssertEqual(check(.cancel(currentStart: now.addingTimeInterval(23 * 3600))), .cancelCutoff)
        XCTAssertEqual(check(.cancel(currentStart: now.addingTimeInterval(24 * 3600 - 1))), .cancelCutoff)
        XCTAssertNil(check(.cancel(currentStart: now.addingTimeInterval(24 * 3600))), "exactly 24 h remain")
        XCTAssertNil(check(.cancel(currentStart: now.addingTimeInterval(3 * 3600)), rules: makeRules(cancelHours: 2)))
        XCTAssertEqual(check(.cancel(currentStart: now.addingTimeInterval(3 * 3600)), rules: makeRules(cancelHours: 4)), .cancelCutoff)
    }

    func testRescheduleCutoff() {
        let soon = now.addingTimeInterval(5 * 3600)
        XCTAssertEqual(check(move(to: goodStart, from: soon)), .rescheduleCutoff)
        XCTAssertEqual(check(move(to: goodStart, from: now.addingTimeInterval(24 * 3600 - 1))), .rescheduleCutoff)
        XCTAssertNil(check(move(to: goodStart, from: now.addingTimeInterval(24 * 3600))))
        XCTAssertNil(check(move(to: goodStart, from: soon), rules: makeRules(rescheduleHours: 4)))
        // The cut-off is about the current time, and comes before judging the new one.
        XCTAssertEqual(check(move(to: msk(2026, 11, 25, 12, 30), from: soon)), .rescheduleCutoff)
    }

    func testEveryRefusalCanBeProduced() {
        let booked = Occupancy(bookings: [TimeRange(start: goodStart, minutes: 60)])
        let blocked = Occupancy(blocks: [TimeRange(start: goodStart, minutes: 60)])
        let produced: [BookingRefusal?] = [
            check(book(goodStart, active: false)),
            check(book(msk(2026, 11, 19, 12, 0))),
            check(book(msk(2026, 11, 20, 11, 0)), at: now.addingTimeInterval(1)),
            check(book(msk(2026, 11, 25, 8, 0))),
            check(book(msk(2026, 11, 25, 12, 30))),
            check(book(msk(2027, 3, 1, 9, 0))),
            check(book(goodStart), occupancy: booked),
            check(book(goodStart), occupancy: blocked),
            check(book(goodStart, activeBookings: 3)),
            check(.cancel(currentStart: now.addingTimeInterval(3600))),
            check(move(to: goodStart, from: now.addingTimeInterval(3600))),
            check(.closeVisit(start: now.addingTimeInterval(60))),
        ]
        XCTAssertEqual(produced, BookingRefusal.allCases.map { Optional($0) })
        XCTAssertEqual(BookingRefusal.allCases.map(\.rawValue),
                       ["not_active", "in_past", "too_soon", "outside_hours", "not_aligned", "beyond_horizon",
                        "overlaps_booking", "overlaps_block", "limit_reached", "cancel_cutoff", "reschedule_cutoff", "not_started"],
                       "the raw values are stable names in logs, audit and text catalogs")
    }

    // MARK: Staff

    func testAVisitIsClosedOnlyOnceItHasBegun() {
        XCTAssertEqual(check(.closeVisit(start: now.addingTimeInterval(1)), .admin), .notStarted)
        XCTAssertNil(check(.closeVisit(start: now), .admin), "it begins at its start")
        XCTAssertNil(check(.closeVisit(start: now.addingTimeInterval(-3600)), .admin))
    }

    func testAdminBypassesTheClientOnlyLimits() {
        let beyond = book(msk(2027, 3, 1, 9, 0))
        let overLimit = book(goodStart, activeBookings: 3)
        let lateMove = move(to: goodStart, from: now.addingTimeInterval(3600))
        let lateCancel = BookingAction.cancel(currentStart: now.addingTimeInterval(3600))
        // 11:00 seen from 10:00:01 is a second short of the notice.
        let tooSoon = book(msk(2026, 11, 20, 11, 0))
        let justAfterNow = now.addingTimeInterval(1)
        let expectations: [(BookingAction, Date, BookingRefusal)] = [
            (tooSoon, justAfterNow, .tooSoon), (beyond, now, .beyondHorizon), (overLimit, now, .limitReached),
            (lateMove, now, .rescheduleCutoff), (lateCancel, now, .cancelCutoff),
        ]
        for (action, moment, clientRefusal) in expectations {
            XCTAssertEqual(check(action, .client, at: moment), clientRefusal)
            XCTAssertNil(check(action, .admin, at: moment), "admin bypasses \(clientRefusal)")
        }
        // Ten minutes ahead, on the grid: too soon for a client, fine for staff.
        XCTAssertEqual(check(book(msk(2026, 11, 20, 10, 0)), at: msk(2026, 11, 20, 9, 50)), .tooSoon)
        XCTAssertNil(check(book(msk(2026, 11, 20, 10, 0)), .admin, at: msk(2026, 11, 20, 9, 50)))
    }

    func testAdminIsHeldToTimeHoursGridAndOccupancy() {
        let taken = Occupancy(bookings: [TimeRange(start: goodStart, minutes: 60)])
        let blocked = Occupancy(blocks: [TimeRange(start: goodStart, minutes: 60)])
        let expectations: [(BookingAction, Occupancy, BookingRefusal)] = [
            (book(msk(2026, 11, 19, 12, 0)), .empty, .inPast),
            (book(msk(2026, 11, 25, 8, 0)), .empty, .outsideHours),
            (book(msk(2026, 11, 25, 17, 0), minutes: 120), .empty, .outsideHours),
            (book(msk(2026, 11, 25, 12, 30)), .empty, .notAligned),
            (book(goodStart.addingTimeInterval(30)), .empty, .notAligned),
            (book(goodStart), taken, .overlapsBooking),
            (book(goodStart), blocked, .overlapsBlock),
            (move(to: goodStart, from: now.addingTimeInterval(3600)), taken, .overlapsBooking),
            (move(to: msk(2026, 11, 25, 12, 30), from: now.addingTimeInterval(3600)), .empty, .notAligned),
            (.cancel(currentStart: msk(2026, 11, 19, 12, 0)), .empty, .inPast),
        ]
        for (action, occupancy, refusal) in expectations {
            XCTAssertEqual(check(action, .admin, occupancy: occupancy), refusal)
        }
        // Admin moves beyond the horizon and within the notice are fine, on the grid.
        XCTAssertNil(check(move(to: msk(2027, 6, 1, 9, 0), from: now.addingTimeInterval(3600)), .admin))
        XCTAssertNil(check(move(to: msk(2026, 11, 20, 10, 0), from: goodStart), .admin, at: msk(2026, 11, 20, 9, 50)))
    }

    // MARK: DST grid

    func testSecondOccurrenceOfARepeatedWallTimeIsNotAligned() {
        let berlin = makeRules(zone: Zones.berlin, schedule: .everyDay(DayHours(open: 0, close: 1440)!), step: 30)
        let earlier = utc(2026, 10, 1, 12, 0)
        // 2026-10-25 02:30 CEST is 00:30 UTC, 02:30 CET is 01:30 UTC.
        XCTAssertNil(check(book(utc(2026, 10, 25, 0, 30), minutes: 30), rules: berlin, at: earlier))
        XCTAssertEqual(check(book(utc(2026, 10, 25, 1, 30), minutes: 30), rules: berlin, at: earlier), .notAligned)
        XCTAssertEqual(check(book(utc(2026, 10, 25, 1, 0), minutes: 30), rules: berlin, at: earlier), .notAligned)
        XCTAssertNil(check(book(utc(2026, 10, 25, 0, 0), minutes: 30), rules: berlin, at: earlier))
        XCTAssertNil(check(book(utc(2026, 10, 25, 2, 0), minutes: 30), rules: berlin, at: earlier), "03:00 CET")
        XCTAssertEqual(check(book(utc(2026, 10, 25, 1, 30), minutes: 30), .admin, rules: berlin, at: earlier), .notAligned,
                       "staff cannot use the repeat either")
        // New York: 01:30 EDT is 05:30 UTC, 01:30 EST is 06:30 UTC.
        let newYork = makeRules(zone: Zones.newYork, schedule: .everyDay(hours(0, 24)), step: 30)
        XCTAssertNil(check(book(utc(2026, 11, 1, 5, 30), minutes: 30), rules: newYork, at: earlier))
        XCTAssertEqual(check(book(utc(2026, 11, 1, 6, 30), minutes: 30), rules: newYork, at: earlier), .notAligned)
    }

    func testSpringForwardAndClosingAfterASwitch() {
        let berlin = makeRules(zone: Zones.berlin, schedule: .everyDay(hours(1, 4)), step: 60)
        let earlier = utc(2026, 3, 1, 12, 0)
        // 2026-03-29: 01:00 CET (00:00 UTC) and 03:00 CEST (01:00 UTC) exist; the day closes at 04:00 CEST (02:00 UTC).
        XCTAssertNil(check(book(utc(2026, 3, 29, 0, 0), minutes: 60), rules: berlin, at: earlier))
        XCTAssertNil(check(book(utc(2026, 3, 29, 0, 0), minutes: 120), rules: berlin, at: earlier), "01:00 CET + 2 h = 04:00 CEST")
        XCTAssertEqual(check(book(utc(2026, 3, 29, 0, 0), minutes: 180), rules: berlin, at: earlier), .outsideHours)
        XCTAssertNil(check(book(utc(2026, 3, 29, 1, 0), minutes: 60), rules: berlin, at: earlier), "03:00 CEST")
        XCTAssertEqual(check(book(utc(2026, 3, 29, 1, 0), minutes: 61), rules: berlin, at: earlier), .outsideHours)
    }

    // MARK: Re-check at commit

    func testAConfirmForASlotThatHasSincePassedIsRefusedAsInPast() {
        let halfHourNotice = makeRules(notice: 30)
        let slot = msk(2026, 11, 20, 12, 0)
        let screenBuiltAt = msk(2026, 11, 20, 11, 15)
        let confirmedAt = screenBuiltAt.addingTimeInterval(3600)   // 12:15
        XCTAssertTrue(SlotFinder(rules: halfHourNotice).freeStarts(on: day(2026, 11, 20), durationMinutes: 60, occupancy: .empty, now: screenBuiltAt)
            .contains(slot), "the slot was offered when the screen was built")
        XCTAssertNil(check(book(slot), rules: halfHourNotice, at: screenBuiltAt))
        XCTAssertEqual(check(book(slot), rules: halfHourNotice, at: confirmedAt), .inPast)
        XCTAssertEqual(check(book(slot), .admin, rules: halfHourNotice, at: confirmedAt), .inPast)
        // Stale by less: within the notice now, so too soon.
        XCTAssertEqual(check(book(slot), rules: halfHourNotice, at: msk(2026, 11, 20, 11, 45).addingTimeInterval(1)), .tooSoon)
    }

    func testAMoveMayOverlapItsOwnOldTime() {
        let old = TimeRange(start: msk(2026, 11, 25, 10, 0), minutes: 120)   // 10:00–12:00
        let other = TimeRange(start: msk(2026, 11, 25, 14, 0), minutes: 60)
        let newStart = msk(2026, 11, 25, 11, 0)                              // 11:00–13:00
        let withoutItself = Occupancy(bookings: [other])
        XCTAssertNil(check(move(to: newStart, from: old.start, minutes: 120), occupancy: withoutItself))
        XCTAssertNil(check(move(to: newStart, from: old.start, minutes: 120), .admin, occupancy: withoutItself))
        // Passing the booking itself is the caller's mistake the contract rules out: it would conflict.
        XCTAssertEqual(check(move(to: newStart, from: old.start, minutes: 120), occupancy: Occupancy(bookings: [old, other])),
                       .overlapsBooking)
        // Other bookings still count.
        XCTAssertEqual(check(move(to: msk(2026, 11, 25, 13, 0), from: old.start, minutes: 120), occupancy: withoutItself),
                       .overlapsBooking)
    }

    /// With no minimum notice the screens offer starts from `now` on (`start >= now + 0`), so
    /// a start exactly at `now` is on the list; the confirm of what was offered must pass.
    func testWithZeroNoticeAStartOfferedAtNowIsAccepted() {
        let noNotice = makeRules(notice: 0)
        let noon = msk(2026, 11, 25, 12, 0)
        let offered = SlotFinder(rules: noNotice).freeStarts(on: day(2026, 11, 25), durationMinutes: 60, occupancy: .empty, now: noon)
        // Either both the list and the confirm take 12:00, or neither does.
        let confirmAtNoon = check(book(noon), rules: noNotice, at: noon)
        XCTAssertEqual(offered.contains(noon), confirmAtNoon == nil,
                       "12:00 is \(offered.contains(noon) ? "" : "not ")offered at 12:00, the confirm answers \(confirmAtNoon.map { "\($0)" } ?? "nil")")
        XCTAssertEqual(offered.filter { $0 > noon }, (13...17).map { msk(2026, 11, 25, $0, 0) })
        for start in offered {
            let refusal = check(book(start), rules: noNotice, at: noon)
            XCTAssertNil(refusal, "\(start) is offered at \(noon) but the confirm answers \(refusal.map { "\($0)" } ?? "nil")")
        }
    }

    // MARK: Derived values

    func testHorizonEarliestStartAndReminders() {
        XCTAssertEqual(rules.horizonEnd(now: now), day(2027, 2, 28))
        XCTAssertEqual(rules.earliestStart(now: now), msk(2026, 11, 20, 11, 0))
        let start = msk(2026, 11, 25, 12, 0)
        let due = rules.reminderDueTimes(start: start, now: now)
        XCTAssertEqual(due.map(\.offsetMinutes), [1440, 120])
        XCTAssertEqual(due.map(\.dueAt), [msk(2026, 11, 24, 12, 0), msk(2026, 11, 25, 10, 0)])
        // Booked 3 hours before: only the 2-hour reminder is still ahead.
        let late = rules.reminderDueTimes(start: start, now: msk(2026, 11, 25, 9, 0))
        XCTAssertEqual(late.map(\.offsetMinutes), [120])
        // Exactly at a due time it is no longer in the future.
        XCTAssertEqual(rules.reminderDueTimes(start: start, now: msk(2026, 11, 25, 10, 0)).map(\.offsetMinutes), [])
        // Longest lead first whatever the configured order.
        let unordered = makeRules(reminders: [60, 2880, 120])
        XCTAssertEqual(unordered.reminderDueTimes(start: start, now: now).map(\.offsetMinutes), [2880, 120, 60])
    }

    func testTimeRangeBasics() {
        let a = TimeRange(start: utc(2026, 1, 1, 10, 0), minutes: 60)
        XCTAssertEqual(a.end, utc(2026, 1, 1, 11, 0))
        XCTAssertEqual(a.durationMinutes, 60)
        XCTAssertFalse(a.overlaps(TimeRange(start: utc(2026, 1, 1, 11, 0), minutes: 60)))
        XCTAssertFalse(TimeRange(start: utc(2026, 1, 1, 11, 0), minutes: 60).overlaps(a))
        XCTAssertTrue(a.overlaps(TimeRange(start: utc(2026, 1, 1, 10, 59), minutes: 60)))
        XCTAssertTrue(a.overlaps(TimeRange(start: utc(2026, 1, 1, 9, 0), minutes: 180)), "containment")
        XCTAssertTrue(TimeRange(start: utc(2026, 1, 1, 10, 15), minutes: 15).overlaps(a))
        XCTAssertEqual(Occupancy(bookings: [a], blocks: [a]).conflict(with: a), .block)
        XCTAssertEqual(Occupancy(bookings: [a]).conflict(with: a), .booking)
        XCTAssertNil(Occupancy.empty.conflict(with: a))
    }
}

import Booking
import Foundation
import Postgres
import Store
import TestSupport
import XCTest

/// The booking transactions against the real PostgreSQL, through the real code paths.
final class BookingStoreTests: BookingStoreTestCase {

    // MARK: Acceptance 1: one slot, fifty clients

    func testFiftyClientsOnFiftyConnectionsRaceForOneSlotAndExactlyOneWins() throws {
        let slot = at("2026-12-03", 11)
        let url = database.url, rules = self.rules, service = haircut.id, now = self.now
        let outcomes = try raceOnThreads(50, prepare: { _ in try PostgresConnection(url: url) }) { index, connection in
            try connection.transaction { tx in
                try BookingStore(connection: tx, defaults: rules).create(client: Int64(index + 1), service: service, start: slot, by: .client(Int64(index + 1)), now: now)
            }
        }.map { try $0.get() }
        XCTAssertEqual(outcomes.filter { $0.value != nil }.count, 1)
        XCTAssertEqual(outcomes.filter { $0.refusal == .overlapsBooking }.count, 49)
        XCTAssertEqual(try count("SELECT count(*) FROM bookings WHERE status = 'confirmed'"), 1)
        XCTAssertEqual(try count("SELECT count(*) FROM reminders WHERE kind = 'reminder'"), 2, "only the winner's reminders exist")
        XCTAssertEqual(try count("SELECT count(*) FROM reminders WHERE kind = 'review'"), 1, "and its review request")
        XCTAssertEqual(try count("SELECT count(*) FROM booking_history"), 1)
    }

    // MARK: Acceptance 2: different durations

    func testALongBookingRefusesOverlapsAndAcceptsTheNextFreeHour() throws {
        let stands = try book(1, coloring, at: at("2026-12-03", 10)).value
        XCTAssertNotNil(stands)
        XCTAssertEqual(try book(2, haircut, at: at("2026-12-03", 11)).refusal, .overlapsBooking)
        XCTAssertNotNil(try book(2, haircut, at: at("2026-12-03", 12)).value, "10:00–12:00 and 12:00–13:00 touch, not overlap")
        XCTAssertNotNil(try book(3, haircut, at: at("2026-12-03", 9)).value, "09:00–10:00 touches too")
    }

    func testTheSameDurationRulesHoldThroughReschedule() throws {
        _ = try book(1, coloring, at: at("2026-12-03", 10))
        let short = try XCTUnwrap(book(2, haircut, at: at("2026-12-03", 15)).value)
        XCTAssertEqual(try move(short.id, to: at("2026-12-03", 11), by: .client(2)).refusal, .overlapsBooking)
        let moved = try XCTUnwrap(move(short.id, to: at("2026-12-03", 12), by: .client(2)).value)
        XCTAssertEqual(moved.after.range.start, at("2026-12-03", 12))
        XCTAssertEqual(moved.before.range.start, at("2026-12-03", 15))
        // A long booking may not be moved onto a short one either.
        let long = try XCTUnwrap(book(3, coloring, at: at("2026-12-04", 10)).value)
        _ = try book(4, haircut, at: at("2026-12-04", 14))
        XCTAssertEqual(try move(long.id, to: at("2026-12-04", 13), by: .client(3)).refusal, .overlapsBooking)
        XCTAssertEqual(try overlappingConfirmedPairs(), 0)
    }

    // MARK: Acceptance 3: a failure in the middle leaves nothing

    func testAFailureInTheMiddleOfCreateLeavesNothingBehind() throws {
        try injectFailure(on: "booking_history", when: "INSERT")
        XCTAssertThrowsError(try db.transaction { tx in
            // The worker's own rows in the same transaction: an outbox reply.
            try tx.query("INSERT INTO outbox (chat_id, method, payload) VALUES (1, 'sendMessage', '{}')")
            return try store(tx).create(client: 1, service: haircut.id, start: at("2026-12-03", 11), by: .client(1), now: now)
        }) { error in
            XCTAssertTrue("\(error)".contains("injected failure"), "\(error)")
        }
        for table in ["bookings", "reminders", "booking_history", "outbox", "audit_log"] {
            XCTAssertEqual(try count("SELECT count(*) FROM \(table)"), 0, table)
        }
        try removeInjectedFailure(on: "booking_history")
        XCTAssertNotNil(try book(1, haircut, at: at("2026-12-03", 11)).value, "the slot is free: nothing was held")
    }

    func testAFailureInTheMiddleOfRescheduleLeavesTheOldBookingUntouched() throws {
        let booking = try XCTUnwrap(book(1, haircut, at: at("2026-12-03", 11)).value)
        let remindersBefore = try reminderRows(of: booking.id)
        try injectFailure(on: "reminders", when: "INSERT OR UPDATE")
        XCTAssertThrowsError(try move(booking.id, to: at("2026-12-05", 15), by: .client(1)))
        try removeInjectedFailure(on: "reminders")
        XCTAssertEqual(try store().booking(booking.id), booking)
        XCTAssertEqual(try reminderRows(of: booking.id), remindersBefore)
        XCTAssertEqual(try count("SELECT count(*) FROM booking_history WHERE action = 'moved'"), 0)
        XCTAssertEqual(try book(2, haircut, at: at("2026-12-05", 15)).value?.clientID, 2, "the new time was never taken")
    }

    // MARK: Acceptance 4: the per-client limit

    func testTheFourthActiveBookingIsRefused() throws {
        for hour in [10, 12, 14] { XCTAssertNotNil(try book(1, haircut, at: at("2026-12-03", hour)).value) }
        XCTAssertEqual(try book(1, haircut, at: at("2026-12-03", 16)).refusal, .limitReached)
        XCTAssertNotNil(try book(1, haircut, at: at("2026-12-03", 16), by: .admin(99)).value, "staff may book past the limit")
    }

    func testCancelledAndPastBookingsDoNotCount() throws {
        let first = try XCTUnwrap(book(1, haircut, at: at("2026-12-03", 10)).value)
        for hour in [12, 14] { _ = try book(1, haircut, at: at("2026-12-03", hour)) }
        XCTAssertEqual(try cancel(first.id, by: .client(1)).value?.status, .cancelled)
        // A visit that already happened, straight in the table (no path books the past).
        try db.query("""
            INSERT INTO bookings (user_id, service_id, during, duration_minutes, status)
            VALUES (1, $1, tstzrange($2, $3, '[)'), 60, 'confirmed')
            """, [.int(haircut.id), .timestamp(at("2026-11-20", 10)), .timestamp(at("2026-11-20", 11))])
        XCTAssertNotNil(try book(1, haircut, at: at("2026-12-03", 16)).value)
        XCTAssertEqual(try book(1, haircut, at: at("2026-12-04", 16)).refusal, .limitReached)
    }

    func testFourRacingRequestsOfOneClientGiveThreeBookings() throws {
        let url = database.url, rules = self.rules, service = haircut.id, now = self.now
        let starts = [10, 12, 14, 16].map { at("2026-12-03", $0) }
        let outcomes = try raceOnThreads(4, prepare: { _ in try PostgresConnection(url: url) }) { index, connection in
            try connection.transaction { tx in
                try BookingStore(connection: tx, defaults: rules).create(client: 7, service: service, start: starts[index], by: .client(7), now: now)
            }
        }.map { try $0.get() }
        XCTAssertEqual(outcomes.filter { $0.value != nil }.count, 3)
        XCTAssertEqual(outcomes.filter { $0.refusal == .limitReached }.count, 1)
        XCTAssertEqual(try count("SELECT count(*) FROM bookings WHERE user_id = 7 AND status = 'confirmed'"), 3)
    }

    // MARK: Acceptance 5: deactivated services

    func testADeactivatedServiceCannotBeBookedOrMovedIntoButItsBookingsStay() throws {
        let existing = try XCTUnwrap(book(1, haircut, at: at("2026-12-03", 10)).value)
        try ServiceStore(connection: db).setActive(haircut.id, false)
        XCTAssertEqual(try book(2, haircut, at: at("2026-12-03", 12)).refusal, .notActive)
        XCTAssertEqual(try move(existing.id, to: at("2026-12-03", 14), by: .client(1)).refusal, .notActive)
        XCTAssertEqual(try store().upcomingBookings(of: 1, now: now).map(\.id), [existing.id], "its bookings are still listed")
        XCTAssertFalse(try ServiceStore(connection: db).bookable().contains { $0.id == haircut.id })
        try ServiceStore(connection: db).setActive(haircut.id, true)
        XCTAssertNotNil(try book(2, haircut, at: at("2026-12-03", 12)).value)
        XCTAssertNotNil(try move(existing.id, to: at("2026-12-03", 14), by: .client(1)).value)
    }

    // MARK: Acceptance 6: a move overlapping the booking's own time

    func testAMoveOverlappingItsOwnTimeSucceeds() throws {
        try SettingsStore(connection: db).set(.slotStepMinutes, json: "30", by: 99)
        let booking = try XCTUnwrap(book(1, coloring, at: at("2026-12-03", 10)).value)
        let moved = try XCTUnwrap(move(booking.id, to: at("2026-12-03", 10, 30), by: .client(1)).value)
        XCTAssertEqual(moved.after.range, TimeRange(start: at("2026-12-03", 10, 30), minutes: 120))
        XCTAssertEqual(try count("SELECT count(*) FROM bookings"), 1)
        XCTAssertEqual(try count("""
            SELECT count(*) FROM booking_history WHERE action = 'moved' AND booking_id = $1
              AND lower(old_during) = $2 AND lower(new_during) = $3
            """, [.int(booking.id), .timestamp(at("2026-12-03", 10)), .timestamp(at("2026-12-03", 10, 30))]), 1,
                       "history keeps old and new times")
    }

    // MARK: Acceptance 7: a block racing bookings

    func testABlockRacingTwentyBookingsLeavesNoOverlapAndReportsWhatItCancelled() throws {
        let url = database.url, rules = self.rules, service = haircut.id, now = self.now
        let block = TimeRange(start: at("2026-12-03", 11), end: at("2026-12-03", 15))
        // 20 clients on distinct hours of three days, so some land inside the block.
        let starts = (0..<20).map { at(["2026-12-03", "2026-12-04", "2026-12-05"][$0 / 9], 9 + $0 % 9) }
        let outcomes = try raceOnThreads(21, prepare: { _ in try PostgresConnection(url: url) }) { index, connection -> Either in
            let store = BookingStore(connection: connection, defaults: rules)
            if index == 20 {
                return .block(try connection.transaction { _ in try store.block(block, reason: "Staff training", by: .admin(99), now: now) })
            }
            return .booking(try connection.transaction { _ in
                try store.create(client: Int64(index + 1), service: service, start: starts[index], by: .client(Int64(index + 1)), now: now)
            })
        }.map { try $0.get() }
        guard case .block(let result) = outcomes[20] else { return XCTFail("no block result") }
        XCTAssertEqual(try count("""
            SELECT count(*) FROM bookings WHERE status = 'confirmed' AND during && tstzrange($1, $2, '[)')
            """, [.timestamp(block.start), .timestamp(block.end)]), 0, "no confirmed booking overlaps the block")
        let cancelledInDatabase = try db.query("""
            SELECT id FROM bookings WHERE status = 'cancelled' AND cancel_reason = 'Staff training' ORDER BY id
            """).map { try $0.get("id") as Int64 }
        XCTAssertEqual(result.cancelled.map(\.id).sorted(), cancelledInDatabase, "every booking it cancelled is returned")
        XCTAssertTrue(result.cancelled.allSatisfy { $0.range.overlaps(block) && $0.status == .cancelled })
        for outcome in outcomes.prefix(20) {
            guard case .booking(let booking) = outcome else { continue }
            if let refusal = booking.refusal { XCTAssertEqual(refusal, .overlapsBlock) }
        }
        XCTAssertEqual(try count("""
            SELECT count(*) FROM reminders r JOIN bookings b ON b.id = r.booking_id
            WHERE b.status = 'cancelled' AND r.withdrawn_at IS NULL
            """), 0, "their reminders are withdrawn")
        XCTAssertEqual(try overlappingConfirmedPairs(), 0)
    }

    func testBlockPreviewCountsWhatItWouldCancel() throws {
        _ = try book(1, haircut, at: at("2026-12-03", 10))
        _ = try book(2, haircut, at: at("2026-12-03", 12))
        _ = try book(3, haircut, at: at("2026-12-03", 15))
        let range = TimeRange(start: at("2026-12-03", 10, 30), end: at("2026-12-03", 15))
        XCTAssertEqual(try store().confirmedBookings(overlapping: range).map(\.clientID), [1, 2])
        let result = try db.transaction { tx in try store(tx).block(range, reason: "Closed", by: .admin(99), now: now) }
        XCTAssertEqual(result.cancelled.map(\.clientID), [1, 2])
        XCTAssertEqual(try book(4, haircut, at: at("2026-12-03", 13)).refusal, .overlapsBlock)
        XCTAssertEqual(try count("SELECT count(*) FROM audit_log"), 0, "stores do data; the change runner audits")
    }

    // MARK: Acceptance 8: every rule at commit time

    func testEveryValidationReasonIsEnforcedAtCommit() throws {
        let taken = try XCTUnwrap(book(50, coloring, at: at("2026-12-10", 10)).value)
        _ = try db.transaction { tx in
            try store(tx).block(TimeRange(start: at("2026-12-11", 9), end: at("2026-12-11", 18)), reason: "Holiday", by: .admin(99), now: now)
        }
        for hour in [9, 13, 15] { _ = try book(40, haircut, at: at("2026-12-12", hour)) }
        let retired = try ServiceStore(connection: db).create(name: "Retired", durationMinutes: 60)
        try ServiceStore(connection: db).setActive(retired.id, false)

        let cases: [(String, BookingOutcome<BookingRecord>, BookingRefusal)] = [
            ("not active", try book(1, retired, at: at("2026-12-03", 10)), .notActive),
            ("in the past", try book(1, haircut, at: at("2026-12-01", 9)), .inPast),
            ("too soon", try book(1, haircut, at: at("2026-12-01", 11), now: at("2026-12-01", 10, 30)), .tooSoon),
            ("outside hours", try book(1, haircut, at: at("2026-12-03", 18)), .outsideHours),
            ("does not fit before closing", try book(1, coloring, at: at("2026-12-03", 17)), .outsideHours),
            ("off the grid", try book(1, haircut, at: at("2026-12-03", 10, 15)), .notAligned),
            ("beyond the horizon", try book(1, haircut, at: at("2027-04-01", 10)), .beyondHorizon),
            ("overlaps a booking", try book(1, haircut, at: at("2026-12-10", 11)), .overlapsBooking),
            ("overlaps a block", try book(1, haircut, at: at("2026-12-11", 12)), .overlapsBlock),
            ("limit", try book(40, haircut, at: at("2026-12-13", 12)), .limitReached),
        ]
        for (name, outcome, expected) in cases {
            XCTAssertEqual(outcome.refusal, expected, name)
        }
        XCTAssertNotNil(try book(1, haircut, at: at("2027-03-31", 10)).value, "the horizon's last day (December + 3 months) is bookable")
        XCTAssertEqual(try move(taken.id, to: at("2026-12-14", 10), by: .client(50), now: at("2026-12-09", 11)).refusal, .rescheduleCutoff)
        XCTAssertEqual(try cancel(taken.id, by: .client(50), now: at("2026-12-09", 11)).refusal, .cancelCutoff)
        XCTAssertNotNil(try cancel(taken.id, by: .client(50), now: at("2026-12-09", 9, 59)).value, "25 h ahead is still allowed")
        XCTAssertEqual(try count("SELECT count(*) FROM bookings WHERE user_id = 1"), 1, "only the one valid booking exists")
    }

    func testAConfirmScreenBuiltAnHourAgoForANowPastSlotIsRefused() throws {
        let screenTime = at("2026-12-01", 10)
        let slot = at("2026-12-01", 12)
        XCTAssertTrue(SlotFinder(rules: rules).freeStarts(on: LocalDate("2026-12-01")!, durationMinutes: 60, occupancy: .empty, now: screenTime).contains(slot))
        XCTAssertEqual(try book(1, haircut, at: slot, now: at("2026-12-01", 12, 5)).refusal, .inPast)
        XCTAssertEqual(try book(1, haircut, at: slot, now: at("2026-12-01", 11, 30)).refusal, .tooSoon)
    }

    func testOnlyTheOwnerCanCancelOrMoveAndAForgedIdIsNotFound() throws {
        let booking = try XCTUnwrap(book(1, haircut, at: at("2026-12-05", 10)).value)
        guard case .notFound = try cancel(booking.id, by: .client(2)) else { return XCTFail("another client cancelled it") }
        guard case .notFound = try move(booking.id, to: at("2026-12-05", 12), by: .client(2)) else { return XCTFail("another client moved it") }
        guard case .notFound = try cancel(999_999, by: .client(1)) else { return XCTFail("a forged id was found") }
        XCTAssertNotNil(try cancel(booking.id, by: .admin(99), reason: "Sick").value, "staff may cancel any booking")
        guard case .notConfirmed(.cancelled) = try cancel(booking.id, by: .client(1)) else { return XCTFail("cancelled twice") }
        XCTAssertEqual(try count("SELECT count(*) FROM audit_log"), 0, "stores do data; the change runner audits")
    }

    // MARK: Visits

    func testOnlyStaffCloseAVisitOnlyOnceItBeganAndOnlyOnce() throws {
        let visit = at("2026-12-03", 11)
        let booking = try XCTUnwrap(book(1, haircut, at: visit).value)
        func close(_ status: BookingStatus, by actor: Actor, now: Date) throws -> BookingOutcome<BookingRecord> {
            try db.transaction { tx in try store(tx).closeVisit(booking: booking.id, as: status, by: actor, now: now) }
        }
        XCTAssertEqual(try close(.completed, by: .admin(9), now: visit.addingTimeInterval(-60)).refusal, .notStarted)
        guard case .notFound = try close(.completed, by: .client(1), now: visit) else { return XCTFail("a client marked their own visit") }
        guard case .notFound = try db.transaction({ tx in try store(tx).closeVisit(booking: 999_999, as: .noShow, by: .admin(9), now: visit) })
        else { return XCTFail("a forged id was found") }
        XCTAssertThrowsError(try close(.cancelled, by: .admin(9), now: visit), "only completed or no_show")

        XCTAssertEqual(try close(.noShow, by: .admin(9), now: visit.addingTimeInterval(600)).value?.status, .noShow)
        guard case .notConfirmed(.noShow) = try close(.completed, by: .admin(9), now: visit.addingTimeInterval(900)) else {
            return XCTFail("closed twice")
        }
        XCTAssertEqual(try count("SELECT count(*) FROM reminders WHERE booking_id = \(booking.id) AND withdrawn_at IS NULL AND sent_at IS NULL"), 0)
        XCTAssertEqual(try db.query("SELECT action, actor_id FROM booking_history WHERE booking_id = $1 ORDER BY id", [.int(booking.id)])
            .map { "\(try $0.get("action") as String) \(try $0.get("actor_id") as Int64)" }, ["created 1", "no_show 9"])
    }

    func testAVisitMarkedCompletedWhenItEndedCanStillBeMarkedANoShowNotTheOtherWayRound() throws {
        let visit = at("2026-12-03", 11)
        let booking = try XCTUnwrap(book(1, haircut, at: visit).value)
        func close(_ status: BookingStatus, now: Date) throws -> BookingOutcome<BookingRecord> {
            try db.transaction { tx in try store(tx).closeVisit(booking: booking.id, as: status, by: .admin(9), now: now) }
        }
        XCTAssertEqual(try close(.completed, now: visit.addingTimeInterval(4000)).value?.status, .completed,
                       "as the reminders process marks a visit that ended")
        XCTAssertEqual(try count("SELECT count(*) FROM reminders WHERE booking_id = \(booking.id) AND kind = 'review' AND withdrawn_at IS NULL"), 1,
                       "a completed visit is still asked for stars")
        guard case .notConfirmed(.completed) = try close(.completed, now: visit.addingTimeInterval(5000)) else {
            return XCTFail("completed twice")
        }
        XCTAssertEqual(try close(.noShow, now: visit.addingTimeInterval(6000)).value?.status, .noShow, "the client did not come after all")
        XCTAssertEqual(try count("SELECT count(*) FROM reminders WHERE booking_id = \(booking.id) AND withdrawn_at IS NULL AND sent_at IS NULL"), 0,
                       "no review request for a visit that did not happen")
        guard case .notConfirmed(.noShow) = try close(.noShow, now: visit.addingTimeInterval(7000)) else { return XCTFail("marked twice") }
    }

    // MARK: Reminders and history

    func testRemindersArePlannedMovedAndWithdrawn() throws {
        let visit = at("2026-12-03", 16)
        let early = try XCTUnwrap(book(1, haircut, at: visit, now: visit.addingTimeInterval(-30 * 3600)).value)
        XCTAssertEqual(try reminderRows(of: early.id).map(\.offset), [1440, 120])
        XCTAssertEqual(try reminderRows(of: early.id).first { $0.offset == 1440 }?.due, visit.addingTimeInterval(-24 * 3600))

        let late = try XCTUnwrap(book(2, haircut, at: at("2026-12-01", 14), now: at("2026-12-01", 11)).value)
        XCTAssertEqual(try reminderRows(of: late.id).map(\.offset), [120], "only reminders still ahead")

        let newTime = at("2026-12-06", 12)
        _ = try move(early.id, to: newTime, by: .client(1), now: visit.addingTimeInterval(-30 * 3600))
        let moved = try reminderRows(of: early.id)
        XCTAssertEqual(moved.map(\.due), [newTime.addingTimeInterval(-86_400), newTime.addingTimeInterval(-7200)])
        XCTAssertTrue(moved.allSatisfy { !$0.withdrawn })

        XCTAssertEqual(try reviewDue(of: early.id), newTime.addingTimeInterval(3600 + 2 * 3600), "asked 2 h after the moved visit ends")

        _ = try cancel(early.id, by: .client(1), now: at("2026-12-02", 10))
        XCTAssertTrue(try reminderRows(of: early.id).allSatisfy(\.withdrawn))
        XCTAssertEqual(try count("SELECT count(*) FROM reminders WHERE booking_id = \(early.id) AND withdrawn_at IS NULL"), 0,
                       "no review request for a cancelled visit")
        XCTAssertEqual(try db.query("SELECT action FROM booking_history WHERE booking_id = $1 ORDER BY id", [.int(early.id)])
            .map { try $0.get("action") as String }, ["created", "moved", "cancelled"])
    }

    func testSettingsInTheDatabaseAreTheRulesInForce() throws {
        XCTAssertNotNil(try book(1, haircut, at: at("2026-12-05", 10)).value)  // a Saturday
        try SettingsStore(connection: db).set(.workHours, json: #"{"1":[600,1200],"2":[600,1200],"3":[600,1200],"4":[600,1200],"5":[600,1200],"6":null,"7":null}"#, by: 99)
        XCTAssertEqual(try book(2, haircut, at: at("2026-12-12", 10)).refusal, .outsideHours, "Saturday is now a day off")
        XCTAssertEqual(try book(2, haircut, at: at("2026-12-14", 9)).refusal, .outsideHours, "weekdays open at 10:00")
        XCTAssertNotNil(try book(2, haircut, at: at("2026-12-14", 19)).value, "and close at 20:00")
        try SettingsStore(connection: db).set(.maxBookingsPerUser, json: "1", by: 99)
        XCTAssertEqual(try book(2, haircut, at: at("2026-12-15", 12)).refusal, .limitReached)
        try SettingsStore(connection: db).set(.reminderOffsets, json: "[60]", by: 99)
        let booking = try XCTUnwrap(book(3, haircut, at: at("2026-12-15", 12)).value)
        XCTAssertEqual(try reminderRows(of: booking.id).map(\.offset), [60])
        // A malformed value is ignored rather than stopping all bookings.
        try SettingsStore(connection: db).set(.slotStepMinutes, json: #""often""#, by: 99)
        XCTAssertNotNil(try book(4, haircut, at: at("2026-12-15", 14)).value)
    }

    // MARK: Helpers

    private enum Either: Sendable {
        case booking(BookingOutcome<BookingRecord>)
        case block(BlockResult)
    }

    private struct ReminderRow: Equatable {
        let offset: Int
        let due: Date
        let withdrawn: Bool
    }

    private func reminderRows(of booking: Int64) throws -> [ReminderRow] {
        try db.query("SELECT offset_minutes, due_at, withdrawn_at IS NOT NULL AS withdrawn FROM reminders WHERE booking_id = $1 AND kind = 'reminder' ORDER BY due_at",
                     [.int(booking)]).map {
            ReminderRow(offset: try $0.get("offset_minutes"), due: try $0.get("due_at"), withdrawn: try $0.get("withdrawn"))
        }
    }

    private func reviewDue(of booking: Int64) throws -> Date? {
        try db.query("SELECT due_at FROM reminders WHERE booking_id = $1 AND kind = 'review'", [.int(booking)]).first?.get("due_at")
    }

    /// A real failure in the middle of a transaction: a trigger that raises.
    private func injectFailure(on table: String, when events: String) throws {
        try db.query("CREATE OR REPLACE FUNCTION injected_failure() RETURNS trigger AS $$ BEGIN RAISE EXCEPTION 'injected failure'; END $$ LANGUAGE plpgsql")
        try db.query("CREATE TRIGGER injected_failure BEFORE \(events) ON \(table) FOR EACH ROW EXECUTE FUNCTION injected_failure()")
    }

    private func removeInjectedFailure(on table: String) throws {
        try db.query("DROP TRIGGER injected_failure ON \(table)")
    }
}

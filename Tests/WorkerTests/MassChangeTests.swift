import Booking
import Conversation
import Foundation
import Postgres
import Store
import Texts
@testable import Worker
import XCTest

/// Mass changes (SPEC admin 9) through the worker's real transaction against PostgreSQL:
/// each step, the all-or-nothing commit (history, reminders, one message per client, one
/// audit row), hostile typing, forged and stale Confirms, and who may use it.
final class MassChangeTests: HarnessTestCase {
    private let moderator = WorkerHarness.person(2, "Max")
    private let anna = WorkerHarness.person(40, "Anna")
    private let bob = WorkerHarness.person(41, "Bob")
    private let carl = WorkerHarness.person(42, "Carl")

    private var day: LocalDate!
    private var trim: ServiceRecord!
    /// Anna 09:00, Bob 10:00 (moved by a 09:00–10:30 shift) and Carl 10:30 (not moved), 30 minutes each.
    private var bookings: [BookingRecord] = []

    override func setUpWithError() throws {
        try super.setUpWithError()
        try harness.setRole(moderator, "moderator")
        for person in [owner, moderator, stranger, anna, bob, carl] {
            try ClientStore(connection: harness.db).register(id: person.id, firstName: person.firstName, languageCode: "en", now: harness.now)
        }
        try SettingsStore(connection: harness.db).set(.slotStepMinutes, json: "30", by: nil)
        day = harness.clock.localDate(of: harness.now).adding(days: 7)
        trim = try ServiceStore(connection: harness.db).create(name: "Trim", durationMinutes: 30)
        bookings = [try book(anna, minute: 9 * 60), try book(bob, minute: 10 * 60), try book(carl, minute: 10 * 60 + 30)]
    }

    private func book(_ person: Person, minute: Int, service: ServiceRecord? = nil) throws -> BookingRecord {
        let start = harness.clock.instant(of: day, minute: minute)!
        let outcome = try harness.db.transaction { tx in
            try BookingStore(connection: tx, defaults: harness.rules).create(client: person.id, service: (service ?? trim).id, start: start,
                                                                           by: .client(person.id), now: harness.now)
        }
        guard case .done(let record) = outcome else { throw WorkerHarness.BookingRefused(description: "\(outcome)") }
        return record
    }

    private func screen(_ sent: [WorkerHarness.Sent], of person: Person) -> WorkerHarness.Sent? {
        sent.last { $0.chat == person.id && !$0.isAnswer && $0.text != nil }
    }
    private func confirm(_ sent: [WorkerHarness.Sent]) -> InlineButton? {
        sent.flatMap(\.buttons).first { $0.text.hasPrefix("✅ Shift") || $0.text.hasPrefix("✅ Move") }
    }
    private func starts() throws -> [Date] {
        try harness.db.query("SELECT lower(during) AS s FROM bookings WHERE id = ANY ($1::bigint[]) ORDER BY id",
                             [.intArray(bookings.map(\.id))]).map { try $0.get("s") }
    }
    private func at(_ minute: Int) -> Date { harness.clock.instant(of: day, minute: minute)! }
    private func messages(to person: Person, _ sent: [WorkerHarness.Sent]) -> [String] {
        sent.filter { $0.chat == person.id && !$0.isAnswer }.compactMap(\.text)
    }
    private func auditRows(_ action: String) throws -> [WorkerHarness.AuditRow] {
        try harness.audit().filter { $0.action == action }
    }

    /// Day chosen, range typed, minutes typed: the preview.
    private func preview(_ minutes: String, range: String = "9:00-10:30", by person: Person? = nil) throws -> [WorkerHarness.Sent] {
        let who = person ?? owner
        let asked = try press(MassChangeFlow.Action.day(day.dayNumber), by: who)
        XCTAssertTrue(screen(asked, of: who)?.text?.contains("3 confirmed bookings") ?? false, "\(asked.map(\.text))")
        _ = try type(range, by: who)
        return try type(minutes, by: who)
    }

    // MARK: Shift

    func testACollisionAtPlus30MovesNothingAndPlus60MovesAllWithHistoryRemindersOneMessageEachAndOneAuditRow() throws {
        let menu = try harness.command("admin", from: moderator)
        XCTAssertTrue(menu[0].buttons.map(\.data).contains(data(MassChangeFlow.Action.home)), "the staff menu has mass changes")
        let home = try press(MassChangeFlow.Action.home, by: moderator)
        XCTAssertTrue(home[0].buttons.map(\.data).contains(data(MassChangeFlow.Action.month(MonthIndex.of(harness.clock.localDate(of: harness.now))))))

        let conflicted = try preview("+30", by: moderator)
        let text = try XCTUnwrap(screen(conflicted, of: moderator)?.text)
        XCTAssertTrue(text.contains("⛔ 10:00 → 10:30 · Bob · Trim — overlaps another booking"), text)
        XCTAssertTrue(text.contains("✅ 09:00 → 09:30 · Anna · Trim"), text)
        XCTAssertTrue(text.contains("1 conflict — nothing moves"), text)
        XCTAssertNil(confirm(conflicted), "no Confirm with a conflict")
        XCTAssertEqual(try starts(), [at(540), at(600), at(630)])

        _ = try press(MassChangeFlow.Action.changeMinutes, by: moderator)
        let clean = try type("+60", by: moderator)
        let button = try XCTUnwrap(confirm(clean), "\(clean.map(\.text))")
        XCTAssertEqual(button.text, "✅ Shift (2)")
        let remindersBefore = try harness.count("SELECT count(*) AS n FROM reminders WHERE booking_id = ANY ($1::bigint[])",
                                                [.intArray(bookings.map(\.id))])

        let done = try harness.press(button.data, from: moderator)
        XCTAssertEqual(try starts(), [at(600), at(660), at(630)], "Anna and Bob moved an hour, Carl stayed")
        XCTAssertEqual(messages(to: anna, done).count, 1)
        XCTAssertEqual(messages(to: bob, done).count, 1)
        XCTAssertEqual(messages(to: carl, done), [])
        XCTAssertTrue(messages(to: bob, done)[0].contains("Was: "), messages(to: bob, done)[0])
        XCTAssertTrue(messages(to: bob, done)[0].contains("10:00") && messages(to: bob, done)[0].contains("11:00"))
        // The owner takes move notices; the moderator who did it is not told of their own change.
        XCTAssertEqual(messages(to: owner, done).count, 2)
        XCTAssertEqual(messages(to: moderator, done).filter { $0.contains("Was:") }.count, 0)

        let history = try harness.db.query("""
            SELECT booking_id, lower(old_during) AS o, lower(new_during) AS n, actor_id FROM booking_history
            WHERE action = 'moved' ORDER BY booking_id
            """)
        XCTAssertEqual(try history.map { try $0.get("booking_id") as Int64 }, [bookings[0].id, bookings[1].id])
        XCTAssertEqual(try history.map { try $0.get("n") as Date }, [at(600), at(660)])
        XCTAssertEqual(try history.map { try $0.get("actor_id") as Int64 }, [moderator.id, moderator.id])
        // Reminders re-planned as a single move does: each reminder now falls due before the new start.
        let due = try harness.db.query("""
            SELECT r.booking_id, r.offset_minutes, r.due_at, lower(b.during) AS s FROM reminders r JOIN bookings b ON b.id = r.booking_id
            WHERE r.kind = 'reminder' AND r.withdrawn_at IS NULL AND r.booking_id = ANY ($1::bigint[])
            """, [.intArray([bookings[0].id, bookings[1].id])])
        XCTAssertFalse(due.isEmpty)
        for row in due {
            let start: Date = try row.get("s")
            let offset: Int = try row.get("offset_minutes")
            XCTAssertEqual(try row.get("due_at") as Date, start.addingTimeInterval(-Double(offset) * 60))
        }
        XCTAssertEqual(try harness.count("SELECT count(*) AS n FROM reminders WHERE booking_id = ANY ($1::bigint[])",
                                         [.intArray(bookings.map(\.id))]), remindersBefore, "replaced, not added")

        let audit = try auditRows("booking.shift")
        XCTAssertEqual(audit.count, 1)
        XCTAssertEqual(audit[0].actor, moderator.id)
        XCTAssertEqual(audit[0].target, "day:\(day!)")
        for part in ["\"count\": 2", "\"minutes\": 60", "\"outcome\": \"done\"", "\"range\": \"09:00-10:30\""] {
            XCTAssertTrue(audit[0].details.contains(part), audit[0].details)
        }

        // The audit screen says what was done, in words.
        let page = try XCTUnwrap(try harness.command("audit", from: owner).first?.text)
        XCTAssertTrue(page.contains("bookings shifted 60 min later (2 bookings)"), page)

        // The same Confirm again: its preview is spent, nothing moves twice.
        let again = try harness.press(button.data, from: moderator)
        XCTAssertEqual(try starts(), [at(600), at(660), at(630)])
        XCTAssertEqual(messages(to: anna, again), [])
    }

    func testTheWholeDayByButtonAndAShiftIntoThePastOrOffTheDayIsAConflict() throws {
        _ = try press(MassChangeFlow.Action.wholeDay(day.dayNumber), by: owner)
        let early = try type("-10:00", by: owner)
        let text = try XCTUnwrap(screen(early, of: owner)?.text)
        XCTAssertTrue(text.contains("onto another day"), text)
        XCTAssertNil(confirm(early))
        _ = try press(MassChangeFlow.Action.changeMinutes, by: owner)
        let late = try type("+8:00", by: owner)
        XCTAssertTrue(screen(late, of: owner)?.text?.contains("outside work hours") ?? false)
        XCTAssertEqual(try starts(), [at(540), at(600), at(630)])
        XCTAssertEqual(try auditRows("booking.shift"), [], "a preview changes nothing and records nothing")
    }

    func testHostileTypingIsAskedAgainAndChangesNothing() throws {
        _ = try press(MassChangeFlow.Action.day(day.dayNumber), by: owner)
        for bad in [String(repeating: "я", count: 5000), "🙂🙂🙂", "", "25:00-26:00", "14:00-10:00"] {
            let again = try type(bad, by: owner)
            XCTAssertTrue(screen(again, of: owner)?.text?.hasPrefix("⚠️ I couldn’t read the range") ?? false, "\(again.map(\.text))")
        }
        _ = try type("whole day", by: owner)
        let expected: [(String, String)] = [
            (String(repeating: "9", count: 5000), "⚠️ I couldn’t read that"), ("🙂", "⚠️ I couldn’t read that"),
            ("+99999999999999999999", "⚠️ I couldn’t read that"), ("-0", "⚠️ A shift of 0 minutes"), ("+7", "⚠️ The shift must be a multiple of 5"),
            ("+13:00", "⚠️ At most 12 hours"), ("an hour", "⚠️ I couldn’t read that"),
        ]
        for (bad, answer) in expected {
            let again = try type(bad, by: owner)
            XCTAssertTrue(screen(again, of: owner)?.text?.hasPrefix(answer) ?? false, "\(bad.prefix(12)): \(again.map(\.text))")
            XCTAssertEqual(try harness.state(of: owner)?.flow, MassChangeFlow.id, "still asking")
        }
        XCTAssertEqual(try starts(), [at(540), at(600), at(630)])
        XCTAssertEqual(try harness.audit().filter { $0.allowed && $0.action != "flow.step" }, [])
    }

    func testAForgedConfirmMovesNothingAndAStaleOneIsRefusedWithTheFreshPreview() throws {
        // A Confirm with no preview behind it.
        let forged = try press(MassChangeFlow.Action.confirmShift(serial: 7), by: owner)
        XCTAssertTrue(screen(forged, of: owner)?.text?.contains("out of date") ?? false, "\(forged.map(\.text))")
        XCTAssertEqual(try auditRows("booking.shift"), [])

        // Previewed at +60 with Anna and Bob; then Dave books 09:30 inside the window: the set changed.
        let button = try XCTUnwrap(confirm(try preview("+60")))
        let dave = WorkerHarness.person(43, "Dave")
        try ClientStore(connection: harness.db).register(id: dave.id, firstName: dave.firstName, languageCode: "en", now: harness.now)
        let late = try book(dave, minute: 9 * 60 + 30)
        let refused = try harness.press(button.data, from: owner)
        let text = try XCTUnwrap(screen(refused, of: owner)?.text)
        XCTAssertTrue(text.contains("changed since the last screen"), text)
        XCTAssertTrue(text.contains("Dave"), text)
        XCTAssertEqual(try starts(), [at(540), at(600), at(630)], "nothing half-applied")
        XCTAssertEqual(messages(to: anna, refused), [])
        XCTAssertEqual(try harness.count("SELECT count(*) AS n FROM booking_history WHERE action = 'moved'"), 0)
        let audit = try auditRows("booking.shift")
        XCTAssertEqual(audit.count, 1)
        XCTAssertTrue(audit[0].details.contains("refused:changed"), audit[0].details)
        let page = try XCTUnwrap(try harness.command("audit", from: owner).first?.text)
        XCTAssertTrue(page.contains("bookings shifted 60 min later (2 bookings) — not done: changed"), page)

        // The fresh preview (now three bookings, no conflict at +60: Dave lands at 10:30? Carl is there) offers no Confirm.
        XCTAssertNil(confirm(refused))
        XCTAssertTrue(text.contains("⛔"), text)
        _ = late
    }

    func testAConflictAppearingAfterThePreviewRefusesTheConfirmAtCommit() throws {
        let button = try XCTUnwrap(confirm(try preview("+60")))
        // Carl's 10:30 moves to 11:00 meanwhile: Bob's new 11:00 would now collide.
        _ = try harness.db.transaction { tx in
            try BookingStore(connection: tx, defaults: harness.rules).reschedule(booking: bookings[2].id, to: at(660), by: .admin(owner.id),
                                                                               now: harness.now)
        }
        let refused = try harness.press(button.data, from: owner)
        let text = try XCTUnwrap(screen(refused, of: owner)?.text)
        XCTAssertTrue(text.contains("⛔ 10:00 → 11:00 · Bob · Trim — overlaps another booking"), text)
        XCTAssertEqual(try starts(), [at(540), at(600), at(660)], "Anna did not move alone")
        XCTAssertEqual(messages(to: anna, refused), [])
        XCTAssertTrue(try auditRows("booking.shift")[0].details.contains("refused:conflicts"))
    }

    func testAStrangerIsRefusedAtEveryStepAndAudited() throws {
        for action in [MassChangeFlow.Action.home, .day(day.dayNumber), .confirmShift(serial: 1), .confirmMove(trim.id, trim.id)] {
            let sent = try press(action, by: stranger)
            XCTAssertEqual(sent.filter(\.isAnswer).map(\.answerText), [Texts.alert(.noAccess, in: .en)])
        }
        let refusals = try harness.audit().filter { $0.actor == stranger.id }
        XCTAssertEqual(refusals.count, 4)
        XCTAssertTrue(refusals.allSatisfy { !$0.allowed && $0.target == "flow:mc" }, "\(refusals)")
        XCTAssertEqual(try starts(), [at(540), at(600), at(630)])
    }

    // MARK: Moving a service's bookings

    func testAServicesFutureBookingsMoveToAnotherOfTheSameLengthAndEachClientIsToldOnce() throws {
        let services = ServiceStore(connection: harness.db)
        let buzz = try services.create(name: "Buzz", durationMinutes: 30)
        let long = try services.create(name: "Long", durationMinutes: 90)
        let annaAgain = try book(anna, minute: 14 * 60)

        let targets = try press(MassChangeFlow.Action.source(trim.id), by: moderator)
        let offered = targets.flatMap(\.buttons).map(\.data)
        XCTAssertTrue(offered.contains(data(MassChangeFlow.Action.target(trim.id, buzz.id))))
        XCTAssertFalse(offered.contains(data(MassChangeFlow.Action.target(trim.id, long.id))), "another length is not offered")

        // A forged target of another length is refused before any change.
        let forged = try press(MassChangeFlow.Action.target(trim.id, long.id), by: moderator)
        XCTAssertTrue(screen(forged, of: moderator)?.text?.contains("nothing moved") ?? false)

        let preview = try press(MassChangeFlow.Action.target(trim.id, buzz.id), by: moderator)
        let previewText = try XCTUnwrap(screen(preview, of: moderator)?.text)
        XCTAssertTrue(previewText.contains("4 future bookings"), previewText)
        XCTAssertTrue(previewText.contains("✅ \(DateTexts(language: .en, clock: harness.clock).shortDate(day)) 09:00 · Anna · Trim"), previewText)
        let button = try XCTUnwrap(confirm(preview))
        let done = try harness.press(button.data, from: moderator)
        XCTAssertEqual(try harness.count("SELECT count(*) AS n FROM bookings WHERE service_id = $1", [.int(buzz.id)]), 4)
        XCTAssertEqual(messages(to: anna, done).count, 1, "Anna's two bookings in one message")
        XCTAssertTrue(messages(to: anna, done)[0].contains("“Trim” is now “Buzz”"), messages(to: anna, done)[0])
        XCTAssertEqual(messages(to: bob, done).count, 1)
        XCTAssertEqual(messages(to: carl, done).count, 1)
        XCTAssertEqual(try harness.count("SELECT count(*) AS n FROM booking_history WHERE action = 'service_changed'"), 4)
        XCTAssertEqual(try starts(), [at(540), at(600), at(630)], "the times stay")
        let audit = try auditRows("booking.service_move")
        XCTAssertEqual(audit.count, 1)
        XCTAssertEqual(audit[0].target, "service:\(trim.id)")
        XCTAssertTrue(audit[0].details.contains("\"count\": 4") && audit[0].details.contains("\"outcome\": \"done\""), audit[0].details)
        _ = annaAgain
    }

    func testATargetArchivedAfterThePreviewIsRefusedAtCommitAndNothingMoves() throws {
        let buzz = try ServiceStore(connection: harness.db).create(name: "Buzz", durationMinutes: 30)
        let button = try XCTUnwrap(confirm(try press(MassChangeFlow.Action.target(trim.id, buzz.id), by: owner)))
        _ = try ServiceStore(connection: harness.db).setActive(buzz.id, active: false)
        let refused = try harness.press(button.data, from: owner)
        XCTAssertTrue(screen(refused, of: owner)?.text?.contains("inactive or archived") ?? false, "\(refused.map(\.text))")
        XCTAssertEqual(try harness.count("SELECT count(*) AS n FROM bookings WHERE service_id = $1", [.int(trim.id)]), 3)
        XCTAssertEqual(messages(to: anna, refused), [])
        XCTAssertTrue(try auditRows("booking.service_move")[0].details.contains("refused:target_unavailable"))
    }
}

import Booking
import Conversation
import Foundation
import Postgres
import Store
import Texts
@testable import Worker
import XCTest

/// The schedule, a booking's staff card and its changes (SPEC admin 3), through the
/// worker's real transaction against PostgreSQL: what staff see, what the store does,
/// who is told, and what the audit log says — including when the store refuses.
final class ScheduleTests: HarnessTestCase {
    private let moderator = WorkerHarness.person(2, "Max")
    /// A moderator who turned notices off.
    private let quiet = WorkerHarness.person(4, "Quinn")
    private let client = Person(id: 40, firstName: "Анна", username: "anna", languageCode: "ru")

    private var record: BookingRecord!

    override func setUpWithError() throws {
        try super.setUpWithError()
        try harness.setRole(moderator, "moderator")
        try harness.setRole(quiet, "moderator")
        try harness.db.query("UPDATE admins SET notify = false WHERE user_id = $1", [.int(quiet.id)])
        for person in [owner, moderator, quiet] {
            try ClientStore(connection: harness.db).register(id: person.id, firstName: person.firstName, languageCode: "en", now: harness.now)
        }
        record = try harness.booking(of: client)
        try ClientStore(connection: harness.db).register(id: client.id, firstName: client.firstName, username: client.username,
                                                         languageCode: "ru", now: harness.now)
    }

    private func alert(_ alert: Texts.Alert) -> String { Texts.alert(alert, in: .en) }
    private func status() throws -> String {
        try harness.db.query("SELECT status FROM bookings WHERE id = $1", [.int(record.id)])[0].get("status")
    }
    private func pendingReminders() throws -> Int {
        try harness.count("""
            SELECT count(*) AS n FROM reminders WHERE booking_id = $1 AND sent_at IS NULL AND missed_at IS NULL AND withdrawn_at IS NULL
            """, [.int(record.id)])
    }
    private func history() throws -> [(action: String, actor: Int64?, reason: String?, old: Date?, new: Date?)] {
        try harness.db.query("""
            SELECT action, actor_id, reason, lower(old_during) AS o, lower(new_during) AS n FROM booking_history
            WHERE booking_id = $1 ORDER BY id
            """, [.int(record.id)]).map { (try $0.get("action"), try $0.get("actor_id"), try $0.get("reason"), try $0.get("o"), try $0.get("n")) }
    }
    private func sentTo(_ person: Person, _ sent: [WorkerHarness.Sent]) -> [String] {
        sent.filter { $0.chat == person.id && !$0.isAnswer }.compactMap(\.text)
    }
    private var summary: BookingSummary {
        BookingSummary(service: "Haircut 1", start: LocalDateTime(record.range.start, clock: harness.clock), durationMinutes: 60, price: "")
    }
    private var clientInfo: ClientInfo { ClientInfo(id: client.id, name: client.firstName, username: client.username) }

    // MARK: Acceptance 3

    func testTheOwnerCancelsFromTheScheduleWithAReasonAndTheClientAndOtherStaffAreTold() throws {
        let day = harness.clock.localDate(of: record.range.start)
        let menu = try harness.command("admin", from: owner)
        XCTAssertTrue(menu[0].buttons.map(\.data).contains(data(ScheduleFlow.Action.overview)), "the staff menu has the schedule")

        let overview = try press(ScheduleFlow.Action.overview, by: owner)
        let dayButton = try XCTUnwrap(overview[0].buttons.first { $0.data == data(ScheduleFlow.Action.day(day.dayNumber)) })
        XCTAssertTrue(dayButton.text.hasSuffix("— 1"), dayButton.text)
        XCTAssertEqual(overview[0].buttons.filter { $0.text.hasSuffix("— 0") }.count, 7, "the other days are empty")

        let dayView = try press(ScheduleFlow.Action.day(day.dayNumber), by: owner)
        let bookingButton = try XCTUnwrap(dayView[0].buttons.first { $0.data == data(StaffBookingFlow.Action.card(record.id)) })
        XCTAssertEqual(bookingButton.text, "11:00 · Haircut 1 · Анна (@anna)")

        let card = try press(StaffBookingFlow.Action.card(record.id), by: owner)
        XCTAssertTrue(card[0].text?.contains("Анна (@anna), id 40") ?? false, card[0].text ?? "")
        XCTAssertTrue(card[0].buttons.map(\.data).contains(data(StaffBookingFlow.Action.cancel(record.id))))

        let ask = try press(StaffBookingFlow.Action.cancel(record.id), by: owner)
        XCTAssertTrue(ask[0].text?.contains("Type the reason") ?? false)
        // Hostile reasons are asked again; nothing changes.
        for bad in ["   ", String(repeating: "x", count: 501), String(repeating: "🙂", count: 5000)] {
            let again = try type(bad, by: owner)
            XCTAssertTrue(again.last?.text?.contains("1 to 500 characters") ?? false, again.last?.text ?? "")
        }
        XCTAssertEqual(try status(), "confirmed")

        let confirm = try type("  The master is ill  ", by: owner)
        XCTAssertTrue(confirm.last?.text?.contains("Reason: The master is ill") ?? false, confirm.last?.text ?? "")
        XCTAssertTrue(confirm.last?.buttons.map(\.data).contains(data(StaffBookingFlow.Action.confirmCancel(record.id))) ?? false)

        let done = try press(StaffBookingFlow.Action.confirmCancel(record.id), by: owner)
        XCTAssertTrue(done[0].text?.contains("Cancelled by: Olga") ?? false, done[0].text ?? "")
        // The client is told with the reason, in their language; the moderator with notices on
        // too; not the one with them off, nor the owner who did it.
        XCTAssertEqual(sentTo(client, done), [Texts.text(.cancelledByBusiness(booking: summary, reason: "The master is ill"), in: .ru)])
        XCTAssertEqual(sentTo(moderator, done), [Texts.text(.adminCancelled(client: clientInfo, booking: summary, reason: "The master is ill"),
                                                             in: .en)])
        XCTAssertEqual(sentTo(quiet, done), [])
        XCTAssertEqual(done.filter { $0.chat == owner.id && !$0.isAnswer }.count, 1, "only the owner's own screen")

        // The row stays: cancelled, by whom, why; reminders withdrawn; history names the owner.
        let row = try harness.db.query("SELECT status, cancelled_by, cancel_reason FROM bookings WHERE id = $1", [.int(record.id)])[0]
        XCTAssertEqual(try row.get("status") as String, "cancelled")
        XCTAssertEqual(try row.get("cancelled_by") as Int64, owner.id)
        XCTAssertEqual(try row.get("cancel_reason") as String, "The master is ill")
        XCTAssertEqual(try pendingReminders(), 0)
        XCTAssertEqual(try history().last?.action, "cancelled")
        XCTAssertEqual(try history().last?.actor, owner.id)
        XCTAssertEqual(try history().last?.reason, "The master is ill")

        let audit = try harness.audit()
        XCTAssertEqual(audit.map(\.action), ["booking.cancel"])
        XCTAssertEqual(audit.first?.target, "booking:\(record.id)")
        XCTAssertEqual(audit.first?.allowed, true)
        XCTAssertTrue(audit.first?.details.contains(#""outcome": "done""#) ?? false)
        XCTAssertTrue(audit.first?.details.contains(#""client": 40"#) ?? false)
    }

    func testTheAuditRowCommitsWithTheChangeOrNotAtAll() throws {
        _ = try press(StaffBookingFlow.Action.cancel(record.id), by: owner)
        _ = try type("Ill", by: owner)
        // The client's notice cannot be written: the whole turn rolls back.
        try harness.db.query("""
            CREATE FUNCTION fail_client_notice() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN IF NEW.chat_id = 40 THEN RAISE EXCEPTION 'injected'; END IF; RETURN NEW; END $$
            """)
        try harness.db.query("CREATE TRIGGER fail_client_notice BEFORE INSERT ON outbox FOR EACH ROW EXECUTE FUNCTION fail_client_notice()")
        XCTAssertThrowsError(try press(StaffBookingFlow.Action.confirmCancel(record.id), by: owner))
        XCTAssertEqual(try status(), "confirmed")
        XCTAssertEqual(try harness.audit(), [], "no audit row for a change that did not commit")
        XCTAssertEqual(try history().map(\.action), ["created"])
        XCTAssertEqual(try pendingReminders(), 3)

        try harness.db.query("DROP TRIGGER fail_client_notice ON outbox")
        _ = try press(StaffBookingFlow.Action.confirmCancel(record.id), by: owner)
        XCTAssertEqual(try status(), "cancelled")
        XCTAssertEqual(try harness.audit().map(\.action), ["booking.cancel"])
    }

    // MARK: Move

    func testAModeratorMovesABookingTheClientIsToldAndTheOldTimeIsFree() throws {
        let day = harness.clock.localDate(of: record.range.start)
        let newStart = harness.clock.instant(of: day, minute: 14 * 60)!
        let calendar = try press(StaffBookingFlow.Action.move(record.id), by: moderator)
        XCTAssertTrue(calendar[0].buttons.map(\.data).contains(data(StaffBookingFlow.Action.moveDay(record.id, day: day.dayNumber))))
        let slots = try press(StaffBookingFlow.Action.moveDay(record.id, day: day.dayNumber), by: moderator)
        let offered = slots[0].buttons.map(\.data)
        XCTAssertTrue(offered.contains(data(StaffBookingFlow.Action.moveSlot(record.id, start: MinuteStamp.of(record.range.start)))),
                      "the booking never conflicts with itself")
        XCTAssertTrue(offered.contains(data(StaffBookingFlow.Action.moveSlot(record.id, start: MinuteStamp.of(newStart)))))
        let ask = try press(StaffBookingFlow.Action.moveSlot(record.id, start: MinuteStamp.of(newStart)), by: moderator)
        XCTAssertTrue(ask[0].buttons.map(\.data).contains(data(StaffBookingFlow.Action.confirmMove(record.id, start: MinuteStamp.of(newStart)))))

        let done = try press(StaffBookingFlow.Action.confirmMove(record.id, start: MinuteStamp.of(newStart)), by: moderator)
        let (from, to) = (LocalDateTime(record.range.start, clock: harness.clock), LocalDateTime(newStart, clock: harness.clock))
        XCTAssertEqual(sentTo(client, done), [Texts.text(.movedByBusiness(service: "Haircut 1", from: from, to: to, reason: ""), in: .ru)])
        XCTAssertEqual(sentTo(owner, done), [Texts.text(.adminMoved(client: clientInfo, service: "Haircut 1", from: from, to: to), in: .en)])
        XCTAssertEqual(sentTo(quiet, done), [])

        XCTAssertEqual(try status(), "confirmed")
        let moved = try history().last
        XCTAssertEqual(moved?.action, "moved")
        XCTAssertEqual(moved?.actor, moderator.id)
        XCTAssertEqual(moved?.old, record.range.start)
        XCTAssertEqual(moved?.new, newStart)
        // The old time is free for someone else.
        try ClientStore(connection: harness.db).register(id: 41, firstName: "Bob", now: harness.now)
        let other = try harness.db.transaction { tx in
            try BookingStore(connection: tx, defaults: harness.rules).create(client: 41, service: record.serviceID, start: record.range.start,
                                                                           by: .client(41), now: harness.now)
        }
        XCTAssertNotNil(other.value)

        let audit = try XCTUnwrap(try harness.audit().last)
        XCTAssertEqual([audit.action, audit.target ?? "", String(audit.allowed)], ["booking.move", "booking:\(record.id)", "true"])
        XCTAssertTrue(audit.details.contains(#""outcome": "done""#), audit.details)
        XCTAssertTrue(audit.details.contains(#""from""#), audit.details)

        // Moving onto a taken time is the store's refusal: a clear screen, an honest audit row.
        let taken = try press(StaffBookingFlow.Action.confirmMove(record.id, start: MinuteStamp.of(record.range.start)), by: moderator)
        XCTAssertTrue(taken[0].text?.contains("it is taken") ?? false, taken[0].text ?? "")
        XCTAssertEqual(sentTo(client, taken), [])
        XCTAssertTrue(try harness.audit().last?.details.contains(#""outcome": "refused:overlaps_booking""#) ?? false)
    }

    // MARK: Completed / no-show

    func testAVisitIsMarkedOnlyOnceItHasBegun() throws {
        let early = try press(StaffBookingFlow.Action.close(record.id, .completed), by: moderator)
        XCTAssertTrue(early[0].text?.contains("has not started yet") ?? false, early[0].text ?? "")
        XCTAssertEqual(try status(), "confirmed")
        XCTAssertTrue(try harness.audit().last?.details.contains(#""outcome": "refused:not_started""#) ?? false)
        XCTAssertEqual(try harness.audit().last?.action, "booking.complete")

        // The card of a booking ahead offers cancel and move, not the marks.
        let card = try press(StaffBookingFlow.Action.card(record.id), by: moderator)
        XCTAssertFalse(card[0].buttons.map(\.data).contains(data(StaffBookingFlow.Action.close(record.id, .noShow))))

        harness.now = record.range.start.addingTimeInterval(30 * 60)
        let started = try press(StaffBookingFlow.Action.card(record.id), by: moderator)
        XCTAssertTrue(started[0].buttons.map(\.data).contains(data(StaffBookingFlow.Action.close(record.id, .noShow))))
        XCTAssertFalse(started[0].buttons.map(\.data).contains(data(StaffBookingFlow.Action.cancel(record.id))))
        let lateCancel = try press(StaffBookingFlow.Action.cancel(record.id), by: moderator)
        XCTAssertTrue(lateCancel[0].text?.contains("has begun") ?? false)

        let marked = try press(StaffBookingFlow.Action.close(record.id, .noShow), by: moderator)
        XCTAssertTrue(marked[0].text?.contains("did not come") ?? false, marked[0].text ?? "")
        XCTAssertEqual(try status(), "no_show")
        XCTAssertEqual(try pendingReminders(), 0, "a no-show's review request is withdrawn too")
        XCTAssertEqual(try history().last?.action, "no_show")
        XCTAssertEqual(try history().last?.actor, moderator.id)
        XCTAssertEqual(try harness.audit().last?.action, "booking.no_show")
        XCTAssertTrue(try harness.audit().last?.details.contains(#""outcome": "done""#) ?? false)

        // Marked once: a second mark changes nothing and says why.
        let again = try press(StaffBookingFlow.Action.close(record.id, .completed), by: moderator)
        XCTAssertTrue(again[0].text?.contains("no longer confirmed") ?? false)
        XCTAssertEqual(try status(), "no_show")
        XCTAssertTrue(try harness.audit().last?.details.contains(#""outcome": "refused:not_found""#) ?? false)
    }

    func testACompletedVisitKeepsItsReviewRequest() throws {
        harness.now = record.range.start.addingTimeInterval(10 * 60)
        _ = try press(StaffBookingFlow.Action.close(record.id, .completed), by: owner)
        XCTAssertEqual(try status(), "completed")
        XCTAssertEqual(try harness.count("""
            SELECT count(*) AS n FROM reminders WHERE booking_id = $1 AND kind = 'review' AND withdrawn_at IS NULL
            """, [.int(record.id)]), 1)
        XCTAssertEqual(try harness.audit().last?.action, "booking.complete")
    }

    // MARK: Forged and stale

    func testForgedIdsAndABookingCancelledMeanwhileAnswerCleanlyAndAuditHonestly() throws {
        let missing = try press(StaffBookingFlow.Action.card(987_654), by: owner)
        XCTAssertEqual(missing[0].text, ScheduleText.notFound.text(in: .en))
        XCTAssertEqual(missing.last?.answerText, alert(.bookingNotFound))

        // Confirm without a reason typed (a copied button): nothing is cancelled.
        let lost = try press(StaffBookingFlow.Action.confirmCancel(record.id), by: owner)
        XCTAssertEqual(lost[0].text, ScheduleText.reasonLost.text(in: .en))
        XCTAssertEqual(try status(), "confirmed")

        let forgedMove = try press(StaffBookingFlow.Action.confirmMove(987_654, start: MinuteStamp.of(record.range.start)), by: owner)
        XCTAssertEqual(forgedMove[0].text, ScheduleText.notFound.text(in: .en))
        XCTAssertTrue(try harness.audit().last?.details.contains(#""outcome": "refused:not_found""#) ?? false)

        // The owner types a reason; meanwhile the client cancels it themselves.
        _ = try press(StaffBookingFlow.Action.cancel(record.id), by: owner)
        _ = try type("Holiday", by: owner)
        _ = try harness.db.transaction { tx in
            try BookingStore(connection: tx, defaults: harness.rules).cancel(booking: record.id, by: .client(client.id), reason: nil,
                                                                           now: harness.now)
        }
        let late = try press(StaffBookingFlow.Action.confirmCancel(record.id), by: owner)
        XCTAssertTrue(late[0].text?.contains("no longer confirmed") ?? false, late[0].text ?? "")
        XCTAssertEqual(sentTo(client, late), [], "nobody is told of what did not happen")
        XCTAssertEqual(late.filter { $0.chat != owner.id }.count, 0)
        let row = try harness.db.query("SELECT cancelled_by, cancel_reason FROM bookings WHERE id = $1", [.int(record.id)])[0]
        XCTAssertEqual(try row.get("cancelled_by") as Int64, client.id, "the client's cancellation stands")
        XCTAssertNil(try row.get("cancel_reason") as String?)
        let audit = try XCTUnwrap(try harness.audit().last)
        XCTAssertEqual(audit.action, "booking.cancel")
        XCTAssertTrue(audit.details.contains(#""outcome": "refused:not_found""#), audit.details)

        // The audit screen says it was refused by the store, not that it happened.
        let screen = try harness.command("audit", from: owner)
        XCTAssertTrue(screen[0].text?.contains("booking cancelled: Holiday — not done: no such booking, or no longer confirmed") ?? false,
                      screen[0].text ?? "")
    }

    // MARK: Access

    func testAStrangerIsRefusedAndAuditedAtEveryStep() throws {
        for action in [data(ScheduleFlow.Action.overview), data(StaffBookingFlow.Action.card(record.id)),
                       data(StaffBookingFlow.Action.confirmCancel(record.id)), data(ClientsFlow.Action.client(client.id))] {
            let sent = try harness.press(action, from: stranger)
            XCTAssertEqual(sent.map(\.method), ["answerCallbackQuery"], action)
            XCTAssertEqual(sent.first?.answerText, alert(.noAccess), action)
            XCTAssertEqual(try harness.audit().last?.allowed, false, action)
            XCTAssertEqual(try harness.audit().last?.actor, stranger.id, action)
        }
        XCTAssertEqual(try harness.audit().map(\.target), ["flow:sc", "flow:sb", "flow:sb", "flow:cl"])

        // Typing a reason: made a moderator, they open the question; revoked, their text is refused.
        try harness.setRole(stranger, "moderator")
        _ = try press(StaffBookingFlow.Action.cancel(record.id), by: stranger)
        try harness.setRole(stranger, nil)
        let typed = try type("Because", by: stranger)
        XCTAssertEqual(typed.compactMap(\.text), [Texts.text(.noAccess, in: .en)])
        let last = try XCTUnwrap(try harness.audit().last)
        XCTAssertEqual([last.target ?? "", last.details, String(last.allowed)], ["flow:sb", #"{"step": "text"}"#, "false"])
        XCTAssertEqual(try status(), "confirmed")
        XCTAssertNil(try harness.state(of: stranger)?.flow, "the flow does not stay open for them")
    }
}

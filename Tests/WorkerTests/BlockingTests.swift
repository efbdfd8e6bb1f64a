import Booking
import Conversation
import Foundation
import Postgres
import Store
import Texts
@testable import Worker
import XCTest

/// Blocking time (SPEC admin 7) through the worker's real transaction against PostgreSQL:
/// the preview names every confirmed booking the block overlaps (by interval), the confirm
/// blocks and cancels them together (clients told, reminders withdrawn, history kept),
/// re-checked at commit; nobody books inside; unblock; who may; what the audit log says.
final class BlockingTests: HarnessTestCase {
    private let moderator = WorkerHarness.person(2, "Max")
    private let clients = [Person(id: 41, firstName: "Анна", username: "anna", languageCode: "ru"),
                           Person(id: 42, firstName: "Boris", username: nil, languageCode: "en"),
                           Person(id: 43, firstName: "Clara", username: nil, languageCode: "en"),
                           Person(id: 44, firstName: "Dan", username: nil, languageCode: "en")]
    private var service: ServiceRecord!
    private var day: LocalDate!

    override func setUpWithError() throws {
        try super.setUpWithError()
        try harness.setRole(moderator, "moderator")
        for person in [owner, moderator] + clients {
            try ClientStore(connection: harness.db).register(id: person.id, firstName: person.firstName, username: person.username,
                                                             languageCode: person.languageCode, now: harness.now)
        }
        service = try ServiceStore(connection: harness.db).create(name: "Haircut", durationMinutes: 60)
        day = harness.clock.localDate(of: harness.now).adding(days: 7)
    }

    private func screen(_ sent: [WorkerHarness.Sent], of person: Person) -> WorkerHarness.Sent? {
        sent.last { $0.chat == person.id && !$0.isAnswer }
    }
    private func answer(_ sent: [WorkerHarness.Sent]) -> String? { sent.first(where: \.isAnswer)?.answerText }
    private func at(_ hour: Int, _ minute: Int = 0, on date: LocalDate? = nil) -> Date {
        harness.clock.instant(of: date ?? day, minute: hour * 60 + minute)!
    }
    /// A confirmed booking made as its client would make it.
    @discardableResult
    private func book(_ person: Person, at start: Date) throws -> BookingRecord {
        let outcome = try harness.db.transaction { tx in
            try BookingStore(connection: tx, defaults: harness.rules).create(client: person.id, service: service.id, start: start,
                                                                           by: .client(person.id), now: harness.now)
        }
        guard case .done(let record) = outcome else { throw WorkerHarness.BookingRefused(description: "\(outcome)") }
        return record
    }
    private func status(_ id: Int64) throws -> String {
        try harness.db.query("SELECT status FROM bookings WHERE id = $1", [.int(id)])[0].get("status")
    }
    private func blocks() throws -> Int { try harness.count("SELECT count(*) AS n FROM blocks") }
    private func pendingReminders(_ ids: [Int64]) throws -> Int {
        try harness.count("""
            SELECT count(*) AS n FROM reminders WHERE booking_id = ANY ($1::bigint[]) AND sent_at IS NULL AND missed_at IS NULL
              AND withdrawn_at IS NULL
            """, [.intArray(ids)])
    }
    private func summary(_ record: BookingRecord) -> BookingSummary {
        BookingSummary(service: "Haircut", start: LocalDateTime(record.range.start, clock: harness.clock), durationMinutes: 60, price: "")
    }

    /// Through the screens: a time range of `day` typed, then the reason; the preview.
    private func previewHours(_ times: String, reason: String, by person: Person) throws -> [WorkerHarness.Sent] {
        _ = try press(BlockingFlow.Action.new, by: person)
        _ = try press(BlockingFlow.Action.kind(.hours), by: person)
        let ask = try press(BlockingFlow.Action.day(day.dayNumber), by: person)
        XCTAssertTrue(screen(ask, of: person)?.text?.contains("Type the hours") ?? false, screen(ask, of: person)?.text ?? "")
        _ = try type(times, by: person)
        return try type(reason, by: person)
    }

    // MARK: Acceptance 1, in one transaction per step

    func testABlockListsEveryOverlappingBookingThenCancelsThemTellsTheClientsAndNobodyBooksInside() throws {
        // One starts before the block and ends inside it; one touches its end and stays.
        let before = try book(clients[0], at: at(10))
        let inside = try book(clients[1], at: at(11))
        let last = try book(clients[2], at: at(13))
        let after = try book(clients[3], at: at(14))
        let cancelled = [before, inside, last]

        let menu = try harness.command("admin", from: owner)
        XCTAssertTrue(menu[0].buttons.map(\.data).contains(data(BlockingFlow.Action.list(0))), "the staff menu has blocking")
        let list = try press(BlockingFlow.Action.list(0), by: owner)
        XCTAssertTrue(screen(list, of: owner)?.text?.contains("No ongoing or future blocks") ?? false)

        let preview = try previewHours("10:30-14:00", reason: "  Plumbing works  ", by: owner)
        let text = try XCTUnwrap(screen(preview, of: owner)?.text)
        XCTAssertTrue(text.contains("3 confirmed bookings will be cancelled"), text)
        XCTAssertTrue(text.contains("10:00 · Haircut · Анна (@anna)"), text)
        XCTAssertTrue(text.contains("11:00 · Haircut · Boris"), text)
        XCTAssertTrue(text.contains("13:00 · Haircut · Clara"), text)
        XCTAssertFalse(text.contains("Dan"), "a booking that only touches the end is not covered")
        XCTAssertTrue(text.contains("Reason: Plumbing works"), text)
        XCTAssertEqual(try blocks(), 0, "nothing is blocked before the confirmation")

        let done = try press(BlockingFlow.Action.confirm, by: owner)
        XCTAssertTrue(screen(done, of: owner)?.text?.contains("3 bookings cancelled") ?? false, screen(done, of: owner)?.text ?? "")
        for record in cancelled {
            XCTAssertEqual(try status(record.id), "cancelled")
            let client = clients.first { $0.id == record.clientID }!
            let language: Language = client.languageCode == "ru" ? .ru : .en
            XCTAssertEqual(done.filter { $0.chat == client.id }.compactMap(\.text),
                           [Texts.text(.cancelledByBlock(booking: summary(record), reason: "Plumbing works"), in: language)])
        }
        XCTAssertEqual(try status(after.id), "confirmed")
        XCTAssertTrue(done.filter { $0.chat == clients[3].id }.isEmpty)
        // Staff who take cancellation notices are told of each (not the owner who blocked).
        let notices = done.filter { $0.chat == moderator.id }.compactMap(\.text).joined(separator: "\n")
        for name in ["Анна", "Boris", "Clara"] { XCTAssertTrue(notices.contains(name), notices) }
        XCTAssertTrue(done.filter { $0.chat == owner.id && !$0.isAnswer }.count == 1, "only the owner's own screen")
        XCTAssertEqual(try pendingReminders(cancelled.map(\.id)), 0, "their reminders and review requests are withdrawn")
        XCTAssertGreaterThan(try pendingReminders([after.id]), 0)
        XCTAssertEqual(try harness.count("""
            SELECT count(*) AS n FROM booking_history WHERE booking_id = ANY ($1::bigint[]) AND action = 'cancelled'
              AND actor_id = 1 AND reason = 'Plumbing works'
            """, [.intArray(cancelled.map(\.id))]), 3)
        let row = try harness.db.query("SELECT lower(during) AS s, upper(during) AS e, reason, created_by FROM blocks")[0]
        XCTAssertEqual(try row.get("s") as Date, at(10, 30))
        XCTAssertEqual(try row.get("e") as Date, at(14))
        XCTAssertEqual(try row.get("reason") as String, "Plumbing works")

        let audit = try harness.audit()
        XCTAssertEqual(audit.map(\.action), ["block.create"])
        XCTAssertEqual(audit[0].allowed, true)
        XCTAssertTrue(audit[0].details.contains(#""cancelled": 3"#), audit[0].details)
        XCTAssertTrue(audit[0].details.contains(#""outcome": "done""#), audit[0].details)
        XCTAssertTrue(audit[0].details.contains(#""reason": "Plumbing works""#), audit[0].details)
        let log = try press(AuditLogFlow.Action.page(0), by: owner)
        XCTAssertTrue(screen(log, of: owner)?.text?.contains("blocked time (Plumbing works); bookings cancelled: 3") ?? false,
                      screen(log, of: owner)?.text ?? "")

        // The client's calendar shows the blocked time at once: no start inside it.
        let slots = try press(BookingFlow.Action.day(service: service.id, day: day.dayNumber), by: clients[0])
        let starts = Set(screen(slots, of: clients[0])?.buttons.map(\.data) ?? [])
        for hour in [10, 11, 12, 13] {
            XCTAssertFalse(starts.contains(data(BookingFlow.Action.slot(service: service.id, start: MinuteStamp.of(at(hour))))), "\(hour):00")
        }
        XCTAssertTrue(starts.contains(data(BookingFlow.Action.slot(service: service.id, start: MinuteStamp.of(at(9))))))
        // A forged confirm inside the block is refused at commit.
        for hour in [10, 12, 13] {
            _ = try press(BookingFlow.Action.confirm(service: service.id, start: MinuteStamp.of(at(hour))), by: clients[0])
        }
        XCTAssertEqual(try harness.count("SELECT count(*) AS n FROM bookings WHERE status = 'confirmed'"), 1, "only the booking after the block")

        // The schedule's day lists the block.
        let schedule = try press(ScheduleFlow.Action.day(day.dayNumber), by: moderator)
        let blockID: Int64 = try harness.db.query("SELECT id FROM blocks")[0].get("id")
        XCTAssertTrue(screen(schedule, of: moderator)?.buttons.map(\.data).contains(data(BlockingFlow.Action.card(blockID))) ?? false)
    }

    func testAWholeDayRunsFromLocalMidnightToTheNextAndARunOfDaysThroughItsLastDay() throws {
        _ = try press(BlockingFlow.Action.new, by: moderator)
        _ = try press(BlockingFlow.Action.kind(.day), by: moderator)
        let ask = try press(BlockingFlow.Action.day(day.dayNumber), by: moderator)
        XCTAssertTrue(screen(ask, of: moderator)?.text?.contains("Type the reason") ?? false)
        _ = try type("Holiday", by: moderator)
        _ = try press(BlockingFlow.Action.confirm, by: moderator)

        _ = try press(BlockingFlow.Action.new, by: moderator)
        _ = try press(BlockingFlow.Action.kind(.days), by: moderator)
        let first = day.adding(days: 10)
        let pickLast = try press(BlockingFlow.Action.day(first.dayNumber), by: moderator)
        XCTAssertTrue(screen(pickLast, of: moderator)?.text?.contains("Choose the last day") ?? false)
        // A last day before the first is no button of the screen.
        XCTAssertEqual(answer(try press(BlockingFlow.Action.day(first.dayNumber - 1), by: moderator)), Texts.alert(.invalidButton, in: .en))
        _ = try press(BlockingFlow.Action.day(first.dayNumber + 2), by: moderator)
        _ = try type("Vacation", by: moderator)
        _ = try press(BlockingFlow.Action.confirm, by: moderator)

        let rows = try harness.db.query("SELECT lower(during) AS s, upper(during) AS e FROM blocks ORDER BY id")
        XCTAssertEqual(rows.count, 2)
        XCTAssertEqual(try rows[0].get("s") as Date, harness.clock.startOfDay(day))
        XCTAssertEqual(try rows[0].get("e") as Date, harness.clock.startOfDay(day.adding(days: 1)))
        XCTAssertEqual(try rows[1].get("s") as Date, harness.clock.startOfDay(first))
        XCTAssertEqual(try rows[1].get("e") as Date, harness.clock.startOfDay(first.adding(days: 3)))
        XCTAssertEqual(try harness.audit().map(\.action), ["block.create", "block.create"], "a moderator may block")
        XCTAssertTrue(try harness.audit().allSatisfy { $0.actor == moderator.id && $0.allowed })

        // The list, soonest first; a card; unblock with a confirmation.
        let list = try press(BlockingFlow.Action.list(0), by: moderator)
        let ids: [Int64] = try harness.db.query("SELECT id FROM blocks ORDER BY lower(during)").map { try $0.get("id") }
        XCTAssertEqual(screen(list, of: moderator)?.buttons.prefix(2).map(\.data), ids.map { data(BlockingFlow.Action.card($0)) })
        let card = try press(BlockingFlow.Action.card(ids[0]), by: moderator)
        XCTAssertTrue(screen(card, of: moderator)?.text?.contains("Reason: Holiday") ?? false)
        let ask2 = try press(BlockingFlow.Action.unblock(ids[0]), by: moderator)
        XCTAssertTrue(screen(ask2, of: moderator)?.text?.contains("Remove this block?") ?? false)
        XCTAssertEqual(try blocks(), 2, "asking removes nothing")
        let removed = try press(BlockingFlow.Action.confirmUnblock(ids[0]), by: moderator)
        XCTAssertTrue(screen(removed, of: moderator)?.text?.contains("Block removed") ?? false)
        XCTAssertEqual(try blocks(), 1)
        let audit = try harness.audit().last!
        XCTAssertEqual(audit.action, "block.remove")
        XCTAssertEqual(audit.target, "block:\(ids[0])")
        XCTAssertTrue(audit.details.contains(#""outcome": "done""#) && audit.details.contains("Holiday"), audit.details)
        // The day is bookable again.
        XCTAssertNoThrow(try book(clients[0], at: at(12)))
    }

    func testOneSlotFromTheDaysGrid() throws {
        _ = try press(BlockingFlow.Action.new, by: owner)
        _ = try press(BlockingFlow.Action.kind(.slot), by: owner)
        let slots = try press(BlockingFlow.Action.day(day.dayNumber), by: owner)
        XCTAssertEqual(screen(slots, of: owner)?.buttons.filter { $0.data.contains(".t.") }.count, 9, "09:00 … 17:00")
        // A start that is not one of the day's slots is no button of the screen.
        XCTAssertEqual(answer(try press(BlockingFlow.Action.slot(start: MinuteStamp.of(at(9, 30))), by: owner)),
                       Texts.alert(.invalidButton, in: .en))
        _ = try press(BlockingFlow.Action.slot(start: MinuteStamp.of(at(15))), by: owner)
        let preview = try type("Training", by: owner)
        XCTAssertTrue(screen(preview, of: owner)?.text?.contains("No confirmed bookings") ?? false, screen(preview, of: owner)?.text ?? "")
        _ = try press(BlockingFlow.Action.confirm, by: owner)
        let row = try harness.db.query("SELECT lower(during) AS s, upper(during) AS e FROM blocks")[0]
        XCTAssertEqual(try row.get("s") as Date, at(15))
        XCTAssertEqual(try row.get("e") as Date, at(16))
        XCTAssertThrowsError(try book(clients[0], at: at(15)), "nobody books inside")
    }

    // MARK: Hostile input

    func testBadTimesAndReasonsAreAskedAgainAndNothingIsWritten() throws {
        _ = try press(BlockingFlow.Action.new, by: owner)
        _ = try press(BlockingFlow.Action.kind(.hours), by: owner)
        _ = try press(BlockingFlow.Action.day(day.dayNumber), by: owner)
        let bad: [(String, String)] = [
            (String(repeating: "1", count: 5000), "I don’t understand"), ("🎉🎉🎉", "I don’t understand"), ("25:99-26:00", "I don’t understand"),
            ("10:00-25:00", "I don’t understand"), ("10:60-11:00", "I don’t understand"), ("", "I don’t understand"),
            ("9999999999999999999999:00-10:00", "I don’t understand"), ("-5:00-10:00", "I don’t understand"),
            ("14:00-10:00", "The end must be after the start"), ("10:00-10:00", "The end must be after the start"),
            ("an hour", "I don’t understand"),
        ]
        for (text, problem) in bad {
            let again = try type(text, by: owner)
            XCTAssertTrue(screen(again, of: owner)?.text?.contains(problem) ?? false, "\(text.prefix(20)): \(screen(again, of: owner)?.text ?? "")")
        }
        let ask = try type("10:00 – 24:00", by: owner)
        XCTAssertTrue(screen(ask, of: owner)?.text?.contains("Type the reason") ?? false, screen(ask, of: owner)?.text ?? "")
        for text in ["", "ab", "🎉🎉🎉🎉", "— — —", String(repeating: "x", count: 501), String(repeating: "я", count: 5000)] {
            let again = try type(text, by: owner)
            XCTAssertTrue(screen(again, of: owner)?.text?.contains("Type the reason") ?? false, screen(again, of: owner)?.text ?? "")
            XCTAssertFalse(screen(again, of: owner)?.buttons.map(\.data).contains(data(BlockingFlow.Action.confirm)) ?? true)
        }
        XCTAssertEqual(try blocks(), 0)
        XCTAssertEqual(try harness.audit(), [])
        let preview = try type("Closed\u{0} early", by: owner)
        XCTAssertTrue(screen(preview, of: owner)?.buttons.map(\.data).contains(data(BlockingFlow.Action.confirm)) ?? false)
        _ = try press(BlockingFlow.Action.confirm, by: owner)
        XCTAssertEqual(try harness.db.query("SELECT reason FROM blocks")[0].get("reason") as String, "Closed early")
        XCTAssertEqual(try harness.db.query("SELECT upper(during) AS e FROM blocks")[0].get("e") as Date,
                       harness.clock.startOfDay(day.adding(days: 1)), "24:00 ends the day")
    }

    func testForgedAndStaleButtonsAnswerCleanly() throws {
        // Ids that do not exist.
        for action in [BlockingFlow.Action.card(999), .unblock(999)] {
            XCTAssertTrue(screen(try press(action, by: owner), of: owner)?.text?.contains("There is no such block") ?? false)
        }
        XCTAssertTrue(screen(try press(BlockingFlow.Action.confirmUnblock(999), by: owner), of: owner)?.text?.contains("no such block") ?? false)
        XCTAssertEqual(try harness.audit().map(\.action), ["block.remove"])
        XCTAssertTrue(try harness.audit()[0].details.contains("refused:not_found"))
        // A confirm with nothing previewed; days and months outside the reach; a kind that is none.
        XCTAssertTrue(screen(try press(BlockingFlow.Action.confirm, by: owner), of: owner)?.text?.contains("was not kept") ?? false)
        XCTAssertTrue(screen(try press(BlockingFlow.Action.day(day.dayNumber), by: owner), of: owner)?.text?.contains("was not kept") ?? false)
        _ = try press(BlockingFlow.Action.kind(.day), by: owner)
        let today = harness.clock.localDate(of: harness.now)
        for number in [today.dayNumber - 1, today.adding(days: 700).dayNumber] {
            XCTAssertEqual(answer(try press(BlockingFlow.Action.day(number), by: owner)), Texts.alert(.invalidButton, in: .en))
        }
        XCTAssertEqual(answer(try press(BlockingFlow.Action.month(MonthIndex.of(today) - 1), by: owner)), Texts.alert(.invalidButton, in: .en))
        XCTAssertEqual(answer(try harness.press(String(data(BlockingFlow.Action.kind(.day)).dropLast(2)) + "kx", from: owner)),
                       Texts.alert(.invalidButton, in: .en))
        XCTAssertEqual(try blocks(), 0)
    }

    func testAConfirmAfterTheBookingsChangedShowsTheNewPreviewAndBlocksNothing() throws {
        _ = try previewHours("10:00-12:00", reason: "Inspection", by: owner)
        // A client books inside meanwhile.
        let late = try book(clients[1], at: at(11))
        let changed = try press(BlockingFlow.Action.confirm, by: owner)
        let text = screen(changed, of: owner)?.text ?? ""
        XCTAssertTrue(text.contains("changed while you looked"), text)
        XCTAssertTrue(text.contains("1 confirmed booking will be cancelled") && text.contains("Boris"), text)
        XCTAssertEqual(try blocks(), 0)
        XCTAssertEqual(try status(late.id), "confirmed")
        XCTAssertTrue(try harness.audit().last?.details.contains("refused:bookings_changed") ?? false)
        // Confirmed again on what is shown now: done.
        let done = try press(BlockingFlow.Action.confirm, by: owner)
        XCTAssertTrue(screen(done, of: owner)?.text?.contains("1 booking cancelled") ?? false, screen(done, of: owner)?.text ?? "")
        XCTAssertEqual(try status(late.id), "cancelled")
    }

    func testAStaleConfirmOfATimeNowOverBlocksNothing() throws {
        _ = try previewHours("10:00-12:00", reason: "Inspection", by: owner)
        harness.now = at(12, 1)
        let refused = try press(BlockingFlow.Action.confirm, by: owner)
        XCTAssertTrue(screen(refused, of: owner)?.text?.contains("Nothing was blocked: that time is over") ?? false)
        XCTAssertEqual(try blocks(), 0)
        XCTAssertTrue(try harness.audit().last?.details.contains("refused:past") ?? false)
    }

    // MARK: Access

    func testAStrangerIsRefusedAndAuditedAndAModeratorWhoLostTheRoleMidwayTooAtTheConfirm() throws {
        let refused = try press(BlockingFlow.Action.list(0), by: stranger)
        XCTAssertEqual(answer(refused), Texts.alert(.noAccess, in: .en))
        XCTAssertEqual(try harness.audit().map(\.allowed), [false])
        XCTAssertEqual(try harness.audit().first?.target, "flow:bl")

        _ = try previewHours("10:00-12:00", reason: "Inspection", by: moderator)
        try harness.setRole(moderator, nil)
        _ = try press(BlockingFlow.Action.confirm, by: moderator)
        XCTAssertEqual(try blocks(), 0)
        XCTAssertEqual(try harness.audit().last?.allowed, false)
    }
}

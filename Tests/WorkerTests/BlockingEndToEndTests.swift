import Booking
import BotTestSupport
import Conversation
import Foundation
import TestSupport
import Keys
import DevSupport
import Postgres
import Sandbox
import Store
import Telegram
import Texts
import XCTest

/// Issue 17's acceptance 1, driven as an owner and three clients would, against the real
/// ingress, worker and reminders processes and the Sandbox: a block of a time range that
/// starts inside a booking (the work hours do not reach midnight) over three confirmed
/// bookings. The steps' every refusal is covered in depth by BlockingTests.
final class BlockingEndToEndTests: BotTestCase {
    private let owner: Int64 = 1000
    private let clients: [(id: Int64, name: String)] = [(2001, "Ann"), (2002, "Boris"), (2003, "Clara")]

    private func staff(_ label: any StaffLabel) -> String { label.label(in: .en) }

    /// Presses the button of the owner's latest screen that carries this blocking action.
    private func tap(_ wanted: BlockingFlow.Action, file: StaticString = #filePath, line: UInt = #line) throws {
        let buttons = sandbox.transcript(chatID: owner)?.botMessages.last?.inlineButtons ?? []
        let button = buttons.first { $0.callbackData.flatMap { CallbackEnvelope.decode($0, as: BlockingFlow.Action.self, now: now) } == wanted }
        try tap(try XCTUnwrap(button, "no \(wanted) in \(buttons.map(\.text))", file: file, line: line), of: owner, file: file, line: line)
    }

    /// Sends text and waits until the owner's latest message offers `label`.
    private func type(_ text: String, until label: String, file: StaticString = #filePath, line: UInt = #line) throws {
        let before = sandbox.transcript(chatID: owner)?.botMessages.count ?? 0
        _ = try sandbox.sendText(text, from: owner)
        _ = try waitFor(owner, file: file, line: line) {
            $0.botMessages.count > before && ($0.botMessages.last?.inlineButtons.contains { $0.text == label } ?? false)
        }
    }

    private func pending(_ db: PostgresConnection) throws -> Int {
        try db.query("SELECT count(*)::int AS n FROM reminders WHERE withdrawn_at IS NULL AND sent_at IS NULL AND missed_at IS NULL")[0].get("n")
    }

    func testABlockOverThreeBookingsOneBegunBeforeItCancelsThemTellsEachClientAndNobodyBooksInside() throws {
        try startBot(["ADMIN_IDS": "\(owner)", "BOT_LANGUAGE": "en"])
        let db = try database.connect()
        let day = clock.localDate(of: now).adding(days: 3)
        let starts = try [10, 11, 13].map { try XCTUnwrap(clock.instant(of: day, minute: $0 * 60)) }
        var bookings: [Int64] = []
        try db.transaction { tx in
            for ((id, name), start) in zip(clients, starts) {
                try ClientStore(connection: tx).register(id: id, firstName: name, languageCode: "en", now: now)
                bookings.append(try XCTUnwrap(BookingStore(connection: tx, defaults: defaults)
                    .create(client: id, service: haircut, start: start, by: .client(id), now: now).value).id)
            }
        }
        user(owner, "Olga", language: "en")
        for (id, name) in clients {
            user(id, name, language: "en")
            try say("/start", from: id, thenBotMessages: 1)
        }
        XCTAssertEqual(try pending(db), 9, "two reminders and a review request each")

        // The owner: staff menu → Block time → New → Hours of one day → the day → 10:30-14:00 → the reason.
        try say("/admin", from: owner, thenBotMessages: 1)
        try tap(staff(BlockingButton.menuEntry), of: owner)
        XCTAssertEqual(lastText(owner), BlockingText.list(total: 0, page: 1, pages: 1).text(in: .en))
        try tap(staff(BlockingButton.new), of: owner)
        try tap(staff(BlockingButton.kind(.hours)), of: owner)
        if MonthIndex.of(day) != MonthIndex.of(clock.localDate(of: now)) { try tap(.month(MonthIndex.of(day))) }
        try tap(.day(day.dayNumber))
        try type("10:30-14:00", until: staff(BlockingButton.backToKinds))
        let reason = "Water pipe repair, sorry"
        try type(reason, until: staff(BlockingButton.confirm(cancelling: 3)))

        // The preview names all three, the one that began at 10:00 included.
        let preview = try XCTUnwrap(lastText(owner))
        XCTAssertTrue(preview.contains("3 confirmed bookings will be cancelled"), preview)
        for ((_, name), start) in zip(clients, starts) {
            XCTAssertTrue(preview.contains("\(DateTexts(language: .en, clock: clock).time(of: start)) · Haircut · \(name)"), preview)
        }
        XCTAssertEqual(try db.query("SELECT count(*)::int AS n FROM blocks")[0].get("n") as Int, 0, "nothing blocked before the confirm")

        try tap(staff(BlockingButton.confirm(cancelling: 3)), of: owner)
        XCTAssertTrue(lastText(owner)?.contains("3 bookings cancelled") ?? false, lastText(owner) ?? "")

        // Each client is told, with the reason.
        for ((id, _), start) in zip(clients, starts) {
            let summary = BookingSummary(service: "Haircut", start: LocalDateTime(start, clock: clock), durationMinutes: 60, price: "1500 ₽")
            _ = try waitFor(id) { $0.botMessages.last?.text == Texts.text(.cancelledByBlock(booking: summary, reason: reason), in: .en) }
        }
        let statuses: [String] = try db.query("SELECT status FROM bookings ORDER BY id").map { try $0.get("status") }
        XCTAssertEqual(statuses, ["cancelled", "cancelled", "cancelled"])
        XCTAssertEqual(try pending(db), 0, "their reminders are withdrawn")
        let history: Int = try db.query("""
            SELECT count(*)::int AS n FROM booking_history WHERE action = 'cancelled' AND actor_id = $1 AND reason = $2
            """, [.int(owner), .text(reason)])[0].get("n")
        XCTAssertEqual(history, 3)
        let audit = try db.query("SELECT action, details->>'cancelled' AS n FROM audit_log WHERE actor_id = $1", [.int(owner)])
        XCTAssertEqual(try audit.map { "\(try $0.get("action") as String) \(try $0.get("n") as String)" }, ["block.create 3"])

        // Nobody books inside, forged confirm included: a press of a slot never offered.
        let forged = CallbackEnvelope.encode(BookingFlow.Action.confirm(service: haircut, start: MinuteStamp.of(starts[1])), issuedAt: now)
        let client = clients[0].id
        let transcript = try XCTUnwrap(sandbox.transcript(chatID: client))
        _ = try sandbox.pressForged(from: client, messageID: try XCTUnwrap(transcript.botMessages.last).messageID, callbackData: forged)
        _ = try waitForAnswer(client, after: transcript.callbackAnswers.count)
        let confirmed: Int = try db.query("SELECT count(*)::int AS n FROM bookings WHERE status = 'confirmed'")[0].get("n")
        XCTAssertEqual(confirmed, 0, "the block refuses the forged confirm at commit")

        // The reminders process, past the time the first 24-hour reminder was due: nothing goes.
        try startReminders()
        try setClock(to: starts[0].addingTimeInterval(-23 * 3600))
        // A round that began after the clock moved has claimed what was due by then (the
        // process writes the round's start once its due rows are decided).
        let redis = try TestServices.redisConnection(), moved = Int64(Date().timeIntervalSince1970 * 1000)
        XCTAssertTrue(ChildProcess.eventually(timeout: 30) {
            ((try? redis.command("HGET", RedisKeys(prefix: self.prefix).statsReminders, "round_began_ms").string).flatMap { Int64($0) } ?? 0) > moved
        }, "a reminders round ran past the due time")
        let reminded = sandbox.calls(method: "sendMessage").filter { call in
            clients.contains { call.parameters["chat_id"] == .int($0.id) } && {
                if case .string(let text)? = call.parameters["text"] { return text.hasPrefix("🔔") } else { return false }
            }()
        }
        XCTAssertEqual(reminded.count, 0, "no reminder of a cancelled booking")

        try TranscriptWriter.save(sandbox.transcript(chatID: owner), as: "17-block-range-owner-en")
        try TranscriptWriter.save(sandbox.transcript(chatID: client), as: "17-block-range-client-en")
    }
}

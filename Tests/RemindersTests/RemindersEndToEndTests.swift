import Booking
import BotTestSupport
import Conversation
import Foundation
import Postgres
import Reminders
import Sandbox
import Store
import Telegram
import TestSupport
import Texts
import XCTest

/// Issue 6's acceptance: reminders, reviews and the background outbox with real
/// processes and servers, on a clock the tests move.
final class RemindersEndToEndTests: BotTestCase {
    /// 12:00 local, `days` days from the real today.
    private func noon(in days: Int, hour: Int = 12) throws -> Date {
        try XCTUnwrap(clock.instant(of: clock.localDate(of: Date()).adding(days: days), minute: hour * 60))
    }

    /// A booking made straight in the store at the moved clock's now.
    @discardableResult
    private func book(_ user: Int64, at start: Date, language: String = "en") throws -> Int64 {
        try database.connect().transaction { tx in
            try ClientStore(connection: tx).register(id: user, firstName: "U\(user)", languageCode: language, now: now)
            return try XCTUnwrap(BookingStore(connection: tx, defaults: defaults)
                .create(client: user, service: haircut, start: start, by: .client(user), now: now).value).id
        }
    }

    /// Opens the user's chat in the Sandbox (Telegram lets a bot write only to people who
    /// wrote first); nobody polls, so the message itself goes nowhere.
    private func openChat(_ user: Int64, language: String = "en") throws {
        self.user(user, "U\(user)", language: language)
        _ = try sandbox.sendText("hi", from: user)
    }

    /// The reminders the user got (the bot's other messages left out).
    private func sent(to user: Int64) -> [String] {
        sandbox.calls(method: "sendMessage").filter { $0.parameters["chat_id"] == .int(user) && $0.errorCode == nil }
            .compactMap { if case .string(let text)? = $0.parameters["text"] { return text } else { return nil } }
            .filter { $0.hasPrefix("🔔") }
    }

    private func reminderText(_ start: Date, minutesLeft: Int, at moment: Date) -> String {
        Texts.text(.reminder(booking: summary(start: start), minutesLeft: minutesLeft, today: clock.localDate(of: moment),
                             address: "Main St 1", canCancel: false), in: .en)
    }

    /// Waits a few of the process's rounds, so a second sending would have shown.
    private func settle() { Thread.sleep(forTimeInterval: 1.5) }

    // MARK: 1. Exactly the reminders still ahead, each once; moves and cancels

    func testRemindersGoAtTheirTimesOnceAndFollowMovesAndCancels() throws {
        try startBot()
        try startReminders()
        let visit = try noon(in: 5)
        try setClock(to: visit.addingTimeInterval(-30 * 3600))
        user(2101, "U2101", language: "en")
        // Booked through the bot at T−30h.
        try say("/book", from: 2101, thenBotMessages: 1)
        try tap(label(.service(name: "Haircut", durationMinutes: 60, price: "1500 ₽"), .en), of: 2101)
        while !(sandbox.transcript(chatID: 2101)?.botMessages.last?.inlineButtons.contains { action($0) == .day(service: haircut, day: clock.localDate(of: visit).dayNumber) } ?? false) {
            try tap(label(.nextMonth, .en), of: 2101)
        }
        try tap(try XCTUnwrap(sandbox.transcript(chatID: 2101)?.botMessages.last?.inlineButtons.first { action($0) == .day(service: haircut, day: clock.localDate(of: visit).dayNumber) }), of: 2101)
        try tap(try XCTUnwrap(timeButtons(of: 2101).first { (try? start(of: $0)) == visit }), of: 2101)
        try tap(label(.confirm, .en), of: 2101)
        XCTAssertEqual(lastText(2101), text(.booked(booking: summary(start: visit), address: "Main St 1", reminderOffsetsMinutes: [1440, 120]), .en))
        let before = sent(to: 2101).count

        try setClock(to: visit.addingTimeInterval(-24 * 3600 + 30))
        XCTAssertTrue(ChildProcess.eventually(timeout: 10) { self.sent(to: 2101).count == before + 1 }, logs)
        XCTAssertEqual(sent(to: 2101).last, reminderText(visit, minutesLeft: 1439, at: now))
        settle()
        try setClock(to: visit.addingTimeInterval(-2 * 3600 + 30))
        XCTAssertTrue(ChildProcess.eventually(timeout: 10) { self.sent(to: 2101).count == before + 2 }, logs)
        XCTAssertEqual(sent(to: 2101).last, reminderText(visit, minutesLeft: 119, at: now))
        settle()
        XCTAssertEqual(sent(to: 2101).count, before + 2, "each exactly once")

        // Booked at T−3h: only the 2-hour one.
        let late = try noon(in: 7)
        try setClock(to: late.addingTimeInterval(-3 * 3600))
        try openChat(2102)
        try book(2102, at: late)
        try setClock(to: late.addingTimeInterval(-2 * 3600 + 30))
        XCTAssertTrue(ChildProcess.eventually(timeout: 10) { self.sent(to: 2102).count == 1 }, logs)
        settle()
        XCTAssertEqual(sent(to: 2102), [reminderText(late, minutesLeft: 119, at: now)])

        // Moved: the old times are withdrawn, the new ones planned; cancelled: nothing.
        let first = try noon(in: 10), moved = try noon(in: 11, hour: 15), cancelled = try noon(in: 12)
        try setClock(to: first.addingTimeInterval(-48 * 3600))
        try openChat(2103)
        let movedID = try book(2103, at: first)
        let cancelledID = try book(2103, at: cancelled)
        try database.connect().transaction { tx in
            let store = BookingStore(connection: tx, defaults: defaults)
            XCTAssertNotNil(try store.reschedule(booking: movedID, to: moved, by: .client(2103), now: now).value)
            XCTAssertNotNil(try store.cancel(booking: cancelledID, by: .client(2103), reason: nil, now: now).value)
        }
        try setClock(to: first.addingTimeInterval(-2 * 3600 + 30))  // both old reminders of the moved booking are due by now
        settle()
        XCTAssertEqual(sent(to: 2103), [], "the old times' reminders were withdrawn")
        try setClock(to: moved.addingTimeInterval(-24 * 3600 + 30))
        XCTAssertTrue(ChildProcess.eventually(timeout: 10) { self.sent(to: 2103).count == 1 }, logs)
        try setClock(to: moved.addingTimeInterval(-2 * 3600 + 30))
        XCTAssertTrue(ChildProcess.eventually(timeout: 10) { self.sent(to: 2103).count == 2 }, logs)
        try setClock(to: cancelled.addingTimeInterval(-2 * 3600 + 30))  // both of the cancelled visit's are due by now
        settle()
        XCTAssertEqual(sent(to: 2103).count, 2, "the moved visit's two; none for the cancelled one")
        XCTAssertEqual(try count("SELECT count(*) AS n FROM reminders WHERE booking_id = $1 AND sent_at IS NOT NULL", [.int(cancelledID)]), 0)
    }

    // MARK: 2–3. Many due at once, two processes, one killed

    /// `users` chats, each with one reminder due now for a visit tomorrow.
    private func dueReminders(_ users: Range<Int64>) throws {
        for user in users { try openChat(user) }
        let db = try database.connect()
        let base = try noon(in: 1)
        try db.transaction { tx in
            for (index, user) in users.enumerated() {
                try ClientStore(connection: tx).register(id: user, firstName: "U\(user)", languageCode: "en", now: Date())
                let start = base.addingTimeInterval(Double(index) * 3600)
                let booking: Int64 = try tx.query("""
                    INSERT INTO bookings (user_id, service_id, during, duration_minutes) VALUES ($1, $2, tstzrange($3, $4, '[)'), 60) RETURNING id
                    """, [.int(user), .int(haircut), .timestamp(start), .timestamp(start.addingTimeInterval(3600))])[0].get("id")
                try tx.query("INSERT INTO reminders (booking_id, kind, offset_minutes, due_at) VALUES ($1, 'reminder', 1440, $2)",
                             [.int(booking), .timestamp(Date().addingTimeInterval(-60))])
            }
        }
    }

    private func assertEachGotExactlyOne(_ users: Range<Int64>, file: StaticString = #filePath, line: UInt = #line) throws {
        let counts = Dictionary(grouping: sandbox.calls(method: "sendMessage").filter { $0.errorCode == nil }) { call -> Int64 in
            if case .int(let chat)? = call.parameters["chat_id"] { return chat }
            return 0
        }.mapValues(\.count)
        XCTAssertEqual(users.filter { counts[$0] != 1 }, [], "chats without exactly one reminder", file: file, line: line)
        XCTAssertEqual(try count("SELECT count(*) AS n FROM reminders WHERE sent_at IS NULL"), 0, file: file, line: line)
    }

    func testTwoProcessesSendAThousandDueRemindersEachExactlyOnce() throws {
        let users: Range<Int64> = 30_000..<31_000
        try dueReminders(users)
        try startReminders(["TELEGRAM_SEND_RATE": "400"])
        try startReminders(["TELEGRAM_SEND_RATE": "400"])
        XCTAssertTrue(ChildProcess.eventually(timeout: 90) { self.sandbox.calls(method: "sendMessage").count >= users.count }, logs)
        settle()
        try assertEachGotExactlyOne(users)
    }

    func testARemindersProcessKilledMidBatchLosesNothingAndSendsNothingTwice() throws {
        let users: Range<Int64> = 40_000..<41_000
        try dueReminders(users)
        // Hold the outbox so the process stops inside its first batch: rows claimed,
        // messages half written, nothing committed.
        let holder = try database.connect()
        try holder.query("BEGIN")
        try holder.query("LOCK TABLE outbox IN SHARE MODE")
        let first = try startReminders(["TELEGRAM_SEND_RATE": "400"])
        XCTAssertTrue(ChildProcess.eventually(timeout: 15) {
            ((try? self.count("""
                SELECT count(*) AS n FROM pg_stat_activity
                WHERE application_name = 'bookingbot-reminders' AND wait_event_type = 'Lock' AND state = 'active'
                """)) ?? 0) == 1
        }, logs)
        first.signal(SIGKILL)
        _ = first.wait()
        try holder.query("COMMIT")
        XCTAssertTrue(ChildProcess.eventually(timeout: 15) {
            ((try? self.count("SELECT count(*) AS n FROM pg_stat_activity WHERE application_name = 'bookingbot-reminders'")) ?? 1) == 0
        }, "the killed process's session ends")
        XCTAssertEqual(try count("SELECT count(*) AS n FROM outbox"), 0, "its half-done batch rolled back")
        XCTAssertEqual(try count("SELECT count(*) AS n FROM reminders WHERE sent_at IS NOT NULL"), 0)
        XCTAssertEqual(sandbox.calls(method: "sendMessage").count, 0)
        try startReminders(["TELEGRAM_SEND_RATE": "400"])
        XCTAssertTrue(ChildProcess.eventually(timeout: 90) { self.sandbox.calls(method: "sendMessage").count >= users.count }, logs)
        settle()
        try assertEachGotExactlyOne(users)
    }

    // MARK: 4. Thirty hours down

    func testAfterThirtyHoursDownOnlyRemindersForVisitsNotStartedAreSentLate() throws {
        try setClock(to: Date())
        try openChat(2401)
        let soonStart = try noon(in: 2, hour: 9), laterStart = try noon(in: 3, hour: 9)
        let soon = try book(2401, at: soonStart)    // started by the time the process is back
        let later = try book(2401, at: laterStart)  // still ahead then
        // The process was down while both visits' 24-hour reminders fell due.
        try setClock(to: soonStart.addingTimeInterval(60 * 60))
        XCTAssertLessThan(laterStart.addingTimeInterval(-24 * 3600), now, "the later visit's 24-hour reminder is overdue too")
        try startReminders()
        XCTAssertTrue(ChildProcess.eventually(timeout: 10) { self.sent(to: 2401).count == 1 }, logs)
        settle()
        let minutesLeft = Int(laterStart.timeIntervalSince(now) / 60)
        XCTAssertEqual(sent(to: 2401), [reminderText(laterStart, minutesLeft: minutesLeft, at: now)])
        XCTAssertEqual(try count("SELECT count(*) AS n FROM reminders WHERE booking_id = $1 AND kind = 'reminder' AND missed_at IS NOT NULL",
                                 [.int(soon)]), 2, "the started visit's reminders are recorded as missed")
        XCTAssertEqual(try count("SELECT count(*) AS n FROM reminders WHERE booking_id = $1 AND sent_at IS NOT NULL", [.int(later)]), 1)
    }

    // MARK: 5. Reviews

    func testAReviewIsAskedAfterTheVisitAndStoredOnce() throws {
        try startBot()
        try startReminders()
        let visit = try noon(in: 2)
        try setClock(to: visit.addingTimeInterval(-48 * 3600))
        user(2501, "Rita", language: "en")
        try say("/start", from: 2501, thenBotMessages: 2)
        let booking = try book(2501, at: visit)
        let upcoming = try book(2501, at: try noon(in: 9))
        // Two hours after the visit ends.
        try setClock(to: visit.addingTimeInterval(3 * 3600 + 30))
        let request = Texts.text(.reviewRequest(service: "Haircut", date: clock.localDate(of: visit)), in: .en)
        var transcript = try waitFor(2501) { $0.botMessages.last?.text == request }
        XCTAssertEqual(transcript.botMessages.last?.inlineButtons.map(\.text), (1...5).map { label(.stars($0), .en) })
        XCTAssertEqual(try count("SELECT count(*) AS n FROM bookings WHERE id = $1 AND status = 'completed'", [.int(booking)]), 1)

        transcript = try tap(label(.stars(4), .en), of: 2501)
        XCTAssertEqual(transcript.botMessages.last?.text, text(.askReviewComment(stars: 4), .en))
        XCTAssertEqual(transcript.callbackAnswers.last?.text, Texts.alert(.ratingSaved(stars: 4), in: .en))
        transcript = try say("Lovely, thank you", from: 2501, thenBotMessages: 4)
        XCTAssertEqual(transcript.botMessages.last?.text, text(.reviewThanks, .en))
        let review = try database.connect().query("SELECT rating, comment FROM reviews WHERE booking_id = $1", [.int(booking)])
        XCTAssertEqual(review.count, 1)
        XCTAssertEqual(try review[0].get("rating") as Int, 4)
        XCTAssertEqual(try review[0].get("comment") as String?, "Lovely, thank you")

        // The same request pressed again, another person's booking, a visit not yet had.
        let again = CallbackEnvelope.encode(ReviewFlow.Action.rate(booking: booking, stars: 1), issuedAt: now)
        let planted = TelegramClient(baseURL: sandbox.baseURL, token: token)
        for (presser, data, alert) in [(Int64(2501), again, Texts.Alert.alreadyReviewed),
                                        (2502, CallbackEnvelope.encode(ReviewFlow.Action.rate(booking: booking, stars: 5), issuedAt: now), .bookingNotFound),
                                        (2501, CallbackEnvelope.encode(ReviewFlow.Action.rate(booking: upcoming, stars: 5), issuedAt: now), .reviewTooEarly)] {
            if sandbox.transcript(chatID: presser) == nil { user(presser, "Other", language: "en"); _ = try sandbox.sendText("/help", from: presser) }
            let message = try planted.sendMessage(chatID: presser, text: "rate", replyMarkup: .inlineKeyboard(InlineKeyboardMarkup([[.callback("x", data)]])))
            let answered = sandbox.transcript(chatID: presser)?.callbackAnswers.count ?? 0
            _ = try sandbox.pressButton(from: presser, messageID: message.messageID, callbackData: data)
            let after = try waitForAnswer(presser, after: answered)
            XCTAssertEqual(after.callbackAnswers.last?.text, Texts.alert(alert, in: .en))
        }
        XCTAssertEqual(try count("SELECT count(*) AS n FROM reviews"), 1)
        XCTAssertEqual(try count("SELECT rating AS n FROM reviews"), 4, "the first rating stands")
    }

    // MARK: 6. Replies left behind

    func testARepliesLeftUnsentReachTheUserWithinSecondsThroughTheSweeper() throws {
        try startBot()
        try startReminders()
        user(2601, "Sam", language: "en")
        try say("/start", from: 2601, thenBotMessages: 2)
        // Telegram fails the worker's sends: the reply stays in the outbox, and this chat
        // gets no more updates that would flush it.
        sandbox.injectServerErrors(calls: 1, method: "sendMessage")
        _ = try sandbox.sendText("/help", from: 2601)
        XCTAssertTrue(ChildProcess.eventually { self.sandbox.calls(method: "sendMessage").contains { $0.errorCode == 502 } },
                      "the worker's send failed")
        // And a worker that died between its commit and the send left a row of its own.
        try database.connect().query("""
            INSERT INTO outbox (chat_id, method, payload, created_at) VALUES (2601, 'sendMessage', $1, $2)
            """, [.json(#"{"chat_id":2601,"text":"left by a dead worker"}"#), .timestamp(Date())])
        let transcript = try waitFor(2601, timeout: 15) { $0.botMessages.count >= 4 }
        XCTAssertEqual(Set(transcript.botMessages.suffix(2).map(\.text)), [text(.help, .en), "left by a dead worker"])
        settle()
        XCTAssertEqual(sandbox.transcript(chatID: 2601)?.botMessages.count, 4, "each once")
    }

    // MARK: 7. Telegram says slow down

    func testFloodWaitsPauseSendingAndTheRateStaysWithinTheLimit() throws {
        let users: Range<Int64> = 50_000..<50_060
        try dueReminders(users)
        sandbox.injectFlood(calls: 2, retryAfter: 2)
        try startReminders(["TELEGRAM_SEND_RATE": "10"])
        XCTAssertTrue(ChildProcess.eventually(timeout: 60) {
            self.sandbox.calls(method: "sendMessage").filter { $0.errorCode == nil }.count >= users.count
        }, logs)
        settle()
        try assertEachGotExactlyOne(users)
        let times = sandbox.calls(method: "sendMessage").map(\.receivedAt).sorted()
        XCTAssertTrue(zip(times, times.dropFirst()).contains { $1 - $0 >= 1.9 }, "sending paused for retry_after")
        // Past the bucket's first second of burst, no faster than the limit.
        let rate = Double(times.count - 1 - 10) / (times.last! - times.first!)
        XCTAssertLessThanOrEqual(rate, 10, "sends a second over the whole run")
        // No second ever saw more than the bucket's burst plus a second's refill (times are
        // taken on arrival, so a send held up in transit may land beside the next: 2 spare).
        for (index, time) in times.enumerated() {
            XCTAssertLessThanOrEqual(times[index...].prefix { $0 < time + 1 }.count, 10 + 10 + 2, "at \(time)")
        }
    }

    // MARK: Background jobs

    /// Issue 14: a turn starts a job, the reminders process runs it. An owner asks for the
    /// audit log in the bot (ingress, worker); the file arrives from the reminders process.
    func testAnAuditExportStartedInTheBotArrivesAsACSVDocumentFromTheRemindersProcess() throws {
        let owner: Int64 = 2401
        try startBot(["ADMIN_IDS": "\(owner)"])
        try startReminders(["ADMIN_IDS": "\(owner)"])
        user(owner, "Ольга", language: "ru")
        try say("/admin", from: owner, thenBotMessages: 1)
        try tap(Texts.label(StaffButton.auditExport, in: .ru), of: owner)
        try tap(Texts.label(StaffButton.confirm, in: .ru), of: owner)
        XCTAssertEqual(lastText(owner), Texts.text(StaffText.auditExportStarted, in: .ru))
        let ready = Texts.text(StaffText.auditExportReady(entries: 1, total: 1), in: .ru)
        let transcript = try waitFor(owner) { $0.botMessages.last?.text == ready }
        let document = try XCTUnwrap(transcript.botMessages.last { $0.document != nil }?.document)
        XCTAssertEqual(document.fileName, "audit-log-\(clock.localDate(of: now)).csv")
        let csv = try XCTUnwrap(document.data)
        XCTAssertEqual(Array(csv.prefix(3)), [0xEF, 0xBB, 0xBF])
        let lines = String(decoding: csv.dropFirst(3), as: UTF8.self).components(separatedBy: "\r\n")
        XCTAssertEqual(lines.first, "Время,ID сотрудника,Сотрудник,Действие,Объект,Подробности,Разрешено")
        XCTAssertEqual(lines.dropFirst().first?.components(separatedBy: ",").dropFirst().prefix(4),
                       ["\(owner)", "Ольга", "export.start", "export:audit_export"])
        XCTAssertEqual(try count("SELECT count(*) AS n FROM jobs WHERE finished_at IS NOT NULL AND failed_at IS NULL"), 1)
    }

    // MARK: Running

    func testItRidesOutADatabaseRestartAndStopsCleanlyOnSIGTERM() throws {
        let process = try startReminders(["LOG_LEVEL": "info"])
        XCTAssertTrue(ChildProcess.eventually(timeout: 10) {
            let redis = try? TestServices.redisConnection()
            return ((try? redis?.command("ZCARD", RemindersProcess.heartbeatKey(prefix: self.prefix)).int) ?? 0) == 1
        }, "a heartbeat in Redis: \(logs)")
        try TestServices.restart("postgres")
        try dueReminders(60_000..<60_003)
        XCTAssertTrue(ChildProcess.eventually(timeout: 30) { self.sandbox.calls(method: "sendMessage").count == 3 }, logs)
        process.signal(SIGTERM)
        let result = process.wait()
        XCTAssertEqual(result.status, 0, result.stdout + result.stderr)
        XCTAssertTrue(result.stdout.contains("reminders stopped"), result.stdout)
    }
}

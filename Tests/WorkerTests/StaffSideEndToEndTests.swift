import Booking
import BotTestSupport
import Conversation
import Foundation
import Postgres
import Sandbox
import Store
import Telegram
import Texts
import XCTest

/// Issue 15's acceptance, driven as an owner and a client would, in Russian and English,
/// against the real ingress and worker processes and the Sandbox: the chats are kept as
/// transcripts (`.local/transcripts`). The staff screens' every step and refusal is
/// covered in depth by the harness tests (ServicesTests, SettingsTests, ScheduleTests…).
final class StaffSideEndToEndTests: BotTestCase {
    private let owner: Int64 = 1000

    // MARK: Driving

    /// Sends text and waits until the bot's latest message offers `label` (or reads `text`).
    private func type(_ text: String, from user: Int64, until label: String, file: StaticString = #filePath, line: UInt = #line) throws {
        // The bot answers with a new message (or edits one): wait for that, not for an older screen that has the label too.
        let before = sandbox.transcript(chatID: user).map(Self.progress) ?? 0
        _ = try sandbox.sendText(text, from: user)
        _ = try waitFor(user, file: file, line: line) {
            Self.progress($0) > before && ($0.botMessages.last?.inlineButtons.contains { $0.text == label } ?? false)
        }
    }

    /// How far the bot has got in a chat: its messages and their edits.
    private static func progress(_ transcript: ChatTranscript) -> Int {
        transcript.botMessages.count + transcript.botMessages.map(\.editCount).reduce(0, +)
    }

    private func staff(_ label: any StaffLabel, _ language: Language) -> String { label.label(in: language) }
    private func staff(_ text: any StaffScreenText, _ language: Language) -> String { text.text(in: language) }

    // MARK: 1. A fresh deployment set up through the bot

    private func runFirstSetUp(_ language: Language, client: Int64) throws {
        let db = try database.connect()
        try db.query("DELETE FROM services")
        try startBot(["ADMIN_IDS": "\(owner)", "BOT_LANGUAGE": language.rawValue])
        user(owner, language == .ru ? "Ольга" : "Olga", language: language.rawValue)

        try say("/start", from: owner, thenBotMessages: 3)
        XCTAssertEqual(lastText(owner), staff(StaffText.firstRun(canSetHours: true), language), "the owner's first steps")

        // Two services, through the form.
        try say("/admin", from: owner, thenBotMessages: 4)
        try tap(staff(ServicesButton.services, language), of: owner)
        let services = language == .ru ? [("Стрижка", 60, "1500 ₽"), ("Маникюр", 90, "2000 ₽")] : [("Haircut", 60, "$15"), ("Manicure", 90, "$20")]
        for (name, minutes, price) in services {
            try tap(staff(ServicesButton.new, language), of: owner)
            XCTAssertEqual(lastText(owner), staff(ServicesText.askName, language))
            try type(name, from: owner, until: staff(StaffButton.skip, language))
            try tap(staff(StaffButton.skip, language), of: owner)  // no description
            try type(String(minutes), from: owner, until: staff(StaffButton.skip, language))
            try type(price, from: owner, until: staff(StaffButton.skip, language))
            try tap(staff(StaffButton.skip, language), of: owner)  // the amount found in the price
            try tap(staff(StaffButton.confirm, language), of: owner)
            XCTAssertEqual(lastText(owner)?.contains(name), true, "saved: \(lastText(owner) ?? "")")
            try tap(staff(ServicesButton.toList, language), of: owner)
        }

        // Monday a day off, Tuesday 10:00–16:00.
        try say("/admin", from: owner, thenBotMessages: (sandbox.transcript(chatID: owner)?.botMessages.count ?? 0) + 1)
        try tap(staff(SettingsButton.menuEntry, language), of: owner)
        try tap(staff(SettingsButton.setting(.workHours), language), of: owner)
        let nineToSix = defaults.schedule.hours(on: .monday)
        try tap(staff(SettingsButton.weekday(.monday, nineToSix), language), of: owner)
        try tap(staff(SettingsButton.dayOff, language), of: owner)
        try tap(staff(StaffButton.confirm, language), of: owner)
        try tap(staff(SettingsButton.backToSettings, language), of: owner)
        try tap(staff(SettingsButton.setting(.workHours), language), of: owner)
        try tap(staff(SettingsButton.weekday(.tuesday, defaults.schedule.hours(on: .tuesday)), language), of: owner)
        try type("10:00-16:00", from: owner, until: staff(StaffButton.confirm, language))
        try tap(staff(StaffButton.confirm, language), of: owner)

        // The client's calendar and slots change at once.
        user(client, language == .ru ? "Анна" : "Ann", language: language.rawValue)
        try say("/start", from: client, thenBotMessages: 2)
        try tap(label(.bookNow, language), of: client)
        let (name, minutes, price) = services[0]
        try tap(label(.service(name: name, durationMinutes: minutes, price: price), language), of: client)
        let today = clock.localDate(of: now)
        var tuesday: InlineKeyboardButton?
        for month in 0..<2 {
            let index = today.year * 12 + today.month - 1 + month
            let shown = (year: index / 12, month: index % 12 + 1)
            for button in sandbox.transcript(chatID: client)?.botMessages.last?.inlineButtons ?? [] {
                // Day buttons read "<mark> <day of month>".
                guard ["⚫", "🟢", "🟡", "🔴"].contains(where: button.text.hasPrefix), let number = Int(button.text.split(separator: " ").last ?? ""),
                      let date = LocalDate(year: shown.year, month: shown.month, day: number) else { continue }
                if date.weekday == .monday { XCTAssertTrue(button.text.hasPrefix("⚫"), "\(date) is a day off: \(button.text)") }
                if date.weekday == .tuesday, date.dayNumber > today.dayNumber + 1, tuesday == nil, !button.text.hasPrefix("⚫") { tuesday = button }
            }
            if tuesday != nil { break }
            try tap(label(.nextMonth, language), of: client)
        }
        try tap(try XCTUnwrap(tuesday, "a bookable Tuesday"), of: client)
        let first = try XCTUnwrap(timeButtons(of: client).first)
        XCTAssertEqual(clock.minuteOfDay(of: try start(of: first)), 10 * 60, "Tuesday opens at 10:00")
        XCTAssertEqual(clock.minuteOfDay(of: try start(of: try XCTUnwrap(timeButtons(of: client).last))), 15 * 60,
                       "the last hour-long visit starts at 15:00")

        // The audit log shows each action.
        let actions: [String] = try db.query("SELECT action FROM audit_log WHERE actor_id = $1 AND allowed ORDER BY id", [.int(owner)])
            .map { try $0.get("action") }
        XCTAssertEqual(actions, ["service.create", "service.create", "settings.change", "settings.change"])
        try say("/audit", from: owner, thenBotMessages: (sandbox.transcript(chatID: owner)?.botMessages.count ?? 0) + 1)
        let page = try XCTUnwrap(lastText(owner))
        for (name, _, _) in services { XCTAssertTrue(page.contains(name), "the audit log names \(name): \(page)") }

        try TranscriptWriter.save(sandbox.transcript(chatID: owner), as: "15-first-setup-owner-\(language.rawValue)")
        try TranscriptWriter.save(sandbox.transcript(chatID: client), as: "15-first-setup-client-\(language.rawValue)")
    }

    func testAFreshDeploymentIsSetUpThroughTheBotInRussian() throws {
        try runFirstSetUp(.ru, client: 1101)
    }

    func testAFreshDeploymentIsSetUpThroughTheBotInEnglish() throws {
        try runFirstSetUp(.en, client: 1102)
    }

    // MARK: 3. A booking cancelled from the schedule

    /// Presses the first button of the latest screen whose label contains `part`.
    private func tap(containing part: String, of user: Int64, file: StaticString = #filePath, line: UInt = #line) throws {
        let buttons = sandbox.transcript(chatID: user)?.botMessages.last?.inlineButtons ?? []
        try tap(try XCTUnwrap(buttons.first { $0.text.contains(part) }, "no button with \(part) in \(buttons.map(\.text))",
                              file: file, line: line), of: user, file: file, line: line)
    }

    private func runCancelFromSchedule(_ language: Language, client: Int64, moderator: Int64) throws {
        try startBot(["ADMIN_IDS": "\(owner)", "BOT_LANGUAGE": language.rawValue])
        let db = try database.connect()
        let day = clock.localDate(of: now).adding(days: 3)
        let start = try XCTUnwrap(clock.instant(of: day, minute: 11 * 60))
        try db.transaction { tx in
            for (id, name) in [(client, language == .ru ? "Анна" : "Ann"), (moderator, "Max")] {
                try ClientStore(connection: tx).register(id: id, firstName: name, languageCode: language.rawValue, now: Date())
            }
            try tx.query("INSERT INTO admins (user_id, role, notify) VALUES ($1, 'moderator', true)", [.int(moderator)])
            _ = try BookingStore(connection: tx, defaults: defaults).create(client: client, service: haircut, start: start,
                                                                          by: .client(client), now: Date())
        }
        user(owner, "Olga", language: language.rawValue)
        user(client, language == .ru ? "Анна" : "Ann", language: language.rawValue)
        user(moderator, "Max", language: language.rawValue)
        // Both have talked to the bot before (Telegram lets a bot write only to those who did).
        try say("/start", from: client, thenBotMessages: 1)
        try say("/start", from: moderator, thenBotMessages: 1)

        let planned: Int = try db.query("SELECT count(*)::int AS n FROM reminders WHERE withdrawn_at IS NULL AND sent_at IS NULL")[0].get("n")
        XCTAssertGreaterThan(planned, 0, "the booking has reminders to withdraw")

        try say("/admin", from: owner, thenBotMessages: 1)
        try tap(staff(ScheduleButton.schedule, language), of: owner)
        try tap(staff(ScheduleButton.day(day, today: clock.localDate(of: now), count: 1), language), of: owner)
        try tap(containing: "Haircut", of: owner)
        try tap(staff(ScheduleButton.cancelBooking, language), of: owner)
        let reason = language == .ru ? "Мастер заболел, простите" : "The stylist is ill, sorry"
        try type(reason, from: owner, until: staff(ScheduleButton.confirmCancel, language))
        try tap(staff(ScheduleButton.confirmCancel, language), of: owner)

        // The client is told why, in their language; the moderator with notices on is told too.
        let summary = BookingSummary(service: "Haircut", start: LocalDateTime(start, clock: clock), durationMinutes: 60, price: "1500 ₽")
        _ = try waitFor(client) { $0.botMessages.last?.text == Texts.text(.cancelledByBusiness(booking: summary, reason: reason), in: language) }
        _ = try waitFor(moderator) { $0.botMessages.last?.text?.contains(reason) ?? false }

        // The booking keeps its row: cancelled, by whom, why; its reminders withdrawn.
        let row = try db.query("SELECT status, cancelled_by, cancel_reason FROM bookings")[0]
        XCTAssertEqual(try row.get("status") as String, "cancelled")
        XCTAssertEqual(try row.get("cancelled_by") as Int64?, owner)
        XCTAssertEqual(try row.get("cancel_reason") as String?, reason)
        let pending: Int = try db.query("SELECT count(*)::int AS n FROM reminders WHERE withdrawn_at IS NULL AND sent_at IS NULL")[0].get("n")
        XCTAssertEqual(pending, 0, "reminders withdrawn")
        let audited: [String] = try db.query("SELECT action FROM audit_log WHERE actor_id = $1 ORDER BY id", [.int(owner)]).map { try $0.get("action") }
        XCTAssertEqual(audited, ["booking.cancel"])

        try TranscriptWriter.save(sandbox.transcript(chatID: owner), as: "15-cancel-from-schedule-owner-\(language.rawValue)")
        try TranscriptWriter.save(sandbox.transcript(chatID: client), as: "15-cancel-from-schedule-client-\(language.rawValue)")
    }

    func testTheOwnerCancelsFromTheScheduleWithAReasonInRussian() throws {
        try runCancelFromSchedule(.ru, client: 1201, moderator: 1301)
    }

    func testTheOwnerCancelsFromTheScheduleWithAReasonInEnglish() throws {
        try runCancelFromSchedule(.en, client: 1202, moderator: 1302)
    }

    // MARK: 2. A moderator refused every super admin's screen, however they try

    /// Sends text and waits for the bot's next message or edit.
    private func typeAndWait(_ text: String, from user: Int64, file: StaticString = #filePath, line: UInt = #line) throws -> String? {
        let before = sandbox.transcript(chatID: user).map(Self.progress) ?? 0
        _ = try sandbox.sendText(text, from: user)
        return try waitFor(user, file: file, line: line) { Self.progress($0) > before }.botMessages.last?.text
    }

    /// Presses data the person was never shown (copied from someone else's screen) on their
    /// latest message; returns the press's answer.
    private func pressCopied(_ data: String, by user: Int64) throws -> String? {
        let transcript = try XCTUnwrap(sandbox.transcript(chatID: user))
        let message = try XCTUnwrap(transcript.botMessages.last)
        let answered = transcript.callbackAnswers.count
        _ = try sandbox.pressForged(from: user, messageID: message.messageID, callbackData: data)
        return try waitForAnswer(user, after: answered).callbackAnswers.last?.text
    }

    private func runModeratorRefused(_ language: Language, moderator: Int64, demoted: Int64) throws {
        try startBot(["ADMIN_IDS": "\(owner)", "BOT_LANGUAGE": language.rawValue])
        let db = try database.connect()
        for (id, role) in [(moderator, "moderator"), (demoted, "super_admin")] {
            try ClientStore(connection: db).register(id: id, firstName: "Staff \(id)", now: Date())
            try db.query("INSERT INTO admins (user_id, role) VALUES ($1, $2)", [.int(id), .text(role)])
        }
        for id in [owner, moderator, demoted] { user(id, "Staff \(id)", language: language.rawValue) }
        let noAccess = Texts.alert(.noAccess, in: language)

        // The owner's screens, whose buttons the moderator copies.
        try say("/admin", from: owner, thenBotMessages: 1)
        let auditButton = try button(staff(StaffButton.auditLog, language), of: owner)
        try tap(staff(SettingsButton.menuEntry, language), of: owner)
        let slotStep = try button(staff(SettingsButton.setting(.slotStep), language), of: owner)

        // The moderator: their menu shows neither; /audit and the copied buttons are refused.
        try say("/admin", from: moderator, thenBotMessages: 1)
        let menu = sandbox.transcript(chatID: moderator)?.botMessages.last?.inlineButtons.map(\.text) ?? []
        XCTAssertFalse(menu.contains(staff(SettingsButton.menuEntry, language)), "\(menu)")
        XCTAssertFalse(menu.contains(staff(StaffButton.auditLog, language)), "\(menu)")
        XCTAssertEqual(try typeAndWait("/audit", from: moderator), text(.superAdminsOnly, language))
        XCTAssertEqual(try pressCopied(try XCTUnwrap(auditButton.callbackData), by: moderator), noAccess)
        XCTAssertEqual(try pressCopied(try XCTUnwrap(slotStep.callbackData), by: moderator), noAccess)

        // A super admin demoted while a settings question waits for their answer: the answer is refused.
        try say("/admin", from: demoted, thenBotMessages: 1)
        try tap(staff(SettingsButton.menuEntry, language), of: demoted)
        try tap(staff(SettingsButton.setting(.slotStep), language), of: demoted)
        try db.query("UPDATE admins SET role = 'moderator' WHERE user_id = $1", [.int(demoted)])
        XCTAssertEqual(try typeAndWait("30", from: demoted), text(.superAdminsOnly, language))

        // Nothing was changed; every refusal is in the audit log, refused.
        XCTAssertEqual(try db.query("SELECT count(*)::int AS n FROM settings")[0].get("n") as Int, 0)
        let refused: [String] = try db.query("""
            SELECT actor_id::text || ' ' || target AS row FROM audit_log WHERE NOT allowed ORDER BY id
            """).map { try $0.get("row") }
        XCTAssertEqual(refused, ["\(moderator) flow:g", "\(moderator) flow:g", "\(moderator) flow:st", "\(demoted) flow:st"],
                       "/audit and the copied page button, the copied settings button, the demoted answer")
        try TranscriptWriter.save(sandbox.transcript(chatID: moderator), as: "15-moderator-refused-\(language.rawValue)")
        try TranscriptWriter.save(sandbox.transcript(chatID: demoted), as: "15-demoted-mid-form-\(language.rawValue)")
    }

    func testAModeratorIsRefusedEverySuperAdminScreenInRussian() throws {
        try runModeratorRefused(.ru, moderator: 1401, demoted: 1501)
    }

    func testAModeratorIsRefusedEverySuperAdminScreenInEnglish() throws {
        try runModeratorRefused(.en, moderator: 1402, demoted: 1502)
    }

    // MARK: 4. A form asks again at every bad answer and writes nothing before Confirm

    private func runBadAnswers(_ language: Language) throws {
        try startBot(["ADMIN_IDS": "\(owner)", "BOT_LANGUAGE": language.rawValue])
        let db = try database.connect()
        user(owner, "Olga", language: language.rawValue)
        try say("/admin", from: owner, thenBotMessages: 1)
        try tap(staff(ServicesButton.services, language), of: owner)
        try tap(staff(ServicesButton.new, language), of: owner)

        let askName = staff(ServicesText.askName, language)
        for bad in ["ab", String(repeating: "я", count: 101), String(repeating: "x", count: 5000), "🙂🙂🙂", "Haircut", "  hAIRCUT "] {
            let shown = try XCTUnwrap(try typeAndWait(bad, from: owner))
            XCTAssertTrue(shown.hasPrefix("⚠️") && shown.hasSuffix(askName), "'\(bad.prefix(12))': \(shown)")
        }
        _ = try typeAndWait(language == .ru ? "Массаж" : "Massage", from: owner)
        try tap(staff(StaffButton.skip, language), of: owner)  // no description
        let askDuration = staff(ServicesText.askDuration, language)
        for bad in ["0", "481", language == .ru ? "час" : "an hour", "99999999999999999999", "-60", "17"] {
            let shown = try XCTUnwrap(try typeAndWait(bad, from: owner))
            XCTAssertTrue(shown.hasPrefix("⚠️") && shown.hasSuffix(askDuration), "'\(bad)': \(shown)")
        }
        _ = try typeAndWait("60", from: owner)
        XCTAssertEqual(lastText(owner), staff(ServicesText.askPriceText, language))

        // Nothing written before Confirm; /cancel leaves nothing behind.
        XCTAssertEqual(try db.query("SELECT count(*)::int AS n FROM services")[0].get("n") as Int, 1, "only the Haircut of the set-up")
        XCTAssertEqual(try typeAndWait("/cancel", from: owner), text(.flowCancelled, language))
        XCTAssertEqual(try db.query("SELECT count(*)::int AS n FROM services")[0].get("n") as Int, 1)
        XCTAssertEqual(try db.query("SELECT count(*)::int AS n FROM audit_log")[0].get("n") as Int, 0, "no change was made")
        let state: String = try db.query("SELECT state FROM conversations WHERE user_id = $1", [.int(owner)])[0].get("state")
        XCTAssertEqual(state, ConversationState.idle.storedName, "no form left open")
        try TranscriptWriter.save(sandbox.transcript(chatID: owner), as: "15-form-bad-answers-\(language.rawValue)")
    }

    func testTheServiceFormAsksAgainAtEveryBadAnswerInRussian() throws {
        try runBadAnswers(.ru)
    }

    func testTheServiceFormAsksAgainAtEveryBadAnswerInEnglish() throws {
        try runBadAnswers(.en)
    }
}

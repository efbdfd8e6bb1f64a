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
}

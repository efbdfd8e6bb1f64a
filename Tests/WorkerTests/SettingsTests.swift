import Booking
import Conversation
import Foundation
import Postgres
import Store
import Texts
@testable import Worker
import XCTest

/// Settings (SPEC admin 6) through the worker's real transaction: each setting typed,
/// confirmed, audited and in force at the very next update; bad answers asked again with
/// nothing written; a moderator refused at every step; work hours that would strand
/// bookings say which and cancel nothing.
final class SettingsTests: HarnessTestCase {
    private let moderator = WorkerHarness.person(2, "Max")
    private let client = WorkerHarness.person(40, "Anna")

    private func data(_ action: SettingsFlow.Action) -> String { CallbackEnvelope.encode(action, issuedAt: harness.now) }
    private func en(_ text: SettingsText) -> String { text.text(in: .en) }
    private func screen(_ sent: [WorkerHarness.Sent]) -> String { sent.first { !$0.isAnswer }?.text ?? "" }
    private func edit(_ setting: SettingName) -> SettingsFlow.Action { .edit(SettingName.allCases.firstIndex(of: setting)!) }

    /// The values in force as the store has them now.
    private func inForce() throws -> SettingValues {
        let (rules, address, contact) = try SettingsStore(connection: harness.db).inForce(defaults: harness.rules)
        return SettingValues(rules: rules, address: address ?? "Main St 1", contact: contact ?? "")
    }

    private func settingsRows() throws -> Int { try harness.count("SELECT count(*) AS n FROM settings") }

    /// Opens a setting's question, types the answer and confirms; returns the confirmation and the saved screen.
    @discardableResult
    private func change(_ setting: SettingName, to answer: String) throws -> (confirm: String, saved: String) {
        _ = try harness.press(data(edit(setting)), from: owner)
        let confirm = screen(try harness.send(.text(answer, from: owner)))
        return (confirm, screen(try harness.press(data(.confirm), from: owner)))
    }

    // MARK: Each setting

    func testEachSettingIsChangedAuditedAndInForceAtTheNextUpdate() throws {
        let overview = try harness.press(data(.overview), from: owner)
        var values = try inForce()
        XCTAssertEqual(screen(overview), en(.overview(values)))
        XCTAssertEqual(overview.flatMap(\.buttons).count, SettingName.allCases.count + 1, "a button per setting, and Back")

        let cases: [(SettingName, String, SettingChange, String, String)] = [
            (.slotStep, "30", .number(.slotStep, 30), "60", "30"),
            (.horizon, "6", .number(.horizon, 6), "3", "6"),
            (.notice, " 120 ", .number(.notice, 120), "60", "120"),
            (.limit, "5", .number(.limit, 5), "3", "5"),
            (.cancelCutoff, "12", .number(.cancelCutoff, 12), "24", "12"),
            (.moveCutoff, "6", .number(.moveCutoff, 6), "24", "6"),
            (.reminders, "24ч, 2ч, 30м", .reminders([1440, 120, 30]), "1d,2h", "1d,2h,30m"),
            (.feedback, "3", .number(.feedback, 3), "2", "3"),
            (.address, "Lenina 5, office 3", .text(.address, "Lenina 5, office 3"), "Main St 1", "Lenina 5, office 3"),
            (.contact, "@salon_bot", .text(.contact, "@salon_bot"), "", "@salon_bot"),
        ]
        for (setting, answer, expected, old, new) in cases {
            let wanted = expected.applied(to: values)
            let (confirm, saved) = try change(setting, to: answer)
            XCTAssertEqual(confirm, en(.confirm(SettingDiff(setting: setting, old: values, new: wanted), stranded: [])), "\(setting)")
            XCTAssertEqual(saved, en(.saved(SettingDiff(setting: setting, old: values, new: wanted), stranded: [])), "\(setting)")
            XCTAssertEqual(try inForce(), wanted, "\(setting) read back in force")
            let row = try XCTUnwrap(try harness.audit().last)
            XCTAssertEqual(row, WorkerHarness.AuditRow(actor: owner.id, action: "settings.change", target: "setting:\(setting.rawValue)",
                                                       details: #"{"key": "\#(setting.rawValue)", "new": "\#(new)", "old": "\#(old)"}"#,
                                                       allowed: true), "\(setting)")
            values = wanted
        }
        XCTAssertEqual(try harness.audit().count, cases.count, "one row a change, in its transaction")
        XCTAssertEqual(screen(try harness.press(data(.overview), from: owner)), en(.overview(values)))

        // The next update of anyone sees them: a client's About names the new address and contact.
        let about = try harness.send(.text(Texts.label(.about, in: .en), from: client)).compactMap(\.text).joined()
        XCTAssertTrue(about.contains("Lenina 5, office 3"), about)
        XCTAssertTrue(about.contains("@salon_bot"), about)

        // No reminders, and the address cleared, through their buttons.
        _ = try harness.press(data(edit(.reminders)), from: owner)
        XCTAssertEqual(screen(try harness.press(data(.clear), from: owner)),
                       en(.confirm(SettingDiff(setting: .reminders, old: values, new: SettingChange.reminders([]).applied(to: values)), stranded: [])))
        _ = try harness.press(data(.confirm), from: owner)
        XCTAssertEqual(try inForce().reminderOffsetsMinutes, [])
        XCTAssertEqual(try harness.audit().last?.details, #"{"key": "reminder_offsets", "new": "none", "old": "1d,2h,30m"}"#)
        _ = try harness.press(data(edit(.address)), from: owner)
        _ = try harness.press(data(.clear), from: owner)
        _ = try harness.press(data(.confirm), from: owner)
        XCTAssertEqual(try inForce().address, "")

        // The audit screen says it in words.
        let log = screen(try harness.press(CallbackEnvelope.encode(AuditLogFlow.Action.page(1), issuedAt: harness.now), from: owner))
        XCTAssertTrue(log.contains("setting changed “⏱ Time step”: 60 → 30"), log)
    }

    // MARK: Work hours

    /// The issue's acceptance 1 (second half): Monday a day off and Tuesday 10:00–16:00,
    /// then a client's calendar shows every Monday ⚫ and Tuesday's first time is 10:00.
    func testADayOffAndShorterHoursShowInAClientsCalendarAtTheNextUpdate() throws {
        _ = try harness.press(data(.week), from: owner)
        _ = try harness.press(data(.day(1)), from: owner)
        _ = try harness.press(data(.dayOff), from: owner)
        XCTAssertTrue(screen(try harness.press(data(.confirm), from: owner)).hasPrefix("✅ Saved"))
        _ = try harness.press(data(.day(2)), from: owner)
        _ = try harness.send(.text("10:00–16:00", from: owner))
        _ = try harness.press(data(.confirm), from: owner)
        let hours = try inForce().schedule
        XCTAssertNil(hours.hours(on: .monday))
        XCTAssertEqual(hours.hours(on: .tuesday), DayHours(open: 600, close: 960))
        XCTAssertEqual(hours.hours(on: .wednesday), DayHours(openHour: 9, closeHour: 18), "the other days keep theirs")
        XCTAssertEqual(try harness.audit().map(\.details), [
            #"{"key": "work_hours", "new": "Mon off", "old": "Mon 09:00-18:00"}"#,
            #"{"key": "work_hours", "new": "Tue 10:00-16:00", "old": "Tue 09:00-18:00"}"#,
        ])

        let service = try ServiceStore(connection: harness.db).create(name: "Haircut", durationMinutes: 60)
        let today = harness.clock.localDate(of: harness.now)
        let month = MonthIndex.of(today)
        var mondays = 0
        for index in [month, month + 1] {
            let grid = try harness.press(CallbackEnvelope.encode(BookingFlow.Action.month(service: service.id, month: index), issuedAt: harness.now),
                                         from: client).flatMap(\.buttons)
            var date = try XCTUnwrap(MonthIndex.firstDay(index))
            while MonthIndex.of(date) == index {
                let day = CallbackEnvelope.encode(BookingFlow.Action.day(service: service.id, day: date.dayNumber), issuedAt: harness.now)
                let label = try XCTUnwrap(grid.first { $0.data == day }?.text, "\(date)")
                if date.weekday == .monday {
                    mondays += 1
                    XCTAssertEqual(label, Texts.label(.day(date.day, .unavailable), in: .en), "\(date)")
                } else if date.dayNumber > today.dayNumber + 1 {
                    XCTAssertNotEqual(label, Texts.label(.day(date.day, .unavailable), in: .en), "\(date) stays open")
                }
                date = date.adding(days: 1)
            }
        }
        XCTAssertGreaterThanOrEqual(mondays, 8)
        var tuesday = today.adding(days: 2)
        while tuesday.weekday != .tuesday { tuesday = tuesday.adding(days: 1) }
        let slots = try harness.press(CallbackEnvelope.encode(BookingFlow.Action.day(service: service.id, day: tuesday.dayNumber),
                                                              issuedAt: harness.now), from: client).flatMap(\.buttons)
        let times = slots.filter { $0.data.contains(".b.t.") }.map(\.text)
        XCTAssertEqual(times.first, Texts.label(.slot(minuteOfDay: 600), in: .en))
        XCTAssertEqual(times.last, Texts.label(.slot(minuteOfDay: 900), in: .en), "the last hour-long start before 16:00")
    }

    /// A booking made straight in the store, `days` ahead at `minute` (local), an hour long.
    @discardableResult
    private func booking(_ client: Int64, on date: LocalDate, at minute: Int, service: Int64) throws -> BookingRecord {
        try ClientStore(connection: harness.db).register(id: client, firstName: "C\(client)", now: harness.now)
        let start = try XCTUnwrap(harness.clock.instant(of: date, minute: minute))
        let outcome = try harness.db.transaction { tx in
            try BookingStore(connection: tx, defaults: harness.rules).create(client: client, service: service, start: start,
                                                                          by: .client(client), now: harness.now)
        }
        return try XCTUnwrap(outcome.value, "\(outcome)")
    }

    private func next(_ weekday: Weekday, after date: LocalDate) -> LocalDate {
        var day = date.adding(days: 1)
        while day.weekday != weekday { day = day.adding(days: 1) }
        return day
    }

    func testHoursThatStrandBookingsSayHowManyAndWhenAndCancelNothing() throws {
        let service = try ServiceStore(connection: harness.db).create(name: "Haircut", durationMinutes: 60)
        let today = harness.clock.localDate(of: harness.now)
        let monday = next(.monday, after: today.adding(days: 1))
        let laterMonday = monday.adding(days: 7)
        let tuesday = monday.adding(days: 1)
        try booking(41, on: monday, at: 11 * 60, service: service.id)
        try booking(42, on: monday, at: 16 * 60, service: service.id)
        try booking(43, on: laterMonday, at: 9 * 60, service: service.id)
        let cancelled = try booking(44, on: laterMonday, at: 12 * 60, service: service.id)
        _ = try harness.db.transaction { tx in
            try BookingStore(connection: tx, defaults: harness.rules).cancel(booking: cancelled.id, by: .admin(owner.id), reason: nil, now: harness.now)
        }
        try booking(45, on: tuesday, at: 10 * 60, service: service.id)  // inside 10:00–16:00
        try booking(46, on: tuesday, at: 15 * 60, service: service.id)  // ends at 16:00: inside
        try booking(47, on: tuesday, at: 16 * 60, service: service.id)  // outside
        try booking(48, on: tuesday, at: 9 * 60, service: service.id)   // outside
        let values = try inForce()

        // Monday a day off: three bookings on two Mondays (the cancelled one does not count).
        _ = try harness.press(data(.day(1)), from: owner)
        let confirm = screen(try harness.press(data(.dayOff), from: owner))
        let mondays = [StrandedDay(date: monday, count: 2), StrandedDay(date: laterMonday, count: 1)]
        let dayOff = SettingChange.hours([.monday], nil)
        XCTAssertEqual(confirm, en(.confirm(SettingDiff(setting: .workHours, days: [.monday], old: values, new: dayOff.applied(to: values)),
                                            stranded: mondays)))
        XCTAssertTrue(confirm.contains("3 bookings on Monday"), confirm)
        let saved = screen(try harness.press(data(.confirm), from: owner))
        XCTAssertTrue(saved.contains("3 bookings on Monday"), saved)
        XCTAssertTrue(saved.contains("see them in the Schedule"), saved)

        // Tuesday 10:00–16:00: the 9:00 and 16:00 ones, on one date.
        _ = try harness.press(data(.day(2)), from: owner)
        let shorter = screen(try harness.send(.text("10-16", from: owner)))
        XCTAssertTrue(shorter.contains(en(.confirm(SettingDiff(setting: .workHours, days: [.tuesday], old: dayOff.applied(to: values),
                                                               new: SettingChange.hours([.tuesday], DayHours(open: 600, close: 960))
                                                                   .applied(to: dayOff.applied(to: values))),
                                                   stranded: [StrandedDay(date: tuesday, count: 2)]))), shorter)
        _ = try harness.press(data(.confirm), from: owner)

        // Longer hours strand nothing.
        _ = try harness.press(data(.day(3)), from: owner)
        XCTAssertFalse(screen(try harness.send(.text("8:00 - 20:00", from: owner))).contains("⚠️"))

        XCTAssertEqual(try harness.count("SELECT count(*) AS n FROM bookings WHERE status = 'confirmed'"), 7, "nothing cancelled")
        XCTAssertEqual(try harness.count("SELECT count(*) AS n FROM reminders WHERE withdrawn_at IS NOT NULL AND booking_id <> $1",
                                         [.int(cancelled.id)]), 0, "no reminder withdrawn but the cancelled booking's")
    }

    func testEveryDayAtOnce() throws {
        _ = try harness.press(data(.allDays), from: owner)
        _ = try harness.send(.text("9:30—18:00", from: owner))
        _ = try harness.press(data(.confirm), from: owner)
        XCTAssertEqual(try inForce().schedule, .everyDay(DayHours(open: 570, close: 1080)!))
    }

    // MARK: Bad input

    func testBadAnswersAreAskedAgainAndWriteNothing() throws {
        let values = try inForce()
        let hostile = ["abc", "-1", "99999999999999999999", String(repeating: "9", count: 5000), "🙂", "1.5", "1e3", "an hour", "０"]
        let numbers: [(SettingName, SettingsProblem, [String])] = [
            (.slotStep, .number(min: 5, max: 720, step: 5), ["7", "0", "725", "4"]),
            (.horizon, .number(min: 0, max: 24, step: 1), ["25"]),
            (.notice, .number(min: 0, max: 43_200, step: 1), ["43201"]),
            (.limit, .number(min: 1, max: 100, step: 1), ["0", "101"]),
            (.cancelCutoff, .number(min: 0, max: 720, step: 1), ["721"]),
            (.moveCutoff, .number(min: 0, max: 720, step: 1), ["1000000"]),
            (.feedback, .number(min: 0, max: 720, step: 1), ["721"]),
            (.reminders, .reminders(max: 5), ["24", "0h", "31d", "1h,2h,3h,4h,5h,6h", "h", "2x", "24h 2"]),
            (.address, .length(max: 200), [String(repeating: "a", count: 201), "a\u{0}b"]),
            (.contact, .length(max: 200), [String(repeating: "@", count: 201)]),
        ]
        for (setting, problem, bad) in numbers {
            _ = try harness.press(data(edit(setting)), from: owner)
            let answers = setting == .address || setting == .contact ? bad + [String(repeating: "x", count: 5000)] : bad + hostile
            for answer in answers {
                let sent = try harness.send(.text(answer, from: owner))
                XCTAssertEqual(sent.map(\.text), [en(.again(problem, prompt: .ask(setting, values)))], "\(setting) '\(answer.prefix(30))'")
            }
        }
        _ = try harness.press(data(.day(4)), from: owner)
        for answer in ["16-10", "10-10", "25:00-26:00", "10:60-12", "10-16-18", "abc", "10:5-12", "-1-5", "0-24:01",
                       String(repeating: "1", count: 5000), "99999999999999999999-1", "10 16"] {
            let sent = try harness.send(.text(answer, from: owner))
            XCTAssertEqual(sent.map(\.text), [en(.again(.hours, prompt: .askHours(days: [.thursday], values.schedule)))], answer)
        }
        XCTAssertEqual(try settingsRows(), 0)
        XCTAssertEqual(try harness.audit(), [])
        // Midnight to midnight is a whole day.
        _ = try harness.send(.text("0-24", from: owner))
        _ = try harness.press(data(.confirm), from: owner)
        XCTAssertEqual(try inForce().schedule.hours(on: .thursday), DayHours(open: 0, close: 1440))
    }

    func testCancelMidEditLeavesNothingAndAStaleConfirmDoesNothing() throws {
        _ = try harness.press(data(edit(.slotStep)), from: owner)
        XCTAssertEqual(try harness.command("cancel", from: owner).last?.text, Texts.text(.flowCancelled, in: .en))
        XCTAssertEqual(try harness.send(.text("30", from: owner)).map(\.text), [Texts.text(.unknownInput, in: .en)])

        _ = try harness.press(data(edit(.slotStep)), from: owner)
        _ = try harness.send(.text("30", from: owner))
        _ = try harness.command("cancel", from: owner)
        let stale = try harness.press(data(.confirm), from: owner)
        XCTAssertEqual(stale.map(\.method), ["answerCallbackQuery"])
        XCTAssertEqual(stale.first?.answerText, Texts.alert(.invalidButton, in: .en))
        // Buttons of other screens pressed out of turn answer the same.
        for action in [SettingsFlow.Action.dayOff, .clear, .day(0), .day(8), .edit(SettingName.allCases.count), .edit(1000)] {
            XCTAssertEqual(try harness.press(data(action), from: owner).map(\.answerText), [Texts.alert(.invalidButton, in: .en)], "\(action)")
        }
        XCTAssertEqual(try settingsRows(), 0)
        XCTAssertEqual(try harness.audit(), [])
    }

    // MARK: Access

    /// The issue's acceptance 2: a moderator is refused the settings — the screen, a button
    /// copied from a super admin's screen, and the next answer of a form left open —
    /// each answered and audited, nothing written.
    func testAModeratorIsRefusedEveryStepAndEachRefusalIsAudited() throws {
        try harness.setRole(moderator, "moderator")
        let menu = try harness.command("admin", from: moderator)
        XCTAssertFalse(menu.flatMap(\.buttons).contains { $0.data.contains(".st.") }, "no settings button for a moderator")
        XCTAssertTrue(try harness.command("admin", from: owner).flatMap(\.buttons).contains { $0.data == data(.overview) },
                      "a super admin has it")

        let copied = try harness.press(data(.overview), from: moderator)
        XCTAssertEqual(copied.map(\.method), ["answerCallbackQuery"])
        XCTAssertEqual(copied.first?.answerText, Texts.alert(.noAccess, in: .en))

        // The owner's open question, as if the moderator had it (a role revoked mid-form).
        _ = try harness.press(data(edit(.slotStep)), from: owner)
        try copyState(from: owner, to: moderator)
        XCTAssertEqual(try harness.send(.text("30", from: moderator)).map(\.text), [Texts.text(.superAdminsOnly, in: .en)], "staff are told it is for super admins")
        XCTAssertNil(try harness.state(of: moderator)?.flow, "the flow no longer stays open for them")

        // And the owner's confirmation, Confirm pressed by the moderator.
        _ = try harness.send(.text("30", from: owner))
        try copyState(from: owner, to: moderator)
        let confirm = try harness.press(data(.confirm), from: moderator)
        XCTAssertEqual(confirm.map(\.answerText), [Texts.alert(.noAccess, in: .en)])

        XCTAssertEqual(try settingsRows(), 0, "nothing written")
        XCTAssertEqual(try harness.audit().map { [$0.target ?? "", $0.details, String($0.allowed)] }, [
            ["flow:st", #"{"step": "o"}"#, "false"],
            ["flow:st", #"{"step": "text"}"#, "false"],
            ["flow:st", #"{"step": "k"}"#, "false"],
        ])
        XCTAssertTrue(try harness.audit().allSatisfy { $0.actor == moderator.id })
    }

    private func copyState(from source: Person, to target: Person) throws {
        let stored = try XCTUnwrap(try ConversationStore(connection: harness.db).load(chatID: source.id, userID: source.id))
        let state = try ConversationState.decode(stored).get()
        try ConversationStore(connection: harness.db).save(chatID: target.id, userID: target.id, state: state.storedName, data: stored,
                                                           now: harness.now)
    }
}

import Booking
@testable import Conversation
import Foundation
import Texts
import XCTest

/// What the conversation tests share: Anna (English) at a Moscow business open 9–18 every
/// day, on Thursday 3 December 2026 at 10:00; the router with the standard routes; and
/// helpers that read a turn in the words the person would see.
class ConversationTestCase: XCTestCase {
    let zone = TimeZone(identifier: "Europe/Moscow")!
    /// Thursday 3 December 2026, 10:00 in Moscow (07:00 UTC).
    let now = Date(timeIntervalSince1970: 1_796_281_200)
    let anna = Person(id: 42, firstName: "Anna", username: "anna", languageCode: "en")
    let haircut = BookableService(id: 7, name: "Haircut", durationMinutes: 60, price: "1500 ₽")
    var clock: BusinessClock { BusinessClock(timeZone: zone) }
    var rules: BookingRules {
        BookingRules(clock: clock, schedule: .everyDay(DayHours(openHour: 9, closeHour: 18)!), slotStepMinutes: 60,
                     horizonMonths: 3, minNoticeMinutes: 60, maxActiveBookingsPerClient: 3, cancellationCutoffHours: 24,
                     rescheduleCutoffHours: 24, reminderOffsetsMinutes: [1440, 120], feedbackHoursAfter: 2)
    }
    var settings: ConversationSettings {
        ConversationSettings(languageSetting: "auto", serviceLocation: "Main St 1", callbackTTL: 48 * 3600, clock: clock)
    }
    var router: Router { Router(settings: settings) }
    var say: Speaker { Speaker(language: .en, now: now, clock: clock) }
    var annaInfo: ClientInfo { ClientInfo(id: 42, name: "Anna", username: "anna") }
    var contact: BusinessContact { BusinessContact(address: "Main St 1") }

    // MARK: The world

    /// A Moscow wall-clock instant (UTC+3 all year): December 2026 or a month of 2027.
    func msk(_ month: Int, _ day: Int, _ hour: Int, _ minute: Int = 0) -> Date {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let utc = calendar.date(from: DateComponents(year: 2026 + (month < 12 ? 1 : 0), month: month, day: day, hour: hour, minute: minute))!
        return utc.addingTimeInterval(-3 * 3600)
    }

    func date(_ instant: Date) -> LocalDate { clock.localDate(of: instant) }
    var today: LocalDate { date(now) }

    func booking(_ start: Date, id: Int64 = 5) -> ClientBooking {
        ClientBooking(id: id, service: haircut, start: start, durationMinutes: 60)
    }

    /// The store: the haircut on offer, nothing booked, every change answered "not found"
    /// until the test says otherwise.
    func store(_ change: (StoreFixture) -> Void = { _ in }) -> StoreFixture {
        let store = StoreFixture(person: anna.id)
        store.services = [haircut]
        change(store)
        return store
    }

    func situation(role: Role = .client, isNewUser: Bool = false, at moment: Date? = nil) -> Situation {
        Situation(now: moment ?? now, person: anna, role: role, rules: rules, isNewUser: isNewUser)
    }

    /// What a flow's step sees, with `state`'s message open.
    func context(_ state: ConversationState = .idle, role: Role = .client, isNewUser: Bool = false) -> Context {
        Context(situation: situation(role: role, isNewUser: isNewUser), settings: settings, openMessageID: state.messageID)
    }

    // MARK: Updates

    func press<Action: FlowAction>(_ action: Action, issued: Date? = nil, message: Int64? = 900) -> Incoming {
        press(data: CallbackEnvelope.encode(action, issuedAt: issued ?? now), message: message)
    }

    func press(_ button: InlineButton, message: Int64? = 900) -> Incoming {
        press(data: button.data, message: message)
    }

    func press(data: String, queryID: String = "q1", message: Int64? = 900) -> Incoming {
        .button(queryID: queryID, data: data, messageID: message, from: anna)
    }

    func command(_ name: String, _ argument: String = "") -> Incoming { .command(name, argument: argument, from: anna) }

    /// The minute `instant` as buttons write it (base 36, since 2024-01-01 UTC).
    func issued(_ instant: Date? = nil) -> String {
        String(Int((instant ?? now).timeIntervalSince1970 - 1_704_067_200) / 60, radix: 36)
    }

    /// Every action of every registered flow and of the router itself, as version-2 data
    /// made at `instant`, each number one a screen of today could have put there
    /// (`ButtonField.sample`). A button added to a flow is pressed here without more ado.
    func everyButton(issuedAt instant: Date? = nil) -> [(flow: FlowID, code: String, data: String)] {
        // `registered` has the router's own buttons too.
        let flows = Routes.standard.registered.map { ($0.id, $0.shapes) }
        return flows.flatMap { flow, shapes in
            shapes.keys.sorted().map { code in
                let numbers = shapes[code]!.map { String($0.sample(today: today.dayNumber), radix: 36) }
                return (flow, code, (["2", issued(instant), flow.rawValue, code] + numbers).joined(separator: "."))
            }
        }
    }

    /// One update through the router, from `state` as the worker stores it, against
    /// `store` (a fresh default one if none is given).
    func turn(_ incoming: Incoming, state: ConversationState = .idle, store: StoreFixture? = nil, role: Role = .client,
              isNewUser: Bool = false, file: StaticString = #filePath, line: UInt = #line) -> Turn {
        turn(incoming, stored: state == .idle ? nil : state.encoded(), store: store, role: role, isNewUser: isNewUser,
             file: file, line: line)
    }

    /// One update through the router, from the stored text of `conversations.data`.
    func turn(_ incoming: Incoming, stored: String?, store: StoreFixture? = nil, role: Role = .client, isNewUser: Bool = false,
              file: StaticString = #filePath, line: UInt = #line) -> Turn {
        do {
            return try router.handle(incoming, stored: stored, situation: situation(role: role, isNewUser: isNewUser),
                                     session: store ?? self.store())
        } catch {
            XCTFail("the router threw \(error)", file: file, line: line)
            return Turn(state: .idle, replies: [])
        }
    }

    // MARK: Reading a turn

    func text(_ message: Texts.Message) -> String { Texts.text(message, in: .en) }
    func label(_ button: Texts.Button) -> String { Texts.label(button, in: .en) }
    func alert(_ alert: Texts.Alert) -> String { Texts.alert(alert, in: .en) }

    /// A message with the main-menu keyboard, as `Speaker.menu` makes it.
    func menuMessage(_ message: Texts.Message) -> Outgoing { say.menu(message) }

    /// The screen of a turn (an edited message or one with inline buttons): its text and
    /// buttons; fails when the turn has none.
    func screen(_ turn: Turn, file: StaticString = #filePath, line: UInt = #line) -> (text: String, buttons: [[InlineButton]]) {
        screen(turn.replies, file: file, line: line)
    }

    func screen(_ replies: [Outgoing], file: StaticString = #filePath, line: UInt = #line) -> (text: String, buttons: [[InlineButton]]) {
        for reply in replies {
            if case .edit(_, let text, let buttons) = reply { return (text, buttons ?? []) }
            if case .message(let text, _, let buttons?) = reply { return (text, buttons) }
        }
        XCTFail("no screen in \(replies)", file: file, line: line)
        return ("", [])
    }

    /// The texts of the turn's press answers (nil: answered without a text).
    func answers(_ turn: Turn) -> [String?] {
        turn.replies.compactMap { if case .answer(_, let text, _) = $0 { return text } else { return nil } }
    }

    /// The texts of the turn's new messages.
    func messages(_ turn: Turn) -> [String] {
        turn.replies.compactMap { if case .message(let text, _, _) = $0 { return text } else { return nil } }
    }

    func action(_ button: InlineButton) -> Pressed? { Pressed(button.data, now: now) }

    func button(_ text: String, in buttons: [[InlineButton]]) -> InlineButton? {
        buttons.joined().first { $0.text == text }
    }

    /// The press answered "this button no longer works" and nothing else: the state as it
    /// was, no message, no effect, and the store never heard of it.
    func assertBadPress(_ data: String, state: ConversationState = ConversationState(flow: "v", messageID: 900),
                        file: StaticString = #filePath, line: UInt = #line) {
        let store = store { $0.bookings = [self.booking(self.msk(12, 10, 12))] }
        let turn = turn(press(data: data, queryID: "q7"), state: state, store: store, file: file, line: line)
        XCTAssertEqual(turn, Turn(state: state, replies: [.answer(queryID: "q7", text: alert(.invalidButton), alert: false)]),
                       "'\(data)' must only be answered", file: file, line: line)
        XCTAssertEqual(store.readsAsked, [], "'\(data)' must read nothing", file: file, line: line)
        XCTAssertEqual(store.changesAsked, [], "'\(data)' must change nothing", file: file, line: line)
        XCTAssertEqual(store.refusals, [], "'\(data)' is no step of any flow", file: file, line: line)
    }
}

/// Any button the bot makes, decoded into its flow's action (the flow is part of the
/// answer: a Cancel of the router is not a Cancel of a booking).
enum Pressed: Equatable {
    case start(StartFlow.Action)
    case booking(BookingFlow.Action)
    case myBookings
    case cancel(CancelFlow.Action)
    case move(MoveFlow.Action)
    case review(ReviewFlow.Action)
    case staff(StaffMenuFlow.Action)
    case auditExport(AuditExportFlow.Action)
    case dashboard(DashboardFlow.Action)
    case core(CoreAction)

    init?(_ data: String, now: Date) {
        func decode<A: FlowAction>(_ type: A.Type) -> A? { CallbackEnvelope.decode(data, as: type, now: now) }
        if let action = decode(StartFlow.Action.self) { self = .start(action) }
        else if let action = decode(BookingFlow.Action.self) { self = .booking(action) }
        else if decode(MyBookingsFlow.Action.self) != nil { self = .myBookings }
        else if let action = decode(CancelFlow.Action.self) { self = .cancel(action) }
        else if let action = decode(MoveFlow.Action.self) { self = .move(action) }
        else if let action = decode(ReviewFlow.Action.self) { self = .review(action) }
        else if let action = decode(StaffMenuFlow.Action.self) { self = .staff(action) }
        else if let action = decode(AuditExportFlow.Action.self) { self = .auditExport(action) }
        else if let action = decode(DashboardFlow.Action.self) { self = .dashboard(action) }
        else if let action = decode(CoreAction.self) { self = .core(action) }
        else { return nil }
    }
}

extension Result {
    var failure: Failure? {
        if case .failure(let error) = self { return error }
        return nil
    }

    var success: Success? { try? get() }
}

import Booking
@testable import Conversation
import Foundation
import Texts
import XCTest

/// What the router owns for every flow: /start, /help, /cancel, stray messages, the answer
/// of every press, stale and invalid buttons, who may use a flow, and a stored state it
/// cannot read.
final class RouterTests: ConversationTestCase {
    /// An open flow of each kind, on message 900.
    private var openFlows: [ConversationState] {
        ["b", "l", "c", "v", "a", "sv", "sc", "db", "nt", "g", "e"].map { ConversationState(flow: $0, messageID: 900) }
            + [ConversationState(flow: "r", messageID: 900, draft: #"{"booking":5}"#)]
            + staffQuestions
    }

    // MARK: Commands and text

    func testStartWelcomesNewPeopleAndGreetsReturningOnes() {
        let first = turn(command("start"), isNewUser: true)
        XCTAssertEqual(first.replies.count, 2)
        let (welcome, buttons) = screen(first)
        XCTAssertEqual(welcome, text(.welcomeNew(name: "Anna", rules: ClientRules(rules))))
        XCTAssertEqual(buttons.map { $0.compactMap(action) }, [[.start(.howItWorks)], [.booking(.bookNow)]])
        XCTAssertEqual(first.replies.last, menuMessage(.mainMenu))
        let again = turn(command("start"), store: store { $0.bookingsMadeCount = 3 })
        XCTAssertEqual(again.replies, [menuMessage(.welcomeBack(name: "Anna", bookingCount: 3))])
        XCTAssertEqual(again.state, .idle)
        XCTAssertEqual(turn(command("help")).replies, [menuMessage(.help)])
        let how = turn(press(StartFlow.Action.howItWorks))
        XCTAssertEqual(how.replies, [menuMessage(.howItWorks(rules: ClientRules(rules))), .answer(queryID: "q1", text: nil, alert: false)])
        let about = turn(.text(label(.about), from: anna))
        XCTAssertEqual(about.replies, [menuMessage(.about(AboutInfo(services: [haircut.info], contact: contact, schedule: rules.schedule,
                                                                    rules: ClientRules(rules))))])
        let menu = turn(press(StartFlow.Action.menu), state: ConversationState(flow: "b", messageID: 900))
        XCTAssertEqual(menu.replies, [menuMessage(.mainMenu), .answer(queryID: "q1", text: nil, alert: false)])
        XCTAssertEqual(menu.state, .idle)
    }

    /// The staff side's questions waiting for typed text, each as its own step left it (a
    /// form's draft, a setting being asked, a look-up).
    private var staffQuestions: [ConversationState] {
        let steps: [(FlowID, String)] = [
            ("sf", CallbackEnvelope.encode(ServiceFormFlow.Action.new, issuedAt: now)),
            ("st", CallbackEnvelope.encode(SettingsFlow.Action.edit(1), issuedAt: now)),
            ("cl", CallbackEnvelope.encode(ClientsFlow.Action.find, issuedAt: now)),
        ]
        return steps.map { flow, data in
            var state = turn(.button(queryID: "q", data: data, messageID: 900, from: anna), role: .superAdmin).state
            XCTAssertEqual(state.flow, flow, "the step opened its flow")
            XCTAssertNotNil(state.draft, "\(flow) waits with a draft")
            state.messageID = 900
            return state
        }
    }

    func testCancelAndStartLeaveEveryFlowAndTakeItsButtonsAway() {
        // Staff: their main menu has their menu's entry too.
        let staffSay = Speaker(language: .en, now: now, clock: clock, staff: true)
        for state in openFlows {
            let cancelled = turn(command("cancel"), state: state, role: .moderator)
            XCTAssertEqual(cancelled.state, .idle, "\(state)")
            XCTAssertEqual(cancelled.replies, [.clearButtons(messageID: 900), staffSay.menu(.flowCancelled)], "\(state)")
            let started = turn(command("start"), state: state, role: .moderator)
            XCTAssertEqual(started.state, .idle, "\(state)")
            XCTAssertEqual(started.replies.first, .clearButtons(messageID: 900), "\(state)")
            XCTAssertEqual(started.replies.count, 2, "\(state)")
        }
        let idle = turn(command("cancel"))
        XCTAssertEqual(idle.replies.count, 1)
        XCTAssertEqual(idle.replies.first.flatMap { if case .message(let text, _, _) = $0 { return text } else { return nil } },
                       text(.nothingToCancel))
        // A flow opened by a command has no message known yet: nothing to clear.
        XCTAssertEqual(turn(command("cancel"), state: ConversationState(flow: "b")).replies, [menuMessage(.flowCancelled)])
        // The Cancel button of a screen: the screen says so, without buttons.
        let button = turn(press(CoreAction.close), state: ConversationState(flow: "b", messageID: 900))
        XCTAssertEqual(button.replies, [.edit(messageID: 900, text: text(.flowCancelled), buttons: []),
                                        .answer(queryID: "q1", text: alert(.flowCancelled), alert: false)])
        XCTAssertEqual(button.state, .idle)
    }

    func testUnknownTextAndStickersGetTheHelpHint() {
        for incoming in [Incoming.text("hello?", from: anna), .unsupported(from: anna), command("nope")] {
            let state = ConversationState(flow: "b", messageID: 3)
            let store = store()
            let result = turn(incoming, state: state, store: store)
            XCTAssertEqual(result.replies.count, 1)
            if case .message(let text, _, _) = result.replies[0] { XCTAssertEqual(text, self.text(.unknownInput)) } else { XCTFail() }
            XCTAssertEqual(result.state, state, "a stray message does not close the flow")
            XCTAssertTrue(store.untouched, "\(incoming)")
        }
    }

    // MARK: Presses

    func testEveryPressIsAnsweredExactlyOnce() {
        let far = booking(msk(12, 10, 12))
        let sample = MinuteStamp.date(ButtonField.start.sample(today: today.dayNumber))
        let stores: [() -> StoreFixture] = [
            { self.store() },
            { self.store {
                $0.bookings = [far]
                $0.booked = .done(self.booking(sample, id: 11))
                $0.cancelled = .done(far)
                $0.moved = .done(BookingMove(from: far, to: self.booking(sample)))
                $0.rating = .saved
            } },
            { self.store { $0.bookings = [far]; $0.booked = .refused(.overlapsBooking); $0.moved = .refused(.tooSoon); $0.rating = .notYet } },
            { self.store { $0.roleAtCommit = .client } },
        ]
        let states = [ConversationState.idle] + openFlows
        for button in everyButton() {
            for (index, makeStore) in stores.enumerated() {
                for state in states {
                    for role in [Role.client, .moderator] {
                        let result = turn(press(data: button.data), state: state, store: makeStore(), role: role)
                        XCTAssertEqual(answers(result).count, 1, "\(button.data) with store \(index), \(state), \(role)")
                        XCTAssertEqual(result.replies.last.map { if case .answer = $0 { return true } else { return false } }, true,
                                       "the answer goes last: the spinner stops when the new screen is there")
                    }
                }
            }
        }
        let stale = turn(press(BookingFlow.Action.bookNow, issued: now.addingTimeInterval(-49 * 3600)))
        XCTAssertEqual(answers(stale), [alert(.staleButton)])
        XCTAssertEqual(turn(.button(queryID: "q", data: String(repeating: "x", count: 65), messageID: 1, from: anna)).replies,
                       [.answer(queryID: "q", text: alert(.invalidButton), alert: false)])
    }

    func testAStaleButtonSaysSoAndChangesNothing() {
        let state = ConversationState(flow: "b", messageID: 900)
        for data in everyButton(issuedAt: now.addingTimeInterval(-49 * 3600)).map(\.data) {
            let store = store()
            let result = turn(press(data: data), state: state, store: store)
            XCTAssertEqual(result, Turn(state: state, replies: [menuMessage(.staleButton),
                                                                .answer(queryID: "q1", text: alert(.staleButton), alert: false)]), data)
            XCTAssertTrue(store.untouched, data)
        }
        let fresh = store()
        _ = turn(press(MyBookingsFlow.Action.list, issued: now.addingTimeInterval(-47 * 3600)), store: fresh)
        XCTAssertEqual(fresh.readsAsked, [.upcomingBookings(of: 42), .pastVisits(of: 42)], "47 hours old is still fresh")
    }

    func testANoopButtonIsAnsweredSilently() {
        let state = ConversationState(flow: "b", messageID: 900)
        let store = store()
        XCTAssertEqual(turn(press(CoreAction.noop), state: state, store: store),
                       Turn(state: state, replies: [.answer(queryID: "q1", text: nil, alert: false)]))
        XCTAssertTrue(store.untouched)
    }

    func testAVersionOneButtonStillReachesItsFlow() {
        let store = store { $0.bookings = [self.booking(self.msk(12, 10, 12))] }
        let result = turn(press(data: "1.\(issued()).ca.5"), store: store)
        XCTAssertEqual(store.readsAsked, [.confirmedBooking(5, of: 42)])
        XCTAssertEqual(screen(result).text, text(.cancelQuestion(booking: say.summary(booking(msk(12, 10, 12))))))
        XCTAssertEqual(result.state, ConversationState(flow: "c", messageID: 900))
    }

    // MARK: Access

    func testTheStaffMenuOpensForStaffOnlyAndEveryRefusalIsAudited() {
        let client = store()
        let refused = turn(command("admin"), state: ConversationState(flow: "b", messageID: 900), store: client)
        XCTAssertEqual(refused.replies, [menuMessage(.noAccess)])
        XCTAssertEqual(refused.state, ConversationState(flow: "b", messageID: 900), "the open flow stays as it was")
        XCTAssertEqual(client.refusals, [.attempt(flow: "a", step: "/admin")])
        XCTAssertEqual(client.readsAsked, [])

        let pressing = store()
        let pressed = turn(press(StaffMenuFlow.Action.home), store: pressing)
        XCTAssertEqual(pressed.replies, [.answer(queryID: "q1", text: alert(.noAccess), alert: false)])
        XCTAssertEqual(pressing.refusals, [.attempt(flow: "a", step: "h")])

        for (role, name) in [(Role.moderator, StaffRoleName.moderator), (.superAdmin, .superAdmin)] {
            let staff = store()
            let menu = turn(command("admin"), store: staff, role: role)
            // Services for every staff member; a super admin's features on a super admin's menu only.
            let superAdmin = role == .superAdmin
                ? [[say.staffButton(SettingsButton.menuEntry, SettingsFlow.Action.overview)],
                   [say.staffButton(.auditLog, AuditLogFlow.Action.page(0)), say.staffButton(.auditExport, AuditExportFlow.Action.ask)],
                   [say.staffButton(AdminsButton.menuEntry, AdminsFlow.Action.list),
                    say.staffButton(BookingsExportButton.menuEntry, BookingsExportFlow.Action.ask)],
                   [say.staffButton(FieldEditorButton.menuEntry, FieldEditorFlow.Action.home),
                    say.staffButton(BroadcastButton.menuEntry, BroadcastFlow.Action.list)]] : []
            XCTAssertEqual(menu.replies, [.message(text: Texts.text(StaffText.menu(role: name), in: .en), menu: nil,
                                                   buttons: [[say.staffButton(ScheduleButton.schedule, ScheduleFlow.Action.overview),
                                                              say.staffButton(ClientsButton.clients, ClientsFlow.Action.home)],
                                                             [say.staffButton(ServicesButton.services, ServicesFlow.Action.list),
                                                              say.staffButton(DashboardButton.open, DashboardFlow.Action.show)],
                                                             [say.staffButton(NotificationsButton.menuEntry, NotificationsFlow.Action.show),
                                                              say.staffButton(.rules, StaffMenuFlow.Action.rules)],
                                                             [say.staffButton(BlockingButton.menuEntry, BlockingFlow.Action.list(0)),
                                                              say.staffButton(MassChangeButton.menuEntry, MassChangeFlow.Action.home)]] + superAdmin
                                                             + [[say.staffButton(.close, CoreAction.close)]])])
            XCTAssertEqual(menu.state, ConversationState(flow: "a"))
            XCTAssertEqual(staff.refusals, [])
        }
    }

    func testAChangeRefusedAtCommitLeavesTheFlowAndSaysSo() throws {
        let routes = Routes(anyone: [], moderator: [.command("note", NoteFlow())])
        let router = Router(settings: settings, routes: routes)
        let state = ConversationState(flow: "zn", messageID: 900)
        let save = press(NoteFlow.Action.save)

        // The role was revoked after the screen was shown: the runner refuses the change.
        let revoked = store { $0.roleAtCommit = .client }
        let turn = try router.handle(save, stored: state.encoded(), situation: situation(role: .moderator), session: revoked)
        XCTAssertEqual(turn.state, .idle)
        XCTAssertEqual(turn.replies, [.clearButtons(messageID: 900), .answer(queryID: "q1", text: alert(.noAccess), alert: false)])
        XCTAssertEqual(revoked.changesAsked, [])
        XCTAssertEqual(revoked.refusals, [.attempt(flow: "zn", step: "sv")])

        let held = store { $0.roleAtCommit = .moderator }
        let saved = try router.handle(save, stored: state.encoded(), situation: situation(role: .moderator), session: held)
        XCTAssertEqual(held.changesAsked, [.comment(booking: 1, by: 42, text: "note")])
        XCTAssertEqual(held.audited, [.attempt(flow: "zn", step: "sv")], "a staff change is audited even when it names no entry")
        XCTAssertEqual(answers(saved), [nil])

        // Opened by a client: refused before anything runs.
        let client = store()
        let opened = try router.handle(command("note"), stored: nil, situation: situation(role: .client), session: client)
        XCTAssertEqual(opened.replies, [menuMessage(.noAccess)])
        XCTAssertEqual(client.refusals, [.attempt(flow: "zn", step: "/note")])
        XCTAssertEqual(client.changesAsked, [])
    }

    // MARK: Stored state

    func testAVersionOneStateIsStillRead() throws {
        let review = try ConversationState.decode(#"{"screen":"reviewComment","flowMessageID":900,"reviewBooking":5}"#).get()
        XCTAssertEqual(review, ConversationState(flow: "r", messageID: 900, draft: #"{"booking":5}"#))
        XCTAssertEqual(try ConversationState.decode(#"{"screen":"booking","flowMessageID":900}"#).get(),
                       ConversationState(flow: "b", messageID: 900))
        XCTAssertEqual(try ConversationState.decode(#"{"screen":"moving"}"#).get(), ConversationState(flow: "v"))
        XCTAssertEqual(try ConversationState.decode(#"{"screen":"idle"}"#).get(), .idle)

        // The comment a person types after an update of the old version still reaches its review.
        let store = store { $0.commentKept = true }
        let thanked = turn(.text("Great", from: anna), stored: #"{"screen":"reviewComment","flowMessageID":900,"reviewBooking":5}"#,
                           store: store)
        XCTAssertNil(thanked.problem)
        XCTAssertEqual(store.changesAsked, [.comment(booking: 5, by: 42, text: "Great")])
        XCTAssertEqual(thanked.replies, [.clearButtons(messageID: 900), menuMessage(.reviewThanks)])
        let cancelled = turn(command("cancel"), stored: #"{"screen":"cancelling","flowMessageID":901}"#)
        XCTAssertEqual(cancelled.replies, [.clearButtons(messageID: 901), menuMessage(.flowCancelled)])
    }

    func testAStateRoundTripsThroughItsStoredForm() throws {
        for state in openFlows + [.idle, ConversationState(flow: "b")] {
            XCTAssertEqual(try ConversationState.decode(state.encoded()).get(), state)
        }
        XCTAssertEqual(ConversationState(flow: "r", messageID: 900, draft: "{}").storedName, "r")
        XCTAssertEqual(ConversationState.idle.storedName, "idle")
    }

    func testAnUnreadableStateIsResetAndReported() {
        let unreadable = [
            "not json", "", "[]", #"{"flow":"BOOK"}"#,
            #"{"flow":"zz","messageID":900}"#,  // no such flow (any more)
            #"{"flow":"r","messageID":900,"draft":"{}"}"#,  // a draft its flow cannot read
            #"{"flow":"r","messageID":900}"#,
            #"{"screen":"reviewComment","flowMessageID":900}"#,  // version 1, without its booking
            #"{"screen":"settings"}"#,  // version 1, a screen it never had
        ]
        for stored in unreadable {
            let store = store()
            let result = turn(.text("hello", from: anna), stored: stored, store: store)
            XCTAssertNotNil(result.problem, stored)
            XCTAssertEqual(result.replies, [menuMessage(.flowReset), menuMessage(.unknownInput)], stored)
            XCTAssertEqual(result.state, .idle, stored)
            XCTAssertEqual(store.changesAsked, [], stored)
        }
        // A press after a reset is still answered exactly once.
        let pressed = turn(press(StartFlow.Action.menu), stored: "not json")
        XCTAssertEqual(pressed.replies, [menuMessage(.flowReset), menuMessage(.mainMenu), .answer(queryID: "q1", text: nil, alert: false)])
        XCTAssertNil(turn(command("help"), stored: nil).problem)
    }

    // MARK: Outside any flow

    func testAnApologyAndTooFastAnswerAPressOnce() {
        let press = press(StartFlow.Action.menu)
        XCTAssertEqual(router.apology(for: press, now: now),
                       [.answer(queryID: "q1", text: alert(.somethingWentWrong), alert: false), menuMessage(.somethingWentWrong)])
        XCTAssertEqual(router.apology(for: command("book"), now: now), [menuMessage(.somethingWentWrong)])
        XCTAssertEqual(router.tooFast(press, warn: true), [.answer(queryID: "q1", text: alert(.pleaseWait), alert: false)])
        XCTAssertEqual(router.tooFast(press, warn: false), [.answer(queryID: "q1", text: nil, alert: false)])
        XCTAssertEqual(router.tooFast(command("book"), warn: true), [.message(text: text(.pleaseWait), menu: nil, buttons: nil)])
        XCTAssertEqual(router.tooFast(command("book"), warn: false), [])
    }
}

/// A staff flow with a change (the standard routes have none yet), to see the change
/// runner's refusal through the router.
private struct NoteFlow: Flow {
    enum Action: FlowAction {
        case save

        static let flow: FlowID = "zn"
        static let shapes: [String: [ButtonField]] = ["sv": []]
        var encoded: ButtonCode { ButtonCode("sv") }
        init?(code: String, numbers: [Int]) {
            guard code == "sv" else { return nil }
            self = .save
        }
    }

    struct Save: FlowChange {
        func audit(of outcome: Bool?) -> AuditAction? { nil }
        func apply(to store: any StoreChanges, by actor: ChangeActor) throws -> Bool {
            try store.comment(booking: 1, by: actor.id, text: "note")
        }
    }

    func plan(_ event: Event<Action>, state: NoState?, in context: Context) -> Plan<NoQuery, Save> {
        if case .pressed = event { return Plan(change: Save()) }
        return Plan()
    }

    func respond(_ event: Event<Action>, state: NoState?, read: Void, outcome: Bool?, in context: Context) -> Reply<NoState> {
        var entry: Entry?
        if case .pressed(_, let pressed) = event { entry = pressed }
        return context.show(.reviewThanks, buttons: [[context.say.button(.back, Action.save)]], entry: entry, next: .open(NoState()))
    }
}

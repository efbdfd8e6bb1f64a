import Booking
import Conversation
import Foundation
import Logging
import Postgres
import Store
import Texts
@testable import Worker
import XCTest

/// Access and audit at the seam, through the worker's real transaction (`WorkerHarness`):
/// every registered action of every flow is answered exactly once; a step the person's
/// role does not allow is refused, answered and audited, whoever sends it and whatever
/// step it is; forged envelopes answer "no longer works"; the change runner checks the
/// role again inside the transaction.
final class StaffAccessTests: HarnessTestCase {
    private let moderator = WorkerHarness.person(2, "Max")

    private func alert(_ alert: Texts.Alert) -> String { Texts.alert(alert, in: .en) }
    private func en(_ message: Texts.Message) -> String { Texts.text(message, in: .en) }

    /// Every code of every registered flow, with numbers a screen could have made today.
    private func everyAction() -> [(flow: FlowID, access: Access, data: String)] {
        let today = harness.clock.localDate(of: harness.now).dayNumber
        return Routes.standard.registered.flatMap { flow in
            flow.shapes.keys.sorted().map { code in
                let numbers = flow.shapes[code]!.map { $0.sample(today: today) }
                return (flow.id, flow.access, CallbackEnvelope.encode(flow: flow.id, ButtonCode(code, numbers), issuedAt: harness.now))
            }
        }
    }

    func testEveryRegisteredActionIsAnsweredExactlyOnceAndAStaffOneRefusedAndAuditedForAClient() throws {
        let actions = everyAction()
        XCTAssertGreaterThan(actions.count, 20, "the routes were enumerated")
        XCTAssertTrue(actions.contains { $0.access != .anyone }, "the staff side is registered")
        var refusedSteps = 0
        for (flow, access, data) in actions {
            for person in [stranger, owner] {
                let sent = try harness.press(data, from: person)
                let answers = sent.filter(\.isAnswer)
                XCTAssertEqual(answers.count, 1, "\(data) by \(person.firstName): \(sent.map(\.method))")
                XCTAssertTrue(sent.last?.isAnswer ?? false, "\(data): the answer goes last")
                if !access.allows(.client) && person == stranger {
                    refusedSteps += 1
                    XCTAssertEqual(answers.first?.answerText, alert(.noAccess), data)
                    XCTAssertEqual(sent.count, 1, "\(data): refused, nothing else said")
                    let row = try XCTUnwrap(try harness.audit().last)
                    XCTAssertEqual(row.actor, stranger.id, data)
                    XCTAssertEqual(row.target, "flow:\(flow)", data)
                    XCTAssertFalse(row.allowed, data)
                    XCTAssertTrue(row.details.contains(#""step": ""#), data)
                } else {
                    XCTAssertNotEqual(answers.first?.answerText, alert(.noAccess), "\(data) by \(person.firstName)")
                }
            }
        }
        XCTAssertEqual(try harness.audit().filter { !$0.allowed }.count, refusedSteps, "one refused row per refused press, no more")
        XCTAssertGreaterThan(refusedSteps, 0)
    }

    func testForgedEnvelopesAnswerThatTheButtonNoLongerWorksAndChangeNothing() throws {
        let issued = CallbackEnvelope.encode(flow: "x", ButtonCode("n"), issuedAt: harness.now).split(separator: ".")[1]
        let today = harness.clock.localDate(of: harness.now).dayNumber
        let forged = [
            "2.\(issued).zz.a",                                 // no such flow
            "2.\(issued).b.zz",                                 // no such action
            "2.\(issued).b.s",                                  // a number missing
            "2.\(issued).b.s.5.5",                              // one too many
            "2.\(issued).b.s.0",                                // id 0
            "2.\(issued).b.d.5.\(String(today + 5000, radix: 36))",  // a day years away
            "2.\(issued).v.mk.5.zzzzzzzzzzzz",                  // a time past the calendar
            "2.\(issued).r.r.5.6",                              // six stars
            "2.\(issued).a.h.1",                                // a staff action with a number it lacks
            "1.\(issued).zz",                                   // a version-1 code that never was
            "2.\(issued).b.S.5",                                // not lowercase
            "2.-1.b.s.5",
            "",
        ]
        for data in forged {
            let sent = try harness.press(data, from: stranger)
            XCTAssertEqual(sent.map(\.method), ["answerCallbackQuery"], "'\(data)'")
            XCTAssertEqual(sent.first?.answerText, alert(.invalidButton), "'\(data)'")
        }
        XCTAssertEqual(try harness.audit(), [], "forged data is not an attempt at anything")
        XCTAssertEqual(try harness.count("SELECT count(*) AS n FROM bookings"), 0)
    }

    func testAnOwnerOpensTheStaffMenuAndAStrangersAdminIsRefusedAndAudited() throws {
        let menu = try harness.command("admin", from: owner)
        XCTAssertEqual(menu.map(\.text), [Texts.text(StaffText.menu(role: .superAdmin), in: .en)])
        XCTAssertEqual(try harness.state(of: owner)?.flow, StaffMenuFlow.id)
        XCTAssertEqual(try harness.audit(), [], "opening a screen is not a change")

        let refused = try harness.command("admin", from: stranger)
        XCTAssertEqual(refused.map(\.text), [en(.noAccess)])
        XCTAssertEqual(try harness.audit(), [WorkerHarness.AuditRow(actor: stranger.id, action: "flow.step", target: "flow:a",
                                                                    details: #"{"step": "/admin"}"#, allowed: false)])
        XCTAssertNil(try harness.state(of: stranger)?.flow, "nothing opened")
    }

    func testAModeratorsRoleIsReadOnEveryStepSoARevokedOneIsRefusedAtTheNextPress() throws {
        try harness.setRole(moderator, "moderator")
        let menu = try harness.command("admin", from: moderator)
        XCTAssertEqual(menu.first?.text, Texts.text(StaffText.menu(role: .moderator), in: .en))
        let home = CallbackEnvelope.encode(StaffMenuFlow.Action.home, issuedAt: harness.now)
        XCTAssertEqual(try harness.press(home, from: moderator).first?.text, Texts.text(StaffText.menu(role: .moderator), in: .en))

        try harness.setRole(moderator, nil)
        let refused = try harness.press(home, from: moderator)
        XCTAssertEqual(refused.map(\.method), ["answerCallbackQuery"])
        XCTAssertEqual(refused.first?.answerText, alert(.noAccess))
        XCTAssertEqual(try harness.audit().map(\.allowed), [false])
        XCTAssertEqual(try harness.audit().first?.details, #"{"step": "h"}"#)
        XCTAssertNil(try harness.state(of: moderator)?.flow, "the staff menu no longer stays open for them")
    }

    // MARK: The change runner

    /// A staff change for the runner's test: cancels any booking as the business.
    private struct StaffCancel: FlowChange {
        let booking: Int64
        let client: Int64
        func audit(of outcome: ChangeResult<ClientBooking>?) -> AuditAction? {
            .bookingCancelled(booking: booking, client: client, reason: "Sick")
        }
        func apply(to store: any StoreChanges, by actor: ChangeActor) throws -> ChangeResult<ClientBooking> {
            try store.cancel(booking: booking, by: actor, reason: "Sick")
        }
    }

    func testTheChangeRunnerChecksTheRoleInsideTheTransactionAndAuditsBothWays() throws {
        let db = harness.db
        let record = try harness.booking(of: stranger)
        func runner(_ person: Person, in tx: PostgresConnection) -> ChangeRunner {
            ChangeRunner(db: tx, reads: FlowReads(db: tx, defaults: harness.rules, rules: harness.rules, owners: harness.owners, now: harness.now),
                         person: person.id, owners: [owner.id], now: harness.now)
        }
        let change = StaffCancel(booking: record.id, client: stranger.id)

        let refused = try db.transaction { tx in try runner(stranger, in: tx).run(change, flow: "a", access: .moderator, step: "cc") }
        XCTAssertNil(refused)
        XCTAssertEqual(try harness.count("SELECT count(*) AS n FROM bookings WHERE status = 'confirmed'"), 1, "it never half-ran")

        try harness.setRole(moderator, "moderator")
        let done = try db.transaction { tx in try runner(moderator, in: tx).run(change, flow: "a", access: .moderator, step: "cc") }
        guard case .done? = done else { return XCTFail("\(String(describing: done))") }
        XCTAssertEqual(try harness.count("SELECT count(*) AS n FROM bookings WHERE status = 'cancelled'"), 1)
        XCTAssertEqual(try harness.audit().map { [String(describing: $0.actor), $0.action, $0.target ?? "", String($0.allowed)] },
                       [["3", "booking.cancel", "booking:\(record.id)", "false"], ["2", "booking.cancel", "booking:\(record.id)", "true"]])

        // A super-admin-only change is refused to a moderator, and rolls back with its transaction.
        let superOnly = try db.transaction { tx in try runner(moderator, in: tx).run(change, flow: "a", access: .superAdmin, step: "cc") }
        XCTAssertNil(superOnly)
        XCTAssertEqual(try harness.audit().last?.allowed, false)
    }

    func testAClientFlowActsAsTheClientWhoeverPressesItSoStaffGetNoPowersThere() throws {
        let record = try harness.booking(of: stranger)
        // The owner presses the client's own Cancel of someone else's booking (forged or copied).
        let sent = try harness.press(CallbackEnvelope.encode(CancelFlow.Action.confirm(booking: record.id), issuedAt: harness.now), from: owner)
        XCTAssertEqual(sent.first?.text, en(.bookingNotFound), "as a client, it is not theirs")
        XCTAssertEqual(try harness.count("SELECT count(*) AS n FROM bookings WHERE status = 'confirmed'"), 1)
        XCTAssertEqual(try harness.audit(), [])
    }

    func testTheSameRefusalRepeatedWithinTheHourCountsInOneRow() throws {
        for _ in 1...3 { _ = try harness.command("admin", from: stranger) }
        _ = try harness.press(CallbackEnvelope.encode(StaffMenuFlow.Action.home, issuedAt: harness.now), from: stranger)
        XCTAssertEqual(try harness.audit().map(\.details), [#"{"step": "/admin", "repeats": 3}"#, #"{"step": "h"}"#])
        harness.now = harness.now.addingTimeInterval(ChangeRunner.refusalWindow + 1)
        _ = try harness.command("admin", from: stranger)
        XCTAssertEqual(try harness.audit().count, 3, "an hour later, a row of its own")
    }

    // MARK: State and effects

    func testAStateThatCannotBeReadIsResetAndThePersonToldAndALegacyOneStillWorks() throws {
        try ClientStore(connection: harness.db).register(id: stranger.id, firstName: "Mallory", now: harness.now)
        try ConversationStore(connection: harness.db).save(chatID: stranger.id, userID: stranger.id, state: "q", data: #"{"flow":"zz"}"#,
                                                           now: harness.now)
        let sent = try harness.command("help", from: stranger)
        XCTAssertEqual(sent.map(\.text), [en(.flowReset), en(.help)])
        XCTAssertEqual(try harness.state(of: stranger), ConversationState.idle)

        // A state written by the version before flows had names: a review waiting for its comment.
        try ConversationStore(connection: harness.db).save(chatID: stranger.id, userID: stranger.id, state: "reviewComment",
                                                           data: #"{"screen":"reviewComment","flowMessageID":900,"reviewBooking":5}"#,
                                                           now: harness.now)
        let thanks = try harness.send(.text("Lovely", from: stranger))
        XCTAssertEqual(thanks.map(\.method), ["editMessageReplyMarkup", "sendMessage"])
        XCTAssertEqual(thanks.last?.text, en(.reviewThanks))
    }

    func testAClientNoticeGoesToTheClientInTheirLanguageAndStaffNoticesToTheOwners() throws {
        let db = harness.db
        try ClientStore(connection: db).register(id: 40, firstName: "Ира", languageCode: "ru", now: harness.now)
        try ClientStore(connection: db).register(id: owner.id, firstName: "Olga", languageCode: "en", now: harness.now)
        let message = Texts.Message.mainMenu
        let reached = try db.transaction { tx in
            try EffectWriter(db: tx, settings: ConversationSettings(languageSetting: "auto", serviceLocation: "", callbackTTL: 60, clock: harness.clock),
                             owners: [owner.id], person: 40, updateID: 77, now: harness.now)
                .write([.notifyClient(40, message), .notifyStaff(.newBooking, message)])
        }
        XCTAssertEqual(reached.map(\.chatID), [40, owner.id])
        XCTAssertEqual(reached.map(\.priority), [OutboxLane.background.rawValue, OutboxLane.notice.rawValue],
                       "nobody waits for either; staff notices may be merged")
        let rows = try db.query("SELECT chat_id, payload->>'text' AS text FROM outbox ORDER BY id").map {
            [String(try $0.get("chat_id") as Int64), try $0.get("text") as String]
        }
        XCTAssertEqual(rows, [["40", Texts.text(message, in: .ru)], [String(owner.id), Texts.text(message, in: .en)]])
    }
}

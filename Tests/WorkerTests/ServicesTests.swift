import Conversation
import Foundation
import Store
import Texts
@testable import Worker
import XCTest

/// The services screens and form (SPEC admin 5) through the worker's real transaction:
/// bad input at every field re-asked, nothing written before Confirm, `/cancel` leaving
/// nothing, clients seeing a change at their next /book, archive vs delete, reorder,
/// forged ids, a stranger refused, and exactly one audit row per allowed change.
final class ServicesTests: HarnessTestCase {
    private let moderator = WorkerHarness.person(2, "Max")
    private let client = WorkerHarness.person(5, "Anna")

    // MARK: Helpers

    @discardableResult
    private func tap<A: FlowAction>(_ action: A, by person: Person? = nil) throws -> [WorkerHarness.Sent] {
        let sent = try harness.press(CallbackEnvelope.encode(action, issuedAt: harness.now), from: person ?? owner)
        XCTAssertEqual(sent.filter(\.isAnswer).count, 1, "every press answered once: \(action)")
        return sent
    }

    @discardableResult
    private func enter(_ text: String, by person: Person? = nil) throws -> [WorkerHarness.Sent] {
        try harness.send(.text(text, from: person ?? owner))
    }

    /// The screen's text (the first message or edit).
    private func screen(_ sent: [WorkerHarness.Sent]) -> String { sent.first { !$0.isAnswer }?.text ?? "" }
    private func labels(_ sent: [WorkerHarness.Sent]) -> [String] { sent.flatMap(\.buttons).map(\.text) }
    private func en(_ text: any StaffScreenText) -> String { text.text(in: .en) }
    private func again(_ problem: FieldProblem, _ prompt: ServicesText) -> String { en(FieldAgain(problem: problem, prompt: prompt)) }

    private var serviceCount: Int { get throws { try harness.count("SELECT count(*) AS n FROM services") } }
    private var auditActions: [String] { get throws { try harness.audit().map(\.action) } }

    private func stored(_ name: String) throws -> ServiceRecord? {
        try ServiceStore(connection: harness.db).all().first { $0.name == name }
    }

    /// A service made through the form: name, skip description, duration, price (or skip), skip amount, Confirm.
    @discardableResult
    private func create(_ name: String, minutes: String, price: String? = nil, by person: Person? = nil) throws -> ServiceRecord {
        try tap(ServiceFormFlow.Action.new, by: person)
        try enter(name, by: person)
        try tap(ServiceFormFlow.Action.form(.skip), by: person)
        try enter(minutes, by: person)
        if let price { try enter(price, by: person) } else { try tap(ServiceFormFlow.Action.form(.skip), by: person) }
        try tap(ServiceFormFlow.Action.form(.skip), by: person)
        let done = try tap(ServiceFormFlow.Action.form(.confirm), by: person)
        XCTAssertTrue(screen(done).hasPrefix("✅"), screen(done))
        return try XCTUnwrap(try stored(name))
    }

    /// The services a client is offered by /book, in order (the service buttons' names).
    private func offered() throws -> [String] {
        let sent = try harness.command("book", from: client)
        _ = try harness.command("cancel", from: client)
        return sent.flatMap(\.buttons).filter { $0.data.contains(".b.s.") }.map { button in
            String(button.text.split(separator: "·").first ?? "").trimmingCharacters(in: .whitespaces)
        }
    }

    // MARK: The form

    func testBadInputAtEveryFieldIsExplainedAndAskedAgainAndNothingIsWrittenUntilConfirm() throws {
        _ = try ServiceStore(connection: harness.db).create(name: "Haircut", durationMinutes: 60)
        XCTAssertEqual(screen(try tap(ServiceFormFlow.Action.new)), en(ServicesText.askName))
        let table: [(field: ServicesText, answer: String, problem: FieldProblem)] = [
            (.askName, "ab", .length(min: 3, max: 100)),
            (.askName, String(repeating: "x", count: 5000), .length(min: 3, max: 100)),
            (.askName, String(repeating: "я", count: 101), .length(min: 3, max: 100)),
            (.askName, "🎉🎉🎉", .needsLetterOrDigit),
            (.askName, "💇‍♀️💅✨", .needsLetterOrDigit),
            (.askName, "  haircut ", .taken),
            (.askName, "HAIRCUT", .taken),
        ]
        for row in table {
            XCTAssertEqual(screen(try enter(row.answer)), again(row.problem, row.field), "\(row.answer.prefix(20))")
        }
        XCTAssertEqual(screen(try enter("Massage")), en(ServicesText.askDescription))
        XCTAssertEqual(screen(try enter(String(repeating: "d", count: 5000))), again(.tooLong(max: 500), .askDescription))
        XCTAssertEqual(screen(try tap(ServiceFormFlow.Action.form(.skip))), en(ServicesText.askDuration))
        let minutes = FieldProblem.minutes(min: 15, max: 480, step: 5)
        for answer in ["0", "481", "an hour", "-5", "99999999999999999999", "17", "10", "14:75", "1h 99999999999m", "", "🕐", "1:30:00"] {
            XCTAssertEqual(screen(try enter(answer)), again(minutes, .askDuration), "'\(answer)'")
        }
        XCTAssertEqual(screen(try enter("1ч 30м")), en(ServicesText.askPriceText))
        XCTAssertEqual(screen(try enter(String(repeating: "₽", count: 51))), again(.tooLong(max: 50), .askPriceText))
        // The number in the price text is offered as the amount.
        XCTAssertEqual(screen(try enter("от 1 500 ₽")), en(ServicesText.askAmount(current: "1500")))
        for answer in ["-3", "abc", "1.234", "99999999999999999999", "1e5", "12,3,4"] {
            XCTAssertEqual(screen(try enter(answer)), again(.amount, .askAmount(current: "1500")), "'\(answer)'")
        }
        let preview = try tap(ServiceFormFlow.Action.form(.skip))
        XCTAssertEqual(screen(preview), en(ServicesText.preview(ServicePreviewInfo(creating: true, name: "Massage", description: "",
                                                                                    durationMinutes: 90, priceText: "от 1 500 ₽",
                                                                                    amount: "1500"))))
        XCTAssertEqual(try serviceCount, 1, "nothing written before Confirm")
        XCTAssertEqual(try harness.audit(), [])

        // The change and its audit row are one transaction: an audit row that cannot be written undoes the change.
        try harness.db.query("CREATE FUNCTION refuse_audit() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'audit down'; END $$")
        try harness.db.query("CREATE TRIGGER refuse_audit BEFORE INSERT ON audit_log FOR EACH ROW EXECUTE FUNCTION refuse_audit()")
        XCTAssertThrowsError(try harness.press(CallbackEnvelope.encode(ServiceFormFlow.Action.form(.confirm), issuedAt: harness.now), from: owner))
        XCTAssertEqual(try serviceCount, 1, "no service without its audit row")
        try harness.db.query("DROP TRIGGER refuse_audit ON audit_log")

        let done = try tap(ServiceFormFlow.Action.form(.confirm))
        XCTAssertEqual(screen(done), en(ServicesText.saved(name: "Massage", created: true)))
        let massage = try XCTUnwrap(try stored("Massage"))
        XCTAssertEqual([massage.durationMinutes, Int(massage.priceCents ?? -1)], [90, 150_000])
        XCTAssertEqual(massage.priceText, "от 1 500 ₽")
        XCTAssertTrue(massage.active)
        XCTAssertEqual(try harness.audit(), [WorkerHarness.AuditRow(actor: owner.id, action: "service.create", target: "service:\(massage.id)",
                                                                    details: #"{"name": "Massage"}"#, allowed: true)])
        XCTAssertEqual(try harness.state(of: owner), ConversationState.idle, "the form is closed")
    }

    func testDurationConveniencesAndAmountsAreRead() {
        XCTAssertEqual(["90", "1:30", "1h 30m", "1ч 30м", "1 ч 30 мин", "90 min", "2h", "0:45"].map(ServiceInput.minutes),
                       [90, 90, 90, 90, 90, 90, 120, 45])
        XCTAssertEqual(["1500", "1 500", "1500.5", "1500,50", "0", "9999999999.99"].map(ServiceInput.cents),
                       [150_000, 150_000, 150_050, 150_050, 0, 999_999_999_999])
        XCTAssertNil(ServiceInput.cents("10000000000"))
        XCTAssertEqual(ServiceInput.centsFound(in: "$25.50 per hour"), 2550)
        XCTAssertNil(ServiceInput.centsFound(in: "free"))
        XCTAssertEqual(ServiceInput.clean("Yo\u{0}ga\nclass"), "Yoga class", "no NUL reaches PostgreSQL; a name is one line")
        XCTAssertEqual(ServiceInput.clean("Calm\u{0}\nand slow", keepingLines: true), "Calm\nand slow")
    }

    func testCancelMidFormLeavesNothingBehind() throws {
        try tap(ServiceFormFlow.Action.new)
        try enter("Massage")
        try enter("Relaxing")
        let cancelled = try harness.command("cancel", from: owner)
        XCTAssertFalse(cancelled.isEmpty)
        XCTAssertEqual(try harness.state(of: owner), ConversationState.idle)
        XCTAssertEqual(try serviceCount, 0)
        XCTAssertEqual(try harness.audit(), [])
        // A Confirm pressed after the cancel (an old button) writes nothing either.
        let stale = try tap(ServiceFormFlow.Action.form(.confirm))
        XCTAssertEqual(stale.map(\.method), ["answerCallbackQuery"])
        XCTAssertEqual(try serviceCount, 0)
        XCTAssertEqual(try harness.audit(), [])
        // A text after the cancel is not taken as a name.
        _ = try enter("Yoga")
        XCTAssertEqual(try serviceCount, 0)
    }

    func testTwoServicesCreatedFromNothingAreOfferedToAClientsBook() throws {
        XCTAssertEqual(try offered(), [])
        try create("Massage", minutes: "90", price: "2000 ₽")
        try harness.setRole(moderator, "moderator")
        try create("Manicure", minutes: "45", by: moderator)
        XCTAssertEqual(try offered(), ["Massage", "Manicure"])
        XCTAssertEqual(try harness.audit().map { "\($0.actor) \($0.action) \($0.allowed)" },
                       ["1 service.create true", "2 service.create true"])
    }

    func testAnEditOpensAtThePreviewAndClientsSeeItAtTheirNextBook() throws {
        let massage = try create("Massage", minutes: "90", price: "2000 ₽")
        XCTAssertEqual(try offered(), ["Massage"])
        let preview = try tap(ServiceFormFlow.Action.edit(massage.id))
        XCTAssertEqual(screen(preview), en(ServicesText.preview(ServicePreviewInfo(creating: false, name: "Massage", description: "",
                                                                                    durationMinutes: 90, priceText: "2000 ₽",
                                                                                    amount: "2000"))))
        XCTAssertEqual(screen(try tap(ServiceFormFlow.Action.form(.edit(0)))), en(ServicesText.askName))
        XCTAssertTrue(screen(try enter("massage")).hasPrefix("✏️ Editing"), "its own name (another case) is not taken")
        try tap(ServiceFormFlow.Action.form(.edit(0)))
        try enter("Deep massage")
        try tap(ServiceFormFlow.Action.form(.edit(2)))
        XCTAssertTrue(screen(try enter("2h")).hasPrefix("✏️ Editing"), "back at the preview")
        try tap(ServiceFormFlow.Action.form(.edit(3)))
        try enter("2500 ₽")
        XCTAssertEqual(try stored("Massage")?.durationMinutes, 90, "nothing written before Confirm")
        XCTAssertEqual(try harness.audit().count, 1)

        XCTAssertEqual(screen(try tap(ServiceFormFlow.Action.form(.confirm))), en(ServicesText.saved(name: "Deep massage", created: false)))
        let edited = try XCTUnwrap(try stored("Deep massage"))
        XCTAssertEqual([edited.id, Int64(edited.durationMinutes), edited.priceCents ?? -1], [massage.id, 120, 250_000],
                       "the amount followed the price text it came from")
        let row = try XCTUnwrap(try harness.audit().last)
        XCTAssertEqual([row.action, row.target ?? ""], ["service.update", "service:\(massage.id)"])
        XCTAssertEqual(row.details, #"{"name": "Massage → Deep massage", "duration": "90 → 120", "price_text": "2000 ₽ → 2500 ₽", "#
                                    + #""price_amount": "2000 → 2500"}"#)
        XCTAssertEqual(try harness.audit().count, 2)
        XCTAssertEqual(try offered(), ["Deep massage"])
    }

    func testANameTakenBetweenTypingAndConfirmIsAskedAgainNotAnError() throws {
        try tap(ServiceFormFlow.Action.new)
        try enter("Yoga")
        try tap(ServiceFormFlow.Action.form(.skip))
        try enter("60")
        try tap(ServiceFormFlow.Action.form(.skip))
        try tap(ServiceFormFlow.Action.form(.skip))
        // Another staff member creates "yoga" meanwhile.
        _ = try ServiceStore(connection: harness.db).create(name: "yoga", durationMinutes: 30)
        let taken = try tap(ServiceFormFlow.Action.form(.confirm))
        XCTAssertEqual(screen(taken), again(.taken, .askName))
        XCTAssertEqual(try serviceCount, 1)
        XCTAssertEqual(try harness.audit(), [WorkerHarness.AuditRow(actor: owner.id, action: "service.create", target: nil,
                                                                    details: #"{"name": "Yoga", "outcome": "refused:nameTaken"}"#,
                                                                    allowed: true)])
        // A new name, and back at the preview (the rest kept): Confirm creates it.
        XCTAssertTrue(screen(try enter("Power yoga")).hasPrefix("🆕"))
        try tap(ServiceFormFlow.Action.form(.confirm))
        XCTAssertEqual(try stored("Power yoga")?.durationMinutes, 60)
        XCTAssertEqual(try auditActions, ["service.create", "service.create"])
    }

    // MARK: The card

    func testDeactivateHidesAServiceFromClientsAndActivateBringsItBack() throws {
        let massage = try create("Massage", minutes: "60")
        try create("Manicure", minutes: "45")
        let off = try tap(ServicesFlow.Action.deactivate(massage.id))
        XCTAssertTrue(screen(off).hasPrefix("⚪️ Service deactivated"), screen(off))
        XCTAssertTrue(labels(off).contains(ServicesButton.activate.label(in: .en)))
        XCTAssertEqual(try offered(), ["Manicure"])
        // A client's booking screen opened before the change: its button no longer books the service.
        try tap(ServicesFlow.Action.activate(massage.id))
        let opened = try harness.command("book", from: client)
        let button = try XCTUnwrap(opened.flatMap(\.buttons).first { $0.text.hasPrefix("Massage") })
        try tap(ServicesFlow.Action.deactivate(massage.id))
        let stale = try harness.press(button.data, from: client)
        XCTAssertTrue(stale.contains { ($0.text ?? "") == Texts.text(.serviceUnavailable(service: "Massage"), in: .en) },
                      "\(stale.map(\.text))")
        try tap(ServicesFlow.Action.activate(massage.id))
        XCTAssertEqual(try offered(), ["Massage", "Manicure"])
        XCTAssertEqual(try auditActions, ["service.create", "service.create", "service.deactivate", "service.activate",
                                          "service.deactivate", "service.activate"])
        XCTAssertEqual(try harness.audit().last?.target, "service:\(massage.id)")
    }

    func testAServiceEverBookedIsArchivedNeverDeletedAndOneNeverBookedIsDeletedAfterAQuestion() throws {
        let booked = try harness.booking(of: client)
        let haircut = booked.serviceID
        let yoga = try create("Yoga", minutes: "60")

        let card = try tap(ServicesFlow.Action.card(haircut))
        XCTAssertTrue(screen(card).contains("📅 Upcoming bookings: 1"), screen(card))
        XCTAssertTrue(labels(card).contains(ServicesButton.archive.label(in: .en)))
        XCTAssertFalse(labels(card).contains(ServicesButton.delete.label(in: .en)))
        // Delete forged for the booked one: refused by the question and by the store, audited as refused.
        XCTAssertTrue(screen(try tap(ServicesFlow.Action.askDelete(haircut))).hasPrefix("⚠️ This service has been booked"))
        XCTAssertTrue(screen(try tap(ServicesFlow.Action.delete(haircut))).hasPrefix("⚠️ This service has been booked"))
        XCTAssertNotNil(try ServiceStore(connection: harness.db).service(haircut))
        XCTAssertEqual(try harness.audit().last?.details, #"{"outcome": "refused:hasBookings"}"#)
        // Archive forged for the never-booked one: refused.
        XCTAssertTrue(screen(try tap(ServicesFlow.Action.archive(yoga.id))).hasPrefix("⚠️ This service was never booked"))
        XCTAssertEqual(try stored("Yoga")?.archived, false)

        let archived = try tap(ServicesFlow.Action.archive(haircut))
        XCTAssertTrue(screen(archived).hasPrefix("🗄 Service archived"), screen(archived))
        XCTAssertEqual(labels(archived), [ServicesButton.restore.label(in: .en), ServicesButton.toList.label(in: .en)])
        XCTAssertEqual(try offered(), ["Yoga"])
        XCTAssertEqual(try harness.count("SELECT count(*) AS n FROM bookings WHERE service_id = $1", [.int(haircut)]), 1, "rows kept")
        let list = try tap(ServicesFlow.Action.list)
        XCTAssertEqual(labels(list).count, 4, "new, Yoga, the archived one after it, back")
        XCTAssertTrue(labels(list)[2].hasPrefix("🗄"), labels(list)[2])

        let question = try tap(ServicesFlow.Action.askDelete(yoga.id))
        XCTAssertEqual(screen(question), en(ServicesText.deleteQuestion(name: "Yoga")))
        XCTAssertEqual(try serviceCount, 2, "the question deletes nothing")
        let deleted = try tap(ServicesFlow.Action.delete(yoga.id))
        XCTAssertTrue(screen(deleted).hasPrefix("🗑 Service “Yoga” deleted."), screen(deleted))
        XCTAssertNil(try stored("Yoga"))
        XCTAssertEqual(try harness.audit().last, WorkerHarness.AuditRow(actor: owner.id, action: "service.delete", target: "service:\(yoga.id)",
                                                                        details: #"{"name": "Yoga"}"#, allowed: true))

        // Restored: inactive; a name clash with a service in use is a clear message.
        let name = try XCTUnwrap(try ServiceStore(connection: harness.db).service(haircut)).name
        _ = try create(name.uppercased(), minutes: "30")
        XCTAssertTrue(screen(try tap(ServicesFlow.Action.restore(haircut))).hasPrefix("⚠️ Another service in use has this name"))
        XCTAssertEqual(try ServiceStore(connection: harness.db).service(haircut)?.archived, true)
        let clash = try XCTUnwrap(try stored(name.uppercased()))
        try tap(ServicesFlow.Action.askDelete(clash.id))
        try tap(ServicesFlow.Action.delete(clash.id))
        let restored = try tap(ServicesFlow.Action.restore(haircut))
        XCTAssertTrue(screen(restored).hasPrefix("♻️ Service restored, inactive"), screen(restored))
        let back = try XCTUnwrap(try ServiceStore(connection: harness.db).service(haircut))
        XCTAssertEqual([back.archived, back.active], [false, false])
        XCTAssertEqual(try auditActions, ["service.create", "service.delete", "service.archive", "service.archive", "service.delete",
                                          "service.create", "service.restore", "service.delete", "service.restore"])
        XCTAssertEqual(try harness.audit().filter { $0.details.contains("refused:") }.map(\.action),
                       ["service.delete", "service.archive", "service.restore"])
    }

    func testReorderSwapsNeighboursInOneWellDefinedOrderEvenWhenEveryOrderIsZero() throws {
        let store = ServiceStore(connection: harness.db)
        let a = try store.create(name: "Alpha", durationMinutes: 30)
        let b = try store.create(name: "Bravo", durationMinutes: 30)
        let c = try store.create(name: "Charlie", durationMinutes: 30)
        XCTAssertEqual([a, b, c].map(\.displayOrder), [0, 0, 0])
        XCTAssertEqual(try offered(), ["Alpha", "Bravo", "Charlie"])

        let moved = try tap(ServicesFlow.Action.down(a.id))
        XCTAssertTrue(screen(moved).contains("Place in the list: 2 of 3"), screen(moved))
        XCTAssertEqual(try offered(), ["Bravo", "Alpha", "Charlie"])
        try tap(ServicesFlow.Action.up(c.id))
        XCTAssertEqual(try offered(), ["Bravo", "Charlie", "Alpha"])
        XCTAssertEqual(try store.all().map(\.displayOrder), [1, 2, 3])
        XCTAssertTrue(screen(try tap(ServicesFlow.Action.up(b.id))).hasPrefix("⚠️ The service is already at the edge"))
        XCTAssertEqual(try offered(), ["Bravo", "Charlie", "Alpha"])
        XCTAssertEqual(try harness.audit().map(\.details),
                       [#"{"direction": "down"}"#, #"{"direction": "up"}"#, #"{"outcome": "refused:atEdge", "direction": "up"}"#])
    }

    func testAListOfManyServicesIsPagedAndAPagePastTheEndShowsTheLast() throws {
        let store = ServiceStore(connection: harness.db)
        for number in 1...25 { _ = try store.create(name: "Service \(number)", durationMinutes: 30) }
        let first = try tap(ServicesFlow.Action.list)
        XCTAssertEqual(labels(first).filter { $0.hasPrefix("🟢") }.count, 20)
        XCTAssertTrue(labels(first).contains(StaffButton.nextPage.label(in: .en)))
        XCTAssertTrue(screen(first).hasSuffix("Page 1 of 2."), screen(first))
        for page in [1, 999] {
            let last = try tap(ServicesFlow.Action.page(page))
            XCTAssertEqual(labels(last).filter { $0.hasPrefix("🟢") }.count, 5)
            XCTAssertTrue(screen(last).hasSuffix("Page 2 of 2."), screen(last))
            XCTAssertTrue(labels(last).contains(StaffButton.previousPage.label(in: .en)))
        }
    }

    // MARK: Forged and refused

    func testForgedIdsAreAnsweredCleanly() throws {
        let missing: Int64 = 99_999
        for action in [ServicesFlow.Action.card(missing), .activate(missing), .deactivate(missing), .up(missing), .down(missing),
                       .archive(missing), .askDelete(missing), .delete(missing), .restore(missing)] {
            let sent = try tap(action)
            XCTAssertTrue(screen(sent).hasPrefix("⚠️ That service no longer exists."), "\(action): \(screen(sent))")
        }
        XCTAssertEqual(screen(try tap(ServiceFormFlow.Action.edit(missing))), en(ServicesText.notEditable))
        // An archived one: not edited, not switched on, not moved.
        let booked = try harness.booking(of: client)
        try tap(ServicesFlow.Action.archive(booked.serviceID))
        XCTAssertEqual(screen(try tap(ServiceFormFlow.Action.edit(booked.serviceID))), en(ServicesText.notEditable))
        for action in [ServicesFlow.Action.activate(booked.serviceID), .up(booked.serviceID), .archive(booked.serviceID)] {
            XCTAssertTrue(screen(try tap(action)).hasPrefix("⚠️ The service is archived"), "\(action)")
        }
        XCTAssertEqual(try ServiceStore(connection: harness.db).service(booked.serviceID)?.active, false)
        // Form buttons with no form open.
        XCTAssertEqual(try tap(ServiceFormFlow.Action.form(.edit(3))).map(\.method), ["answerCallbackQuery"])
        XCTAssertTrue(try harness.audit().allSatisfy(\.allowed))
    }

    func testAStrangerIsRefusedEveryStepAndAudited() throws {
        let massage = try create("Massage", minutes: "60")
        let before = try harness.audit().count
        let steps: [(String, String)] = [
            (CallbackEnvelope.encode(ServicesFlow.Action.list, issuedAt: harness.now), "l"),
            (CallbackEnvelope.encode(ServicesFlow.Action.deactivate(massage.id), issuedAt: harness.now), "of"),
            (CallbackEnvelope.encode(ServicesFlow.Action.delete(massage.id), issuedAt: harness.now), "xk"),
            (CallbackEnvelope.encode(ServiceFormFlow.Action.new, issuedAt: harness.now), "n"),
            (CallbackEnvelope.encode(ServiceFormFlow.Action.form(.confirm), issuedAt: harness.now), "fk"),
        ]
        for (data, step) in steps {
            let sent = try harness.press(data, from: stranger)
            XCTAssertEqual(sent.map(\.method), ["answerCallbackQuery"], step)
            XCTAssertEqual(sent.first?.answerText, Texts.alert(.noAccess, in: .en), step)
            let row = try XCTUnwrap(try harness.audit().last)
            XCTAssertEqual([String(row.actor), String(row.allowed), row.details], ["3", "false", #"{"step": "\#(step)"}"#])
        }
        XCTAssertEqual(try harness.audit().count, before + steps.count)
        XCTAssertEqual(try stored("Massage")?.active, true)
        XCTAssertEqual(try serviceCount, 1)
        // A moderator whose role is taken away between two presses is refused at the next one.
        try harness.setRole(moderator, "moderator")
        try tap(ServicesFlow.Action.card(massage.id), by: moderator)
        try harness.setRole(moderator, nil)
        XCTAssertEqual(try harness.press(CallbackEnvelope.encode(ServicesFlow.Action.deactivate(massage.id), issuedAt: harness.now),
                                         from: moderator).first?.answerText, Texts.alert(.noAccess, in: .en))
        XCTAssertEqual(try stored("Massage")?.active, true)
    }

    func testTheStaffMenuOffersServicesAndTheAuditScreenNamesServiceChanges() throws {
        try harness.setRole(moderator, "moderator")
        let menu = try harness.command("admin", from: moderator)
        XCTAssertTrue(labels(menu).contains(ServicesButton.services.label(in: .en)))
        let massage = try create("Massage", minutes: "60")
        try tap(ServicesFlow.Action.deactivate(massage.id))
        try tap(ServicesFlow.Action.archive(massage.id))
        let page = screen(try harness.command("audit", from: owner))
        XCTAssertTrue(page.contains("service: created “Massage” · service:\(massage.id)"), page)
        XCTAssertTrue(page.contains("service: deactivated · service:\(massage.id)"), page)
        XCTAssertTrue(page.contains("service: archived — not done: the service was never booked"), page)
        try tap(ServiceFormFlow.Action.edit(massage.id))
        try tap(ServiceFormFlow.Action.form(.edit(2)))
        try enter("45")
        try tap(ServiceFormFlow.Action.form(.confirm))
        let russian = screen(try harness.command("audit", from: WorkerHarness.person(owner.id, "Ольга", language: "ru")))
        XCTAssertTrue(russian.contains("услуга изменена: длительность · service:\(massage.id)"), russian)
        XCTAssertTrue(russian.contains("услуга: в архиве — не выполнено: услугу ни разу не записывали"), russian)
    }
}

import Conversation
import Foundation
import Postgres
import Store
import Texts
@testable import Worker
import XCTest

/// The admins screens (SPEC admin 11) through the worker's real transaction: the list,
/// adding by id or forward (and every kind of bad input), role changes and removals with
/// their confirmations, each rule re-checked by the store (forged buttons included), the
/// person told in their language, every change and refusal audited, and the hourly limit
/// counted from the audit log under a lock per actor.
final class AdminsTests: HarnessTestCase {
    private let moderator = WorkerHarness.person(2, "Max")
    private let colleague = WorkerHarness.person(10, "Vera", language: "ru")

    private func data(_ action: AdminsFlow.Action) -> String { CallbackEnvelope.encode(action, issuedAt: harness.now) }
    private func en(_ text: AdminsText) -> String { text.text(in: .en) }

    /// Someone who started the bot (a `users` row), in their language.
    private func registered(_ id: Int64, _ name: String, username: String? = nil, language: String = "en") throws {
        _ = try ClientStore(connection: harness.db).register(id: id, firstName: name, username: username, languageCode: language,
                                                             now: harness.now)
    }

    private func member(_ id: Int64) throws -> StaffMember? {
        try StaffRoster(connection: harness.db, owners: harness.owners).member(id).map(StaffMember.init)
    }

    private func entry(_ id: Int64) throws -> AdminEntry { AdminsFlow.entry(try XCTUnwrap(try member(id))) }

    private func adminRows() throws -> [WorkerHarness.AuditRow] {
        try harness.audit().filter { $0.action.hasPrefix("admin.") }
    }

    /// Opens "add", then sends the text (or the forward).
    private func add(_ incoming: (Person) -> Incoming, by actor: Person) throws -> [WorkerHarness.Sent] {
        _ = try harness.press(data(.add), from: actor)
        return try harness.send(incoming(actor))
    }

    private func typed(_ text: String) -> (Person) -> Incoming { { .text(text, from: $0) } }

    // MARK: The list and the menu

    func testTheMenuOffersAdminsToSuperAdminsOnlyAndTheListShowsOwnersAndStaff() throws {
        try harness.setRole(moderator, "moderator")
        try harness.db.query("UPDATE admins SET display_name = 'Max the cutter', added_by = $1 WHERE user_id = $2", [.int(owner.id), .int(moderator.id)])
        let label = AdminsButton.menuEntry.label(in: .en)
        XCTAssertTrue(try harness.command("admin", from: owner).first?.buttons.contains { $0.text == label } ?? false)
        XCTAssertFalse(try harness.command("admin", from: moderator).first?.buttons.contains { $0.text == label } ?? true)

        let list = try harness.press(data(.list), from: owner)
        let ownerEntry = try entry(owner.id), moderatorEntry = try entry(moderator.id)
        XCTAssertEqual(list.first?.text, en(.list([ownerEntry, moderatorEntry])))
        XCTAssertTrue(list.first?.text?.contains("owner") ?? false)
        XCTAssertTrue(list.first?.text?.contains("Max the cutter") ?? false, "the display name is shown")
        XCTAssertEqual(list.first?.buttons.map(\.text).prefix(3), [AdminsButton.member(ownerEntry).label(in: .en),
                                                                  AdminsButton.member(moderatorEntry).label(in: .en),
                                                                  AdminsButton.add.label(in: .en)])
        let card = try harness.press(data(.member(moderator.id)), from: owner)
        XCTAssertEqual(card.first?.text, en(.card(moderatorEntry, isYou: false)))
        XCTAssertTrue(card.first?.text?.contains("Added by: Olga") ?? false, card.first?.text ?? "")
        XCTAssertEqual(card.first?.buttons.map(\.text), [AdminsButton.makeSuperAdmin.label(in: .en), AdminsButton.remove.label(in: .en),
                                                         AdminsButton.backToList.label(in: .en)])
        // An owner's card and one's own: nothing to change.
        XCTAssertEqual(try harness.press(data(.member(owner.id)), from: owner).first?.buttons.map(\.text),
                       [AdminsButton.backToList.label(in: .en)])
    }

    // MARK: Adding

    func testAPersonAddedByTypedIDIsAModeratorByDefaultToldInTheirLanguageAndAudited() throws {
        try registered(colleague.id, colleague.firstName, username: "vera", language: "ru")
        let asked = try harness.press(data(.add), from: owner)
        XCTAssertEqual(asked.first?.text, en(.ask(limit: 3, problem: nil)))
        let confirm = try harness.send(.text(" \(colleague.id) ", from: owner))
        XCTAssertEqual(confirm.last?.text, en(.confirmAdd(id: colleague.id, name: "Vera", username: "vera")))
        XCTAssertEqual(confirm.last?.buttons.first?.text, AdminsButton.addAs(superAdmin: false).label(in: .en), "moderator first: the default")
        XCTAssertEqual(try harness.count("SELECT count(*) AS n FROM admins"), 0, "a confirmation screen changes nothing")

        let added = try harness.press(try XCTUnwrap(confirm.last?.buttons.first).data, from: owner)
        XCTAssertEqual(try member(colleague.id)?.role, .moderator)
        XCTAssertEqual(try member(colleague.id)?.addedBy, owner.id)
        XCTAssertEqual(added.first?.text, en(.added(try entry(colleague.id))))
        let told = added.filter { $0.chat == colleague.id }
        XCTAssertEqual(told.map(\.text), [Texts.text(.staffAccessChanged(.added(superAdmin: false)), in: .ru)], "told once, in Russian")
        XCTAssertEqual(try adminRows(), [WorkerHarness.AuditRow(actor: owner.id, action: "admin.add", target: "admin:10",
                                                                 details: #"{"role": "moderator", "outcome": "done"}"#, allowed: true)])
        let transactions = try harness.db.query("""
            SELECT (SELECT xmin::text FROM admins WHERE user_id = 10) AS a, (SELECT xmin::text FROM audit_log WHERE action = 'admin.add') AS b
            """)[0]
        XCTAssertEqual(try transactions.get("a") as String, try transactions.get("b") as String, "the change and its audit row: one transaction")
        // The audit screen has words for it.
        let audit = try harness.press(CallbackEnvelope.encode(AuditLogFlow.Action.page(0), issuedAt: harness.now), from: owner)
        XCTAssertTrue(audit.first?.text?.contains(AdminsAuditWords.added(person: "10", superAdmin: false).text(in: .en)) ?? false,
                      audit.first?.text ?? "")
        // The new moderator's next update has the staff menu.
        XCTAssertNotEqual(try harness.command("admin", from: colleague).first?.text, Texts.text(.noAccess, in: .ru))
    }

    func testAPersonAddedByAForwardedMessageAndTheForwardsThatCannotBeUsed() throws {
        try registered(colleague.id, colleague.firstName)
        let forward = { (origin: ForwardOrigin, text: String?) in { (actor: Person) in Incoming.forwarded(origin, text: text, from: actor) } }
        let hidden = try add(forward(.hiddenUser(name: "Secret Sam"), "hello"), by: owner)
        XCTAssertEqual(hidden.last?.text, en(.ask(limit: 3, problem: .hiddenUser(name: "Secret Sam"))))
        let bot = try harness.send(.forwarded(.user(id: 77, firstName: "SomeBot", username: "some_bot", isBot: true), text: "hi", from: owner))
        XCTAssertEqual(bot.last?.text, en(.ask(limit: 3, problem: .bot)))
        let channel = try harness.send(.forwarded(.chat, text: nil, from: owner))
        XCTAssertEqual(channel.last?.text, en(.ask(limit: 3, problem: .chat)))
        // A forwarded photo (no text) of the colleague works as well as their text.
        let confirm = try harness.send(.forwarded(.user(id: colleague.id, firstName: "Vera", username: nil, isBot: false), text: nil, from: owner))
        XCTAssertEqual(confirm.last?.text, en(.confirmAdd(id: colleague.id, name: "Vera", username: nil)))
        let superAdmin = try XCTUnwrap(confirm.last?.buttons.first { $0.text == AdminsButton.addAs(superAdmin: true).label(in: .en) })
        _ = try harness.press(superAdmin.data, from: owner)
        XCTAssertEqual(try member(colleague.id)?.role, .superAdmin, "the role chosen on the confirmation")
        XCTAssertEqual(try adminRows().count, 1, "bad forwards change nothing and write nothing")
    }

    func testTypedGarbageIsAskedAgainWithoutAnyChange() throws {
        _ = try harness.press(data(.add), from: owner)
        let garbage = [String(repeating: "9", count: 5_000), String(repeating: "я", count: 5_000), "-1", "0", "99999999999999999999999",
                       "9223372036854775807", "9223372036854775808", "4503599627370496", "1e9", "12 34", "0x1F", "🙂", "👨‍👩‍👧‍👦👨‍👩‍👧‍👦",
                       "\u{0}", "", "   ", "@someone", "١٢٣", "１２３"]
        for text in garbage {
            let sent = try harness.send(.text(text, from: owner))
            XCTAssertEqual(sent.last?.text, en(.ask(limit: 3, problem: .notAnID)), "\(text.prefix(30))")
            XCTAssertEqual(try harness.state(of: owner)?.flow, AdminsFlow.Action.flow, "still asking")
        }
        // The largest id Telegram can have is read (nobody started the bot with it).
        let largest = try harness.send(.text("4503599627370495", from: owner))
        XCTAssertEqual(largest.last?.text, en(.refused(.notRegistered, name: "4503599627370495", limit: 3)))
        XCTAssertEqual(try harness.count("SELECT count(*) AS n FROM admins"), 0)
        XCTAssertEqual(try adminRows(), [])
    }

    func testSomeoneWhoNeverStartedTheBotAStaffMemberAndAnOwnerAreClearMessages() throws {
        _ = try harness.press(data(.add), from: owner)
        XCTAssertEqual(try harness.send(.text("424242", from: owner)).last?.text, en(.refused(.notRegistered, name: "424242", limit: 3)))
        try harness.setRole(moderator, "moderator")
        XCTAssertEqual(try harness.send(.text("2", from: owner)).last?.text, en(.refused(.alreadyStaff, name: "Max", limit: 3)))
        _ = try harness.press(data(.add), from: owner)
        XCTAssertEqual(try harness.send(.text("1", from: owner)).last?.text, en(.refused(.owner, name: "Olga", limit: 3)))
        // The same, pressed with forged buttons: the store refuses and says so in the audit row.
        for (id, why) in [(Int64(424_242), "not_registered"), (2, "already_staff"), (1, "owner")] {
            let sent = try harness.press(data(.addAs(id, superAdmin: true)), from: owner)
            XCTAssertTrue(sent.first?.text?.hasPrefix("⚠️") ?? false, sent.first?.text ?? "")
            XCTAssertEqual(try adminRows().last?.details, #"{"role": "super_admin", "outcome": "refused:\#(why)"}"#)
        }
        XCTAssertEqual(try member(2)?.role, .moderator, "an existing member is never changed by an addition")
    }

    // MARK: Role and removal

    func testARoleChangeAndARemovalEachConfirmedToldAndAudited() throws {
        try registered(colleague.id, colleague.firstName, language: "ru")
        try harness.setRole(colleague, "moderator")
        let ask = try harness.press(data(.askRole(colleague.id, superAdmin: true)), from: owner)
        XCTAssertEqual(ask.first?.text, en(.confirmRole(try entry(colleague.id), toSuperAdmin: true)))
        XCTAssertEqual(try member(colleague.id)?.role, .moderator, "asking changes nothing")
        let changed = try harness.press(try XCTUnwrap(ask.first?.buttons.first).data, from: owner)
        XCTAssertEqual(try member(colleague.id)?.role, .superAdmin)
        XCTAssertEqual(changed.filter { $0.chat == colleague.id }.map(\.text), [Texts.text(.staffAccessChanged(.roleChanged(superAdmin: true)), in: .ru)])

        let askRemove = try harness.press(data(.askRemove(colleague.id)), from: owner)
        XCTAssertEqual(askRemove.first?.text, en(.confirmRemove(try entry(colleague.id))))
        let removed = try harness.press(try XCTUnwrap(askRemove.first?.buttons.first).data, from: owner)
        XCTAssertNil(try member(colleague.id))
        XCTAssertEqual(removed.filter { $0.chat == colleague.id }.map(\.text), [Texts.text(.staffAccessChanged(.removed), in: .ru)])
        XCTAssertEqual(try adminRows().map { [$0.action, $0.target ?? "", $0.details] },
                       [["admin.role", "admin:10", #"{"role": "super_admin", "outcome": "done"}"#],
                        ["admin.remove", "admin:10", #"{"outcome": "done"}"#]])
        XCTAssertEqual(try harness.command("admin", from: colleague).first?.text, Texts.text(.noAccess, in: .ru), "no longer staff")
        // Pressed again (stale buttons): nothing to change, said so, audited as refused.
        XCTAssertEqual(try harness.press(data(.remove(colleague.id)), from: owner).first?.text, en(.refused(.notStaff, name: "10", limit: 3)))
        XCTAssertEqual(try adminRows().last?.details, #"{"outcome": "refused:not_staff"}"#)
    }

    func testNobodyChangesThemselvesAndOwnersStayEvenWithForgedButtons() throws {
        let superAdmin = WorkerHarness.person(4, "Sofia")
        try harness.setRole(superAdmin, "super_admin")
        XCTAssertEqual(try harness.press(data(.member(superAdmin.id)), from: superAdmin).first?.buttons.count, 1, "one's own card: Back only")
        let cases: [(AdminsFlow.Action, Person, String, String)] = [
            (.setRole(superAdmin.id, superAdmin: false), superAdmin, "admin.role", "themselves"),
            (.remove(superAdmin.id), superAdmin, "admin.remove", "themselves"),
            (.setRole(owner.id, superAdmin: false), superAdmin, "admin.role", "owner"),
            (.remove(owner.id), superAdmin, "admin.remove", "owner"),
            (.remove(owner.id), owner, "admin.remove", "themselves"),
            (.setRole(superAdmin.id, superAdmin: true), owner, "admin.role", "unchanged"),
        ]
        for (action, actor, kind, why) in cases {
            let sent = try harness.press(data(action), from: actor)
            XCTAssertEqual(sent.filter(\.isAnswer).count, 1)
            XCTAssertTrue(sent.first?.text?.hasPrefix("⚠️") ?? false, "\(action): \(sent.first?.text ?? "")")
            XCTAssertEqual(sent.filter { $0.chat != actor.id }.count, 0, "nobody is told of what did not happen")
            let row = try XCTUnwrap(try adminRows().last)
            XCTAssertEqual([row.action, String(row.actor)], [kind, String(actor.id)])
            XCTAssertTrue(row.details.contains("refused:\(why)"), "\(action): \(row.details)")
        }
        XCTAssertEqual(try member(superAdmin.id)?.role, .superAdmin)
    }

    func testTheLastSuperAdminIsNeitherDemotedNorRemovedInTheStoresTransaction() throws {
        // Without owners, one stored super admin: whoever asks (a forged actor here, the
        // runner having been passed), the store refuses with the rows locked.
        let sole = WorkerHarness.person(4, "Sofia")
        try harness.setRole(sole, "super_admin")
        try harness.setRole(moderator, "moderator")
        try harness.db.transaction { tx in
            let roster = StaffRoster(connection: tx, owners: [])
            XCTAssertEqual(try roster.setRole(sole.id, role: "moderator", by: moderator.id), .refused(.lastSuperAdmin))
            XCTAssertEqual(try roster.remove(sole.id, by: moderator.id), .refused(.lastSuperAdmin))
            // An owner counts as a super admin: with one, the stored one may go.
            guard case .done = try StaffRoster(connection: tx, owners: [owner.id]).setRole(sole.id, role: "moderator", by: owner.id) else {
                return XCTFail("with an owner left, the demotion is allowed")
            }
            // And a moderator is never the last super admin.
            guard case .done = try roster.remove(moderator.id, by: sole.id) else { return XCTFail("a moderator can be removed") }
        }
    }

    // MARK: Access

    func testAModeratorAndAStrangerAreRefusedAndAuditedAtEveryStep() throws {
        try harness.setRole(moderator, "moderator")
        try registered(colleague.id, colleague.firstName)
        for person in [moderator, stranger] {
            for action: AdminsFlow.Action in [.list, .add, .member(1), .addAs(colleague.id, superAdmin: true), .setRole(1, superAdmin: false),
                                              .remove(1), .askRemove(1)] {
                let before = try harness.audit().count
                let sent = try harness.press(data(action), from: person)
                XCTAssertEqual(sent.map(\.method), ["answerCallbackQuery"], "\(action) by \(person.firstName)")
                XCTAssertEqual(sent.first?.answerText, Texts.alert(.noAccess, in: .en))
                let row = try XCTUnwrap(try harness.audit().last)
                XCTAssertEqual(try harness.audit().count, before + 1)
                XCTAssertEqual([row.target, String(row.allowed), String(row.actor)], ["flow:ad", "false", String(person.id)])
            }
        }
        XCTAssertEqual(try harness.count("SELECT count(*) AS n FROM admins"), 1, "only the moderator set up by the test")
    }

    // MARK: The hourly limit

    func testTheFourthAdditionWithinAnHourIsRefusedAuditedAndAllowedAgainAnHourAfterTheFirst() throws {
        for id in Int64(20)...24 { try registered(id, "Person \(id)") }
        let start = harness.now
        for (offset, id) in [(0, Int64(20)), (10, 21), (20, 22)] {
            harness.now = start.addingTimeInterval(Double(offset) * 60)
            _ = try harness.press(data(.addAs(id, superAdmin: false)), from: owner)
            XCTAssertNotNil(try member(id))
        }
        harness.now = start.addingTimeInterval(59 * 60)
        let fourth = try harness.press(data(.addAs(23, superAdmin: false)), from: owner)
        XCTAssertEqual(fourth.first?.text, en(.refused(.hourlyLimit, name: "Person 23", limit: 3)))
        XCTAssertNil(try member(23))
        XCTAssertEqual(fourth.filter { $0.chat == 23 }.count, 0, "nobody told")
        XCTAssertEqual(try adminRows().last?.details, #"{"role": "moderator", "outcome": "refused:hourly_limit"}"#)
        // Another admin has a limit of their own.
        let sofia = WorkerHarness.person(4, "Sofia")
        try harness.setRole(sofia, "super_admin")
        _ = try harness.press(data(.addAs(23, superAdmin: false)), from: sofia)
        XCTAssertNotNil(try member(23))
        // An hour after the first addition, one more is allowed (refusals never counted).
        harness.now = start.addingTimeInterval(60 * 60 + 1)
        _ = try harness.press(data(.addAs(24, superAdmin: false)), from: owner)
        XCTAssertNotNil(try member(24))
    }

    func testTwoWorkersAddingAtOnceCannotBothPassTheLimit() throws {
        // Limit 1: the first transaction holds the actor's lock until its commit; the
        // second waits, then counts the first's audit row and refuses.
        for id in Int64(30)...31 { try registered(id, "Person \(id)") }
        let first = try harness.database.connect()
        nonisolated(unsafe) let second = try harness.database.connect()
        try first.query("BEGIN")
        guard case .done = try StaffRoster(connection: first, owners: harness.owners).add(30, role: "moderator", by: owner.id, limit: 1,
                                                                                           now: harness.now) else { return XCTFail("first") }
        try AuditLog(connection: first).record(actor: owner.id, action: "admin.add", target: "admin:30", details: ["outcome": "done"],
                                               at: harness.now)
        let secondDone = expectation(description: "the second addition decided")
        nonisolated(unsafe) var secondResult: RosterWrite?
        let now = harness.now, ownerID = owner.id
        Thread.detachNewThread {
            secondResult = try? second.transaction { tx in
                try StaffRoster(connection: tx, owners: [ownerID]).add(31, role: "moderator", by: ownerID, limit: 1, now: now)
            }
            secondDone.fulfill()
        }
        // It waits on the lock while the first is open.
        let waiting = try harness.count("""
            SELECT count(*) AS n FROM pg_locks WHERE locktype = 'advisory' AND NOT granted
            """)
        var seen = waiting
        for _ in 0..<200 where seen == 0 {
            Thread.sleep(forTimeInterval: 0.01)
            seen = try harness.count("SELECT count(*) AS n FROM pg_locks WHERE locktype = 'advisory' AND NOT granted")
        }
        XCTAssertEqual(seen, 1, "the second addition waits for the first's commit")
        try first.query("COMMIT")
        wait(for: [secondDone], timeout: 10)
        XCTAssertEqual(secondResult, .refused(.hourlyLimit))
        XCTAssertEqual(try harness.count("SELECT count(*) AS n FROM admins"), 1)
    }
}

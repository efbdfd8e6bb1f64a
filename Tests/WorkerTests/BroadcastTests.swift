import Conversation
import Foundation
import Logging
import Postgres
@testable import Reminders
import Store
import Telegram
import TestSupport
import Texts
@testable import Worker
import XCTest

/// Broadcasts against a real PostgreSQL (SPEC admin 8): the owner's steps and what each
/// writes; refusals, forged ids and bad text; the reminders process's expansion (each
/// recipient recorded with their outbox row exactly once, whoever expands and whatever
/// dies) and its report (the counts, exactly once).
final class BroadcastTests: HarnessTestCase {
    private let moderator = WorkerHarness.person(2, "Mod")

    private func shown(_ text: BroadcastText) -> String { text.text(in: .en) }
    private func label(_ button: BroadcastButton) -> String { button.label(in: .en) }

    /// Users 100..<100+count, `blocked` of them (the first ones) having blocked the bot.
    private func users(_ count: Int, blocked: Int = 0) throws {
        try harness.db.query("""
            INSERT INTO users (id, first_name, language_code, blocked_bot_at, created_at)
            SELECT 100 + n, 'U' || n, 'en', CASE WHEN n < $2 THEN now() END, now() - interval '1 hour' FROM generate_series(0, $1 - 1) AS n
            """, [.int(count), .int(blocked)])
    }

    private func data(_ action: BroadcastFlow.Action) -> String { CallbackEnvelope.encode(action, issuedAt: harness.now) }

    private func broadcastRows() throws -> [(status: String, text: String, total: Int)] {
        try harness.db.query("SELECT status, text, total FROM broadcasts ORDER BY id").map {
            (try $0.get("status"), try $0.get("text"), try $0.get("total"))
        }
    }

    private func rounds(_ db: PostgresConnection, batch: Int = 200) -> BroadcastRounds {
        BroadcastRounds(db: db, batchSize: batch, logger: Logger(label: "broadcast"))
    }

    // MARK: The steps

    func testTheOwnerPreviewsAndSendsOneBroadcastAuditedInItsTransaction() throws {
        try users(5, blocked: 1)
        try ClientStore(connection: harness.db).register(id: owner.id, firstName: owner.firstName, now: harness.now)
        let menu = try harness.command("admin", from: owner)
        let entry = try XCTUnwrap(menu.first?.buttons.first { $0.text == label(.menuEntry) })
        let list = try harness.press(entry.data, from: owner)
        XCTAssertEqual(list.first?.text, shown(.list(count: 0)))
        let new = try XCTUnwrap(list.first?.buttons.first { $0.text == label(.new) })
        XCTAssertEqual(try harness.press(new.data, from: owner).first?.text, shown(.ask(limit: 4096)))

        let body = "Closed on Monday <b>not bold</b> *nor this* 🌷"
        let preview = try harness.send(.text(body, from: owner))
        XCTAssertEqual(preview.map(\.method), ["sendMessage", "sendMessage"])
        XCTAssertEqual(preview[0].text, body)
        XCTAssertNil(preview[0].payload["parse_mode"], "sent as typed: nothing read as markup")
        XCTAssertEqual(preview[1].text, shown(.preview(recipients: 4)), "the 4 who have not blocked the bot (the sender is not one)")
        XCTAssertEqual(try broadcastRows().count, 0, "a preview stores nothing")

        let send = try XCTUnwrap(preview[1].buttons.first { $0.text == label(.send) })
        let started = try harness.press(send.data, from: owner)
        let id: Int64 = try harness.db.query("SELECT id FROM broadcasts")[0].get("id")
        XCTAssertEqual(started.first?.text, shown(.started(id: id, recipients: 4)))
        XCTAssertEqual(try broadcastRows().map(\.status), ["sending"])
        XCTAssertEqual(try broadcastRows().map(\.text), [body])
        let audit = try harness.audit().last
        XCTAssertEqual(audit?.action, "broadcast.create")
        XCTAssertEqual(audit?.target, "broadcast:\(id)")
        XCTAssertEqual(audit?.allowed, true)
        XCTAssertTrue(audit?.details.contains(#""recipients": 4"#) ?? false, audit?.details ?? "")
        // The audit row and the broadcast commit together: both carry the update's transaction id.
        XCTAssertEqual(try harness.count("""
            SELECT count(DISTINCT xmin::text) AS n FROM (SELECT xmin FROM broadcasts UNION ALL SELECT xmin FROM audit_log WHERE action = 'broadcast.create') t
            """), 1)

        // Send pressed again (a double tap, a forged or replayed press): nothing more.
        XCTAssertEqual(try harness.press(send.data, from: owner).first?.text, shown(.nothingToSend))
        XCTAssertEqual(try harness.press(data(.confirm), from: owner).first?.text, shown(.nothingToSend))
        XCTAssertEqual(try broadcastRows().count, 1)

        // Progress, and forged ids.
        let progress = try harness.press(data(.show(id)), from: owner)
        XCTAssertTrue(progress.first?.text?.hasPrefix("📣 Broadcast \(id): sending") ?? false, progress.first?.text ?? "")
        for forged in [id + 1, Int64(Int32.max)] {
            let reply = try harness.press(data(.show(forged)), from: owner)
            XCTAssertEqual(reply.first?.text, shown(.notFound), "\(forged)")
        }
        for malformed in [0, -1] as [Int64] {
            let reply = try harness.press(data(.show(malformed)), from: owner)
            XCTAssertEqual(reply.map(\.method), ["answerCallbackQuery"])
            XCTAssertEqual(reply.first?.answerText, Texts.alert(.invalidButton, in: .en), "\(malformed)")
        }
    }

    func testBadTextIsAskedAgainAndStoresNothing() throws {
        try harness.press(data(.new), from: owner)
        for text in ["", "  \n ", String(repeating: "я", count: 4097), String(repeating: "👍", count: 5000)] {
            let reply = try harness.send(.text(text, from: owner))
            XCTAssertTrue(reply.first?.text?.hasPrefix("⚠️") ?? false, reply.first?.text ?? "")
        }
        XCTAssertEqual(try broadcastRows().count, 0)
        // Still asking: a good text now gets its preview.
        XCTAssertEqual(try harness.send(.text("ok", from: owner)).first?.text, "ok")
    }

    func testAModeratorIsRefusedAndAuditedAndAStrangersTextIsNotABroadcast() throws {
        try harness.setRole(moderator, "moderator")
        for action in [BroadcastFlow.Action.list, .new, .confirm, .show(1)] {
            let reply = try harness.press(data(action), from: moderator)
            XCTAssertEqual(reply.map(\.method), ["answerCallbackQuery"])
            XCTAssertEqual(reply.first?.answerText, Texts.alert(.noAccess, in: .en))
        }
        let refusals = try harness.audit().filter { !$0.allowed }
        XCTAssertEqual(refusals.map(\.action), Array(repeating: "flow.step", count: refusals.count))
        XCTAssertEqual(refusals.map(\.target), Array(repeating: "flow:bc", count: refusals.count))
        XCTAssertFalse(refusals.isEmpty)
        XCTAssertFalse(try harness.menuButtons(of: moderator).contains(label(.menuEntry)), "not on a moderator's menu")

        // A super admin demoted between the preview and Send: refused at Send, audited, nothing stored.
        try harness.setRole(moderator, "super_admin")
        try harness.press(data(.new), from: moderator)
        try harness.send(.text("hello", from: moderator))
        try harness.setRole(moderator, "moderator")
        let late = try harness.press(data(.confirm), from: moderator)
        XCTAssertEqual(late.last?.answerText, Texts.alert(.noAccess, in: .en))
        XCTAssertEqual(try broadcastRows().count, 0)
        XCTAssertEqual(try harness.send(.text("hello", from: stranger)).first?.text, Texts.text(.unknownInput, in: .en))
        XCTAssertEqual(try broadcastRows().count, 0)
    }

    func testAPhotoBroadcastIsPreviewedAndExpandedAsSendPhoto() throws {
        try users(3)
        try harness.press(data(.new), from: owner)
        let preview = try harness.send(.photo(fileID: "AgACsandbox7", caption: "Spring offer 🌷", from: owner))
        XCTAssertEqual(preview.map(\.method), ["sendPhoto", "sendMessage"])
        XCTAssertEqual(preview[0].payload["photo"] as? String, "AgACsandbox7")
        XCTAssertEqual(preview[0].payload["caption"] as? String, "Spring offer 🌷")
        let send = try XCTUnwrap(preview[1].buttons.first { $0.text == label(.send) })
        try harness.press(send.data, from: owner)
        while try rounds(harness.db).run(now: Date()) {}
        let rows = try harness.db.query(
            "SELECT method, payload->>'photo' AS photo, payload->>'caption' AS caption FROM outbox WHERE priority = 3 AND chat_id >= 100")
        XCTAssertEqual(rows.count, 3)
        XCTAssertEqual(Set(try rows.map { try $0.get("method") as String }), ["sendPhoto"])
        XCTAssertEqual(Set(try rows.map { try $0.get("photo") as String }), ["AgACsandbox7"])
        XCTAssertEqual(Set(try rows.map { try $0.get("caption") as String }), ["Spring offer 🌷"])
    }

    // MARK: The expansion

    private func create(_ text: String = "Hello", by sender: Int64 = 1) throws -> Int64 {
        try BroadcastStore(connection: harness.db).create(text: text, photoFileID: nil, by: sender, language: "en", now: Date())
    }

    private func assertEachRecordedOnce(_ broadcast: Int64, users count: Int, blocked: Int, file: StaticString = #filePath, line: UInt = #line) throws {
        XCTAssertEqual(try harness.count("SELECT count(*) AS n FROM broadcast_recipients WHERE broadcast_id = $1", [.int(broadcast)]), count,
                       file: file, line: line)
        XCTAssertEqual(try harness.count("SELECT count(*) AS n FROM broadcast_recipients WHERE broadcast_id = $1 AND outbox_id IS NULL",
                                         [.int(broadcast)]), blocked, file: file, line: line)
        // One outbox row per recipient not blocked, on the broadcast lane, to that recipient.
        XCTAssertEqual(try harness.count("""
            SELECT count(*) AS n FROM broadcast_recipients r JOIN outbox o ON o.id = r.outbox_id
            WHERE r.broadcast_id = $1 AND o.chat_id = r.user_id AND o.priority = 3 AND o.payload->>'chat_id' = r.user_id::text
              AND o.payload->>'text' = 'Hello'
            """, [.int(broadcast)]), count - blocked, file: file, line: line)
        XCTAssertEqual(try harness.count("SELECT count(*) AS n FROM outbox WHERE priority = 3"), count - blocked, file: file, line: line)
        XCTAssertEqual(try harness.count("SELECT count(DISTINCT chat_id) AS n FROM outbox WHERE priority = 3"), count - blocked,
                       file: file, line: line)
    }

    func testTwoExpandersRecordEveryRecipientExactlyOnce() throws {
        try users(1000, blocked: 37)
        let broadcast = try create()
        let failures = Failures()
        let finished = DispatchSemaphore(value: 0)
        let url = harness.database.url
        for _ in 0..<2 {
            Thread {
                do {
                    let connection = try PostgresConnection(url: url)
                    let expander = BroadcastRounds(db: connection, batchSize: 50, logger: Logger(label: "broadcast"))
                    while try expander.run(now: Date()) {}
                    connection.close()
                } catch {
                    failures.add("\(error)")
                }
                finished.signal()
            }.start()
        }
        finished.wait()
        finished.wait()
        XCTAssertEqual(failures.all, [])
        try assertEachRecordedOnce(broadcast, users: 1000, blocked: 37)
        XCTAssertEqual(try harness.count("SELECT total AS n FROM broadcasts"), 1000)
        XCTAssertEqual(try harness.count("SELECT count(*) AS n FROM broadcasts WHERE expanded_at IS NOT NULL"), 1)
    }

    func testAnExpansionKilledBetweenOrInsideABatchRepeatsAndSkipsNobody() throws {
        try users(450, blocked: 20)
        let broadcast = try create()
        // One batch commits; the next dies inside its transaction (rolled back, as a kill leaves it).
        XCTAssertTrue(try rounds(harness.db).run(now: Date()))
        struct Killed: Error {}
        XCTAssertThrowsError(try harness.db.transaction { tx in
            _ = try BroadcastStore(connection: tx).expandNext(limit: 200, lane: 3, now: Date()) { _, _ in ("sendMessage", #"{"text":"Hello"}"#) }
            throw Killed()
        })
        XCTAssertEqual(try harness.count("SELECT count(*) AS n FROM broadcast_recipients"), 200)
        // A new process takes over where the last commit left off.
        let restarted = try harness.database.connect()
        while try rounds(restarted).run(now: Date()) {}
        try assertEachRecordedOnce(broadcast, users: 450, blocked: 20)
        // A recipient recorded twice is refused by the key, not by the code's care.
        XCTAssertThrowsError(try harness.db.query("INSERT INTO broadcast_recipients (broadcast_id, user_id) VALUES ($1, 100)", [.int(broadcast)]))
    }

    func testUsersWhoCameAfterTheBroadcastAndTheSenderAreLeftOut() throws {
        try users(10)
        try ClientStore(connection: harness.db).register(id: owner.id, firstName: "Olga", now: Date().addingTimeInterval(-7200))
        let broadcast = try create(by: owner.id)
        try harness.db.query("INSERT INTO users (id, first_name, created_at) VALUES (5000, 'Late', now() + interval '1 minute')")
        while try rounds(harness.db).run(now: Date()) {}
        try assertEachRecordedOnce(broadcast, users: 10, blocked: 0)
    }

    // MARK: The report

    func testTheReportCountsSentFailedAndBlockedOnceEveryRowIsSettled() throws {
        try users(10, blocked: 2)
        try ClientStore(connection: harness.db).register(id: owner.id, firstName: "Olga", now: Date().addingTimeInterval(-7200))
        let broadcast = try create(by: owner.id)
        let expander = rounds(harness.db)
        XCTAssertTrue(try expander.run(now: Date()))  // records all 10
        XCTAssertTrue(try expander.run(now: Date()))  // finds nobody left: wholly recorded
        let rows: [(id: Int64, chat: Int64)] = try harness.db.query("SELECT id, chat_id FROM outbox WHERE priority = 3 ORDER BY chat_id").map {
            (try $0.get("id"), try $0.get("chat_id"))
        }
        XCTAssertEqual(rows.count, 8)
        let outbox = OutboxStore(connection: harness.db)
        try outbox.markSent(rows.prefix(5).map(\.id), now: Date())
        // A 403 (the user blocked the bot since), as the dispatcher marks it.
        try outbox.markFailed(rows[5].id, error: "forbidden: Forbidden: bot was blocked by the user", now: Date())
        try ClientStore(connection: harness.db).markBlocked(rows[5].chat, at: Date())
        try outbox.markFailed(rows[6].id, error: "bad request: chat not found", now: Date())
        XCTAssertFalse(try expander.run(now: Date()), "one row is still unsent: no report yet")
        let progress = try XCTUnwrap(BroadcastStore(connection: harness.db).progress(broadcast))
        XCTAssertEqual([progress.recorded, progress.sent, progress.failed, progress.blocked], [10, 5, 1, 3])

        try outbox.markSent([rows[7].id], now: Date())
        XCTAssertTrue(try expander.run(now: Date()))
        XCTAssertFalse(try expander.run(now: Date()), "done exactly once")
        let done = try XCTUnwrap(BroadcastStore(connection: harness.db).progress(broadcast))
        XCTAssertEqual(done.status, .done)
        XCTAssertNotNil(done.finishedAt)
        XCTAssertEqual([done.total, done.sent, done.failed, done.blocked], [10, 6, 1, 3])
        let report = try harness.db.query("SELECT chat_id, priority, payload->>'text' AS text FROM outbox WHERE chat_id = $1", [.int(owner.id)])
        XCTAssertEqual(report.count, 1)
        XCTAssertEqual(try report[0].get("priority") as Int, 3, "the report is the workers' to send too")
        let expected = BroadcastText.report(BroadcastFigures(id: broadcast, status: .done, text: "Hello", total: 10, recorded: 10,
                                                             sent: 6, failed: 1, blocked: 3)).text(in: .en)
        XCTAssertEqual(try report[0].get("text") as String, expected)
    }

    // MARK: Telegram's word that a user blocked the bot

    func testAKickedMembershipMarksTheUserAndAMemberOneClearsIt() throws {
        let user = User(id: 42, isBot: false, firstName: "Kim")
        let bot = User(id: 7, isBot: true, firstName: "Bot")
        func update(_ old: String, _ new: String, chat: Int64 = 42) -> Update {
            Update(updateID: 1, myChatMember: ChatMemberUpdated(chat: Chat(id: chat, type: chat == 42 ? "private" : "group"), from: user,
                                                                date: 0, oldChatMember: ChatMember(status: old, user: bot),
                                                                newChatMember: ChatMember(status: new, user: bot)))
        }
        XCTAssertEqual(IncomingUpdate.membership(update("member", "kicked"))?.blocked, true)
        XCTAssertEqual(IncomingUpdate.membership(update("kicked", "member"))?.blocked, false)
        XCTAssertNil(IncomingUpdate.membership(update("member", "kicked", chat: -100)), "a group is not the person's chat")
        XCTAssertNil(IncomingUpdate.membership(update("member", "administrator")))
    }
}

/// Errors from other threads.
private final class Failures: @unchecked Sendable {
    private let lock = NSLock()
    private var errors: [String] = []
    func add(_ error: String) { lock.withLock { errors.append(error) } }
    var all: [String] { lock.withLock { errors } }
}

extension WorkerHarness {
    /// The labels of the person's staff menu.
    func menuButtons(of person: Person) throws -> [String] {
        try command("admin", from: person).first?.buttons.map(\.text) ?? []
    }
}

import Foundation
import HTTP
import Logging
import Postgres
import Redis
import Sandbox
import Store
import Telegram
import TestSupport
@testable import Delivery
import XCTest

/// The worker's asynchronous sender against the real Sandbox, PostgreSQL and Redis:
/// rows handed over after a commit go out in order per chat, once, answers first, and
/// a chat another sender holds is left to it.
final class OutboxDispatcherTests: XCTestCase {
    private var sandbox: SandboxServer!
    private var database: ScratchDatabase!
    private var db: PostgresConnection!
    private var dispatchers: [OutboxDispatcher] = []
    private let token = "123456:sandbox-token-for-dispatcher-tests"
    private let prefix = "dispatch-\(UUID().uuidString.prefix(8))"
    private let chats: [Int64] = [1301, 1302, 1303]

    override func setUpWithError() throws {
        database = try TestServices.freshDatabase()
        db = try database.connect()
        try Migrator(connection: db).migrate(Migration.bundled())
        sandbox = SandboxServer(options: SandboxOptions(token: token))
        try sandbox.start()
        for chat in chats {
            try ClientStore(connection: db).register(id: chat, firstName: "Chat \(chat)", now: Date())
            _ = try sandbox.sendText("hi", from: chat)  // opens the chat
        }
    }

    override func tearDown() {
        dispatchers.forEach { $0.stop(grace: 0) }
        sandbox?.stop()
        db = nil
        database?.drop()
    }

    private func dispatcher(rate: Double = 1000, configure: (inout OutboxDispatcher.Settings) -> Void = { _ in }) throws -> OutboxDispatcher {
        var settings = OutboxDispatcher.Settings(databaseURL: database.url, redis: try TestServices.redisEndpoint(), prefix: prefix,
                                                 sendRatePerSecond: rate)
        settings.chatSendRatePerSecond = 100  // the tests send faster than Telegram lets one chat receive
        configure(&settings)
        let telegram = ConcurrentTelegramClient(baseURL: sandbox.baseURL, token: token, http: ConcurrentHTTPClient(name: "test"))
        let dispatcher = OutboxDispatcher(settings: settings, telegram: telegram, logger: Logger(label: "test"))
        dispatcher.start()
        dispatchers.append(dispatcher)
        return dispatcher
    }

    @discardableResult
    private func add(_ text: String, to chat: Int64, lane: OutboxLane = .interactive) throws -> OutboxMessage {
        try OutboxStore(connection: db).add(chatID: chat, method: "sendMessage", payload: Self.json(["chat_id": chat, "text": text]),
                                            updateID: nil, lane: lane, now: Date())
    }

    private static func json(_ object: [String: Any]) -> String {
        String(decoding: try! JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]), as: UTF8.self)
    }

    private func texts(_ chat: Int64) -> [String] {
        sandbox.transcript(chatID: chat)?.botMessages.compactMap(\.text) ?? []
    }

    /// Waits (bounded) until the chat shows `count` bot messages.
    @discardableResult
    private func waitForTexts(_ chat: Int64, count: Int, timeout: TimeInterval = 10) -> [String] {
        _ = sandbox.waitForTranscript(chatID: chat, timeout: timeout) { $0.botMessages.count >= count }
        return texts(chat)
    }

    private func unsent() throws -> Int {
        try db.query("SELECT count(*) AS n FROM outbox WHERE sent_at IS NULL AND failed_at IS NULL")[0].get("n")
    }

    /// Waits (bounded) until every row is marked.
    private func waitUntilAllMarked(timeout: TimeInterval = 10) throws {
        let deadline = Date().addingTimeInterval(timeout)
        while try unsent() > 0, Date() < deadline { Thread.sleep(forTimeInterval: 0.02) }
    }

    func testEachChatsRowsGoOutInOrderOnceAndAreMarkedSent() throws {
        let sender = try dispatcher()
        var rows: [OutboxMessage] = []
        for index in 1...5 {
            for chat in chats { rows.append(try add("\(chat)-\(index)", to: chat)) }
        }
        sender.committed(rows)
        for chat in chats {
            XCTAssertEqual(waitForTexts(chat, count: 5), (1...5).map { "\(chat)-\($0)" })
        }
        try waitUntilAllMarked()
        XCTAssertEqual(try unsent(), 0)
        Thread.sleep(forTimeInterval: 0.2)
        XCTAssertEqual(chats.map { texts($0).count }, [5, 5, 5], "nothing went twice")
    }

    func testRowsLeftUnsentEarlierGoOutFirstInOrder() throws {
        // Committed by an update whose sender died: nobody handed them over.
        try add("earlier 1", to: chats[0])
        try add("earlier 2", to: chats[0])
        let sender = try dispatcher()
        sender.committed([try add("now", to: chats[0])])
        XCTAssertEqual(waitForTexts(chats[0], count: 3), ["earlier 1", "earlier 2", "now"])
    }

    func testAPressIsAnsweredBeforeQueuedBackgroundMessagesWithTheBudgetSpent() throws {
        let chat = chats[0]
        let press = try sandbox.pressForged(from: chat, messageID: 1, callbackData: "x")
        let queryID = try XCTUnwrap(press.callbackQuery?.id)
        // A broadcast-like backlog to many chats, with the bot's budget at two a second.
        let backlog = try (0..<12).map { try add("notice \($0)", to: chats[$0 % chats.count], lane: .background) }
        let sender = try dispatcher(rate: 2)
        sender.committed(backlog)
        let sent = { self.sandbox.calls(method: "sendMessage").count }
        let deadline = Date().addingTimeInterval(10)
        while sent() == 0, Date() < deadline { Thread.sleep(forTimeInterval: 0.01) }
        XCTAssertGreaterThan(sent(), 0, "the backlog started, and spent the budget")
        let answer = try OutboxStore(connection: db).add(chatID: chat, method: "answerCallbackQuery",
                                                         payload: Self.json(["callback_query_id": queryID]), updateID: nil, now: Date())
        let before = sent()
        sender.committed([answer])
        XCTAssertNotNil(sandbox.waitForTranscript(chatID: chat, timeout: 10) { !$0.callbackAnswers.isEmpty }, "the press was answered")
        let calls = sandbox.calls().filter { $0.method == "answerCallbackQuery" || $0.method == "sendMessage" }
        let answerAt = try XCTUnwrap(calls.firstIndex { $0.method == "answerCallbackQuery" })
        XCTAssertEqual(calls[..<answerAt].count, before, "no queued message went before the answer")
        XCTAssertLessThan(before, backlog.count, "the backlog was still waiting for the budget")
        XCTAssertLessThan(sent(), backlog.count, "and still is: the answer did not wait for it")
    }

    func testABroadcastBacklogIsSweptABoundedNumberOfChatsAtATimeAndAllSentOnce() throws {
        let many: [Int64] = Array(1400..<1430)
        for chat in many { _ = try sandbox.sendText("hi", from: chat) }
        let rows = try OutboxStore(connection: db).add(many.map {
            OutboxDraft(chatID: $0, method: "sendMessage", payload: Self.json(["chat_id": $0, "text": "broadcast"]), lane: .broadcast)
        }, updateID: nil, now: Date().addingTimeInterval(-10))
        XCTAssertEqual(rows.count, many.count)
        _ = try dispatcher(rate: 10) {
            $0.maxSweptLines = 4
            $0.sweepEvery = 0.1
        }
        var peak = 0
        let deadline = Date().addingTimeInterval(30)
        while try unsent() > 0, Date() < deadline {
            let held: Int = try db.query("""
                SELECT count(*) AS n FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
                WHERE l.locktype = 'advisory' AND a.application_name = 'bookingbot-sender'
                """)[0].get("n")
            peak = max(peak, held)
            Thread.sleep(forTimeInterval: 0.02)
        }
        try waitUntilAllMarked()
        XCTAssertEqual(try unsent(), 0)
        XCTAssertLessThanOrEqual(peak, 4, "never more chats held than the bound")
        XCTAssertGreaterThan(peak, 0)
        let sent = sandbox.calls(method: "sendMessage").filter { $0.errorCode == nil }.compactMap { call -> Int64? in
            if case .int(let chat)? = call.parameters["chat_id"] { return chat } else { return nil }
        }
        XCTAssertEqual(sent.sorted(), many, "each chat once")
    }

    func testStaffNoticesWaitingForOneChatGoAsOneMessageInOrderAndRepliesAlone() throws {
        let admin = chats[1]
        let notices = try (1...6).map { try add("🆕 New booking \($0)", to: admin, lane: .notice) }
        let reply = try add("a reply", to: admin)
        let sender = try dispatcher { $0.chatSendRatePerSecond = 1 }
        sender.committed(notices + [reply])
        XCTAssertEqual(waitForTexts(admin, count: 2), [(1...6).map { "🆕 New booking \($0)" }.joined(separator: NoticeBatch.separator), "a reply"],
                       "six notices in one message, whole and in order; the reply after them, alone")
        try waitUntilAllMarked()
        XCTAssertEqual(try unsent(), 0, "each merged notice is marked sent")
    }

    func testAChatWithALongBacklogDoesNotKeepAnotherWaitingBehindIt() throws {
        let (busy, other) = (chats[0], chats[1])
        // The bot's budget at two a second: chats take turns, whatever their backlog.
        let sender = try dispatcher(rate: 2)
        sender.committed(try (1...8).map { try add("backlog \($0)", to: busy) })
        _ = waitForTexts(busy, count: 1)
        sender.committed([try add("the other chat's reply", to: other)])
        XCTAssertEqual(waitForTexts(other, count: 1), ["the other chat's reply"])
        XCTAssertEqual(waitForTexts(busy, count: 8).count, 8)
        let order = sandbox.calls(method: "sendMessage").compactMap { call -> String? in
            guard case .string(let text)? = call.parameters["text"] else { return nil }
            return text
        }
        let reply = try XCTUnwrap(order.firstIndex(of: "the other chat's reply"))
        XCTAssertLessThan(reply, try XCTUnwrap(order.firstIndex(of: "backlog 5")),
                          "the other chat's turn came before the backlog's: \(order)")
    }

    func testAChatAnotherSenderHoldsIsLeftToItAndNothingGoesTwice() throws {
        let chat = chats[0]
        let other = try database.connect()
        // Another process's sender holds the chat (a transaction-scoped lock, as OutboxSender takes).
        try other.query("BEGIN")
        try OutboxStore(connection: other).lockChat(chat)
        let rows = [try add("one", to: chat), try add("two", to: chat)]
        let sender = try dispatcher()
        sender.committed(rows)
        // The dispatcher tries a few times, a little apart, then leaves the chat to its holder.
        Thread.sleep(forTimeInterval: 1.5)
        XCTAssertEqual(texts(chat), [], "a held chat is not sent by a second sender")
        try other.query("COMMIT")
        // The holder (the sweeper, here) sends them: once, in order.
        let sweeper = OutboxSender(db: other, telegram: TelegramClient(baseURL: sandbox.baseURL, token: token), limiter: nil,
                                   logger: Logger(label: "test"))
        XCTAssertTrue(try sweeper.flush(chatID: chat))
        XCTAssertEqual(texts(chat), ["one", "two"])
        Thread.sleep(forTimeInterval: 0.3)
        XCTAssertEqual(texts(chat), ["one", "two"], "the dispatcher sent nothing twice")
    }

    func testRowsCommittedWhileAnotherProcessSendsTheChatAreSentByThatProcess() throws {
        // Two worker processes: one sends the chat's first reply, slowly enough for the
        // other to commit the next reply meanwhile and find the chat held.
        let chat = chats[0]
        let first = try dispatcher()
        let second = try dispatcher()
        var all: [String] = []
        for round in 0..<10 {
            let a = try add("a\(round)", to: chat)
            let b = try add("b\(round)", to: chat)
            first.committed([a])
            second.committed([b])
            all += ["a\(round)", "b\(round)"]
        }
        XCTAssertEqual(waitForTexts(chat, count: all.count), all, "every row once, in commit order, whichever process sent it")
        try waitUntilAllMarked()
        Thread.sleep(forTimeInterval: 0.3)
        XCTAssertEqual(texts(chat).count, all.count)
    }

    func testABroadcastRowInDoubtNeverGoesAgainAndOneTelegramDidNotTakeDoes() throws {
        let inDoubt = try add("in doubt", to: chats[0], lane: .broadcast)
        // Marked by a sender that died mid-call: Telegram may have shown it already.
        XCTAssertTrue(try OutboxStore(connection: db).claimForSending(inDoubt.id))
        sandbox.injectServerErrors(calls: 1, status: 502, method: "sendMessage")
        let refused = try add("after a 502", to: chats[1], lane: .broadcast)
        let sender = try dispatcher {
            $0.sweepEvery = 0.1
            $0.sweepAge = 0
        }
        sender.committed([inDoubt, refused])
        XCTAssertEqual(waitForTexts(chats[1], count: 1), ["after a 502"], "the 502 cleared the mark, and it went again")
        let deadline = Date().addingTimeInterval(10)
        var sent = false
        while !sent, Date() < deadline {
            sent = try db.query("SELECT sent_at IS NOT NULL AS sent FROM outbox WHERE id = $1", [.int(refused.id)])[0].get("sent")
            if !sent { Thread.sleep(forTimeInterval: 0.02) }
        }
        XCTAssertTrue(sent, "marked sent")
        Thread.sleep(forTimeInterval: 0.5)  // several sweeps
        XCTAssertEqual(texts(chats[0]), [], "the row in doubt was neither sent nor swept")
        XCTAssertEqual(sandbox.calls(method: "sendMessage").filter { $0.errorCode == nil }.count, 1)
    }

    func testATransientFailureIsRetriedAndALastingOneLeavesTheRowsForTheSweeper() throws {
        let chat = chats[0]
        sandbox.injectServerErrors(calls: 2, status: 502, method: "sendMessage")
        let sender = try dispatcher { $0.maxFailures = 3 }
        sender.committed([try add("after two failures", to: chat)])
        XCTAssertEqual(waitForTexts(chat, count: 1), ["after two failures"])

        sandbox.injectServerErrors(calls: 100, status: 502, method: "sendMessage")
        sender.committed([try add("kept", to: chats[1]), try add("kept too", to: chats[1])])
        let deadline = Date().addingTimeInterval(10)
        var attempts = 0
        while attempts < 3, Date() < deadline {
            attempts = try db.query("SELECT attempts FROM outbox WHERE chat_id = $1 ORDER BY id LIMIT 1", [.int(chats[1])])[0].get("attempts")
            Thread.sleep(forTimeInterval: 0.05)
        }
        XCTAssertEqual(attempts, 3, "tried maxFailures times")
        // Given up: the chat's lock went back, so the sweeper can take it.
        let deadlineForLock = Date().addingTimeInterval(5)
        var free = false
        while !free, Date() < deadlineForLock {
            free = try db.transaction { try OutboxStore(connection: $0).tryLockChat(chats[1]) }
            if !free { Thread.sleep(forTimeInterval: 0.05) }
        }
        XCTAssertTrue(free, "the chat was let go")
        XCTAssertEqual(try unsent(), 2, "both rows wait, unsent, for the sweeper")
        XCTAssertEqual(texts(chats[1]), [])
    }

    func testAFloodWaitHoldsTheChatForEveryProcessThenSendsIt() throws {
        let chat = chats[0]
        sandbox.injectFlood(calls: 1, retryAfter: 1)
        let sender = try dispatcher()
        sender.committed([try add("after the wait", to: chat)])
        let redis = try TestServices.redisConnection()
        let holdKey = "{\(prefix)}:rl:hold:\(chat)"
        let deadline = Date().addingTimeInterval(5)
        var held = false
        while !held, Date() < deadline, texts(chat).isEmpty {
            held = (try redis.command("PTTL", holdKey).int ?? -2) > 0
            Thread.sleep(forTimeInterval: 0.01)
        }
        XCTAssertTrue(held, "a 429 holds the chat in Redis, for every process")
        XCTAssertEqual(waitForTexts(chat, count: 1), ["after the wait"])
    }

    func testAUserWhoBlockedTheBotIsMarkedAndTheirRowRefused() throws {
        let chat = chats[2]
        _ = try sandbox.blockBot(by: chat)
        let sender = try dispatcher()
        sender.committed([try add("to a blocked user", to: chat)])
        try waitUntilAllMarked()
        let row = try db.query("SELECT failed_at IS NOT NULL AS failed FROM outbox WHERE chat_id = $1", [.int(chat)])[0]
        XCTAssertTrue(try row.get("failed") as Bool)
        let blocked = try db.query("SELECT blocked_bot_at IS NOT NULL AS blocked FROM users WHERE id = $1", [.int(chat)])[0]
        XCTAssertTrue(try blocked.get("blocked") as Bool)
    }

    func testStoppingSendsWhatWasHandedOverAndLetsEveryChatGo() throws {
        let sender = try dispatcher()
        sender.committed(try (1...3).map { try add("before stop \($0)", to: chats[1]) })
        XCTAssertTrue(sender.stop(grace: 5))
        XCTAssertEqual(texts(chats[1]), ["before stop 1", "before stop 2", "before stop 3"])
        XCTAssertEqual(try unsent(), 0)
        XCTAssertTrue(try db.transaction { try OutboxStore(connection: $0).tryLockChat(chats[1]) }, "no lock outlives the sender")
    }
}

import Conversation
import Foundation
import Logging
import Postgres
import Sandbox
import Store
import Telegram
import TestSupport
@testable import Delivery
import XCTest

/// Each of Telegram's answers decides an outbox row's fate; checked against the Sandbox.
final class OutboxSenderTests: XCTestCase {
    private var sandbox: SandboxServer!
    private var database: ScratchDatabase!
    private var db: PostgresConnection!
    private let token = "123456:sandbox-token-for-outbox-tests"
    private let chat: Int64 = 1201

    override func setUpWithError() throws {
        database = try TestServices.freshDatabase()
        db = try database.connect()
        try Migrator(connection: db).migrate(Migration.bundled())
        try ClientStore(connection: db).register(id: chat, firstName: "Ira", now: Date())
        sandbox = SandboxServer(options: SandboxOptions(token: token))
        try sandbox.start()
        _ = try sandbox.sendText("hi", from: chat)  // opens the chat
    }

    override func tearDown() {
        sandbox?.stop()
        db = nil
        database?.drop()
    }

    private func sender() -> OutboxSender {
        OutboxSender(db: db, telegram: TelegramClient(baseURL: sandbox.baseURL, token: token), limiter: nil, logger: Logger(label: "test"))
    }

    private func add(_ text: String) throws {
        try OutboxStore(connection: db).add(chatID: chat, method: "sendMessage",
                                            payload: String(decoding: try JSONSerialization.data(withJSONObject: ["chat_id": chat, "text": text]), as: UTF8.self),
                                            updateID: nil, now: Date())
    }

    private func rows() throws -> [(sent: Bool, failed: Bool, error: String?)] {
        try db.query("SELECT sent_at IS NOT NULL AS sent, failed_at IS NOT NULL AS failed, last_error FROM outbox ORDER BY id").map {
            (try $0.get("sent"), try $0.get("failed"), try $0.get("last_error"))
        }
    }

    private var botTexts: [String?] { sandbox.transcript(chatID: chat)?.botMessages.map(\.text) ?? [] }

    func testAReasonFromTelegramWithANulIsStoredNotRefused() throws {
        try add("x")
        let id: Int64 = try db.query("SELECT id FROM outbox")[0].get("id")
        try OutboxStore(connection: db).markAttempt(id, error: "odd\u{0}words")
        try OutboxStore(connection: db).markFailed(id, error: "bad\u{0}request", now: Date())
        XCTAssertEqual(try rows().first?.failed, true)
        XCTAssertEqual(try rows().first?.error, "bad\u{FFFD}request")
    }

    func testRepliesGoOutInOrderAndAreMarkedSent() throws {
        for text in ["one", "two", "three"] { try add(text) }
        XCTAssertTrue(try sender().flush(chatID: chat))
        XCTAssertEqual(botTexts, ["one", "two", "three"])
        XCTAssertTrue(try rows().allSatisfy { $0.sent && !$0.failed })
        XCTAssertTrue(try sender().flush(chatID: chat), "nothing is sent twice")
        XCTAssertEqual(botTexts.count, 3)
    }

    /// A broadcast's row is the workers' dispatchers' to send: the blocking sender (the
    /// reminders process's, which may be killed in the middle of a call) leaves it, and
    /// its sweep does not see it, though it sends the chat's other rows.
    func testTheBlockingSenderLeavesBroadcastRowsToTheWorkers() throws {
        let payload = { (text: String) in String(decoding: try JSONSerialization.data(withJSONObject: ["chat_id": self.chat, "text": text]), as: UTF8.self) }
        let outbox = OutboxStore(connection: db)
        let old = Date().addingTimeInterval(-60)
        try outbox.add(chatID: chat, method: "sendMessage", payload: try payload("broadcast"), updateID: nil, lane: .broadcast, now: old)
        XCTAssertEqual(try outbox.chatsWithStaleRows(olderThan: Date(), sparingBroadcasts: true, limit: 10), [])
        XCTAssertEqual(try outbox.chatsWithStaleRows(olderThan: Date(), limit: 10), [chat], "the workers' sweep sees it")
        XCTAssertTrue(try sender().flush(chatID: chat), "nothing the blocking sender may send is left")
        try outbox.add(chatID: chat, method: "sendMessage", payload: try payload("a reminder"), updateID: nil, lane: .background, now: old)
        XCTAssertTrue(try sender().flush(chatID: chat))
        XCTAssertEqual(botTexts, ["a reminder"])
        XCTAssertEqual(try rows().map(\.sent), [false, true], "the broadcast's row still waits for a worker")
    }

    /// An answer to a press that went through, though its reply was lost (a timeout, a
    /// killed sender, a mark rolled back with its transaction): Telegram refuses the repeat
    /// as "too old". That is delivered, not an error, whether or not a try was recorded.
    func testARepeatedPressAnswerRefusedAsTooOldCountsAsDeliveredEarlier() throws {
        let bot = TelegramClient(baseURL: sandbox.baseURL, token: token)
        let message = try bot.sendMessage(chatID: chat, text: "pick", replyMarkup: .inlineKeyboard(InlineKeyboardMarkup([[.callback("a", "a")]])))
        var queries: [String] = []
        for _ in 0..<2 {
            let press = try sandbox.pressButton(from: chat, messageID: message.messageID, callbackData: "a")
            let query = try XCTUnwrap(press.callbackQuery?.id)
            queries.append(query)
            try OutboxStore(connection: db).add(chatID: chat, method: "answerCallbackQuery",
                                                payload: #"{"callback_query_id":"\#(query)"}"#, updateID: nil, now: Date())
            _ = try bot.call(method: "answerCallbackQuery", payload: Data(#"{"callback_query_id":"\#(query)"}"#.utf8))
        }
        // The first row was tried before (its answer got through, the reply was lost).
        try db.query("UPDATE outbox SET attempts = 1, last_error = 'network: timed out' WHERE id = (SELECT min(id) FROM outbox)")
        XCTAssertTrue(try sender().flush(chatID: chat))
        XCTAssertEqual(try rows().map { [$0.sent, $0.failed] }, [[true, false], [true, false]])
        XCTAssertEqual(try rows().map { $0.error?.contains("too old") }, [true, true], "the reason is kept")
        XCTAssertEqual(sandbox.transcript(chatID: chat)?.callbackAnswers.count, 2, "each press answered once")
    }

    func testAShortFloodWaitIsWaitedOutInline() throws {
        try add("after the wait")
        sandbox.injectFlood(calls: 1, retryAfter: 1)
        XCTAssertTrue(try sender().flush(chatID: chat))
        XCTAssertEqual(botTexts, ["after the wait"])
    }

    func testATransientFailureKeepsThisRowAndEveryLaterOneForTheNextFlush() throws {
        try add("first")
        try add("second")
        sandbox.injectServerErrors(calls: 1)
        XCTAssertFalse(try sender().flush(chatID: chat))
        XCTAssertEqual(botTexts, [], "order is never broken to get a later reply out")
        XCTAssertEqual(try rows().map(\.sent), [false, false])
        XCTAssertNotNil(try rows()[0].error)
        XCTAssertTrue(try sender().flush(chatID: chat))
        XCTAssertEqual(botTexts, ["first", "second"])
    }

    func testARefusedReplyIsKeptWithItsReasonAndTheRestGoOn() throws {
        try add(String(repeating: "x", count: 5000))
        try add("next")
        XCTAssertTrue(try sender().flush(chatID: chat))
        let stored = try rows()
        XCTAssertTrue(stored[0].failed)
        XCTAssertTrue(stored[0].error?.contains("too long") == true, "\(stored[0].error ?? "")")
        XCTAssertTrue(stored[1].sent)
        XCTAssertEqual(botTexts, ["next"])
    }

    func testAUserWhoBlockedTheBotIsMarkedAndNotRetried() throws {
        _ = try sandbox.blockBot(by: chat)
        try add("hello?")
        XCTAssertTrue(try sender().flush(chatID: chat))
        XCTAssertTrue(try rows()[0].failed)
        XCTAssertEqual(try db.query("SELECT blocked_bot_at IS NOT NULL AS blocked FROM users WHERE id = $1", [.int(chat)])[0].get("blocked") as Bool, true)
    }

    func testTwoSendersOfOneChatSendEachRowOnceAndInOrder() throws {
        for index in 1...40 { try add("m\(index)") }
        // Two processes' senders (their own connections) flush the same chat at once.
        let group = DispatchGroup()
        let url = database.url
        let (base, token) = (sandbox.baseURL, self.token)
        for _ in 0..<2 {
            group.enter()
            Thread {
                defer { group.leave() }
                guard let connection = try? PostgresConnection(url: url) else { return }
                let sender = OutboxSender(db: connection, telegram: TelegramClient(baseURL: base, token: token), limiter: nil,
                                          logger: Logger(label: "test"))
                _ = try? sender.flush(chatID: 1201)
            }.start()
        }
        XCTAssertEqual(group.wait(timeout: .now() + 30), .success)
        XCTAssertEqual(botTexts, (1...40).map { "m\($0)" })
        XCTAssertEqual(sandbox.calls(method: "sendMessage").count, 40, "no row went twice")
    }

    /// A document (an export) goes out as a multipart upload, once, in its place among the
    /// chat's replies, its bytes as they were written.
    func testADocumentIsSentOnceInOrderWithItsBytesIntact() throws {
        let csv = Data([0xEF, 0xBB, 0xBF]) + Data("дата;время;услуга;клиент\r\n2026-12-14;12:00;Стрижка;Ира \"Я\"\r\n".utf8)
            + Data((0..<300_000).map { UInt8(truncatingIfNeeded: $0 &* 31) })
        let outbox = OutboxStore(connection: db)
        try outbox.add(.message(text: "Here is the export", menu: nil, buttons: nil), chatID: chat, updateID: nil, now: Date())
        try outbox.add(.document(fileName: "записи 2026-12.csv", contents: csv, caption: "Записи за декабрь"), chatID: chat, updateID: nil, now: Date())
        try outbox.add(.message(text: "Anything else?", menu: nil, buttons: nil), chatID: chat, updateID: nil, now: Date())
        XCTAssertEqual(try outbox.pending(chatID: chat).map(\.method), ["sendMessage", "sendDocument", "sendMessage"])

        XCTAssertTrue(try sender().flush(chatID: chat))
        XCTAssertTrue(try sender().flush(chatID: chat), "nothing is left, nothing goes twice")
        let messages = try XCTUnwrap(sandbox.transcript(chatID: chat)?.botMessages)
        XCTAssertEqual(messages.map { $0.text ?? $0.document?.fileName }, ["Here is the export", "записи 2026-12.csv", "Anything else?"])
        XCTAssertEqual(messages[1].document?.data, csv, "BOM and bytes intact")
        XCTAssertEqual(messages[1].caption, "Записи за декабрь")
        XCTAssertEqual(sandbox.calls(method: "sendDocument").count, 1)
        XCTAssertTrue(try rows().allSatisfy { $0.sent && !$0.failed })
    }

    /// Telegram takes 50 MB and a 1024-unit caption: more is refused when the reply is
    /// written, with a reason that says so, and nothing is stored.
    func testADocumentTelegramWouldRefuseIsRefusedWhenWritten() throws {
        let outbox = OutboxStore(connection: db)
        let big = Data(count: UploadLimits.fileBytes + 1)
        XCTAssertThrowsError(try outbox.add(.document(fileName: "all.csv", contents: big, caption: nil), chatID: chat, updateID: nil, now: Date())) {
            XCTAssertEqual($0 as? OutboxRefusal, .documentTooLarge(fileName: "all.csv", bytes: UploadLimits.fileBytes + 1, limit: UploadLimits.fileBytes))
            XCTAssertEqual("\($0)", "document \"all.csv\" is 52428801 bytes; Telegram takes at most 52428800 (50 MB)")
        }
        let caption = String(repeating: "я", count: UploadLimits.captionLength + 1)
        XCTAssertThrowsError(try outbox.add(.document(fileName: "a.csv", contents: Data("x".utf8), caption: caption), chatID: chat, updateID: nil, now: Date())) {
            XCTAssertEqual($0 as? OutboxRefusal, .captionTooLong(fileName: "a.csv", length: 1025, limit: 1024))
        }
        XCTAssertThrowsError(try outbox.add(.document(fileName: "", contents: Data("x".utf8), caption: nil), chatID: chat, updateID: nil, now: Date()))
        XCTAssertEqual(try rows().count, 0)
    }

    func testASenderSkipsAChatAnotherHolds() throws {
        try add("held")
        let other = try database.connect()
        try other.transaction { tx in
            XCTAssertTrue(try OutboxStore(connection: tx).tryLockChat(chat))
            XCTAssertNil(try sender().flushIfFree(chatID: chat))
        }
        XCTAssertEqual(botTexts, [])
        XCTAssertEqual(try sender().flushIfFree(chatID: chat), true)
        XCTAssertEqual(botTexts, ["held"])
    }

    /// The lock every version of the sender takes, spelled out: senders of the old and the
    /// new release (a rolling deploy) must exclude each other.
    func testTheChatLockIsTheDocumentedAdvisoryLock() throws {
        try add("held")
        let other = try database.connect()
        let key = "hashtextextended('bookingbot.outbox', $1::bigint)"
        try other.query("SELECT pg_advisory_lock(\(key))", [.int(chat)])
        XCTAssertNil(try sender().flushIfFree(chatID: chat))
        XCTAssertEqual(botTexts, [])
        try other.query("SELECT pg_advisory_unlock(\(key))", [.int(chat)])
        XCTAssertEqual(try sender().flushIfFree(chatID: chat), true)
        XCTAssertEqual(botTexts, ["held"])
    }
}

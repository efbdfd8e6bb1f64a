import BotTestSupport
import Foundation
import HTTP
import Queue
import Sandbox
import TestSupport
import Texts
import XCTest

/// Input an attacker, or an unlucky client, can send: real ingress and worker processes.
final class HostileInputTests: BotTestCase {
    private var minute: String { String(Int(Date().timeIntervalSince1970 / 60) - 28_401_120, radix: 36) }  // since 2024-01-01
    private let huge = "zzzzzzzzzzzz"

    /// Callback data of every calendar shape the bot parses, with values far beyond any
    /// calendar (12 base-36 digits overflowed the date arithmetic and killed the worker).
    private func overflowShapes() -> [String] {
        ["c", "d", "t", "k", "mc", "md", "mt", "mk"].map { "1.\(minute).\($0).1.\(huge)" }
            + ["1.\(minute).c.\(huge).\(huge)", "1.\(huge).m", "1.\(minute).c.1.0", "1.\(minute).t.1.0", "1.\(minute).r.1.\(huge)"]
    }

    /// Well-formed presses naming services and bookings that do not exist (ids as large as
    /// the data allows): answered by the store's refusal, like any stale button.
    private func unknownIDs() -> [String] {
        ["s", "ca", "cc", "mv", "rs"].map { "1.\(minute).\($0).\(huge)" } + ["1.\(minute).r.\(huge).5"]
    }

    /// Random bytes, 1–64 of them, as a modified client could put in callback data.
    private func randomData(count: Int, seed: UInt64) -> [String] {
        var state = seed
        func next() -> UInt64 {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return state >> 33
        }
        return (0..<count).map { _ in
            let length = Int(next() % 64) + 1
            return String(decoding: (0..<length).map { _ in UInt8(truncatingIfNeeded: next()) }, as: UTF8.self)
        }
    }

    /// Acceptance 1: forged presses of every overflow shape and 200 random byte strings
    /// against two workers; another user's /start meanwhile.
    func testForgedPressesAreAnsweredChangeNothingAndNoWorkerDies() throws {
        try startBot(workers: 2, concurrency: 1)
        user(901, "Mallory", language: "en")
        user(902, "Alice", language: "en")
        let welcome = try say("/start", from: 901, thenBotMessages: 2).botMessages[0]
        let malformed = overflowShapes() + randomData(count: 200, seed: 0x5eed)
        let forged = malformed + unknownIDs()
        for data in forged {
            try sandbox.pressForged(from: 901, messageID: welcome.messageID, callbackData: data)
        }
        try say("/start", from: 902, thenBotMessages: 2)
        let transcript = try waitForBot(901, messages: 2, answers: forged.count, timeout: 120)
        XCTAssertEqual(transcript.callbackAnswers.count, forged.count, "every forged press answered, once")
        XCTAssertEqual(Set(transcript.callbackAnswers.prefix(malformed.count).map(\.text)), [Texts.alert(.invalidButton, in: .en)])
        XCTAssertEqual(transcript.botMessages.count, 2, "and nothing else said")
        XCTAssertTrue(workers.allSatisfy(\.isRunning), "both workers alive: \(logs.suffix(2000))")
        XCTAssertEqual(try count("SELECT count(*) AS n FROM bookings"), 0)
        XCTAssertEqual(try count("SELECT count(*) AS n FROM booking_history"), 0)
        XCTAssertEqual(try count("SELECT count(*) AS n FROM reviews"), 0)
        XCTAssertEqual(try ChatQueue(redis: TestServices.redisConnection(), prefix: prefix).figures(heartbeatTTL: 30).deadUpdates, 0)
    }

    /// Acceptance 2: an update whose handling kills the process (a test-only trigger
    /// standing for any trap) is parked after three deaths; the user hears once that
    /// something went wrong, and the chat's next update is handled. No loop.
    func testAnUpdateThatKillsItsWorkerIsParkedAfterThreeDeathsAndTheChatGoesOn() throws {
        let trigger = "crash the worker, please"
        try startBot(workers: 0)
        let environment = try environment.merging(["RATE_LIMIT_MESSAGE": "0", "RATE_LIMIT_CALLBACK": "0",
                                                   "BOOKINGBOT_TEST_CRASH_ON_TEXT": trigger]) { $1 }
        try startWorker(environment, concurrency: 1, lease: 2)
        user(911, "Eve", language: "en")
        try say("/start", from: 911, thenBotMessages: 2)
        _ = try sandbox.sendText(trigger, from: 911)
        _ = try sandbox.sendText("/help", from: 911)
        // A supervisor's job (systemd restarts it): a worker that died is started again.
        var deaths = 0
        let helped = { self.sandbox.transcript(chatID: 911)?.botMessages.contains { $0.text == self.text(.help, .en) } == true }
        let deadline = Date().addingTimeInterval(120)
        while !helped() && Date() < deadline && deaths <= 5 {
            if let last = workers.last, !last.isRunning {
                deaths += 1
                XCTAssertTrue(last.stderr.contains("test hook: crash"), "died of the trigger: \(last.stderr.suffix(500))")
                try startWorker(environment, concurrency: 1, lease: 2)
            }
            Thread.sleep(forTimeInterval: 0.1)
        }
        XCTAssertTrue(helped(), "the chat went on: \(logs.suffix(3000))")
        XCTAssertEqual(deaths, 3)
        let said = try XCTUnwrap(sandbox.transcript(chatID: 911)).botMessages.dropFirst(2).map(\.text)
        XCTAssertEqual(said, [text(.somethingWentWrong, .en), text(.help, .en)], "one apology, then the next update's answer")
        let dead = try ChatQueue(redis: TestServices.redisConnection(), prefix: prefix).dead(limit: 10)
        XCTAssertEqual(dead.count, 1)
        let entry = try JSONSerialization.jsonObject(with: dead[0]) as? [String: Any]
        XCTAssertEqual(entry?["error"] as? String, "worker died while handling it")
        XCTAssertTrue(workers.last?.isRunning == true)
    }

    /// Acceptance 8: Telegram delivering a chat's updates out of order (two webhook
    /// requests at once, a re-send after a 503): the worker handles them by update_id.
    func testUpdatesPostedOutOfOrderAreHandledInUpdateIDOrder() throws {
        let port = unusedLoopbackPort()
        let secret = "order-test-secret"
        processes.append(try ChildProcess(binary, ["ingress", "--webhook", "--port", "\(port)", "--host", "127.0.0.1",
                                                   "--admin-port", "\(unusedLoopbackPort())"],
                                          environment: try environment.merging(["WEBHOOK_SECRET": secret]) { $1 },
                                          currentDirectory: FileManager.default.temporaryDirectory))
        let client = HTTPClient(options: HTTPOptions(totalTimeout: 5))
        func post(_ id: Int, _ text: String) -> Int? {
            let body = Data(#"{"update_id":\#(id),"message":{"message_id":\#(id),"date":\#(Int(Date().timeIntervalSince1970)),"chat":{"id":921,"type":"private"},"from":{"id":921,"is_bot":false,"first_name":"Olga","language_code":"en"},"text":"\#(text)"}}"#.utf8)
            return try? client.send(HTTPRequest(method: "POST", url: "http://127.0.0.1:\(port)/telegram",
                                                headers: [(name: "X-Telegram-Bot-Api-Secret-Token", value: secret)],
                                                body: .data(body, contentType: "application/json"))).status
        }
        XCTAssertTrue(ChildProcess.eventually { post(101, "/help") == 200 }, "ingress did not come up: \(logs)")
        XCTAssertEqual(post(100, "/start"), 200)
        try startWorker(try environment, concurrency: 1)
        XCTAssertTrue(ChildProcess.eventually(timeout: 20) { ((try? self.count("SELECT count(*) AS n FROM processed_updates")) ?? 0) == 2 }, logs)
        let order = try database.connect().query("SELECT update_id FROM outbox WHERE chat_id = 921 ORDER BY id")
            .map { try $0.get("update_id") as Int64 }
        XCTAssertEqual(order.first, 100, "the /start (100) was handled before the /help (101) it arrived after")
        XCTAssertEqual(order.last, 101)
    }
}

import BotTestSupport
import Foundation
import Queue
import Sandbox
import Telegram
import TestSupport
import Texts
import XCTest

/// `bookingbot status` and `bookingbot dead`, run as an operator would against a running bot.
final class OperatorCommandsTests: BotTestCase {
    private func bookingbot(_ arguments: [String]) throws -> ProcessResult {
        try runProgram(binary, arguments, environment: try environment, currentDirectory: FileManager.default.temporaryDirectory)
    }

    private func status() throws -> (exit: Int32, report: [String: Any]) {
        let result = try bookingbot(["status", "--json"])
        let report = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any], result.stdout + result.stderr)
        return (result.status, report)
    }

    func testStatusReportsTheFiguresAndFailsWhileNoWorkerLives() throws {
        var (exit, report) = try status()
        XCTAssertEqual(exit, 1)
        XCTAssertEqual(report["problems"] as? [String], ["no live workers"])
        for key in ["queue_depth", "oldest_age_seconds", "workers_alive", "dead", "outbox_backlog", "reminders_due", "reminders_late", "sentry_queue"] {
            XCTAssertNotNil(report[key], key)
        }
        try startBot(workers: 1, concurrency: 3)
        // Each loop beats once it has its connections; healthy means at least one lives.
        XCTAssertTrue(ChildProcess.eventually(timeout: 15) { (try? self.status().report["workers_alive"] as? Int) == 3 }, "one per loop\n\(logs)")
        (exit, report) = try status()
        XCTAssertEqual(exit, 0)
        XCTAssertEqual(report["healthy"] as? Bool, true)
        let text = try bookingbot(["status"])
        XCTAssertTrue(text.stdout.contains("workers_alive: 3"), text.stdout)
    }

    func testParkedUpdatesAreListedRetriedAndDropped() throws {
        user(8001, "Olga", language: "en")
        _ = try sandbox.sendText("hi", from: 8001)  // opens the chat, so replies can reach it
        // Two updates parked as a worker parks them (the worker is not running yet).
        let queue = ChatQueue(redis: try TestServices.redisConnection(), prefix: prefix)
        let redis = try TestServices.redisConnection()
        for (chat, text, id) in [(Int64(8001), "/help", 900_001), (8002, "/cancel", 900_002)] {
            let update = #"{"update_id":\#(id),"message":{"message_id":\#(id),"date":1790000000,"chat":{"id":\#(chat),"type":"private"},"#
                + #""from":{"id":\#(chat),"is_bot":false,"first_name":"U","language_code":"en"},"text":"\#(text)"}}"#
            let entry = try JSONSerialization.data(withJSONObject: ["chat": String(chat), "update": update, "error": "injected failure",
                                                                    "attempts": 5, "failed_at_ms": 1_800_000_000_000] as [String: Any])
            try redis.command("LPUSH", queue.keys.dead, entry)
        }
        var list = try bookingbot(["dead", "list"])
        XCTAssertEqual(list.status, 0, list.stderr)
        let lines = list.stdout.split(separator: "\n")
        XCTAssertEqual(lines.count, 2)
        XCTAssertTrue(lines[0].hasPrefix("1. chat 8002") && lines[0].contains("injected failure"), list.stdout)

        try startBot()
        let retried = try bookingbot(["dead", "retry", "2"])
        XCTAssertTrue(retried.stdout.contains("1 update(s) back"), retried.stdout + retried.stderr)
        let transcript = try waitFor(8001) { $0.botMessages.contains { $0.text == self.text(.help, .en) } }
        XCTAssertEqual(transcript.botMessages.filter { $0.text == self.text(.help, .en) }.count, 1, "the replayed update is handled once")
        let dropped = try bookingbot(["dead", "drop", "--all"])
        XCTAssertTrue(dropped.stdout.contains("1 update(s) dropped"), dropped.stdout)
        list = try bookingbot(["dead", "list"])
        XCTAssertEqual(list.stdout.trimmingCharacters(in: .whitespacesAndNewlines), "no parked updates")
        XCTAssertEqual(try bookingbot(["dead", "retry", "7"]).status, 64, "a number not on the list is a usage error")
        Thread.sleep(forTimeInterval: 0.5)
        XCTAssertEqual(try count("SELECT count(*) AS n FROM processed_updates WHERE update_id = 900002"), 0, "the dropped update was never handled")
        XCTAssertEqual(try count("SELECT count(*) AS n FROM processed_updates WHERE update_id = 900001"), 1)
    }
}

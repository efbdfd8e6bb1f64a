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
        for key in ["queue_depth", "oldest_age_seconds", "workers_alive", "dead", "outbox_backlog", "jobs_pending", "reminders_due", "reminders_late", "sentry_queue"] {
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

    /// A Redis of the test's own, on a free loopback port, with `arguments` on top of the
    /// throwaway basics; killed at tearDown.
    private func startRedis(_ arguments: [String]) throws -> String {
        let port = unusedLoopbackPort()
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("redis-\(prefix)-\(port)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        processes.append(try ChildProcess("/usr/bin/redis-server",
                                          ["--port", "\(port)", "--bind", "127.0.0.1", "--save", "", "--dir", folder.path] + arguments,
                                          currentDirectory: folder))
        let url = "redis://127.0.0.1:\(port)/0"
        XCTAssertTrue(ChildProcess.eventually { (try? runProgram("/usr/bin/redis-cli", ["-p", "\(port)", "ping"]).stdout) == "PONG\n" })
        return url
    }

    /// F13: a Redis that may lose acknowledged updates (no append-only file, an evicting
    /// policy) makes `status` unhealthy, naming both, and the worker warns loudly at start;
    /// REDIS_ALLOW_VOLATILE=1 accepts it.
    func testStatusFailsOnAVolatileRedisUnlessAllowed() throws {
        var volatile = try environment
        volatile["REDIS_URL"] = try startRedis(["--appendonly", "no", "--maxmemory-policy", "allkeys-lru"])
        try startWorker(volatile, concurrency: 1)
        let status = { (extra: [String: String]) throws -> (Int32, [String: Any], String) in
            let result = try runProgram(self.binary, ["status", "--json"], environment: volatile.merging(extra) { $1 },
                                        currentDirectory: FileManager.default.temporaryDirectory)
            let report = (try? JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any]) ?? [:]
            return (result.status, report, result.stdout + result.stderr)
        }
        XCTAssertTrue(ChildProcess.eventually(timeout: 15) { ((try? status([:]))?.1["workers_alive"] as? Int) == 1 }, logs)
        var (exit, report, output) = try status([:])
        XCTAssertEqual(exit, 1, output)
        let problems = report["problems"] as? [String] ?? []
        XCTAssertEqual(problems.count, 2, output)
        XCTAssertTrue(problems.contains { $0.contains("appendonly no") }, output)
        XCTAssertTrue(problems.contains { $0.contains("maxmemory-policy is allkeys-lru") }, output)
        XCTAssertEqual(report["redis_aof_enabled"] as? Bool, false)
        XCTAssertEqual(report["redis_maxmemory_policy"] as? String, "allkeys-lru")
        XCTAssertTrue(workers[0].stdout.contains("UPDATES CAN BE LOST: Redis has no append-only file"), workers[0].stdout)
        XCTAssertTrue(workers[0].stdout.contains("UPDATES CAN BE LOST: Redis maxmemory-policy is allkeys-lru"), workers[0].stdout)

        let text = try runProgram(binary, ["status"], environment: volatile, currentDirectory: FileManager.default.temporaryDirectory)
        XCTAssertEqual(text.status, 1)
        XCTAssertTrue(text.stdout.contains("problem: Redis maxmemory-policy is allkeys-lru"), text.stdout)

        (exit, report, output) = try status(["REDIS_ALLOW_VOLATILE": "1"])
        XCTAssertEqual(exit, 0, output)
        XCTAssertEqual(report["healthy"] as? Bool, true)
        XCTAssertEqual((report["warnings"] as? [String])?.count, 2, output)
    }

    /// `volatile-*` evicts keys with a time to live, and leases have one: unsafe too.
    /// Where CONFIG is renamed away, status says it could not check, and does not fail on it.
    func testStatusOnAVolatileTTLPolicyAndWithoutCONFIG() throws {
        var ttl = try environment
        ttl["REDIS_URL"] = try startRedis(["--appendonly", "yes", "--maxmemory-policy", "volatile-lru"])
        var result = try runProgram(binary, ["status", "--json"], environment: ttl, currentDirectory: FileManager.default.temporaryDirectory)
        XCTAssertEqual(result.status, 1)
        XCTAssertTrue(result.stdout.contains("maxmemory-policy is volatile-lru"), result.stdout)
        XCTAssertFalse(result.stdout.contains("appendonly"), result.stdout)

        var hidden = try environment
        hidden["REDIS_URL"] = try startRedis(["--appendonly", "yes", "--rename-command", "CONFIG", ""])
        try startWorker(hidden, concurrency: 1)
        XCTAssertTrue(ChildProcess.eventually(timeout: 15) {
            (try? runProgram(self.binary, ["status", "--json"], environment: hidden, currentDirectory: FileManager.default.temporaryDirectory))?.status == 0
        }, logs)
        result = try runProgram(binary, ["status", "--json"], environment: hidden, currentDirectory: FileManager.default.temporaryDirectory)
        let report = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any], result.stdout)
        XCTAssertEqual(report["redis_maxmemory_policy"] as? String, "unknown")
        XCTAssertEqual(report["redis_aof_enabled"] as? Bool, true)
        let warnings = report["warnings"] as? [String] ?? []
        XCTAssertTrue(warnings.contains { $0.hasPrefix("could not check Redis durability: cannot read maxmemory-policy") }, "\(report)")
        XCTAssertTrue(workers[0].stdout.contains("cannot check Redis's durability settings"), workers[0].stdout)
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

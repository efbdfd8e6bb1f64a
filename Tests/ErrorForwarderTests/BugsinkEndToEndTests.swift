import BotTestSupport
import DevSupport
import Foundation
import HTTP
import Postgres
import Redis
import Sandbox
import TestSupport
import XCTest

extension BugsinkServer {
    /// One of its own for a test, its data under .local/bugsink.
    convenience init() throws {
        let scripts = URL(fileURLWithPath: try TestServices.variable("BOOKINGBOT_SERVICES")).deletingLastPathComponent()
        try self.init(script: scripts.appendingPathComponent("bugsink").path,
                      state: scripts.deletingLastPathComponent().appendingPathComponent(".local/bugsink/test-\(UUID().uuidString.prefix(8))").path)
    }
}

/// Issue 7's acceptance against a real Bugsink: every process's errors arrive, with what
/// Sentry needs; an outage loses nothing and doubles nothing; a wrong key is dropped.
final class BugsinkEndToEndTests: BotTestCase {
    private var bugsink: BugsinkServer!

    override func setUpWithError() throws {
        try super.setUpWithError()
        bugsink = try BugsinkServer()
    }

    override func tearDown() {
        bugsink?.stop()
        super.tearDown()
    }

    private var redis: RedisConnection { get throws { try TestServices.redisConnection() } }

    /// Event ids the forwarder delivered, and what became of each, from its fate keys.
    private func fates() throws -> [String: String] {
        let redis = try self.redis
        let keys = try redis.command("KEYS", "{\(prefix)}:errors:fate:*").array?.compactMap(\.string) ?? []
        var fates: [String: String] = [:]
        for key in keys { fates[String(key.split(separator: ":").last!)] = try redis.command("GET", key).string }
        return fates
    }

    private func errorsInRedis() throws -> Int {
        let redis = try self.redis
        return Int(try redis.command("LLEN", "{\(prefix)}:errors").int ?? 0) + Int(try redis.command("LLEN", "{\(prefix)}:errors:sending").int ?? 0)
    }

    private func failConversationsOf(_ chats: ClosedRange<Int64>) throws {
        let db = try database.connect()
        try db.query("CREATE FUNCTION fail_for_test() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'injected failure'; END $$")
        try db.query("""
            CREATE TRIGGER fail_for_test BEFORE INSERT OR UPDATE ON conversations FOR EACH ROW
            WHEN (NEW.chat_id BETWEEN \(chats.lowerBound) AND \(chats.upperBound)) EXECUTE FUNCTION fail_for_test()
            """)
    }

    private func startForwarder(dsn: String) throws -> ChildProcess {
        let forwarder = try ChildProcess(binary, ["errors"], environment: try environment.merging(["SENTRY_DSN": dsn, "SENTRY_ENVIRONMENT": "e2e"]) { $1 },
                                         currentDirectory: FileManager.default.temporaryDirectory)
        processes.append(forwarder)
        return forwarder
    }

    func testErrorsOfTheWorkerIngressAndRemindersArriveWithWhatSentryNeeds() throws {
        let sentry = ["SENTRY_DSN": bugsink.dsn, "SENTRY_ENVIRONMENT": "e2e"]
        try failConversationsOf(7001...7001)
        try startBot(sentry)
        try startReminders(sentry)
        let forwarder = try startForwarder(dsn: bugsink.dsn)
        // Worker: a handler error. Ingress: Telegram fails its polling. Reminders: a round fails.
        user(7001, "Ivan", language: "en")
        _ = try sandbox.sendText("/help", from: 7001)
        sandbox.injectServerErrors(calls: 1)
        try database.connect().query("""
            CREATE FUNCTION fail_round() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'injected round failure'; END $$
            """)
        try database.connect().query("CREATE TRIGGER fail_round BEFORE UPDATE ON bookings FOR EACH ROW EXECUTE FUNCTION fail_round()")
        try database.connect().query("INSERT INTO users (id, first_name) VALUES (7002, 'Past')")
        try database.connect().query("""
            INSERT INTO bookings (user_id, service_id, during, duration_minutes)
            VALUES (7002, $1, tstzrange(now() - interval '3 hours', now() - interval '2 hours', '[)'), 60)
            """, [.int(haircut)])

        var found: [String: [String: Any]] = [:]
        var lastInjection = Date()
        XCTAssertTrue(ChildProcess.eventually(timeout: 40) {
            // The failure meant for the poller may meet another caller first: again, until it lands.
            if Date().timeIntervalSince(lastInjection) > 1.5 {
                self.sandbox.injectServerErrors(calls: 1)
                lastInjection = Date()
            }
            for (eventID, fate) in (try? self.fates()) ?? [:] where fate == "sent" && found[eventID] == nil {
                if let event = try? self.bugsink.event(eventID) { found[eventID] = event }
            }
            let processes = Set(found.values.compactMap { ($0["tags"] as? [String: Any])?["process"] as? String })
            return processes.isSuperset(of: ["worker", "ingress", "reminders"])
        }, "events seen: \(found.values.map { ($0["tags"] as? [String: Any])?["process"] ?? "?" })\n\(forwarder.stdout)\(forwarder.stderr)")
        for process in ["worker", "ingress", "reminders"] {
            let event = try XCTUnwrap(found.values.first {
                ($0["tags"] as? [String: Any])?["process"] as? String == process && $0["exception"] != nil
            }, "an exception event from \(process)")
            let exception = try XCTUnwrap(((event["exception"] as? [String: Any])?["values"] as? [[String: Any]])?.first)
            XCTAssertFalse((exception["type"] as? String ?? "").isEmpty, process)
            XCTAssertFalse((exception["value"] as? String ?? "").isEmpty, process)
            let frames = (exception["stacktrace"] as? [String: Any])?["frames"] as? [[String: Any]] ?? []
            XCTAssertFalse(frames.isEmpty, "\(process): frames")
            XCTAssertTrue((event["release"] as? String ?? "").hasPrefix("bookingbot@"), process)
            XCTAssertEqual(event["environment"] as? String, "e2e", process)
        }
        XCTAssertTrue(forwarder.stdout.contains("Sentry initialized: e2e environment"), forwarder.stdout)
    }

    func testAnOutageLosesNothingAndDoublesNothing() throws {
        let sentry = ["SENTRY_DSN": bugsink.dsn, "SENTRY_ENVIRONMENT": "e2e"]
        try failConversationsOf(7100...7119)
        try startBot(sentry)
        let forwarder = try startForwarder(dsn: bugsink.dsn)
        try bugsink.run("down")
        // Errors keep coming while Sentry is away; a healthy chat is answered meanwhile.
        for chat in Int64(7100)...7119 {
            user(chat, "U\(chat)", language: "en")
            _ = try sandbox.sendText("/help", from: chat)
        }
        user(7200, "Fine", language: "en")
        let started = Date()
        let transcript = try say("/help", from: 7200, thenBotMessages: 1)
        print("reply while Sentry is down: \(Int(Date().timeIntervalSince(started) * 1000)) ms")
        XCTAssertEqual(transcript.botMessages.count, 1)
        XCTAssertTrue(ChildProcess.eventually(timeout: 20) { ((try? self.errorsInRedis()) ?? 0) >= 20 }, "events wait in Redis")
        XCTAssertEqual(try fates().filter { $0.value == "sent" }.count, 0)
        Thread.sleep(forTimeInterval: 5)  // the forwarder backs off meanwhile
        try bugsink.run("up")
        XCTAssertTrue(ChildProcess.eventually(timeout: 90) { ((try? self.errorsInRedis()) ?? 1) == 0 }, forwarder.stdout + forwarder.stderr)
        // The failing chats would go on retrying (and reporting): stop them, then let the
        // last events through before counting.
        workers.forEach { $0.signal(SIGKILL) }
        workers.forEach { _ = $0.wait() }
        XCTAssertTrue(ChildProcess.eventually(timeout: 30) { ((try? self.errorsInRedis()) ?? 1) == 0 }, forwarder.stdout + forwarder.stderr)
        let delivered = try fates()
        XCTAssertTrue(delivered.values.allSatisfy { $0 == "sent" }, "\(delivered)")
        for eventID in delivered.keys { XCTAssertNotNil(try bugsink.event(eventID), eventID) }
        XCTAssertEqual(try bugsink.storedEventCount(), delivered.count, "each event stored once")
        XCTAssertEqual(Int(try redis.command("HGET", "{\(prefix)}:stats:sentry", "sent").string ?? "0"), delivered.count)
    }

    func testAWrongKeyIsDroppedCountedAndTheForwarderGoesOn() throws {
        let wrong = bugsink.dsn.replacingOccurrences(of: #"//[0-9a-f]{32}@"#, with: "//00000000000000000000000000000000@", options: .regularExpression)
        XCTAssertNotEqual(wrong, bugsink.dsn)
        let forwarder = try startForwarder(dsn: wrong)
        for _ in 0..<2 {
            let result = try runProgram(binary, ["errors", "test", "--timeout", "20"],
                                        environment: try environment.merging(["SENTRY_DSN": wrong]) { $1 })
            XCTAssertEqual(result.status, 1, result.stdout + result.stderr)
            XCTAssertTrue(result.stdout.contains("not delivered: dropped:send_error"), result.stdout)
        }
        XCTAssertEqual(Int(try redis.command("HGET", "{\(prefix)}:stats:sentry", "dropped:send_error").string ?? "0"), 2)
        XCTAssertEqual(try errorsInRedis(), 0, "dropped for good, not retried")
        XCTAssertTrue(forwarder.stdout.contains("Sentry refused an event"), forwarder.stdout)
        // With the right key the same path delivers.
        forwarder.signal(SIGTERM)
        XCTAssertEqual(forwarder.wait().status, 0)
        _ = try startForwarder(dsn: bugsink.dsn)
        let result = try runProgram(binary, ["errors", "test", "--timeout", "20"], environment: try environment.merging(["SENTRY_DSN": bugsink.dsn]) { $1 })
        XCTAssertEqual(result.status, 0, result.stdout + result.stderr)
        let eventID = try XCTUnwrap(result.stdout.split(separator: "\n").first.map(String.init))
        XCTAssertNotNil(try bugsink.event(eventID), "the test event is in Bugsink")
    }
}

@testable import ErrorCapture
import Foundation
import Keys
import Observability
import Redis
import TestSupport
import XCTest

private enum SampleError: Error {
    case boom(code: Int)
    case leaky(String)
}

/// Against the real Redis that scripts/test starts; each test has a key prefix of its own.
final class ErrorReporterTests: XCTestCase {
    private var redis: RedisConnection!
    private var prefix = ""
    private let context = EventContext(process: "worker", version: "1.2.3", gitSHA: "abc1234", environment: "test",
                                       tags: ["worker": "host-1-7"])

    override func setUpWithError() throws {
        redis = try TestServices.redisConnection()
        prefix = "test:\(UUID().uuidString)"
    }

    override func tearDownWithError() throws {
        try redis?.command("DEL", RedisKeys(prefix: prefix).errors, RedisKeys(prefix: prefix).statsSentry)
    }

    private func reporter(maxQueue: Int = 10_000, scrubber: SecretScrubber = SecretScrubber(),
                          pauseAfterFailure: TimeInterval = 1) throws -> ErrorReporter {
        let server = try TestServices.redis()
        return ErrorReporter(endpoint: RedisEndpoint(host: server.host, port: server.port, password: server.password),
                             prefix: prefix, context: context, maxQueue: maxQueue,
                             options: TestServices.patientReporterOptions, pauseAfterFailure: pauseAfterFailure, scrubber: scrubber)
    }

    /// The list's events as JSON objects, newest first.
    private func pushedEvents() throws -> [[String: Any]] {
        let items = try redis.command("LRANGE", RedisKeys(prefix: prefix).errors, 0, -1).array ?? []
        return try items.map { item in
            let data = try XCTUnwrap(item.data)
            return try XCTUnwrap(JSONSerialization.jsonObject(with: data) as? [String: Any])
        }
    }

    private func pushedText() throws -> String {
        let items = try redis.command("LRANGE", RedisKeys(prefix: prefix).errors, 0, -1).array ?? []
        return items.compactMap(\.string).joined(separator: "\n")
    }

    // MARK: Event shape

    func testAnErrorBecomesASentryExceptionEvent() throws {
        let error = SampleError.boom(code: 7)
        let crumb = Breadcrumb(message: "claimed chat 42", category: "queue", timestamp: Date(timeIntervalSince1970: 1_700_000_000))
        let id = try XCTUnwrap(try reporter().capture(error, tags: ["update_type": "callback_query"], breadcrumbs: [crumb]))

        let events = try pushedEvents()
        XCTAssertEqual(events.count, 1)
        let event = try XCTUnwrap(events.first)
        XCTAssertEqual(event["event_id"] as? String, id)
        XCTAssertNotNil(id.wholeMatch(of: /[0-9a-f]{32}/), id)
        XCTAssertEqual(event["level"] as? String, "error")
        XCTAssertEqual(event["platform"] as? String, "other")
        XCTAssertEqual(event["logger"] as? String, "worker")
        XCTAssertEqual(event["release"] as? String, "bookingbot@1.2.3+abc1234")
        XCTAssertEqual(event["environment"] as? String, "test")
        XCTAssertEqual(event["server_name"] as? String, ProcessInfo.processInfo.hostName)
        XCTAssertEqual(event["tags"] as? [String: String],
                       ["process": "worker", "worker": "host-1-7", "update_type": "callback_query"])
        let timestamp = try XCTUnwrap(event["timestamp"] as? String)
        XCTAssertNotNil(timestamp.wholeMatch(of: /\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z/), timestamp)
        XCTAssertNil(event["message"])

        let exception = try XCTUnwrap((event["exception"] as? [String: Any])?["values"] as? [[String: Any]])
        XCTAssertEqual(exception.count, 1)
        // A private type's name, without the build-specific address Swift puts in it.
        XCTAssertEqual(exception[0]["type"] as? String, "ErrorCaptureTests.SampleError")
        XCTAssertEqual(exception[0]["value"] as? String, String(describing: error))
        let frames = try XCTUnwrap((exception[0]["stacktrace"] as? [String: Any])?["frames"] as? [[String: Any]])
        XCTAssertFalse(frames.isEmpty)
        for frame in frames {
            XCTAssertFalse((frame["function"] as? String ?? "").isEmpty, "\(frame)")
        }
        // The capture's own frames are left out (StackFrameTests checks exactly).
        XCTAssertLessThan(frames.count, Thread.callStackSymbols.count)

        let crumbs = try XCTUnwrap((event["breadcrumbs"] as? [String: Any])?["values"] as? [[String: Any]])
        XCTAssertEqual(crumbs.count, 1)
        XCTAssertEqual(crumbs[0]["message"] as? String, "claimed chat 42")
        XCTAssertEqual(crumbs[0]["category"] as? String, "queue")
        XCTAssertEqual(crumbs[0]["level"] as? String, "info")
        XCTAssertEqual(crumbs[0]["timestamp"] as? String, "2023-11-14T22:13:20.000Z")
    }

    func testTheFramesAreTheCallersStack() throws {
        let reporter = try reporter()
        let here = Thread.callStackSymbols
        let id = reporter.capture(SampleError.boom(code: 3))
        XCTAssertNotNil(id)
        let event = try XCTUnwrap(try pushedEvents().first)
        let exception = try XCTUnwrap((event["exception"] as? [String: Any])?["values"] as? [[String: Any]])
        let frames = try XCTUnwrap((exception.first?["stacktrace"] as? [String: Any])?["frames"] as? [[String: Any]])
        let parsed = frames.map { frame in
            StackFrame(function: frame["function"] as? String ?? "", package: frame["package"] as? String,
                       instructionAddress: frame["instruction_addr"] as? String)
        }
        StackFrameTests.assertCallersOnly(parsed, here: here)
    }

    func testAMessageEventHasAMessageAndNoException() throws {
        let id = try XCTUnwrap(try reporter().capture(message: "outbox row stuck", level: .fatal, tags: ["update_type": "message"]))
        let event = try XCTUnwrap(try pushedEvents().first)
        XCTAssertEqual(event["event_id"] as? String, id)
        XCTAssertEqual(event["level"] as? String, "fatal")
        XCTAssertEqual((event["message"] as? [String: Any])?["formatted"] as? String, "outbox row stuck")
        XCTAssertNil(event["exception"])
        XCTAssertNil(event["breadcrumbs"])
        XCTAssertEqual((event["tags"] as? [String: String])?["update_type"], "message")
    }

    func testEveryCaptureHasItsOwnEventID() throws {
        let reporter = try reporter()
        let ids = (0..<20).compactMap { _ in reporter.capture(message: "again") }
        XCTAssertEqual(Set(ids).count, 20)
    }

    func testAPushedEventIsMarkedQueuedUntilTheForwarderSettlesIt() throws {
        let id = try XCTUnwrap(try reporter().capture(message: "followed to its end"))
        let fate = RedisKeys(prefix: prefix).errorFate(id)
        defer { _ = try? redis.command("DEL", fate) }
        XCTAssertEqual(try redis.command("GET", fate).string, "queued")
        let ttl = try XCTUnwrap(try redis.command("TTL", fate).int)
        XCTAssertTrue((3500...3600).contains(ttl), "an hour, like the forwarder's fates: \(ttl)")
    }

    // MARK: The cap

    func testTheListIsTrimmedToTheCapNewestFirst() throws {
        let cap = 7
        let reporter = try reporter(maxQueue: cap)
        var ids: [String] = []
        for code in 0..<(cap + 5) {
            ids.append(try XCTUnwrap(reporter.capture(SampleError.boom(code: code))))
        }
        XCTAssertEqual(try redis.command("LLEN", RedisKeys(prefix: prefix).errors).int, Int64(cap))
        let listed = try pushedEvents().compactMap { $0["event_id"] as? String }
        XCTAssertEqual(listed, Array(ids.suffix(cap).reversed()))
        XCTAssertEqual(reporter.dropped, 0)
        // The trimmed ones are counted where /metrics reads the forwarder's drops.
        XCTAssertEqual(try redis.command("HGET", RedisKeys(prefix: prefix).statsSentry, "dropped:queue_overflow").string, "5")
    }

    // MARK: Secrets

    func testSecretsInAnErrorNeverReachThePushedJSON() throws {
        let token = "123456:ABC-DEF1234ghIkl-zyx57W2v1u123ew11"
        let dsn = "https://public:secret@sentry.example/1"
        let database = "postgresql://bookingbot:pg-pass-9f8e7d@db.internal:5432/bookingbot"
        let error = SampleError.leaky("GET https://api.telegram.org/bot\(token)/getMe failed; dsn \(dsn); db \(database)")
        // A fresh scrubber: the patterns alone must catch these (nothing registered).
        XCTAssertNotNil(try reporter().capture(error, tags: ["url": dsn]))

        let text = try pushedText()
        XCTAssertFalse(text.isEmpty)
        for secret in ["ABC-DEF1234ghIkl-zyx57W2v1u123ew11", "secret@", ":secret", "pg-pass-9f8e7d"] {
            XCTAssertFalse(text.contains(secret), "\(secret) leaked: \(text)")
        }
        // What is not secret stays readable.
        XCTAssertTrue(text.contains("123456:***"), text)
        XCTAssertTrue(text.contains("public:***@sentry.example"), text)
    }

    func testRegisteredSecretsAreMaskedInEveryField() throws {
        let scrubber = SecretScrubber()
        scrubber.register(["hunter2-registered"])
        XCTAssertNotNil(try reporter(scrubber: scrubber).capture(
            SampleError.leaky("hunter2-registered"), tags: ["hunter2-registered": "hunter2-registered"],
            breadcrumbs: [Breadcrumb(message: "with hunter2-registered", category: "hunter2-registered")]))
        let text = try pushedText()
        XCTAssertFalse(text.contains("hunter2"), text)
        XCTAssertTrue(text.contains("***"), text)
    }

    // MARK: Redis unreachable

    func testUnreachableRedisDropsAndCountsWithoutWaiting() throws {
        let reporter = ErrorReporter(endpoint: RedisEndpoint(host: "127.0.0.1", port: unusedLoopbackPort()),
                                     prefix: prefix, context: context)
        let started = Date()
        XCTAssertNil(reporter.capture(SampleError.boom(code: 1)))
        XCTAssertEqual(reporter.dropped, 1)
        XCTAssertNil(reporter.capture(message: "still down"))
        XCTAssertEqual(reporter.dropped, 2)
        XCTAssertLessThan(Date().timeIntervalSince(started), 5, "a capture must not wait on Redis")
    }

    func testAReporterResumesWhenRedisComesBack() throws {
        let reporter = try reporter(pauseAfterFailure: 0)
        XCTAssertNotNil(reporter.capture(message: "before"))
        try TestServices.redis("down")
        defer { try? TestServices.redis("up") }
        XCTAssertNil(reporter.capture(message: "during"))
        XCTAssertEqual(reporter.dropped, 1)
        try TestServices.redis("up")
        redis = try TestServices.redisConnection()
        XCTAssertNotNil(reporter.capture(message: "after"))
        XCTAssertEqual(reporter.dropped, 1)
        let messages = try pushedEvents().compactMap { ($0["message"] as? [String: Any])?["formatted"] as? String }
        XCTAssertEqual(messages, ["after", "before"])
    }
}

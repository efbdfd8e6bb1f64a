import ErrorCapture
@testable import ErrorForwarder
import Foundation
import Logging
import Redis
import TestSupport
import XCTest

/// The forwarder against a scripted loopback Sentry and the real Redis.
final class ErrorForwarderTests: XCTestCase {
    private var prefix = ""
    private var redis: RedisConnection!
    private var sentry: FakeSentry!
    private var forwarder: ErrorForwarder?

    override func setUpWithError() throws {
        prefix = "fwd-\(UUID().uuidString.prefix(8))"
        redis = try TestServices.redisConnection()
        sentry = FakeSentry()
    }

    override func tearDown() {
        forwarder?.stop(flush: 0)
    }

    private var list: String { "{\(prefix)}:errors" }

    private func reporter() throws -> ErrorReporter {
        let (host, port, password) = try TestServices.redis()
        return ErrorReporter(endpoint: RedisEndpoint(host: host, port: port, password: password), prefix: prefix,
                             context: EventContext(process: "test", version: "0.0.1", gitSHA: "abc", environment: "test"),
                             options: TestServices.patientReporterOptions)
    }

    /// Captures `count` events; returns their ids, oldest first.
    private func capture(_ count: Int) throws -> [String] {
        let reporter = try reporter()
        return try (0..<count).map { _ in try XCTUnwrap(reporter.capture(message: "something broke", level: .error)) }
    }

    private func startForwarder() throws {
        let (host, port, password) = try TestServices.redis()
        var settings = ErrorForwarder.Settings(redis: RedisEndpoint(host: host, port: port, password: password), prefix: prefix,
                                               dsn: try XCTUnwrap(SentryDSN(sentry.dsn)))
        settings.idleWait = 0.05
        settings.maxBackoff = 0.5
        let forwarder = ErrorForwarder(settings: settings, logger: Logger(label: "forwarder"))
        forwarder.start()
        self.forwarder = forwarder
    }

    private func waitFor(_ what: String, timeout: TimeInterval = 10, _ condition: () throws -> Bool) throws {
        XCTAssertTrue(ChildProcess.eventually(timeout: timeout) { (try? condition()) ?? false }, what)
    }

    private func stat(_ field: String) throws -> Int {
        Int(try redis.command("HGET", "{\(prefix)}:stats:sentry", field).string ?? "0") ?? 0
    }

    private func inRedis() throws -> Int {
        Int(try redis.command("LLEN", list).int ?? 0) + Int(try redis.command("LLEN", "\(list):sending").int ?? 0)
    }

    func testEventsGoOutGzippedWithTheKeyOldestFirstAndLeaveRedis() throws {
        let ids = try capture(3)
        try startForwarder()
        try waitFor("three envelopes") { sentry.received.count == 3 }
        XCTAssertEqual(sentry.received.map(\.eventID), ids.map { Optional($0) })
        let first = sentry.received[0]
        XCTAssertEqual(first.encoding, "gzip")
        XCTAssertTrue(first.auth?.contains("sentry_key=publickey") == true && first.auth?.contains("sentry_version=7") == true)
        XCTAssertTrue(first.lines[1].contains("\"type\":\"event\""), first.lines[1])
        let event = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(first.lines[2].utf8)) as? [String: Any])
        XCTAssertEqual(event["event_id"] as? String, ids[0])
        try waitFor("the events left Redis, counted") { try inRedis() == 0 && stat("sent") == 3 }
        XCTAssertEqual(try redis.command("GET", "{\(prefix)}:errors:fate:\(ids[1])").string, "sent")
    }

    func testAWrongKeyDropsTheEventCountsItAndReportsItAndTheForwarderGoesOn() throws {
        sentry.answer(.init(status: 403))
        let ids = try capture(2)
        try startForwarder()
        try waitFor("both posted") { sentry.received.count == 2 }
        XCTAssertEqual(sentry.received.map(\.eventID), ids.map { Optional($0) }, "a refused event is not posted again")
        XCTAssertEqual(sentry.received[1].discarded, ["send_error": 1], "the next envelope tells Sentry of the drop")
        try waitFor("counted") { try stat("dropped:send_error") == 1 && stat("sent") == 1 }
        XCTAssertEqual(try redis.command("GET", "{\(prefix)}:errors:fate:\(ids[0])").string, "dropped:send_error")
        XCTAssertEqual(try inRedis(), 0)
    }

    func testA429IsNotRetriedAndNothingIsPostedBeforeItsRetryAfter() throws {
        sentry.answer(.init(status: 429, headers: ["Retry-After": "2"]))
        let ids = try capture(3)
        try startForwarder()
        try waitFor("the rest after the wait", timeout: 15) { sentry.received.count == 3 }
        let received = sentry.received
        XCTAssertEqual(received.map(\.eventID), ids.map { Optional($0) }, "the 429'd event is dropped, the others wait and go")
        XCTAssertGreaterThanOrEqual(received[1].at.timeIntervalSince(received[0].at), 1.95, "no request before Retry-After")
        XCTAssertEqual(received[1].discarded, ["ratelimit_backoff": 1])
        try waitFor("counted") { try stat("dropped:ratelimit_backoff") == 1 }
    }

    func testRateLimitHeadersOnASuccessHoldTheirCategory() throws {
        sentry.answer(.init(status: 200, headers: ["X-Sentry-Rate-Limits": "2:error;transaction:key, 1::organization"]))
        _ = try capture(2)
        try startForwarder()
        try waitFor("both delivered", timeout: 15) { sentry.received.count == 2 }
        XCTAssertGreaterThanOrEqual(sentry.received[1].at.timeIntervalSince(sentry.received[0].at), 1.95)
        // The count is settled just after the post is answered.
        try waitFor("both counted as sent (held back, not dropped)") { try stat("sent") == 2 }
        XCTAssertEqual(try stat("dropped:ratelimit_backoff"), 0)
    }

    func testServerErrorsAreRetriedUntilTheEventIsTakenOnce() throws {
        sentry.answer(.init(status: 503), .init(status: 502))
        let ids = try capture(1)
        try startForwarder()
        try waitFor("delivered after two failures") { try stat("sent") == 1 }
        XCTAssertEqual(sentry.received.map(\.eventID), Array(repeating: ids[0], count: 3))
        XCTAssertEqual(try inRedis(), 0)
    }

    func testEventsADeadForwarderWasSendingAreSentByTheNextOne() throws {
        let ids = try capture(2)
        // As a forwarder killed mid-post leaves them.
        _ = try redis.command("LMOVE", list, "\(list):sending", "RIGHT", "LEFT")
        try startForwarder()
        try waitFor("both delivered") { try stat("sent") == 2 }
        XCTAssertEqual(Set(sentry.received.compactMap(\.eventID)), Set(ids))
        XCTAssertEqual(try inRedis(), 0)
    }

    func testTracesGoAsTransactionsAndAreDroppedWhileTheirCategoryIsLimited() throws {
        let reporter = try reporter()
        let context = reporter.context
        func trace() -> TransactionEvent {
            TransactionEvent(name: "update message", start: Date(), end: Date(), spans: [TraceSpan(op: "db.transaction", start: Date(), end: Date())],
                             context: context)
        }
        // error, trace, trace, error; the first answer limits transactions only.
        sentry.answer(.init(status: 200, headers: ["X-Sentry-Rate-Limits": "30:transaction:key"]))
        let first = try XCTUnwrap(reporter.capture(message: "one", level: .error))
        _ = try XCTUnwrap(reporter.push(trace()))
        _ = try XCTUnwrap(reporter.push(trace()))
        let last = try XCTUnwrap(reporter.capture(message: "two", level: .error))
        try startForwarder()
        try waitFor("the errors delivered, the traces dropped") { try stat("sent") == 2 && stat("dropped:ratelimit_backoff") == 2 }
        XCTAssertEqual(sentry.received.map(\.eventID), [first, last])
        XCTAssertTrue(sentry.received[1].lines.contains { $0.contains(#""category":"transaction""#) && $0.contains(#""quantity":2"#) },
                      sentry.received[1].lines.joined(separator: "\n"))
    }

    func testATraceIsPostedAsATransactionItem() throws {
        let reporter = try reporter()
        let span = TraceSpan(op: "telegram.send", start: Date(timeIntervalSince1970: 10), end: Date(timeIntervalSince1970: 11))
        let id = try XCTUnwrap(reporter.push(TransactionEvent(name: "update message", start: Date(timeIntervalSince1970: 9),
                                                              end: Date(timeIntervalSince1970: 12), spans: [span], context: reporter.context)))
        try startForwarder()
        try waitFor("posted") { sentry.received.count == 1 }
        let envelope = sentry.received[0]
        XCTAssertEqual(envelope.eventID, id)
        XCTAssertTrue(envelope.lines[1].contains(#""type":"transaction""#), envelope.lines[1])
        let payload = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(envelope.lines[2].utf8)) as? [String: Any])
        XCTAssertEqual(payload["transaction"] as? String, "update message")
        XCTAssertEqual((payload["spans"] as? [[String: Any]])?.first?["op"] as? String, "telegram.send")
        XCTAssertNotNil((payload["contexts"] as? [String: Any])?["trace"])
    }

    func testTheEnvelopeFormat() throws {
        let event = Data(#"{"event_id":"abc"}"#.utf8)
        let body = String(decoding: Envelope.make(event: event, eventID: "abc", discarded: [Discard(reason: .sendError, category: "error"): 2],
                                                        now: Date(timeIntervalSince1970: 0)),
                          as: UTF8.self)
        let lines = body.split(separator: "\n").map(String.init)
        XCTAssertEqual(lines.count, 5)
        XCTAssertEqual(lines[0], #"{"event_id":"abc","sent_at":"1970-01-01T00:00:00.000Z"}"#)
        XCTAssertEqual(lines[1], #"{"content_type":"application\/json","length":18,"type":"event"}"#)
        XCTAssertEqual(lines[2], #"{"event_id":"abc"}"#)
        XCTAssertTrue(lines[3].contains("client_report"))
        XCTAssertTrue(lines[4].contains(#""reason":"send_error""#) && lines[4].contains(#""quantity":2"#), lines[4])
    }

    func testDSNs() throws {
        let dsn = try XCTUnwrap(SentryDSN("https://abc123@o1.ingest.example.com/4505"))
        XCTAssertEqual(dsn.envelopeURL, "https://o1.ingest.example.com/api/4505/envelope/")
        XCTAssertEqual(dsn.redacted, "https://***@o1.ingest.example.com/4505")
        XCTAssertEqual(SentryDSN("http://k@127.0.0.1:9000/sentry/7")?.envelopeURL, "http://127.0.0.1:9000/sentry/api/7/envelope/")
        for bad in ["", "not a dsn", "https://example.com/1", "ftp://k@h/1", "https://k@h/"] {
            XCTAssertNil(SentryDSN(bad), bad)
        }
    }
}

import Foundation
import HTTP
import Queue
import Redis
import TestSupport
import XCTest

/// `bookingbot ingress --webhook` as a real process against the real Redis.
final class WebhookIngressTests: XCTestCase {
    private var ingress: ChildProcess!
    private var port = 0
    private var prefix = ""
    private let secret = "webhook-secret-for-tests"
    private let client = HTTPClient(options: HTTPOptions(totalTimeout: 5))

    override func setUpWithError() throws {
        prefix = "ingress-\(UUID().uuidString.prefix(8))"
        port = unusedLoopbackPort()
        ingress = try startIngress()
    }

    override func tearDown() {
        ingress?.signal(SIGKILL)
        ingress = nil
        try? TestServices.redis("up")
    }

    private func startIngress() throws -> ChildProcess {
        let child = try ChildProcess(productsDirectory.appendingPathComponent("bookingbot").path,
                                     ["ingress", "--webhook", "--port", "\(port)", "--host", "127.0.0.1"],
                                     environment: [
                                        "REDIS_URL": try TestServices.variable("REDIS_URL"),
                                        "DATABASE_URL": "postgresql://unused:unused@127.0.0.1:1/unused",
                                        "REDIS_PREFIX": prefix, "WEBHOOK_SECRET": secret, "PATH": "/usr/bin:/bin",
                                     ], currentDirectory: FileManager.default.temporaryDirectory)
        XCTAssertTrue(ChildProcess.eventually { (try? self.client.get(self.url("/healthz")).status) == 200 },
                      "ingress did not come up: \(child.stdout) \(child.stderr)")
        return child
    }

    private func url(_ path: String) -> String { "http://127.0.0.1:\(port)\(path)" }

    private func post(_ body: Data, secret: String? = nil) throws -> Int {
        try client.send(HTTPRequest(method: "POST", url: url("/telegram"),
                                    headers: [(name: "X-Telegram-Bot-Api-Secret-Token", value: secret ?? self.secret)],
                                    body: .data(body, contentType: "application/json"))).status
    }

    private func update(_ id: Int, chat: Int64 = 42) -> Data {
        Data(#"{"update_id":\#(id),"message":{"message_id":\#(id),"date":1790000000,"chat":{"id":\#(chat),"type":"private"},"from":{"id":\#(chat),"is_bot":false,"first_name":"A"},"text":"hi","brand_new_field":{"x":1}}}"#.utf8)
    }

    private func queued(chat: Int64) throws -> [Data] {
        // The raw updates, without the queue's header (update id and arrival).
        try TestServices.redisConnection().command("LRANGE", "{\(prefix)}:in:\(chat)", 0, -1).array?.compactMap(\.data)
            .map { QueuedUpdate(entry: $0, handouts: 0).payload } ?? []
    }

    func testAnUpdateIsAnsweredOnlyOnceQueuedAndAResendIsQueuedOnce() throws {
        XCTAssertEqual(try post(update(1)), 200)
        XCTAssertEqual(try queued(chat: 42), [update(1)], "stored byte for byte, unknown fields and all")
        XCTAssertEqual(try post(update(1)), 200, "Telegram re-sending gets its 200")
        XCTAssertEqual(try post(update(2)), 200)
        XCTAssertEqual(try queued(chat: 42), [update(1), update(2)])
        let claim = try ChatQueue(redis: TestServices.redisConnection(), prefix: prefix).claim(worker: "t", lease: 30)
        XCTAssertEqual(claim?.chat, 42)
    }

    func testUpdatesWithoutAChatAreOrderedBySender() throws {
        let callback = Data(#"{"update_id":5,"callback_query":{"id":"q","from":{"id":77,"is_bot":false,"first_name":"B"},"chat_instance":"c","data":"x"}}"#.utf8)
        XCTAssertEqual(try post(callback), 200)
        XCTAssertEqual(try queued(chat: 77).count, 1)
    }

    func testAWrongSecretIsRefusedAndNothingIsQueued() throws {
        XCTAssertEqual(try post(update(3), secret: "wrong"), 401)
        XCTAssertEqual(try post(update(3), secret: ""), 401)
        XCTAssertEqual(try queued(chat: 42), [])
    }

    func testBadBodiesAreRefusedLoggedAndIngressKeepsServing() throws {
        XCTAssertEqual(try post(Data("not json at all".utf8)), 400)
        XCTAssertEqual(try post(Data("[1,2,3]".utf8)), 400)
        XCTAssertEqual(try post(Data(#"{"no_update_id":true}"#.utf8)), 400)
        XCTAssertEqual(try post(Data(#"{"update_id":"seven"}"#.utf8)), 400)
        var huge = Data(#"{"update_id":9,"message":{"text":""#.utf8)
        huge.append(Data(repeating: UInt8(ascii: "a"), count: 2 << 20))
        huge.append(Data(#""}}"#.utf8))
        XCTAssertEqual(try post(huge), 413)
        XCTAssertEqual(try queued(chat: 42), [])
        XCTAssertEqual(try client.get(url("/healthz")).status, 200)
        XCTAssertEqual(try post(update(10)), 200)
        XCTAssertTrue(ingress.stdout.contains("not an update"), ingress.stdout)
        let metrics = try client.get(url("/metrics")).text
        XCTAssertTrue(metrics.contains(#"bookingbot_ingress_events_total{outcome="not_json"} 2"#), metrics)
        XCTAssertTrue(metrics.contains(#"bookingbot_ingress_events_total{outcome="too_large"} 1"#), metrics)
        XCTAssertTrue(metrics.contains("bookingbot_queue_depth 1"), metrics)
    }

    func testWhileRedisIsDownTheWebhookAnswers503AndRecoversAfter() throws {
        XCTAssertEqual(try post(update(20)), 200)
        try TestServices.redis("down")
        XCTAssertEqual(try post(update(21)), 503, "Telegram keeps the update and re-sends it")
        XCTAssertEqual(try client.get(url("/healthz")).status, 503)
        try TestServices.redis("up")
        XCTAssertTrue(ChildProcess.eventually { (try? self.post(self.update(21))) == 200 })
        XCTAssertEqual(try queued(chat: 42).last, update(21))
        // Each pooled connection from before the restart fails once, then reconnects.
        XCTAssertTrue(ChildProcess.eventually { (try? self.client.get(self.url("/healthz")).status) == 200 })
    }

    func testSIGTERMStopsCleanly() throws {
        ingress.signal(SIGTERM)
        let result = ingress.wait()
        XCTAssertEqual(result.status, 0, result.stdout + result.stderr)
        XCTAssertTrue(result.stdout.contains("ingress stopped"), result.stdout)
    }

    func testSecretsNeverReachTheLog() throws {
        _ = try post(update(30), secret: "wrong")
        XCTAssertFalse(ingress.stdout.contains(secret))
        XCTAssertFalse(ingress.stdout.contains(try TestServices.redis().password ?? "nothing"))
    }
}

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
    private var adminPort = 0
    private var prefix = ""
    private let secret = "webhook-secret-for-tests"
    private let client = HTTPClient(options: HTTPOptions(totalTimeout: 5))

    override func setUpWithError() throws {
        prefix = "ingress-\(UUID().uuidString.prefix(8))"
        port = unusedLoopbackPort()
        adminPort = unusedLoopbackPort()
        ingress = try startIngress()
    }

    override func tearDown() {
        ingress?.signal(SIGKILL)
        ingress = nil
        try? TestServices.redis("up")
    }

    private var environment: [String: String] {
        get throws {
            ["REDIS_URL": try TestServices.variable("REDIS_URL"), "DATABASE_URL": "postgresql://unused:unused@127.0.0.1:1/unused",
             "REDIS_PREFIX": prefix, "WEBHOOK_SECRET": secret, "METRICS_PORT": "\(adminPort)", "PATH": "/usr/bin:/bin"]
        }
    }

    private func startIngress() throws -> ChildProcess {
        let child = try ChildProcess(productsDirectory.appendingPathComponent("bookingbot").path,
                                     ["ingress", "--webhook", "--port", "\(port)", "--host", "127.0.0.1"],
                                     environment: try environment, currentDirectory: FileManager.default.temporaryDirectory)
        XCTAssertTrue(ChildProcess.eventually { (try? self.client.get(self.admin("/healthz")).status) == 200 },
                      "ingress did not come up: \(child.stdout) \(child.stderr)")
        return child
    }

    private func url(_ path: String) -> String { "http://127.0.0.1:\(port)\(path)" }
    private func admin(_ path: String) -> String { "http://127.0.0.1:\(adminPort)\(path)" }

    /// `secret` nil sends no secret header at all.
    private func post(_ body: Data, secret: String?) throws -> Int {
        try client.send(HTTPRequest(method: "POST", url: url("/telegram"),
                                    headers: secret.map { [(name: "X-Telegram-Bot-Api-Secret-Token", value: $0)] } ?? [],
                                    body: .data(body, contentType: "application/json"))).status
    }

    private func post(_ body: Data) throws -> Int { try post(body, secret: secret) }

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

    func testAWrongOrMissingSecretIsRefusedAndNothingIsQueued() throws {
        XCTAssertEqual(try post(update(3), secret: "wrong"), 401)
        XCTAssertEqual(try post(update(3), secret: ""), 401)
        XCTAssertEqual(try post(update(3), secret: nil), 401, "no header at all")
        XCTAssertEqual(try post(update(3), secret: secret + "x"), 401)
        XCTAssertEqual(try post(update(3), secret: String(secret.dropLast())), 401)
        XCTAssertEqual(try queued(chat: 42), [])
        let metrics = try client.get(admin("/metrics")).text
        XCTAssertTrue(metrics.contains(#"bookingbot_ingress_events_total{outcome="unauthorized"} 5"#), metrics)
    }

    /// F3: a webhook without a secret would take forged updates from anyone who guesses the path.
    func testWebhookModeRefusesToStartWithoutASecret() throws {
        ingress.signal(SIGKILL)
        _ = ingress.wait()
        var environment = try environment
        environment["WEBHOOK_SECRET"] = nil
        let result = try runProgram(productsDirectory.appendingPathComponent("bookingbot").path,
                                    ["ingress", "--webhook", "--port", "\(port)", "--host", "127.0.0.1"],
                                    environment: environment, currentDirectory: FileManager.default.temporaryDirectory)
        XCTAssertEqual(result.status, 2, result.stdout + result.stderr)
        let lines = result.stderr.split(separator: "\n")
        XCTAssertEqual(lines.count, 1, result.stderr)
        XCTAssertTrue(lines.first?.hasPrefix("bookingbot ingress: config error: WEBHOOK_SECRET: ") == true, result.stderr)
        XCTAssertNil(try? client.get(url("/healthz")), "nothing listens")
    }

    /// The public port serves the webhook path alone; /healthz and /metrics are on the
    /// admin listener, which binds loopback by default.
    func testTheWebhookPortServesOnlyTheWebhook() throws {
        for path in ["/metrics", "/healthz", "/"] {
            XCTAssertEqual(try client.get(url(path)).status, 404, path)
        }
        XCTAssertEqual(try client.get(admin("/healthz")).status, 200)
        XCTAssertEqual(try client.get(admin("/metrics")).status, 200)
        XCTAssertEqual(try client.send(HTTPRequest(method: "POST", url: admin("/telegram"), headers: [("X-Telegram-Bot-Api-Secret-Token", secret)],
                                                   body: .data(update(4), contentType: "application/json"))).status, 404,
                       "the admin listener takes no updates")
        XCTAssertTrue(ingress.stdout.contains("admin listening"), ingress.stdout)
        XCTAssertEqual(try queued(chat: 42), [])
    }

    func testTheAdminPortMustDifferFromTheWebhookPort() throws {
        let result = try runProgram(productsDirectory.appendingPathComponent("bookingbot").path,
                                    ["ingress", "--webhook", "--port", "\(adminPort)", "--host", "127.0.0.1"],
                                    environment: try environment, currentDirectory: FileManager.default.temporaryDirectory)
        XCTAssertEqual(result.status, 2, result.stdout + result.stderr)
        XCTAssertTrue(result.stderr.hasPrefix("bookingbot ingress: config error: METRICS_PORT: "), result.stderr)
    }

    /// F10: a flood of scrapes shares one Redis read (cached about a second) on a
    /// connection of its own, so it cannot pile Redis work up ahead of webhook enqueues.
    func testAScrapeFloodCostsOneFiguresReadASecondAndEnqueuesGoOn() throws {
        let redis = try TestServices.redisConnection()
        // Each figures read is 5 HGETALLs; nothing else here sends one.
        let readsBefore = try Self.calls("hgetall", redis)
        let scrapes = Locked(0)
        let stop = Locked(false)
        let flood = DispatchGroup()
        let metricsURL = admin("/metrics")
        for _ in 0..<8 {
            DispatchQueue.global().async(group: flood) {
                let scraper = HTTPClient(options: HTTPOptions(totalTimeout: 5))
                while !stop.value {
                    if (try? scraper.get(metricsURL).status) == 200 { scrapes.update { $0 += 1 } }
                }
            }
        }
        let started = Date()
        for id in 100..<120 {
            XCTAssertEqual(try post(update(id)), 200)
            Thread.sleep(forTimeInterval: 0.1)
        }
        stop.value = true
        flood.wait()
        let seconds = Date().timeIntervalSince(started)
        let reads = (try Self.calls("hgetall", redis) - readsBefore) / 5
        XCTAssertGreaterThan(scrapes.value, 50, "the flood ran")
        XCTAssertLessThanOrEqual(Double(reads), seconds + 2, "\(scrapes.value) scrapes made \(reads) figures reads in \(seconds) s")
        XCTAssertEqual(try queued(chat: 42).count, 20)
    }

    private static func calls(_ command: String, _ redis: RedisConnection) throws -> Int {
        let info = try redis.command("INFO", "commandstats").string ?? ""
        guard let line = info.split(whereSeparator: \.isNewline).first(where: { $0.hasPrefix("cmdstat_\(command):") }),
              let field = line.split(separator: ",").first(where: { $0.contains("calls=") }) else { return 0 }
        return Int(field.split(separator: "=").last ?? "") ?? 0
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
        XCTAssertEqual(try client.get(admin("/healthz")).status, 200)
        XCTAssertEqual(try post(update(10)), 200)
        XCTAssertTrue(ingress.stdout.contains("not an update"), ingress.stdout)
        let metrics = try client.get(admin("/metrics")).text
        XCTAssertTrue(metrics.contains(#"bookingbot_ingress_events_total{outcome="not_json"} 2"#), metrics)
        XCTAssertTrue(metrics.contains(#"bookingbot_ingress_events_total{outcome="too_large"} 1"#), metrics)
        XCTAssertTrue(metrics.contains("bookingbot_queue_depth 1"), metrics)
    }

    func testWhileRedisIsDownTheWebhookAnswers503AndRecoversAfter() throws {
        XCTAssertEqual(try post(update(20)), 200)
        try TestServices.redis("down")
        XCTAssertEqual(try post(update(21)), 503, "Telegram keeps the update and re-sends it")
        XCTAssertEqual(try client.get(admin("/healthz")).status, 503)
        try TestServices.redis("up")
        XCTAssertTrue(ChildProcess.eventually { (try? self.post(self.update(21))) == 200 })
        XCTAssertEqual(try queued(chat: 42).last, update(21))
        // Each pooled connection from before the restart fails once, then reconnects.
        XCTAssertTrue(ChildProcess.eventually { (try? self.client.get(self.admin("/healthz")).status) == 200 })
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

/// A value threads share.
private final class Locked<Value: Sendable>: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: Value

    init(_ value: Value) { stored = value }

    var value: Value {
        get { lock.withLock { stored } }
        set { lock.withLock { stored = newValue } }
    }

    func update(_ change: (inout Value) -> Void) { lock.withLock { change(&stored) } }
}

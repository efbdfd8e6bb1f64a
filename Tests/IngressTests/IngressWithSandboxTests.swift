import Foundation
import HTTP
import Queue
import Redis
import Sandbox
import Telegram
import TestSupport
import XCTest

/// Ingress as a real process, fed by the Sandbox Bot API emulator: updates from
/// simulated users must each reach the queue exactly once, whatever is killed or stopped.
final class IngressWithSandboxTests: XCTestCase {
    private var sandbox: SandboxServer!
    private var prefix = ""
    private var processes: [ChildProcess] = []
    private let token = "123456:sandbox-token-for-ingress-tests"
    private let users: [Int64] = (1...10).map { 1000 + $0 }

    override func setUpWithError() throws {
        prefix = "sbx-\(UUID().uuidString.prefix(8))"
        sandbox = SandboxServer(options: SandboxOptions(token: token, webhookInitialBackoff: 0.05, webhookMaxBackoff: 0.3))
        try sandbox.start()
    }

    override func tearDown() {
        processes.forEach { $0.signal(SIGKILL) }
        processes = []
        sandbox?.stop()
        try? TestServices.redis("up")
    }

    // MARK: Helpers

    /// Polling: `--port` names the admin listener (polling has no other). Webhook: `--port`
    /// is the webhook's, and /healthz is on `--admin-port`.
    private func startIngress(_ mode: [String], port: Int = unusedLoopbackPort()) throws -> (ChildProcess, Int) {
        let adminPort = mode.contains("--webhook") ? unusedLoopbackPort() : port
        let child = try ChildProcess(productsDirectory.appendingPathComponent("bookingbot").path,
                                     ["ingress"] + mode + ["--port", "\(port)", "--host", "127.0.0.1"]
                                        + (adminPort == port ? [] : ["--admin-port", "\(adminPort)"]),
                                     environment: [
                                        "REDIS_URL": try TestServices.variable("REDIS_URL"),
                                        "DATABASE_URL": "postgresql://unused:unused@127.0.0.1:1/unused",
                                        "REDIS_PREFIX": prefix, "BOT_TOKEN": token, "TELEGRAM_API_URL": sandbox.baseURL,
                                        "WEBHOOK_SECRET": "sandbox-webhook-secret", "PATH": "/usr/bin:/bin",
                                     ], currentDirectory: FileManager.default.temporaryDirectory)
        processes.append(child)
        let client = HTTPClient(options: HTTPOptions(totalTimeout: 2))
        XCTAssertTrue(ChildProcess.eventually { (try? client.get("http://127.0.0.1:\(adminPort)/healthz").status) == 200 },
                      "ingress did not come up: \(child.stdout) \(child.stderr)")
        return (child, port)
    }

    /// Every update id in the queue, with repeats.
    private func queuedUpdateIDs() throws -> [Int64] {
        let redis = try TestServices.redisConnection()
        let keys = try redis.command("KEYS", "{\(prefix)}:in:*").array?.compactMap(\.string) ?? []
        var ids: [Int64] = []
        for key in keys {
            for item in try redis.command("LRANGE", key, 0, -1).array ?? [] {
                if let data = item.data, let update = try? Update.decode(QueuedUpdate(entry: data, handouts: 0).payload) {
                    ids.append(update.updateID)
                }
            }
        }
        return ids.sorted()
    }

    /// Sends `count` messages round-robin from the users; `midway` runs after half.
    private func stream(_ count: Int, midway: () throws -> Void = {}) throws -> [Int64] {
        var sent: [Int64] = []
        for index in 0..<count {
            if index == count / 2 { try midway() }
            sent.append(try sandbox.sendText("message \(index)", from: users[index % users.count]).updateID)
            usleep(2_000)
        }
        return sent
    }

    private func assertExactlyOnce(_ sent: [Int64], timeout: TimeInterval = 20, file: StaticString = #filePath, line: UInt = #line) {
        let arrived = ChildProcess.eventually(timeout: timeout) { (try? self.queuedUpdateIDs().count) ?? 0 >= sent.count }
        let queued = (try? queuedUpdateIDs()) ?? []
        XCTAssertTrue(arrived, "only \(queued.count) of \(sent.count) arrived", file: file, line: line)
        XCTAssertEqual(queued, sent.sorted(), "each update exactly once", file: file, line: line)
    }

    // MARK: Polling

    func testPollingKilledAndRestartedMidStreamQueuesEveryUpdateOnce() throws {
        var (ingress, port) = try startIngress(["--polling", "--leader-ttl", "3"])
        let sent = try stream(300) {
            ingress.signal(SIGKILL)
            _ = ingress.wait()
            // The dead leader's lock must expire (3 s) before the new process polls.
            (ingress, port) = try startIngress(["--polling", "--leader-ttl", "3"], port: port)
        }
        assertExactlyOnce(sent)
    }

    func testAStandbyPollerTakesOverWhenTheLeaderDies() throws {
        let (leader, _) = try startIngress(["--polling", "--leader-ttl", "3"])
        let redis = try TestServices.redisConnection()
        XCTAssertTrue(ChildProcess.eventually { (try? redis.command("GET", "{\(self.prefix)}:ingress:leader").string) != nil })
        _ = try startIngress(["--polling", "--leader-ttl", "3"])
        var sent = try stream(20)
        assertExactlyOnce(sent)
        leader.signal(SIGKILL)
        sent += try stream(20)
        assertExactlyOnce(sent)
        XCTAssertEqual(sandbox.calls(method: "getUpdates").filter { $0.errorCode == 409 }.count, 0,
                       "only one instance ever polled at a time")
    }

    func testWhileRedisIsDownPollingStopsConfirmingAndThenResumes() throws {
        _ = try startIngress(["--polling", "--leader-ttl", "3"])
        var sent = try stream(10)
        assertExactlyOnce(sent)
        try TestServices.redis("down")
        sent += try stream(10)
        Thread.sleep(forTimeInterval: 1.5)
        XCTAssertGreaterThanOrEqual(sandbox.pendingUpdateCount, 10, "nothing confirmed to Telegram while Redis is down")
        try TestServices.redis("up")
        assertExactlyOnce(sent)
    }

    // MARK: Webhook

    func testWebhookIngressKilledAndRestartedMidStreamQueuesEveryUpdateOnce() throws {
        var (ingress, port) = try startIngress(["--webhook"])
        let telegram = TelegramClient(baseURL: sandbox.baseURL, token: token)
        try telegram.setWebhook(url: "http://127.0.0.1:\(port)/telegram", secretToken: "sandbox-webhook-secret")
        let sent = try stream(300) {
            ingress.signal(SIGKILL)
            _ = ingress.wait()
            Thread.sleep(forTimeInterval: 0.3)  // the Sandbox meets a closed port and retries
            (ingress, port) = try startIngress(["--webhook"], port: port)
        }
        assertExactlyOnce(sent)
        XCTAssertTrue(ChildProcess.eventually { self.sandbox.pendingUpdateCount == 0 }, "every update confirmed to the Sandbox")
    }

    func testWebhookAnswers503WhileRedisIsDownAndNothingIsLost() throws {
        let (_, port) = try startIngress(["--webhook"])
        try TelegramClient(baseURL: sandbox.baseURL, token: token)
            .setWebhook(url: "http://127.0.0.1:\(port)/telegram", secretToken: "sandbox-webhook-secret")
        var sent = try stream(10)
        assertExactlyOnce(sent)
        try TestServices.redis("down")
        sent += try stream(10)
        XCTAssertTrue(ChildProcess.eventually { self.sandbox.pendingUpdateCount >= 10 })
        try TestServices.redis("up")
        assertExactlyOnce(sent)
    }
}

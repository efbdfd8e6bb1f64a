import BotTestSupport
import Foundation
import Queue
import Sandbox
import TestSupport
import Texts
import XCTest

/// Processes that freeze, a database that goes away, clocks that disagree: real ingress
/// and worker processes, a real PostgreSQL stopped and started.
final class FrozenAndFailingDependencyTests: BotTestCase {
    private var marker = ""

    override func setUpWithError() throws {
        try super.setUpWithError()
        marker = FileManager.default.temporaryDirectory.appendingPathComponent("\(prefix)-paused").path
    }

    override func tearDown() {
        workers.forEach { $0.signal(SIGCONT) }
        try? TestServices.postgres("up")
        try? FileManager.default.removeItem(atPath: marker)
        super.tearDown()
    }

    private func settings(_ extra: [String: String] = [:]) throws -> [String: String] {
        try environment.merging(["RATE_LIMIT_MESSAGE": "0", "RATE_LIMIT_CALLBACK": "0"].merging(extra) { $1 }) { $1 }
    }

    /// A worker that holds a transaction open on this text, after touching `marker`.
    private func pausingWorker(lease: Double, extra: [String: String] = [:]) throws -> [String: String] {
        try settings(["BOOKINGBOT_TEST_PAUSE_ON_TEXT": "hold on", "BOOKINGBOT_TEST_PAUSE_MARKER": marker].merging(extra) { $1 })
    }

    private func queue() throws -> ChatQueue { ChatQueue(redis: try TestServices.redisConnection(), prefix: prefix) }

    private func answered(_ user: Int64, messages: Int) -> Bool {
        (sandbox.transcript(chatID: user)?.botMessages.count ?? 0) >= messages
    }

    /// Acceptance 5: a worker stopped (SIGSTOP) in the middle of an update, its row locks
    /// taken, with 30 other chats waiting: the other worker answers them all within a
    /// lease and a few seconds, and the frozen chat too once the server has ended the
    /// frozen session; woken up (SIGCONT), the frozen worker commits nothing.
    func testAWorkerFrozenMidTransactionHoldsUpNobodyAndCommitsNothingWhenItWakes() throws {
        let lease = 3.0
        let limits = ["PG_IDLE_IN_TRANSACTION_TIMEOUT": "15", "PG_LOCK_TIMEOUT": "2"]
        try startBot(workers: 0)
        try startWorker(try pausingWorker(lease: lease, extra: limits), concurrency: 1, lease: lease)
        let frozen = try XCTUnwrap(workers.last)
        user(931, "Fred", language: "en")
        _ = try sandbox.sendText("hold on", from: 931)
        XCTAssertTrue(ChildProcess.eventually(timeout: 20) { FileManager.default.fileExists(atPath: self.marker) }, logs)
        frozen.signal(SIGSTOP)
        let others = (940..<970).map(Int64.init)
        for id in others {
            user(id, "Client \(id)", language: "en")
            _ = try sandbox.sendText("/start", from: id)
        }
        let started = Date()
        try startWorker(try settings(limits), concurrency: 2, lease: lease)
        XCTAssertTrue(ChildProcess.eventually(timeout: lease + 5) { others.allSatisfy { self.answered($0, messages: 2) } },
                      "answered: \(others.filter { self.answered($0, messages: 2) }.count) of 30\n\(logs.suffix(3000))")
        print("30 chats answered \(String(format: "%.1f", Date().timeIntervalSince(started))) s after the second worker started")
        // The frozen chat: once its lease ran out and the server ended the frozen session.
        XCTAssertTrue(ChildProcess.eventually(timeout: 30) { self.answered(931, messages: 1) }, logs.suffix(3000).description)
        frozen.signal(SIGCONT)
        Thread.sleep(forTimeInterval: 5)  // it finishes its pause and tries to go on
        XCTAssertTrue(frozen.isRunning, "the woken worker lives on")
        XCTAssertEqual(sandbox.transcript(chatID: 931)?.botMessages.map(\.text), [text(.unknownInput, .en)], "answered once")
        XCTAssertEqual(try count("SELECT count(*) AS n FROM processed_updates WHERE chat_id = 931"), 1)
        XCTAssertEqual(try count("SELECT count(*) AS n FROM outbox WHERE chat_id = 931"), 1, "one effect, one reply")
        XCTAssertEqual(try queue().figures(heartbeatTTL: 30).deadUpdates, 0)
    }

    /// Acceptance 6: the database stopped for 20 s while people write: nothing is parked,
    /// nobody gets an apology, everything is answered once it is back, and at once.
    func testADatabaseOutageUnderLoadLosesNothingAndApologisesToNobody() throws {
        try startBot(workers: 2, concurrency: 2)
        let users = (1001...1010).map(Int64.init)
        for id in users {
            user(id, "Client \(id)", language: "en")
            try say("/start", from: id, thenBotMessages: 2)
        }
        try TestServices.postgres("down")
        var sent: [Int64: Int] = [:]
        let outageEnd = Date().addingTimeInterval(20)
        var turn = 0
        while Date() < outageEnd {
            for _ in 0..<2 {
                let id = users[turn % users.count]
                turn += 1
                _ = try sandbox.sendText("/help", from: id)
                sent[id, default: 0] += 1
            }
            Thread.sleep(forTimeInterval: 1)
        }
        try TestServices.postgres("up")
        let back = Date()
        let helpText = text(.help, .en)
        func helps(_ id: Int64) -> Int { sandbox.transcript(chatID: id)?.botMessages.filter { $0.text == helpText }.count ?? 0 }
        XCTAssertTrue(ChildProcess.eventually(timeout: 30) { users.allSatisfy { helps($0) >= sent[$0, default: 0] } },
                      "answered \(users.map(helps).reduce(0, +)) of \(sent.values.reduce(0, +))\n\(logs.suffix(3000))")
        let recovered = Date().timeIntervalSince(back)
        print("every message sent during the outage answered \(String(format: "%.2f", recovered)) s after the database was back")
        XCTAssertLessThanOrEqual(recovered, 2.5, "no chat waits more than about 2 s after the database is back")
        for id in users {
            XCTAssertEqual(helps(id), sent[id], "user \(id): each /help answered once")
            XCTAssertFalse(sandbox.transcript(chatID: id)?.botMessages.contains { $0.text == text(.somethingWentWrong, .en) } ?? true,
                           "no apology for an outage")
        }
        XCTAssertEqual(try queue().figures(heartbeatTTL: 30).deadUpdates, 0)
        XCTAssertEqual(try TestServices.redisConnection().command("HLEN", "{\(prefix)}:attempts").int, 0, "no attempt counted")
    }

    /// Acceptance 7: a worker whose clock runs 35 s ahead (libfaketime) never takes a chat
    /// leased to a live worker, however long that worker's update takes.
    func testAWorkerWithAClockAheadNeverTakesALiveLease() throws {
        let lease = 2.0
        try startBot(workers: 0)
        try startWorker(try pausingWorker(lease: lease), concurrency: 1, lease: lease)
        user(951, "Gina", language: "en")
        _ = try sandbox.sendText("hold on", from: 951)
        XCTAssertTrue(ChildProcess.eventually(timeout: 20) { FileManager.default.fileExists(atPath: self.marker) }, logs)
        let redis = try TestServices.redisConnection()
        let holder = try XCTUnwrap(redis.command("HGET", "{\(prefix)}:owner", "951").string)
        workers.append(try ChildProcess("/usr/bin/faketime", ["-f", "+35s", binary, "worker", "--concurrency", "2", "--lease", "\(lease)"],
                                        environment: try settings(), currentDirectory: FileManager.default.temporaryDirectory))
        // The fast worker is up (it answers another chat) while the slow update goes on.
        user(952, "Hugo", language: "en")
        _ = try sandbox.sendText("/start", from: 952)
        var owners: Set<String> = []
        let end = Date().addingTimeInterval(2.5)
        while Date() < end {
            if let owner = try redis.command("HGET", "{\(prefix)}:owner", "951").string { owners.insert(owner) }
            Thread.sleep(forTimeInterval: 0.05)
        }
        XCTAssertEqual(owners, [holder], "nobody else held the chat")
        XCTAssertTrue(ChildProcess.eventually(timeout: 10) { self.answered(951, messages: 1) && self.answered(952, messages: 2) }, logs)
        Thread.sleep(forTimeInterval: 1)
        XCTAssertEqual(sandbox.transcript(chatID: 951)?.botMessages.count, 1, "handled once, answered once")
        XCTAssertEqual(try count("SELECT count(*) AS n FROM processed_updates WHERE chat_id = 951"), 1)
        XCTAssertFalse(logs.contains("lease lost"), logs)
    }

    /// Acceptance 7, second half: an ingress whose clock runs 60 s ahead delays nothing
    /// (the queue's times are Redis's, not the ingress's).
    func testAnIngressWithAClockAheadDelaysNothing() throws {
        processes.append(try ChildProcess("/usr/bin/faketime", ["-f", "+60s", binary, "ingress", "--polling", "--port", "\(unusedLoopbackPort())",
                                                                "--leader-ttl", "3"],
                                          environment: try settings(), currentDirectory: FileManager.default.temporaryDirectory))
        try startWorker(try settings(), concurrency: 1)
        user(961, "Ida", language: "en")
        try say("/start", from: 961, thenBotMessages: 2)  // both up
        let sent = Date()
        try say("/help", from: 961, thenBotMessages: 3)
        XCTAssertLessThan(Date().timeIntervalSince(sent), 2, "answered at once")
    }
}

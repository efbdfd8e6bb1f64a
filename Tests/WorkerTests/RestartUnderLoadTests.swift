import BotTestSupport
import Foundation
import Postgres
import Sandbox
import TestSupport
import Texts
import XCTest

/// Operators restart single processes while clients write: each kind in turn gets a
/// SIGTERM (it must exit 0 within the grace) and then a SIGKILL, under a steady Sandbox
/// load and with reminders falling due. Nothing may be lost and nothing done twice.
final class RestartUnderLoadTests: BotTestCase {
    private let grace = 5.0
    private let lease = 3.0
    private var settings: [String: String] {
        get throws {
            try environment.merging(["SHUTDOWN_GRACE_SECONDS": "\(Int(grace))", "TELEGRAM_SEND_RATE": "1000",
                                     "RATE_LIMIT_MESSAGE": "0", "RATE_LIMIT_CALLBACK": "0"]) { $1 }
        }
    }

    /// Clients sending /help in turn until stopped; how many each sent.
    private final class Load: @unchecked Sendable {
        private let lock = NSLock()
        private var sent: [Int64: Int] = [:]
        private var stopped = false
        private var failures: [String] = []
        private let finished = DispatchSemaphore(value: 0)

        func run(_ sandbox: SandboxServer, users: [Int64], every interval: TimeInterval) {
            Thread {
                defer { self.finished.signal() }
                var turn = 0
                while !self.lock.withLock({ self.stopped }) {
                    let user = users[turn % users.count]
                    turn += 1
                    do {
                        _ = try sandbox.sendText("/help", from: user)
                        self.lock.withLock { self.sent[user, default: 0] += 1 }
                    } catch {
                        self.lock.withLock { self.failures.append("\(error)") }
                    }
                    Thread.sleep(forTimeInterval: interval)
                }
            }.start()
        }

        /// Waits for the message in flight, so every message that reached the bot is counted.
        func stop() -> (sent: [Int64: Int], failures: [String]) {
            lock.withLock { stopped = true }
            finished.wait()
            return lock.withLock { (sent, failures) }
        }
    }

    /// A short leader lock by default, so the ingress that follows a SIGKILL takes over soon.
    private func startIngress(leaderTTL: Int = 3) throws -> ChildProcess {
        let process = try ChildProcess(binary, ["ingress", "--polling", "--port", "\(unusedLoopbackPort())", "--leader-ttl", "\(leaderTTL)"],
                                       environment: try settings, currentDirectory: FileManager.default.temporaryDirectory)
        processes.append(process)
        return process
    }

    private func startErrors() throws -> ChildProcess {
        let process = try ChildProcess(binary, ["errors"], environment: try settings, currentDirectory: FileManager.default.temporaryDirectory)
        processes.append(process)
        return process
    }

    /// Plants one reminder for each user (known to the bot), due `seconds` from now (their visits two days on,
    /// an hour apart).
    private func plantReminders(for users: [Int64], dueIn seconds: [Double]) throws {
        let db = try database.connect()
        for (index, (user, delay)) in zip(users, seconds).enumerated() {
            let booking: Int64 = try db.query("""
                INSERT INTO bookings (user_id, service_id, during, duration_minutes)
                VALUES ($1, $2, tstzrange(now() + interval '2 days' + $3 * interval '1 hour',
                                          now() + interval '2 days' + ($3 + 1) * interval '1 hour', '[)'), 60) RETURNING id
                """, [.int(user), .int(haircut), .int(Int64(index))])[0].get("id")
            try db.query("INSERT INTO reminders (booking_id, kind, offset_minutes, due_at) VALUES ($1, 'reminder', 1440, $2)",
                         [.int(booking), .timestamp(Date().addingTimeInterval(delay))])
        }
    }

    /// SIGTERM: the process must exit 0 within the grace.
    private func terminate(_ process: ChildProcess, _ kind: String) {
        let asked = Date()
        process.signal(SIGTERM)
        let result = process.wait()
        let took = Date().timeIntervalSince(asked)
        XCTAssertEqual(result.status, 0, "\(kind) after SIGTERM:\n\(result.stdout.suffix(2000))\(result.stderr.suffix(2000))")
        // The margin is for a loaded machine; a process that ignored the grace would take its kill.
        XCTAssertLessThan(took, grace + 3, "\(kind) took \(took) s to stop")
    }

    func testRestartingEachProcessKindUnderLoadLosesNothingAndDoesNothingTwice() throws {
        let clients: [Int64] = Array(9601...9610)
        let reminded: [Int64] = Array(9701...9724)
        for id in clients { user(id, "Client \(id)", language: "en") }
        for id in reminded { user(id, "Reminded \(id)", language: "en") }

        var ingress = try startIngress()
        for _ in 0..<2 { try startWorker(try settings, concurrency: 2, lease: lease) }
        // Every chat opened (a bot may only write to people who wrote to it first).
        for id in [clients[0]] + reminded { _ = try say("/help", from: id, thenBotMessages: 1) }
        // Due over the time the restarts take, so some fall due while reminders is down.
        try plantReminders(for: reminded, dueIn: reminded.indices.map { 1 + Double($0) })
        var reminders = try startReminders(try settings)
        var errors = try startErrors()

        let load = Load()
        load.run(sandbox, users: clients, every: 0.03)
        let pause = { Thread.sleep(forTimeInterval: 1.5) }

        pause()
        terminate(ingress, "ingress")
        ingress = try startIngress()
        pause()
        ingress.signal(SIGKILL)
        _ = ingress.wait()
        ingress = try startIngress()
        pause()

        terminate(workers[0], "worker")
        workers.removeFirst()
        try startWorker(try settings, concurrency: 2, lease: lease)
        pause()
        workers[0].signal(SIGKILL)
        _ = workers[0].wait()
        workers.removeFirst()
        try startWorker(try settings, concurrency: 2, lease: lease)
        pause()

        terminate(reminders, "reminders")
        reminders = try startReminders(try settings)
        pause()
        reminders.signal(SIGKILL)
        _ = reminders.wait()
        reminders = try startReminders(try settings)
        pause()

        terminate(errors, "errors")
        errors = try startErrors()
        errors.signal(SIGKILL)
        _ = errors.wait()
        errors = try startErrors()
        pause()

        let (sent, failures) = load.stop()
        XCTAssertEqual(failures, [], "the Sandbox took every message")
        let total = sent.values.reduce(0, +)
        XCTAssertGreaterThan(total, 200, "a steady load")

        // Every message is answered exactly once (the first /help of clients[0] included).
        let help = text(.help, .en)
        for client in clients {
            let expected = sent[client, default: 0] + (client == clients[0] ? 1 : 0)
            let settled = ChildProcess.eventually(timeout: 30) {
                (self.sandbox.transcript(chatID: client)?.botMessages.count ?? 0) >= expected
            }
            XCTAssertTrue(settled, "client \(client): \(sandbox.transcript(chatID: client)?.botMessages.count ?? 0) of \(expected)\n\(logs.suffix(3000))")
        }
        Thread.sleep(forTimeInterval: 1)  // late duplicates, if any, would show by now
        // Delivery is at least once: a sender killed between Telegram's answer and marking
        // its row sent leaves the row to be sent again (Telegram cannot be asked whether a
        // message arrived). So each SIGKILL of a sender may repeat what it had in flight:
        // one message per worker loop, and one for reminders. Nothing else may repeat.
        let inFlightAtKills = 2 + 1
        var repeated = 0
        for client in clients {
            let replies = sandbox.transcript(chatID: client)?.botMessages ?? []
            let expected = sent[client, default: 0] + (client == clients[0] ? 1 : 0)
            XCTAssertGreaterThanOrEqual(replies.count, expected, "client \(client): none lost")
            repeated += max(0, replies.count - expected)
            XCTAssertTrue(replies.allSatisfy { $0.text == help }, "client \(client)")
        }
        XCTAssertEqual(try count("SELECT count(*) AS n FROM processed_updates"), total + 1 + reminded.count, "every update handled once")

        // Each reminder once, whoever sent it.
        let allSent = ChildProcess.eventually(timeout: 30) {
            ((try? self.count("SELECT count(*) AS n FROM reminders WHERE sent_at IS NOT NULL")) ?? 0) == reminded.count
        }
        XCTAssertTrue(allSent, logs.suffix(3000).description)
        for id in reminded {
            XCTAssertTrue(ChildProcess.eventually(timeout: 10) { (self.sandbox.transcript(chatID: id)?.botMessages.count ?? 0) >= 2 },
                          "reminded \(id): \(sandbox.transcript(chatID: id)?.botMessages.count ?? 0) messages")
        }
        XCTAssertTrue(ChildProcess.eventually(timeout: 10) {
            ((try? self.count("SELECT count(*) AS n FROM outbox WHERE sent_at IS NULL")) ?? -1) == 0
        }, "nothing unsent or refused")
        for id in reminded {
            let messages = sandbox.transcript(chatID: id)?.botMessages ?? []
            XCTAssertEqual(messages.first?.text, help)
            XCTAssertEqual(Set(messages.dropFirst().map(\.text)).count, 1, "reminded \(id): one reminder, perhaps repeated")
            repeated += max(0, messages.count - 2)
        }
        print("messages sent twice after the SIGKILLs: \(repeated)")
        XCTAssertLessThanOrEqual(repeated, inFlightAtKills, "only what was in flight at a SIGKILL went twice")
    }

    /// A worker stuck inside an update (its table locked) still stops within the grace and
    /// exits 0, leaving the update to the next worker; a second signal exits at once.
    func testAStuckWorkerStopsWithinTheGraceAndASecondSignalExitsAtOnce() throws {
        // The default lock (30 s) means 10 s polls, longer than this grace: a poll must
        // still never hold up a stop (checked at the end).
        let ingress = try startIngress(leaderTTL: 30)
        // A statement that truly hangs: the database's own bounds set far beyond the grace.
        let patient = try settings.merging(["PG_LOCK_TIMEOUT": "120", "PG_STATEMENT_TIMEOUT": "120",
                                            "PG_IDLE_IN_TRANSACTION_TIMEOUT": "240"]) { $1 }
        try startWorker(patient, concurrency: 1, lease: 30)
        user(9801, "Stuck", language: "en")
        _ = try say("/help", from: 9801, thenBotMessages: 1)

        let blocker = try database.connect()
        try blocker.query("BEGIN")
        try blocker.query("LOCK TABLE processed_updates IN ACCESS EXCLUSIVE MODE")
        _ = try sandbox.sendText("/help", from: 9801)
        XCTAssertTrue(ChildProcess.eventually(timeout: 10) {
            ((try? self.count("SELECT count(*) AS n FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND application_name = 'bookingbot-worker'")) ?? 0) == 1
        }, "the worker waits on the lock")

        let stuck = workers.removeFirst()
        let asked = Date()
        stuck.signal(SIGTERM)
        let result = stuck.wait()
        XCTAssertEqual(result.status, 0, result.stdout + result.stderr)
        let stayed = Date().timeIntervalSince(asked)
        XCTAssertGreaterThanOrEqual(stayed, grace - 0.5, "gave the update the whole grace")
        XCTAssertLessThan(stayed, grace + 3, "then left")
        XCTAssertTrue(result.stdout.contains("stopped with work in hand"), result.stdout)
        // The chat in hand was given back at the exit, not left to its 30 s lease.
        let redis = try TestServices.redisConnection()
        XCTAssertNil(try redis.command("ZSCORE", "{\(prefix)}:lease", "9801").string, "the lease was released")
        XCTAssertNotNil(try redis.command("ZSCORE", "{\(prefix)}:ready", "9801").string, "the chat is ready for another worker")

        // The stuck worker's session outlives it (PostgreSQL notices a gone client only once
        // the lock is granted): only sessions opened from here on are the next worker's.
        let spawned = Date()
        try startWorker(patient, concurrency: 1, lease: lease)
        let impatient = workers.removeFirst()
        XCTAssertTrue(ChildProcess.eventually(timeout: 10) {
            ((try? self.count("SELECT count(*) AS n FROM pg_stat_activity WHERE wait_event_type = 'Lock' "
                              + "AND application_name = 'bookingbot-worker' AND backend_start > $1", [.timestamp(spawned)])) ?? 0) == 1
        }, "the next worker takes the update at once, and waits on the lock too")
        let twice = Date()
        impatient.signal(SIGTERM)
        Thread.sleep(forTimeInterval: 0.3)
        impatient.signal(SIGTERM)
        XCTAssertEqual(impatient.wait().status, 128 + SIGTERM)
        XCTAssertLessThan(Date().timeIntervalSince(twice), grace - 2, "the second signal does not wait for the grace")

        // The lock gone, a worker answers the update, once.
        try blocker.query("ROLLBACK")
        try startWorker(try settings, concurrency: 1, lease: lease)
        XCTAssertTrue(ChildProcess.eventually(timeout: 15) { self.sandbox.transcript(chatID: 9801)?.botMessages.count == 2 }, logs)
        Thread.sleep(forTimeInterval: 0.5)
        XCTAssertEqual(sandbox.transcript(chatID: 9801)?.botMessages.count, 2)
        // An update just delivered: a new poll is in flight, with all its time ahead.
        _ = try say("/help", from: 9801, thenBotMessages: 3)
        terminate(ingress, "ingress polling with the default lock")
    }
}

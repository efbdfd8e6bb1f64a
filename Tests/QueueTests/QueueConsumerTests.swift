import Foundation
import Logging
import Queue
import Redis
import TestSupport
import XCTest

final class QueueConsumerTests: XCTestCase {
    private var prefix = ""

    override func setUp() {
        prefix = "consumer-\(UUID().uuidString.prefix(8))"
    }

    private func enqueue(_ chat: Int64, _ items: [String], from id: Int) throws {
        let queue = ChatQueue(redis: try TestServices.redisConnection(), prefix: prefix)
        for (offset, item) in items.enumerated() {
            try queue.enqueue(chat: chat, updateID: Int64(id + offset), payload: Data(item.utf8), now: Date())
        }
    }

    private func handled() throws -> [String] {
        try TestServices.redisConnection().command("LRANGE", "{\(prefix)}:handled", 0, -1).array?.compactMap(\.string) ?? []
    }

    /// Long enough for a second consumer to start and take another chat on a loaded machine
    /// while the first still holds its lease (leases run from the claim).
    private let lease = 4.0

    private func startConsumer(_ worker: String, hangChat: Int64? = nil) throws -> ChildProcess {
        var environment = ["REDIS_URL": try TestServices.variable("REDIS_URL"), "QUEUE_PREFIX": prefix, "WORKER": worker,
                           "LEASE_SECONDS": "\(Int(lease))"]
        if let hangChat { environment["HANG_CHAT"] = String(hangChat) }
        return try ChildProcess(productsDirectory.appendingPathComponent("QueueConsumerFixture").path, [], environment: environment)
    }

    // Acceptance 2: a consumer killed while holding a lease.
    func testAChatHeldByAKilledConsumerIsHandledByAnotherWithinTheLease() throws {
        try enqueue(1, ["a", "b", "c"], from: 1)
        let doomed = try startConsumer("doomed", hangChat: 1)
        let redis = try TestServices.redisConnection()
        XCTAssertTrue(ChildProcess.eventually { (try? redis.command("GET", "{\(self.prefix)}:hanging").string) == "doomed" },
                      "the first consumer took chat 1: \(doomed.stderr)")
        let claimed = Date()
        let survivor = try startConsumer("survivor")
        try enqueue(2, ["x"], from: 10)
        // `first`: a survivor that starts late may already reap chat 1 right after `x`.
        XCTAssertTrue(ChildProcess.eventually { (try? self.handled().first) == "survivor|2|x" }, "other chats go on meanwhile")
        doomed.signal(SIGKILL)
        XCTAssertTrue(ChildProcess.eventually(timeout: 10) { (try? self.handled().count) == 4 }, "\((try? handled()) ?? [])")
        XCTAssertLessThan(Date().timeIntervalSince(claimed), lease + 3, "back in play when the lease runs out (plus reaping and a loaded machine)")
        XCTAssertEqual(try handled(), ["survivor|2|x", "survivor|1|a", "survivor|1|b", "survivor|1|c"],
                       "in order, none lost, the interrupted one handled again")
        survivor.signal(SIGKILL)
    }

    // Acceptance 5: a poison update.
    func testAPoisonUpdateIsParkedAfterTheAttemptsAndTheChatGoesOn() throws {
        try enqueue(5, ["poison", "fine-1", "fine-2"], from: 1)
        let queue = ChatQueue(redis: try TestServices.redisConnection(), prefix: prefix)
        let log = HandledLog()
        let consumer = QueueConsumer(
            queue: queue,
            settings: .init(worker: "w", lease: 5, maxAttempts: 3, idleWait: 0.05, retryInitial: 0.01, retryMaximum: 0.05),
            logger: Logger(label: "test"),
            handle: { _, update in
                let text = String(decoding: update.payload, as: UTF8.self)
                log.append(text)
                if text == "poison" { throw HandlerError(text: "cannot handle \(text)") }
            },
            parked: { chat, update, error in log.park("\(chat)|\(String(decoding: update, as: UTF8.self))|\(error)") })
        consumer.run(shouldStop: { log.items.contains("fine-2") })
        XCTAssertEqual(log.items, ["poison", "poison", "poison", "fine-1", "fine-2"])
        XCTAssertEqual(log.parked, ["5|poison|cannot handle poison"])
        let figures = try queue.figures(now: Date(), heartbeatTTL: 30)
        XCTAssertEqual(figures.deadUpdates, 1)
        XCTAssertEqual(figures.depth, 0)
    }

    func testABusyChatTakesItsTurnAfterTenUpdatesInARow() throws {
        try enqueue(20, (1...25).map { "busy-\($0)" }, from: 1)
        try enqueue(21, ["quiet"], from: 100)
        let queue = ChatQueue(redis: try TestServices.redisConnection(), prefix: prefix)
        let log = HandledLog()
        let consumer = QueueConsumer(queue: queue, settings: .init(worker: "w", idleWait: 0.05), logger: Logger(label: "test"),
                                     handle: { _, update in log.append(String(decoding: update.payload, as: UTF8.self)) })
        consumer.run(shouldStop: { log.items.count >= 26 })
        XCTAssertEqual(log.items.firstIndex(of: "quiet"), 10, "the quiet chat waited for ten of the busy one's, not all")
        XCTAssertEqual(log.items.filter { $0.hasPrefix("busy") }, (1...25).map { "busy-\($0)" }, "the busy chat in order")
    }

    func testAStopRequestReleasesTheChatInHand() throws {
        try enqueue(8, ["one", "two", "three"], from: 1)
        let queue = ChatQueue(redis: try TestServices.redisConnection(), prefix: prefix)
        let log = HandledLog()
        let consumer = QueueConsumer(queue: queue, settings: .init(worker: "w", idleWait: 0.05), logger: Logger(label: "test"),
                                     handle: { _, update in log.append(String(decoding: update.payload, as: UTF8.self)) })
        consumer.run(shouldStop: { log.items.count >= 1 })
        XCTAssertEqual(log.items, ["one"])
        // Released, not left to its lease: another worker can take the rest at once.
        let claim = try queue.claim(worker: "other", lease: 30)
        XCTAssertEqual(claim?.update.map { String(decoding: $0.payload, as: UTF8.self) }, "two")
    }

    /// A database or Redis outage under the handler is not the update's fault: however
    /// long it lasts, no attempt is counted, nothing is parked, and the chat goes on after.
    func testInfrastructureFaultsNeverCountAsAttempts() throws {
        try enqueue(9, ["during-outage", "after"], from: 1)
        let queue = ChatQueue(redis: try TestServices.redisConnection(), prefix: prefix)
        let log = HandledLog()
        let consumer = QueueConsumer(
            queue: queue, settings: .init(worker: "w", lease: 5, maxAttempts: 2, idleWait: 0.05), logger: Logger(label: "test"),
            handle: { _, update in
                let text = String(decoding: update.payload, as: UTF8.self)
                log.append(text)
                if text == "during-outage" && log.items.count <= 6 { throw QueueUnavailable("database restarting") }
            },
            parked: { _, _, error in log.park(error) })
        consumer.run(shouldStop: { log.items.contains("after") })
        XCTAssertEqual(log.items, Array(repeating: "during-outage", count: 7) + ["after"])
        XCTAssertEqual(log.parked, [])
        XCTAssertEqual(try TestServices.redisConnection().command("HLEN", "{\(prefix)}:attempts").int, 0)
        XCTAssertEqual(try queue.figures(heartbeatTTL: 30).deadUpdates, 0)
    }

    /// The lease keeper renews the lease while a handler takes longer than the lease, so
    /// no other worker takes the chat meanwhile.
    func testALongHandlerKeepsItsLeaseWhileItWorks() throws {
        try enqueue(10, ["slow"], from: 1)
        let queue = ChatQueue(redis: try TestServices.redisConnection(), prefix: prefix)
        let rival = ChatQueue(redis: try TestServices.redisConnection(), prefix: prefix)
        let prefix = self.prefix
        let keeper = LeaseKeeper(worker: "w", lease: 1.5) { ChatQueue(redis: try TestServices.redisConnection(), prefix: prefix) }
        defer { keeper.stop() }
        let log = HandledLog()
        let consumer = QueueConsumer(
            queue: queue, settings: .init(worker: "w", lease: 1.5, idleWait: 0.05), logger: Logger(label: "test"), keeper: keeper,
            handle: { _, _ in
                // Three leases long; the rival reaps and tries to claim all along.
                let end = Date().addingTimeInterval(4.5)
                while Date() < end {
                    _ = try? rival.reap()
                    if let stolen = try? rival.claim(worker: "rival", lease: 30) { log.append("stolen \(stolen.chat)") }
                    Thread.sleep(forTimeInterval: 0.1)
                }
                if keeper.isLost { log.append("lost") }
                log.append("done")
            })
        consumer.run(shouldStop: { log.items.contains("done") })
        XCTAssertEqual(log.items, ["done"])
    }
}

private struct HandlerError: Error, CustomStringConvertible {
    let text: String
    var description: String { text }
}

private final class HandledLog: @unchecked Sendable {
    private let lock = NSLock()
    private var handled: [String] = []
    private var parkedItems: [String] = []
    func append(_ item: String) { lock.withLock { handled.append(item) } }
    func park(_ item: String) { lock.withLock { parkedItems.append(item) } }
    var items: [String] { lock.withLock { handled } }
    var parked: [String] { lock.withLock { parkedItems } }
}

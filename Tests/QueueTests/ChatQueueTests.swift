import Foundation
import Queue
import Redis
import TestSupport
import XCTest

/// The queue protocol against the real Redis; each test has a prefix of its own.
final class ChatQueueTests: XCTestCase {
    private var prefix = ""
    private var queue: ChatQueue!
    private let t0 = Date(timeIntervalSince1970: 1_790_000_000)

    override func setUpWithError() throws {
        prefix = "qtest-\(UUID().uuidString.prefix(8))"
        queue = try makeQueue()
    }

    private func makeQueue() throws -> ChatQueue {
        ChatQueue(redis: try TestServices.redisConnection(), prefix: prefix)
    }

    private func update(_ id: Int, chat: Int64) -> Data {
        Data(#"{"update_id":\#(id),"message":{"chat":{"id":\#(chat)},"text":"n\#(id)"}}"#.utf8)
    }

    func testAResentUpdateIsEnqueuedOnce() throws {
        XCTAssertTrue(try queue.enqueue(chat: 1, updateID: 10, payload: update(10, chat: 1), now: t0))
        XCTAssertFalse(try queue.enqueue(chat: 1, updateID: 10, payload: update(10, chat: 1), now: t0))
        XCTAssertEqual(try queue.figures(now: t0, heartbeatTTL: 30).depth, 1)
    }

    func testUpdatesOfOneChatComeOutInOrderToOneWorkerAtATime() throws {
        for id in 1...3 { try queue.enqueue(chat: 7, updateID: Int64(id), payload: update(id, chat: 7), now: t0) }
        let claim = try XCTUnwrap(queue.claim(worker: "a", now: t0, lease: 30))
        XCTAssertEqual(claim.chat, 7)
        XCTAssertEqual(claim.update, update(1, chat: 7))
        XCTAssertNil(try queue.claim(worker: "b", now: t0, lease: 30), "a chat under lease is nobody else's")
        XCTAssertEqual(try queue.ack(chat: 7, update: claim.update, worker: "a", now: t0, lease: 30), .update(update(2, chat: 7)))
        // An update arriving while the chat is held joins its inbox, not the ready set.
        try queue.enqueue(chat: 7, updateID: 4, payload: update(4, chat: 7), now: t0)
        XCTAssertNil(try queue.claim(worker: "b", now: t0, lease: 30))
        XCTAssertEqual(try queue.ack(chat: 7, update: update(2, chat: 7), worker: "a", now: t0, lease: 30), .update(update(3, chat: 7)))
        XCTAssertEqual(try queue.ack(chat: 7, update: update(3, chat: 7), worker: "a", now: t0, lease: 30), .update(update(4, chat: 7)))
        XCTAssertEqual(try queue.ack(chat: 7, update: update(4, chat: 7), worker: "a", now: t0, lease: 30), .empty)
        XCTAssertTrue(try queue.release(chat: 7, worker: "a", readyAt: t0))
        XCTAssertNil(try queue.claim(worker: "b", now: t0, lease: 30))
        XCTAssertEqual(try queue.figures(now: t0, heartbeatTTL: 30).depth, 0)
    }

    func testTheOldestWaitingChatIsClaimedFirst() throws {
        try queue.enqueue(chat: 2, updateID: 1, payload: update(1, chat: 2), now: t0.addingTimeInterval(5))
        try queue.enqueue(chat: 3, updateID: 2, payload: update(2, chat: 3), now: t0)
        XCTAssertEqual(try queue.claim(worker: "a", now: t0.addingTimeInterval(6), lease: 30)?.chat, 3)
        XCTAssertEqual(try queue.figures(now: t0.addingTimeInterval(6), heartbeatTTL: 30).oldestWaitingSeconds, 1)
    }

    /// A chat giving way goes behind one that arrived in the same millisecond, though its
    /// id sorts first (Redis orders equal scores by member).
    func testAReleasedChatGoesBehindOneThatBecameReadyInTheSameMillisecond() throws {
        for id in 1...2 { try queue.enqueue(chat: 30, updateID: Int64(id), payload: update(id, chat: 30), now: t0) }
        XCTAssertEqual(try queue.claim(worker: "a", now: t0, lease: 30)?.chat, 30)
        let sameMoment = t0.addingTimeInterval(1)
        try queue.enqueue(chat: 31, updateID: 3, payload: update(3, chat: 31), now: sameMoment)
        XCTAssertTrue(try queue.release(chat: 30, worker: "a", readyAt: sameMoment))
        XCTAssertEqual(try queue.claim(worker: "b", now: sameMoment.addingTimeInterval(1), lease: 30)?.chat, 31)
        XCTAssertEqual(try queue.claim(worker: "c", now: sameMoment.addingTimeInterval(1), lease: 30)?.chat, 30)
    }

    func testAnAbandonedLeaseComesBackAfterItsDeadlineAndTheOldOwnerIsToldItLostIt() throws {
        try queue.enqueue(chat: 9, updateID: 1, payload: update(1, chat: 9), now: t0)
        let first = try XCTUnwrap(queue.claim(worker: "dead-worker", now: t0, lease: 30))
        // The holder vanishes without ack or release.
        XCTAssertEqual(try queue.reap(now: t0.addingTimeInterval(29)), 0, "not before the deadline")
        XCTAssertNil(try queue.claim(worker: "b", now: t0.addingTimeInterval(29), lease: 30))
        XCTAssertEqual(try queue.reap(now: t0.addingTimeInterval(31)), 1)
        let second = try XCTUnwrap(queue.claim(worker: "b", now: t0.addingTimeInterval(31), lease: 30))
        XCTAssertEqual(second, first, "the same update, not lost")
        XCTAssertEqual(try queue.ack(chat: 9, update: first.update, worker: "dead-worker", now: t0.addingTimeInterval(32), lease: 30), .leaseLost)
        XCTAssertFalse(try queue.release(chat: 9, worker: "dead-worker", readyAt: t0))
        XCTAssertEqual(try queue.ack(chat: 9, update: second.update, worker: "b", now: t0.addingTimeInterval(32), lease: 30), .empty)
    }

    func testAPoisonUpdateIsParkedWithItsErrorAndTheChatGoesOn() throws {
        try queue.enqueue(chat: 5, updateID: 1, payload: update(1, chat: 5), now: t0)
        try queue.enqueue(chat: 5, updateID: 2, payload: update(2, chat: 5), now: t0)
        var now = t0
        for attempt in 1...3 {
            let claim = try XCTUnwrap(queue.claim(worker: "w", now: now, lease: 30), "attempt \(attempt)")
            XCTAssertEqual(claim.update, update(1, chat: 5))
            let failure = try queue.fail(chat: 5, update: claim.update, worker: "w", error: "handler exploded \(attempt)", maxAttempts: 3, now: now)
            if attempt < 3 {
                XCTAssertEqual(failure, .retry(attempts: attempt))
                // Backoff: the chat may be claimed again only from `readyAt`.
                try queue.release(chat: 5, worker: "w", readyAt: now.addingTimeInterval(2))
                XCTAssertNil(try queue.claim(worker: "w", now: now.addingTimeInterval(1), lease: 30))
                now = now.addingTimeInterval(2)
            } else {
                XCTAssertEqual(failure, .parked(attempts: 3))
                XCTAssertEqual(try queue.head(of: 5), update(2, chat: 5), "the next update is up")
            }
        }
        let dead = try TestServices.redisConnection().command("LRANGE", "{\(prefix)}:dead", 0, -1).array ?? []
        XCTAssertEqual(dead.count, 1)
        let entry = try JSONSerialization.jsonObject(with: dead[0].data!) as! [String: Any]
        XCTAssertEqual(entry["error"] as? String, "handler exploded 3")
        XCTAssertEqual(entry["attempts"] as? Int, 3)
        XCTAssertEqual((entry["update"] as? String).map { Data($0.utf8) }, update(1, chat: 5))
        XCTAssertEqual(try queue.ack(chat: 5, update: update(2, chat: 5), worker: "w", now: now, lease: 30), .empty)
        let figures = try queue.figures(now: now, heartbeatTTL: 30)
        XCTAssertEqual([figures.depth, figures.deadUpdates, figures.parkedTotal], [0, 1, 1])
    }

    func testAnAckOfAnUpdateThatIsNotTheHeadRemovesNothing() throws {
        try queue.enqueue(chat: 4, updateID: 1, payload: update(1, chat: 4), now: t0)
        _ = try queue.claim(worker: "w", now: t0, lease: 30)
        XCTAssertEqual(try queue.ack(chat: 4, update: update(99, chat: 4), worker: "w", now: t0, lease: 30), .update(update(1, chat: 4)))
        XCTAssertEqual(try queue.figures(now: t0, heartbeatTTL: 30).depth, 1)
    }

    func testLiveWorkersCountRecentHeartbeatsOnly() throws {
        try queue.heartbeat(worker: "a", now: t0)
        try queue.heartbeat(worker: "b", now: t0.addingTimeInterval(-60))
        XCTAssertEqual(try queue.figures(now: t0, heartbeatTTL: 30).liveWorkers, 1)
        try queue.retire(worker: "a")
        XCTAssertEqual(try queue.figures(now: t0, heartbeatTTL: 30).liveWorkers, 0)
    }

    func testScriptsSurviveARedisRestart() throws {
        try queue.enqueue(chat: 1, updateID: 1, payload: update(1, chat: 1), now: t0)
        try TestServices.restart("redis")
        // The restart kept the data (append-only file) but not the loaded scripts; the
        // next calls reconnect and load the scripts again.
        _ = outcomesUntilSuccess(attempts: 2) { try queue.enqueue(chat: 1, updateID: 2, payload: update(2, chat: 1), now: t0) }
        XCTAssertEqual(try queue.claim(worker: "w", now: t0, lease: 30)?.update, update(1, chat: 1))
        XCTAssertEqual(try queue.ack(chat: 1, update: update(1, chat: 1), worker: "w", now: t0, lease: 30), .update(update(2, chat: 1)))
    }

    // MARK: Acceptance 1: 1,000 chats × 20 updates, 8 consumers

    func testThousandChatsTwentyUpdatesEightConsumersInOrderNoneLostNoneTwice() throws {
        let chats = 1000, perChat = 20
        let producer = try makeQueue()
        var id = 0
        for round in 0..<perChat {
            for chat in 0..<chats {
                id += 1
                try producer.enqueue(chat: Int64(chat), updateID: Int64(id), payload: Data("\(chat):\(round)".utf8), now: Date())
            }
        }
        let ledger = Ledger()
        let prefix = self.prefix
        let done = DispatchGroup()
        for consumer in 0..<8 {
            done.enter()
            let queue = ChatQueue(redis: try TestServices.redisConnection(), prefix: prefix)
            nonisolated(unsafe) let owned = queue
            Thread {
                defer { done.leave() }
                let name = "consumer-\(consumer)"
                var idleRounds = 0
                while idleRounds < 3 {
                    guard let claim = try? owned.claim(worker: name, now: Date(), lease: 30) else {
                        idleRounds += 1
                        try? owned.waitForWork(timeout: 0.05)
                        continue
                    }
                    idleRounds = 0
                    var current = claim.update
                    while true {
                        ledger.handle(chat: claim.chat, item: current, by: name)
                        guard let next = try? owned.ack(chat: claim.chat, update: current, worker: name, now: Date(), lease: 30) else { break }
                        if case .update(let item) = next { current = item } else { break }
                    }
                    _ = try? owned.release(chat: claim.chat, worker: name, readyAt: Date())
                }
            }.start()
        }
        done.wait()
        XCTAssertEqual(ledger.overlaps, 0, "no chat was handled by two consumers at once")
        let sequences = ledger.sequences
        XCTAssertEqual(sequences.count, chats)
        for chat in 0..<chats {
            XCTAssertEqual(sequences[Int64(chat)], Array(0..<perChat), "chat \(chat)")
        }
        XCTAssertGreaterThan(ledger.consumersUsed, 1, "the work was shared")
        XCTAssertEqual(try producer.figures(now: Date(), heartbeatTTL: 30).depth, 0)
    }
}

/// What the consumers did, checked for order and exclusivity.
private final class Ledger: @unchecked Sendable {
    private let lock = NSLock()
    private var rounds: [Int64: [Int]] = [:]
    private var busy: Set<Int64> = []
    private var names: Set<String> = []
    private(set) var overlaps = 0

    func handle(chat: Int64, item: Data, by consumer: String) {
        let round = Int(String(decoding: item, as: UTF8.self).split(separator: ":")[1])!
        lock.withLock {
            if busy.contains(chat) { overlaps += 1 }
            busy.insert(chat)
            names.insert(consumer)
        }
        // Hold the chat for a moment so that a second consumer would have the chance to
        // take it if the queue let it.
        if round % 7 == 0 { usleep(50) }
        lock.withLock {
            rounds[chat, default: []].append(round)
            busy.remove(chat)
        }
    }

    var sequences: [Int64: [Int]] { lock.withLock { rounds } }
    var consumersUsed: Int { lock.withLock { names.count } }
}

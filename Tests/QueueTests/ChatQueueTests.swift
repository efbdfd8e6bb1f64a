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

    /// The head as a worker acks it (the stored entry, header included).
    private func head(_ chat: Int64) throws -> QueuedUpdate {
        try XCTUnwrap(queue.head(of: chat))
    }

    func testAResentUpdateIsEnqueuedOnce() throws {
        XCTAssertTrue(try queue.enqueue(chat: 1, updateID: 10, payload: update(10, chat: 1), now: t0))
        XCTAssertFalse(try queue.enqueue(chat: 1, updateID: 10, payload: update(10, chat: 1), now: t0))
        XCTAssertEqual(try queue.figures(now: t0, heartbeatTTL: 30).depth, 1)
    }

    func testAnEntryCarriesItsUpdateIDAndWhenIngressHadIt() throws {
        try queue.enqueue(chat: 1, updateID: 10, payload: update(10, chat: 1), now: t0)
        let claimed = try XCTUnwrap(queue.claim(worker: "a", now: t0, lease: 30)?.update)
        XCTAssertEqual(claimed.payload, update(10, chat: 1))
        XCTAssertEqual(claimed.updateID, 10)
        XCTAssertEqual(claimed.receivedAt, t0)
        XCTAssertEqual(claimed.handouts, 1)
    }

    func testUpdatesOfOneChatComeOutInOrderToOneWorkerAtATime() throws {
        for id in 1...3 { try queue.enqueue(chat: 7, updateID: Int64(id), payload: update(id, chat: 7), now: t0) }
        let claim = try XCTUnwrap(queue.claim(worker: "a", now: t0, lease: 30))
        XCTAssertEqual(claim.chat, 7)
        var current = try XCTUnwrap(claim.update)
        XCTAssertEqual(current.payload, update(1, chat: 7))
        XCTAssertNil(try queue.claim(worker: "b", now: t0, lease: 30), "a chat under lease is nobody else's")
        var payloads: [Data] = []
        for arrival in 0..<4 {
            // An update arriving while the chat is held joins its inbox, not the ready set.
            if arrival == 1 {
                try queue.enqueue(chat: 7, updateID: 4, payload: update(4, chat: 7), now: t0)
                XCTAssertNil(try queue.claim(worker: "b", now: t0, lease: 30))
            }
            switch try queue.ack(chat: 7, update: current, worker: "a", now: t0, lease: 30) {
            case .update(let next): current = next; payloads.append(next.payload)
            case .empty: payloads.append(Data("empty".utf8))
            case .leaseLost: XCTFail("lease lost")
            }
        }
        XCTAssertEqual(payloads, [update(2, chat: 7), update(3, chat: 7), update(4, chat: 7), Data("empty".utf8)])
        XCTAssertTrue(try queue.release(chat: 7, worker: "a", now: t0))
        XCTAssertNil(try queue.claim(worker: "b", now: t0, lease: 30))
        XCTAssertEqual(try queue.figures(now: t0, heartbeatTTL: 30).depth, 0)
    }

    /// Telegram may deliver a chat's updates out of order (concurrent webhook requests, a
    /// re-send after a 503): the inbox keeps them in update_id order.
    func testUpdatesArrivingOutOfOrderAreHandledInUpdateIDOrder() throws {
        for id in [101, 100, 103, 99, 102] { try queue.enqueue(chat: 8, updateID: Int64(id), payload: update(id, chat: 8), now: t0) }
        var seen: [Int64] = []
        var current = try XCTUnwrap(queue.claim(worker: "a", now: t0, lease: 30)?.update)
        seen.append(current.updateID ?? -1)
        // While the head (99) is in hand, an older id goes right behind it, never before it.
        try queue.enqueue(chat: 8, updateID: 98, payload: update(98, chat: 8), now: t0)
        while case .update(let next) = try queue.ack(chat: 8, update: current, worker: "a", now: t0, lease: 30) {
            current = next
            seen.append(next.updateID ?? -1)
        }
        XCTAssertEqual(seen, [99, 98, 100, 101, 102, 103])
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
        XCTAssertTrue(try queue.release(chat: 30, worker: "a", now: sameMoment))
        XCTAssertEqual(try queue.claim(worker: "b", now: sameMoment.addingTimeInterval(1), lease: 30)?.chat, 31)
        XCTAssertEqual(try queue.claim(worker: "c", now: sameMoment.addingTimeInterval(1), lease: 30)?.chat, 30)
    }

    func testAReleaseWithADelayKeepsTheChatUntilThen() throws {
        try queue.enqueue(chat: 12, updateID: 1, payload: update(1, chat: 12), now: t0)
        _ = try queue.claim(worker: "a", now: t0, lease: 30)
        XCTAssertTrue(try queue.release(chat: 12, worker: "a", delay: 2, now: t0))
        XCTAssertNil(try queue.claim(worker: "b", now: t0.addingTimeInterval(1.9), lease: 30))
        XCTAssertEqual(try queue.claim(worker: "b", now: t0.addingTimeInterval(2), lease: 30)?.chat, 12)
    }

    func testAnAbandonedLeaseComesBackAfterItsDeadlineAndTheOldOwnerIsToldItLostIt() throws {
        try queue.enqueue(chat: 9, updateID: 1, payload: update(1, chat: 9), now: t0)
        let first = try XCTUnwrap(queue.claim(worker: "dead-worker", now: t0, lease: 30)?.update)
        // The holder vanishes without ack or release.
        XCTAssertEqual(try queue.reap(now: t0.addingTimeInterval(29)), 0, "not before the deadline")
        XCTAssertNil(try queue.claim(worker: "b", now: t0.addingTimeInterval(29), lease: 30))
        XCTAssertEqual(try queue.reap(now: t0.addingTimeInterval(31)), 1)
        let second = try XCTUnwrap(queue.claim(worker: "b", now: t0.addingTimeInterval(31), lease: 30)?.update)
        XCTAssertEqual(second.payload, first.payload, "the same update, not lost")
        XCTAssertEqual(second.handouts, 2, "handed out twice, back from neither")
        XCTAssertEqual(try queue.ack(chat: 9, update: first, worker: "dead-worker", now: t0.addingTimeInterval(32), lease: 30), .leaseLost)
        XCTAssertFalse(try queue.release(chat: 9, worker: "dead-worker", now: t0))
        XCTAssertFalse(try queue.renew(chat: 9, worker: "dead-worker", lease: 30, now: t0.addingTimeInterval(32)))
        XCTAssertEqual(try queue.ack(chat: 9, update: second, worker: "b", now: t0.addingTimeInterval(32), lease: 30), .empty)
    }

    /// The handling loop's heartbeat: a renewed lease outlives its first deadline.
    func testARenewedLeaseIsNotReaped() throws {
        try queue.enqueue(chat: 13, updateID: 1, payload: update(1, chat: 13), now: t0)
        _ = try queue.claim(worker: "slow", now: t0, lease: 30)
        XCTAssertTrue(try queue.renew(chat: 13, worker: "slow", lease: 30, now: t0.addingTimeInterval(20)))
        XCTAssertEqual(try queue.reap(now: t0.addingTimeInterval(45)), 0)
        XCTAssertEqual(try queue.reap(now: t0.addingTimeInterval(51)), 1)
    }

    /// Production passes no time: entries are stamped with Redis's clock, a live lease is
    /// not reaped, a new chat is claimable at once. (The libfaketime process tests show a
    /// caller's clock running ahead changes none of it.)
    func testWithoutATimeOfItsOwnTheQueueRunsOnRedisTime() throws {
        try queue.enqueue(chat: 14, updateID: 1, payload: update(1, chat: 14))
        let claimed = try XCTUnwrap(queue.claim(worker: "a", lease: 30)?.update)
        XCTAssertEqual(try XCTUnwrap(claimed.receivedAt).timeIntervalSinceNow, 0, accuracy: 5, "stamped with Redis's time")
        XCTAssertEqual(try queue.reap(), 0, "a live lease stays its owner's")
        try queue.enqueue(chat: 15, updateID: 2, payload: update(2, chat: 15))
        XCTAssertEqual(try queue.claim(worker: "b", lease: 30)?.chat, 15, "claimable at once")
    }

    func testAPoisonUpdateIsParkedWithItsErrorAndTheChatGoesOn() throws {
        try queue.enqueue(chat: 5, updateID: 1, payload: update(1, chat: 5), now: t0)
        try queue.enqueue(chat: 5, updateID: 2, payload: update(2, chat: 5), now: t0)
        var now = t0
        for attempt in 1...3 {
            let claimed = try XCTUnwrap(queue.claim(worker: "w", now: now, lease: 30)?.update, "attempt \(attempt)")
            XCTAssertEqual(claimed.payload, update(1, chat: 5))
            XCTAssertEqual(claimed.handouts, 1, "a handler that came back each time is no crash")
            let failure = try queue.fail(chat: 5, update: claimed, worker: "w", error: "handler exploded \(attempt)", maxAttempts: 3, now: now)
            if attempt < 3 {
                XCTAssertEqual(failure, .retry(attempts: attempt))
                // Backoff: the chat may be claimed again only after the delay.
                try queue.release(chat: 5, worker: "w", delay: 2, now: now)
                XCTAssertNil(try queue.claim(worker: "w", now: now.addingTimeInterval(1), lease: 30))
                now = now.addingTimeInterval(2)
            } else {
                XCTAssertEqual(failure, .parked(attempts: 3))
                XCTAssertEqual(try head(5).payload, update(2, chat: 5), "the next update is up")
            }
        }
        let dead = try TestServices.redisConnection().command("LRANGE", "{\(prefix)}:dead", 0, -1).array ?? []
        XCTAssertEqual(dead.count, 1)
        let entry = try JSONSerialization.jsonObject(with: dead[0].data!) as! [String: Any]
        XCTAssertEqual(entry["error"] as? String, "handler exploded 3")
        XCTAssertEqual(entry["attempts"] as? Int, 3)
        XCTAssertEqual((entry["update"] as? String).map { Data($0.utf8) }, update(1, chat: 5), "the raw update, without the queue's header")
        XCTAssertEqual(try queue.ack(chat: 5, update: try head(5), worker: "w", now: now, lease: 30), .empty)
        let figures = try queue.figures(now: now, heartbeatTTL: 30)
        XCTAssertEqual([figures.depth, figures.deadUpdates, figures.parkedTotal], [0, 1, 1])
    }

    /// An update whose handler kills the process never throws: it is counted by how often
    /// it was handed out without coming back, and parked at the claim after three.
    func testAnUpdateThatKillsItsWorkersIsParkedAtTheFourthClaim() throws {
        try queue.enqueue(chat: 6, updateID: 1, payload: update(1, chat: 6), now: t0)
        try queue.enqueue(chat: 6, updateID: 2, payload: update(2, chat: 6), now: t0)
        var now = t0
        for crash in 1...3 {
            let claimed = try XCTUnwrap(queue.claim(worker: "w\(crash)", now: now, lease: 30, maxHandouts: 3)?.update)
            XCTAssertEqual([claimed.updateID, Int64(claimed.handouts)], [1, Int64(crash)])
            now = now.addingTimeInterval(31)
            XCTAssertEqual(try queue.reap(now: now), 1, "the worker died: its lease runs out")
        }
        let claim = try XCTUnwrap(queue.claim(worker: "w4", now: now, lease: 30, maxHandouts: 3))
        XCTAssertEqual(claim.parked, [update(1, chat: 6)])
        XCTAssertEqual(claim.update?.payload, update(2, chat: 6), "the chat goes on")
        XCTAssertEqual(claim.update?.handouts, 1)
        let dead = try XCTUnwrap(try queue.dead(limit: 10).first)
        let entry = try JSONSerialization.jsonObject(with: dead) as! [String: Any]
        XCTAssertEqual(entry["error"] as? String, "worker died while handling it")
        XCTAssertEqual(try queue.figures(now: now, heartbeatTTL: 30).depth, 1)
    }

    /// The counts on record belong to the head: an older id arriving late never goes in
    /// front of a head that has crashed workers or failed, even with no lease on it.
    func testALateOlderUpdateNeverTakesTheCountsOfTheHead() throws {
        try queue.enqueue(chat: 17, updateID: 10, payload: update(10, chat: 17), now: t0)
        _ = try queue.claim(worker: "w", now: t0, lease: 30)
        XCTAssertEqual(try queue.reap(now: t0.addingTimeInterval(31)), 1, "the worker died")
        try queue.enqueue(chat: 17, updateID: 9, payload: update(9, chat: 17), now: t0.addingTimeInterval(32))
        let claimed = try XCTUnwrap(queue.claim(worker: "w", now: t0.addingTimeInterval(32), lease: 30)?.update)
        XCTAssertEqual([claimed.updateID, Int64(claimed.handouts)], [10, 2], "the head kept its place and its count")
    }

    /// A handler that came back (released after a database outage, or after an ack of the
    /// update before it) leaves no crash on the count.
    func testReleasedHandOutsAreNotCountedAsCrashes() throws {
        for id in 1...2 { try queue.enqueue(chat: 16, updateID: Int64(id), payload: update(id, chat: 16), now: t0) }
        for _ in 1...5 {
            let claimed = try XCTUnwrap(queue.claim(worker: "w", now: t0, lease: 30, maxHandouts: 3)?.update)
            XCTAssertEqual([claimed.updateID, Int64(claimed.handouts)], [1, 1])
            XCTAssertTrue(try queue.release(chat: 16, worker: "w", now: t0))
        }
        let first = try XCTUnwrap(queue.claim(worker: "w", now: t0, lease: 30)?.update)
        guard case .update(let second) = try queue.ack(chat: 16, update: first, worker: "w", now: t0, lease: 30) else { return XCTFail("no next") }
        XCTAssertTrue(try queue.release(chat: 16, worker: "w", now: t0))
        XCTAssertEqual(try queue.claim(worker: "w", now: t0, lease: 30)?.update, QueuedUpdate(entry: second.entry, handouts: 1))
    }

    func testAnAckOfAnUpdateThatIsNotTheHeadRemovesNothing() throws {
        try queue.enqueue(chat: 4, updateID: 1, payload: update(1, chat: 4), now: t0)
        _ = try queue.claim(worker: "w", now: t0, lease: 30)
        let stranger = QueuedUpdate(entry: update(99, chat: 4), handouts: 1)
        guard case .update(let next) = try queue.ack(chat: 4, update: stranger, worker: "w", now: t0, lease: 30) else { return XCTFail("no next") }
        XCTAssertEqual(next.payload, update(1, chat: 4))
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
        let first = try XCTUnwrap(queue.claim(worker: "w", now: t0, lease: 30)?.update)
        XCTAssertEqual(first.payload, update(1, chat: 1))
        guard case .update(let second) = try queue.ack(chat: 1, update: first, worker: "w", now: t0, lease: 30) else { return XCTFail("no next") }
        XCTAssertEqual(second.payload, update(2, chat: 1))
    }

    // MARK: Acceptance 1: 1,000 chats × 20 updates, 8 consumers

    func testThousandChatsTwentyUpdatesEightConsumersInOrderNoneLostNoneTwice() throws {
        let chats = 1000, perChat = 20
        let producer = try makeQueue()
        var id = 0
        for round in 0..<perChat {
            for chat in 0..<chats {
                id += 1
                try producer.enqueue(chat: Int64(chat), updateID: Int64(id), payload: Data("\(chat):\(round)".utf8))
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
                    guard let claim = try? owned.claim(worker: name, lease: 30), var current = claim.update else {
                        idleRounds += 1
                        try? owned.waitForWork(timeout: 0.05)
                        continue
                    }
                    idleRounds = 0
                    while true {
                        ledger.handle(chat: claim.chat, item: current.payload, by: name)
                        guard let next = try? owned.ack(chat: claim.chat, update: current, worker: name, lease: 30) else { break }
                        if case .update(let item) = next { current = item } else { break }
                    }
                    _ = try? owned.release(chat: claim.chat, worker: name)
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
        XCTAssertEqual(try producer.figures(heartbeatTTL: 30).depth, 0)
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

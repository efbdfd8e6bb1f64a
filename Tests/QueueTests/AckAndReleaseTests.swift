import Foundation
import Logging
import Queue
import Redis
import TestSupport
import XCTest

/// The ack that gives the chat back in the same script (one round trip instead of two):
/// it must leave exactly what an ack followed by a release left.
final class AckAndReleaseTests: XCTestCase {
    private var prefix = ""
    private var queue: ChatQueue!
    private let t0 = Date(timeIntervalSince1970: 1_790_000_000)

    override func setUpWithError() throws {
        prefix = "ackrel-\(UUID().uuidString.prefix(8))"
        queue = ChatQueue(redis: try TestServices.redisConnection(), prefix: prefix)
    }

    private func update(_ id: Int, chat: Int64) -> Data {
        Data(#"{"update_id":\#(id),"message":{"chat":{"id":\#(chat)},"text":"n\#(id)"}}"#.utf8)
    }

    /// Every key of a queue, by name without its prefix, with its whole content (scores included).
    private func state(of queue: ChatQueue) throws -> [String: String] {
        let redis = queue.redis
        let head = "{\(queue.keys.prefix)}:"
        var result: [String: String] = [:]
        var cursor = "0"
        repeat {
            let reply = try redis.command("SCAN", cursor, "MATCH", head + "*", "COUNT", 1000).array ?? []
            cursor = reply.first?.string ?? "0"
            for key in reply.last?.array?.compactMap(\.string) ?? [] {
                let content: [String]
                switch try redis.command("TYPE", key).string {
                case "list": content = try redis.command("LRANGE", key, 0, -1).array?.compactMap(\.string) ?? []
                case "zset": content = try redis.command("ZRANGE", key, 0, -1, "WITHSCORES").array?.compactMap(\.string) ?? []
                case "hash":
                    let items = try redis.command("HGETALL", key).array?.compactMap(\.string) ?? []
                    content = stride(from: 0, to: items.count - 1, by: 2).map { "\(items[$0])=\(items[$0 + 1])" }.sorted()
                default: content = [try redis.command("GET", key).string ?? "?"]
                }
                result[String(key.dropFirst(head.count))] = content.joined(separator: " | ")
            }
        } while cursor != "0"
        return result
    }

    /// Chat 1 with `updates` waiting, claimed by "w" with one failed attempt on record, and
    /// chat 2 ready since the same millisecond as the ack to come.
    private func prepare(_ queue: ChatQueue, updates: Int) throws -> QueuedUpdate {
        for id in 1...updates { try queue.enqueue(chat: 1, updateID: Int64(id), payload: update(id, chat: 1), now: t0) }
        let claimed = try XCTUnwrap(queue.claim(worker: "w", now: t0, lease: 30))
        XCTAssertEqual(claimed.chat, 1)
        let head = try XCTUnwrap(claimed.update)
        XCTAssertEqual(try queue.fail(chat: 1, update: head, worker: "w", error: "once", maxAttempts: 5, now: t0), .retry(attempts: 1))
        try queue.enqueue(chat: 2, updateID: 100, payload: update(100, chat: 2), now: t0.addingTimeInterval(1))
        return head
    }

    private func assertSameStateAsAckThenRelease(updates: Int, release: ReleaseAfterAck, file: StaticString = #filePath,
                                                 line: UInt = #line) throws {
        let apart = ChatQueue(redis: try TestServices.redisConnection(), prefix: prefix + "-apart-\(updates)-\(release)")
        let head = try prepare(apart, updates: updates)
        _ = try apart.ack(chat: 1, update: head, worker: "w", now: t0.addingTimeInterval(1), lease: 30)
        XCTAssertTrue(try apart.release(chat: 1, worker: "w", now: t0.addingTimeInterval(1)), file: file, line: line)

        let together = ChatQueue(redis: try TestServices.redisConnection(), prefix: prefix + "-together-\(updates)-\(release)")
        let sameHead = try prepare(together, updates: updates)
        XCTAssertEqual(try together.ack(chat: 1, update: sameHead, worker: "w", now: t0.addingTimeInterval(1), lease: 30, release: release),
                       .released, file: file, line: line)

        let expected = try state(of: apart)
        XCTAssertEqual(try state(of: together), expected, file: file, line: line)
        XCTAssertNil(expected["attempts"], "the failed attempt on record is gone", file: file, line: line)
        XCTAssertNil(expected["owner"], file: file, line: line)
    }

    func testAnAckThatReleasesTheLastUpdateLeavesWhatAckThenReleaseLeft() throws {
        try assertSameStateAsAckThenRelease(updates: 1, release: .whenEmpty)
        try assertSameStateAsAckThenRelease(updates: 1, release: .always)
    }

    func testAnAckThatReleasesAChatWithMoreWaitingLeavesWhatAckThenReleaseLeft() throws {
        try assertSameStateAsAckThenRelease(updates: 3, release: .always)
    }

    func testAfterTheLastUpdateTheChatIsNobodysAndAnotherWorkerTakesItsNextArrival() throws {
        try queue.enqueue(chat: 5, updateID: 1, payload: update(1, chat: 5), now: t0)
        let first = try XCTUnwrap(queue.claim(worker: "a", now: t0, lease: 30)?.update)
        XCTAssertEqual(try queue.ack(chat: 5, update: first, worker: "a", now: t0, lease: 30, release: .whenEmpty), .released)
        XCTAssertNil(try queue.redis.command("HGET", queue.keys.owner, "5").string, "not owned")
        XCTAssertEqual(try queue.redis.command("ZSCORE", queue.keys.lease, "5"), .null, "not leased")
        XCTAssertEqual(try queue.redis.command("HLEN", queue.keys.handouts).int, 0)
        XCTAssertNil(try queue.claim(worker: "b", now: t0, lease: 30), "nothing waits")
        XCTAssertEqual(try queue.figures(now: t0, heartbeatTTL: 30).depth, 0)

        try queue.enqueue(chat: 5, updateID: 2, payload: update(2, chat: 5), now: t0.addingTimeInterval(1))
        let claim = try XCTUnwrap(queue.claim(worker: "b", now: t0.addingTimeInterval(1), lease: 30))
        XCTAssertEqual(claim.chat, 5)
        XCTAssertEqual(claim.update?.updateID, 2)
        XCTAssertEqual(claim.update?.handouts, 1)
        XCTAssertFalse(try queue.release(chat: 5, worker: "a", now: t0.addingTimeInterval(1)), "the chat is b's now")
    }

    func testAnAckThatMayReleaseKeepsTheChatWhileMoreWaitAndTheLastOneIsNotAsked() throws {
        for id in 1...2 { try queue.enqueue(chat: 6, updateID: Int64(id), payload: update(id, chat: 6), now: t0) }
        let first = try XCTUnwrap(queue.claim(worker: "a", now: t0, lease: 30)?.update)
        guard case .update(let second) = try queue.ack(chat: 6, update: first, worker: "a", now: t0, lease: 30, release: .whenEmpty) else {
            return XCTFail("no next")
        }
        XCTAssertEqual([second.updateID, Int64(second.handouts)], [2, 1])
        XCTAssertEqual(try queue.redis.command("HGET", queue.keys.owner, "6").string, "a")
        XCTAssertEqual(try queue.redis.command("ZSCORE", queue.keys.lease, "6").string.flatMap(Double.init),
                       t0.timeIntervalSince1970 * 1000 + 30_000, "the lease runs from the ack")
        XCTAssertNil(try queue.claim(worker: "b", now: t0, lease: 30), "still a's")
        XCTAssertEqual(try queue.ack(chat: 6, update: second, worker: "a", now: t0, lease: 30, release: .whenEmpty), .released)
    }

    /// Asked to stop after this one, the chat goes back to `ready` behind the chats already
    /// waiting, those that became ready in the ack's own millisecond included.
    func testAChatReleasedWithMoreWaitingGoesBehindTheChatsAlreadyWaiting() throws {
        for id in 1...2 { try queue.enqueue(chat: 1, updateID: Int64(id), payload: update(id, chat: 1), now: t0) }
        let first = try XCTUnwrap(queue.claim(worker: "a", now: t0, lease: 30)?.update)
        let ackedAt = t0.addingTimeInterval(1)
        try queue.enqueue(chat: 3, updateID: 30, payload: update(30, chat: 3), now: t0.addingTimeInterval(0.5))
        try queue.enqueue(chat: 2, updateID: 20, payload: update(20, chat: 2), now: ackedAt)
        try queue.redis.command("DEL", queue.keys.wake)
        XCTAssertEqual(try queue.ack(chat: 1, update: first, worker: "a", now: ackedAt, lease: 30, release: .always), .released)
        XCTAssertEqual(try queue.redis.command("LLEN", queue.keys.wake).int, 1, "sleeping workers are woken")
        let later = ackedAt.addingTimeInterval(1)
        let claims = try (0..<3).map { _ in try XCTUnwrap(queue.claim(worker: "b", now: later, lease: 30)) }
        XCTAssertEqual(claims.map(\.chat), [3, 2, 1])
        XCTAssertEqual([claims[2].update?.updateID, claims[2].update.map { Int64($0.handouts) }], [2, 1],
                       "its next update, first handed out now (the one before came back)")
    }

    func testAnAckWithALostLeaseReleasesNothing() throws {
        for id in 1...2 { try queue.enqueue(chat: 9, updateID: Int64(id), payload: update(id, chat: 9), now: t0) }
        let first = try XCTUnwrap(queue.claim(worker: "a", now: t0, lease: 30)?.update)
        XCTAssertEqual(try queue.reap(now: t0.addingTimeInterval(31)), 1)
        let again = try XCTUnwrap(queue.claim(worker: "b", now: t0.addingTimeInterval(31), lease: 30)?.update)
        XCTAssertEqual(again.payload, first.payload)
        let before = try state(of: queue)
        for release in [ReleaseAfterAck.whenEmpty, .always] {
            XCTAssertEqual(try queue.ack(chat: 9, update: first, worker: "a", now: t0.addingTimeInterval(32), lease: 30, release: release),
                           .leaseLost)
        }
        XCTAssertEqual(try state(of: queue), before, "nothing changed: still b's, head still there")
        XCTAssertEqual(try queue.redis.command("HGET", queue.keys.owner, "9").string, "b")
    }

    /// The handler's figures go with the ack, and the last ack of a chat gives it back:
    /// after the loop, every figure is counted once and no chat is held.
    func testTheHandlersFiguresGoWithItsAckAndTheLastAckReleasesTheChat() throws {
        for id in 1...3 { try queue.enqueue(chat: 40, updateID: Int64(id), payload: Data("a\(id)".utf8), now: Date()) }
        try queue.enqueue(chat: 41, updateID: 10, payload: Data("b".utf8), now: Date())
        let counter = "{\(prefix)}:figures"
        var handled: [String] = []
        let consumer = QueueConsumer(
            queue: queue, settings: .init(worker: "w", idleWait: 0.05), logger: Logger(label: "test"),
            handleRecording: { chat, update in
                handled.append(String(decoding: update.payload, as: UTF8.self))
                return [["HINCRBY", counter, String(chat), "1"], ["HINCRBY", counter, "all", "1"]]
            })
        consumer.run(shouldStop: { handled.count >= 4 })
        XCTAssertEqual(handled.sorted(), ["a1", "a2", "a3", "b"])
        let figures = try queue.redis.command("HGETALL", counter).array?.compactMap(\.string) ?? []
        XCTAssertEqual(Dictionary(uniqueKeysWithValues: stride(from: 0, to: figures.count - 1, by: 2).map { (figures[$0], figures[$0 + 1]) }),
                       ["40": "3", "41": "1", "all": "4"])
        XCTAssertEqual(try queue.redis.command("HLEN", queue.keys.owner).int, 0, "no chat held")
        XCTAssertEqual(try queue.redis.command("ZCARD", queue.keys.lease).int, 0)
        XCTAssertEqual(try queue.figures(heartbeatTTL: 30).depth, 0)
    }

    /// A stop asked while a busy chat is in hand: the ack that sees it gives the chat back,
    /// its rest claimable at once by another worker, first hand-out.
    func testAStopGivesTheBusyChatBackWithItsLastAck() throws {
        for id in 1...5 { try queue.enqueue(chat: 50, updateID: Int64(id), payload: Data("u\(id)".utf8), now: Date()) }
        var handled: [String] = []
        let consumer = QueueConsumer(queue: queue, settings: .init(worker: "w", idleWait: 0.05), logger: Logger(label: "test"),
                                     handle: { _, update in handled.append(String(decoding: update.payload, as: UTF8.self)) })
        consumer.run(shouldStop: { handled.count >= 2 })
        XCTAssertEqual(handled, ["u1", "u2"])
        let claim = try XCTUnwrap(queue.claim(worker: "other", lease: 30))
        XCTAssertEqual(claim.update.map { String(decoding: $0.payload, as: UTF8.self) }, "u3")
        XCTAssertEqual(claim.update?.handouts, 1)
    }
}

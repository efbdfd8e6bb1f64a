@testable import Delivery
import Foundation
import Redis
import TestSupport
import XCTest

/// The shared send budget, on the real Redis (times are given, so nothing here waits).
final class SendRateLimiterTests: XCTestCase {
    private var limiter: SendRateLimiter!
    private let start = Date(timeIntervalSince1970: 1_800_000_000)

    override func setUpWithError() throws {
        limiter = SendRateLimiter(redis: try TestServices.redisConnection(), prefix: "rl-\(UUID().uuidString.prefix(8))", perSecond: 8)
    }

    private func granted(_ lane: SendRateLimiter.Lane, chat: Int64, at time: Date, tries: Int) throws -> Int {
        try (0..<tries).filter { _ in try limiter.acquire(lane, chat: chat, now: time) == 0 }.count
    }

    func testInteractiveSendsGetTheWholeBurstThenWait() throws {
        XCTAssertEqual(try granted(.interactive, chat: 1, at: start, tries: 20), 8)
        let wait = try limiter.acquire(.interactive, chat: 1, now: start)
        XCTAssertEqual(wait, 0.125, accuracy: 0.002, "one token comes back every 1/8 s")
        XCTAssertEqual(try granted(.interactive, chat: 1, at: start.addingTimeInterval(0.5), tries: 20), 4, "refilled at the rate")
    }

    func testBackgroundLeavesAReserveForInteractiveReplies() throws {
        // Background traffic of many chats stops while a quarter of the bucket is left…
        XCTAssertEqual(try (1...20).filter { try limiter.acquire(.background, chat: $0, now: start) == 0 }.count, 6)
        XCTAssertGreaterThan(try limiter.acquire(.background, chat: 99, now: start), 0)
        // …which replies to people still get.
        XCTAssertEqual(try granted(.interactive, chat: 1, at: start, tries: 10), 2)
    }

    func testBackgroundSendsToOneChatAreOneASecond() throws {
        XCTAssertEqual(try granted(.background, chat: 5, at: start, tries: 5), 1)
        XCTAssertEqual(try limiter.acquire(.background, chat: 5, now: start.addingTimeInterval(0.5)), 0.5, accuracy: 0.002)
        XCTAssertEqual(try granted(.background, chat: 5, at: start.addingTimeInterval(1), tries: 5), 1)
        XCTAssertEqual(try granted(.background, chat: 6, at: start.addingTimeInterval(1), tries: 1), 1, "other chats are not held up")
    }
}

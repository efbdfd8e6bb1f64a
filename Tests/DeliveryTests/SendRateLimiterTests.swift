@testable import Delivery
import Foundation
import Redis
import TestSupport
import XCTest

/// The shared send budget, on the real Redis (times are given, so nothing here waits).
final class SendRateLimiterTests: XCTestCase {
    private var limiter: SendRateLimiter!
    private let start = Date(timeIntervalSince1970: 1_800_000_000)
    private let prefix = "rl-\(UUID().uuidString.prefix(8))"

    override func setUpWithError() throws {
        limiter = SendRateLimiter(redis: try TestServices.redisConnection(), prefix: prefix, perSecond: 8)
    }

    private func granted(_ lane: SendRateLimiter.Lane, chat: Int64, at time: Date, tries: Int) throws -> Int {
        try (0..<tries).filter { _ in try limiter.acquire(lane, chat: chat, now: time) == 0 }.count
    }

    func testInteractiveSendsGetTheBotsWholeSecondSpreadOverChatsThenWait() throws {
        XCTAssertEqual(try (1...20).filter { try limiter.acquire(.interactive, chat: Int64($0), now: start) == 0 }.count, 8)
        XCTAssertEqual(try limiter.request(.interactive, chat: 99, now: start), .wait(seconds: 1.05, wholeBot: true),
                       "the next send is free when the first of the second leaves the window (with its margin), for every chat")
        XCTAssertEqual(try (21...40).filter { try limiter.acquire(.interactive, chat: Int64($0), now: start.addingTimeInterval(0.5)) == 0 }.count,
                       0, "a token bucket would have refilled half by now: twice the budget within one second")
        XCTAssertEqual(try (41...60).filter { try limiter.acquire(.interactive, chat: Int64($0), now: start.addingTimeInterval(1.05)) == 0 }.count,
                       8, "a second (and the margin) later, the window is free again")
    }

    func testTheWaitIsUntilTheOldestGrantOfTheWindowLeaves() throws {
        for step in 0..<8 {
            XCTAssertEqual(try limiter.acquire(.interactive, chat: Int64(step), now: start.addingTimeInterval(Double(step) / 10)), 0)
        }
        XCTAssertEqual(try limiter.request(.interactive, chat: 20, now: start.addingTimeInterval(0.8)), .wait(seconds: 0.25, wholeBot: true),
                       "the grant at 0 s leaves at 1.05 s")
        XCTAssertEqual(try limiter.acquire(.interactive, chat: 20, now: start.addingTimeInterval(1.05)), 0)
        XCTAssertEqual(try limiter.request(.interactive, chat: 21, now: start.addingTimeInterval(1.05)), .wait(seconds: 0.1, wholeBot: true),
                       "then the one at 0.1 s, at 1.15 s")
        // A clock that steps back counts from the newest grant: the window stays full.
        XCTAssertEqual(try limiter.request(.interactive, chat: 22, now: start.addingTimeInterval(0.5)), .wait(seconds: 0.1, wholeBot: true))
    }

    func testNoOneSecondEverHoldsMoreThanTheBudget() throws {
        // Sends asked for every 10 ms for 5 s, by replies and background alike.
        var grants: [Int] = []
        for step in 0..<500 {
            let lane: SendRateLimiter.Lane = step.isMultiple(of: 3) ? .background : .interactive
            if try limiter.acquire(lane, chat: Int64(step), now: start.addingTimeInterval(Double(step) / 100)) == 0 { grants.append(step * 10) }
        }
        let busiest = grants.map { from in grants.filter { $0 >= from && $0 < from + 1000 }.count }.max() ?? 0
        XCTAssertEqual(busiest, 8, "any 1-second window: at most the budget, and the budget used")
        XCTAssertEqual(grants.count, 40, "eight a second, sustained")
    }

    func testRepliesToOneChatAreNeverHeldBackByItsBudgetButSpendIt() throws {
        XCTAssertEqual(try granted(.interactive, chat: 1, at: start, tries: 5), 5, "a person waits for each")
        XCTAssertEqual(try limiter.request(.background, chat: 1, now: start), .wait(seconds: 2, wholeBot: false),
                       "a notice to that chat waits until its budget is back above the reply's reserve")
        XCTAssertEqual(try granted(.background, chat: 2, at: start, tries: 1), 1, "other chats are not held up")
    }

    func testBackgroundLeavesAReserveForInteractiveReplies() throws {
        // Background traffic of many chats stops while a quarter of the bucket is left…
        XCTAssertEqual(try (1...20).filter { try limiter.acquire(.background, chat: Int64($0), now: start) == 0 }.count, 6)
        XCTAssertGreaterThan(try limiter.acquire(.background, chat: 99, now: start), 0)
        // …which replies to people still get.
        XCTAssertEqual(try (1...10).filter { try limiter.acquire(.interactive, chat: Int64(100 + $0), now: start) == 0 }.count, 2)
    }

    func testBackgroundKeepsOneSendASecondWhileRepliesTakeTheWholeBudget() throws {
        XCTAssertEqual(try (1...6).filter { try limiter.acquire(.interactive, chat: Int64($0), now: start) == 0 }.count, 6)
        let later = start.addingTimeInterval(0.25)  // two sends left: below the background's reserve
        XCTAssertEqual(try limiter.acquire(.background, chat: 50, now: later), 0, "the background's floor")
        XCTAssertGreaterThan(try limiter.acquire(.background, chat: 51, now: later), 0, "one a second, no more")
        XCTAssertEqual(try limiter.acquire(.interactive, chat: 52, now: later), 0, "replies have the rest")
        XCTAssertEqual(try limiter.acquire(.background, chat: 51, now: start.addingTimeInterval(1.25)), 0, "a second later, the next")
    }

    func testBackgroundSendsToOneChatLeaveOneOfItsBurstForAReply() throws {
        XCTAssertEqual(try granted(.background, chat: 5, at: start, tries: 5), 2)
        XCTAssertEqual(try granted(.interactive, chat: 5, at: start, tries: 1), 1, "the reply still goes at once")
        XCTAssertEqual(try limiter.acquire(.background, chat: 5, now: start.addingTimeInterval(0.5)), 1.5, accuracy: 0.002,
                       "then one a second, two tokens needed")
        XCTAssertEqual(try granted(.background, chat: 6, at: start.addingTimeInterval(1), tries: 1), 1, "other chats are not held up")
    }

    func testA429HoldsTheChatForEverySenderUntilItsRetryAfter() throws {
        try limiter.hold(chat: 7, seconds: 2)
        guard case .wait(let seconds, let wholeBot) = try limiter.request(.interactive, chat: 7, now: start) else {
            return XCTFail("a held chat gets nothing")
        }
        XCTAssertFalse(wholeBot)
        XCTAssertGreaterThan(seconds, 1, "about retry_after (Redis's own clock counts it down)")
        XCTAssertLessThanOrEqual(seconds, 2)
        XCTAssertEqual(try granted(.interactive, chat: 8, at: start, tries: 1), 1, "other chats are not held up")
    }

    func testAHostileRetryAfterIsBounded() throws {
        try limiter.hold(chat: 9, seconds: Int.max)
        let ttl = try TestServices.redisConnection().command("PTTL", "{\(prefix)}:rl:hold:9").int ?? 0
        XCTAssertEqual(ttl, 3_600_000, accuracy: 1000, "an hour at most")
    }
}

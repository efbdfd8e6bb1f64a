import Conversation
import Foundation
import XCTest

final class CallbackDataTests: XCTestCase {
    private let now = Date(timeIntervalSince1970: 1_790_000_000)
    private let ttl: TimeInterval = 48 * 3600

    private let everyAction: [CallbackAction] = [
        .menu, .howItWorks, .bookNow, .services, .pickService(service: 7), .month(service: 7, month: 2026 * 12 + 10),
        .day(service: 7, day: 20_782), .slot(service: 7, start: 29_833_560), .confirm(service: 7, start: 29_833_560),
        .cancelFlow, .myBookings, .askCancel(booking: 123_456_789), .confirmCancel(booking: 123_456_789),
        .move(booking: 42), .moveMonth(booking: 42, month: 24_321), .moveDay(booking: 42, day: 20_782),
        .moveSlot(booking: 42, start: 29_833_560), .confirmMove(booking: 42, start: 29_833_560),
        .rate(booking: 42, stars: 5), .skipReview(booking: 42), .noop,
    ]

    func testEveryActionRoundTripsWithinSixtyFourBytes() throws {
        for action in everyAction {
            let text = CallbackData.encode(action, issuedAt: now)
            XCTAssertLessThanOrEqual(text.utf8.count, 64, text)
            let decoded = try CallbackData.decode(text, now: now, ttl: ttl).get()
            XCTAssertEqual(decoded.action, action, text)
            XCTAssertEqual(decoded.issuedAt.timeIntervalSince1970, now.timeIntervalSince1970, accuracy: 60)
        }
    }

    func testTheLargestIdsStillFit() {
        let huge = Int64(Int32.max) * 1000
        let text = CallbackData.encode(.confirmMove(booking: huge, start: 99_999_999), issuedAt: Date(timeIntervalSince1970: 4_000_000_000))
        XCTAssertLessThanOrEqual(text.utf8.count, 64)
    }

    func testAButtonOlderThanTheTTLIsStale() {
        let text = CallbackData.encode(.myBookings, issuedAt: now.addingTimeInterval(-49 * 3600))
        XCTAssertEqual(CallbackData.decode(text, now: now, ttl: ttl).failure, .stale)
        let fresh = CallbackData.encode(.myBookings, issuedAt: now.addingTimeInterval(-47 * 3600))
        XCTAssertNotNil(try? CallbackData.decode(fresh, now: now, ttl: ttl).get())
    }

    func testAnythingNotMadeByTheBotIsMalformed() {
        let valid = CallbackData.encode(.askCancel(booking: 42), issuedAt: now)
        let forged = [
            "", "garbage", "1", "1.", "1..ca.16", valid + ".1", valid.uppercased(), valid.replacingOccurrences(of: ".ca.", with: ".zz."),
            "1.abc.ca.-16", "1.abc.ca.016", "1.abc.ca.1 6", "1.abc.ca.0", "1.abc.r.16.6", "1.abc.r.16.0", "1.abc.s",
            "1.abc.ca.zzzzzzzzzzzzz", String(repeating: "1", count: 65), "1.abc.m.", "1.abc.x.1",
            CallbackData.encode(.menu, issuedAt: now.addingTimeInterval(3600)),  // dated in the future
        ]
        for text in forged {
            XCTAssertEqual(CallbackData.decode(text, now: now, ttl: ttl).failure, .malformed, "'\(text)'")
        }
    }

    func testAnotherVersionIsToldApart() {
        XCTAssertEqual(CallbackData.decode("2.abc.m", now: now, ttl: ttl).failure, .unsupportedVersion)
        XCTAssertEqual(CallbackData.decode("0.abc.m", now: now, ttl: ttl).failure, .unsupportedVersion)
    }

    func testStalenessNeverHidesForgery() {
        let old = CallbackData.encode(.menu, issuedAt: now.addingTimeInterval(-100 * 3600)) + ".5"
        XCTAssertEqual(CallbackData.decode(old, now: now, ttl: ttl).failure, .malformed)
    }
}

private extension Result {
    var failure: Failure? {
        if case .failure(let error) = self { return error }
        return nil
    }
}

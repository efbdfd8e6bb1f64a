import Foundation
import HTTP
import Sandbox
import Telegram
import XCTest

/// getUpdates as Telegram runs it: offsets confirm, long polls wake, one poller at a time.
final class PollingTests: SandboxTestCase {
    func testUpdateIDsCountUpFromTheStartValue() throws {
        let ids = try (1...3).map { try sandbox.sendText("m\($0)", from: 10).updateID }
        XCTAssertEqual(ids, [500, 501, 502])
    }

    func testOffsetConfirmsEarlierUpdates() throws {
        for text in ["one", "two", "three"] { try sandbox.sendText(text, from: 10) }
        var updates = try bot.getUpdates()
        XCTAssertEqual(updates.map { $0.message?.text }, ["one", "two", "three"])
        XCTAssertEqual(try bot.getUpdates().count, 3, "without an offset nothing is confirmed")
        XCTAssertEqual(try bot.getUpdates(limit: 2).map(\.updateID), [500, 501])

        updates = try bot.getUpdates(offset: 501)
        XCTAssertEqual(updates.map(\.updateID), [501, 502], "offset 501 confirmed 500")
        XCTAssertEqual(sandbox.pendingUpdateCount, 2)
        XCTAssertEqual(try bot.getUpdates(offset: 503), [])
        XCTAssertEqual(sandbox.pendingUpdateCount, 0)

        for text in ["four", "five", "six"] { try sandbox.sendText(text, from: 10) }
        XCTAssertEqual(try bot.getUpdates(offset: -1).map { $0.message?.text }, ["six"], "a negative offset keeps only the last ones")
        XCTAssertEqual(sandbox.pendingUpdateCount, 1)
    }

    func testLongPollWakesOnANewUpdate() throws {
        let sandbox = self.sandbox!
        let sender = Thread {
            usleep(300_000)
            _ = try? sandbox.sendText("late hello", from: 11)
        }
        let started = Date()
        sender.start()
        let updates = try bot.getUpdates(timeout: 10)
        let waited = Date().timeIntervalSince(started)
        XCTAssertEqual(updates.map { $0.message?.text }, ["late hello"])
        XCTAssertGreaterThan(waited, 0.25)
        XCTAssertLessThan(waited, 5, "the poll answered when the update came, not at its timeout")
    }

    func testLongPollEndsEmptyAtItsTimeout() throws {
        let started = Date()
        XCTAssertEqual(try bot.getUpdates(timeout: 1), [])
        let waited = Date().timeIntervalSince(started)
        XCTAssertGreaterThanOrEqual(waited, 0.95, "held for its timeout")
        XCTAssertLessThan(waited, 4, "and not much longer")
    }

    func testASecondGetUpdatesTerminatesTheFirst() throws {
        let first = PollOutcome()
        let baseURL = sandbox.baseURL
        let token = self.token
        let poller = Thread {
            let other = TelegramClient(baseURL: baseURL, token: token, http: HTTPClient())
            first.set(Result { try other.getUpdates(timeout: 10) })
        }
        poller.start()
        XCTAssertTrue(eventually { self.sandbox.calls(method: "getUpdates").count == 1 })
        // The first call is recorded just before its poll begins to wait: a newer request
        // that lands in between ends nothing, so ask again until the first one is ended.
        XCTAssertTrue(eventually {
            XCTAssertEqual(try? self.bot.getUpdates(timeout: 0), [], "the newer request is served")
            return first.value != nil
        })
        guard case .failure(let error)? = first.value else { return XCTFail("the first poll should have failed") }
        XCTAssertEqual(error as? TelegramError,
                       .conflict("Conflict: terminated by other getUpdates request; make sure that only one bot instance is running"))
        let codes = sandbox.calls(method: "getUpdates").map(\.errorCode)
        XCTAssertEqual(codes.first, 409, "the first poll was ended by a newer one")
        XCTAssertEqual(codes.dropFirst().compactMap { $0 }, [], "every newer one was served")
    }

    func testGetUpdatesWhileAWebhookIsSetIs409() throws {
        try bot.setWebhook(url: "http://127.0.0.1:1/hook")
        assertFailure(try post("getUpdates", "{}"), 409,
                      "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first")
        try bot.deleteWebhook()
        XCTAssertEqual(try bot.getUpdates(), [])
    }

    func testSettingAWebhookEndsAWaitingPoll() throws {
        let first = PollOutcome()
        let baseURL = sandbox.baseURL
        let token = self.token
        Thread {
            let other = TelegramClient(baseURL: baseURL, token: token, http: HTTPClient())
            first.set(Result { try other.getUpdates(timeout: 10) })
        }.start()
        XCTAssertTrue(eventually { self.sandbox.calls(method: "getUpdates").count == 1 })
        try bot.setWebhook(url: "http://127.0.0.1:1/hook")
        XCTAssertTrue(eventually(timeout: 3) { first.value != nil })
        guard case .failure(TelegramError.conflict)? = first.value else { return XCTFail("\(String(describing: first.value))") }
    }

    func testStopAnswersAWaitingPollAndClosesThePort() throws {
        let first = PollOutcome()
        let baseURL = sandbox.baseURL
        let token = self.token
        Thread {
            let other = TelegramClient(baseURL: baseURL, token: token, http: HTTPClient())
            first.set(Result { try other.getUpdates(timeout: 20) })
        }.start()
        XCTAssertTrue(eventually { self.sandbox.calls(method: "getUpdates").count == 1 })
        let started = Date()
        sandbox.stop()
        XCTAssertLessThan(Date().timeIntervalSince(started), 3)
        XCTAssertTrue(eventually { first.value != nil })
        guard case .network? = botError({ _ = try bot.getMe() }) else { return XCTFail("the port should be closed") }
    }

    func testAStoppedSandboxDoesNotRestartAndATakenPortIsRefused() throws {
        let second = SandboxServer(options: SandboxOptions(token: token, port: sandbox.port))
        XCTAssertThrowsError(try second.start()) { error in
            guard case SandboxError.cannotStart = error else { return XCTFail("\(error)") }
        }
        XCTAssertThrowsError(try sandbox.start(), "already running")
        sandbox.stop()
        XCTAssertThrowsError(try sandbox.start(), "stopped for good")
    }

    func testAllowedUpdatesFilterKinds() throws {
        _ = try bot.getUpdates(allowedUpdates: ["callback_query"])
        try sandbox.sendText("ignored", from: 12)
        XCTAssertEqual(sandbox.pendingUpdateCount, 0, "a message is not an allowed update")
        _ = try bot.getUpdates(allowedUpdates: [])
        try sandbox.sendText("kept", from: 12)
        XCTAssertEqual(try bot.getUpdates().map { $0.message?.text }, ["kept"])
    }
}

/// What a poll on another thread ended with.
final class PollOutcome: @unchecked Sendable {
    private let lock = NSLock()
    private var result: Result<[Update], any Error>?
    func set(_ value: Result<[Update], any Error>) { lock.withLock { result = value } }
    var value: Result<[Update], any Error>? { lock.withLock { result } }
}

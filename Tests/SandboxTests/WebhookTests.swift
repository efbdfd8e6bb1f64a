import Foundation
import HTTP
import Sandbox
import Telegram
import TestSupport
import XCTest

/// Webhook delivery as Telegram does it, against a real receiver on loopback.
final class WebhookTests: SandboxTestCase {
    private var receiver: WebhookReceiver?

    override func tearDown() {
        super.tearDown()
        receiver?.stop()
    }

    private func receive(_ script: @escaping WebhookReceiver.Script = { _, _ in (200, 0) }) -> WebhookReceiver {
        let receiver = WebhookReceiver(script: script)
        receiver.start()
        self.receiver = receiver
        return receiver
    }

    func testDeliversWithTheSecretAndConfirmsOn2xx() throws {
        let receiver = receive()
        try bot.setWebhook(url: receiver.url, secretToken: "s3cr3t_-Token")
        let sent = try ["/start", "Book", "About"].map { try sandbox.sendText($0, from: 21).updateID }
        XCTAssertTrue(eventually { self.sandbox.pendingUpdateCount == 0 })
        XCTAssertEqual(receiver.accepted.map(\.updateID), sent)
        XCTAssertEqual(Set(receiver.deliveries.map(\.secret)), ["s3cr3t_-Token"])
        XCTAssertEqual(receiver.deliveries.count, 3, "each update was posted once")
        let info = try bot.getWebhookInfo()
        XCTAssertEqual(info.url, receiver.url)
        XCTAssertEqual(info.pendingUpdateCount, 0)
        XCTAssertNil(info.lastErrorMessage)
    }

    func testNoSecretHeaderWithoutASecret() throws {
        let receiver = receive()
        try bot.setWebhook(url: receiver.url)
        try sandbox.sendText("hi", from: 22)
        XCTAssertTrue(eventually { receiver.accepted.count == 1 })
        XCTAssertNil(receiver.deliveries.first?.secret)
    }

    func testOneInFlightPerChatInOrderWhileChatsRunInParallel() throws {
        let receiver = receive { _, _ in (200, 0.15) }
        try bot.setWebhook(url: receiver.url)
        var sent: [Int64: [Int64]] = [:]
        for round in 1...3 {
            for user: Int64 in [31, 32, 33] {
                sent[user, default: []].append(try sandbox.sendText("m\(round)", from: user).updateID)
            }
        }
        XCTAssertTrue(eventually(timeout: 8) { self.sandbox.pendingUpdateCount == 0 })
        for user: Int64 in [31, 32, 33] {
            XCTAssertEqual(receiver.accepted.filter { $0.chatID == user }.map(\.updateID), sent[user], "chat \(user) in order")
        }
        XCTAssertEqual(receiver.maxInFlightPerChat, 1, "never two updates of one chat at once")
        XCTAssertGreaterThanOrEqual(receiver.maxInFlight, 2, "different chats are delivered concurrently")
    }

    func testMaxConnectionsCapsConcurrency() throws {
        let receiver = receive { _, _ in (200, 0.1) }
        try bot.setWebhook(url: receiver.url, maxConnections: 1)
        for user: Int64 in 41...44 { try sandbox.sendText("hi", from: user) }
        XCTAssertTrue(eventually(timeout: 5) { self.sandbox.pendingUpdateCount == 0 })
        XCTAssertEqual(receiver.maxInFlight, 1)
    }

    func testRetriesAfterAFailureKeepingOrder() throws {
        // The first update fails twice with 500, then succeeds.
        let receiver = receive { updateID, attempt in (updateID == 500 && attempt <= 2) ? (500, 0) : (200, 0) }
        try bot.setWebhook(url: receiver.url)
        try sandbox.sendText("first", from: 51)
        XCTAssertTrue(eventually { receiver.deliveries.count >= 1 })
        try sandbox.sendText("second", from: 51)
        XCTAssertTrue(eventually { self.sandbox.pendingUpdateCount == 0 })
        XCTAssertEqual(receiver.deliveries.map(\.updateID), [500, 500, 500, 501], "the second waited for the first")
        XCTAssertEqual(receiver.deliveries.map(\.status), [500, 500, 200, 200])
        XCTAssertEqual(try bot.getWebhookInfo().lastErrorMessage, "Wrong response from the webhook: 500")
    }

    func testUnconfirmedUpdatesStayPendingUntilA2xx() throws {
        let failing = FlagBox(true)
        let receiver = receive { _, _ in failing.value ? (503, 0) : (204, 0) }
        try bot.setWebhook(url: receiver.url)
        try sandbox.sendText("hello", from: 52)
        XCTAssertTrue(eventually { receiver.deliveries.count >= 3 })
        XCTAssertEqual(sandbox.pendingUpdateCount, 1, "not confirmed by a 503")
        failing.value = false
        XCTAssertTrue(eventually { self.sandbox.pendingUpdateCount == 0 })
        XCTAssertEqual(receiver.accepted.map(\.updateID), [500])
    }

    func testConnectionFailureKeepsTheUpdateForLater() throws {
        try bot.setWebhook(url: "http://127.0.0.1:\(unusedLoopbackPort())/nobody")
        try sandbox.sendText("anyone?", from: 53)
        XCTAssertTrue(eventually { (try? self.bot.getWebhookInfo().lastErrorMessage) == "Connection refused" })
        XCTAssertEqual(sandbox.pendingUpdateCount, 1)
        try bot.deleteWebhook()
        XCTAssertEqual(try bot.getUpdates().map { $0.message?.text }, ["anyone?"], "nothing was lost")
    }

    func testDropPendingUpdates() throws {
        try sandbox.sendText("old", from: 54)
        let receiver = receive()
        try bot.setWebhook(url: receiver.url, dropPendingUpdates: true)
        try sandbox.sendText("new", from: 54)
        XCTAssertTrue(eventually { self.sandbox.pendingUpdateCount == 0 })
        XCTAssertEqual(receiver.accepted.map(\.updateID), [501])
    }

    func testWebhookSettingsAreValidated() throws {
        assertFailure(try post("setWebhook", #"{"url":"ftp://example.org/x"}"#), 400, "Bad Request: bad webhook: An HTTPS URL must be provided for webhook")
        assertFailure(try post("setWebhook", #"{"url":"https://example.org/x","secret_token":"no spaces"}"#), 400,
                      "Bad Request: secret token contains unallowed characters")
        let (status, answer) = try post("setWebhook", #"{"url":"https://example.org/x"}"#)
        XCTAssertEqual(status, 200)
        XCTAssertEqual(answer["description"], .string("Webhook was set"))
        XCTAssertEqual(try post("deleteWebhook", "{}").1["description"], .string("Webhook was deleted"))
    }
}

/// A flag a receiver script reads while the test flips it.
final class FlagBox: @unchecked Sendable {
    private let lock = NSLock()
    private var flag: Bool
    init(_ value: Bool) { flag = value }
    var value: Bool {
        get { lock.withLock { flag } }
        set { lock.withLock { flag = newValue } }
    }
}

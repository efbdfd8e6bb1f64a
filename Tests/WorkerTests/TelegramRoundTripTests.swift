import BotTestSupport
import DevSupport
import Foundation
import Sandbox
import TestSupport
import XCTest

/// With Telegram's real round trip, a worker's loop never waits on the network: it hands
/// its committed replies to the process's sender and takes the next chat's update.
final class TelegramRoundTripTests: BotTestCase {
    /// Every Bot API call is answered 200 ms after it was made.
    override var sandboxOptions: SandboxOptions { SandboxOptions(latency: SandboxLatency(milliseconds: 200)) }

    func testOneLoopHandlesTheSecondChatWhileTheFirstChatsReplyIsStillOnItsWay() throws {
        let (first, second): (Int64, Int64) = (1601, 1602)
        user(first, "Anna", language: "en")
        user(second, "Boris", language: "en")
        // One worker process with one loop; both updates wait before ingress starts, so
        // one getUpdates brings them together and the loop takes them back to back.
        let environment = try environment.merging(["RATE_LIMIT_MESSAGE": "0", "RATE_LIMIT_CALLBACK": "0"]) { $1 }
        try startWorker(environment, concurrency: 1)
        _ = try sandbox.sendText("/help", from: first)
        _ = try sandbox.sendText("/help", from: second)
        ingressPort = unusedLoopbackPort()
        processes.append(try bot.startIngress(port: ingressPort, environment: environment, currentDirectory: FileManager.default.temporaryDirectory))
        _ = try waitForBot(first, messages: 1)
        _ = try waitForBot(second, messages: 1)

        // Each reply is shown half a round trip before its answer gets back to the bot.
        XCTAssertTrue(ChildProcess.eventually(timeout: 5) {
            self.sandbox.calls(method: "sendMessage").filter { $0.answeredAt != nil }.count >= 2
        })
        let replies = sandbox.calls(method: "sendMessage")
        let toFirst = try XCTUnwrap(replies.first { $0.parameters["chat_id"] == .int(first) })
        let toSecond = try XCTUnwrap(replies.first { $0.parameters["chat_id"] == .int(second) })
        let (earlier, later) = toFirst.sequence < toSecond.sequence ? (toFirst, toSecond) : (toSecond, toFirst)
        let earlierAnswered = try XCTUnwrap(earlier.answeredAt, "the first reply was answered")
        // A loop that waited for Telegram could not have sent the second reply before the
        // first one's answer came back.
        XCTAssertLessThan(later.receivedAt, earlierAnswered,
                          "the second chat's reply went out while the first chat's was still on its way")
    }
}

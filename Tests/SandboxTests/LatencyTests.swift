import Foundation
import HTTP
import Sandbox
import Telegram
import XCTest

/// A round trip on every Bot API call: calls in flight wait side by side, a call takes
/// effect half-way, and the bot has its answer only after the way back. Orderings are
/// asserted, never durations: each leg is long enough that what is checked inside it
/// happens long before it ends.
final class LatencyTests: SandboxTestCase {
    override var options: SandboxOptions {
        var options = super.options
        options.latency = SandboxLatency(milliseconds: 1200)
        return options
    }

    func testCallsStartedTogetherAreInFlightTogether() throws {
        let count = 8
        let baseURL = sandbox.baseURL
        let token = self.token
        let answers = Outcomes<User>()
        let threads = (0..<count).map { _ in
            Thread {
                answers.add(Result { try TelegramClient(baseURL: baseURL, token: token, http: HTTPClient()).getMe() })
            }
        }
        threads.forEach { $0.start() }
        XCTAssertTrue(eventually(timeout: 15) { answers.count == count })
        XCTAssertEqual(answers.successes.map(\.id), Array(repeating: sandbox.bot.id, count: count))
        XCTAssertEqual(sandbox.peakBotCallsInFlight, count, "no call waited for another's round trip")
        XCTAssertEqual(sandbox.botCallsInFlight, 0)
    }

    func testASentMessageShowsHalfWayAndItsAnswerComesAfter() throws {
        try sandbox.sendText("hello", from: 10)
        let sent = Outcomes<Message>()
        let (baseURL, token) = (sandbox.baseURL, self.token)
        Thread {
            let bot = TelegramClient(baseURL: baseURL, token: token, http: HTTPClient())
            sent.add(Result { try bot.sendMessage(chatID: 10, text: "welcome") })
        }.start()
        XCTAssertTrue(eventually { self.sandbox.botCallsInFlight == 1 })

        // On its way to Telegram: nothing shows yet, and the control side is not delayed.
        let (status, chat) = try get("/control/chats/10")
        XCTAssertEqual(status, 200)
        guard case .array(let messages)? = chat["result"]?["messages"] else { return XCTFail("\(chat)") }
        XCTAssertEqual(messages.count, 1, "only the user's message")
        XCTAssertEqual(sandbox.calls(method: "sendMessage").count, 0, "Telegram has not received it yet")

        // It shows to the user while its answer is still on the way back to the bot.
        let shown = sandbox.waitForTranscript(chatID: 10, timeout: 10) { !$0.botMessages.isEmpty }
        XCTAssertEqual(sent.count, 0, "the bot has no answer yet")
        XCTAssertEqual(sandbox.botCallsInFlight, 1)

        XCTAssertTrue(eventually(timeout: 10) { sent.count == 1 })
        XCTAssertEqual(sent.successes.first?.messageID, shown?.botMessages.first?.messageID)
        XCTAssertEqual(sandbox.botCallsInFlight, 0)
    }

    func testALongPollWaitsBetweenItsLegs() throws {
        let polled = Outcomes<[Update]>()
        let (baseURL, token) = (sandbox.baseURL, self.token)
        Thread {
            let bot = TelegramClient(baseURL: baseURL, token: token, http: HTTPClient())
            polled.add(Result { try bot.getUpdates(timeout: 10) })
        }.start()
        // The poll waits at Telegram once its first leg passed (it is then in the call log).
        XCTAssertTrue(eventually(timeout: 10) { self.sandbox.calls(method: "getUpdates").count == 1 })
        try sandbox.sendText("late hello", from: 11)
        XCTAssertTrue(eventually(timeout: 10) { polled.count == 1 })
        XCTAssertEqual(polled.successes.first?.map { $0.message?.text }, ["late hello"])
    }

    func testAWebhookUpdateTravelsToTheBotAndItsAnswerBack() throws {
        let receiver = WebhookReceiver { _, _ in (200, 0) }
        receiver.start()
        defer { receiver.stop() }
        try bot.setWebhook(url: receiver.url)
        let first = try sandbox.sendText("one", from: 51).updateID
        let second = try sandbox.sendText("two", from: 51).updateID
        XCTAssertTrue(receiver.deliveries.isEmpty, "the first update is still on its way to the bot")

        // Received and answered, the answer on its way back: the update is not confirmed
        // yet, so the chat's next one waits.
        XCTAssertTrue(eventually(timeout: 10) { receiver.accepted.count == 1 })
        XCTAssertEqual(sandbox.pendingUpdateCount, 2)
        XCTAssertEqual(receiver.deliveries.map(\.updateID), [first])

        XCTAssertTrue(eventually(timeout: 10) { receiver.accepted.count == 2 })
        XCTAssertEqual(receiver.deliveries.map(\.updateID), [first, second], "each update once, in order")
        XCTAssertTrue(eventually(timeout: 10) { self.sandbox.pendingUpdateCount == 0 })
    }

    func testJitterNeverMakesARoundTripNegative() throws {
        // Options are public: out-of-range values are clamped, never trapped on.
        for latency in [SandboxLatency(milliseconds: 2, jitterMilliseconds: 50), SandboxLatency(milliseconds: Int.min, jitterMilliseconds: Int.min)] {
            let sandbox = SandboxServer(options: SandboxOptions(token: token, latency: latency))
            try sandbox.start()
            defer { sandbox.stop() }
            let bot = TelegramClient(baseURL: sandbox.baseURL, token: token, http: HTTPClient())
            for _ in 0..<10 { XCTAssertEqual(try bot.getMe().id, sandbox.bot.id) }
        }
    }
}

/// What calls made on other threads ended with, in the order they ended.
final class Outcomes<Value: Sendable>: @unchecked Sendable {
    private let lock = NSLock()
    private var results: [Result<Value, any Error>] = []

    func add(_ result: Result<Value, any Error>) { lock.withLock { results.append(result) } }
    var count: Int { lock.withLock { results.count } }
    var successes: [Value] { lock.withLock { results.compactMap { try? $0.get() } } }
    var failures: [any Error] {
        lock.withLock { results.compactMap { if case .failure(let error) = $0 { return error } else { return nil } } }
    }
}

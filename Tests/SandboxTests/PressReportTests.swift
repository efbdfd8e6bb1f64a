import Foundation
import HTTP
import Sandbox
import Telegram
import XCTest

/// What the Sandbox counts of the bot's answers to button presses, and Telegram's
/// deadline for them.
final class PressReportTests: SandboxTestCase {
    private let user: Int64 = 20
    private let invalid = "Bad Request: query is too old and response timeout expired or query ID is invalid"

    /// A message with a button, and `count` presses of it; their query ids.
    private func press(_ count: Int, in sandbox: SandboxServer, bot: TelegramClient) throws -> [String] {
        try sandbox.sendText("hello", from: user)
        let menu = try bot.sendMessage(chatID: user, text: "Pick", replyMarkup: .inlineKeyboard(InlineKeyboardMarkup([[.callback("A", "a")]])))
        return try (0..<count).map { _ in
            try XCTUnwrap(sandbox.pressButton(from: user, messageID: menu.messageID, callbackData: "a").callbackQuery?.id)
        }
    }

    func testTheReportCountsPressesAnswersAndTheUnanswered() throws {
        XCTAssertEqual(sandbox.pressReport(), .init(pressed: 0, answerDelays: [], late: 0, unanswered: 0))
        let ids = try press(3, in: sandbox, bot: bot)
        try bot.answerCallbackQuery(id: ids[0])
        try bot.answerCallbackQuery(id: ids[2], text: "done")
        assertFailure(try post("answerCallbackQuery", #"{"callback_query_id":"\#(ids[0])"}"#), 400, invalid)

        let report = sandbox.pressReport()
        XCTAssertEqual(report.pressed, 3)
        XCTAssertEqual(report.answerDelays.count, 2, "a second answer to a query is refused and not counted")
        XCTAssertTrue(report.answerDelays.allSatisfy { $0 >= 0 })
        XCTAssertEqual(report.late, 0, "no deadline by default")
        XCTAssertEqual(report.unanswered, 1)
    }

    func testResetCountersStartsANewReport() throws {
        let ids = try press(2, in: sandbox, bot: bot)
        try bot.answerCallbackQuery(id: ids[0])
        sandbox.injectFlood(calls: 1, retryAfter: 2)
        XCTAssertNotNil(botError { _ = try bot.getMe() })
        XCTAssertEqual(sandbox.floodRefusals, 1, "an injected 429 is a 429 given")

        sandbox.resetCounters()
        XCTAssertEqual(sandbox.pressReport(), .init(pressed: 0, answerDelays: [], late: 0, unanswered: 0))
        XCTAssertEqual(sandbox.floodRefusals, 0)
        XCTAssertEqual(sandbox.calls(method: "getMe").map(\.errorCode), [429], "the call log stays")

        try bot.answerCallbackQuery(id: ids[1])
        let next = try XCTUnwrap(sandbox.pressButton(from: user, messageID: 2, callbackData: "a").callbackQuery?.id)
        XCTAssertEqual(sandbox.pressReport(), .init(pressed: 1, answerDelays: [], late: 0, unanswered: 1),
                       "an answer to a press from before the reset is not counted")
        try bot.answerCallbackQuery(id: next)
        XCTAssertEqual(sandbox.pressReport().answerDelays.count, 1)
        XCTAssertEqual(sandbox.pressReport().unanswered, 0)
    }

    func testAnAnswerAfterTheDeadlineIsRefused() throws {
        let sandbox = SandboxServer(options: SandboxOptions(token: token, pressAnswerDeadline: 0.2))
        try sandbox.start()
        defer { sandbox.stop() }
        let bot = TelegramClient(baseURL: sandbox.baseURL, token: token, http: HTTPClient())
        let ids = try press(2, in: sandbox, bot: bot)
        usleep(400_000)  // past the deadline
        XCTAssertEqual(botError { try bot.answerCallbackQuery(id: ids[0], text: "too late") }, .badRequest(invalid))
        XCTAssertEqual(botError { try bot.answerCallbackQuery(id: ids[0]) }, .badRequest(invalid), "still refused, counted once")
        XCTAssertEqual(sandbox.transcript(chatID: user)?.callbackAnswers, [], "the user saw no answer")
        XCTAssertEqual(sandbox.pressReport(), .init(pressed: 2, answerDelays: [], late: 1, unanswered: 1))
    }
}

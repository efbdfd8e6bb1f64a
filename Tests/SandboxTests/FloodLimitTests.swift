import Foundation
import HTTP
import Sandbox
import Telegram
import XCTest

/// Telegram's flood control: a chat's burst, the bot's rate across chats, a group's
/// minute; over a limit a call gets 429 with retry_after and changes nothing. The rates
/// are slow enough that no token comes back while a test sends its burst.
final class FloodLimitTests: SandboxTestCase {
    /// Three at once per chat, then one every 20 s; five at once per group, then one every 12 s.
    static let limits = SandboxFloodLimits(botMessagesPerSecond: 30, chatMessagesPerSecond: 0.05, chatBurst: 3,
                                           groupMessagesPerMinute: 5)

    override var options: SandboxOptions {
        var options = super.options
        options.floodLimits = Self.limits
        return options
    }

    func testAChatsBurstPassesAndTheNextMessageIsRefused() throws {
        try sandbox.sendText("hello", from: 10)
        try sandbox.sendText("hello", from: 11)
        for index in 1...3 { _ = try bot.sendMessage(chatID: 10, text: "reply \(index)") }
        let (status, answer) = try post("sendMessage", #"{"chat_id":10,"text":"one too many"}"#)
        XCTAssertEqual(status, 429)
        let retryAfter = try XCTUnwrap(answer["parameters"]?["retry_after"]?.intValue)
        XCTAssertGreaterThanOrEqual(retryAfter, 1)
        XCTAssertEqual(answer, .object(["ok": .bool(false), "error_code": .int(429),
                                        "description": .string("Too Many Requests: retry after \(retryAfter)"),
                                        "parameters": .object(["retry_after": .int(retryAfter)])]))
        XCTAssertEqual(botError { _ = try bot.editMessageText(chatID: 10, messageID: 2, text: "changed") }?.retryAfter.map { $0 >= 1 }, true,
                       "an edit spends from the same budget")
        XCTAssertEqual(sandbox.transcript(chatID: 10)?.botMessages.map(\.text), ["reply 1", "reply 2", "reply 3"])
        XCTAssertEqual(sandbox.transcript(chatID: 10)?.botMessages.map(\.editCount), [0, 0, 0], "a refused edit changed nothing")
        XCTAssertEqual(sandbox.floodRefusals, 2)
        XCTAssertEqual(sandbox.calls(method: "sendMessage").map(\.errorCode), [nil, nil, nil, 429])

        for index in 1...3 { _ = try bot.sendMessage(chatID: 11, text: "other \(index)") }
        XCTAssertEqual(sandbox.transcript(chatID: 11)?.botMessages.count, 3, "another chat has its own budget")
    }

    func testFreeMethodsAreNeverRefused() throws {
        try sandbox.sendText("hello", from: 10)
        let menu = try bot.sendMessage(chatID: 10, text: "Pick", replyMarkup: .inlineKeyboard(InlineKeyboardMarkup([[.callback("A", "a")]])))
        for index in 2...3 { _ = try bot.sendMessage(chatID: 10, text: "reply \(index)") }
        guard case .flood? = botError({ _ = try bot.sendMessage(chatID: 10, text: "over") }) else {
            return XCTFail("the chat's burst is spent")
        }
        for _ in 0..<5 {
            let press = try sandbox.pressButton(from: 10, messageID: menu.messageID, callbackData: "a")
            try bot.answerCallbackQuery(id: try XCTUnwrap(press.callbackQuery?.id), text: "ok")
        }
        try bot.deleteMessage(chatID: 10, messageID: menu.messageID)
        _ = try bot.getMe()
        _ = try bot.getUpdates()
        let chat = try XCTUnwrap(sandbox.transcript(chatID: 10))
        XCTAssertEqual(chat.callbackAnswers.count, 5)
        XCTAssertEqual(chat.message(menu.messageID)?.deleted, true)
        XCTAssertEqual(sandbox.floodRefusals, 1)
    }

    func testTheBotsLimitSpansChats() throws {
        // Four a second for the whole bot, one message to each chat: the chats' own
        // budgets never bite. The first four pass at once; twelve calls come faster than
        // three seconds, so some are refused (which ones depends on the pace, so it is
        // not asserted).
        let limits = SandboxFloodLimits(botMessagesPerSecond: 4, chatMessagesPerSecond: 1, chatBurst: 3, groupMessagesPerMinute: 20)
        let sandbox = SandboxServer(options: SandboxOptions(token: token, floodLimits: limits))
        try sandbox.start()
        defer { sandbox.stop() }
        let bot = TelegramClient(baseURL: sandbox.baseURL, token: token, http: HTTPClient())
        let users = Array(Int64(100)..<Int64(112))
        for user in users { try sandbox.sendText("hello", from: user) }
        var refused: [Int64] = []
        for user in users {
            do {
                _ = try bot.sendMessage(chatID: user, text: "news")
            } catch TelegramError.flood(let retryAfter) {
                XCTAssertGreaterThanOrEqual(retryAfter, 1)
                refused.append(user)
            }
        }
        XCTAssertFalse(refused.isEmpty, "twelve messages in less than three seconds are over four a second")
        XCTAssertFalse(refused.contains { $0 < 104 }, "a second's worth passes at once")
        for user in users {
            XCTAssertEqual(sandbox.transcript(chatID: user)?.botMessages.count, refused.contains(user) ? 0 : 1, "chat \(user)")
        }
        XCTAssertEqual(sandbox.floodRefusals, refused.count)
    }

    func testLimitsOutOfRangeAreClampedNotTrappedOn() throws {
        let limits = SandboxFloodLimits(botMessagesPerSecond: .nan, chatMessagesPerSecond: -1, chatBurst: Int.min, groupMessagesPerMinute: Int.min)
        let sandbox = SandboxServer(options: SandboxOptions(token: token, floodLimits: limits, pressAnswerDeadline: -.infinity))
        try sandbox.start()
        defer { sandbox.stop() }
        let bot = TelegramClient(baseURL: sandbox.baseURL, token: token, http: HTTPClient())
        try sandbox.sendText("hello", from: 10)
        _ = try bot.sendMessage(chatID: 10, text: "one message always passes")
        guard case .flood(let retryAfter)? = botError({ _ = try bot.sendMessage(chatID: 10, text: "the next waits") }) else {
            return XCTFail("a budget of one is spent")
        }
        XCTAssertTrue((1...86_400).contains(retryAfter), "\(retryAfter)")
    }

    func testAGroupHasItsPerMinuteBudget() throws {
        try sandbox.openGroup(chatID: -1001, title: "Staff", by: 10)
        XCTAssertThrowsError(try sandbox.openGroup(chatID: 5, title: "Not a group", by: 10)) {
            XCTAssertEqual($0 as? SandboxError, .notAGroupID(5))
        }
        for index in 1...5 { _ = try bot.sendMessage(chatID: -1001, text: "notice \(index)") }
        guard case .flood(let retryAfter)? = botError({ _ = try bot.sendMessage(chatID: -1001, text: "notice 6") }) else {
            return XCTFail("the sixth message in a minute should be refused")
        }
        XCTAssertGreaterThanOrEqual(retryAfter, 1)
        let group = try XCTUnwrap(sandbox.transcript(chatID: -1001))
        XCTAssertEqual(group.botMessages.count, 5, "a group's budget is its own, not a private chat's burst of three")
    }
}

import Foundation
import HTTP
import Sandbox
import Telegram
import XCTest

/// Telegram's rules, answered with Telegram's exact words and envelope.
final class ValidationTests: SandboxTestCase {
    private let user: Int64 = 61

    override func setUpWithError() throws {
        try super.setUpWithError()
        try sandbox.sendText("/start", from: user)
    }

    func testUnknownTokenIs401AndUnknownMethod404() throws {
        assertFailure(try post("getMe", "{}", token: "424242:wrong"), 401, "Unauthorized")
        assertFailure(try post("getMe", "{}", token: ""), 401, "Unauthorized")
        assertFailure(try post("sendTelepathy", "{}"), 404, "Not Found")
        assertFailure(try get("/nothing/here"), 404, "Not Found")
        XCTAssertTrue(sandbox.calls(method: "getMe").isEmpty, "calls with a wrong token are not the bot's")
        let (status, me) = try post("GETME", "")
        XCTAssertEqual(status, 200, "method names ignore case")
        XCTAssertEqual(me["result"]?["username"], .string("bookingbot_sandbox_bot"))
        XCTAssertEqual(me["result"]?["is_bot"], .bool(true))
    }

    func testChatMustBeOpenedAndNotBlocked() throws {
        assertFailure(try post("sendMessage", #"{"chat_id":999,"text":"hi"}"#), 400, "Bad Request: chat not found")
        assertFailure(try post("sendMessage", #"{"text":"hi"}"#), 400, "Bad Request: chat_id is empty")
        let blocked = try XCTUnwrap(try sandbox.blockBot(by: user))
        XCTAssertEqual(blocked.myChatMember?.newChatMember.status, "kicked")
        XCTAssertNil(try sandbox.blockBot(by: user), "already blocked")
        assertFailure(try post("sendMessage", #"{"chat_id":61,"text":"hi"}"#), 403, "Forbidden: bot was blocked by the user")
        XCTAssertThrowsError(try sandbox.sendText("hello?", from: user)) { XCTAssertEqual($0 as? SandboxError, .userBlockedBot(userID: 61)) }
        XCTAssertEqual(try sandbox.unblockBot(by: user)?.myChatMember?.newChatMember.status, "member")
        XCTAssertEqual(try post("sendMessage", #"{"chat_id":61,"text":"hi"}"#).0, 200)
        XCTAssertEqual(sandbox.transcript(chatID: user)?.blockedBot, false)
    }

    func testTextLength() throws {
        assertFailure(try post("sendMessage", #"{"chat_id":61}"#), 400, "Bad Request: message text is empty")
        assertFailure(try post("sendMessage", #"{"chat_id":61,"text":""}"#), 400, "Bad Request: message text is empty")
        assertFailure(try post("sendMessage", #"{"chat_id":61,"text":"  \n"}"#), 400, "Bad Request: message text is empty")
        let limit = String(repeating: "a", count: 4096)
        XCTAssertEqual(try post("sendMessage", #"{"chat_id":61,"text":"\#(limit)"}"#).0, 200)
        assertFailure(try post("sendMessage", #"{"chat_id":61,"text":"\#(limit)b"}"#), 400, "Bad Request: message is too long")
        // Telegram counts UTF-16 units: 2048 emoji are 4096 units, one more is too many.
        let emoji = String(repeating: "😀", count: 2048)
        XCTAssertEqual(try post("sendMessage", #"{"chat_id":61,"text":"\#(emoji)"}"#).0, 200)
        assertFailure(try post("sendMessage", #"{"chat_id":61,"text":"\#(emoji)a"}"#), 400, "Bad Request: message is too long")
    }

    func testCallbackDataIsOneTo64Bytes() throws {
        func send(_ data: String) throws -> (Int, JSONValue) {
            try post("sendMessage", #"{"chat_id":61,"text":"t","reply_markup":{"inline_keyboard":[[{"text":"b","callback_data":"\#(data)"}]]}}"#)
        }
        XCTAssertEqual(try send(String(repeating: "x", count: 64)).0, 200)
        XCTAssertEqual(try send(String(repeating: "я", count: 32)).0, 200, "32 Cyrillic letters are 64 bytes")
        assertFailure(try send(String(repeating: "я", count: 33)), 400, "Bad Request: BUTTON_DATA_INVALID")
        assertFailure(try send(String(repeating: "x", count: 65)), 400, "Bad Request: BUTTON_DATA_INVALID")
        assertFailure(try send(""), 400, "Bad Request: BUTTON_DATA_INVALID")
        assertFailure(try post("sendMessage", #"{"chat_id":61,"text":"t","reply_markup":{"inline_keyboard":[[{"text":"plain"}]]}}"#), 400,
                      "Bad Request: can't parse inline keyboard button: Text buttons are unallowed in the inline keyboard")
        assertFailure(try post("sendMessage", #"{"chat_id":61,"text":"t","reply_markup":"{not json"}"#), 400,
                      "Bad Request: can't parse reply keyboard markup JSON object")
    }

    func testEditRules() throws {
        let markup = InlineKeyboardMarkup([[.callback("A", "a")]])
        let message = try bot.sendMessage(chatID: user, text: "Same", replyMarkup: .inlineKeyboard(markup))
        let notModified = "Bad Request: message is not modified: specified new message content and reply markup are exactly the same as a current content and reply markup of the message"
        XCTAssertEqual(botError { try bot.editMessageText(chatID: user, messageID: message.messageID, text: "Same", replyMarkup: markup) },
                       .badRequest(notModified))
        XCTAssertEqual(botError { try bot.editMessageReplyMarkup(chatID: user, messageID: message.messageID, replyMarkup: markup) },
                       .badRequest(notModified))
        XCTAssertNoThrow(try bot.editMessageText(chatID: user, messageID: message.messageID, text: "Same"),
                         "dropping the keyboard is a change")
        XCTAssertEqual(botError { try bot.editMessageText(chatID: user, messageID: 999, text: "x") },
                       .badRequest("Bad Request: message to edit not found"))
        XCTAssertEqual(botError { try bot.editMessageText(chatID: user, messageID: 1, text: "x") },
                       .badRequest("Bad Request: message can't be edited"), "message 1 is the user's /start")
        XCTAssertEqual(botError { try bot.deleteMessage(chatID: user, messageID: 999) },
                       .badRequest("Bad Request: message to delete not found"))
        XCTAssertEqual(botError { try bot.editMessageText(chatID: 998, messageID: 1, text: "x") },
                       .badRequest("Bad Request: chat not found"))
        assertFailure(try post("editMessageText", #"{"chat_id":61,"message_id":\#(message.messageID),"text":"x","reply_markup":{"keyboard":[["A"]]}}"#),
                      400, "Bad Request: inline keyboard expected")
    }

    func testCallbackQueriesAnswerOnce() throws {
        let message = try bot.sendMessage(chatID: user, text: "Pick", replyMarkup: .inlineKeyboard(InlineKeyboardMarkup([[.callback("A", "a")]])))
        XCTAssertThrowsError(try sandbox.pressButton(from: user, messageID: message.messageID, callbackData: "b")) {
            XCTAssertEqual($0 as? SandboxError, .buttonNotFound(messageID: message.messageID, callbackData: "b"))
        }
        XCTAssertThrowsError(try sandbox.pressButton(from: user, messageID: 999, callbackData: "a")) {
            XCTAssertEqual($0 as? SandboxError, .messageNotFound(chatID: user, messageID: 999))
        }
        XCTAssertThrowsError(try sandbox.pressButton(from: 4040, messageID: 1, callbackData: "a")) {
            XCTAssertEqual($0 as? SandboxError, .chatNotOpened(chatID: 4040))
        }
        let press = try sandbox.pressButton(from: user, messageID: message.messageID, callbackData: "a")
        let id = try XCTUnwrap(press.callbackQuery?.id)
        let invalid = "Bad Request: query is too old and response timeout expired or query ID is invalid"
        assertFailure(try post("answerCallbackQuery", #"{"callback_query_id":"12345"}"#), 400, invalid)
        XCTAssertEqual(try post("answerCallbackQuery", #"{"callback_query_id":"\#(id)","text":"ok"}"#).0, 200)
        assertFailure(try post("answerCallbackQuery", #"{"callback_query_id":"\#(id)"}"#), 400, invalid)

        // A button that an edit removed can no longer be pressed.
        try bot.editMessageReplyMarkup(chatID: user, messageID: message.messageID, replyMarkup: nil)
        XCTAssertThrowsError(try sandbox.pressButton(from: user, messageID: message.messageID, callbackData: "a"))
    }

    func testFloodInjectionEnvelope() throws {
        sandbox.injectFlood(calls: 1, retryAfter: 3)
        let (status, answer) = try post("sendMessage", #"{"chat_id":61,"text":"hi"}"#)
        XCTAssertEqual(status, 429)
        XCTAssertEqual(answer, .object(["ok": .bool(false), "error_code": .int(429), "description": .string("Too Many Requests: retry after 3"),
                                        "parameters": .object(["retry_after": .int(3)])]))
        XCTAssertEqual(try post("sendMessage", #"{"chat_id":61,"text":"hi"}"#).0, 200)
    }

    func testFormQueryAndMultipartParameters() throws {
        let form = "chat_id=61&text=Hello+w%C3%B6rld%21&reply_markup=" +
            #"{"inline_keyboard":[[{"text":"A","callback_data":"a"}]]}"#.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!
        let (status, answer) = try post("sendMessage", form, contentType: "application/x-www-form-urlencoded")
        XCTAssertEqual(status, 200)
        XCTAssertEqual(answer["result"]?["text"], .string("Hello wörld!"))
        XCTAssertEqual(answer["result"]?["reply_markup"]?["inline_keyboard"], .array([.array([.object(["text": .string("A"), "callback_data": .string("a")])])]))

        let (getStatus, viaQuery) = try get("/bot\(token)/sendMessage?chat_id=61&text=From%20a%20query")
        XCTAssertEqual(getStatus, 200)
        XCTAssertEqual(viaQuery["result"]?["text"], .string("From a query"))

        let response = try http.postMultipart("\(sandbox.baseURL)/bot\(token)/sendMessage", parts: [
            MultipartPart(name: "chat_id", value: "61"), MultipartPart(name: "text", value: "multi\r\npart"),
        ])
        XCTAssertEqual(response.status, 200)
        XCTAssertEqual(sandbox.transcript(chatID: user)?.messages.last?.text, "multi\r\npart")
    }

    func testCommandEntityAndTranscriptOrder() throws {
        let update = try sandbox.sendText("/book now", from: 62)
        XCTAssertEqual(update.message?.entities, [MessageEntity(type: "bot_command", offset: 0, length: 5)])
        XCTAssertEqual(update.message?.command, "book")
        XCTAssertNil(try sandbox.sendText("no command", from: 62).message?.entities)
        XCTAssertThrowsError(try sandbox.sendText("  ", from: 62)) { XCTAssertEqual($0 as? SandboxError, .emptyText) }
        let reply = try bot.sendMessage(chatID: 62, text: "Pick a service")
        let admin = User(id: 77, firstName: "Colleague", username: "colleague")
        let forwarded = try sandbox.forward("hi from a colleague", from: 62, originalSender: admin)
        XCTAssertEqual(forwarded.message?.forwardOrigin?.senderUser, admin)
        let transcript = try XCTUnwrap(sandbox.transcript(chatID: 62))
        XCTAssertEqual(transcript.messages.map(\.messageID), [1, 2, 3, 4])
        XCTAssertEqual(reply.messageID, 3)
        XCTAssertEqual(transcript.messages.map(\.sender), [.user, .user, .bot, .user])
        XCTAssertEqual(transcript.messages.last?.forwardedFrom, admin)
    }

    func testRegisteredProfileIsUsed() throws {
        sandbox.register(User(id: 63, firstName: "Мария", username: "maria", languageCode: "ru"))
        let update = try sandbox.sendText("/start", from: 63)
        XCTAssertEqual(update.message?.from?.languageCode, "ru")
        XCTAssertEqual(update.message?.chat.firstName, "Мария")
        XCTAssertEqual(update.message?.from?.isBot, false)
    }

    func testWaitForTranscript() throws {
        let sandbox = self.sandbox!
        let baseURL = sandbox.baseURL
        let token = self.token
        Thread {
            usleep(200_000)
            _ = try? TelegramClient(baseURL: baseURL, token: token, http: HTTPClient()).sendMessage(chatID: 61, text: "Reply")
        }.start()
        let transcript = sandbox.waitForTranscript(chatID: user, timeout: 5) { $0.botMessages.contains { $0.text == "Reply" } }
        XCTAssertNotNil(transcript)
        XCTAssertNil(sandbox.waitForTranscript(chatID: user, timeout: 0.2) { $0.botMessages.count > 5 })
    }
}

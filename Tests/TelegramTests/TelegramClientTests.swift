import Foundation
import HTTP
import Sandbox
import Telegram
import TestSupport
import XCTest

/// The blocking client against a real Sandbox server on loopback: every method, and
/// every kind of error mapped to its `TelegramError`.
final class TelegramClientTests: XCTestCase {
    private let token = "987654:TOKEN-sekret_Value"
    private var sandbox: SandboxServer!
    private var client: TelegramClient!
    private let alice: Int64 = 5_501_234_567

    override func setUpWithError() throws {
        sandbox = SandboxServer(options: SandboxOptions(token: token, botUsername: "test_booking_bot"))
        try sandbox.start()
        client = TelegramClient(baseURL: sandbox.baseURL, token: token, http: HTTPClient())
        sandbox.register(User(id: alice, firstName: "Alice", username: "alice", languageCode: "en"))
        try sandbox.sendText("/start", from: alice)
    }

    override func tearDown() {
        sandbox.stop()
    }

    /// Runs `body`, which must throw a `TelegramError`, and checks that neither the token
    /// nor its secret half shows in what the error says.
    private func telegramError(_ body: () throws -> Void, file: StaticString = #filePath, line: UInt = #line) -> TelegramError? {
        do {
            try body()
            XCTFail("expected a TelegramError", file: file, line: line)
            return nil
        } catch let error as TelegramError {
            for text in [error.description, "\(error)", String(reflecting: error), error.localizedDescription] {
                XCTAssertFalse(text.contains(token) || text.contains("sekret"), "token leaked: \(text)", file: file, line: line)
            }
            return error
        } catch {
            XCTFail("not a TelegramError: \(error)", file: file, line: line)
            return nil
        }
    }

    func testGetMe() throws {
        let me = try client.getMe()
        XCTAssertEqual(me.id, 987654)
        XCTAssertTrue(me.isBot)
        XCTAssertEqual(me.username, "test_booking_bot")
    }

    func testSendMessageShowsInTheTranscript() throws {
        let menu = ReplyKeyboardMarkup([["Book", "My bookings"], ["About"]], resizeKeyboard: true, isPersistent: true)
        let welcome = try client.sendMessage(chatID: alice, text: "Welcome, <b>Alice</b>!", parseMode: .html, replyMarkup: .replyKeyboard(menu))
        XCTAssertEqual(welcome.chat.id, alice)
        XCTAssertEqual(welcome.from?.isBot, true)
        XCTAssertEqual(welcome.text, "Welcome, <b>Alice</b>!")
        XCTAssertNil(welcome.replyMarkup, "a reply keyboard is not part of the message")
        let buttons = InlineKeyboardMarkup([[.callback("Book now", "book")], [.link("Site", "https://example.org")]])
        let offer = try client.sendMessage(chatID: alice, text: "Ready?", replyMarkup: .inlineKeyboard(buttons))
        XCTAssertEqual(offer.replyMarkup, buttons)
        XCTAssertEqual(offer.messageID, welcome.messageID + 1)

        let transcript = try XCTUnwrap(sandbox.transcript(chatID: alice))
        XCTAssertEqual(transcript.messages.map(\.sender), [.user, .bot, .bot])
        XCTAssertEqual(transcript.messages.map(\.text), ["/start", "Welcome, <b>Alice</b>!", "Ready?"])
        XCTAssertEqual(transcript.messages[1].parseMode, "HTML")
        XCTAssertEqual(transcript.messages[1].replyMarkup, .replyKeyboard(menu))
        XCTAssertEqual(transcript.messages[2].inlineButtons.map(\.text), ["Book now", "Site"])
        XCTAssertEqual(transcript.replyKeyboard, menu)

        try client.sendMessage(chatID: alice, text: "Bye", replyMarkup: .removeKeyboard(ReplyKeyboardRemove()))
        XCTAssertNil(sandbox.transcript(chatID: alice)?.replyKeyboard)
    }

    func testEditAndDelete() throws {
        let keyboard = InlineKeyboardMarkup([[.callback("Next", "next")]])
        let sent = try client.sendMessage(chatID: alice, text: "Step 1", replyMarkup: .inlineKeyboard(keyboard))
        let edited = try client.editMessageText(chatID: alice, messageID: sent.messageID, text: "Step 2", replyMarkup: keyboard)
        XCTAssertEqual(edited.text, "Step 2")
        XCTAssertNotNil(edited.editDate)
        guard case .badRequest(let same)? = telegramError({
            try client.editMessageText(chatID: alice, messageID: sent.messageID, text: "Step 2", replyMarkup: keyboard)
        }) else { return XCTFail("identical edit") }
        XCTAssertTrue(same.hasPrefix("Bad Request: message is not modified"), same)
        // Same text, other markup is a real change.
        let bare = try client.editMessageReplyMarkup(chatID: alice, messageID: sent.messageID, replyMarkup: nil)
        XCTAssertNil(bare.replyMarkup)

        var message = try XCTUnwrap(sandbox.transcript(chatID: alice)?.message(sent.messageID))
        XCTAssertEqual(message.text, "Step 2")
        XCTAssertEqual(message.editCount, 2)
        XCTAssertTrue(message.inlineButtons.isEmpty)

        try client.deleteMessage(chatID: alice, messageID: sent.messageID)
        message = try XCTUnwrap(sandbox.transcript(chatID: alice)?.message(sent.messageID))
        XCTAssertTrue(message.deleted)
        XCTAssertEqual(telegramError({ try client.deleteMessage(chatID: alice, messageID: sent.messageID) }),
                       .badRequest("Bad Request: message to delete not found"))
        XCTAssertEqual(telegramError({ try client.editMessageText(chatID: alice, messageID: sent.messageID, text: "x") }),
                       .badRequest("Bad Request: message to edit not found"))
    }

    func testCallbackQueryRoundTrip() throws {
        let sent = try client.sendMessage(chatID: alice, text: "Pick", replyMarkup: .inlineKeyboard(InlineKeyboardMarkup([[.callback("A", "pick:a")]])))
        try sandbox.pressButton(from: alice, messageID: sent.messageID, callbackData: "pick:a")
        let updates = try client.getUpdates()
        XCTAssertEqual(updates.map(\.kind), [.message, .callbackQuery])
        let query = try XCTUnwrap(updates.last?.callbackQuery)
        XCTAssertEqual(query.data, "pick:a")
        XCTAssertEqual(query.message?.messageID, sent.messageID)
        XCTAssertEqual(query.from.id, alice)

        try client.answerCallbackQuery(id: query.id, text: "Picked", showAlert: true)
        XCTAssertEqual(sandbox.transcript(chatID: alice)?.callbackAnswers,
                       [CallbackAnswer(callbackQueryID: query.id, messageID: sent.messageID, callbackData: "pick:a", text: "Picked", showAlert: true)])
        XCTAssertEqual(telegramError({ try client.answerCallbackQuery(id: query.id) }),
                       .badRequest("Bad Request: query is too old and response timeout expired or query ID is invalid"))
    }

    func testGetUpdatesKeepsTheBytesAndConfirmsWithOffset() throws {
        let tricky = try sandbox.sendText(#"He said "]}{[" \ and left 😀"#, from: alice)
        let updates = try client.getUpdates(limit: 10)
        XCTAssertEqual(updates.count, 2)
        XCTAssertEqual(updates.last?.raw, tricky.raw, "each update keeps the exact bytes the server sent")
        XCTAssertFalse(tricky.raw.isEmpty)
        XCTAssertEqual(updates.last?.message?.text, #"He said "]}{[" \ and left 😀"#)
        XCTAssertEqual(try client.getUpdates(offset: updates.last!.updateID + 1).count, 0)
        XCTAssertEqual(sandbox.pendingUpdateCount, 0)
    }

    func testGenericCallReturnsTheRawResult() throws {
        let payload = try JSONEncoder().encode(SendMessage(chatID: alice, text: "from the outbox"))
        let result = try client.call(method: SendMessage.name, payload: payload)
        let message = try JSONDecoder().decode(Message.self, from: result)
        XCTAssertEqual(message.text, "from the outbox")
        XCTAssertTrue(String(decoding: result, as: UTF8.self).hasPrefix("{"), "the result alone, not the envelope")
        XCTAssertEqual(String(decoding: try client.call(method: "deleteMessage", payload: JSONEncoder().encode(
            DeleteMessage(chatID: alice, messageID: message.messageID))), as: UTF8.self), "true")
    }

    func testSendDocumentBytesArriveIntact() throws {
        var bytes = Data([0xEF, 0xBB, 0xBF]) + Data("дата;время;услуга\r\n2025-01-02;10:00;Стрижка\r\n".utf8)
        bytes += Data((0..<70_000).map { UInt8(truncatingIfNeeded: $0 &* 7) })
        let message = try client.sendDocument(chatID: alice, fileName: "записи 2025.csv", data: bytes, mimeType: "text/csv",
                                              caption: "Bookings export")
        XCTAssertEqual(message.document?.fileName, "записи 2025.csv")
        XCTAssertEqual(message.document?.fileSize, bytes.count)
        XCTAssertEqual(message.caption, "Bookings export")
        let document = try XCTUnwrap(sandbox.transcript(chatID: alice)?.messages.last?.document)
        XCTAssertEqual(document.fileName, "записи 2025.csv")
        XCTAssertEqual(document.mimeType, "text/csv")
        XCTAssertEqual(document.size, bytes.count)
        XCTAssertEqual(document.data, bytes)
        let call = try XCTUnwrap(sandbox.calls(method: "sendDocument").last)
        XCTAssertEqual(call.parameters["document"]?["size"], .int(Int64(bytes.count)))
        XCTAssertEqual(call.parameters["chat_id"], .string(String(alice)))
    }

    func testSendPhotoByUploadAndByReference() throws {
        let png = Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 0x0D])
        let uploaded = try client.sendPhoto(chatID: alice, photo: .upload(fileName: "banner.png", data: png, mimeType: "image/png"), caption: "New!")
        let fileID = try XCTUnwrap(uploaded.photo?.last?.fileID)
        let again = try client.sendPhoto(chatID: alice, photo: .reference(fileID))
        XCTAssertEqual(again.photo?.last?.fileID, fileID, "a file id sends the same file")
        try client.sendPhoto(chatID: alice, photo: .reference("https://example.org/p.jpg"))
        let photos = try XCTUnwrap(sandbox.transcript(chatID: alice)?.messages.compactMap(\.photo))
        XCTAssertEqual(photos.count, 3)
        XCTAssertEqual(photos[0].data, png)
        XCTAssertEqual(photos[1].data, png)
        XCTAssertEqual(photos[2].reference, "https://example.org/p.jpg")
        XCTAssertEqual(telegramError({ try client.sendPhoto(chatID: alice, photo: .reference("no-such-file")) }),
                       .badRequest("Bad Request: wrong file identifier/HTTP URL specified"))
    }

    func testSetMyCommandsIsRecordedPerLanguage() throws {
        let english = [BotCommand(command: "start", description: "Start"), BotCommand(command: "book", description: "Book a visit")]
        let russian = [BotCommand(command: "start", description: "Начать"), BotCommand(command: "book", description: "Записаться")]
        try client.setMyCommands(commands: english)
        try client.setMyCommands(commands: russian, languageCode: "ru")
        XCTAssertEqual(sandbox.commands(), english)
        XCTAssertEqual(sandbox.commands(languageCode: "ru"), russian)
        XCTAssertNil(sandbox.commands(languageCode: "de"))
        XCTAssertEqual(try client.getMyCommands(languageCode: "ru"), russian)
        XCTAssertEqual(telegramError({ try client.setMyCommands(commands: [BotCommand(command: "/Book", description: "x")]) }),
                       .badRequest("Bad Request: BOT_COMMAND_INVALID"))
    }

    func testWebhookMethods() throws {
        try client.setWebhook(url: "http://127.0.0.1:\(unusedLoopbackPort())/telegram", secretToken: "s3cr3t", dropPendingUpdates: true)
        let info = try client.getWebhookInfo()
        XCTAssertTrue(info.url.hasSuffix("/telegram"))
        XCTAssertEqual(info.maxConnections, 40)
        XCTAssertEqual(sandbox.pendingUpdateCount, 0, "drop_pending_updates dropped the /start")
        try client.deleteWebhook()
        XCTAssertEqual(try client.getWebhookInfo().url, "")
    }

    // MARK: - Errors

    func testUnauthorized() {
        let stranger = TelegramClient(baseURL: sandbox.baseURL, token: "987654:wrong-sekret", http: HTTPClient())
        let error = telegramError({ _ = try stranger.getMe() })
        XCTAssertEqual(error, .unauthorized)
        XCTAssertEqual(error?.isRetryable, false)
        XCTAssertFalse(error!.description.contains("wrong-sekret"))
    }

    func testChatNotFound() {
        let error = telegramError({ try client.sendMessage(chatID: 42, text: "hello") })
        XCTAssertEqual(error, .badRequest("Bad Request: chat not found"))
        XCTAssertEqual(error?.isRetryable, false)
    }

    func testTooLongAndEmptyText() throws {
        try client.sendMessage(chatID: alice, text: String(repeating: "я", count: 4096))
        XCTAssertEqual(telegramError({ try client.sendMessage(chatID: alice, text: String(repeating: "я", count: 4097)) }),
                       .badRequest("Bad Request: message is too long"))
        XCTAssertEqual(telegramError({ try client.sendMessage(chatID: alice, text: " \n ") }),
                       .badRequest("Bad Request: message text is empty"))
    }

    func testBlockedUserIsForbidden() throws {
        try sandbox.blockBot(by: alice)
        let error = telegramError({ try client.sendMessage(chatID: alice, text: "Reminder") })
        XCTAssertEqual(error, .forbidden("Forbidden: bot was blocked by the user"))
        XCTAssertEqual(error?.isRetryable, false)
        try sandbox.unblockBot(by: alice)
        XCTAssertNoThrow(try client.sendMessage(chatID: alice, text: "Welcome back"))
    }

    func testConflictWhileAWebhookIsSet() throws {
        try client.setWebhook(url: "http://127.0.0.1:\(unusedLoopbackPort())/hook")
        let error = telegramError({ _ = try client.getUpdates() })
        XCTAssertEqual(error, .conflict("Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first"))
        XCTAssertEqual(error?.isRetryable, false)
    }

    func testFloodCarriesRetryAfter() throws {
        sandbox.injectFlood(calls: 2, retryAfter: 7)
        let first = telegramError({ try client.sendMessage(chatID: alice, text: "one") })
        XCTAssertEqual(first, .flood(retryAfter: 7))
        XCTAssertEqual(first?.retryAfter, 7)
        XCTAssertEqual(first?.isRetryable, true)
        XCTAssertEqual(telegramError({ _ = try client.getMe() }), .flood(retryAfter: 7))
        XCTAssertNoThrow(try client.sendMessage(chatID: alice, text: "one"), "only the next two calls were refused")
        XCTAssertEqual(sandbox.calls(method: "sendMessage").map(\.errorCode), [429, nil])
    }

    func testServerErrorsAreRetryable() throws {
        sandbox.injectServerErrors(calls: 1, status: 502)
        let error = telegramError({ try client.sendMessage(chatID: alice, text: "one") })
        XCTAssertEqual(error, .server(status: 502, description: "Bad Gateway"))
        XCTAssertEqual(error?.isRetryable, true)
        XCTAssertNoThrow(try client.sendMessage(chatID: alice, text: "one"))
    }

    func testNotFoundMethod() {
        XCTAssertEqual(telegramError({ _ = try client.call(method: "sendTelepathy", payload: Data("{}".utf8)) }), .notFound)
    }

    func testNetworkErrorAgainstAClosedPort() {
        let nowhere = TelegramClient(baseURL: "http://127.0.0.1:\(unusedLoopbackPort())", token: token, http: HTTPClient())
        let error = telegramError({ _ = try nowhere.getMe() })
        guard case .network(.cannotConnect)? = error else { return XCTFail("\(String(describing: error))") }
        XCTAssertEqual(error?.isRetryable, true)
    }

    func testLongPollTimeoutIsPollTimePlusMargin() throws {
        _ = try client.getUpdates(offset: try client.getUpdates().last!.updateID + 1)
        // A margin shorter than the poll: a client that waited only the margin would time out.
        client.longPollMargin = 2
        let started = Date()
        XCTAssertEqual(try client.getUpdates(timeout: 3).count, 0, "the server ends an empty poll after its timeout")
        XCTAssertGreaterThanOrEqual(Date().timeIntervalSince(started), 2.95)
    }

    func testRetryabilityOfEveryCase() {
        XCTAssertTrue(TelegramError.server(status: 502, description: "Bad Gateway").isRetryable)
        XCTAssertTrue(TelegramError.network(.timedOut("x")).isRetryable)
        XCTAssertFalse(TelegramError.invalidResponse("x").isRetryable)
        XCTAssertFalse(TelegramError.notFound.isRetryable)
    }
}

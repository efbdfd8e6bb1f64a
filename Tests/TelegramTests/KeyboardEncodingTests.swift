import Foundation
import Telegram
import XCTest

/// The JSON the bot sends: Telegram's snake_case keys, and nothing for unset options.
final class KeyboardEncodingTests: XCTestCase {
    private func json(_ value: some Encodable) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }

    func testInlineKeyboard() throws {
        let markup = InlineKeyboardMarkup([[.callback("Book", "book"), .link("Map", "https://maps.example.org/x")]])
        XCTAssertEqual(try json(markup),
                       #"{"inline_keyboard":[[{"callback_data":"book","text":"Book"},{"text":"Map","url":"https://maps.example.org/x"}]]}"#)
        XCTAssertEqual(try json(ReplyMarkup.inlineKeyboard(markup)), try json(markup), "the enum encodes as the object alone")
    }

    func testReplyKeyboard() throws {
        let markup = ReplyKeyboardMarkup([["Book", "My bookings"], ["About"]], resizeKeyboard: true, isPersistent: true)
        XCTAssertEqual(try json(ReplyMarkup.replyKeyboard(markup)),
                       #"{"is_persistent":true,"keyboard":[[{"text":"Book"},{"text":"My bookings"}],[{"text":"About"}]],"resize_keyboard":true}"#)
        let plain = ReplyKeyboardMarkup([["A"]], resizeKeyboard: nil)
        XCTAssertEqual(try json(plain), #"{"keyboard":[[{"text":"A"}]]}"#)
    }

    func testRemoveKeyboard() throws {
        XCTAssertEqual(try json(ReplyMarkup.removeKeyboard(ReplyKeyboardRemove())), #"{"remove_keyboard":true}"#)
    }

    func testReplyMarkupDecodesToTheRightKind() throws {
        func decode(_ text: String) throws -> ReplyMarkup { try JSONDecoder().decode(ReplyMarkup.self, from: Data(text.utf8)) }
        XCTAssertEqual(try decode(#"{"inline_keyboard":[[{"text":"x","callback_data":"y"}]]}"#),
                       .inlineKeyboard(InlineKeyboardMarkup([[.callback("x", "y")]])))
        // Telegram accepts bare strings as reply-keyboard buttons.
        XCTAssertEqual(try decode(#"{"keyboard":[["Book",{"text":"About"}]],"resize_keyboard":true}"#),
                       .replyKeyboard(ReplyKeyboardMarkup([["Book", "About"]], resizeKeyboard: true)))
        XCTAssertEqual(try decode(#"{"remove_keyboard":true}"#), .removeKeyboard(ReplyKeyboardRemove()))
        XCTAssertThrowsError(try decode(#"{"force_reply":true}"#))
    }

    func testMethodPayloads() throws {
        let send = SendMessage(chatID: 42, text: "Hi", parseMode: .html,
                               replyMarkup: .inlineKeyboard(InlineKeyboardMarkup([[.callback("OK", "ok")]])))
        XCTAssertEqual(try json(send),
                       #"{"chat_id":42,"parse_mode":"HTML","reply_markup":{"inline_keyboard":[[{"callback_data":"ok","text":"OK"}]]},"text":"Hi"}"#)
        XCTAssertEqual(try json(EditMessageText(chatID: 1, messageID: 2, text: "t")), #"{"chat_id":1,"message_id":2,"text":"t"}"#)
        XCTAssertEqual(try json(AnswerCallbackQuery(callbackQueryID: "q", text: "Done", showAlert: true)),
                       #"{"callback_query_id":"q","show_alert":true,"text":"Done"}"#)
        XCTAssertEqual(try json(SetMyCommands(commands: [BotCommand(command: "book", description: "Book")], scope: .default, languageCode: "en")),
                       #"{"commands":[{"command":"book","description":"Book"}],"language_code":"en","scope":{"type":"default"}}"#)
        XCTAssertEqual(try json(SetWebhook(url: "https://h/x", secretToken: "s", allowedUpdates: ["message"], dropPendingUpdates: true, maxConnections: 5)),
                       #"{"allowed_updates":["message"],"drop_pending_updates":true,"max_connections":5,"secret_token":"s","url":"https://h/x"}"#)
        XCTAssertEqual(try json(ResponseParameters(retryAfter: 3, migrateToChatID: -100)), #"{"migrate_to_chat_id":-100,"retry_after":3}"#)
    }

    func testWebhookInfoDecodes() throws {
        let json = #"{"url":"https://h/x","has_custom_certificate":false,"pending_update_count":3,"last_error_date":17,"last_error_message":"Wrong response from the webhook: 500","max_connections":40,"ip_address":"1.2.3.4"}"#
        let info = try JSONDecoder().decode(WebhookInfo.self, from: Data(json.utf8))
        XCTAssertEqual(info.pendingUpdateCount, 3)
        XCTAssertEqual(info.lastErrorMessage, "Wrong response from the webhook: 500")
        XCTAssertEqual(info.maxConnections, 40)
    }
}

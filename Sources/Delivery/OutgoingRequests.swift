import Conversation
import Foundation
import Store
import Telegram

/// Turns what the conversation decided into Bot API calls (method + JSON payload), the
/// form the outbox stores and replays: the Telegram module's typed `BotMethod` values,
/// encoded in one place.
public enum OutgoingRequests {
    public static func request(for outgoing: Outgoing, chatID: Int64) throws -> (method: String, payload: String) {
        switch outgoing {
        case .message(let text, let menu, let buttons):
            // Inline buttons win over the menu; without either the keyboard stays as it is.
            let markup = buttons.map { ReplyMarkup.inlineKeyboard(inline($0)) } ?? menu.map {
                .replyKeyboard(ReplyKeyboardMarkup($0.map { $0.map { KeyboardButton($0) } }, resizeKeyboard: true, isPersistent: true))
            }
            return try stored(SendMessage(chatID: chatID, text: text, replyMarkup: markup))
        case .edit(let messageID, let text, let buttons):
            return try stored(EditMessageText(chatID: chatID, messageID: messageID, text: text, replyMarkup: buttons.map(inline)))
        case .clearButtons(let messageID):
            // Without reply_markup Telegram removes the inline keyboard.
            return try stored(EditMessageReplyMarkup(chatID: chatID, messageID: messageID, replyMarkup: nil))
        case .answer(let queryID, let text, let alert):
            return try stored(AnswerCallbackQuery(callbackQueryID: queryID, text: text, showAlert: alert ? true : nil))
        }
    }

    /// The method's name and its parameters as JSON (keys sorted, so equal calls are equal text).
    static func stored<Method: BotMethod>(_ method: Method) throws -> (method: String, payload: String) {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return (Method.name, String(decoding: try encoder.encode(method), as: UTF8.self))
    }

    private static func inline(_ rows: [[InlineButton]]) -> InlineKeyboardMarkup {
        InlineKeyboardMarkup(rows.map { $0.map { .callback($0.text, $0.data) } })
    }
}

extension OutboxStore {
    /// Adds what the conversation decided as an outbox row of the open transaction.
    public func add(_ reply: Outgoing, chatID: Int64, updateID: Int64?, priority: Int = 0, now: Date) throws {
        let request = try OutgoingRequests.request(for: reply, chatID: chatID)
        try add(chatID: chatID, method: request.method, payload: request.payload, updateID: updateID, priority: priority, now: now)
    }
}

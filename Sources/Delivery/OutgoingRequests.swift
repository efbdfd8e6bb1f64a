import Conversation
import Foundation
import Store

/// Turns what the conversation decided into Bot API calls (method + JSON payload), the
/// form the outbox stores and replays.
public enum OutgoingRequests {
    public static func request(for outgoing: Outgoing, chatID: Int64) -> (method: String, payload: String) {
        var body: [String: Any]
        let method: String
        switch outgoing {
        case .message(let text, let menu, let buttons):
            method = "sendMessage"
            body = ["chat_id": chatID, "text": text]
            if let buttons {
                body["reply_markup"] = ["inline_keyboard": inline(buttons)]
            } else if let menu {
                body["reply_markup"] = ["keyboard": menu.map { $0.map { ["text": $0] } }, "resize_keyboard": true, "is_persistent": true]
            }
        case .edit(let messageID, let text, let buttons):
            method = "editMessageText"
            body = ["chat_id": chatID, "message_id": messageID, "text": text]
            if let buttons { body["reply_markup"] = ["inline_keyboard": inline(buttons)] }
        case .clearButtons(let messageID):
            // Without reply_markup Telegram removes the inline keyboard.
            method = "editMessageReplyMarkup"
            body = ["chat_id": chatID, "message_id": messageID]
        case .answer(let queryID, let text, let alert):
            method = "answerCallbackQuery"
            body = ["callback_query_id": queryID]
            if let text { body["text"] = text }
            if alert { body["show_alert"] = true }
        }
        let data = (try? JSONSerialization.data(withJSONObject: body, options: [.sortedKeys, .withoutEscapingSlashes])) ?? Data("{}".utf8)
        return (method, String(decoding: data, as: UTF8.self))
    }

    private static func inline(_ rows: [[InlineButton]]) -> [[[String: String]]] {
        rows.map { $0.map { ["text": $0.text, "callback_data": $0.data] } }
    }
}

extension OutboxStore {
    /// Adds what the conversation decided as an outbox row of the open transaction.
    public func add(_ reply: Outgoing, chatID: Int64, updateID: Int64?, priority: Int = 0, now: Date) throws {
        let request = OutgoingRequests.request(for: reply, chatID: chatID)
        try add(chatID: chatID, method: request.method, payload: request.payload, updateID: updateID, priority: priority, now: now)
    }
}

import Foundation
import Store
import Telegram
import Texts

/// Staff notices waiting for one chat, sent as one message: an admin chat may get a
/// message about a second (Telegram's limit), while a busy hour books faster than that.
/// Merged, every notice still arrives, whole and in order, in fewer messages.
enum NoticeBatch {
    /// Between two notices of one message (each notice opens with its own title line).
    static let separator = "\n\n⸻\n\n"

    /// The head of `rows` as one call: the notices at the front that fit one message
    /// (Telegram's 4096 characters, counted as it counts them), merged; or the head alone,
    /// as stored, when it is not a notice or no second one follows.
    static func take(from rows: ArraySlice<OutboxMessage>) -> (rows: [OutboxMessage], payload: String) {
        guard let head = rows.first else { preconditionFailure("take from an empty line") }
        guard head.isNotice, rows.count > 1, let first = plainText(of: head) else { return ([head], head.payload) }
        var taken = [head]
        var text = first.text
        for row in rows.dropFirst() {
            guard row.isNotice, let next = plainText(of: row), next.chat == first.chat else { break }
            let merged = text + separator + next.text
            guard TelegramLimits.length(merged) <= TelegramLimits.messageLength else { break }
            text = merged
            taken.append(row)
        }
        guard taken.count > 1, let payload = try? OutgoingRequests.stored(SendMessage(chatID: first.chat, text: text, replyMarkup: nil)).payload else {
            return ([head], head.payload)
        }
        return (taken, payload)
    }

    /// A notice as written: a chat and a text, nothing else (no buttons, no formatting),
    /// so merging texts loses nothing.
    private static func plainText(of row: OutboxMessage) -> (chat: Int64, text: String)? {
        guard let object = try? JSONSerialization.jsonObject(with: Data(row.payload.utf8)) as? [String: Any],
              Set(object.keys).isSubset(of: ["chat_id", "text"]),
              let chat = (object["chat_id"] as? NSNumber)?.int64Value, let text = object["text"] as? String else { return nil }
        return (chat, text)
    }
}

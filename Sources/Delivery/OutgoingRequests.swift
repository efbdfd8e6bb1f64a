import Conversation
import Foundation
import Store
import Telegram

/// Turns what the conversation decided into Bot API calls (method + JSON payload), the
/// form the outbox stores and replays: the Telegram module's typed `BotMethod` values,
/// encoded in one place. A document is the one row that is not a Bot API JSON payload:
/// its `DocumentUpload` goes out as a multipart `sendDocument`.
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
        case .photo(let fileID, let caption, let buttons):
            return try stored(SendPhoto(chatID: chatID, photo: fileID, caption: caption, replyMarkup: buttons.map { .inlineKeyboard(inline($0)) }))
        case .document(let fileName, let contents, let caption):
            let upload = DocumentUpload(chatID: chatID, fileName: fileName, contents: contents, caption: caption)
            try upload.validate()
            return (DocumentUpload.method, try json(upload))
        }
    }

    /// The method's name and its parameters as JSON.
    static func stored<Method: BotMethod>(_ method: Method) throws -> (method: String, payload: String) {
        (Method.name, try json(method))
    }

    /// Keys sorted, so equal calls are equal text; bytes as base64.
    private static func json(_ value: some Encodable) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }

    private static func inline(_ rows: [[InlineButton]]) -> InlineKeyboardMarkup {
        InlineKeyboardMarkup(rows.map { $0.map { .callback($0.text, $0.data) } })
    }
}

/// The outbox's `sendDocument` row: a multipart upload kept as JSON, its bytes base64
/// (`document_base64`); `OutboxSender` turns it back into the upload.
struct DocumentUpload: Codable, Equatable {
    static let method = "sendDocument"
    var chatID: Int64
    var fileName: String
    var contents: Data
    var caption: String?

    enum CodingKeys: String, CodingKey { case chatID = "chat_id", fileName = "file_name", contents = "document_base64", caption }

    /// Telegram's limits, checked when the row is written: a document Telegram would
    /// refuse is never stored (nor cut to fit).
    func validate() throws {
        guard !fileName.isEmpty else { throw OutboxRefusal.documentWithoutName }
        guard contents.count <= UploadLimits.fileBytes else {
            throw OutboxRefusal.documentTooLarge(fileName: fileName, bytes: contents.count, limit: UploadLimits.fileBytes)
        }
        if let caption, caption.utf16.count > UploadLimits.captionLength {
            throw OutboxRefusal.captionTooLong(fileName: fileName, length: caption.utf16.count, limit: UploadLimits.captionLength)
        }
    }

    init(chatID: Int64, fileName: String, contents: Data, caption: String?) {
        self.chatID = chatID
        self.fileName = fileName
        self.contents = contents
        self.caption = caption
    }

    /// A stored row read back.
    init(payload: String) throws {
        self = try JSONDecoder().decode(Self.self, from: Data(payload.utf8))
    }
}

/// A reply the outbox will not store, because Telegram would refuse it.
public enum OutboxRefusal: Error, Equatable, CustomStringConvertible {
    case documentTooLarge(fileName: String, bytes: Int, limit: Int)
    case captionTooLong(fileName: String, length: Int, limit: Int)
    case documentWithoutName

    public var description: String {
        switch self {
        case .documentTooLarge(let fileName, let bytes, let limit):
            return "document \"\(fileName)\" is \(bytes) bytes; Telegram takes at most \(limit) (50 MB)"
        case .captionTooLong(let fileName, let length, let limit):
            return "caption of document \"\(fileName)\" is \(length) UTF-16 units; Telegram takes at most \(limit)"
        case .documentWithoutName:
            return "a document needs a file name"
        }
    }
}

extension OutboxStore {
    /// Adds what the conversation decided as an outbox row of the open transaction.
    /// Throws `OutboxRefusal` for a document Telegram would refuse (over 50 MB, a caption
    /// over 1024, no file name): nothing is stored then.
    @discardableResult
    public func add(_ reply: Outgoing, chatID: Int64, updateID: Int64?, lane: OutboxLane = .interactive, now: Date) throws -> OutboxMessage {
        try add([OutboxDraft(reply, chatID: chatID, lane: lane)], updateID: updateID, now: now)[0]
    }
}

extension OutboxDraft {
    /// What the conversation decided, as a row to add. Throws `OutboxRefusal` as
    /// `OutboxStore.add` does.
    public init(_ reply: Outgoing, chatID: Int64, lane: OutboxLane = .interactive) throws {
        let request = try OutgoingRequests.request(for: reply, chatID: chatID)
        self.init(chatID: chatID, method: request.method, payload: request.payload, lane: lane)
    }
}

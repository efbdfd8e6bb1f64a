import Foundation
import Telegram

/// How a Sandbox presents itself and paces webhook delivery.
public struct SandboxOptions: Sendable {
    /// The one token the emulated Bot API accepts (`<bot id>:<secret>`).
    public var token: String
    public var botFirstName: String
    public var botUsername: String
    /// 127.0.0.1 only by default: the Sandbox has no authentication of its own.
    public var host: String
    /// 0 picks any free port.
    public var port: Int
    /// The id of the first update; later ones count up from it.
    public var firstUpdateID: Int64
    /// Time given a webhook receiver to answer one update.
    public var webhookTimeout: Double
    /// Wait after a failed delivery, doubling up to `webhookMaxBackoff`.
    public var webhookInitialBackoff: Double
    public var webhookMaxBackoff: Double
    /// The Sandbox's clock (message dates); tests may shift it.
    public var now: @Sendable () -> Date
    /// The round trip of each Bot API call (not of the control side).
    public var latency: SandboxLatency = .none
    /// Telegram's 429s for sending too fast; nil: no limit.
    public var floodLimits: SandboxFloodLimits? = nil
    /// Seconds a press may wait for its answer: a later answerCallbackQuery is refused as
    /// Telegram refuses it (about 15 s there). Nil: no deadline.
    public var pressAnswerDeadline: TimeInterval? = nil
    /// A listener of its own for the web chat (its page and the control API, not the Bot
    /// API); nil: the page is served on the Sandbox's port only.
    public var webListener: (host: String, port: Int)? = nil

    public init(token: String = "123456:SANDBOX-TOKEN", botFirstName: String = "BookingBot", botUsername: String = "bookingbot_sandbox_bot",
                host: String = "127.0.0.1", port: Int = 0, firstUpdateID: Int64 = 1000,
                webhookTimeout: Double = 10, webhookInitialBackoff: Double = 0.2, webhookMaxBackoff: Double = 2,
                latency: SandboxLatency = .none, floodLimits: SandboxFloodLimits? = nil, pressAnswerDeadline: TimeInterval? = nil,
                now: @escaping @Sendable () -> Date = { Date() }) {
        self.token = token
        self.botFirstName = botFirstName
        self.botUsername = botUsername
        self.host = host
        self.port = port
        self.firstUpdateID = firstUpdateID
        self.webhookTimeout = webhookTimeout
        self.webhookInitialBackoff = webhookInitialBackoff
        self.webhookMaxBackoff = webhookMaxBackoff
        self.latency = latency
        self.floodLimits = floodLimits
        self.pressAnswerDeadline = pressAnswerDeadline
        self.now = now
    }

    /// The bot's user id: the digits before the colon of its token.
    public var botID: Int64 { Int64(token.split(separator: ":").first ?? "") ?? 0 }
}

/// Why a simulated user's action was refused (the control API answers 400 with it).
public enum SandboxError: Error, Sendable, Equatable, CustomStringConvertible {
    case emptyText
    case userBlockedBot(userID: Int64)
    case chatNotOpened(chatID: Int64)
    case messageNotFound(chatID: Int64, messageID: Int64)
    case buttonNotFound(messageID: Int64, callbackData: String)
    /// A group's id must be negative (positive ids are users' private chats).
    case notAGroupID(Int64)
    /// `start()` refused: already started, stopped before, or the port could not be bound.
    case cannotStart(String)
    /// The users' photos kept so far fill the Sandbox's bound (`BotFiles.maxKeptPhotoBytes`).
    case photosFull(limitMegabytes: Int)

    public var description: String {
        switch self {
        case .emptyText: return "the text is empty"
        case .userBlockedBot(let user): return "user \(user) has blocked the bot: unblock first"
        case .chatNotOpened(let chat): return "chat \(chat) was never opened by its user"
        case .messageNotFound(let chat, let message): return "no message \(message) in chat \(chat)"
        case .buttonNotFound(let message, let data): return "message \(message) has no inline button with callback data \(data)"
        case .notAGroupID(let id): return "\(id) is not a group's id: groups have negative ids"
        case .cannotStart(let reason): return "the sandbox cannot start: \(reason)"
        case .photosFull(let megabytes): return "the Sandbox keeps at most \(megabytes) MB of photos: restart it to send more"
        }
    }
}

/// A file the bot sent, as the Sandbox received it.
public struct SandboxFile: Codable, Sendable, Equatable {
    public var fileID: String
    public var fileName: String?
    public var mimeType: String?
    /// Byte count of an upload; nil when the bot sent a file id or a URL.
    public var size: Int?
    /// The uploaded bytes.
    public var data: Data?
    /// The file id or URL the bot referred to instead of uploading.
    public var reference: String?

    enum CodingKeys: String, CodingKey {
        case fileID = "file_id", fileName = "file_name", mimeType = "mime_type", size, data, reference
    }
}

/// One message of a chat transcript, in its current state.
public struct TranscriptMessage: Codable, Sendable, Equatable {
    /// Which side of the private chat wrote the message.
    public enum Sender: String, Codable, Sendable { case user, bot }

    public var messageID: Int64
    public var sender: Sender
    public var date: Int
    /// The text after the latest edit.
    public var text: String?
    public var caption: String?
    public var parseMode: String?
    /// The markup the bot sent with the message (any kind); for later edits, the inline
    /// keyboard now shown under it.
    public var replyMarkup: ReplyMarkup?
    public var document: SandboxFile?
    public var photo: SandboxFile?
    public var forwardedFrom: User?
    public var editCount: Int
    public var deleted: Bool

    /// The inline buttons now under the message.
    public var inlineButtons: [InlineKeyboardButton] { replyMarkup?.inlineKeyboard?.buttons ?? [] }

    enum CodingKeys: String, CodingKey {
        case messageID = "message_id", sender, date, text, caption, parseMode = "parse_mode"
        case replyMarkup = "reply_markup", document, photo, forwardedFrom = "forwarded_from"
        case editCount = "edit_count", deleted
    }
}

/// The bot's answer to a button press.
public struct CallbackAnswer: Codable, Sendable, Equatable {
    public var callbackQueryID: String
    public var messageID: Int64
    public var callbackData: String
    public var text: String?
    public var showAlert: Bool

    public init(callbackQueryID: String, messageID: Int64, callbackData: String, text: String?, showAlert: Bool) {
        self.callbackQueryID = callbackQueryID
        self.messageID = messageID
        self.callbackData = callbackData
        self.text = text
        self.showAlert = showAlert
    }

    enum CodingKeys: String, CodingKey {
        case callbackQueryID = "callback_query_id", messageID = "message_id", callbackData = "callback_data", text
        case showAlert = "show_alert"
    }
}

/// Everything that happened in one private chat, as both sides would see it.
public struct ChatTranscript: Codable, Sendable, Equatable {
    public var chatID: Int64
    public var user: User
    public var blockedBot: Bool
    /// Every message, both directions, in the order sent; deleted ones stay, marked.
    public var messages: [TranscriptMessage]
    public var callbackAnswers: [CallbackAnswer]
    /// The reply keyboard the user now sees (the last one sent and not removed).
    public var replyKeyboard: ReplyKeyboardMarkup?

    /// The bot's messages that are not deleted.
    public var botMessages: [TranscriptMessage] { messages.filter { $0.sender == .bot && !$0.deleted } }

    public func message(_ id: Int64) -> TranscriptMessage? { messages.first { $0.messageID == id } }

    enum CodingKeys: String, CodingKey {
        case chatID = "chat_id", user, blockedBot = "blocked_bot", messages, callbackAnswers = "callback_answers"
        case replyKeyboard = "reply_keyboard"
    }
}

/// One Bot API request the Sandbox received, and how it was answered.
public struct RecordedCall: Codable, Sendable, Equatable {
    /// Position in arrival order, from 1.
    public var sequence: Int
    /// The method as the bot spelled it.
    public var method: String
    /// Query, form, JSON or multipart fields; an uploaded file shows as
    /// `{"file_name":…,"size":…,"mime_type":…}`.
    public var parameters: [String: JSONValue]
    /// Nil when the call succeeded, else the error code it got.
    public var errorCode: Int?
    /// When it arrived (seconds since 1970), for measuring send rates.
    public var receivedAt: Double = 0
    /// When its answer reached the bot, a round trip's second half later (nil: not yet).
    public var answeredAt: Double?

    enum CodingKeys: String, CodingKey {
        case sequence, method, parameters, errorCode = "error_code", receivedAt = "received_at", answeredAt = "answered_at"
    }
}

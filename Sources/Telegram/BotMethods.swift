/// A Bot API method and its JSON parameters, ready to be encoded as the request body.
///
/// The outbox stores `Self.name` and the encoded payload and replays them through
/// `TelegramClient.call(method:payload:)`, so each payload is a plain Encodable value.
public protocol BotMethod: Encodable, Sendable {
    associatedtype Result: Decodable
    static var name: String { get }
}

/// `sendMessage`.
public struct SendMessage: BotMethod {
    public typealias Result = Message
    public static let name = "sendMessage"
    public var chatID: Int64
    public var text: String
    public var parseMode: ParseMode?
    public var replyMarkup: ReplyMarkup?

    public init(chatID: Int64, text: String, parseMode: ParseMode? = nil, replyMarkup: ReplyMarkup? = nil) {
        self.chatID = chatID
        self.text = text
        self.parseMode = parseMode
        self.replyMarkup = replyMarkup
    }

    enum CodingKeys: String, CodingKey {
        case chatID = "chat_id", text, parseMode = "parse_mode", replyMarkup = "reply_markup"
    }
}

/// `editMessageText`. Leaving `replyMarkup` nil removes the message's inline keyboard.
public struct EditMessageText: BotMethod {
    public typealias Result = Message
    public static let name = "editMessageText"
    public var chatID: Int64
    public var messageID: Int64
    public var text: String
    public var parseMode: ParseMode?
    public var replyMarkup: InlineKeyboardMarkup?

    public init(chatID: Int64, messageID: Int64, text: String, parseMode: ParseMode? = nil, replyMarkup: InlineKeyboardMarkup? = nil) {
        self.chatID = chatID
        self.messageID = messageID
        self.text = text
        self.parseMode = parseMode
        self.replyMarkup = replyMarkup
    }

    enum CodingKeys: String, CodingKey {
        case chatID = "chat_id", messageID = "message_id", text, parseMode = "parse_mode", replyMarkup = "reply_markup"
    }
}

/// `editMessageReplyMarkup`: swaps (or, with nil, removes) a message's inline keyboard.
public struct EditMessageReplyMarkup: BotMethod {
    public typealias Result = Message
    public static let name = "editMessageReplyMarkup"
    public var chatID: Int64
    public var messageID: Int64
    public var replyMarkup: InlineKeyboardMarkup?

    public init(chatID: Int64, messageID: Int64, replyMarkup: InlineKeyboardMarkup?) {
        self.chatID = chatID
        self.messageID = messageID
        self.replyMarkup = replyMarkup
    }

    enum CodingKeys: String, CodingKey {
        case chatID = "chat_id", messageID = "message_id", replyMarkup = "reply_markup"
    }
}

/// `deleteMessage`.
public struct DeleteMessage: BotMethod {
    public typealias Result = Bool
    public static let name = "deleteMessage"
    public var chatID: Int64
    public var messageID: Int64

    public init(chatID: Int64, messageID: Int64) {
        self.chatID = chatID
        self.messageID = messageID
    }

    enum CodingKeys: String, CodingKey { case chatID = "chat_id", messageID = "message_id" }
}

/// `answerCallbackQuery`: stops the button's spinner, optionally with a toast or alert.
public struct AnswerCallbackQuery: BotMethod {
    public typealias Result = Bool
    public static let name = "answerCallbackQuery"
    public var callbackQueryID: String
    public var text: String?
    public var showAlert: Bool?

    public init(callbackQueryID: String, text: String? = nil, showAlert: Bool? = nil) {
        self.callbackQueryID = callbackQueryID
        self.text = text
        self.showAlert = showAlert
    }

    enum CodingKeys: String, CodingKey { case callbackQueryID = "callback_query_id", text, showAlert = "show_alert" }
}

/// `sendPhoto` of a photo Telegram already has (a file id) or can fetch (a URL).
/// An upload of bytes goes through `TelegramClient.sendPhoto` as multipart instead.
public struct SendPhoto: BotMethod {
    public typealias Result = Message
    public static let name = "sendPhoto"
    public var chatID: Int64
    public var photo: String
    public var caption: String?
    public var replyMarkup: ReplyMarkup?

    public init(chatID: Int64, photo: String, caption: String? = nil, replyMarkup: ReplyMarkup? = nil) {
        self.chatID = chatID
        self.photo = photo
        self.caption = caption
        self.replyMarkup = replyMarkup
    }

    enum CodingKeys: String, CodingKey { case chatID = "chat_id", photo, caption, replyMarkup = "reply_markup" }
}

/// `setMyCommands`: the command menu for one scope and language (nil: every language
/// without a list of its own).
public struct SetMyCommands: BotMethod {
    public typealias Result = Bool
    public static let name = "setMyCommands"
    public var commands: [BotCommand]
    public var scope: BotCommandScope?
    public var languageCode: String?

    public init(commands: [BotCommand], scope: BotCommandScope? = nil, languageCode: String? = nil) {
        self.commands = commands
        self.scope = scope
        self.languageCode = languageCode
    }

    enum CodingKeys: String, CodingKey { case commands, scope, languageCode = "language_code" }
}

/// `getMyCommands`.
public struct GetMyCommands: BotMethod {
    public typealias Result = [BotCommand]
    public static let name = "getMyCommands"
    public var scope: BotCommandScope?
    public var languageCode: String?

    public init(scope: BotCommandScope? = nil, languageCode: String? = nil) {
        self.scope = scope
        self.languageCode = languageCode
    }

    enum CodingKeys: String, CodingKey { case scope, languageCode = "language_code" }
}

/// `setWebhook`. Telegram then POSTs each update to `url` with the secret in the
/// `X-Telegram-Bot-Api-Secret-Token` header.
public struct SetWebhook: BotMethod {
    public typealias Result = Bool
    public static let name = "setWebhook"
    public var url: String
    public var secretToken: String?
    public var allowedUpdates: [String]?
    public var dropPendingUpdates: Bool?
    public var maxConnections: Int?

    public init(url: String, secretToken: String? = nil, allowedUpdates: [String]? = nil,
                dropPendingUpdates: Bool? = nil, maxConnections: Int? = nil) {
        self.url = url
        self.secretToken = secretToken
        self.allowedUpdates = allowedUpdates
        self.dropPendingUpdates = dropPendingUpdates
        self.maxConnections = maxConnections
    }

    enum CodingKeys: String, CodingKey {
        case url, secretToken = "secret_token", allowedUpdates = "allowed_updates"
        case dropPendingUpdates = "drop_pending_updates", maxConnections = "max_connections"
    }
}

/// `deleteWebhook`: back to getUpdates.
public struct DeleteWebhook: BotMethod {
    public typealias Result = Bool
    public static let name = "deleteWebhook"
    public var dropPendingUpdates: Bool?

    public init(dropPendingUpdates: Bool? = nil) { self.dropPendingUpdates = dropPendingUpdates }

    enum CodingKeys: String, CodingKey { case dropPendingUpdates = "drop_pending_updates" }
}

/// `getUpdates`: a long poll of up to `timeout` seconds. An `offset` confirms every
/// update below it.
public struct GetUpdates: BotMethod {
    public typealias Result = [Update]
    public static let name = "getUpdates"
    public var offset: Int64?
    public var limit: Int?
    public var timeout: Int?
    public var allowedUpdates: [String]?

    public init(offset: Int64? = nil, limit: Int? = nil, timeout: Int? = nil, allowedUpdates: [String]? = nil) {
        self.offset = offset
        self.limit = limit
        self.timeout = timeout
        self.allowedUpdates = allowedUpdates
    }

    enum CodingKeys: String, CodingKey { case offset, limit, timeout, allowedUpdates = "allowed_updates" }
}

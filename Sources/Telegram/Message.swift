/// A message in a chat, sent by a user or by the bot.
///
/// Only the fields the bot reads are modelled; Telegram's many others are ignored when
/// decoding (they stay in the update's raw JSON).
public struct Message: Codable, Sendable, Equatable {
    /// Unique inside its chat only.
    public var messageID: Int64
    public var from: User?
    public var chat: Chat
    /// Unix time; 0 for a message the bot can no longer access (in a callback query).
    public var date: Int
    public var editDate: Int?
    public var text: String?
    public var entities: [MessageEntity]?
    public var caption: String?
    public var captionEntities: [MessageEntity]?
    /// The sizes of one photo, smallest first.
    public var photo: [PhotoSize]?
    public var document: Document?
    /// Only inline keyboards are ever attached to a message.
    public var replyMarkup: InlineKeyboardMarkup?
    /// Where a forwarded message came from (an admin adds a colleague by forwarding).
    public var forwardOrigin: MessageOrigin?

    public init(messageID: Int64, from: User? = nil, chat: Chat, date: Int, editDate: Int? = nil,
                text: String? = nil, entities: [MessageEntity]? = nil, caption: String? = nil,
                captionEntities: [MessageEntity]? = nil, photo: [PhotoSize]? = nil, document: Document? = nil,
                replyMarkup: InlineKeyboardMarkup? = nil, forwardOrigin: MessageOrigin? = nil) {
        self.messageID = messageID
        self.from = from
        self.chat = chat
        self.date = date
        self.editDate = editDate
        self.text = text
        self.entities = entities
        self.caption = caption
        self.captionEntities = captionEntities
        self.photo = photo
        self.document = document
        self.replyMarkup = replyMarkup
        self.forwardOrigin = forwardOrigin
    }

    /// The bot command the text starts with, without the slash or a `@botname` suffix
    /// (`/start@my_bot payload` → `start`), taken from the entity Telegram marked.
    public var command: String? {
        guard let text, let entity = entities?.first(where: { $0.type == "bot_command" && $0.offset == 0 }) else { return nil }
        let utf16 = Array(text.utf16)
        guard entity.length > 1, entity.length <= utf16.count else { return nil }
        let word = String(decoding: utf16[1..<entity.length], as: UTF16.self)
        return String(word.split(separator: "@", maxSplits: 1).first ?? "")
    }

    enum CodingKeys: String, CodingKey {
        case messageID = "message_id"
        case from, chat, date
        case editDate = "edit_date"
        case text, entities, caption
        case captionEntities = "caption_entities"
        case photo, document
        case replyMarkup = "reply_markup"
        case forwardOrigin = "forward_origin"
    }
}

/// A marked span of a message's text (a command, a mention, bold…), in UTF-16 units.
public struct MessageEntity: Codable, Sendable, Equatable {
    public var type: String
    public var offset: Int
    public var length: Int
    public var url: String?
    public var user: User?

    public init(type: String, offset: Int, length: Int, url: String? = nil, user: User? = nil) {
        self.type = type
        self.offset = offset
        self.length = length
        self.url = url
        self.user = user
    }
}

/// One size of a photo.
public struct PhotoSize: Codable, Sendable, Equatable {
    public var fileID: String
    public var fileUniqueID: String
    public var width: Int
    public var height: Int
    public var fileSize: Int?

    public init(fileID: String, fileUniqueID: String, width: Int, height: Int, fileSize: Int? = nil) {
        self.fileID = fileID
        self.fileUniqueID = fileUniqueID
        self.width = width
        self.height = height
        self.fileSize = fileSize
    }

    enum CodingKeys: String, CodingKey {
        case fileID = "file_id"
        case fileUniqueID = "file_unique_id"
        case width, height
        case fileSize = "file_size"
    }
}

/// A general file (a CSV export, for one).
public struct Document: Codable, Sendable, Equatable {
    public var fileID: String
    public var fileUniqueID: String
    public var fileName: String?
    public var mimeType: String?
    public var fileSize: Int?

    public init(fileID: String, fileUniqueID: String, fileName: String? = nil, mimeType: String? = nil, fileSize: Int? = nil) {
        self.fileID = fileID
        self.fileUniqueID = fileUniqueID
        self.fileName = fileName
        self.mimeType = mimeType
        self.fileSize = fileSize
    }

    enum CodingKeys: String, CodingKey {
        case fileID = "file_id"
        case fileUniqueID = "file_unique_id"
        case fileName = "file_name"
        case mimeType = "mime_type"
        case fileSize = "file_size"
    }
}

/// Who originally sent a forwarded message. `type` is `user`, `hidden_user`, `chat` or
/// `channel`; a user who hides their account only leaves `senderUserName`.
public struct MessageOrigin: Codable, Sendable, Equatable {
    public var type: String
    public var date: Int
    public var senderUser: User?
    public var senderUserName: String?
    public var chat: Chat?

    public init(type: String, date: Int, senderUser: User? = nil, senderUserName: String? = nil, chat: Chat? = nil) {
        self.type = type
        self.date = date
        self.senderUser = senderUser
        self.senderUserName = senderUserName
        self.chat = chat
    }

    enum CodingKeys: String, CodingKey {
        case type, date
        case senderUser = "sender_user"
        case senderUserName = "sender_user_name"
        case chat
    }
}

/// A press of an inline button. Every query must be answered (`answerCallbackQuery`),
/// or the user's client shows a spinner.
public struct CallbackQuery: Codable, Sendable, Equatable {
    public var id: String
    public var from: User
    /// The message the button was on; absent for buttons of inline-mode messages.
    public var message: Message?
    public var chatInstance: String?
    public var data: String?

    public init(id: String, from: User, message: Message? = nil, chatInstance: String? = nil, data: String? = nil) {
        self.id = id
        self.from = from
        self.message = message
        self.chatInstance = chatInstance
        self.data = data
    }

    enum CodingKeys: String, CodingKey {
        case id, from, message
        case chatInstance = "chat_instance"
        case data
    }
}

/// A Telegram user or bot, as the Bot API describes the sender of something.
public struct User: Codable, Sendable, Equatable {
    public var id: Int64
    public var isBot: Bool
    public var firstName: String
    public var lastName: String?
    public var username: String?
    /// IETF tag of the user's app language; the bot's `auto` language follows it.
    public var languageCode: String?

    public init(id: Int64, isBot: Bool = false, firstName: String, lastName: String? = nil,
                username: String? = nil, languageCode: String? = nil) {
        self.id = id
        self.isBot = isBot
        self.firstName = firstName
        self.lastName = lastName
        self.username = username
        self.languageCode = languageCode
    }

    enum CodingKeys: String, CodingKey {
        case id
        case isBot = "is_bot"
        case firstName = "first_name"
        case lastName = "last_name"
        case username
        case languageCode = "language_code"
    }
}

/// A chat: a private chat with one user (its id is the user's id), a group or a channel.
public struct Chat: Codable, Sendable, Equatable {
    public var id: Int64
    /// `private`, `group`, `supergroup` or `channel`; kept as text so new kinds decode.
    public var type: String
    public var title: String?
    public var username: String?
    public var firstName: String?
    public var lastName: String?

    public init(id: Int64, type: String = "private", title: String? = nil, username: String? = nil,
                firstName: String? = nil, lastName: String? = nil) {
        self.id = id
        self.type = type
        self.title = title
        self.username = username
        self.firstName = firstName
        self.lastName = lastName
    }

    public var isPrivate: Bool { type == "private" }

    enum CodingKeys: String, CodingKey {
        case id, type, title, username
        case firstName = "first_name"
        case lastName = "last_name"
    }
}

/// One member's standing in a chat; for the bot in a private chat, `kicked` means the
/// user blocked it and `member` that they (re)started it.
public struct ChatMember: Codable, Sendable, Equatable {
    /// `creator`, `administrator`, `member`, `restricted`, `left` or `kicked`.
    public var status: String
    public var user: User
    public var untilDate: Int?

    public init(status: String, user: User, untilDate: Int? = nil) {
        self.status = status
        self.user = user
        self.untilDate = untilDate
    }

    enum CodingKeys: String, CodingKey {
        case status, user
        case untilDate = "until_date"
    }
}

/// The bot's own membership changed: in a private chat, the user blocked or unblocked it.
public struct ChatMemberUpdated: Codable, Sendable, Equatable {
    public var chat: Chat
    public var from: User
    public var date: Int
    public var oldChatMember: ChatMember
    public var newChatMember: ChatMember

    public init(chat: Chat, from: User, date: Int, oldChatMember: ChatMember, newChatMember: ChatMember) {
        self.chat = chat
        self.from = from
        self.date = date
        self.oldChatMember = oldChatMember
        self.newChatMember = newChatMember
    }

    enum CodingKeys: String, CodingKey {
        case chat, from, date
        case oldChatMember = "old_chat_member"
        case newChatMember = "new_chat_member"
    }
}

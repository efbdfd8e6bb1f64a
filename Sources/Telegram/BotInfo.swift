/// What `getWebhookInfo` says about the webhook: where updates go and how delivery fares.
public struct WebhookInfo: Codable, Sendable, Equatable {
    /// Empty when no webhook is set (getUpdates mode).
    public var url: String
    public var hasCustomCertificate: Bool
    public var pendingUpdateCount: Int
    public var ipAddress: String?
    public var lastErrorDate: Int?
    public var lastErrorMessage: String?
    public var maxConnections: Int?
    public var allowedUpdates: [String]?

    public init(url: String, hasCustomCertificate: Bool = false, pendingUpdateCount: Int, ipAddress: String? = nil,
                lastErrorDate: Int? = nil, lastErrorMessage: String? = nil, maxConnections: Int? = nil,
                allowedUpdates: [String]? = nil) {
        self.url = url
        self.hasCustomCertificate = hasCustomCertificate
        self.pendingUpdateCount = pendingUpdateCount
        self.ipAddress = ipAddress
        self.lastErrorDate = lastErrorDate
        self.lastErrorMessage = lastErrorMessage
        self.maxConnections = maxConnections
        self.allowedUpdates = allowedUpdates
    }

    enum CodingKeys: String, CodingKey {
        case url
        case hasCustomCertificate = "has_custom_certificate"
        case pendingUpdateCount = "pending_update_count"
        case ipAddress = "ip_address"
        case lastErrorDate = "last_error_date"
        case lastErrorMessage = "last_error_message"
        case maxConnections = "max_connections"
        case allowedUpdates = "allowed_updates"
    }
}

/// One entry of the bot's command menu (`/book — Book a visit`).
public struct BotCommand: Codable, Sendable, Equatable {
    /// 1–32 characters: lowercase letters, digits and underscores, no slash.
    public var command: String
    /// 1–256 characters.
    public var description: String

    public init(command: String, description: String) {
        self.command = command
        self.description = description
    }
}

/// Which users see a command list. Only the scopes without a target chat are modelled.
public struct BotCommandScope: Codable, Sendable, Equatable, Hashable {
    public var type: String

    public init(type: String) { self.type = type }

    public static let `default` = BotCommandScope(type: "default")
    public static let allPrivateChats = BotCommandScope(type: "all_private_chats")
}

/// Extra facts that come with some errors: how long to wait after a 429, where a group
/// that became a supergroup went.
public struct ResponseParameters: Codable, Sendable, Equatable {
    public var retryAfter: Int?
    public var migrateToChatID: Int64?

    public init(retryAfter: Int? = nil, migrateToChatID: Int64? = nil) {
        self.retryAfter = retryAfter
        self.migrateToChatID = migrateToChatID
    }

    enum CodingKeys: String, CodingKey {
        case retryAfter = "retry_after"
        case migrateToChatID = "migrate_to_chat_id"
    }
}

/// How Telegram should read markup in a text.
public enum ParseMode: String, Codable, Sendable {
    case html = "HTML"
    case markdownV2 = "MarkdownV2"
}

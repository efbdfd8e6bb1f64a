import Foundation

/// One incoming update, in whatever kind Telegram sent it.
///
/// Decoding never fails because of a field or an update kind this code does not know:
/// Telegram adds both all the time, and an update that cannot be decoded could never be
/// acknowledged. Such an update gets kind `.unknown` and still tells its chat and sender
/// when it has them, so the queue can order it with the rest of its chat.
public struct Update: Codable, Sendable, Equatable {
    public var updateID: Int64
    public var message: Message?
    public var editedMessage: Message?
    public var callbackQuery: CallbackQuery?
    public var myChatMember: ChatMemberUpdated?
    public private(set) var kind: Kind
    /// The bytes Telegram sent for this update when it was read with `Update.decode`
    /// (the queue stores these, unknown fields and all); empty otherwise.
    public internal(set) var raw: Data = Data()

    /// What an update is about; named after its field in the JSON.
    public enum Kind: Sendable, Equatable, CustomStringConvertible {
        case message
        case editedMessage
        case callbackQuery
        case myChatMember
        /// A kind not modelled here, with its field name (`message_reaction`, …).
        case unknown(String)

        public var description: String {
            switch self {
            case .message: return "message"
            case .editedMessage: return "edited_message"
            case .callbackQuery: return "callback_query"
            case .myChatMember: return "my_chat_member"
            case .unknown(let name): return name
            }
        }
    }

    /// The ids an unknown kind exposes in the usual places; read leniently.
    private var unknownChatID: Int64?
    private var unknownFromID: Int64?

    public init(updateID: Int64, message: Message? = nil, editedMessage: Message? = nil,
                callbackQuery: CallbackQuery? = nil, myChatMember: ChatMemberUpdated? = nil) {
        self.updateID = updateID
        self.message = message
        self.editedMessage = editedMessage
        self.callbackQuery = callbackQuery
        self.myChatMember = myChatMember
        if message != nil { kind = .message }
        else if editedMessage != nil { kind = .editedMessage }
        else if callbackQuery != nil { kind = .callbackQuery }
        else if myChatMember != nil { kind = .myChatMember }
        else { kind = .unknown("") }
    }

    /// Decodes one update and keeps its bytes in `raw`.
    public static func decode(_ data: Data) throws -> Update {
        var update = try JSONDecoder().decode(Update.self, from: data)
        update.raw = data
        return update
    }

    /// The chat the update belongs to: its messages' chat, the pressed button's chat, the
    /// chat whose membership changed. Nil for updates outside any chat.
    public var chatID: Int64? {
        switch kind {
        case .message: return message?.chat.id
        case .editedMessage: return editedMessage?.chat.id
        case .callbackQuery: return callbackQuery?.message?.chat.id
        case .myChatMember: return myChatMember?.chat.id
        case .unknown: return unknownChatID
        }
    }

    /// The user who caused the update.
    public var fromID: Int64? {
        switch kind {
        case .message: return message?.from?.id
        case .editedMessage: return editedMessage?.from?.id
        case .callbackQuery: return callbackQuery?.from.id
        case .myChatMember: return myChatMember?.from.id
        case .unknown: return unknownFromID
        }
    }

    /// The user who caused the update, in full.
    public var from: User? {
        switch kind {
        case .message: return message?.from
        case .editedMessage: return editedMessage?.from
        case .callbackQuery: return callbackQuery?.from
        case .myChatMember: return myChatMember?.from
        case .unknown: return nil
        }
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        updateID = try container.decode(Int64.self, forKey: .updateID)
        message = try container.decodeIfPresent(Message.self, forKey: .message)
        editedMessage = try container.decodeIfPresent(Message.self, forKey: .editedMessage)
        callbackQuery = try container.decodeIfPresent(CallbackQuery.self, forKey: .callbackQuery)
        myChatMember = try container.decodeIfPresent(ChatMemberUpdated.self, forKey: .myChatMember)
        if message != nil { kind = .message }
        else if editedMessage != nil { kind = .editedMessage }
        else if callbackQuery != nil { kind = .callbackQuery }
        else if myChatMember != nil { kind = .myChatMember }
        else {
            let any = try decoder.container(keyedBy: AnyKey.self)
            let name = any.allKeys.map(\.stringValue).filter { $0 != "update_id" }.sorted().first ?? ""
            kind = .unknown(name)
            if !name.isEmpty, let probe = try? any.decode(UnknownKindProbe.self, forKey: AnyKey(name)) {
                unknownChatID = probe.chat?.id ?? probe.message?.chat?.id
                unknownFromID = probe.from?.id ?? probe.user?.id
            }
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(updateID, forKey: .updateID)
        try container.encodeIfPresent(message, forKey: .message)
        try container.encodeIfPresent(editedMessage, forKey: .editedMessage)
        try container.encodeIfPresent(callbackQuery, forKey: .callbackQuery)
        try container.encodeIfPresent(myChatMember, forKey: .myChatMember)
    }

    /// The content decides; `raw` does not (the same update can be formatted two ways).
    public static func == (lhs: Update, rhs: Update) -> Bool {
        lhs.updateID == rhs.updateID && lhs.message == rhs.message && lhs.editedMessage == rhs.editedMessage
            && lhs.callbackQuery == rhs.callbackQuery && lhs.myChatMember == rhs.myChatMember && lhs.kind == rhs.kind
    }

    enum CodingKeys: String, CodingKey {
        case updateID = "update_id"
        case message
        case editedMessage = "edited_message"
        case callbackQuery = "callback_query"
        case myChatMember = "my_chat_member"
    }
}

/// The usual places an update kind keeps its chat and sender, every one optional, so
/// reading them never fails whatever shape the kind has.
private struct UnknownKindProbe: Decodable {
    struct ID: Decodable { let id: Int64? }
    struct Nested: Decodable { let chat: ID? }
    let chat: ID?
    let from: ID?
    let user: ID?
    let message: Nested?

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: AnyKey.self)
        chat = try? container.decodeIfPresent(ID.self, forKey: AnyKey("chat"))
        from = try? container.decodeIfPresent(ID.self, forKey: AnyKey("from"))
        user = try? container.decodeIfPresent(ID.self, forKey: AnyKey("user"))
        message = try? container.decodeIfPresent(Nested.self, forKey: AnyKey("message"))
    }
}

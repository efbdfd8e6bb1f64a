import Foundation
import Telegram

// The simulated users: they open chats, type, press buttons and block the bot; each act
// queues the update Telegram would send. And what they see: transcripts.
extension SandboxWorld {
    /// `note` says who the person is to whoever acts as them (the web chat shows it:
    /// "owner", "moderator"); nil keeps the note they had.
    func register(_ user: User, note: String? = nil) {
        locked { state in
            state.users[user.id] = user
            if let note { state.notes[user.id] = note }
            state.chats[user.id]?.user = user
            state.changed()
        }
    }

    func userSends(_ text: String, from userID: Int64, forwardedFrom original: User?) throws -> Update {
        guard !text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else { throw SandboxError.emptyText }
        return try locked { try $0.userSends(text, from: userID, forwardedFrom: original) }
    }

    /// The user sends a photo, with a caption or none (Telegram allows up to 1024 UTF-16
    /// units): its bytes when given (the web chat's uploads), else a stand-in.
    func userSendsPhoto(caption: String?, from userID: Int64, data: Data? = nil, mimeType: String = "image/jpeg") throws -> Update {
        if let caption, caption.utf16.count > UploadLimits.captionLength { throw BotAPIFailure.captionTooLong }
        return try locked { try $0.userSendsPhoto(caption: caption, from: userID, data: data, mimeType: mimeType) }
    }

    /// `forged`: the data need not be on any button of the message (a modified client can
    /// send any bytes as callback data, and Telegram passes them on).
    func press(userID: Int64, messageID: Int64, callbackData: String, forged: Bool = false) throws -> Update {
        try locked { try $0.press(userID: userID, messageID: messageID, callbackData: callbackData, forged: forged) }
    }

    func openGroup(chatID: Int64, title: String, by userID: Int64) throws {
        guard chatID < 0 else { throw SandboxError.notAGroupID(chatID) }
        locked { $0.openGroup(chatID: chatID, title: title, by: userID) }
    }

    /// Blocks or unblocks; nil when the chat already was that way.
    func setBlocked(_ blocked: Bool, userID: Int64) throws -> Update? {
        try locked { try $0.setBlocked(blocked, userID: userID) }
    }

    func transcript(chatID: Int64) -> ChatTranscript? {
        locked { $0.chats[chatID].map { $0.transcript } }
    }

    func chatIDs() -> [Int64] {
        locked { $0.chats.keys.sorted() }
    }

    func botActionCounts(chatIDs: [Int64]) -> [Int] {
        locked { state in chatIDs.map { state.chats[$0]?.botActionCount ?? 0 } }
    }
}

/// The callback queries the users' presses made, by id, until the bot answers each once;
/// and how quickly it answered them (`PressReport`).
struct CallbackQueries {
    private var queries: [String: QueryRecord] = [:]
    private var nextNumber: Int64 = 1
    /// The report counts presses from this number on (`resetCounters` moves it).
    private var reportFrom: Int64 = 1
    private var answerDelays: [Double] = []
    private var late = 0

    /// A new query's id.
    mutating func open(chatID: Int64, messageID: Int64, data: String, at now: Double) -> String {
        let id = String(4_000_000_000_000_000 + nextNumber)
        queries[id] = QueryRecord(chatID: chatID, messageID: messageID, data: data, number: nextNumber, pressedAt: now)
        nextNumber += 1
        return id
    }

    /// The query an answer arriving now may answer. Telegram takes one answer per query,
    /// within its deadline: a second answer, or one after the deadline, is refused with
    /// the same words (and a late one spends the query).
    mutating func answerable(_ id: String, at now: Double, deadline: Double?) throws -> QueryRecord {
        guard var query = queries[id], !query.answered, !query.late else { throw BotAPIFailure.queryInvalid }
        if let deadline, now - query.pressedAt > deadline {
            query.late = true
            queries[id] = query
            if query.number >= reportFrom { late += 1 }
            throw BotAPIFailure.queryInvalid
        }
        return query
    }

    mutating func markAnswered(_ id: String, at now: Double) {
        guard let query = queries[id] else { return }
        queries[id]?.answered = true
        if query.number >= reportFrom { answerDelays.append(max(0, now - query.pressedAt)) }
    }

    var report: SandboxServer.PressReport {
        let pressed = Int(nextNumber - reportFrom)
        return SandboxServer.PressReport(pressed: pressed, answerDelays: answerDelays, late: late,
                                         unanswered: pressed - answerDelays.count - late)
    }

    /// Starts a new report: earlier presses, and answers to them, are no longer counted.
    mutating func resetReport() {
        reportFrom = nextNumber
        answerDelays = []
        late = 0
    }
}

extension SandboxWorld.State {
    private func user(_ id: Int64) -> User {
        users[id] ?? User(id: id, firstName: "User \(id)")
    }

    mutating func userSendsPhoto(caption: String?, from userID: Int64, data: Data?, mimeType: String) throws -> Update {
        let sender = user(userID)
        users[userID] = sender
        if chats[userID]?.blockedBot == true { throw SandboxError.userBlockedBot(userID: userID) }
        var chat = chats.removeValue(forKey: userID) ?? ChatRecord(user: sender)
        let file = try files.userPhoto(data: data, mimeType: mimeType)
        var message = Message(messageID: chat.takeMessageID(), from: sender, chat: chat.chat, date: now, caption: caption)
        message.photo = [PhotoSize(fileID: file.fileID, fileUniqueID: "U" + file.fileID, width: 1280, height: 960, fileSize: file.size)]
        chat.messages.append(MessageRecord(message: message, sender: .user, photo: file))
        chats[userID] = chat
        return enqueue(Update(updateID: 0, message: message), group: userID)
    }

    mutating func userSends(_ text: String, from userID: Int64, forwardedFrom original: User?) throws -> Update {
        let sender = user(userID)
        users[userID] = sender
        if chats[userID]?.blockedBot == true { throw SandboxError.userBlockedBot(userID: userID) }
        // Taken out while it changes, so its history is not copied on every message.
        var chat = chats.removeValue(forKey: userID) ?? ChatRecord(user: sender)
        var message = Message(messageID: chat.takeMessageID(), from: sender, chat: chat.chat, date: now, text: text)
        if text.hasPrefix("/") {
            let word = text.prefix { !$0.isWhitespace }
            message.entities = [MessageEntity(type: "bot_command", offset: 0, length: word.utf16.count)]
        }
        if let original {
            message.forwardOrigin = MessageOrigin(type: "user", date: now, senderUser: original)
        }
        chat.messages.append(MessageRecord(message: message, sender: .user, forwardedFrom: original))
        chats[userID] = chat
        return enqueue(Update(updateID: 0, message: message), group: userID)
    }

    mutating func openGroup(chatID: Int64, title: String, by userID: Int64) {
        guard chats[chatID] == nil else { return }
        var record = ChatRecord(user: user(userID))
        record.group = Chat(id: chatID, type: "group", title: title)
        chats[chatID] = record
        changed()
    }

    mutating func press(userID: Int64, messageID: Int64, callbackData: String, forged: Bool) throws -> Update {
        guard let chat = chats[userID] else { throw SandboxError.chatNotOpened(chatID: userID) }
        if chat.blockedBot { throw SandboxError.userBlockedBot(userID: userID) }
        guard let index = chat.index(of: messageID) else { throw SandboxError.messageNotFound(chatID: userID, messageID: messageID) }
        let message = chat.messages[index].message
        guard forged || message.replyMarkup?.buttons.contains(where: { $0.callbackData == callbackData }) == true else {
            throw SandboxError.buttonNotFound(messageID: messageID, callbackData: callbackData)
        }
        let id = queries.open(chatID: userID, messageID: messageID, data: callbackData, at: TelegramClock.now)
        let query = CallbackQuery(id: id, from: chat.user, message: message, chatInstance: String(-userID), data: callbackData)
        return enqueue(Update(updateID: 0, callbackQuery: query), group: userID)
    }

    mutating func setBlocked(_ blocked: Bool, userID: Int64) throws -> Update? {
        guard var chat = chats[userID] else { throw SandboxError.chatNotOpened(chatID: userID) }
        guard chat.blockedBot != blocked else { return nil }
        chat.blockedBot = blocked
        chats[userID] = chat
        let member = ChatMember(status: "member", user: bot)
        let kicked = ChatMember(status: "kicked", user: bot, untilDate: 0)
        let change = ChatMemberUpdated(chat: chat.chat, from: chat.user, date: now,
                                       oldChatMember: blocked ? member : kicked, newChatMember: blocked ? kicked : member)
        return enqueue(Update(updateID: 0, myChatMember: change), group: userID)
    }

    /// Numbers the update and queues it (unless allowed_updates leaves its kind out).
    private mutating func enqueue(_ draft: Update, group: Int64) -> Update {
        defer { changed() }
        return updates.enqueue(draft, group: group)
    }
}

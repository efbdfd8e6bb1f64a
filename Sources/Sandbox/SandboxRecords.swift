import Foundation
import Telegram

// The values SandboxWorld keeps and hands out.

/// What a Bot API method answers on success: the `result` JSON and, for a few methods,
/// Telegram's human-readable `description`.
enum BotAPIResult {
    case json(Data, description: String?)

    static func value(_ value: some Encodable, description: String? = nil) throws -> BotAPIResult {
        .json(try JSONEncoder.sorted.encode(value), description: description)
    }

    static func updates(_ updates: [PendingUpdate]) -> BotAPIResult {
        .json(Data("[".utf8) + Data(updates.map(\.raw).joined(separator: Data(",".utf8))) + Data("]".utf8), description: nil)
    }
}

/// An update waiting to be fetched or delivered, with the bytes every reader gets.
struct PendingUpdate {
    let id: Int64
    /// Updates of one group (chat) are delivered one at a time, in order.
    let group: Int64
    let raw: Data
}

/// One webhook POST to make.
struct WebhookDelivery: Sendable {
    let updateID: Int64
    let group: Int64
    let url: String
    let secretToken: String?
    let body: Data
}

/// A press the bot has to answer (once).
struct QueryRecord {
    let chatID: Int64
    let messageID: Int64
    let data: String
    /// Numbers count up from 1 in press order (`PressReport` counts from a number on).
    let number: Int64
    /// When the user pressed, on `TelegramClock`.
    let pressedAt: Double
    var answered = false
    /// An answer came after the deadline and was refused: the query is spent.
    var late = false
}

/// A message as stored: its current Bot API form plus what the transcript shows.
struct MessageRecord {
    var message: Message
    let sender: TranscriptMessage.Sender
    var parseMode: String?
    var sentMarkup: ReplyMarkup?
    var document: SandboxFile?
    var photo: SandboxFile?
    var forwardedFrom: User?
    var editCount = 0
    var deleted = false

    init(message: Message, sender: TranscriptMessage.Sender, parseMode: String? = nil, sentMarkup: ReplyMarkup? = nil,
         document: SandboxFile? = nil, photo: SandboxFile? = nil, forwardedFrom: User? = nil) {
        self.message = message
        self.sender = sender
        self.parseMode = parseMode
        self.sentMarkup = sentMarkup
        self.document = document
        self.photo = photo
        self.forwardedFrom = forwardedFrom
    }
}

/// One user's private chat with the bot, or a group the bot is in.
struct ChatRecord {
    /// The private chat's user; for a group, who opened it.
    var user: User
    /// Nil for a private chat.
    var group: Chat?
    var blockedBot = false
    var nextMessageID: Int64 = 1
    var messages: [MessageRecord] = []
    var callbackAnswers: [CallbackAnswer] = []
    var replyKeyboard: ReplyKeyboardMarkup?
    /// Messages the bot sent, edits, deletions and answered presses: `botActionCounts`.
    var botActionCount = 0

    init(user: User) { self.user = user }

    var chat: Chat {
        group ?? Chat(id: user.id, type: "private", username: user.username, firstName: user.firstName, lastName: user.lastName)
    }

    /// Message ids of a private chat count up across both sides.
    mutating func takeMessageID() -> Int64 {
        defer { nextMessageID += 1 }
        return nextMessageID
    }

    /// The position of a message that exists and was not deleted.
    func index(of messageID: Int64) -> Int? {
        messages.firstIndex { $0.message.messageID == messageID && !$0.deleted }
    }

    var transcript: ChatTranscript {
        ChatTranscript(chatID: group?.id ?? user.id, user: user, blockedBot: blockedBot, messages: messages.map { record in
            TranscriptMessage(messageID: record.message.messageID, sender: record.sender, date: record.message.date,
                              text: record.message.text, caption: record.message.caption, parseMode: record.parseMode,
                              replyMarkup: record.sentMarkup, document: record.document, photo: record.photo,
                              forwardedFrom: record.forwardedFrom, editCount: record.editCount, deleted: record.deleted)
        }, callbackAnswers: callbackAnswers, replyKeyboard: replyKeyboard)
    }
}

import Foundation
import Telegram

// What the web chat's page is sent: the people to act as, and each chat as Telegram's app
// would show it now (deleted messages gone, keyboards as rows, files as links).

/// Someone the page can act as.
struct PersonView: Encodable, Equatable {
    let id: Int64
    let name: String
    let language: String?
    /// Who they are ("owner", "moderator"), when the Sandbox was told.
    let note: String?
    /// They have written to the bot.
    let chatOpened: Bool
    let blockedBot: Bool

    enum CodingKeys: String, CodingKey {
        case id, name, language, note, chatOpened = "chat_opened", blockedBot = "blocked_bot"
    }
}

/// One private chat as its user sees it.
struct ChatView: Encodable, Equatable {
    let chatID: Int64
    let messages: [MessageView]
    /// Every answer to the user's presses so far, oldest first: the page shows those it has
    /// not shown yet (a toast, or an alert for `show_alert`).
    let answers: [AnswerView]
    /// The reply keyboard under the input, row by row; nil: none.
    let replyKeyboard: [[String]]?
    let blockedBot: Bool

    enum CodingKeys: String, CodingKey {
        case chatID = "chat_id", messages, answers, replyKeyboard = "reply_keyboard", blockedBot = "blocked_bot"
    }

    init(_ transcript: ChatTranscript) {
        chatID = transcript.chatID
        messages = transcript.messages.filter { !$0.deleted }.map(MessageView.init)
        answers = transcript.callbackAnswers.map { AnswerView(messageID: $0.messageID, text: $0.text, alert: $0.showAlert) }
        replyKeyboard = transcript.replyKeyboard.map { $0.keyboard.map { $0.map(\.text) } }
        blockedBot = transcript.blockedBot
    }
}

struct MessageView: Encodable, Equatable {
    let id: Int64
    let fromBot: Bool
    let date: Int
    let text: String?
    let caption: String?
    /// "HTML" when the text is Telegram's HTML (the page shows its tags it knows, as text the rest).
    let parseMode: String?
    /// The inline keyboard under the message, row by row as the bot laid it out.
    let keyboard: [[ButtonView]]
    let document: FileView?
    let photo: FileView?
    let forwardedFrom: String?
    let edits: Int

    enum CodingKeys: String, CodingKey {
        case id, fromBot = "from_bot", date, text, caption, parseMode = "parse_mode", keyboard, document, photo
        case forwardedFrom = "forwarded_from", edits
    }

    init(_ message: TranscriptMessage) {
        id = message.messageID
        fromBot = message.sender == .bot
        date = message.date
        text = message.text
        caption = message.caption
        parseMode = message.parseMode
        keyboard = message.replyMarkup?.inlineKeyboard?.inlineKeyboard.map { $0.map(ButtonView.init) } ?? []
        document = message.document.map { FileView($0) }
        photo = message.photo.map { FileView($0, asPhoto: true) }
        forwardedFrom = message.forwardedFrom.map(\.firstName)
        edits = message.editCount
    }
}

struct ButtonView: Encodable, Equatable {
    let text: String
    /// Pressing sends it back to the bot; nil for a link.
    let data: String?
    let url: String?

    init(_ button: InlineKeyboardButton) {
        text = button.text
        data = button.callbackData
        url = button.url
    }
}

/// A file in a message: where the page fetches it (`WebChatRoutes`), never its bytes.
struct FileView: Encodable, Equatable {
    let name: String?
    let size: Int?
    let mimeType: String?
    let url: String

    enum CodingKeys: String, CodingKey { case name, size, mimeType = "mime_type", url }

    init(_ file: SandboxFile, asPhoto: Bool = false) {
        name = file.fileName
        size = file.size
        mimeType = file.mimeType
        url = "/web/files/" + (file.fileID.addingPercentEncoding(withAllowedCharacters: WebChatRoutes.unreserved) ?? "") + (asPhoto ? "?photo=1" : "")
    }
}

struct AnswerView: Encodable, Equatable {
    let messageID: Int64
    let text: String?
    let alert: Bool

    enum CodingKeys: String, CodingKey { case messageID = "message_id", text, alert }
}

extension SandboxWorld {
    /// Everyone the Sandbox knows (registered, or wrote to the bot) whose chat the page can
    /// open, people with a note first.
    func people() -> [PersonView] {
        locked { state in
            state.users.values.filter { WebChatRoutes.validChatIDs.contains($0.id) }.map { user in
                let chat = state.chats[user.id]
                return PersonView(id: user.id, name: [user.firstName, user.lastName].compactMap { $0 }.joined(separator: " "),
                                  language: user.languageCode, note: state.notes[user.id],
                                  chatOpened: chat != nil, blockedBot: chat?.blockedBot ?? false)
            }
            .sorted { ($0.note == nil ? 1 : 0, $0.id) < ($1.note == nil ? 1 : 0, $1.id) }
        }
    }

    /// A new person with a free id past 5000 and past the others' (below a billion), so a
    /// made-up user never takes an id the bot was configured with (ADMIN_IDS) or a test chose.
    func createPerson(name: String, language: String) -> PersonView {
        let user: User = locked { state in
            var id = max(5000, state.users.keys.filter { $0 < 1_000_000_000 }.max() ?? 0) + 1
            while state.users[id] != nil { id += 1 }
            let user = User(id: id, firstName: name, languageCode: language)
            state.users[id] = user
            state.changed()
            return user
        }
        return PersonView(id: user.id, name: name, language: language, note: nil, chatOpened: false, blockedBot: false)
    }

    func chatView(_ chatID: Int64) -> ChatView? {
        transcript(chatID: chatID).map(ChatView.init)
    }

    func file(_ id: String) -> SandboxFile? {
        locked { $0.files.file(id) }
    }
}

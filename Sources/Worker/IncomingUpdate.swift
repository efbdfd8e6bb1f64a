import Conversation
import Foundation
import Telegram

/// Reads a Telegram update into what the conversation acts on.
enum IncomingUpdate {
    /// Nil for updates nobody needs to answer (a membership change, an unknown kind
    /// without a sender, the bot's own messages).
    static func read(_ update: Update) -> Incoming? {
        switch update.kind {
        case .message:
            guard let message = update.message, let from = message.from, !from.isBot else { return nil }
            let person = Person(id: from.id, firstName: from.firstName, username: from.username, languageCode: from.languageCode)
            if let origin = message.forwardOrigin { return .forwarded(Self.origin(origin), text: message.text, from: person) }
            // Telegram lists a photo's sizes smallest first; no arithmetic on its numbers.
            if let largest = message.photo?.last {
                return .photo(fileID: largest.fileID, caption: message.caption, from: person)
            }
            guard let text = message.text else { return .unsupported(from: person) }
            if text.hasPrefix("/") {
                let head = text.dropFirst().split(separator: " ", maxSplits: 1, omittingEmptySubsequences: false)
                let name = head.first.map { String($0.split(separator: "@").first ?? "") } ?? ""
                let argument = head.count > 1 ? String(head[1]).trimmingCharacters(in: .whitespaces) : ""
                if !name.isEmpty { return .command(name.lowercased(), argument: argument, from: person) }
            }
            return .text(text, from: person)
        case .callbackQuery:
            guard let query = update.callbackQuery else { return nil }
            let from = query.from
            let person = Person(id: from.id, firstName: from.firstName, username: from.username, languageCode: from.languageCode)
            return .button(queryID: query.id, data: query.data ?? "", messageID: query.message?.messageID, from: person)
        case .editedMessage, .myChatMember, .unknown:
            return nil
        }
    }

    /// A forward's origin as the conversation sees it: a person Telegram names (or a bot),
    /// one who hides their account, or a chat or channel.
    static func origin(_ origin: MessageOrigin) -> ForwardOrigin {
        if origin.type == "user", let user = origin.senderUser {
            return .user(id: user.id, firstName: user.firstName, username: user.username, isBot: user.isBot)
        }
        if origin.type == "hidden_user" { return .hiddenUser(name: origin.senderUserName ?? "") }
        return .chat
    }

    /// A person's private chat with the bot changed: `blocked` when they stopped it
    /// (`kicked`), false when they are back (`member`). Nil for anything else (groups,
    /// other statuses).
    static func membership(_ update: Update) -> (user: Int64, blocked: Bool)? {
        guard let change = update.myChatMember, change.chat.id == change.from.id else { return nil }
        switch change.newChatMember.status {
        case "kicked": return (change.from.id, true)
        case "member": return (change.from.id, false)
        default: return nil
        }
    }
}

import Foundation

/// The person behind an update, as the conversation needs them.
public struct Person: Sendable, Equatable, Codable {
    public var id: Int64
    public var firstName: String
    public var username: String?
    public var languageCode: String?

    public init(id: Int64, firstName: String, username: String? = nil, languageCode: String? = nil) {
        self.id = id
        self.firstName = firstName
        self.username = username
        self.languageCode = languageCode
    }
}

/// An update, reduced to what the conversation acts on (no wire types here).
public enum Incoming: Sendable, Equatable {
    /// `/start`, `/book`, … without the slash and any `@botname`; `argument` is the rest.
    case command(String, argument: String, from: Person)
    case text(String, from: Person)
    /// An inline button press: its query id (to be answered exactly once), its data, and
    /// the message it sat on.
    case button(queryID: String, data: String, messageID: Int64?, from: Person)
    /// A photo (its largest size's file id) with its caption, if any.
    case photo(fileID: String, caption: String?, from: Person)
    /// Anything else a person can send (stickers, voice…).
    case unsupported(from: Person)
    /// A message forwarded by the person, with its text if it had any.
    case forwarded(ForwardOrigin, text: String?, from: Person)

    /// Where a forwarded message came from (nil for anything else).
    public var forwardOrigin: ForwardOrigin? {
        if case .forwarded(let origin, _, _) = self { return origin }
        return nil
    }

    public var person: Person {
        switch self {
        case .command(_, _, let person), .text(_, let person), .button(_, _, _, let person), .unsupported(let person),
             .forwarded(_, _, let person), .photo(_, _, let person):
            return person
        }
    }
}

/// An inline button as the conversation lays it out.
public struct InlineButton: Sendable, Equatable, Codable {
    public var text: String
    public var data: String

    public init(text: String, data: String) {
        self.text = text
        self.data = data
    }
}

/// What the bot says, decided in the update's transaction and sent after it commits.
public enum Outgoing: Sendable, Equatable {
    /// A new message, with the main-menu reply keyboard or inline buttons.
    case message(text: String, menu: [[String]]?, buttons: [[InlineButton]]?)
    /// The message a button sat on, edited in place.
    case edit(messageID: Int64, text: String, buttons: [[InlineButton]]?)
    /// The answer every button press gets, exactly once.
    case answer(queryID: String, text: String?, alert: Bool)
    /// Takes the inline buttons off a message (a flow left with /cancel or /start).
    case clearButtons(messageID: Int64)
    /// A file (an export, a report) uploaded as a document, up to Telegram's 50 MB; the
    /// caption, if any, up to 1024 UTF-16 units. Larger ones are refused when the reply is
    /// written, never cut.
    case document(fileName: String, contents: Data, caption: String?)
    /// A photo Telegram already has (a file id a person sent), with an optional caption
    /// (up to 1024 UTF-16 units) and inline buttons.
    case photo(fileID: String, caption: String?, buttons: [[InlineButton]]?)
}

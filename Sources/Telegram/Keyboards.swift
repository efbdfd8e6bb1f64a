/// Buttons shown under one message; pressing one sends the bot a callback query
/// (or opens a URL).
public struct InlineKeyboardMarkup: Codable, Sendable, Equatable {
    public var inlineKeyboard: [[InlineKeyboardButton]]

    public init(_ rows: [[InlineKeyboardButton]]) {
        self.inlineKeyboard = rows
    }

    /// Every button, row by row.
    public var buttons: [InlineKeyboardButton] { inlineKeyboard.flatMap { $0 } }

    enum CodingKeys: String, CodingKey {
        case inlineKeyboard = "inline_keyboard"
    }
}

/// One inline button: exactly one of `callbackData` (1–64 bytes) or `url` is set.
public struct InlineKeyboardButton: Codable, Sendable, Equatable {
    public var text: String
    public var callbackData: String?
    public var url: String?

    public init(text: String, callbackData: String? = nil, url: String? = nil) {
        self.text = text
        self.callbackData = callbackData
        self.url = url
    }

    public static func callback(_ text: String, _ data: String) -> InlineKeyboardButton {
        InlineKeyboardButton(text: text, callbackData: data)
    }

    public static func link(_ text: String, _ url: String) -> InlineKeyboardButton {
        InlineKeyboardButton(text: text, url: url)
    }

    enum CodingKeys: String, CodingKey {
        case text
        case callbackData = "callback_data"
        case url
    }
}

/// A keyboard replacing the user's own (the main menu); a press sends its text as a
/// message. It stays until another one or a `ReplyKeyboardRemove` is sent.
public struct ReplyKeyboardMarkup: Codable, Sendable, Equatable {
    public var keyboard: [[KeyboardButton]]
    public var resizeKeyboard: Bool?
    public var isPersistent: Bool?
    public var oneTimeKeyboard: Bool?
    public var inputFieldPlaceholder: String?

    public init(_ rows: [[KeyboardButton]], resizeKeyboard: Bool? = true, isPersistent: Bool? = nil,
                oneTimeKeyboard: Bool? = nil, inputFieldPlaceholder: String? = nil) {
        self.keyboard = rows
        self.resizeKeyboard = resizeKeyboard
        self.isPersistent = isPersistent
        self.oneTimeKeyboard = oneTimeKeyboard
        self.inputFieldPlaceholder = inputFieldPlaceholder
    }

    enum CodingKeys: String, CodingKey {
        case keyboard
        case resizeKeyboard = "resize_keyboard"
        case isPersistent = "is_persistent"
        case oneTimeKeyboard = "one_time_keyboard"
        case inputFieldPlaceholder = "input_field_placeholder"
    }
}

/// One reply-keyboard button; its text is what the user "types" by pressing it.
public struct KeyboardButton: Codable, Sendable, Equatable, ExpressibleByStringLiteral {
    public var text: String

    public init(_ text: String) { self.text = text }
    public init(stringLiteral value: String) { self.text = value }

    /// Telegram also accepts a bare string for a button.
    public init(from decoder: any Decoder) throws {
        if let text = try? decoder.singleValueContainer().decode(String.self) {
            self.text = text
        } else {
            self.text = try decoder.container(keyedBy: CodingKeys.self).decode(String.self, forKey: .text)
        }
    }

    enum CodingKeys: String, CodingKey { case text }
}

/// Takes the reply keyboard away (the user's own keyboard comes back).
public struct ReplyKeyboardRemove: Codable, Sendable, Equatable {
    public var removeKeyboard: Bool
    public var selective: Bool?

    public init(selective: Bool? = nil) {
        self.removeKeyboard = true
        self.selective = selective
    }

    enum CodingKeys: String, CodingKey {
        case removeKeyboard = "remove_keyboard"
        case selective
    }
}

/// The `reply_markup` of a sent message: whichever of the three objects it is, encoded
/// as that object alone (Telegram tells them apart by their keys).
public enum ReplyMarkup: Codable, Sendable, Equatable {
    case inlineKeyboard(InlineKeyboardMarkup)
    case replyKeyboard(ReplyKeyboardMarkup)
    case removeKeyboard(ReplyKeyboardRemove)

    public init(from decoder: any Decoder) throws {
        let keys = try decoder.container(keyedBy: AnyKey.self)
        if keys.contains(AnyKey("inline_keyboard")) {
            self = .inlineKeyboard(try InlineKeyboardMarkup(from: decoder))
        } else if keys.contains(AnyKey("keyboard")) {
            self = .replyKeyboard(try ReplyKeyboardMarkup(from: decoder))
        } else if keys.contains(AnyKey("remove_keyboard")) {
            self = .removeKeyboard(try ReplyKeyboardRemove(from: decoder))
        } else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath,
                                                    debugDescription: "not an inline keyboard, reply keyboard or keyboard removal"))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        switch self {
        case .inlineKeyboard(let markup): try markup.encode(to: encoder)
        case .replyKeyboard(let markup): try markup.encode(to: encoder)
        case .removeKeyboard(let markup): try markup.encode(to: encoder)
        }
    }

    /// The inline keyboard, if that is what this is.
    public var inlineKeyboard: InlineKeyboardMarkup? {
        if case .inlineKeyboard(let markup) = self { return markup }
        return nil
    }
}

/// A coding key for any name: for objects whose keys are only known at run time.
struct AnyKey: CodingKey, Hashable {
    var stringValue: String
    var intValue: Int? { nil }
    init(_ string: String) { stringValue = string }
    init?(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) { nil }
}

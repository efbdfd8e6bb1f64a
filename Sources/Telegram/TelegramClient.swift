import Foundation
import HTTP

/// A file to send: one Telegram already has or can fetch, or bytes to upload.
public enum InputFile: Sendable, Equatable {
    /// A file id from an earlier message, or an http(s) URL Telegram downloads itself.
    case reference(String)
    case upload(fileName: String, data: Data, mimeType: String?)
}

/// Telegram's limits on what a bot uploads.
public enum UploadLimits {
    /// A file sent as bytes (multipart): 50 MB. Telegram answers 413 to a larger one.
    public static let fileBytes = 50 << 20
    /// A caption, in UTF-16 units as Telegram counts them.
    public static let captionLength = 1024
}

/// A blocking Bot API client: one call at a time on the thread that owns it.
///
/// It owns one `HTTPClient` (one kept-alive connection), so like it this client belongs
/// to one thread and must never be used from Swift's cooperative pool. Every failure is a
/// `TelegramError`; none of them carries the token or the URL.
public final class TelegramClient {
    public var baseURL: String { endpoint.baseURL }
    private let endpoint: BotAPIEndpoint
    private let http: HTTPClient
    /// Added to a long poll's own timeout, so the server answers before the request gives up.
    public var longPollMargin: Double = 10

    public init(baseURL: String = "https://api.telegram.org", token: String, http: HTTPClient = HTTPClient()) {
        endpoint = BotAPIEndpoint(baseURL: baseURL, token: token)
        self.http = http
    }

    // MARK: - Generic calls

    /// Calls `method` with a JSON payload and returns the raw JSON of its `result`,
    /// byte for byte as the server sent it (the outbox replays stored calls through this).
    public func call(method: String, payload: Data, timeout: Double? = nil) throws -> Data {
        try endpoint.result(of: http.perform(BotAPIRequests.json(endpoint.url(method), payload: payload, timeout: timeout))).get()
    }

    /// Calls a method with its typed parameters and decodes its typed result.
    @discardableResult
    public func send<Method: BotMethod>(_ method: Method, timeout: Double? = nil) throws -> Method.Result {
        try decode(Method.Result.self, from: call(method: Method.name, payload: encode(method), timeout: timeout))
    }

    // MARK: - Methods

    public func getMe() throws -> User {
        try decode(User.self, from: call(method: "getMe", payload: Data("{}".utf8)))
    }

    /// Long-polls for updates for up to `timeout` seconds. Each update keeps the bytes
    /// Telegram sent in `raw`.
    public func getUpdates(offset: Int64? = nil, limit: Int? = nil, timeout: Int = 0, allowedUpdates: [String]? = nil) throws -> [Update] {
        let method = GetUpdates(offset: offset, limit: limit, timeout: timeout, allowedUpdates: allowedUpdates)
        let result = try call(method: GetUpdates.name, payload: encode(method), timeout: Double(timeout) + longPollMargin)
        guard let elements = RawJSON.elements(of: result) else { throw TelegramError.invalidResponse("getUpdates result is not an array") }
        return try elements.map { element in
            do {
                return try Update.decode(element)
            } catch {
                throw TelegramError.invalidResponse("undecodable update: \(error)")
            }
        }
    }

    public func setWebhook(url: String, secretToken: String? = nil, allowedUpdates: [String]? = nil,
                           dropPendingUpdates: Bool = false, maxConnections: Int? = nil) throws {
        try send(SetWebhook(url: url, secretToken: secretToken, allowedUpdates: allowedUpdates,
                            dropPendingUpdates: dropPendingUpdates, maxConnections: maxConnections))
    }

    public func deleteWebhook(dropPendingUpdates: Bool = false) throws {
        try send(DeleteWebhook(dropPendingUpdates: dropPendingUpdates))
    }

    public func getWebhookInfo() throws -> WebhookInfo {
        try decode(WebhookInfo.self, from: call(method: "getWebhookInfo", payload: Data("{}".utf8)))
    }

    @discardableResult
    public func sendMessage(chatID: Int64, text: String, parseMode: ParseMode? = nil, replyMarkup: ReplyMarkup? = nil) throws -> Message {
        try send(SendMessage(chatID: chatID, text: text, parseMode: parseMode, replyMarkup: replyMarkup))
    }

    @discardableResult
    public func editMessageText(chatID: Int64, messageID: Int64, text: String, parseMode: ParseMode? = nil,
                                replyMarkup: InlineKeyboardMarkup? = nil) throws -> Message {
        try send(EditMessageText(chatID: chatID, messageID: messageID, text: text, parseMode: parseMode, replyMarkup: replyMarkup))
    }

    @discardableResult
    public func editMessageReplyMarkup(chatID: Int64, messageID: Int64, replyMarkup: InlineKeyboardMarkup?) throws -> Message {
        try send(EditMessageReplyMarkup(chatID: chatID, messageID: messageID, replyMarkup: replyMarkup))
    }

    public func deleteMessage(chatID: Int64, messageID: Int64) throws {
        try send(DeleteMessage(chatID: chatID, messageID: messageID))
    }

    public func answerCallbackQuery(id: String, text: String? = nil, showAlert: Bool = false) throws {
        try send(AnswerCallbackQuery(callbackQueryID: id, text: text, showAlert: showAlert ? true : nil))
    }

    /// Uploads a file as a document (multipart); `timeout` bounds the whole call.
    @discardableResult
    public func sendDocument(chatID: Int64, fileName: String, data: Data, mimeType: String? = nil, caption: String? = nil,
                             replyMarkup: ReplyMarkup? = nil, timeout: Double? = nil) throws -> Message {
        let parts = BotAPIRequests.documentParts(chatID: chatID, fileName: fileName, data: data, mimeType: mimeType, caption: caption,
                                                 replyMarkup: try replyMarkup.map { try encode($0) })
        return try decode(Message.self, from: callMultipart(method: "sendDocument", parts: parts, timeout: timeout))
    }

    /// Sends a photo by file id or URL (JSON) or by its bytes (multipart).
    @discardableResult
    public func sendPhoto(chatID: Int64, photo: InputFile, caption: String? = nil, replyMarkup: ReplyMarkup? = nil) throws -> Message {
        switch photo {
        case .reference(let reference):
            return try send(SendPhoto(chatID: chatID, photo: reference, caption: caption, replyMarkup: replyMarkup))
        case .upload(let fileName, let data, let mimeType):
            var parts = [MultipartPart(name: "chat_id", value: String(chatID)),
                         MultipartPart(name: "photo", data: data, filename: fileName, contentType: mimeType ?? "image/jpeg")]
            if let caption { parts.append(MultipartPart(name: "caption", value: caption)) }
            if let replyMarkup { parts.append(MultipartPart(name: "reply_markup", data: try encode(replyMarkup))) }
            return try decode(Message.self, from: callMultipart(method: "sendPhoto", parts: parts))
        }
    }

    public func setMyCommands(commands: [BotCommand], scope: BotCommandScope? = nil, languageCode: String? = nil) throws {
        try send(SetMyCommands(commands: commands, scope: scope, languageCode: languageCode))
    }

    public func getMyCommands(scope: BotCommandScope? = nil, languageCode: String? = nil) throws -> [BotCommand] {
        try send(GetMyCommands(scope: scope, languageCode: languageCode))
    }

    // MARK: - Plumbing

    private func callMultipart(method: String, parts: [MultipartPart], timeout: Double? = nil) throws -> Data {
        try endpoint.result(of: http.perform(BotAPIRequests.multipart(endpoint.url(method), parts: parts, timeout: timeout))).get()
    }

    private func encode(_ value: some Encodable) throws -> Data {
        do {
            return try JSONEncoder().encode(value)
        } catch {
            throw TelegramError.badRequest("cannot encode the parameters: \(error)")
        }
    }

    private func decode<T: Decodable>(_ type: T.Type, from data: Data) throws -> T {
        do {
            return try JSONDecoder().decode(type, from: data)
        } catch {
            throw TelegramError.invalidResponse("undecodable \(type) result: \(error)")
        }
    }
}

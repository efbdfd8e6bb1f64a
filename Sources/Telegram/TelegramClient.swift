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
    public let baseURL: String
    private let token: String
    private let http: HTTPClient
    /// Added to a long poll's own timeout, so the server answers before the request gives up.
    public var longPollMargin: Double = 10

    public init(baseURL: String = "https://api.telegram.org", token: String, http: HTTPClient = HTTPClient()) {
        self.baseURL = baseURL.hasSuffix("/") ? String(baseURL.dropLast()) : baseURL
        self.token = token
        self.http = http
    }

    // MARK: - Generic calls

    /// Calls `method` with a JSON payload and returns the raw JSON of its `result`,
    /// byte for byte as the server sent it (the outbox replays stored calls through this).
    public func call(method: String, payload: Data, timeout: Double? = nil) throws -> Data {
        let response: HTTPResponse
        do {
            response = try http.postJSON(url(method), body: payload, timeout: timeout)
        } catch let error as HTTPError {
            throw TelegramError.network(scrubbed(error))
        }
        return try result(of: response)
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
        var parts = [MultipartPart(name: "chat_id", value: String(chatID)),
                     MultipartPart(name: "document", data: data, filename: fileName, contentType: mimeType ?? "application/octet-stream")]
        if let caption { parts.append(MultipartPart(name: "caption", value: caption)) }
        if let replyMarkup { parts.append(MultipartPart(name: "reply_markup", data: try encode(replyMarkup))) }
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

    private func url(_ method: String) -> String { "\(baseURL)/bot\(token)/\(method)" }

    private func callMultipart(method: String, parts: [MultipartPart], timeout: Double? = nil) throws -> Data {
        let response: HTTPResponse
        do {
            response = try http.postMultipart(url(method), parts: parts, timeout: timeout)
        } catch let error as HTTPError {
            throw TelegramError.network(scrubbed(error))
        }
        return try result(of: response)
    }

    /// The Bot API's answer envelope.
    private struct Envelope: Decodable {
        let ok: Bool
        let errorCode: Int?
        let description: String?
        let parameters: ResponseParameters?

        enum CodingKeys: String, CodingKey {
            case ok, errorCode = "error_code", description, parameters
        }
    }

    private func result(of response: HTTPResponse) throws -> Data {
        guard let envelope = try? JSONDecoder().decode(Envelope.self, from: response.body) else {
            // A proxy or load balancer in front of Telegram can answer with HTML.
            if response.status >= 500 {
                throw TelegramError.server(status: response.status, description: "HTTP \(response.status) without a Bot API answer")
            }
            throw TelegramError.invalidResponse("HTTP \(response.status), body is not a Bot API answer (\(response.body.count) bytes)")
        }
        if envelope.ok {
            guard let result = RawJSON.member("result", of: response.body) else {
                throw TelegramError.invalidResponse("answer without a result")
            }
            return result
        }
        let description = scrubbed(envelope.description ?? "HTTP \(response.status)")
        switch envelope.errorCode ?? response.status {
        case 429:
            throw TelegramError.flood(retryAfter: envelope.parameters?.retryAfter ?? Self.seconds(in: description) ?? 1)
        case 401: throw TelegramError.unauthorized
        case 403: throw TelegramError.forbidden(description)
        case 404: throw TelegramError.notFound
        case 409: throw TelegramError.conflict(description)
        case let code where code >= 500: throw TelegramError.server(status: code, description: description)
        default: throw TelegramError.badRequest(description)
        }
    }

    /// "Too Many Requests: retry after 7" → 7, for a 429 without parameters.
    private static func seconds(in description: String) -> Int? {
        guard let range = description.range(of: "retry after ") else { return nil }
        return Int(description[range.upperBound...].prefix { $0.isNumber })
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

    private func scrubbed(_ text: String) -> String {
        token.isEmpty ? text : text.replacingOccurrences(of: token, with: "<token>")
    }

    private func scrubbed(_ error: HTTPError) -> HTTPError {
        switch error {
        case .cannotConnect(let message): return .cannotConnect(scrubbed(message))
        case .cannotResolveHost(let message): return .cannotResolveHost(scrubbed(message))
        case .timedOut(let message): return .timedOut(scrubbed(message))
        case .transport(let code, let message): return .transport(code: code, message: scrubbed(message))
        case .responseTooLarge, .status: return error
        }
    }
}

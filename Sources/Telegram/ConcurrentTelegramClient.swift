import Foundation
import HTTP

/// Bot API calls with many in flight, on a `ConcurrentHTTPClient`: each call's completion
/// runs on that client's thread (keep it short, never block in it), with the result that
/// `TelegramClient` would return or throw for the same answer.
///
/// Calls go out as stored (method and JSON payload), so the outbox replays its rows through
/// it; typed calls stay with `TelegramClient`. Every failure is a `TelegramError` that
/// carries neither the token nor the URL.
public final class ConcurrentTelegramClient: @unchecked Sendable {
    public var baseURL: String { endpoint.baseURL }
    private let endpoint: BotAPIEndpoint
    private let http: ConcurrentHTTPClient

    public init(baseURL: String = "https://api.telegram.org", token: String, http: ConcurrentHTTPClient) {
        endpoint = BotAPIEndpoint(baseURL: baseURL, token: token)
        self.http = http
    }

    /// A stored call (method + JSON payload), as the outbox keeps it; the result is the raw
    /// JSON of `result`, byte for byte, or a TelegramError mapped exactly as TelegramClient
    /// maps it (429 → .flood(retry_after), 400, 403, 5xx, network...). After the HTTP
    /// client's shutdown the completion runs inline with `.network(.shutDown)`.
    public func start(method: String, payload: Data, timeout: Double?,
                      completion: @escaping @Sendable (Result<Data, TelegramError>) -> Void) {
        send(BotAPIRequests.json(endpoint.url(method), payload: payload, timeout: timeout), completion: completion)
    }

    /// sendDocument as multipart (as TelegramClient.sendDocument builds it); the result is
    /// the raw JSON of the sent Message.
    public func startDocument(chatID: Int64, fileName: String, data: Data, mimeType: String? = nil, caption: String?,
                              timeout: Double?, completion: @escaping @Sendable (Result<Data, TelegramError>) -> Void) {
        let parts = BotAPIRequests.documentParts(chatID: chatID, fileName: fileName, data: data, mimeType: mimeType,
                                                 caption: caption, replyMarkup: nil)
        send(BotAPIRequests.multipart(endpoint.url("sendDocument"), parts: parts, timeout: timeout), completion: completion)
    }

    /// Requests running plus queued in the HTTP client (shared with its other users).
    public var inFlight: Int { http.inFlight }

    /// Shuts the HTTP client down (see `ConcurrentHTTPClient.shutdown()`): calls in flight
    /// complete with `.network(.shutDown)`.
    public func shutdown() { http.shutdown() }

    private func send(_ request: HTTPRequest, completion: @escaping @Sendable (Result<Data, TelegramError>) -> Void) {
        let endpoint = endpoint
        http.start(request) { outcome in completion(endpoint.result(of: outcome)) }
    }
}

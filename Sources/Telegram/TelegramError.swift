import HTTP

/// Why a Bot API call failed, by what the caller should do about it.
///
/// Descriptions are Telegram's own words and never hold the request URL or the token
/// (the URL carries the token; the client also scrubs the token from anything the server
/// or the transport said).
public enum TelegramError: Error, Sendable, Equatable, CustomStringConvertible {
    /// 429: too many requests; wait this many seconds before the next call.
    case flood(retryAfter: Int)
    /// 400: the request itself is wrong (chat not found, text too long, not modified…).
    case badRequest(String)
    /// 403: the bot may not do this; in a private chat, the user blocked the bot.
    case forbidden(String)
    /// 401: the token is wrong or revoked.
    case unauthorized
    /// 409: another getUpdates or a webhook is in the way.
    case conflict(String)
    /// 404: no such method (or a mistyped token path).
    case notFound
    /// 5xx: Telegram's side failed; the same call may work later.
    case server(status: Int, description: String)
    /// No answer at all: connection refused, timeout, reset.
    case network(HTTPError)
    /// An answer that is not the Bot API's JSON.
    case invalidResponse(String)

    /// True when the same call may succeed later (after waiting `retryAfter` for a flood).
    public var isRetryable: Bool {
        switch self {
        case .flood, .server, .network: return true
        case .badRequest, .forbidden, .unauthorized, .conflict, .notFound, .invalidResponse: return false
        }
    }

    /// Seconds to wait before retrying, when Telegram said.
    public var retryAfter: Int? {
        if case .flood(let seconds) = self { return seconds }
        return nil
    }

    /// A short name to count failures by (`bookingbot_telegram_errors_total{kind}`).
    public var kind: String {
        switch self {
        case .flood: return "rate_limited"
        case .forbidden: return "blocked"
        case .badRequest: return "bad_request"
        case .server: return "server"
        case .network: return "network"
        case .unauthorized, .conflict, .notFound, .invalidResponse: return "other"
        }
    }

    public var description: String {
        switch self {
        case .flood(let seconds): return "telegram: too many requests, retry after \(seconds) s"
        case .badRequest(let text): return "telegram: bad request: \(text)"
        case .forbidden(let text): return "telegram: forbidden: \(text)"
        case .unauthorized: return "telegram: unauthorized (wrong bot token)"
        case .conflict(let text): return "telegram: conflict: \(text)"
        case .notFound: return "telegram: method not found"
        case .server(let status, let text): return "telegram: server error \(status): \(text)"
        case .network(let error): return "telegram: network: \(error)"
        case .invalidResponse(let text): return "telegram: invalid response: \(text)"
        }
    }
}

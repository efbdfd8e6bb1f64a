/// A Bot API error answer, worded as Telegram words it.
struct BotAPIFailure: Error, Equatable {
    let code: Int
    let description: String
    var retryAfter: Int?

    static func badRequest(_ detail: String) -> BotAPIFailure { BotAPIFailure(code: 400, description: "Bad Request: \(detail)") }
    static func forbidden(_ detail: String) -> BotAPIFailure { BotAPIFailure(code: 403, description: "Forbidden: \(detail)") }
    static func conflict(_ detail: String) -> BotAPIFailure { BotAPIFailure(code: 409, description: "Conflict: \(detail)") }
    static let unauthorized = BotAPIFailure(code: 401, description: "Unauthorized")
    static let notFound = BotAPIFailure(code: 404, description: "Not Found")
    static func flood(retryAfter: Int) -> BotAPIFailure {
        BotAPIFailure(code: 429, description: "Too Many Requests: retry after \(retryAfter)", retryAfter: retryAfter)
    }

    /// What a failing Telegram front end answers (Telegram's own 5xx are rare and terse).
    static func server(status: Int) -> BotAPIFailure {
        let words = [500: "Internal Server Error", 502: "Bad Gateway", 503: "Service Unavailable", 504: "Gateway Timeout"]
        return BotAPIFailure(code: status, description: words[status] ?? "Internal Server Error")
    }

    static let chatNotFound = badRequest("chat not found")
    static let blocked = forbidden("bot was blocked by the user")
    static let textEmpty = badRequest("message text is empty")
    static let textTooLong = badRequest("message is too long")
    static let captionTooLong = badRequest("message caption is too long")
    /// An upload over Telegram's 50 MB.
    static let fileTooLarge = BotAPIFailure(code: 413, description: "Request Entity Too Large")
    static let buttonDataInvalid = badRequest("BUTTON_DATA_INVALID")
    static let notModified = badRequest("message is not modified: specified new message content and reply markup are exactly the same as a current content and reply markup of the message")
    static let editNotFound = badRequest("message to edit not found")
    static let deleteNotFound = badRequest("message to delete not found")
    static let queryInvalid = badRequest("query is too old and response timeout expired or query ID is invalid")
    static let pollConflict = conflict("terminated by other getUpdates request; make sure that only one bot instance is running")
    static let webhookActive = conflict("can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first")
}

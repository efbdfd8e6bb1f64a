import Telegram

/// What Telegram's refusal of one outbox row means for the row: the one reading of
/// Telegram's errors shared by every sender (`OutboxSender`, `OutboxDispatcher`).
enum RowFate: Equatable {
    /// Counts as delivered though Telegram did not take it this time (`note` says why).
    case delivered(note: String?)
    /// Refused for good (400 and its kin): kept with the reason, never resent.
    case refused(String)
    /// 403: the user blocked the bot; refused for good, and the user marked.
    case blocked(String)
    /// 429: nothing to this chat for this many seconds, then the same row again.
    case floodWait(Int)
    /// 5xx, the network: the same row again later.
    case retryLater(String)

    init(refusal error: TelegramError, method: String) {
        switch error {
        case .flood(let seconds):
            self = .floodWait(seconds)
        case .badRequest(let description) where description.contains("message is not modified"):
            self = .delivered(note: nil)  // what it asked for is already shown
        case .badRequest(let description) where method == "answerCallbackQuery" && description.contains("query is too old"):
            // Answered by an earlier try whose reply was lost (a timeout, a rolled-back
            // mark), or too late to matter: nothing is left to deliver either way.
            self = .delivered(note: "query too old: answered earlier or too late")
        case .forbidden(let description):
            self = .blocked(description)
        case .badRequest, .unauthorized, .conflict, .notFound, .invalidResponse:
            self = .refused("\(error)")
        case .server, .network:
            self = .retryLater("\(error)")
        }
    }
}

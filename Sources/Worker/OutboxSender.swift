import Foundation
import Logging
import Postgres
import Store
import Telegram

/// Sends a chat's committed replies in order, while the worker holds the chat's lease.
///
/// Telegram's answer decides each row's fate: sent; refused for good (400: kept with the
/// reason; 403: the user blocked the bot and is marked so); or a transient failure (429
/// after its `retry_after`, 5xx, network), which leaves the row, and every later one of
/// the chat, for the next flush — order is never broken to get a later reply out first.
struct OutboxSender {
    let db: PostgresConnection
    let telegram: TelegramClient
    let logger: Logger
    /// The longest 429 wait done inline; longer ones leave the row for later.
    var maxInlineFloodWait = 5

    /// Returns true when everything pending went out (or was refused for good).
    @discardableResult
    func flush(chatID: Int64) throws -> Bool {
        let outbox = OutboxStore(connection: db)
        for message in try outbox.pending(chatID: chatID) {
            var floodRetries = 0
            while true {
                do {
                    _ = try telegram.call(method: message.method, payload: Data(message.payload.utf8))
                    try outbox.markSent(message.id, now: Date())
                } catch let error as TelegramError {
                    switch error {
                    case .flood(let seconds) where seconds <= maxInlineFloodWait && floodRetries < 2:
                        floodRetries += 1
                        Thread.sleep(forTimeInterval: Double(seconds))
                        continue
                    case .badRequest(let description) where description.contains("message is not modified"):
                        try outbox.markSent(message.id, now: Date())  // what it asked for is already shown
                    case .forbidden(let description):
                        try outbox.markFailed(message.id, error: description, now: Date())
                        try db.query("UPDATE users SET blocked_bot_at = now() WHERE id = $1 AND blocked_bot_at IS NULL", [.int(chatID)])
                        logger.info("user blocked the bot", metadata: ["chat": "\(chatID)"])
                    case .badRequest, .unauthorized, .conflict, .notFound, .invalidResponse:
                        try outbox.markFailed(message.id, error: "\(error)", now: Date())
                        logger.error("reply refused by Telegram", metadata: ["chat": "\(chatID)", "method": "\(message.method)", "error": "\(error)"])
                    case .flood, .server, .network:
                        try outbox.markAttempt(message.id, error: "\(error)")
                        logger.warning("reply not sent yet; will retry", metadata: ["chat": "\(chatID)", "error": "\(error)"])
                        return false
                    }
                }
                break
            }
        }
        return true
    }
}

import Foundation
import Logging
import Postgres
import Stats
import Store
import Telegram

/// Sends a chat's committed replies in order.
///
/// Any process may send any chat's rows (the worker its own chat's and the admins'
/// notices, the reminders process whatever waited too long), so each flush holds the
/// chat's PostgreSQL advisory lock: one sender per chat at a time, rows marked under the
/// lock, so nothing goes twice and order holds. A sender that dies releases the lock
/// with its connection.
///
/// Telegram's answer decides each row's fate: sent; refused for good (400: kept with the
/// reason; 403: the user blocked the bot and is marked so); or a transient failure (429
/// after its `retry_after`, 5xx, network), which leaves the row, and every later one of
/// the chat, for the next flush — order is never broken to get a later reply out first.
public struct OutboxSender {
    let db: PostgresConnection
    let telegram: TelegramClient
    let limiter: SendRateLimiter?
    /// Where Telegram's refusals are counted for `/metrics` (nil: not counted).
    let stats: DeploymentStats?
    let logger: Logger
    /// The longest 429 wait done inline; longer ones leave the row for later.
    var maxInlineFloodWait = 5

    /// `limiter` nil sends without the shared budget (tests of the sender alone).
    public init(db: PostgresConnection, telegram: TelegramClient, limiter: SendRateLimiter?, stats: DeploymentStats? = nil, logger: Logger) {
        self.db = db
        self.telegram = telegram
        self.limiter = limiter
        self.stats = stats
        self.logger = logger
    }

    /// Advisory locks of this kind are the outbox's (a class id of their own, so chat ids
    /// never meet the migrator's lock).
    private static let lockClass: Int64 = 0x0B0C

    /// Sends everything pending for the chat, waiting for the chat's lock. Returns true
    /// when nothing is left (sent, or refused for good).
    @discardableResult
    public func flush(chatID: Int64) throws -> Bool {
        // Most flushes find nothing (the worker asks before every update): no lock then.
        // A row committed after this look is its committer's to send.
        guard try OutboxStore(connection: db).hasPending(chatID: chatID) else { return true }
        try db.query("SELECT pg_advisory_lock($1::int, $2::int)", lockKey(chatID))
        defer { unlock(chatID) }
        return try sendPending(chatID)
    }

    /// Like `flush`, unless another sender holds the chat (it sends the rows then):
    /// nil when the chat was busy.
    public func flushIfFree(chatID: Int64) throws -> Bool? {
        guard try db.query("SELECT pg_try_advisory_lock($1::int, $2::int) AS locked", lockKey(chatID))[0].get("locked") as Bool else {
            return nil
        }
        defer { unlock(chatID) }
        return try sendPending(chatID)
    }

    private func lockKey(_ chatID: Int64) -> [PostgresValue] {
        [.int(Self.lockClass), .int(Int64(Int32(truncatingIfNeeded: chatID)))]
    }

    private func unlock(_ chatID: Int64) {
        _ = try? db.query("SELECT pg_advisory_unlock($1::int, $2::int)", lockKey(chatID))
    }

    private func sendPending(_ chatID: Int64) throws -> Bool {
        let outbox = OutboxStore(connection: db)
        // Again until nothing is left: rows committed while this batch went out are sent
        // by this holder of the lock, not left for the sweeper.
        while true {
            let batch = try outbox.pending(chatID: chatID)
            if batch.isEmpty { return true }
            for message in batch {
                guard try send(message, outbox: outbox) else { return false }
            }
        }
    }

    /// False on a transient failure: the row stays, and so does every later one.
    private func send(_ message: OutboxMessage, outbox: OutboxStore) throws -> Bool {
        var floodRetries = 0
        // Telegram's limits count messages (sent or edited), not answers to button presses.
        if message.method.hasPrefix("send") || message.method.hasPrefix("edit") {
            limiter?.waitForTurn(message.priority == 0 ? .interactive : .background, chat: message.chatID)
        }
        while true {
            do {
                _ = try telegram.call(method: message.method, payload: Data(message.payload.utf8))
                try outbox.markSent(message.id, now: Date())
            } catch let error as TelegramError {
                stats?.telegramError(kind: error.kind)
                switch error {
                case .flood(let seconds) where seconds <= maxInlineFloodWait && floodRetries < 2:
                    floodRetries += 1
                    logger.warning("Telegram asked to slow down; waiting", metadata: ["chat": "\(message.chatID)", "seconds": "\(seconds)"])
                    Thread.sleep(forTimeInterval: Double(seconds))
                    continue
                case .badRequest(let description) where description.contains("message is not modified"):
                    try outbox.markSent(message.id, now: Date())  // what it asked for is already shown
                case .forbidden(let description):
                    try outbox.markFailed(message.id, error: description, now: Date())
                    try db.query("UPDATE users SET blocked_bot_at = now() WHERE id = $1 AND blocked_bot_at IS NULL", [.int(message.chatID)])
                    logger.info("user blocked the bot", metadata: ["chat": "\(message.chatID)"])
                case .badRequest, .unauthorized, .conflict, .notFound, .invalidResponse:
                    try outbox.markFailed(message.id, error: "\(error)", now: Date())
                    logger.error("reply refused by Telegram", metadata: ["chat": "\(message.chatID)", "method": "\(message.method)", "error": "\(error)"])
                case .flood, .server, .network:
                    try outbox.markAttempt(message.id, error: "\(error)")
                    logger.warning("reply not sent yet; will retry", metadata: ["chat": "\(message.chatID)", "error": "\(error)"])
                    return false
                }
            }
            return true
        }
    }
}

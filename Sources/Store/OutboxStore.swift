import Foundation
import Postgres

/// One reply waiting in `outbox`: a Bot API method and its JSON payload.
public struct OutboxMessage: Sendable, Equatable {
    public let id: Int64
    public let chatID: Int64
    public let method: String
    public let payload: String
    /// 0 interactive, 1 background.
    public let priority: Int
    public let attempts: Int
}

/// The transactional outbox: replies decided inside an update's transaction are written
/// here in the same transaction, and sent after commit (at least once, in order per chat).
public struct OutboxStore {
    private let db: PostgresConnection

    public init(connection: PostgresConnection) {
        self.db = connection
    }

    /// The chat's send lock: the whole chat id hashed with the outbox's own name into one
    /// bigint (chats never share a lock, and no other lock of the database meets these).
    static let chatLockKeySQL = "hashtextextended('bookingbot.outbox', $1::bigint)"

    /// Takes the chat's send lock for the open transaction, waiting for it (up to the
    /// session's `lock_timeout`): one sender per chat at a time. The lock is the
    /// transaction's, so a sender that dies or freezes loses it with its session.
    /// Call it inside `transaction {}`; outside one the lock would end with the statement.
    public func lockChat(_ chatID: Int64) throws {
        try db.query("SELECT pg_advisory_xact_lock(\(Self.chatLockKeySQL))", [.int(chatID)])
    }

    /// Like `lockChat`, without waiting: false when another transaction holds the chat.
    public func tryLockChat(_ chatID: Int64) throws -> Bool {
        try db.query("SELECT pg_try_advisory_xact_lock(\(Self.chatLockKeySQL)) AS locked", [.int(chatID)])[0].get("locked")
    }

    /// Adds a reply; `priority` 0 is interactive, 1 background (broadcasts).
    public func add(chatID: Int64, method: String, payload: String, updateID: Int64?, priority: Int = 0, now: Date) throws {
        try db.query("""
            INSERT INTO outbox (chat_id, method, payload, priority, update_id, created_at) VALUES ($1, $2, $3, $4, $5, $6)
            """, [.int(chatID), .text(method), .json(payload), .int(priority), updateID.map { .int($0) } ?? .null, .timestamp(now)])
    }

    /// Whether the chat has unsent replies (one index probe).
    public func hasPending(chatID: Int64) throws -> Bool {
        try db.query("SELECT 1 FROM outbox WHERE chat_id = $1 AND sent_at IS NULL AND failed_at IS NULL LIMIT 1", [.int(chatID)]).count == 1
    }

    /// Rows of every chat still to send (the partial index holds exactly these).
    public func backlog() throws -> Int {
        try db.query("SELECT count(*) AS n FROM outbox WHERE sent_at IS NULL AND failed_at IS NULL")[0].get("n")
    }

    /// A chat's unsent replies, oldest first.
    public func pending(chatID: Int64, limit: Int = 100) throws -> [OutboxMessage] {
        try db.query("""
            SELECT id, chat_id, method, payload::text AS payload, priority, attempts FROM outbox
            WHERE chat_id = $1 AND sent_at IS NULL AND failed_at IS NULL ORDER BY id LIMIT $2
            """, [.int(chatID), .int(limit)]).map { row in
            OutboxMessage(id: try row.get("id"), chatID: try row.get("chat_id"), method: try row.get("method"),
                          payload: try row.get("payload"), priority: try row.get("priority"), attempts: try row.get("attempts"))
        }
    }

    /// `note` says why a row counts as sent without Telegram's taking it this time.
    public func markSent(_ id: Int64, now: Date, note: String? = nil) throws {
        try db.query("UPDATE outbox SET sent_at = $2, attempts = attempts + 1, last_error = coalesce($3, last_error) WHERE id = $1",
                     [.int(id), .timestamp(now), note.map { .text($0) } ?? .null])
    }

    /// A reply Telegram refused for good (400, 403): kept with the reason, never resent.
    public func markFailed(_ id: Int64, error: String, now: Date) throws {
        try db.query("UPDATE outbox SET failed_at = $2, attempts = attempts + 1, last_error = $3 WHERE id = $1",
                     [.int(id), .timestamp(now), .text(String(error.prefix(500)))])
    }

    /// A transient failure: counted, the row stays to be sent later.
    public func markAttempt(_ id: Int64, error: String) throws {
        try db.query("UPDATE outbox SET attempts = attempts + 1, last_error = $2 WHERE id = $1", [.int(id), .text(String(error.prefix(500)))])
    }
}

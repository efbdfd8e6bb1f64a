import Foundation
import Postgres

/// The questions whose answers prove the bot lost and doubled nothing: asked by the chaos
/// run after its faults (`scripts/chaos`), and useful to an operator after an incident.
/// Read-only; each answer is what breaks the guarantee (empty or zero when it holds).
public struct IntegrityReads {
    private let db: PostgresConnection

    public init(connection: PostgresConnection) {
        db = connection
    }

    /// The updates of these chats whose effects are committed.
    public func processedUpdates(chats: [Int64]) throws -> [(updateID: Int64, chatID: Int64)] {
        try db.query("SELECT update_id, chat_id FROM processed_updates WHERE chat_id = ANY($1::bigint[])", [.intArray(chats)]).map {
            (try $0.get("update_id"), try $0.get("chat_id"))
        }
    }

    /// For each chat, the updates its replies answer, in the order the replies were written
    /// (the outbox's ids come from one sequence as each transaction inserts them; no clock,
    /// so a worker's stepped clock cannot reorder them).
    public func updatesInReplyOrder(chats: [Int64]) throws -> [(chatID: Int64, updateID: Int64)] {
        try db.query("""
            SELECT chat_id, update_id FROM outbox WHERE chat_id = ANY($1::bigint[]) AND update_id IS NOT NULL ORDER BY id
            """, [.intArray(chats)]).map { (try $0.get("chat_id"), try $0.get("update_id")) }
    }

    /// Bookings created, or cancelled, more than once: an update's effects applied twice.
    public func doubledBookingChanges() throws -> Int {
        try db.query("""
            SELECT count(*) AS n FROM (
                SELECT booking_id, action FROM booking_history WHERE action IN ('created', 'cancelled')
                GROUP BY booking_id, action HAVING count(*) > 1) doubled
            """)[0].get("n")
    }

    /// Pairs of confirmed bookings of one resource whose times overlap.
    public func overlappingConfirmedBookings() throws -> Int {
        try db.query("""
            SELECT count(*) AS n FROM bookings a JOIN bookings b
              ON a.resource_id = b.resource_id AND a.id < b.id AND a.during && b.during
            WHERE a.status = 'confirmed' AND b.status = 'confirmed'
            """)[0].get("n")
    }

    /// Confirmed bookings inside a block of their resource (a block cancels what it covers,
    /// and nothing may be booked into one).
    public func confirmedBookingsInBlocks() throws -> Int {
        try db.query("""
            SELECT count(*) AS n FROM bookings b JOIN blocks k ON k.resource_id = b.resource_id AND k.during && b.during
            WHERE b.status = 'confirmed'
            """)[0].get("n")
    }

    /// Clients holding more confirmed bookings still to come than `limit`.
    public func clientsOverLimit(_ limit: Int, now: Date) throws -> [(client: Int64, bookings: Int)] {
        try db.query("""
            SELECT user_id, count(*) AS n FROM bookings
            WHERE status = 'confirmed' AND upper(during) > $1 GROUP BY user_id HAVING count(*) > $2
            """, [.timestamp(now), .int(Int64(limit))]).map { (try $0.get("user_id"), try $0.get("n")) }
    }

    /// Reminders and review requests by kind and fate ("reminder sent": 12, …): the
    /// figures beside the reminder checks.
    public func reminderFigures() throws -> [String: Int] {
        var figures: [String: Int] = [:]
        for row in try db.query("""
            SELECT kind || ' ' || CASE WHEN sent_at IS NOT NULL THEN 'sent' WHEN withdrawn_at IS NOT NULL THEN 'withdrawn'
                                       WHEN missed_at IS NOT NULL THEN 'missed' ELSE 'waiting' END AS fate, count(*) AS n
            FROM reminders GROUP BY 1
            """) {
            figures[try row.get("fate")] = try row.get("n")
        }
        return figures
    }

    /// Reminders sent after their booking was cancelled.
    public func remindersSentAfterCancellation() throws -> Int {
        try db.query("""
            SELECT count(*) AS n FROM reminders r JOIN bookings b ON b.id = r.booking_id
            WHERE r.sent_at IS NOT NULL AND b.status = 'cancelled' AND b.cancelled_at < r.sent_at
            """)[0].get("n")
    }

    /// Reminders due before `before` and neither sent, missed nor withdrawn.
    public func remindersLeftUnsent(dueBefore before: Date) throws -> Int {
        try db.query("""
            SELECT count(*) AS n FROM reminders
            WHERE due_at < $1 AND sent_at IS NULL AND missed_at IS NULL AND withdrawn_at IS NULL
            """, [.timestamp(before)])[0].get("n")
    }

    /// A reply as the outbox holds it.
    public struct Reply: Sendable {
        public let chatID: Int64
        public let method: String
        public let payload: String
        public let sent: Bool
        public let failed: Bool
        public let lastError: String?
        /// Its outbox lane (`OutboxLane`).
        public let priority: Int
    }

    /// Every reply of these chats, oldest first.
    public func replies(chats: [Int64]) throws -> [Reply] {
        try db.query("""
            SELECT chat_id, method, payload::text AS payload, sent_at IS NOT NULL AS sent, failed_at IS NOT NULL AS failed, last_error, priority
            FROM outbox WHERE chat_id = ANY($1::bigint[]) ORDER BY id
            """, [.intArray(chats)]).map {
            Reply(chatID: try $0.get("chat_id"), method: try $0.get("method"), payload: try $0.get("payload"), sent: try $0.get("sent"),
                  failed: try $0.get("failed"), lastError: try $0.get("last_error"), priority: try $0.get("priority"))
        }
    }

    /// One recipient of a broadcast, and what became of their message.
    public struct BroadcastDelivery: Sendable {
        public let broadcastID: Int64
        public let text: String
        public let userID: Int64
        /// False: skipped at expansion (the user had blocked the bot).
        public let queued: Bool
        public let sent: Bool
        public let failed: Bool
        public let lastError: String?
    }

    /// Every broadcast's recipients, with their outbox rows' fates.
    public func broadcastDeliveries() throws -> [BroadcastDelivery] {
        try db.query("""
            SELECT r.broadcast_id, b.text, r.user_id, r.outbox_id IS NOT NULL AS queued,
                   coalesce(o.sent_at IS NOT NULL, false) AS sent, coalesce(o.failed_at IS NOT NULL, false) AS failed, o.last_error
            FROM broadcast_recipients r JOIN broadcasts b ON b.id = r.broadcast_id LEFT JOIN outbox o ON o.id = r.outbox_id
            ORDER BY r.broadcast_id, r.user_id
            """).map {
            BroadcastDelivery(broadcastID: try $0.get("broadcast_id"), text: try $0.get("text"), userID: try $0.get("user_id"),
                              queued: try $0.get("queued"), sent: try $0.get("sent"), failed: try $0.get("failed"), lastError: try $0.get("last_error"))
        }
    }

    /// Broadcasts sent and not yet done (recipients still being recorded or sent to).
    public func broadcastsUnfinished() throws -> Int {
        try db.query("SELECT count(*) AS n FROM broadcasts WHERE status = 'sending'")[0].get("n")
    }

    /// Replies written twice for one update (the same method and payload): its effects
    /// applied again by a replay.
    public func doubledReplies() throws -> Int {
        try db.query("""
            SELECT count(*) AS n FROM (
                SELECT 1 FROM outbox WHERE update_id IS NOT NULL GROUP BY update_id, chat_id, method, payload::text HAVING count(*) > 1) doubled
            """)[0].get("n")
    }

    /// Replies neither sent nor given up on.
    public func repliesUnsent() throws -> Int {
        try db.query("SELECT count(*) AS n FROM outbox WHERE sent_at IS NULL AND failed_at IS NULL")[0].get("n")
    }
}

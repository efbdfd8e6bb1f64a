import Foundation
import Postgres

/// A broadcast's figures: as stored once it is done, counted from its recipients while
/// it is sending.
public struct BroadcastProgress: Sendable, Equatable {
    public enum Status: String, Sendable {
        case draft, sending, done, cancelled
    }

    public var id: Int64
    public var createdBy: Int64
    public var status: Status
    public var text: String
    /// The people it was meant for when it was confirmed (an estimate until every one is recorded).
    public var total: Int
    /// Recipients recorded so far (each with their outbox row, or skipped as blocked).
    public var recorded: Int
    public var sent: Int
    public var failed: Int
    public var blocked: Int
    public var createdAt: Date
    public var finishedAt: Date?

    public init(id: Int64, createdBy: Int64, status: Status, text: String, total: Int, recorded: Int, sent: Int, failed: Int,
                blocked: Int, createdAt: Date, finishedAt: Date?) {
        self.id = id
        self.createdBy = createdBy
        self.status = status
        self.text = text
        self.total = total
        self.recorded = recorded
        self.sent = sent
        self.failed = failed
        self.blocked = blocked
        self.createdAt = createdAt
        self.finishedAt = finishedAt
    }
}

/// One batch of an expansion, as the reminders process reports it.
public struct BroadcastExpansion: Sendable, Equatable {
    public var broadcast: Int64
    /// Recipients recorded by this batch with an outbox row.
    public var queued: Int
    /// Recipients recorded by this batch without one (they had blocked the bot).
    public var skipped: Int
    /// True when the batch found nobody left: the broadcast is wholly recorded.
    public var complete: Bool
}

/// A finished broadcast: its figures and the sender's report as stored.
public struct BroadcastReport: Sendable, Equatable {
    public var progress: BroadcastProgress
    public var language: String
    public var reportOutboxID: Int64
}

/// Broadcasts (SPEC admin 8): created by a confirmed step (`create`), then expanded by
/// the reminders process a batch at a time, each recipient's row written with their
/// outbox row in one statement (`expandNext`), and finished once every row is settled
/// (`finishNext`). The outbox rows are on the broadcast lane, which only the workers'
/// dispatchers send (see docs/architecture.md, Broadcasts).
public struct BroadcastStore {
    private let db: PostgresConnection

    public init(connection: PostgresConnection) {
        self.db = connection
    }

    /// Who a broadcast from `sender` would reach now: everyone who ever wrote to the bot
    /// and has not blocked it, staff included, the sender left out.
    public func audience(excluding sender: Int64) throws -> Int {
        try db.query("SELECT count(*) AS n FROM users WHERE id <> $1 AND blocked_bot_at IS NULL", [.int(sender)])[0].get("n")
    }

    /// A broadcast ready to go out (status 'sending'): the reminders process expands it.
    public func create(text: String, photoFileID: String?, by sender: Int64, language: String, now: Date) throws -> Int64 {
        try db.query("""
            INSERT INTO broadcasts (created_by, text, photo_file_id, status, total, sender_language, created_at)
            VALUES ($1, $2, $3, 'sending', (SELECT count(*) FROM users WHERE id <> $1 AND blocked_bot_at IS NULL), $4, $5)
            RETURNING id
            """, [.int(sender), .text(text), .optional(photoFileID, PostgresValue.text), .text(language), .timestamp(now)])[0].get("id")
    }

    private static let progressColumns = """
        b.id, b.created_by, b.status, b.text, b.total, b.sent, b.failed, b.blocked, b.created_at, b.finished_at,
        CASE WHEN b.status = 'sending' THEN (SELECT count(*) FROM broadcast_recipients r WHERE r.broadcast_id = b.id)
             ELSE b.total END AS recorded,
        c.live_sent, c.live_failed, c.live_blocked
        """

    /// The live counts of a sending broadcast (zeros for the others, whose figures are stored).
    private static let liveCounts = """
        LEFT JOIN LATERAL (
          SELECT count(*) FILTER (WHERE o.sent_at IS NOT NULL) AS live_sent,
                 count(*) FILTER (WHERE \(failedSQL)) AS live_failed,
                 count(*) FILTER (WHERE \(blockedSQL)) AS live_blocked
          FROM broadcast_recipients r LEFT JOIN outbox o ON o.id = r.outbox_id LEFT JOIN users u ON u.id = r.user_id
          WHERE r.broadcast_id = b.id AND b.status = 'sending'
        ) c ON true
        """

    /// Skipped at expansion, or refused with a 403 (the dispatcher marks the user in the
    /// same batch; Telegram's words say it even before that mark lands).
    private static let blockedSQL = """
        r.outbox_id IS NULL OR (o.sent_at IS NULL AND o.failed_at IS NOT NULL
          AND (u.blocked_bot_at IS NOT NULL OR o.last_error ILIKE '%forbidden%' OR o.last_error ILIKE '%blocked%'))
        """
    private static let failedSQL = """
        o.sent_at IS NULL AND o.failed_at IS NOT NULL
          AND NOT (u.blocked_bot_at IS NOT NULL OR o.last_error ILIKE '%forbidden%' OR o.last_error ILIKE '%blocked%')
        """

    private static func progress(_ row: PostgresRow) throws -> BroadcastProgress {
        let status = BroadcastProgress.Status(rawValue: try row.get("status")) ?? .draft
        let live = status == .sending
        return BroadcastProgress(id: try row.get("id"), createdBy: try row.get("created_by"), status: status, text: try row.get("text"),
                                 total: try row.get("total"), recorded: try row.get("recorded"),
                                 sent: live ? try row.get("live_sent") : try row.get("sent"),
                                 failed: live ? try row.get("live_failed") : try row.get("failed"),
                                 blocked: live ? try row.get("live_blocked") : try row.get("blocked"),
                                 createdAt: try row.get("created_at"), finishedAt: try row.get("finished_at"))
    }

    /// One broadcast's figures so far (nil: no such broadcast).
    public func progress(_ id: Int64) throws -> BroadcastProgress? {
        try db.query("SELECT \(Self.progressColumns) FROM broadcasts b \(Self.liveCounts) WHERE b.id = $1", [.int(id)])
            .first.map(Self.progress)
    }

    /// The latest broadcasts, newest first.
    public func recent(limit: Int) throws -> [BroadcastProgress] {
        try db.query("SELECT \(Self.progressColumns) FROM broadcasts b \(Self.liveCounts) ORDER BY b.id DESC LIMIT $1",
                     [.int(min(max(limit, 1), 100))]).map(Self.progress)
    }

    // MARK: The reminders process

    /// Records the next `limit` recipients of one sending broadcast, each with their
    /// outbox row (`message` of the broadcast's text, its `chat_id` filled in per recipient) — or
    /// without one when they had blocked the bot — in one statement, under the
    /// broadcast's row lock (`FOR UPDATE SKIP LOCKED`: any number of processes share the
    /// work, never the same broadcast at once). Recipients are taken in id order after the
    /// last one recorded, among the users known when it was confirmed, the sender left
    /// out. A batch that finds nobody marks the broadcast wholly recorded.
    /// Call it inside `transaction {}`; nil when no broadcast waits.
    public func expandNext(limit: Int, lane: Int, now: Date,
                           message: (_ text: String, _ photo: String?) throws -> (method: String, payload: String)) throws -> BroadcastExpansion? {
        guard let row = try db.query("""
            SELECT id, created_by, created_at, text, photo_file_id FROM broadcasts WHERE status = 'sending' AND expanded_at IS NULL
            ORDER BY id LIMIT 1 FOR UPDATE SKIP LOCKED
            """).first else { return nil }
        let id: Int64 = try row.get("id")
        let (method, payload) = try message(try row.get("text"), try row.get("photo_file_id"))
        let recorded = try db.query("""
            WITH after AS (
              SELECT coalesce(max(user_id), -9223372036854775808) AS cursor FROM broadcast_recipients WHERE broadcast_id = $1
            ), batch AS (
              SELECT u.id, u.blocked_bot_at IS NOT NULL AS blocked FROM users u, after
              WHERE u.id > after.cursor AND u.id <> $2 AND u.created_at <= $3
              ORDER BY u.id LIMIT $4
            ), queued AS (
              INSERT INTO outbox (chat_id, method, payload, priority, created_at)
              SELECT id, $5, jsonb_set($6::jsonb, '{chat_id}', to_jsonb(id)), $7, $8 FROM batch WHERE NOT blocked ORDER BY id
              RETURNING id AS outbox_id, chat_id
            )
            INSERT INTO broadcast_recipients (broadcast_id, user_id, outbox_id, recorded_at)
            SELECT $1, b.id, q.outbox_id, $8 FROM batch b LEFT JOIN queued q ON q.chat_id = b.id
            RETURNING outbox_id
            """, [.int(id), .int(try row.get("created_by") as Int64), .timestamp(try row.get("created_at")), .int(min(max(limit, 1), 10_000)),
                  .text(method), .json(payload), .int(lane), .timestamp(now)])
        let queued = try recorded.filter { (try $0.get("outbox_id") as Int64?) != nil }.count
        if recorded.count == 0 {
            try db.query("""
                UPDATE broadcasts SET expanded_at = $2,
                  total = (SELECT count(*) FROM broadcast_recipients WHERE broadcast_id = $1) WHERE id = $1
                """, [.int(id), .timestamp(now)])
        }
        return BroadcastExpansion(broadcast: id, queued: queued, skipped: recorded.count - queued, complete: recorded.count == 0)
    }

    /// The sending broadcasts wholly recorded whose every outbox row is settled (sent or
    /// failed for good): one of them, locked (`FOR UPDATE SKIP LOCKED`), its figures
    /// counted and stored with status 'done', and its report written by `report` as an
    /// outbox row of the sender's chat. Call it inside `transaction {}`: the figures, the
    /// status and the report commit together, so the report goes exactly once.
    public func finishNext(now: Date, lane: Int,
                           report: (BroadcastProgress, _ language: String) throws -> (method: String, payload: String)) throws -> BroadcastReport? {
        guard let row = try db.query("""
            SELECT b.id, b.sender_language FROM broadcasts b
            WHERE b.status = 'sending' AND b.expanded_at IS NOT NULL
              AND NOT EXISTS (SELECT 1 FROM broadcast_recipients r JOIN outbox o ON o.id = r.outbox_id
                              WHERE r.broadcast_id = b.id AND o.sent_at IS NULL AND o.failed_at IS NULL)
            ORDER BY b.id LIMIT 1 FOR UPDATE SKIP LOCKED
            """).first else { return nil }
        let id: Int64 = try row.get("id")
        let language: String = try row.get("sender_language")
        guard var figures = try progress(id) else { return nil }
        figures.status = .done
        figures.total = figures.recorded
        figures.finishedAt = now
        try db.query("""
            UPDATE broadcasts SET status = 'done', total = $2, sent = $3, failed = $4, blocked = $5, finished_at = $6 WHERE id = $1
            """, [.int(id), .int(figures.total), .int(figures.sent), .int(figures.failed), .int(figures.blocked), .timestamp(now)])
        let message = try report(figures, language)
        let outboxID: Int64 = try db.query("""
            INSERT INTO outbox (chat_id, method, payload, priority, created_at) VALUES ($1, $2, $3, $4, $5) RETURNING id
            """, [.int(figures.createdBy), .text(message.method), .json(message.payload), .int(lane), .timestamp(now)])[0].get("id")
        return BroadcastReport(progress: figures, language: language, reportOutboxID: outboxID)
    }
}

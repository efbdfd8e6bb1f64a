import Foundation
import Postgres

/// A planned message whose time has come, with what its text needs.
public struct DueReminder: Sendable, Equatable {
    public enum Kind: String, Sendable {
        case reminder
        case review
    }

    public let id: Int64
    public let kind: Kind
    public let bookingID: Int64
    public let bookingStatus: BookingStatus
    public let visitStart: Date
    public let durationMinutes: Int
    public let clientID: Int64
    public let languageCode: String?
    public let clientBlockedBot: Bool
    public let serviceID: Int64
    public let serviceName: String
    /// The service's price text; empty when none is shown.
    public let servicePrice: String
    /// The booking already has its review (a request would ask twice).
    public let reviewed: Bool
}

/// `reminders`: the messages planned for bookings (reminders before the visit, the review
/// request after). Sending claims rows with `FOR UPDATE SKIP LOCKED`, so any number of
/// reminders processes share the work and none takes a row another holds.
public struct ReminderStore {
    private let db: PostgresConnection

    public init(connection: PostgresConnection) {
        self.db = connection
    }

    /// Due rows no one holds, oldest first, locked until the caller's transaction ends.
    public func claimDue(now: Date, limit: Int) throws -> [DueReminder] {
        guard db.inTransaction else { throw PostgresError.misuse("claiming reminders runs inside the caller's transaction") }
        return try db.query("""
            SELECT r.id, r.kind, b.id AS booking_id, b.status, lower(b.during) AS visit_start,
                   b.duration_minutes, b.user_id, u.language_code, u.blocked_bot_at IS NOT NULL AS blocked,
                   EXISTS (SELECT 1 FROM reviews v WHERE v.booking_id = b.id) AS reviewed,
                   s.id AS service_id, s.name AS service_name, s.price_text
            FROM reminders r
            JOIN bookings b ON b.id = r.booking_id
            JOIN users u ON u.id = b.user_id
            JOIN services s ON s.id = b.service_id
            WHERE r.sent_at IS NULL AND r.missed_at IS NULL AND r.withdrawn_at IS NULL AND r.due_at <= $1
            ORDER BY r.due_at, r.id
            LIMIT $2
            FOR UPDATE OF r SKIP LOCKED
            """, [.timestamp(now), .int(limit)]).map { row in
            guard let kind = DueReminder.Kind(rawValue: try row.get("kind")),
                  let status = BookingStatus(rawValue: try row.get("status")) else {
                throw PostgresError.decoding("reminders.kind or bookings.status holds an unknown value")
            }
            return DueReminder(id: try row.get("id"), kind: kind, bookingID: try row.get("booking_id"), bookingStatus: status, visitStart: try row.get("visit_start"),
                               durationMinutes: try row.get("duration_minutes"), clientID: try row.get("user_id"),
                               languageCode: try row.get("language_code"), clientBlockedBot: try row.get("blocked"),
                               serviceID: try row.get("service_id"), serviceName: try row.get("service_name"),
                               servicePrice: try row.get("price_text"), reviewed: try row.get("reviewed"))
        }
    }

    /// Its message is in the outbox (committed with this mark, so it goes exactly once).
    public func markSent(_ id: Int64, now: Date) throws {
        try db.query("UPDATE reminders SET sent_at = $2, attempts = attempts + 1 WHERE id = $1", [.int(id), .timestamp(now)])
    }

    /// Too late to be of use (the visit had started), or nobody to send it to.
    public func markMissed(_ id: Int64, reason: String, now: Date) throws {
        try db.query("UPDATE reminders SET missed_at = $2, last_error = $3 WHERE id = $1", [.int(id), .timestamp(now), .text(reason)])
    }

    /// No longer wanted (the booking was cancelled meanwhile).
    public func markWithdrawn(_ id: Int64, now: Date) throws {
        try db.query("UPDATE reminders SET withdrawn_at = $2 WHERE id = $1", [.int(id), .timestamp(now)])
    }

    /// Visits that have ended become `completed` (a no-show set by an admin stays), with
    /// a history entry each; returns how many.
    @discardableResult
    public func completeFinishedVisits(now: Date) throws -> Int {
        try db.transaction { tx in
            let done = try tx.query("""
                UPDATE bookings SET status = 'completed', updated_at = $1
                WHERE status = 'confirmed' AND upper(during) <= $1
                RETURNING id, during
                """, [.timestamp(now)])
            guard done.count > 0 else { return 0 }
            try tx.query("""
                INSERT INTO booking_history (booking_id, action, old_during, new_during, created_at)
                SELECT id, 'completed', during, during, $2 FROM bookings WHERE id = ANY ($1::bigint[])
                """, [.intArray(try done.map { try $0.get("id") as Int64 }), .timestamp(now)])
            return done.count
        }
    }

    /// Due and not yet handled: the reminders process's lag, for health checks.
    public func lateCount(now: Date, by slack: TimeInterval) throws -> Int {
        try db.query("""
            SELECT count(*) AS n FROM reminders
            WHERE sent_at IS NULL AND missed_at IS NULL AND withdrawn_at IS NULL AND due_at < $1
            """, [.timestamp(now.addingTimeInterval(-slack))])[0].get("n")
    }
}

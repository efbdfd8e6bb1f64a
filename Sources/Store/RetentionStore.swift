import Foundation
import Postgres

/// Keeps the tables that grow with traffic bounded: old `processed_updates` rows and
/// delivered (or refused) `outbox` rows are deleted in small batches, each its own short
/// statement, so pruning never holds many locks or runs into the statement timeout.
///
/// The ledger's window is shorter than a week on purpose: Telegram restarts `update_id`
/// at a random value after a week without updates, and an id from before that must read
/// as new (`UpdateLedger` treats a row older than the window as absent, too).
public struct RetentionStore {
    /// How long an update id is remembered against replays: far longer than any update
    /// waits in the queue, shorter than Telegram's one-week id reset.
    public static let ledgerWindow: TimeInterval = 3 * 86_400

    private let db: PostgresConnection

    public init(connection: PostgresConnection) {
        self.db = connection
    }

    /// Deletes up to `batches` × `batchSize` rows of each table past its age; returns how
    /// many of each went.
    public func prune(now: Date, outboxRetention: TimeInterval, batchSize: Int = 1000, batches: Int = 10) throws -> (updates: Int, outbox: Int) {
        let ledgerCutoff = now.addingTimeInterval(-Self.ledgerWindow)
        let outboxCutoff = now.addingTimeInterval(-outboxRetention)
        var updates = 0, outbox = 0
        for _ in 0..<batches {
            let deleted = try db.execute("""
                DELETE FROM processed_updates WHERE update_id IN (
                  SELECT update_id FROM processed_updates WHERE processed_at < $1 LIMIT $2)
                """, [.timestamp(ledgerCutoff), .int(Int64(batchSize))])
            updates += deleted
            if deleted < batchSize { break }
        }
        for _ in 0..<batches {
            let deleted = try db.execute("""
                DELETE FROM outbox WHERE id IN (
                  SELECT id FROM outbox WHERE (sent_at IS NOT NULL OR failed_at IS NOT NULL)
                    AND coalesce(sent_at, failed_at) < $1 LIMIT $2)
                """, [.timestamp(outboxCutoff), .int(Int64(batchSize))])
            outbox += deleted
            if deleted < batchSize { break }
        }
        return (updates, outbox)
    }
}

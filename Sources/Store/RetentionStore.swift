import Foundation
import Postgres

/// Keeps the tables that grow with traffic bounded: old `processed_updates` rows,
/// delivered (or refused) `outbox` rows and finished `jobs` are deleted in small batches, each its own short
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

    /// What one `prune` deleted, per table.
    public struct Pruned: Sendable, Equatable {
        public var updates = 0
        public var outbox = 0
        public var jobs = 0

        public var total: Int { updates + outbox + jobs }
    }

    /// Deletes up to `batches` × `batchSize` rows of each table past its age (finished jobs
    /// are kept as long as delivered replies, their documents among them); returns how
    /// many of each went.
    public func prune(now: Date, outboxRetention: TimeInterval, batchSize: Int = 1000, batches: Int = 10) throws -> Pruned {
        let outboxCutoff = now.addingTimeInterval(-outboxRetention)
        return Pruned(
            updates: try deleteInBatches("""
                DELETE FROM processed_updates WHERE update_id IN (
                  SELECT update_id FROM processed_updates WHERE processed_at < $1 LIMIT $2)
                """, before: now.addingTimeInterval(-Self.ledgerWindow), batchSize: batchSize, batches: batches),
            outbox: try deleteInBatches("""
                DELETE FROM outbox WHERE id IN (
                  SELECT id FROM outbox WHERE (sent_at IS NOT NULL OR failed_at IS NOT NULL)
                    AND coalesce(sent_at, failed_at) < $1 LIMIT $2)
                """, before: outboxCutoff, batchSize: batchSize, batches: batches),
            jobs: try deleteInBatches("""
                DELETE FROM jobs WHERE id IN (
                  SELECT id FROM jobs WHERE finished_at IS NOT NULL AND finished_at < $1 LIMIT $2)
                """, before: outboxCutoff, batchSize: batchSize, batches: batches))
    }

    /// Runs a `DELETE` of up to `$2` rows older than `$1` until it deletes fewer, at most
    /// `batches` times; returns how many went.
    private func deleteInBatches(_ sql: String, before cutoff: Date, batchSize: Int, batches: Int) throws -> Int {
        var total = 0
        for _ in 0..<batches {
            let deleted = try db.execute(sql, [.timestamp(cutoff), .int(Int64(batchSize))])
            total += deleted
            if deleted < batchSize { break }
        }
        return total
    }
}

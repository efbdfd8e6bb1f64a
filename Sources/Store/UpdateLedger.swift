import Foundation
import Postgres

/// `processed_updates`: an update's effects commit together with its row here, so a
/// replay (a worker died after commit, before the queue ack) finds it and skips them.
public struct UpdateLedger {
    private let db: PostgresConnection

    public init(connection: PostgresConnection) {
        self.db = connection
    }

    /// Records the update inside the open transaction; false when it was processed within
    /// the ledger's window. A row older than that is another update that once had this id
    /// (Telegram restarts ids after a week of silence): it is taken over, not a replay.
    public func claim(updateID: Int64, chatID: Int64, now: Date) throws -> Bool {
        try db.query("""
            INSERT INTO processed_updates (update_id, chat_id, processed_at) VALUES ($1, $2, $3)
            ON CONFLICT (update_id) DO UPDATE SET chat_id = EXCLUDED.chat_id, processed_at = EXCLUDED.processed_at
            WHERE processed_updates.processed_at < $4
            """, [.int(updateID), .int(chatID), .timestamp(now), .timestamp(now.addingTimeInterval(-RetentionStore.ledgerWindow))]).affectedRows == 1
    }
}

import Foundation
import Postgres

/// `conversations`: the state machine's state and data per chat and user, as JSON.
public struct ConversationStore {
    private let db: PostgresConnection

    public init(connection: PostgresConnection) {
        self.db = connection
    }

    /// The stored state JSON, locked for this transaction; nil for a first contact.
    public func load(chatID: Int64, userID: Int64) throws -> String? {
        try db.query(Self.lockedLoadSQL(chat: "$1", user: "$2"), [.int(chatID), .int(userID)]).first?.get("data")
    }

    /// `load`'s read, its parameters named (`TurnContextStore` runs it inside its statement).
    /// The lock keeps a second turn of the chat (one whose worker lost the chat's lease while
    /// paused) from building on a state this one is about to replace: it waits, then reads
    /// what this one saved.
    static func lockedLoadSQL(chat: String, user: String) -> String {
        "SELECT data::text AS data FROM conversations WHERE chat_id = \(chat) AND user_id = \(user) FOR UPDATE"
    }

    public func save(chatID: Int64, userID: Int64, state: String, data: String, now: Date) throws {
        try db.query("""
            INSERT INTO conversations (chat_id, user_id, state, data, updated_at) VALUES ($1, $2, $3, $4, $5)
            ON CONFLICT (chat_id, user_id) DO UPDATE SET state = EXCLUDED.state, data = EXCLUDED.data, updated_at = EXCLUDED.updated_at
            """, [.int(chatID), .int(userID), .text(state), .json(data), .timestamp(now)])
    }
}

import Foundation
import Postgres

/// `users`: everyone who talked to the bot.
public struct ClientStore {
    private let db: PostgresConnection

    public init(connection: PostgresConnection) {
        self.db = connection
    }

    /// Registers a user on first contact, or refreshes their name and language.
    /// Returns true when the user is new.
    @discardableResult
    public func register(id: Int64, firstName: String, lastName: String? = nil, username: String? = nil,
                         languageCode: String? = nil, now: Date) throws -> Bool {
        try db.query("""
            INSERT INTO users (id, first_name, last_name, username, language_code, created_at, updated_at)
            VALUES ($1, $2, $3, $4, $5, $6, $6)
            ON CONFLICT (id) DO UPDATE SET first_name = EXCLUDED.first_name, last_name = EXCLUDED.last_name,
                username = EXCLUDED.username, language_code = EXCLUDED.language_code, updated_at = EXCLUDED.updated_at
            RETURNING (xmax = 0) AS inserted
            """, [.int(id), .text(Self.storable(firstName)), .optional(lastName.map(Self.storable), PostgresValue.text),
                  .optional(username.map(Self.storable), PostgresValue.text),
                  .optional(languageCode.map(Self.storable), PostgresValue.text), .timestamp(now)])[0].get("inserted")
    }

    /// The person's Telegram language, when they ever wrote to the bot.
    public func languageCode(of person: Int64) throws -> String? {
        try db.query("SELECT language_code FROM users WHERE id = $1", [.int(person)]).first?.get("language_code")
    }

    /// The user blocked the bot (Telegram answered 403). The first time seen is kept;
    /// reminders and broadcasts skip users so marked.
    public func markBlocked(_ id: Int64, at time: Date) throws {
        try db.query("UPDATE users SET blocked_bot_at = $2 WHERE id = $1 AND blocked_bot_at IS NULL", [.int(id), .timestamp(time)])
    }

    /// Profile fields come from outside; PostgreSQL text cannot hold NUL, and a profile that
    /// can never be stored would fail every update of that person.
    static func storable(_ text: String) -> String {
        text.contains("\u{0}") ? text.replacingOccurrences(of: "\u{0}", with: "") : text
    }
}

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
        let inserted: Bool? = try db.query(Self.registerSQL, Self.registerParameters(id: id, firstName: firstName, lastName: lastName,
                                                                                    username: username, languageCode: languageCode,
                                                                                    now: now)).first?.get("inserted")
        return inserted ?? false
    }

    /// The user's upsert, `$1`–`$6` as `registerParameters` gives them (`TurnContextStore`
    /// runs it too). It returns a row only when it wrote one (`inserted`: whether the user is
    /// new): a profile as stored is not written again, so `updated_at` is when the profile
    /// last changed and a returning user's turn adds no row version. The row is locked
    /// either way (ON CONFLICT DO UPDATE locks before its WHERE), so one user's turns still
    /// take turns.
    static let registerSQL = """
        INSERT INTO users (id, first_name, last_name, username, language_code, created_at, updated_at)
        VALUES ($1, $2, $3, $4, $5, $6, $6)
        ON CONFLICT (id) DO UPDATE SET first_name = EXCLUDED.first_name, last_name = EXCLUDED.last_name,
            username = EXCLUDED.username, language_code = EXCLUDED.language_code, updated_at = EXCLUDED.updated_at
        WHERE users.first_name IS DISTINCT FROM EXCLUDED.first_name OR users.last_name IS DISTINCT FROM EXCLUDED.last_name
           OR users.username IS DISTINCT FROM EXCLUDED.username OR users.language_code IS DISTINCT FROM EXCLUDED.language_code
        RETURNING (xmax = 0) AS inserted
        """

    static func registerParameters(id: Int64, firstName: String, lastName: String?, username: String?, languageCode: String?,
                                   now: Date) -> [PostgresValue] {
        [.int(id), .text(storable(firstName)), .optional(lastName.map(storable), PostgresValue.text),
         .optional(username.map(storable), PostgresValue.text), .optional(languageCode.map(storable), PostgresValue.text),
         .timestamp(now)]
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

    /// The user unblocked the bot (Telegram's `my_chat_member`: a member again).
    public func markUnblocked(_ id: Int64) throws {
        try db.query("UPDATE users SET blocked_bot_at = NULL WHERE id = $1 AND blocked_bot_at IS NOT NULL", [.int(id)])
    }

    /// Profile fields come from outside; PostgreSQL text cannot hold NUL, and a profile that
    /// can never be stored would fail every update of that person.
    static func storable(_ text: String) -> String {
        text.contains("\u{0}") ? text.replacingOccurrences(of: "\u{0}", with: "") : text
    }
}

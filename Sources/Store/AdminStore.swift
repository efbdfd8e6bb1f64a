import Foundation
import Postgres

/// Someone who gets the business's booking notices.
public struct NoticeRecipient: Sendable, Equatable {
    public let userID: Int64
    /// Their Telegram language, when they ever wrote to the bot.
    public let languageCode: String?
}

/// `admins`: staff added in the bot. Owners (`ADMIN_IDS`) come from configuration and
/// need no row here.
public struct AdminStore {
    private let db: PostgresConnection

    public init(connection: PostgresConnection) {
        self.db = connection
    }

    /// The person's stored staff role (`admins.role`: `super_admin` or `moderator`), nil
    /// for anyone not added in the bot; owners (`ADMIN_IDS`) are `super_admin` whatever is
    /// stored. `lock` keeps the row as read until the transaction ends, so a role revoked
    /// meanwhile waits for this update's commit instead of slipping under its change.
    public func role(of person: Int64, owners: [Int64], lock: Bool = false) throws -> String? {
        let stored: String? = try db.query("SELECT role FROM admins WHERE user_id = $1" + (lock ? " FOR SHARE" : ""),
                                           [.int(person)]).first?.get("role")
        return owners.contains(person) ? "super_admin" : stored
    }

    /// Who is told of new, cancelled and moved bookings (SPEC admin 14): the owners, and
    /// the admins added in the bot who left notices on; each once, never `except` (the
    /// person who made the change already knows).
    public func noticeRecipients(owners: [Int64], except person: Int64) throws -> [NoticeRecipient] {
        try db.query("""
            SELECT r.id, u.language_code
            FROM (SELECT unnest($1::bigint[]) AS id UNION SELECT user_id FROM admins WHERE notify) AS r
            LEFT JOIN users u ON u.id = r.id
            WHERE r.id <> $2
            ORDER BY r.id
            """, [.intArray(owners), .int(person)]).map { row in
            NoticeRecipient(userID: try row.get("id"), languageCode: try row.get("language_code"))
        }
    }
}

import Booking
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
        let stored: String? = try db.query(Self.roleSQL(person: "$1") + (lock ? " FOR SHARE" : ""), [.int(person)]).first?.get("role")
        return Self.role(stored: stored, of: person, owners: owners)
    }

    /// `role`'s read of the stored role, its parameter named (`TurnContextStore` runs it
    /// inside its statement).
    static func roleSQL(person: String) -> String {
        "SELECT role FROM admins WHERE user_id = \(person)"
    }

    /// The role as `role` returns it, from what `admins` stores for the person.
    static func role(stored: String?, of person: Int64, owners: [Int64]) -> String? {
        owners.contains(person) ? "super_admin" : stored
    }

    /// Who is told of a booking event of this kind (SPEC admin 14): every staff member
    /// who takes it, each once, never `except` (the person who made the change knows).
    public func noticeRecipients(of kind: NoticeKind, owners: [Int64], except person: Int64) throws -> [NoticeRecipient] {
        try db.query("""
            SELECT s.id, u.language_code
            FROM (\(Self.staffWithDefaults)) AS s
            LEFT JOIN notice_preferences p ON p.user_id = s.id AND p.kind = $2
            LEFT JOIN users u ON u.id = s.id
            WHERE s.id <> $3 AND coalesce(p.enabled, s.default_on)
            ORDER BY s.id
            """, [.intArray(owners), .text(kind.rawValue), .int(person)]).map { row in
            NoticeRecipient(userID: try row.get("id"), languageCode: try row.get("language_code"))
        }
    }

    /// Which notices the person takes, each kind on or off (their choice, or the default).
    /// Empty for someone who is not staff.
    public func notices(of person: Int64, owners: [Int64]) throws -> [NoticeKind: Bool] {
        let rows = try db.query("""
            SELECT k.kind, coalesce(p.enabled, s.default_on) AS enabled
            FROM (\(Self.staffWithDefaults)) AS s
            CROSS JOIN unnest($3::text[]) AS k (kind)
            LEFT JOIN notice_preferences p ON p.user_id = s.id AND p.kind = k.kind
            WHERE s.id = $2
            """, [.intArray(owners), .int(person), .textArray(NoticeKind.allCases.map(\.rawValue))])
        var notices: [NoticeKind: Bool] = [:]
        for row in rows {
            if let kind = NoticeKind(rawValue: try row.get("kind")) { notices[kind] = try row.get("enabled") }
        }
        return notices
    }

    /// The person's choice for one kind of notice.
    public func setNotice(_ kind: NoticeKind, enabled: Bool, for person: Int64, now: Date) throws {
        try db.query("""
            INSERT INTO notice_preferences (user_id, kind, enabled, updated_at) VALUES ($1, $2, $3, $4)
            ON CONFLICT (user_id, kind) DO UPDATE SET enabled = EXCLUDED.enabled, updated_at = EXCLUDED.updated_at
            """, [.int(person), .text(kind.rawValue), .bool(enabled), .timestamp(now)])
    }

    /// Every staff member once ($1: the owners), with their notices' default: on for owners,
    /// `admins.notify` for staff added in the bot.
    private static let staffWithDefaults = """
        SELECT DISTINCT ON (id) id, default_on FROM (
            SELECT unnest($1::bigint[]) AS id, true AS default_on, 0 AS rank
            UNION ALL SELECT user_id, notify, 1 FROM admins
        ) AS staff ORDER BY id, rank
        """
}

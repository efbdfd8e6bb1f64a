import Foundation
import Postgres

/// `audit_log`: who did what to which target, allowed or refused.
public struct AuditLog {
    private let db: PostgresConnection

    public init(connection: PostgresConnection) {
        self.db = connection
    }

    public func record(actor: Int64, action: String, target: String?, details: [String: Any] = [:], allowed: Bool = true, at time: Date) throws {
        let json = try JSONSerialization.data(withJSONObject: details, options: [.sortedKeys])
        try db.query("""
            INSERT INTO audit_log (actor_id, action, target, details, allowed, created_at) VALUES ($1, $2, $3, $4, $5, $6)
            """, [.int(actor), .text(action), target.map { .text($0) } ?? .null,
                  .json(String(decoding: json, as: UTF8.self)), .bool(allowed), .timestamp(time)])
    }

    /// The newest `limit` entries, oldest first, and how many the log holds in all: an
    /// export is one bounded read however long the log grows.
    public func latest(limit: Int) throws -> (entries: [AuditEntry], total: Int) {
        let total: Int = try db.query("SELECT count(*) AS n FROM audit_log")[0].get("n")
        let entries = try db.query("""
            SELECT * FROM (
              SELECT a.id, a.created_at, a.actor_id, u.first_name, u.last_name, u.username, a.action, a.target,
                     a.details::text AS details, a.allowed
              FROM audit_log a LEFT JOIN users u ON u.id = a.actor_id
              ORDER BY a.created_at DESC, a.id DESC LIMIT $1) newest
            ORDER BY created_at, id
            """, [.int(limit)]).map { row in
            AuditEntry(id: try row.get("id"), time: try row.get("created_at"), actorID: try row.get("actor_id"),
                       actorFirstName: try row.get("first_name"), actorLastName: try row.get("last_name"),
                       actorUsername: try row.get("username"), action: try row.get("action"), target: try row.get("target"),
                       details: try row.get("details"), allowed: try row.get("allowed"))
        }
        return (entries, total)
    }
}

/// One `audit_log` row as an export shows it, with the actor's name as last seen.
public struct AuditEntry: Sendable, Equatable {
    public let id: Int64
    public let time: Date
    public let actorID: Int64
    /// The actor's names from `users` (nil when the actor never wrote to the bot).
    public let actorFirstName: String?
    public let actorLastName: String?
    public let actorUsername: String?
    public let action: String
    public let target: String?
    /// `details` as JSON text.
    public let details: String
    public let allowed: Bool

    public init(id: Int64, time: Date, actorID: Int64, actorFirstName: String?, actorLastName: String?, actorUsername: String?,
                action: String, target: String?, details: String, allowed: Bool) {
        self.id = id
        self.time = time
        self.actorID = actorID
        self.actorFirstName = actorFirstName
        self.actorLastName = actorLastName
        self.actorUsername = actorUsername
        self.action = action
        self.target = target
        self.details = details
        self.allowed = allowed
    }
}

import Foundation
import Postgres
import SortedJSON

/// `audit_log`: who did what to which target, allowed or refused.
public struct AuditLog {
    private let db: PostgresConnection

    public init(connection: PostgresConnection) {
        self.db = connection
    }

    /// A refused step: a row, or — when the same actor was refused the same action on the
    /// same target with the same details within `window` — one more in that row's
    /// `details.repeats`, so a flood of forged presses cannot grow the table without bound.
    public func recordRefusal(actor: Int64, action: String, target: String?, details: [String: Any], at time: Date,
                              window: TimeInterval) throws {
        let json = try SortedJSON.string(details)
        let counted = try db.query("""
            UPDATE audit_log SET details = jsonb_set(details, '{repeats}', to_jsonb(coalesce((details->>'repeats')::int, 1) + 1))
            WHERE id = (SELECT id FROM audit_log
                        WHERE actor_id = $1 AND action = $2 AND target IS NOT DISTINCT FROM $3 AND NOT allowed
                          AND details - 'repeats' = $4::jsonb AND created_at > $5
                        ORDER BY id DESC LIMIT 1 FOR UPDATE)
            RETURNING id
            """, [.int(actor), .text(action), target.map { .text($0) } ?? .null, .json(json),
                  .timestamp(time.addingTimeInterval(-window))])
        if counted.isEmpty {
            try record(actor: actor, action: action, target: target, details: details, allowed: false, at: time)
        }
    }

    public func record(actor: Int64, action: String, target: String?, details: [String: Any] = [:], allowed: Bool = true, at time: Date) throws {
        let json = try SortedJSON.data(details)
        try db.query("""
            INSERT INTO audit_log (actor_id, action, target, details, allowed, created_at) VALUES ($1, $2, $3, $4, $5, $6)
            """, [.int(actor), .text(action), target.map { .text($0) } ?? .null,
                  .json(String(decoding: json, as: UTF8.self)), .bool(allowed), .timestamp(time)])
    }

    /// A page of the log, newest first, and how many entries it holds in all (the audit
    /// screen: `offset` is the page times its size).
    public func page(offset: Int, limit: Int) throws -> (entries: [AuditEntry], total: Int) {
        let total: Int = try db.query("SELECT count(*) AS n FROM audit_log")[0].get("n")
        let entries = try db.query("""
            SELECT a.id, a.created_at, a.actor_id, u.first_name, u.last_name, u.username, a.action, a.target,
                   a.details::text AS details, a.allowed
            FROM audit_log a LEFT JOIN users u ON u.id = a.actor_id
            ORDER BY a.created_at DESC, a.id DESC OFFSET $1 LIMIT $2
            """, [.int(Int64(offset)), .int(Int64(limit))]).map(Self.entry)
        return (entries, total)
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
            """, [.int(limit)]).map(Self.entry)
        return (entries, total)
    }

    private static func entry(_ row: PostgresRow) throws -> AuditEntry {
        AuditEntry(id: try row.get("id"), time: try row.get("created_at"), actorID: try row.get("actor_id"),
                   actorFirstName: try row.get("first_name"), actorLastName: try row.get("last_name"),
                   actorUsername: try row.get("username"), action: try row.get("action"), target: try row.get("target"),
                   details: try row.get("details"), allowed: try row.get("allowed"))
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

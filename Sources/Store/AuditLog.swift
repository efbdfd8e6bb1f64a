import Foundation
import Postgres

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
        let json = String(decoding: try JSONSerialization.data(withJSONObject: details, options: [.sortedKeys]), as: UTF8.self)
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
        let json = try JSONSerialization.data(withJSONObject: details, options: [.sortedKeys])
        try db.query("""
            INSERT INTO audit_log (actor_id, action, target, details, allowed, created_at) VALUES ($1, $2, $3, $4, $5, $6)
            """, [.int(actor), .text(action), target.map { .text($0) } ?? .null,
                  .json(String(decoding: json, as: UTF8.self)), .bool(allowed), .timestamp(time)])
    }
}

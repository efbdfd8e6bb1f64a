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
}

import Foundation
import Postgres

/// A staff member added in the bot (a row of `admins`), as the field editor lists them.
public struct StaffMemberRecord: Sendable, Equatable {
    public let id: Int64
    public let role: String
    public let displayName: String?
    public let person: PersonName
}

/// The field editor's own reads and writes (SPEC admin 10): the staff rows and their
/// display names, a service locked for an edit. Block reasons are `BlockStore.setReason`;
/// a service's fields are written by `ServiceStore.update`, the services screen's own save.
public struct FieldEditorStore {
    private let db: PostgresConnection

    public init(connection: PostgresConnection) {
        self.db = connection
    }

    /// Staff added in the bot (owners from `ADMIN_IDS` have no row), by id, at most `limit`.
    public func staffMembers(limit: Int) throws -> [StaffMemberRecord] {
        try db.query("""
            SELECT a.user_id, a.role, a.display_name, u.first_name, u.last_name, u.username
            FROM admins a JOIN users u ON u.id = a.user_id ORDER BY a.user_id LIMIT $1
            """, [.int(Int64(limit))]).map { row in
            StaffMemberRecord(id: try row.get("user_id"), role: try row.get("role"), displayName: try row.get("display_name"),
                              person: PersonName(id: try row.get("user_id"), firstName: try row.get("first_name"),
                                                 lastName: try row.get("last_name"), username: try row.get("username")))
        }
    }

    /// A new display name of a staff row; the old one ("" when none), or nil when there is
    /// no such row.
    public func setDisplayName(_ id: Int64, _ name: String) throws -> String? {
        guard let row = try db.query("SELECT display_name FROM admins WHERE user_id = $1 FOR UPDATE", [.int(id)]).first else { return nil }
        let old: String? = try row.get("display_name")
        try db.query("UPDATE admins SET display_name = $2 WHERE user_id = $1", [.int(id), .text(name)])
        return old ?? ""
    }

    /// Locks a service row until the commit (an edit decides on its fields as they are);
    /// false when there is none.
    public func lockService(_ id: Int64) throws -> Bool {
        try db.query("SELECT 1 FROM services WHERE id = $1 FOR UPDATE", [.int(id)]).count == 1
    }
}

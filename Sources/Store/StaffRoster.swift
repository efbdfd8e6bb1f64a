import Foundation
import Postgres

/// One staff member as the admins screens show them: an owner (`ADMIN_IDS`) or a row of
/// `admins`, with their names from `users` and who added them.
public struct StaffRow: Sendable, Equatable {
    public let id: Int64
    public let isOwner: Bool
    /// `super_admin` or `moderator`.
    public let role: String
    public let displayName: String?
    public let firstName: String?
    public let username: String?
    public let addedBy: Int64?
    public let addedByName: String?
}

/// Why a change of the staff was not made (the raw values are the audit rows' reasons).
public enum RosterRefusal: String, Sendable, Equatable {
    case notRegistered = "not_registered"
    case alreadyStaff = "already_staff"
    case notStaff = "not_staff"
    case owner
    case themselves
    case lastSuperAdmin = "last_super_admin"
    case hourlyLimit = "hourly_limit"
    case unchanged
}

public enum RosterWrite: Sendable, Equatable {
    /// The member as they are now (removed: as they were).
    case done(StaffRow)
    case refused(RosterRefusal)
}

/// The staff (SPEC admin 11): owners from configuration, staff added in the bot in
/// `admins`. Every rule of a change is decided here, in the change's transaction, with the
/// rows it depends on locked: nobody changes themselves, owners stay, a super admin always
/// remains, and one admin's additions within an hour are counted one addition at a time.
public struct StaffRoster {
    private let db: PostgresConnection
    /// `ADMIN_IDS`.
    private let owners: [Int64]

    public init(connection: PostgresConnection, owners: [Int64]) {
        self.db = connection
        self.owners = owners
    }

    /// Owners first, then super admins, then moderators, each by when they were added.
    public func members() throws -> [StaffRow] {
        try db.query(Self.membersSQL + " ORDER BY s.rank, a.created_at NULLS FIRST, s.id", [.intArray(owners)]).map(Self.row)
    }

    public func member(_ id: Int64) throws -> StaffRow? {
        try db.query(Self.membersSQL + " WHERE s.id = $2", [.intArray(owners), .int(id)]).first.map(Self.row)
    }

    /// Adds a person who started the bot. Additions by one actor are serialised by a lock
    /// on the actor held until the commit, so the count of their additions in the last
    /// `window` (the `admin.add` audit rows that say `done`, written in the same
    /// transaction as each addition) cannot be passed by two workers at once, and it
    /// survives any restart.
    public func add(_ person: Int64, role: String, by actor: Int64, limit: Int, window: TimeInterval = 3600,
                    now: Date) throws -> RosterWrite {
        try db.query("SELECT pg_advisory_xact_lock(hashtextextended('bookingbot.admin.add', $1::bigint))", [.int(actor)])
        if owners.contains(person) { return .refused(.owner) }
        guard try !db.query("SELECT 1 FROM users WHERE id = $1", [.int(person)]).isEmpty else { return .refused(.notRegistered) }
        if try !db.query("SELECT 1 FROM admins WHERE user_id = $1", [.int(person)]).isEmpty { return .refused(.alreadyStaff) }
        let added: Int = try db.query("""
            SELECT count(*) AS n FROM audit_log
            WHERE actor_id = $1 AND action = 'admin.add' AND allowed AND details->>'outcome' = 'done' AND created_at > $2
            """, [.int(actor), .timestamp(now.addingTimeInterval(-window))])[0].get("n")
        guard added < limit else { return .refused(.hourlyLimit) }
        // Another admin adding the same person meanwhile: their row wins, this one is told.
        let inserted = try db.query("""
            INSERT INTO admins (user_id, role, added_by, created_at) VALUES ($1, $2, $3, $4)
            ON CONFLICT (user_id) DO NOTHING RETURNING user_id
            """, [.int(person), .text(role), .int(actor), .timestamp(now)])
        guard !inserted.isEmpty, let row = try member(person) else { return .refused(.alreadyStaff) }
        return .done(row)
    }

    /// Moderator ⇄ super admin.
    public func setRole(_ person: Int64, role: String, by actor: Int64) throws -> RosterWrite {
        switch try lockedTarget(person, by: actor) {
        case .refused(let why): return .refused(why)
        case .current(let current):
            if current == role { return .refused(.unchanged) }
            if current == "super_admin", try !superAdminRemains(besides: person) { return .refused(.lastSuperAdmin) }
            try db.query("UPDATE admins SET role = $2 WHERE user_id = $1", [.int(person), .text(role)])
            guard let row = try member(person) else { return .refused(.notStaff) }
            return .done(row)
        }
    }

    /// No longer staff: their `admins` row goes (their `users` row and history stay).
    public func remove(_ person: Int64, by actor: Int64) throws -> RosterWrite {
        switch try lockedTarget(person, by: actor) {
        case .refused(let why): return .refused(why)
        case .current(let current):
            if current == "super_admin", try !superAdminRemains(besides: person) { return .refused(.lastSuperAdmin) }
            guard let row = try member(person) else { return .refused(.notStaff) }
            try db.query("DELETE FROM admins WHERE user_id = $1", [.int(person)])
            return .done(row)
        }
    }

    private enum Target {
        case current(String)
        case refused(RosterRefusal)
    }

    /// The target's stored role, their row locked against any other change until the commit.
    private func lockedTarget(_ person: Int64, by actor: Int64) throws -> Target {
        if person == actor { return .refused(.themselves) }
        if owners.contains(person) { return .refused(.owner) }
        guard let role: String = try db.query("SELECT role FROM admins WHERE user_id = $1 FOR UPDATE", [.int(person)]).first?.get("role")
        else { return .refused(.notStaff) }
        return .current(role)
    }

    /// Whether a super admin other than `person` remains: an owner, or a stored super
    /// admin whose row is locked (shared) so that no concurrent change takes them away too.
    private func superAdminRemains(besides person: Int64) throws -> Bool {
        if owners.contains(where: { $0 != person }) { return true }
        return try !db.query("""
            SELECT user_id FROM admins WHERE role = 'super_admin' AND user_id <> $1 ORDER BY user_id FOR SHARE
            """, [.int(person)]).isEmpty
    }

    /// $1: the owners.
    private static let membersSQL = """
        SELECT s.id, s.is_owner, s.role, a.display_name, u.first_name, u.username, a.added_by, b.first_name AS added_by_name
        FROM (
            SELECT DISTINCT o.id, true AS is_owner, 'super_admin' AS role, 0 AS rank FROM unnest($1::bigint[]) AS o (id)
            UNION ALL
            SELECT user_id, false, role, CASE role WHEN 'super_admin' THEN 1 ELSE 2 END FROM admins WHERE user_id <> ALL ($1::bigint[])
        ) AS s
        LEFT JOIN admins a ON a.user_id = s.id
        LEFT JOIN users u ON u.id = s.id
        LEFT JOIN users b ON b.id = a.added_by
        """

    private static func row(_ row: PostgresRow) throws -> StaffRow {
        StaffRow(id: try row.get("id"), isOwner: try row.get("is_owner"), role: try row.get("role"), displayName: try row.get("display_name"),
                 firstName: try row.get("first_name"), username: try row.get("username"), addedBy: try row.get("added_by"),
                 addedByName: try row.get("added_by_name"))
    }
}

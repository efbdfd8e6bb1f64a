import Postgres

/// Applies migrations in order, each in its own transaction, and records them in
/// `schema_migrations`.
///
/// A session advisory lock makes concurrent runs (several processes starting at once)
/// take turns: the first applies, the others find nothing left to do.
public struct Migrator {
    /// Arbitrary but fixed: every BookingBot migrator contends for this one lock.
    static let advisoryLockKey: Int64 = 0x0B00_C1E6_B07

    private let connection: PostgresConnection

    public init(connection: PostgresConnection) {
        self.connection = connection
    }

    /// Applies what is pending and returns the versions it applied (empty: up to date).
    @discardableResult
    public func migrate(_ migrations: [Migration]) throws -> [Int] {
        try connection.query("SELECT pg_advisory_lock($1)", [.int(Self.advisoryLockKey)])
        defer { _ = try? connection.query("SELECT pg_advisory_unlock($1)", [.int(Self.advisoryLockKey)]) }

        try connection.query("""
            CREATE TABLE IF NOT EXISTS schema_migrations (
                version    integer PRIMARY KEY,
                name       text NOT NULL,
                checksum   text NOT NULL,
                applied_at timestamptz NOT NULL DEFAULT now()
            )
            """)
        let applied = try appliedChecksums()
        var newlyApplied: [Int] = []
        for migration in migrations.sorted(by: { $0.version < $1.version }) {
            if let checksum = applied[migration.version] {
                guard try checksum == self.checksum(of: migration) else {
                    throw MigrationError.changedAfterApplying(version: migration.version, name: migration.name)
                }
                continue
            }
            try connection.transaction { transaction in
                for statement in SQLScript.statements(in: migration.sql) {
                    try transaction.query(statement)
                }
                try transaction.query(
                    "INSERT INTO schema_migrations (version, name, checksum) VALUES ($1, $2, md5($3))",
                    [.int(migration.version), .text(migration.name), .text(migration.sql)])
            }
            newlyApplied.append(migration.version)
        }
        return newlyApplied
    }

    /// Versions already applied, with the checksum of what was applied.
    public func appliedChecksums() throws -> [Int: String] {
        var result: [Int: String] = [:]
        for row in try connection.query("SELECT version, checksum FROM schema_migrations") {
            result[try row.get("version")] = try row.get("checksum")
        }
        return result
    }

    private func checksum(of migration: Migration) throws -> String {
        try connection.query("SELECT md5($1) AS sum", [.text(migration.sql)])[0].get("sum")
    }
}

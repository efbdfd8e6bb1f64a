import Foundation

/// One numbered schema change, from a file named `NNNN_what_it_does.sql`.
public struct Migration: Sendable, Equatable {
    public let version: Int
    public let name: String
    public let sql: String

    public init(version: Int, name: String, sql: String) {
        self.version = version
        self.name = name
        self.sql = sql
    }

    /// Reads a migration from its file name; nil when the name is not `NNNN_name.sql`.
    public init?(fileName: String, sql: String) {
        guard let match = fileName.wholeMatch(of: /([0-9]{4})_([a-z0-9_]+)\.sql/), let version = Int(match.output.1) else {
            return nil
        }
        self.init(version: version, name: String(match.output.2), sql: sql)
    }

    /// The migrations shipped with this build, in order.
    public static func bundled() throws -> [Migration] {
        guard let folder = Bundle.module.url(forResource: "Migrations", withExtension: nil) else {
            throw MigrationError.missingResources
        }
        return try load(from: folder)
    }

    /// Every `NNNN_name.sql` file in a folder, in order; other files are an error, so a
    /// misnamed migration cannot be skipped silently.
    public static func load(from folder: URL) throws -> [Migration] {
        let names = try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted()
        var migrations: [Migration] = []
        for name in names where !name.hasPrefix(".") {
            let text = try String(contentsOf: folder.appendingPathComponent(name), encoding: .utf8)
            guard let migration = Migration(fileName: name, sql: text) else { throw MigrationError.badFileName(name) }
            if let previous = migrations.last, previous.version == migration.version {
                throw MigrationError.duplicateVersion(migration.version)
            }
            migrations.append(migration)
        }
        return migrations
    }
}

public enum MigrationError: Error, Equatable, CustomStringConvertible {
    case missingResources
    case badFileName(String)
    case duplicateVersion(Int)
    /// A migration's file differs from what was applied: the schema no longer matches the code.
    case changedAfterApplying(version: Int, name: String)

    public var description: String {
        switch self {
        case .missingResources: return "migrations: the bundled Migrations folder is missing (copy the .resources folder beside the binary)"
        case .badFileName(let name): return "migrations: \(name) is not named NNNN_name.sql"
        case .duplicateVersion(let version): return "migrations: two files have version \(version)"
        case .changedAfterApplying(let version, let name):
            return "migrations: \(String(format: "%04d", version))_\(name) was changed after it was applied; add a new migration instead"
        }
    }
}

import Foundation
import Postgres

/// An empty database created on a server for one test or one bench run, with its own URL;
/// `drop()` removes it.
///
/// The name is generated here from hex digits, never from input, so splicing it into the
/// DDL (identifiers cannot be parameters) is safe.
public final class ScratchDatabase: Sendable {
    public let name: String
    public let url: String
    private let baseURL: String

    /// `baseURL`: a role that may CREATE DATABASE; `prefix`: the name's start (lowercase
    /// letters, digits, `_`).
    public init(baseURL: String, prefix: String = "bb_test_") throws {
        name = prefix + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased().prefix(16)
        guard var components = URLComponents(string: baseURL) else {
            throw ScratchDatabaseError(description: "the database URL is unparsable")
        }
        components.path = "/" + name
        url = components.string!
        self.baseURL = baseURL
        let admin = try PostgresConnection(url: baseURL)
        defer { admin.close() }
        try admin.query("CREATE DATABASE \(name)")
    }

    public func connect() throws -> PostgresConnection {
        try PostgresConnection(url: url)
    }

    /// Drops it (and ends its sessions) over a connection of its own, so it works from any
    /// thread and after the server restarted; errors are ignored.
    public func drop() {
        guard let admin = try? PostgresConnection(url: baseURL) else { return }
        _ = try? admin.query("DROP DATABASE IF EXISTS \(name) WITH (FORCE)")
        admin.close()
    }
}

public struct ScratchDatabaseError: Error, CustomStringConvertible {
    public let description: String
}

import Foundation
import Postgres
import Store

/// An empty database created on a server for one test or one bench run, with its own URL;
/// `drop()` removes it.
///
/// The name is generated here from hex digits and `DatabaseAdmin` checks it again before it
/// goes into the DDL (identifiers cannot be parameters).
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
        try DatabaseAdmin(connection: admin).create(database: name)
    }

    public func connect() throws -> PostgresConnection {
        try PostgresConnection(url: url)
    }

    /// Drops it (and ends its sessions) over a connection of its own, so it works from any
    /// thread and after the server restarted; errors are ignored.
    public func drop() {
        guard let admin = try? PostgresConnection(url: baseURL) else { return }
        try? DatabaseAdmin(connection: admin).drop(database: name)
        admin.close()
    }
}

public struct ScratchDatabaseError: Error, CustomStringConvertible {
    public let description: String
}

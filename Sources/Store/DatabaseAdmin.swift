import Foundation
import Postgres

/// Whole databases created and dropped, for the tools that need a scratch one (the
/// end-to-end bench). Identifiers cannot be parameters, so a name is spliced into the
/// DDL only after it is checked to be a plain lower-case identifier.
public struct DatabaseAdmin {
    /// A name that is not `[a-z_][a-z0-9_]*` within PostgreSQL's 63 bytes.
    public struct InvalidName: Error, CustomStringConvertible {
        public let name: String
        public var description: String { "not a plain database name: \(name.debugDescription)" }
    }

    private let db: PostgresConnection

    /// `connection` to any other database of the server (a database cannot drop itself).
    public init(connection: PostgresConnection) {
        self.db = connection
    }

    public func create(database name: String) throws {
        try db.query("CREATE DATABASE \(try Self.checked(name))")
    }

    /// Drops it even while sessions are still connected (they are ended); no error when
    /// it does not exist.
    public func drop(database name: String) throws {
        try db.query("DROP DATABASE IF EXISTS \(try Self.checked(name)) WITH (FORCE)")
    }

    static func checked(_ name: String) throws -> String {
        guard let first = name.utf8.first, name.utf8.count <= 63,
              first == UInt8(ascii: "_") || (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(first),
              name.utf8.allSatisfy({ $0 == UInt8(ascii: "_") || (UInt8(ascii: "a")...UInt8(ascii: "z")).contains($0)
                                     || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }) else {
            throw InvalidName(name: name)
        }
        return name
    }
}

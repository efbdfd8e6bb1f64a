import Foundation
import Postgres

/// An empty database created for one test on the test server, with its own URL; `drop()`
/// removes it.
///
/// The name is generated here from hex digits, never from input, so splicing it into the
/// DDL (identifiers cannot be parameters) is safe.
public final class ScratchDatabase {
    public let name: String
    public let url: String
    private let admin: PostgresConnection

    init(baseURL: String) throws {
        name = "bb_test_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased().prefix(16)
        guard var components = URLComponents(string: baseURL) else { throw TestServices.Missing(variable: "DATABASE_URL (unparsable)") }
        components.path = "/" + name
        url = components.string!
        admin = try PostgresConnection(url: baseURL)
        try admin.query("CREATE DATABASE \(name)")
    }

    public func connect() throws -> PostgresConnection {
        try PostgresConnection(url: url)
    }

    public func drop() {
        _ = try? admin.query("DROP DATABASE IF EXISTS \(name) WITH (FORCE)")
    }
}

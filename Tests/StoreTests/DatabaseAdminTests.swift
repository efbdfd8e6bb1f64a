import Foundation
import Postgres
import Store
import TestSupport
import XCTest

final class DatabaseAdminTests: XCTestCase {
    func testCreatesAndDropsAScratchDatabase() throws {
        let connection = try PostgresConnection(url: try TestServices.variable("DATABASE_URL"))
        let admin = DatabaseAdmin(connection: connection)
        let name = "bb_admin_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased().prefix(12)
        func exists() throws -> Bool {
            try connection.query("SELECT count(*) AS n FROM pg_database WHERE datname = $1", [.text(name)])[0].get("n") as Int == 1
        }
        try admin.create(database: name)
        XCTAssertTrue(try exists())
        try admin.drop(database: name)
        XCTAssertFalse(try exists())
        XCTAssertNoThrow(try admin.drop(database: name), "dropping one that is gone is fine")
    }

    /// A name is spliced into the DDL (identifiers cannot be parameters): only plain ones pass.
    func testRefusesNamesThatAreNotPlainIdentifiers() throws {
        let admin = DatabaseAdmin(connection: try PostgresConnection(url: try TestServices.variable("DATABASE_URL")))
        for name in ["", "Bench", "x; DROP DATABASE postgres", "a-b", "a b", "bänch", "1st", String(repeating: "a", count: 64), "x\"y"] {
            XCTAssertThrowsError(try admin.create(database: name), name) { XCTAssertTrue($0 is DatabaseAdmin.InvalidName, "\($0)") }
        }
    }
}

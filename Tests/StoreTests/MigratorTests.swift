import Foundation
import Postgres
import Store
import TestSupport
import XCTest

/// Against the real PostgreSQL, each test on an empty scratch database.
final class MigratorTests: XCTestCase {
    private var database: ScratchDatabase!

    override func setUpWithError() throws {
        database = try TestServices.freshDatabase()
    }

    override func tearDown() {
        database?.drop()
    }

    private let sample = [
        Migration(version: 1, name: "one", sql: "CREATE TABLE one (id int);"),
        Migration(version: 2, name: "two", sql: "CREATE TABLE two (id int); INSERT INTO two VALUES (2);"),
    ]

    func testAppliesInOrderThenIsANoOp() throws {
        let db = try database.connect()
        XCTAssertEqual(try Migrator(connection: db).migrate(sample), [1, 2])
        XCTAssertEqual(try Migrator(connection: db).migrate(sample), [])
        XCTAssertEqual(try db.query("SELECT version FROM schema_migrations ORDER BY version").map { try $0.get("version") as Int }, [1, 2])
        XCTAssertEqual(try db.query("SELECT count(*) AS n FROM two")[0].get("n") as Int, 1, "the second run did not insert again")
    }

    func testOnlyNewMigrationsRunLater() throws {
        let db = try database.connect()
        try Migrator(connection: db).migrate(Array(sample.prefix(1)))
        XCTAssertEqual(try Migrator(connection: db).migrate(sample), [2])
    }

    func testAFailingMigrationLeavesNothingBehind() throws {
        let db = try database.connect()
        let broken = sample + [Migration(version: 3, name: "broken", sql: "CREATE TABLE three (id int); INSERT INTO nowhere VALUES (1);")]
        XCTAssertThrowsError(try Migrator(connection: db).migrate(broken))
        XCTAssertEqual(try Migrator(connection: db).appliedChecksums().keys.sorted(), [1, 2])
        XCTAssertEqual(try db.query("SELECT to_regclass('three') IS NULL AS gone")[0].get("gone") as Bool, true)
    }

    func testAMigrationChangedAfterApplyingIsRefused() throws {
        let db = try database.connect()
        try Migrator(connection: db).migrate(sample)
        let edited = [sample[0], Migration(version: 2, name: "two", sql: "CREATE TABLE two (id bigint);")]
        XCTAssertThrowsError(try Migrator(connection: db).migrate(edited)) { error in
            XCTAssertEqual(error as? MigrationError, .changedAfterApplying(version: 2, name: "two"))
        }
    }

    func testConcurrentRunsApplyEachMigrationOnce() throws {
        // Eight migrators start together on their own connections and threads; the
        // advisory lock makes them take turns.
        let slow = sample + [Migration(version: 3, name: "slow", sql: "SELECT pg_sleep(0.3); CREATE TABLE three (id int);")]
        let results = ConcurrentResults()
        let url = database.url
        DispatchQueue.concurrentPerform(iterations: 8) { _ in
            results.append(Result { try Migrator(connection: PostgresConnection(url: url)).migrate(slow) })
        }
        let applied = try results.values.map { try $0.get() }
        XCTAssertEqual(applied.flatMap { $0 }.sorted(), [1, 2, 3], "each version applied by exactly one run")
        let db = try database.connect()
        XCTAssertEqual(try db.query("SELECT count(*) AS n FROM schema_migrations")[0].get("n") as Int, 3)
    }

    func testBundledMigrationsApplyToAnEmptyDatabase() throws {
        let db = try database.connect()
        let bundled = try Migration.bundled()
        XCTAssertEqual(try Migrator(connection: db).migrate(bundled), bundled.map(\.version))
        XCTAssertEqual(try db.query("SELECT count(*) AS n FROM pg_extension WHERE extname = 'btree_gist'")[0].get("n") as Int, 1)
    }
}

private final class ConcurrentResults: @unchecked Sendable {
    private let lock = NSLock()
    private var items: [Result<[Int], Error>] = []
    func append(_ item: Result<[Int], Error>) { lock.withLock { items.append(item) } }
    var values: [Result<[Int], Error>] { lock.withLock { items } }
}

import Foundation
import Postgres
import TestSupport
@testable import bookingbot
import XCTest

/// The built `bookingbot` binary, run as an operator would.
final class CommandLineTests: XCTestCase {
    var binary: String { productsDirectory.appendingPathComponent("bookingbot").path }
    /// An empty folder, so that no stray `.env` of the checkout leaks into a run.
    var folder: URL!

    override func setUpWithError() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent(UUID().uuidString)
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    }

    override func tearDown() {
        try? FileManager.default.removeItem(at: folder)
    }

    private func bookingbot(_ arguments: [String], _ environment: [String: String]) throws -> ProcessResult {
        try Self.bookingbot(binary, arguments, environment, in: folder)
    }

    private static func bookingbot(_ binary: String, _ arguments: [String], _ environment: [String: String], in folder: URL) throws -> ProcessResult {
        try runProgram(binary, arguments, environment: ["PATH": "/usr/bin:/bin"].merging(environment) { _, new in new }, currentDirectory: folder)
    }

    func testHelpListsEverySubcommand() throws {
        let result = try bookingbot(["--help"], [:])
        XCTAssertEqual(result.status, 0)
        for name in ["ingress", "worker", "reminders", "errors", "migrate", "status", "backup", "sandbox"] {
            XCTAssertTrue(result.stdout.contains("  \(name) "), "\(name) missing from:\n\(result.stdout)")
        }
    }

    func testAConfigErrorIsOneLineNamingTheVariableWithExitTwo() throws {
        let result = try bookingbot(["migrate"], ["DATABASE_URL": "postgresql://u:pw@127.0.0.1:1/db", "TIMEZONE": "Mars/Olympus"])
        XCTAssertEqual(result.status, 2)
        let lines = result.stderr.split(separator: "\n")
        XCTAssertEqual(lines.count, 1, result.stderr)
        XCTAssertTrue(lines[0].contains("TIMEZONE"), result.stderr)
        XCTAssertEqual(result.stdout, "")
    }

    func testDemoServicesAreRefusedOutsideTheSandbox() throws {
        let result = try bookingbot(["migrate", "--demo-services"], ["DATABASE_URL": "postgresql://u:pw@127.0.0.1:1/db",
                                                                     "BOT_TOKEN": "123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw"])
        XCTAssertEqual(result.status, 2, "before any connection: the database here does not exist")
        XCTAssertTrue((result.stdout + result.stderr).contains("--demo-services is for the offline Sandbox only"), result.stdout + result.stderr)
        XCTAssertTrue(MigrateCommand.isSandbox("http://127.0.0.1:8081"))
        XCTAssertFalse(MigrateCommand.isSandbox("https://api.telegram.org"))
        XCTAssertFalse(MigrateCommand.isSandbox("https://127.0.0.1.example.com"))
    }

    func testAMissingDatabaseURLIsNamed() throws {
        let result = try bookingbot(["migrate"], [:])
        XCTAssertEqual(result.status, 2)
        XCTAssertTrue(result.stderr.contains("DATABASE_URL"), result.stderr)
    }

    func testConfigFromADotEnvFileAndSecretsMaskedWhenPrinted() throws {
        try """
            DATABASE_URL=postgresql://bookingbot:dotenv-db-secret@db:5432/bookingbot
            BOT_TOKEN=123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw
            SLOT_STEP_MINUTES=30
            """.write(to: folder.appendingPathComponent(".env"), atomically: true, encoding: .utf8)
        let result = try bookingbot(["config"], ["SLOT_STEP_MINUTES": "15"])
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertTrue(result.stdout.contains("SLOT_STEP_MINUTES=15"), "the environment wins over .env")
        XCTAssertTrue(result.stdout.contains("DATABASE_URL=postgresql://bookingbot:***@db:5432/bookingbot"))
        XCTAssertFalse(result.stdout.contains("dotenv-db-secret"))
        XCTAssertFalse(result.stdout.contains("AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw"))
    }

    func testTwoConcurrentMigrateRunsApplyEachMigrationOnce() throws {
        let database = try TestServices.freshDatabase()
        defer { database.drop() }
        let environment = ["DATABASE_URL": database.url, "LOG_FORMAT": "json"]
        let results = LockedResults()
        let (binary, folder) = (binary, folder!)
        DispatchQueue.concurrentPerform(iterations: 2) { _ in
            results.append(Result { try Self.bookingbot(binary, ["migrate"], environment, in: folder) })
        }
        for result in results.values {
            let output = try result.get()
            XCTAssertEqual(output.status, 0, output.stdout + output.stderr)
            XCTAssertFalse(output.stdout.contains(database.url), "the URL (with its password) is not logged")
        }
        let db = try database.connect()
        let versions = try db.query("SELECT version FROM schema_migrations ORDER BY version").map { try $0.get("version") as Int }
        XCTAssertEqual(versions, Array(1...versions.count), "every version once")
        XCTAssertEqual(try db.query("SELECT count(*) AS n FROM pg_extension WHERE extname = 'btree_gist'")[0].get("n") as Int, 1)
        let logs = results.values.compactMap { try? $0.get().stdout }.joined()
        XCTAssertTrue(logs.contains("migrations applied"), logs)
        XCTAssertTrue(logs.contains("schema up to date"), logs)
    }

    func testMigrateAgainstAnUnreachableDatabaseFailsClearly() throws {
        let result = try bookingbot(["migrate"], ["DATABASE_URL": "postgresql://bookingbot:unreachable-pw@127.0.0.1:\(unusedLoopbackPort())/x"])
        XCTAssertEqual(result.status, 1)
        XCTAssertTrue(result.stdout.contains("migrate failed"), result.stdout)
        XCTAssertFalse(result.stdout.contains("unreachable-pw"))
    }
}

private final class LockedResults: @unchecked Sendable {
    private let lock = NSLock()
    private var items: [Result<ProcessResult, Error>] = []
    func append(_ item: Result<ProcessResult, Error>) { lock.withLock { items.append(item) } }
    var values: [Result<ProcessResult, Error>] { lock.withLock { items } }
}

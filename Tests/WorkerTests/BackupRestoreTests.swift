@testable import bookingbot
import BotTestSupport
import Foundation
import Postgres
import Store
import TestSupport
import Texts
import XCTest

/// `bookingbot backup` and the restore of docs/restore.md, against a bot that ran.
final class BackupRestoreTests: BotTestCase {
    private var folder: URL!

    override func setUpWithError() throws {
        try super.setUpWithError()
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("backups-\(prefix)")
    }

    override func tearDown() {
        try? FileManager.default.removeItem(at: folder)
        super.tearDown()
    }

    private func backup(_ extra: [String] = [], environment: [String: String]? = nil) throws -> ProcessResult {
        try runProgram(binary, ["backup", "--directory", folder.path] + extra, environment: try environment ?? self.environment,
                       currentDirectory: FileManager.default.temporaryDirectory)
    }

    /// Every row of every table, as text, in a stable order.
    private func rows(of db: PostgresConnection) throws -> [String: [String]] {
        var tables: [String: [String]] = [:]
        for table in try db.query("SELECT quote_ident(tablename) AS name FROM pg_tables WHERE schemaname = 'public'") {
            let name: String = try table.get("name")
            // A quoted identifier from the catalog, not input.
            tables[name] = try db.query("SELECT t::text AS row FROM \(name) t ORDER BY 1").map { try $0.get("row") }
        }
        return tables
    }

    /// The restore of docs/restore.md: pg_restore into an empty database, the password in
    /// the environment.
    private func restore(_ dump: String, into target: ScratchDatabase) throws -> ProcessResult {
        var components = try XCTUnwrap(URLComponents(string: target.url))
        let password = components.password ?? ""
        components.password = nil
        return try runProgram("/usr/bin/pg_restore", ["--no-owner", "--no-privileges", "--exit-on-error", "--single-transaction",
                                                      "--dbname=\(components.string!)", dump],
                              environment: ["PATH": "/usr/bin:/bin", "PGPASSWORD": password])
    }

    func testABackupRestoredIntoAnEmptyDatabaseIsIdenticalAndTheBotRunsOnIt() throws {
        try startBot()
        user(8101, "Vera", language: "en")
        try say("/book", from: 8101, thenBotMessages: 1)
        let (start, confirm) = try openConfirmation(8101, .en)
        try tap(confirm, of: 8101)
        XCTAssertEqual(try count("SELECT count(*) AS n FROM bookings WHERE user_id = 8101 AND lower(during) = $1", [.timestamp(start)]), 1, logs)
        try SettingsStore(connection: try database.connect()).set(.maxBookingsPerUser, json: "5", by: nil)
        // Stopped, so nothing (an outbox row being marked sent) changes between the dump and
        // the comparison below.
        (processes + workers).forEach { $0.signal(SIGTERM) }
        (processes + workers).forEach { $0.wait() }
        processes = []
        workers = []

        let made = try backup()
        XCTAssertEqual(made.status, 0, made.stderr)
        let dump = Self.printedPath(made)
        XCTAssertTrue(URL(fileURLWithPath: dump).lastPathComponent.hasPrefix("bookingbot-") && dump.hasSuffix(".dump"), dump)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: folder.path), [URL(fileURLWithPath: dump).lastPathComponent],
                       "one whole dump, no partial file")
        let password = try XCTUnwrap(URLComponents(string: database.url)?.password)
        XCTAssertFalse((made.stdout + made.stderr).contains(password), "the password never reaches the output")

        let restored = try TestServices.freshDatabase()
        let result = try restore(dump, into: restored)
        XCTAssertEqual(result.status, 0, result.stderr)
        let before = try rows(of: try database.connect())
        XCTAssertEqual(try rows(of: try restored.connect()), before)
        XCTAssertGreaterThan(before.count, 10, "every table")
        XCTAssertEqual(before["users"]?.count, 1)
        XCTAssertEqual(before["bookings"]?.count, 1)
        XCTAssertEqual(before["settings"]?.contains { $0.contains("max_bookings_per_user") }, true)

        // The bot moves onto the restored database: it sees the booking and takes new ones
        // (ids continue after the restored rows).
        let original = database!
        database = restored
        defer { original.drop() }
        let migrate = try runProgram(binary, ["migrate"], environment: try environment, currentDirectory: FileManager.default.temporaryDirectory)
        XCTAssertEqual(migrate.status, 0, migrate.stderr)
        try startBot()
        let mine = try say("/my", from: 8101, thenBotMessages: 2)
        XCTAssertTrue(mine.botMessages.last?.text?.contains("Haircut") == true, mine.botMessages.last?.text ?? "")
        user(8102, "Ilya", language: "en")
        try say("/book", from: 8102, thenBotMessages: 1)
        let second = try openConfirmation(8102, .en, daysAhead: 4)
        try tap(second.confirm, of: 8102)
        XCTAssertEqual(try count("SELECT count(*) AS n FROM bookings WHERE status = 'confirmed'"), 2, logs)
    }

    func testOldDumpsAreDeletedAfterTheRetentionAndAFailedDumpLeavesNothing() throws {
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let day: TimeInterval = 86_400
        let old = BackupFolder.name(at: Date().addingTimeInterval(-40 * day))
        let recent = BackupFolder.name(at: Date().addingTimeInterval(-10 * day))
        for name in [old, recent, "notes.txt"] { try Data("x".utf8).write(to: folder.appendingPathComponent(name)) }

        let made = try backup(["--retention-days", "30"])
        XCTAssertEqual(made.status, 0, made.stderr)
        let new = URL(fileURLWithPath: Self.printedPath(made)).lastPathComponent
        XCTAssertEqual(Set(try FileManager.default.contentsOfDirectory(atPath: folder.path)), [recent, "notes.txt", new])

        // A wrong password: pg_dump fails, the command exits 1, and no file is left behind.
        var wrong = try XCTUnwrap(URLComponents(string: database.url))
        wrong.password = "not-the-password-\(prefix)"
        let failed = try backup(environment: try environment.merging(["DATABASE_URL": wrong.string!]) { $1 })
        XCTAssertEqual(failed.status, 1, failed.stdout + failed.stderr)
        XCTAssertEqual(Set(try FileManager.default.contentsOfDirectory(atPath: folder.path)), [recent, "notes.txt", new])
        XCTAssertFalse((failed.stdout + failed.stderr).contains(wrong.password!), failed.stderr)
        XCTAssertTrue((failed.stdout + failed.stderr).contains("backup failed"), failed.stdout + failed.stderr)
    }

    /// The dump's path: the last line the command prints (its log lines come before).
    private static func printedPath(_ result: ProcessResult) -> String {
        result.stdout.split(separator: "\n").last.map(String.init) ?? ""
    }
}

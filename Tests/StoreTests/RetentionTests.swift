import Foundation
import Postgres
import Store
import TestSupport
import XCTest

/// The ledger's window and the pruning of old rows, on a migrated scratch database.
final class RetentionTests: MigratedDatabaseTestCase {
    private let t0 = Date(timeIntervalSince1970: 1_790_000_000)

    private func claim(_ id: Int64, at now: Date) throws -> Bool {
        try db.transaction { tx in try UpdateLedger(connection: tx).claim(updateID: id, chatID: 1, now: now) }
    }

    func testAReplayInsideTheWindowIsKnownAndAnOldIDIsANewUpdate() throws {
        XCTAssertTrue(try claim(500, at: t0))
        XCTAssertFalse(try claim(500, at: t0.addingTimeInterval(RetentionStore.ledgerWindow - 60)), "a replay within the window")
        // Telegram restarted its ids after a week of silence: the same id is another update.
        XCTAssertTrue(try claim(500, at: t0.addingTimeInterval(7 * 86_400)))
        XCTAssertFalse(try claim(500, at: t0.addingTimeInterval(7 * 86_400 + 1)), "and that one is remembered in turn")
    }

    /// An accelerated run: 20 days of traffic, an hour a step (50 updates and 50 delivered
    /// replies an hour), pruned every step: both tables stay within their windows.
    func testPruningKeepsBothTablesBoundedUnderSteadyTraffic() throws {
        let perStep = 50, hours = 20 * 24
        let retention: TimeInterval = 14 * 86_400
        var maxima = (updates: 0, outbox: 0)
        for hour in 0..<hours {
            let now = t0.addingTimeInterval(Double(hour) * 3600)
            try db.execute("""
                INSERT INTO processed_updates (update_id, chat_id, processed_at)
                SELECT $1 + n, 1, $2 FROM generate_series(1, $3) AS n
                """, [.int(Int64(hour * perStep)), .timestamp(now), .int(Int64(perStep))])
            try db.execute("""
                INSERT INTO outbox (chat_id, method, payload, created_at, sent_at)
                SELECT 1, 'sendMessage', '{}'::jsonb, $1, $1 FROM generate_series(1, $2)
                """, [.timestamp(now), .int(Int64(perStep))])
            // One unsent row that must never be pruned, however old.
            if hour == 0 { try db.execute("INSERT INTO outbox (chat_id, method, payload, created_at) VALUES (2, 'sendMessage', '{}', $1)", [.timestamp(now)]) }
            _ = try RetentionStore(connection: db).prune(now: now, outboxRetention: retention, batchSize: 200, batches: 5)
            let updates: Int = try db.query("SELECT count(*) AS n FROM processed_updates")[0].get("n")
            let outbox: Int = try db.query("SELECT count(*) AS n FROM outbox")[0].get("n")
            maxima = (max(maxima.updates, updates), max(maxima.outbox, outbox))
        }
        // A window's worth plus the step that just arrived, never more.
        XCTAssertLessThanOrEqual(maxima.updates, (3 * 24 + 1) * perStep)
        XCTAssertLessThanOrEqual(maxima.outbox, (14 * 24 + 1) * perStep + 1)
        XCTAssertGreaterThanOrEqual(maxima.outbox, 14 * 24 * perStep, "nothing inside the window was pruned")
        XCTAssertEqual(try db.query("SELECT count(*) AS n FROM outbox WHERE chat_id = 2")[0].get("n") as Int, 1, "an unsent reply stays")
    }
}

/// Profile fields from outside that PostgreSQL text cannot hold.
final class HostileProfileTests: XCTestCase {
    func testANameWithANULIsStoredWithoutIt() throws {
        let database = try TestServices.freshDatabase()
        defer { database.drop() }
        let db = try database.connect()
        try Migrator(connection: db).migrate(Migration.bundled())
        XCTAssertTrue(try ClientStore(connection: db).register(id: 77, firstName: "Ev\u{0}e", username: "e\u{0}ve", now: Date()))
        XCTAssertEqual(try db.query("SELECT first_name || '/' || username AS n FROM users WHERE id = 77")[0].get("n") as String, "Eve/eve")
    }
}

import Foundation
@testable import Postgres
import TestSupport
import XCTest

/// Against the real PostgreSQL that scripts/test starts; each test owns a scratch database.
final class PostgresConnectionTests: XCTestCase {
    private var database: ScratchDatabase!
    private var db: PostgresConnection!

    override func setUpWithError() throws {
        database = try TestServices.freshDatabase()
        db = try database.connect()
        try db.query("CREATE TABLE notes (id serial PRIMARY KEY, body text, amount bigint, flag boolean, ratio double precision, at timestamptz, doc jsonb, blob bytea)")
    }

    override func tearDown() {
        db = nil
        database?.drop()
    }

    // MARK: Parameters

    func testInjectionLookingTextIsStoredLiterally() throws {
        let hostile = [
            "'; DROP TABLE notes; --",
            "Robert'); DROP TABLE notes;--",
            "$1 $2 \\x00 \\' \" ; -- /* */",
            "1 OR 1=1",
            "Анна 💇‍♀️ ＜script＞",
        ]
        for text in hostile {
            try db.query("INSERT INTO notes (body) VALUES ($1)", [.text(text)])
        }
        let stored = try db.query("SELECT body FROM notes ORDER BY id").map { try $0.get("body") as String }
        XCTAssertEqual(stored, hostile)
        XCTAssertEqual(try db.query("SELECT count(*) AS n FROM notes WHERE body = $1", [.text("1 OR 1=1")])[0].get("n") as Int, 1)
    }

    func testNullParametersAndNullColumns() throws {
        try db.query("INSERT INTO notes (body, amount, flag, at) VALUES ($1, $2, $3, $4)", [.null, .null, .null, .null])
        let row = try db.query("SELECT body, amount, flag, at FROM notes")[0]
        XCTAssertNil(try row.get("body") as String?)
        XCTAssertNil(try row.get("amount") as Int?)
        XCTAssertNil(try row.get("flag") as Bool?)
        XCTAssertNil(try row.get("at") as Date?)
        XCTAssertTrue(try row.isNull("body"))
        XCTAssertThrowsError(try row.get("body") as String) { error in
            guard case PostgresError.decoding(let message) = error else { return XCTFail("\(error)") }
            XCTAssertTrue(message.contains("NULL"), message)
        }
    }

    func testTypedValuesRoundTrip() throws {
        let moment = Date(timeIntervalSince1970: 1_790_000_000.123456)
        let bytes = Data((0...255).map { UInt8($0) })
        try db.query("INSERT INTO notes (body, amount, flag, ratio, at, doc, blob) VALUES ($1, $2, $3, $4, $5, $6, $7)",
                     [.text("x"), .int(Int64.max), .bool(true), .double(0.1), .timestamp(moment), .json(#"{"k": [1, "два"]}"#), .bytes(bytes)])
        let row = try db.query("SELECT * FROM notes")[0]
        XCTAssertEqual(try row.get("amount") as Int64, Int64.max)
        XCTAssertEqual(try row.get("flag") as Bool, true)
        XCTAssertEqual(try row.get("ratio") as Double, 0.1)
        XCTAssertEqual((try row.get("at") as Date).timeIntervalSince1970, moment.timeIntervalSince1970, accuracy: 0.000001)
        XCTAssertEqual(try row.get("blob") as Data, bytes)
        struct Doc: Decodable, Equatable { let k: [Value]
            enum Value: Decodable, Equatable { case int(Int), text(String)
                init(from decoder: Decoder) throws {
                    let container = try decoder.singleValueContainer()
                    if let int = try? container.decode(Int.self) { self = .int(int) } else { self = .text(try container.decode(String.self)) }
                }
            }
        }
        XCTAssertEqual(try row.json("doc", as: Doc.self), Doc(k: [.int(1), .text("два")]))
    }

    func testArrayParametersArriveElementByElement() throws {
        let numbers: [Int64] = [3, -1, Int64.max]
        XCTAssertEqual(try db.query("SELECT unnest($1::bigint[]) AS n", [.intArray(numbers)]).map { try $0.get("n") as Int64 }, numbers)
        XCTAssertEqual(try db.query("SELECT cardinality($1::bigint[]) AS n", [.intArray([])])[0].get("n") as Int, 0)
        let texts = ["plain", "a,b", "{braces}", #"quote " and \ backslash"#, "NULL", "", "Анна"]
        XCTAssertEqual(try db.query("SELECT unnest($1::text[]) AS t", [.textArray(texts)]).map { try $0.get("t") as String }, texts)
    }

    func testTimestampsComeBackInUTCWhateverTheServerZone() throws {
        // The connection pins TimeZone=UTC, so a server default elsewhere changes nothing.
        let row = try db.query("SELECT '2026-03-29 02:30:00+02'::timestamptz AS t")[0]
        XCTAssertEqual(try row.get("t") as Date, Date(timeIntervalSince1970: 1_774_744_200))
    }

    func testTextWithANULByteIsRefusedNotCut() throws {
        XCTAssertThrowsError(try db.query("INSERT INTO notes (body) VALUES ($1)", [.text("before\u{0}after")])) { error in
            guard case PostgresError.misuse(let message) = error else { return XCTFail("\(error)") }
            XCTAssertTrue(message.contains("$1"), message)
        }
        XCTAssertEqual(try db.query("SELECT count(*) AS n FROM notes")[0].get("n") as Int, 0)
    }

    func testWrongTypeAskedForIsADecodingError() throws {
        let row = try db.query("SELECT 'abc'::text AS word")[0]
        XCTAssertThrowsError(try row.get("word") as Int)
        XCTAssertThrowsError(try row.get("no_such_column") as String)
    }

    func testAffectedRows() throws {
        try db.query("INSERT INTO notes (body) SELECT 'n' || g FROM generate_series(1, 5) g")
        XCTAssertEqual(try db.execute("UPDATE notes SET flag = true WHERE id <= $1", [.int(3)]), 3)
        XCTAssertEqual(try db.execute("DELETE FROM notes"), 5)
    }

    // MARK: SQLSTATE

    func testUniqueViolationIsTyped() throws {
        try db.query("CREATE UNIQUE INDEX notes_body ON notes (body)")
        try db.query("INSERT INTO notes (body) VALUES ('same')")
        XCTAssertThrowsError(try db.query("INSERT INTO notes (body) VALUES ('same')")) { error in
            guard case PostgresError.uniqueViolation(let server) = error else { return XCTFail("\(error)") }
            XCTAssertEqual(server.sqlState, "23505")
            XCTAssertEqual(server.constraint, "notes_body")
            XCTAssertFalse("\(error)".contains("same"), "row values stay out of the description")
        }
    }

    func testExclusionViolationIsTyped() throws {
        try db.query("CREATE EXTENSION IF NOT EXISTS btree_gist")
        try db.query("""
            CREATE TABLE slots (resource int, during tstzrange,
              EXCLUDE USING gist (resource WITH =, during WITH &&))
            """)
        let insert = "INSERT INTO slots VALUES ($1, tstzrange($2, $3, '[)'))"
        let ten = Date(timeIntervalSince1970: 1_790_000_000)
        try db.query(insert, [.int(1), .timestamp(ten), .timestamp(ten + 3600)])
        // Touching ranges do not overlap: [10:00, 11:00) then [11:00, 12:00).
        try db.query(insert, [.int(1), .timestamp(ten + 3600), .timestamp(ten + 7200)])
        XCTAssertThrowsError(try db.query(insert, [.int(1), .timestamp(ten + 1800), .timestamp(ten + 5400)])) { error in
            guard case PostgresError.exclusionViolation(let server) = error else { return XCTFail("\(error)") }
            XCTAssertEqual(server.sqlState, "23P01")
        }
    }

    func testSerializationFailureIsTypedAndRetryable() throws {
        try db.query("CREATE TABLE counters (id int PRIMARY KEY, n int)")
        try db.query("INSERT INTO counters VALUES (1, 0)")
        let other = try database.connect()
        XCTAssertThrowsError(try db.transaction(isolation: .serializable) { first in
            _ = try first.query("SELECT n FROM counters WHERE id = 1")
            try other.transaction(isolation: .serializable) { second in
                try second.query("UPDATE counters SET n = n + 1 WHERE id = 1")
            }
            try first.query("UPDATE counters SET n = n + 10 WHERE id = 1")
        }) { error in
            guard case PostgresError.serializationFailure(let server) = error else { return XCTFail("\(error)") }
            XCTAssertEqual(server.sqlState, "40001")
            XCTAssertTrue((error as! PostgresError).isRetryable)
        }
        XCTAssertEqual(try db.query("SELECT n FROM counters")[0].get("n") as Int, 1)
    }

    func testOtherServerErrorsKeepTheirSQLState() throws {
        XCTAssertThrowsError(try db.query("SELEKT 1")) { error in
            guard case PostgresError.server(let server) = error else { return XCTFail("\(error)") }
            XCTAssertEqual(server.sqlState, "42601")
        }
        XCTAssertThrowsError(try db.query("INSERT INTO nowhere VALUES (1)")) { error in
            XCTAssertEqual((error as? PostgresError)?.serverError?.sqlState, "42P01")
        }
        XCTAssertThrowsError(try db.query("INSERT INTO notes (amount) VALUES ($1)", [.text("many")])) { error in
            XCTAssertEqual((error as? PostgresError)?.serverError?.sqlState, "22P02")
        }
    }

    func testStackedStatementsAreRefused() throws {
        // PQexecParams takes exactly one statement: a smuggled second one never runs.
        XCTAssertThrowsError(try db.query("SELECT 1; DROP TABLE notes")) { error in
            XCTAssertEqual((error as? PostgresError)?.serverError?.sqlState, "42601")
        }
        XCTAssertEqual(try db.query("SELECT count(*) AS n FROM notes")[0].get("n") as Int, 0)
    }

    func testConstraintViolationsAreTyped() throws {
        try db.query("CREATE TABLE parents (id int PRIMARY KEY)")
        try db.query("CREATE TABLE children (parent int REFERENCES parents, n int NOT NULL CHECK (n > 0))")
        XCTAssertThrowsError(try db.query("INSERT INTO children VALUES (NULL, 0)")) { error in
            guard case PostgresError.checkViolation = error else { return XCTFail("\(error)") }
        }
        XCTAssertThrowsError(try db.query("INSERT INTO children VALUES (NULL, NULL)")) { error in
            guard case PostgresError.notNullViolation = error else { return XCTFail("\(error)") }
        }
        XCTAssertThrowsError(try db.query("INSERT INTO children VALUES (7, 1)")) { error in
            guard case PostgresError.foreignKeyViolation = error else { return XCTFail("\(error)") }
        }
    }

    // MARK: Transactions

    func testTransactionCommitsOnSuccess() throws {
        let id: Int = try db.transaction { tx in
            try tx.query("INSERT INTO notes (body) VALUES ('kept') RETURNING id")[0].get("id")
        }
        XCTAssertEqual(try db.query("SELECT body FROM notes WHERE id = $1", [.int(id)])[0].get("body") as String, "kept")
    }

    func testTransactionRollsBackEverythingOnThrow() throws {
        struct Refused: Error {}
        XCTAssertThrowsError(try db.transaction { tx in
            try tx.query("INSERT INTO notes (body) VALUES ('first')")
            try tx.query("INSERT INTO notes (body) VALUES ('second')")
            throw Refused()
        }) { XCTAssertTrue($0 is Refused) }
        XCTAssertEqual(try db.query("SELECT count(*) AS n FROM notes")[0].get("n") as Int, 0)
        XCTAssertFalse(db.inTransaction)
    }

    func testTransactionRollsBackWhenAStatementFails() throws {
        XCTAssertThrowsError(try db.transaction { tx in
            try tx.query("INSERT INTO notes (body) VALUES ('first')")
            try tx.query("INSERT INTO notes (amount) VALUES ('not a number')")
        })
        XCTAssertEqual(try db.query("SELECT count(*) AS n FROM notes")[0].get("n") as Int, 0)
        // The connection is usable again at once (not stuck in an aborted transaction).
        try db.query("INSERT INTO notes (body) VALUES ('after')")
    }

    func testNestedTransactionIsRefused() throws {
        XCTAssertThrowsError(try db.transaction { tx in try tx.transaction { _ in } }) { error in
            guard case PostgresError.misuse = error else { return XCTFail("\(error)") }
        }
    }

    // MARK: Connection failures

    func testReconnectsAfterTheServerRestarts() throws {
        try db.query("INSERT INTO notes (body) VALUES ('before')")
        try TestServices.restart("postgres")
        let outcomes = outcomesUntilSuccess(attempts: 2) { try db.query("SELECT count(*) AS n FROM notes") }
        guard case .success(let rows) = outcomes.last! else { return XCTFail("no recovery: \(outcomes)") }
        XCTAssertEqual(try rows[0].get("n") as Int, 1)
        if outcomes.count == 2, case .failure(let error) = outcomes[0] {
            guard case PostgresError.connectionLost = error else { return XCTFail("unexpected \(error)") }
        }
    }

    func testConnectionLostInsideATransactionFailsTheTransaction() throws {
        let killer = try database.connect()
        XCTAssertThrowsError(try db.transaction { tx in
            try tx.query("INSERT INTO notes (body) VALUES ('doomed')")
            let pid: Int = try tx.query("SELECT pg_backend_pid() AS pid")[0].get("pid")
            try killer.query("SELECT pg_terminate_backend($1::int)", [.int(pid)])
            try tx.query("INSERT INTO notes (body) VALUES ('never')")
        }) { error in
            guard case PostgresError.connectionLost = error else { return XCTFail("\(error)") }
        }
        XCTAssertEqual(try db.query("SELECT count(*) AS n FROM notes")[0].get("n") as Int, 0)
    }

    func testWrongPasswordFailsAtOnceWithoutShowingIt() throws {
        var components = URLComponents(string: database.url)!
        components.password = "wrong-password-5678"
        let started = Date()
        XCTAssertThrowsError(try PostgresConnection(url: components.string!, options: PostgresOptions(reconnectWindow: 10))) { error in
            guard case PostgresError.connectionFailed(let message) = error else { return XCTFail("\(error)") }
            XCTAssertTrue(message.contains("password authentication failed"), message)
            XCTAssertFalse(message.contains("wrong-password-5678"))
        }
        XCTAssertLessThan(Date().timeIntervalSince(started), 5)
    }

    func testNobodyListeningFailsAfterTheReconnectWindow() throws {
        let url = "postgresql://bookingbot:x@127.0.0.1:\(unusedLoopbackPort())/bookingbot"
        XCTAssertThrowsError(try PostgresConnection(url: url, options: PostgresOptions(reconnectWindow: 0.3))) { error in
            guard case PostgresError.connectionFailed = error else { return XCTFail("\(error)") }
        }
    }

    /// Timestamp parameters are written by hand: the text must be what `String(format:)`
    /// wrote, and the server must read back the same instant, to the microsecond.
    func testTimestampParametersAreWrittenAsBeforeAndReadBackExactly() throws {
        let moments: [Double] = [0, 1_780_000_000.123456, 1_780_000_000.9999996, -86_400.5, 951_782_400, 4_102_444_799.999999, 253_402_300_799]
        for seconds in moments {
            let date = Date(timeIntervalSince1970: seconds)
            let micros = (seconds * 1_000_000).rounded()
            var whole = Int(floor(micros / 1_000_000))
            var parts = tm()
            gmtime_r(&whole, &parts)
            let expected = String(format: "%04d-%02d-%02dT%02d:%02d:%02d.%06dZ", Int(parts.tm_year) + 1900, Int(parts.tm_mon) + 1,
                                  Int(parts.tm_mday), Int(parts.tm_hour), Int(parts.tm_min), Int(parts.tm_sec),
                                  Int(micros - Double(whole) * 1_000_000))
            XCTAssertEqual(PostgresTimestamp.format(date), expected)
            let back: Date = try db.query("SELECT $1::timestamptz AS t", [.timestamp(date)])[0].get("t")
            XCTAssertEqual((back.timeIntervalSince1970 * 1_000_000).rounded(), micros, "\(expected)")
        }
    }
}

/// A scratch database with one table, `items (id bigint PRIMARY KEY, name text)`.
class ItemsTableTestCase: XCTestCase {
    var database: ScratchDatabase!
    var db: PostgresConnection!

    override func setUpWithError() throws {
        database = try TestServices.freshDatabase()
        db = try database.connect()
        try db.query("CREATE TABLE items (id bigint PRIMARY KEY, name text)")
    }

    override func tearDown() {
        db = nil
        database?.drop()
    }
}

/// Statements with parameters are prepared once per session and run by name after.
final class PreparedStatementTests: ItemsTableTestCase {

    private func preparedCount() throws -> Int {
        try db.query("SELECT count(*) AS n FROM pg_prepared_statements")[0].get("n")
    }

    func testAStatementIsPreparedOnceAndRunByNameAfter() throws {
        for id in 1...5 {
            try db.query("INSERT INTO items (id, name) VALUES ($1, $2)", [.int(Int64(id)), .text("item \(id)")])
        }
        XCTAssertEqual(try preparedCount(), 1, "five inserts, one prepared statement")
        XCTAssertEqual(try db.query("SELECT name FROM items WHERE id = $1", [.int(3)])[0].get("name") as String, "item 3")
        XCTAssertEqual(try preparedCount(), 2)
        XCTAssertEqual(try db.query("SELECT count(*) AS n FROM items")[0].get("n") as Int, 5, "a statement without parameters is not prepared")
        XCTAssertEqual(try preparedCount(), 2)
    }

    func testTheSameTextWithOtherParameterTypesIsPreparedForThem() throws {
        try db.query("INSERT INTO items (id, name) VALUES ($1, $2)", [.int(1), .text("one")])
        try db.query("INSERT INTO items (id, name) VALUES ($1, $2)", [.int(2), .null])
        XCTAssertEqual(try db.query("SELECT id FROM items WHERE name IS NULL")[0].get("id") as Int64, 2)
    }

    func testAStatementTheServerRefusesThrowsItsErrorAndIsNotKept() throws {
        XCTAssertThrowsError(try db.query("SELECT nonsense FROM items WHERE id = $1", [.int(1)])) { error in
            guard case .server(let server)? = error as? PostgresError else { return XCTFail("\(error)") }
            XCTAssertEqual(server.sqlState, "42703", "undefined column, as an unprepared run says")
        }
        XCTAssertEqual(try preparedCount(), 0)
    }

    func testAfterTheSessionIsLostStatementsArePreparedAgain() throws {
        try db.query("INSERT INTO items (id, name) VALUES ($1, $2)", [.int(1), .text("one")])
        let pid: Int = try db.query("SELECT pg_backend_pid() AS pid")[0].get("pid")
        let other = try database.connect()
        try other.query("SELECT pg_terminate_backend($1::int)", [.int(Int64(pid))])
        _ = try? db.query("SELECT 1")  // the broken session shows at the next statement
        try db.query("INSERT INTO items (id, name) VALUES ($1, $2)", [.int(2), .text("two")])
        XCTAssertEqual(try db.query("SELECT count(*) AS n FROM items")[0].get("n") as Int, 2)
    }

    func testAMigrationThatChangesWhatAStatementReturnsIsRiddenOut() throws {
        try db.query("INSERT INTO items (id, name) VALUES ($1, $2)", [.int(1), .text("one")])
        XCTAssertEqual(try db.query("SELECT * FROM items WHERE id = $1", [.int(1)]).columns, ["id", "name"])
        try database.connect().query("ALTER TABLE items ADD COLUMN note text")
        XCTAssertEqual(try db.query("SELECT * FROM items WHERE id = $1", [.int(1)]).columns, ["id", "name", "note"],
                       "prepared again with the new columns")
    }
}

extension PreparedStatementTests {
    func testAStalePlanInsideATransactionFailsItAndTheNextRunPreparesAFreshName() throws {
        try db.query("INSERT INTO items (id, name) VALUES ($1, $2)", [.int(1), .text("one")])
        _ = try db.query("SELECT * FROM items WHERE id = $1", [.int(1)])
        try database.connect().query("ALTER TABLE items ADD COLUMN note text")
        XCTAssertThrowsError(try db.transaction { tx in try tx.query("SELECT * FROM items WHERE id = $1", [.int(1)]) }) {
            XCTAssertTrue(($0 as? PostgresError)?.isStalePlan == true, "\($0)")
            XCTAssertTrue(($0 as? PostgresError)?.isInfrastructureFault == true, "retried without counting against the update")
        }
        // Prepared again, and a statement prepared after it gets a name of its own.
        XCTAssertEqual(try db.transaction { tx in try tx.query("SELECT * FROM items WHERE id = $1", [.int(1)]).columns }, ["id", "name", "note"])
        XCTAssertEqual(try db.query("SELECT name FROM items WHERE id = $1 AND name = $2", [.int(1), .text("one")]).count, 1)
    }
}

/// `separately`: statements sent at once (libpq's pipeline mode), each its own transaction.
final class SeparateStatementsTests: ItemsTableTestCase {
    private func names() throws -> [String] {
        try db.query("SELECT name FROM items ORDER BY id").map { try $0.get("name") }
    }

    func testEachRunsInOrderAndSeesWhatTheOneBeforeCommitted() throws {
        let answers = try db.separately([
            (sql: "INSERT INTO items (id, name) VALUES ($1, $2)", parameters: [.int(1), .text("one")]),
            (sql: "SELECT count(*) AS n FROM items", parameters: []),
            (sql: "UPDATE items SET name = $2 WHERE id = $1", parameters: [.int(1), .text("uno")]),
            (sql: "SELECT name, now() AS at FROM items WHERE id = $1", parameters: [.int(1)]),
            (sql: "SELECT now() AS at", parameters: []),
        ])
        XCTAssertEqual(answers.count, 5)
        XCTAssertEqual(answers[0].affectedRows, 1)
        XCTAssertEqual(try answers[1][0].get("n") as Int, 1)
        XCTAssertEqual(try answers[3][0].get("name") as String, "uno")
        // now() is the transaction's start: two statements, two transactions.
        XCTAssertNotEqual(try answers[3][0].get("at") as String, try answers[4][0].get("at") as String)
        XCTAssertEqual(try names(), ["uno"])
    }

    func testAFailureUndoesOnlyItsOwnStatementAndTheOthersStillRun() throws {
        try db.query("INSERT INTO items (id, name) VALUES (1, 'one')")
        XCTAssertThrowsError(try db.separately([
            (sql: "UPDATE items SET name = $2 WHERE id = $1", parameters: [.int(1), .text("first")]),
            (sql: "INSERT INTO items (id, name) VALUES ($1, $2)", parameters: [.int(1), .text("a duplicate")]),
            (sql: "INSERT INTO items (id, name) VALUES ($1, $2)", parameters: [.int(2), .text("after")]),
        ])) { error in
            guard case .uniqueViolation? = error as? PostgresError else { return XCTFail("the duplicate's failure expected: \(error)") }
        }
        XCTAssertEqual(try names(), ["first", "after"], "the one before committed, the one after ran")
        XCTAssertEqual(try db.query("SELECT count(*) AS n FROM items WHERE id = $1", [.int(2)])[0].get("n") as Int, 1,
                       "the session is usable after")
    }

    func testRefusedInsideATransaction() throws {
        XCTAssertThrowsError(try db.transaction { tx in
            try tx.separately([(sql: "INSERT INTO items (id, name) VALUES ($1, $2)", parameters: [.int(1), .text("one")])])
        })
        XCTAssertEqual(try names(), [])
    }

    func testNoStatementsIsNothing() throws {
        XCTAssertEqual(try db.separately([]).count, 0)
        XCTAssertEqual(try names(), [])
    }
}

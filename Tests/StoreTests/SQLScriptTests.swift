import Store
import XCTest

final class SQLScriptTests: XCTestCase {
    func testSplitsOnSemicolonsOutsideQuotesAndComments() {
        let script = """
            -- header; with a semicolon
            CREATE TABLE a (t text DEFAULT 'x;y');
            /* block; /* nested; */ still comment; */
            INSERT INTO a VALUES ('it''s; fine');
            CREATE FUNCTION f() RETURNS int AS $$ BEGIN RETURN 1; END; $$ LANGUAGE plpgsql;
            CREATE FUNCTION g() RETURNS text AS $body$ SELECT 'a;b' $body$ LANGUAGE sql;
            SELECT "odd;name" FROM a WHERE t = $1
            """
        let statements = SQLScript.statements(in: script)
        XCTAssertEqual(statements.count, 5, "\(statements)")
        XCTAssertEqual(statements[0], "-- header; with a semicolon\nCREATE TABLE a (t text DEFAULT 'x;y')")
        XCTAssertTrue(statements[1].hasSuffix("INSERT INTO a VALUES ('it''s; fine')"))
        XCTAssertEqual(statements[2], "CREATE FUNCTION f() RETURNS int AS $$ BEGIN RETURN 1; END; $$ LANGUAGE plpgsql")
        XCTAssertEqual(statements[3], "CREATE FUNCTION g() RETURNS text AS $body$ SELECT 'a;b' $body$ LANGUAGE sql")
        XCTAssertEqual(statements[4], "SELECT \"odd;name\" FROM a WHERE t = $1")
    }

    func testCommentOnlyAndEmptyPiecesAreDropped() {
        XCTAssertEqual(SQLScript.statements(in: "-- nothing\n;;\n/* */ ;\n"), [])
        XCTAssertEqual(SQLScript.statements(in: "SELECT 1;\n-- trailing comment\n"), ["SELECT 1"])
    }
}

final class MigrationFileTests: XCTestCase {
    func testFileNamesGiveVersionAndName() {
        XCTAssertEqual(Migration(fileName: "0007_add_reviews.sql", sql: "x"), Migration(version: 7, name: "add_reviews", sql: "x"))
        XCTAssertNil(Migration(fileName: "7_add.sql", sql: ""))
        XCTAssertNil(Migration(fileName: "0007-add.sql", sql: ""))
        XCTAssertNil(Migration(fileName: "0007_add.sql.bak", sql: ""))
    }

    func testBundledMigrationsAreNumberedInOrderFromOne() throws {
        let migrations = try Migration.bundled()
        XCTAssertFalse(migrations.isEmpty)
        XCTAssertEqual(migrations.map(\.version), Array(1...migrations.count))
        XCTAssertTrue(migrations[0].sql.contains("btree_gist"))
    }

    func testAMisnamedFileInTheFolderIsAnError() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent(UUID().uuidString)
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        try "SELECT 1;".write(to: folder.appendingPathComponent("0001_ok.sql"), atomically: true, encoding: .utf8)
        try "SELECT 2;".write(to: folder.appendingPathComponent("2_bad.sql"), atomically: true, encoding: .utf8)
        XCTAssertThrowsError(try Migration.load(from: folder)) { error in
            XCTAssertEqual(error as? MigrationError, .badFileName("2_bad.sql"))
        }
    }
}

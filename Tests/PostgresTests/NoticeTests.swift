import CLibPQ
import Foundation
import Postgres
import TestSupport
import XCTest

/// libpq prints server notices to stderr unless told otherwise; ours are silenced.
final class NoticeTests: XCTestCase {
    private let raiseNotice = "DO $$ BEGIN RAISE NOTICE 'chatter from the server'; END $$"

    func testNoticesDoNotReachStandardError() throws {
        let db = try PostgresConnection(url: TestServices.databaseURL())
        let printed = try capturingStandardError {
            try db.query(raiseNotice)
        }
        XCTAssertFalse(printed.contains("chatter"), printed)
    }

    func testTheCaptureSeesWhatAPlainLibpqConnectionPrints() throws {
        // The control: without our notice processor the same statement does print, so the
        // test above would notice a regression.
        let url = try TestServices.databaseURL()
        let printed = try capturingStandardError {
            let raw = PQconnectdb(url)
            defer { PQfinish(raw) }
            XCTAssertEqual(PQstatus(raw), CONNECTION_OK)
            PQclear(PQexecParams(raw, raiseNotice, 0, nil, nil, nil, nil, 0))
        }
        XCTAssertTrue(printed.contains("chatter from the server"), printed)
    }

    /// Points file descriptor 2 at a file while `body` runs.
    private func capturingStandardError(_ body: () throws -> Void) throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("stderr-\(UUID().uuidString)").path
        let file = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        let saved = dup(2)
        dup2(file, 2)
        defer {
            dup2(saved, 2)
            close(saved)
            close(file)
            unlink(path)
        }
        try body()
        return (try? String(contentsOfFile: path, encoding: .utf8)) ?? ""
    }
}

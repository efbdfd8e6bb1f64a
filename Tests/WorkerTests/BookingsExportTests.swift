import Booking
import Conversation
import Foundation
import Logging
import Postgres
@testable import Reminders
import Store
import Texts
@testable import Worker
import XCTest

/// The bookings export (SPEC admin 13) through the worker's real transaction and the
/// reminders process's runner in-process: a range chosen by button or typed, confirmed
/// with its count, started as an audited job whose CSV comes back through the outbox; bad
/// ranges asked again, forged buttons answered cleanly, moderators refused and audited.
final class BookingsExportTests: HarnessTestCase {
    private let moderator = WorkerHarness.person(2, "Max")
    /// 2026-03-05 11:00 UTC, 14:00 in Moscow.
    private let t0 = Date(timeIntervalSince1970: 1_772_708_400)

    override func setUpWithError() throws {
        try super.setUpWithError()
        harness.now = t0
    }

    private func data(_ action: BookingsExportFlow.Action) -> String { CallbackEnvelope.encode(action, issuedAt: harness.now) }
    private func en(_ text: BookingsExportText) -> String { text.text(in: .en) }
    private func day(_ text: String) -> LocalDate { LocalDate(text)! }
    private let maxDays = BookingsExportRange.maxDays

    private func runner() -> JobRunner {
        JobRunner(db: harness.db, clock: harness.clock, logger: Logger(label: "jobs"))
    }

    private func jobRows() throws -> [(method: String, payload: [String: Any])] {
        try harness.db.query("SELECT method, payload::text AS payload FROM outbox WHERE update_id IS NULL ORDER BY id").map {
            (try $0.get("method"), try JSONSerialization.jsonObject(with: Data((try $0.get("payload") as String).utf8)) as? [String: Any] ?? [:])
        }
    }

    private func exportRows() throws -> [WorkerHarness.AuditRow] { try harness.audit().filter { $0.action == "export.bookings" } }

    func testASuperAdminExportsThisMonthAndTheRunnerSendsOneRowPerBooking() throws {
        let label = BookingsExportButton.menuEntry.label(in: .en)
        XCTAssertTrue(try harness.command("admin", from: owner).first?.buttons.contains { $0.text == label } ?? false)
        try harness.setRole(moderator, "moderator")
        XCTAssertFalse(try harness.command("admin", from: moderator).first?.buttons.contains { $0.text == label } ?? true)

        let cancelled = try harness.booking(of: WorkerHarness.person(8, "Bob"))
        try harness.db.query("""
            UPDATE bookings SET status = 'cancelled', cancelled_at = $2, cancelled_by = 1, cancel_reason = $3 WHERE id = $1
            """, [.int(cancelled.id), .timestamp(t0), .text("Болезнь, \"срочно\"\nперенос =позже")])
        let kept = try harness.booking(of: WorkerHarness.person(7, "Анна"))
        try harness.db.query("UPDATE users SET last_name = 'Иванова', username = 'anna' WHERE id = 7")
        let service = { (booking: BookingRecord) -> String in
            try self.harness.db.query("SELECT name FROM services WHERE id = $1", [.int(booking.serviceID)])[0].get("name")
        }

        let ask = try harness.press(data(.ask), from: owner)
        XCTAssertEqual(ask.first?.text, en(.ask(maxDays: maxDays, problem: nil)))
        let thisMonth = try XCTUnwrap(ask.first?.buttons.first { $0.text == BookingsExportButton.thisMonth.label(in: .en) })
        let confirm = try harness.press(thisMonth.data, from: owner)
        XCTAssertEqual(confirm.first?.text, en(.confirm(from: day("2026-03-01"), to: day("2026-03-31"), count: 2)))
        XCTAssertEqual(try harness.count("SELECT count(*) AS n FROM jobs"), 0, "a screen starts nothing")

        let start = try XCTUnwrap(confirm.first?.buttons.first)
        let started = try harness.press(start.data, from: owner)
        XCTAssertEqual(started.first?.text, en(.started(count: 2)))
        XCTAssertEqual(try exportRows(), [WorkerHarness.AuditRow(actor: owner.id, action: "export.bookings", target: "export:bookings_export",
                                                                 details: #"{"to": "2026-03-31", "from": "2026-03-01"}"#, allowed: true)])
        let job = try harness.db.query("SELECT kind, xmin::text AS tx FROM jobs")
        XCTAssertEqual(job.count, 1)
        XCTAssertEqual(try job[0].get("kind") as String, "bookings_export")
        let auditTransaction: String = try harness.db.query("SELECT xmin::text AS tx FROM audit_log WHERE action = 'export.bookings'")[0].get("tx")
        XCTAssertEqual(try job[0].get("tx") as String, auditTransaction, "the job and its audit row: one transaction")

        let audit = try harness.press(CallbackEnvelope.encode(AuditLogFlow.Action.page(0), issuedAt: harness.now), from: owner)
        XCTAssertTrue(audit.first?.text?.contains(BookingsExportAuditWords(from: day("2026-03-01"), to: day("2026-03-31")).text(in: .en)) ?? false,
                      audit.first?.text ?? "")
        guard case .done = try runner().runNext(now: t0.addingTimeInterval(60)) else { return XCTFail("the job did not run") }
        let rows = try jobRows()
        XCTAssertEqual(rows.map(\.method), ["sendDocument", "sendMessage"])
        XCTAssertEqual(rows[0].payload["file_name"] as? String, "bookings-2026-03-01-2026-03-31.csv")
        let csv = try XCTUnwrap(Data(base64Encoded: rows[0].payload["document_base64"] as? String ?? ""))
        let created = "2026-03-05T14:00:00+03:00"
        let expected = Data([0xEF, 0xBB, 0xBF]) + Data((
            "ID,Date,Start,End,Service,Client,Username,Client ID,Status,Price,Cancelled by,Cancel reason,Created\r\n"
            + "\(cancelled.id),2026-03-12,11:00,12:00,\(try service(cancelled)),Bob,,8,cancelled,,Olga (1),\"Болезнь, \"\"срочно\"\"\nперенос =позже\",\(created)\r\n"
            + "\(kept.id),2026-03-12,11:00,12:00,\(try service(kept)),Анна Иванова,anna,7,confirmed,,,,\(created)\r\n"
        ).utf8)
        XCTAssertEqual(String(decoding: csv, as: UTF8.self), String(decoding: expected, as: UTF8.self))
        XCTAssertEqual(rows[1].payload["text"] as? String,
                       en(.ready(rows: 2, total: 2, from: day("2026-03-01"), to: day("2026-03-31"))))
    }

    func testTypedRangesAreReadOrAskedAgainWithWhatWasWrong() throws {
        _ = try harness.press(data(.ask), from: owner)
        let cases: [(String, BookingsExportProblem?)] = [
            (String(repeating: "1", count: 5_000), .notARange), ("🙂", .notARange), ("", .notARange), ("-1", .notARange),
            ("99999999999999999999999", .notARange), ("32.01.2026-01.02.2026", .notARange), ("29.02.2026-01.03.2026", .notARange),
            ("01.03.2026", .notARange), ("1.3.2026 - 2.3.2026 - 3.3.2026", .notARange), ("01.03.+026-01.04.2026", .notARange),
            ("31.03.2026-01.03.2026", .backwards), ("01.01.2026-02.01.2027", .tooLong(maxDays: maxDays)),
            ("01.01.2000-02.01.2000", .outOfReach(years: 3)), ("01.01.9999-02.01.9999", .outOfReach(years: 3)),
        ]
        for (text, problem) in cases {
            let sent = try harness.send(.text(text, from: owner))
            XCTAssertEqual(sent.last?.text, en(.ask(maxDays: maxDays, problem: problem)), "\(text.prefix(30))")
        }
        let read = try harness.send(.text(" 1.3.2026 – 31.03.2026 ", from: owner))
        XCTAssertEqual(read.last?.text, en(.confirm(from: day("2026-03-01"), to: day("2026-03-31"), count: 0)))
        // A whole year (366 days with a leap day) is the longest.
        _ = try harness.press(data(.ask), from: owner)
        XCTAssertEqual(try harness.send(.text("01.01.2028-31.12.2028", from: owner)).last?.text,
                       en(.confirm(from: day("2028-01-01"), to: day("2028-12-31"), count: 0)))
        XCTAssertEqual(try harness.count("SELECT count(*) AS n FROM jobs"), 0)
        XCTAssertEqual(try exportRows(), [])
    }

    func testForgedButtonsStartNothing() throws {
        let today = harness.clock.localDate(of: t0).dayNumber
        for (action, problem) in [(BookingsExportFlow.Action.confirm(from: today + 5, to: today), BookingsExportProblem.backwards),
                                  (.confirm(from: today - 500, to: today), .tooLong(maxDays: maxDays)),
                                  (.range(from: today, to: today - 1), .backwards)] {
            let sent = try harness.press(data(action), from: owner)
            XCTAssertEqual(sent.first?.text, en(.ask(maxDays: maxDays, problem: problem)), "\(action)")
            XCTAssertEqual(sent.filter(\.isAnswer).count, 1)
        }
        // Days beyond any button's reach never reach the flow.
        let far = try harness.press(data(.confirm(from: today + 5_000, to: today + 5_001)), from: owner)
        XCTAssertEqual(far.map(\.method), ["answerCallbackQuery"])
        XCTAssertEqual(far.first?.answerText, Texts.alert(.invalidButton, in: .en))
        XCTAssertEqual(try harness.count("SELECT count(*) AS n FROM jobs"), 0)
        XCTAssertEqual(try exportRows(), [])
    }

    func testAModeratorAndAStrangerAreRefusedAndAudited() throws {
        try harness.setRole(moderator, "moderator")
        let today = harness.clock.localDate(of: t0).dayNumber
        for person in [moderator, stranger] {
            for action: BookingsExportFlow.Action in [.ask, .range(from: today, to: today), .confirm(from: today, to: today)] {
                let before = try harness.audit().count
                let sent = try harness.press(data(action), from: person)
                XCTAssertEqual(sent.map(\.method), ["answerCallbackQuery"])
                XCTAssertEqual(sent.first?.answerText, Texts.alert(.noAccess, in: .en))
                XCTAssertEqual(try harness.audit().count, before + 1)
                let row = try XCTUnwrap(try harness.audit().last)
                XCTAssertEqual([row.target, String(row.allowed), String(row.actor)], ["flow:bx", "false", String(person.id)])
            }
        }
        XCTAssertEqual(try harness.count("SELECT count(*) AS n FROM jobs"), 0)
    }
}

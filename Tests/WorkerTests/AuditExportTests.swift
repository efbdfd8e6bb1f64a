import Conversation
import Foundation
import Logging
import Postgres
@testable import Reminders
import Store
import Texts
@testable import Worker
import XCTest

/// A turn starts a background job, end to end in-process: the super admin's Confirm writes
/// the job and its audit row in the update's transaction; a moderator's press of the same
/// button is refused and starts nothing; the reminders process's `JobRunner` then turns
/// the job into the CSV document and a message in the requester's outbox; a job that keeps
/// failing is retried with backoff, then given up with a word to the requester.
final class AuditExportTests: HarnessTestCase {
    /// A moderator whose name would run as a formula in Excel, were it not neutralised.
    private let moderator = WorkerHarness.person(2, #"=HYPERLINK("http://x")"#)
    /// 2026-03-05 11:00 UTC, 14:00 in Moscow.
    private let t0 = Date(timeIntervalSince1970: 1_772_708_400)

    override func setUpWithError() throws {
        try super.setUpWithError()
        harness.now = t0
    }

    private func runner() -> JobRunner {
        var settings = JobRunner.Settings()
        settings.retryAfter = 30
        return JobRunner(db: harness.db, clock: harness.clock, settings: settings, logger: Logger(label: "jobs"))
    }

    private func staffText(_ text: StaffText) -> String { Texts.text(text, in: .en) }

    /// The owner's export button, from their staff menu.
    private func exportButton() throws -> InlineButton {
        let menu = try harness.command("admin", from: owner)
        return try XCTUnwrap(menu.first?.buttons.first { $0.text == Texts.label(StaffButton.auditExport, in: .en) })
    }

    /// Outbox rows no update wrote (the jobs'), oldest first.
    private func jobRows() throws -> [(chat: Int64, method: String, priority: Int, payload: [String: Any])] {
        try harness.db.query("SELECT chat_id, method, priority, payload::text AS payload FROM outbox WHERE update_id IS NULL ORDER BY id").map {
            (try $0.get("chat_id"), try $0.get("method"), try $0.get("priority"),
             try JSONSerialization.jsonObject(with: Data((try $0.get("payload") as String).utf8)) as? [String: Any] ?? [:])
        }
    }

    func testASuperAdminsConfirmStartsOneAuditedJobAndTheRunnerSendsTheCSV() throws {
        let button = try exportButton()
        let ask = try harness.press(button.data, from: owner)
        XCTAssertEqual(ask.first?.text, staffText(.auditExportAsk))
        XCTAssertEqual(try harness.count("SELECT count(*) AS n FROM jobs"), 0, "a screen starts nothing")
        let confirm = try XCTUnwrap(ask.first?.buttons.first { $0.text == Texts.label(StaffButton.confirm, in: .en) })

        let started = try harness.press(confirm.data, from: owner)
        XCTAssertEqual(started.map(\.method), ["editMessageText", "answerCallbackQuery"])
        XCTAssertEqual(started.first?.text, staffText(.auditExportStarted))
        XCTAssertEqual(try harness.audit(), [WorkerHarness.AuditRow(actor: owner.id, action: "export.start", target: "export:audit_export",
                                                                    details: #"{"kind": "audit_export"}"#, allowed: true)])
        let job = try harness.db.query("SELECT kind, payload::text AS payload, requested_by, xmin::text AS tx FROM jobs")
        XCTAssertEqual(job.count, 1, "exactly one job")
        XCTAssertEqual(try job[0].get("kind") as String, "audit_export")
        XCTAssertEqual(try job[0].get("requested_by") as Int64, owner.id)
        XCTAssertEqual(try Job(kind: "audit_export", payload: try job[0].get("payload")),
                       .auditExport(JobRequester(person: owner.id, chat: owner.id, language: .en)))
        let auditTransaction: String = try harness.db.query("SELECT xmin::text AS tx FROM audit_log")[0].get("tx")
        XCTAssertEqual(try job[0].get("tx") as String, auditTransaction, "the job and its audit row: one transaction")

        // A moderator presses the button copied from the owner's screen: refused, answered, audited.
        try harness.setRole(moderator, "moderator")
        for data in [button.data, confirm.data] {
            let refused = try harness.press(data, from: moderator)
            XCTAssertEqual(refused.map(\.method), ["answerCallbackQuery"])
            XCTAssertEqual(refused.first?.answerText, Texts.alert(.noAccess, in: .en))
        }
        XCTAssertEqual(try harness.audit().dropFirst().map { [$0.action, $0.target ?? "", $0.details, String($0.allowed)] },
                       [["flow.step", "flow:e", #"{"step": "a"}"#, "false"], ["flow.step", "flow:e", #"{"step": "k"}"#, "false"]])
        XCTAssertEqual(try harness.count("SELECT count(*) AS n FROM jobs"), 1, "the moderator started nothing")

        // The reminders process's runner, in-process on the same database.
        harness.now = t0.addingTimeInterval(60)
        guard case .done(_, let chat) = try runner().runNext(now: harness.now) else { return XCTFail("the job did not run") }
        XCTAssertEqual(chat, owner.id)
        XCTAssertEqual(try runner().runNext(now: harness.now), .idle, "one job, run once")
        let rows = try jobRows()
        XCTAssertEqual(rows.map(\.method), ["sendDocument", "sendMessage"])
        XCTAssertEqual(rows.map(\.chat), [owner.id, owner.id])
        XCTAssertEqual(rows.map(\.priority), [1, 1], "the background lane")
        XCTAssertEqual(rows[0].payload["file_name"] as? String, "audit-log-2026-03-05.csv")
        let csv = try XCTUnwrap(Data(base64Encoded: rows[0].payload["document_base64"] as? String ?? ""))
        let expected = Data([0xEF, 0xBB, 0xBF]) + Data(("Time,Actor ID,Actor,Action,Target,Details,Allowed\r\n"
            + "2026-03-05T14:00:00+03:00,1,Olga,export.start,export:audit_export,\"{\"\"kind\"\": \"\"audit_export\"\"}\",yes\r\n"
            + "2026-03-05T14:00:00+03:00,2,\"'=HYPERLINK(\"\"http://x\"\")\",flow.step,flow:e,\"{\"\"step\"\": \"\"a\"\"}\",no\r\n"
            + "2026-03-05T14:00:00+03:00,2,\"'=HYPERLINK(\"\"http://x\"\")\",flow.step,flow:e,\"{\"\"step\"\": \"\"k\"\"}\",no\r\n").utf8)
        XCTAssertEqual(String(decoding: csv, as: UTF8.self), String(decoding: expected, as: UTF8.self))
        XCTAssertEqual(csv, expected)
        XCTAssertEqual(rows[1].payload["text"] as? String, staffText(.auditExportReady(entries: 3, total: 3)))
        XCTAssertEqual(try harness.count("SELECT count(*) AS n FROM jobs WHERE finished_at IS NOT NULL AND failed_at IS NULL"), 1)
    }

    func testAnExportThatKeepsFailingIsRetriedWithBackoffThenGivenUpAndTheRequesterTold() throws {
        let button = try exportButton()
        let ask = try harness.press(button.data, from: owner)
        let confirm = try XCTUnwrap(ask.first?.buttons.first { $0.text == Texts.label(StaffButton.confirm, in: .en) })
        _ = try harness.press(confirm.data, from: owner)
        // The handler's read fails every time (the table is out of reach).
        try harness.db.execute("ALTER TABLE audit_log RENAME TO audit_log_away")
        defer { _ = try? harness.db.execute("ALTER TABLE audit_log_away RENAME TO audit_log") }

        let job: Int64 = try harness.db.query("SELECT id FROM jobs")[0].get("id")
        var now = t0
        XCTAssertEqual(try runner().runNext(now: now), .retrying(job: job, at: now.addingTimeInterval(30)))
        XCTAssertEqual(try runner().runNext(now: now.addingTimeInterval(29)), .idle, "backing off")
        now = now.addingTimeInterval(30)
        XCTAssertEqual(try runner().runNext(now: now), .retrying(job: job, at: now.addingTimeInterval(60)), "twice as long")
        XCTAssertEqual(try jobRows().count, 0, "a failed attempt leaves nothing behind")
        now = now.addingTimeInterval(60)
        XCTAssertEqual(try runner().runNext(now: now), .failed(job: job, chat: owner.id))
        XCTAssertEqual(try runner().runNext(now: now.addingTimeInterval(86_400)), .idle, "never again")
        let rows = try jobRows()
        XCTAssertEqual(rows.map(\.method), ["sendMessage"])
        XCTAssertEqual(rows.first?.payload["text"] as? String, staffText(.auditExportFailed))
        let stored = try harness.db.query("SELECT attempts, last_error, failed_at IS NOT NULL AS failed FROM jobs")[0]
        XCTAssertEqual(try stored.get("attempts") as Int, 3)
        XCTAssertTrue(try stored.get("failed") as Bool)
        XCTAssertTrue((try stored.get("last_error") as String).contains("audit_log"), "the error is kept")
    }

    func testAJobThatKilledItsRunnerOnTheLastAttemptIsGivenUpAndAnUnreadableOneToo() throws {
        let requester = JobRequester(person: owner.id, chat: owner.id, language: .ru)
        func enqueue(_ kind: String, _ payload: String, at moment: Date) throws {
            try harness.db.transaction { tx in
                try JobStore(connection: tx).enqueue(kind: kind, payload: payload, requestedBy: owner.id, now: moment)
            }
        }
        try enqueue(Job.Kind.auditExport.rawValue, try Job.auditExport(requester).payload(), at: t0)
        // Three runners claimed it and died before they could say anything.
        for attempt in 0..<3 {
            _ = try harness.db.transaction { tx in try JobStore(connection: tx).claimNext(now: t0.addingTimeInterval(Double(attempt) * 200), lease: 120) }
        }
        let later = t0.addingTimeInterval(1000)
        try enqueue("mystery", "{}", at: later.addingTimeInterval(-1))
        guard case .failed(_, let chat?) = try runner().runNext(now: later) else { return XCTFail("not given up") }
        XCTAssertEqual(chat, owner.id)
        XCTAssertEqual(try jobRows().last?.payload["text"] as? String, Texts.text(StaffText.auditExportFailed, in: .ru), "in their language")
        guard case .failed(_, nil) = try runner().runNext(now: later) else { return XCTFail("an unreadable job is given up at once") }
        XCTAssertEqual(try harness.count("SELECT count(*) AS n FROM jobs WHERE failed_at IS NOT NULL"), 2)
        XCTAssertEqual(try jobRows().count, 1, "nobody to tell about a job nobody can read")
    }
}

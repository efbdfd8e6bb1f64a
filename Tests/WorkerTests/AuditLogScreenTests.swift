import Conversation
import Foundation
import Store
import Texts
@testable import Worker
import XCTest

/// `/audit` through the worker's real transaction: ten entries a page, newest first, in
/// the reader's language; paging both ways; super admins only (a moderator is refused and
/// that refusal is itself in the log).
final class AuditLogScreenTests: HarnessTestCase {
    private let moderator = WorkerHarness.person(2, "Max", language: "ru")

    private func page(_ sent: [WorkerHarness.Sent]) -> String { sent.first { !$0.isAnswer }?.text ?? "" }

    func testTwelveEntriesMakeTwoPagesNewestFirstInTheReadersLanguage() throws {
        // Twelve refusals of a stranger, a minute apart: /admin, then eleven presses of the menu's Home.
        _ = try harness.command("admin", from: stranger)
        for _ in 1...11 {
            harness.now = harness.now.addingTimeInterval(61 * 60)  // past the hour that would count them in one row
            _ = try harness.press(CallbackEnvelope.encode(StaffMenuFlow.Action.home, issuedAt: harness.now), from: stranger)
        }
        XCTAssertEqual(try harness.audit().count, 12)

        let first = try harness.command("audit", from: owner)
        let firstText = page(first)
        XCTAssertTrue(firstText.hasPrefix("📜 Audit log — page 1 of 2 (12 entries)"), firstText)
        XCTAssertEqual(firstText.components(separatedBy: "⛔️ refused:").count - 1, 10, "ten a page")
        XCTAssertTrue(firstText.contains("Mallory (id 3)\nstep “h” · flow:a"), firstText)
        XCTAssertFalse(firstText.contains("“/admin”"), "the oldest entry is on the last page")
        let buttons = first.flatMap(\.buttons)
        XCTAssertEqual(buttons.map(\.text), [Texts.label(StaffButton.nextPage, in: .en), Texts.label(StaffButton.back, in: .en)])

        let second = try harness.press(try XCTUnwrap(buttons.first).data, from: owner)
        let secondText = page(second)
        XCTAssertTrue(secondText.hasPrefix("📜 Audit log — page 2 of 2 (12 entries)"), secondText)
        XCTAssertTrue(secondText.contains("step “/admin” · flow:a"), secondText)
        XCTAssertEqual(second.flatMap(\.buttons).map(\.text),
                       [Texts.label(StaffButton.previousPage, in: .en), Texts.label(StaffButton.back, in: .en)])
        XCTAssertEqual(second.filter(\.isAnswer).count, 1)
    }

    func testAModeratorIsRefusedTheAuditLogAndTheRefusalIsLogged() throws {
        try harness.setRole(moderator, "moderator")
        let refused = try harness.command("audit", from: moderator)
        XCTAssertEqual(refused.map(\.text), [Texts.text(.superAdminsOnly, in: .ru)])
        // A page button copied from a super admin's screen: refused too.
        let copied = try harness.press(CallbackEnvelope.encode(AuditLogFlow.Action.page(0), issuedAt: harness.now), from: moderator)
        XCTAssertEqual(copied.first?.answerText, Texts.alert(.noAccess, in: .ru))
        XCTAssertEqual(try harness.audit().map { [$0.target ?? "", $0.details, String($0.allowed)] },
                       [["flow:g", #"{"step": "/audit"}"#, "false"], ["flow:g", #"{"step": "p"}"#, "false"]])
        // The owner reads both, in Russian when their Telegram is Russian.
        let russianOwner = WorkerHarness.person(owner.id, "Ольга", language: "ru")
        let text = page(try harness.command("audit", from: russianOwner))
        XCTAssertTrue(text.hasPrefix("📜 Журнал действий — страница 1 из 1 (2 записи)"), text)
        XCTAssertTrue(text.contains("⛔️ отклонено:"), text)
        XCTAssertTrue(text.contains("Max (id 2)\nшаг «/audit» · flow:g"), text)
    }

    func testAnEmptyLogSaysSoAndAForgedPagePastTheEndChangesNothing() throws {
        XCTAssertEqual(page(try harness.command("audit", from: owner)), Texts.text(StaffText.auditPage(lines: [], page: 1, pages: 1, total: 0), in: .en))
        _ = try harness.command("admin", from: stranger)
        let past = try harness.press(CallbackEnvelope.encode(AuditLogFlow.Action.page(500), issuedAt: harness.now), from: owner)
        XCTAssertEqual(past.map(\.method), ["answerCallbackQuery"])
        XCTAssertEqual(past.first?.answerText, Texts.alert(.invalidButton, in: .en))
    }
}

import Booking
import Conversation
import Foundation
import Store
import Texts
@testable import Worker
import XCTest

/// How staff get in: the staff menu's entry on their main menu (and only theirs), and the
/// first steps shown to staff while nothing is bookable (SPEC admin 15).
final class StaffEntryTests: HarnessTestCase {
    private let moderator = WorkerHarness.person(2, "Max")
    private let client = WorkerHarness.person(40, "Anna")

    private func keyboard(_ sent: [WorkerHarness.Sent]) -> [[String]]? {
        for message in sent {
            if let rows = (message.payload["reply_markup"] as? [String: Any])?["keyboard"] as? [[Any]] {
                return rows.map { $0.compactMap { ($0 as? [String: Any])?["text"] as? String ?? $0 as? String } }
            }
        }
        return nil
    }

    private var staffEntry: String { Texts.label(.staffMenu, in: .en) }

    func testAnOwnersFirstStartWithNothingToBookShowsTheFirstStepsAndTheStaffEntry() throws {
        let sent = try harness.command("start", from: owner)
        XCTAssertEqual(sent.count, 3, "welcome, the main menu, the first steps")
        XCTAssertEqual(sent.last?.text, StaffText.firstRun(canSetHours: true).text(in: .en))
        XCTAssertEqual(sent.last?.buttons.map(\.text), [staffEntry])
        XCTAssertEqual(keyboard(sent)?.last, [Texts.label(.about, in: .en), staffEntry], "staff see their menu on the main menu")

        let menu = try harness.press(try XCTUnwrap(sent.last?.buttons.first?.data), from: owner)
        XCTAssertEqual(menu.first?.text, StaffText.menu(role: .superAdmin).text(in: .en))

        _ = try ServiceStore(connection: harness.db).create(name: "Haircut", durationMinutes: 60)
        let again = try harness.command("start", from: owner)
        XCTAssertEqual(again.last?.text, Texts.text(.welcomeBack(name: "Olga", bookingCount: 0), in: .en))
        XCTAssertFalse(again.contains { $0.text == StaffText.firstRun(canSetHours: true).text(in: .en) }, "a bookable service exists")
    }

    func testAModeratorIsNotToldToSetHoursAndAClientSeesNoneOfIt() throws {
        try harness.setRole(moderator, "moderator")
        XCTAssertEqual(try harness.command("start", from: moderator).last?.text, StaffText.firstRun(canSetHours: false).text(in: .en))

        let sent = try harness.command("start", from: client)
        XCTAssertEqual(sent.count, 2, "welcome and the main menu")
        XCTAssertFalse(sent.contains { $0.text == StaffText.firstRun(canSetHours: false).text(in: .en) })
        XCTAssertEqual(keyboard(sent)?.last, [Texts.label(.about, in: .en)], "no staff entry for a client")
    }

    func testTheStaffEntryOpensTheStaffMenuForStaffAndIsRefusedAndAuditedForAClient() throws {
        let menu = try harness.send(.text(staffEntry, from: owner))
        XCTAssertEqual(menu.first?.text, StaffText.menu(role: .superAdmin).text(in: .en))

        let russian = WorkerHarness.person(41, "Иван", language: "ru")
        let refused = try harness.send(.text(Texts.label(.staffMenu, in: .ru), from: russian))
        XCTAssertEqual(refused.first?.text, Texts.text(.noAccess, in: .ru))
        let row = try XCTUnwrap(try harness.audit().last)
        XCTAssertEqual(row.actor, russian.id)
        XCTAssertEqual(row.target, "flow:a")
        XCTAssertFalse(row.allowed)
    }
}

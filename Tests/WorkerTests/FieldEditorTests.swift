import Booking
import Conversation
import Foundation
import Postgres
import Store
import Texts
@testable import Worker
import XCTest

/// The field editor (SPEC admin 10) through the worker's real transaction: each kind of
/// field checked by its own screen's code at commit, saved with an audit row naming old and
/// new, refused values asked again and audited as refused; super admins only.
final class FieldEditorTests: HarnessTestCase {
    private let moderator = WorkerHarness.person(2, "Max")
    private var haircut: ServiceRecord!
    private var manicure: ServiceRecord!

    override func setUpWithError() throws {
        try super.setUpWithError()
        try harness.setRole(moderator, "moderator")
        try ClientStore(connection: harness.db).register(id: owner.id, firstName: owner.firstName, languageCode: "en", now: harness.now)
        haircut = try ServiceStore(connection: harness.db).create(name: "Haircut", durationMinutes: 60, priceText: "1500 ₽")
        manicure = try ServiceStore(connection: harness.db).create(name: "Manicure", durationMinutes: 90)
    }

    /// The screen the person's text leads to.
    private func typed(_ text: String, by person: Person) throws -> String {
        try type(text, by: person).last { $0.chat == person.id && !$0.isAnswer }?.text ?? ""
    }
    private func screen(_ sent: [WorkerHarness.Sent]) -> WorkerHarness.Sent? { sent.last { !$0.isAnswer } }
    private func answer(_ sent: [WorkerHarness.Sent]) -> String? { sent.first(where: \.isAnswer)?.answerText }
    private func service(_ id: Int64) throws -> (name: String, minutes: Int) {
        let row = try harness.db.query("SELECT name, duration_minutes FROM services WHERE id = $1", [.int(id)])[0]
        return (try row.get("name"), try row.get("duration_minutes"))
    }

    func testAServiceFieldIsCheckedByTheServiceFormsOwnCodeAndSavedWithItsAuditRow() throws {
        let menu = try harness.command("admin", from: owner)
        XCTAssertTrue(menu[0].buttons.map(\.data).contains(data(FieldEditorFlow.Action.home)), "super admins have the field editor")
        let services = try press(FieldEditorFlow.Action.services(page: 0), by: owner)
        XCTAssertTrue(screen(services)?.buttons.map(\.data).contains(data(FieldEditorFlow.Action.service(haircut.id))) ?? false)
        let fields = try press(FieldEditorFlow.Action.service(haircut.id), by: owner)
        XCTAssertEqual(screen(fields)?.buttons.filter { $0.data.contains(".sf.") }.count, 5, "name, description, duration, price, amount")
        let ask = try press(FieldEditorFlow.Action.serviceField(haircut.id, field: 0), by: owner)
        XCTAssertTrue(screen(ask)?.text?.hasPrefix("Now: Haircut") ?? false, screen(ask)?.text ?? "")

        // The form's own refusals: a name in use (the store's save), emoji only, too long.
        XCTAssertTrue(try typed("manicure", by: owner).contains("already taken"))
        XCTAssertTrue(try typed("🎉🎉🎉", by: owner).contains("letter or digit"))
        XCTAssertTrue(try typed(String(repeating: "x", count: 5000), by: owner).hasPrefix("⚠️"))
        XCTAssertEqual(try service(haircut.id).name, "Haircut")
        let refused = try harness.audit()
        XCTAssertEqual(refused.map(\.action), ["field.edit", "field.edit", "field.edit"])
        XCTAssertTrue(refused.allSatisfy { $0.details.contains("refused:invalid") && $0.target == "service:\(haircut.id)" })

        let saved = try typed("Beard trim", by: owner)
        XCTAssertTrue(saved.contains("Saved. name: Haircut → Beard trim"), saved)
        XCTAssertEqual(try service(haircut.id).name, "Beard trim")
        let row = try XCTUnwrap(try harness.audit().last)
        XCTAssertEqual(row.action, "field.edit")
        XCTAssertTrue(row.details.contains(#""old": "Haircut""#) && row.details.contains(#""new": "Beard trim""#)
                      && row.details.contains(#""outcome": "done""#), row.details)

        // The duration: words, overflowing numbers and off-step lengths are asked again.
        _ = try press(FieldEditorFlow.Action.serviceField(haircut.id, field: 2), by: owner)
        for bad in ["an hour", "99999999999999999999999", "-5", "7", "481"] {
            XCTAssertTrue(try typed(bad, by: owner).contains("minutes"), bad)
        }
        XCTAssertTrue(try typed("45", by: owner).contains("duration: 60 → 45"))
        XCTAssertEqual(try service(haircut.id).minutes, 45)
        // Forged: a field that is none, a service that is none, an archived one.
        XCTAssertEqual(answer(try press(FieldEditorFlow.Action.serviceField(haircut.id, field: 9), by: owner)), Texts.alert(.invalidButton, in: .en))
        XCTAssertTrue(screen(try press(FieldEditorFlow.Action.service(999), by: owner))?.text?.contains("no such record") ?? false)
        try harness.db.query("UPDATE services SET archived = true WHERE id = $1", [.int(manicure.id)])
        XCTAssertTrue(screen(try press(FieldEditorFlow.Action.serviceField(manicure.id, field: 0), by: owner))?.text?.contains("no such record") ?? false)
    }

    func testABlockReasonOfABlockNotYetOverOnly() throws {
        let day = harness.clock.localDate(of: harness.now).adding(days: 5)
        let range = TimeRange(start: harness.clock.startOfDay(day), end: harness.clock.startOfDay(day.adding(days: 1)))
        let past = TimeRange(start: harness.now.addingTimeInterval(-7200), end: harness.now.addingTimeInterval(-3600))
        let ids: [Int64] = try harness.db.transaction { tx in
            try [range, past].map { try BookingStore(connection: tx, defaults: harness.rules).block($0, reason: "Holiday", by: .admin(1),
                                                                                                  now: harness.now.addingTimeInterval(-9000)).blockID }
        }
        let list = try press(FieldEditorFlow.Action.blocks(page: 0), by: owner)
        XCTAssertEqual(screen(list)?.buttons.filter { $0.data.contains(".b.") }.map(\.data), [data(FieldEditorFlow.Action.block(ids[0]))],
                       "blocks not yet over")
        XCTAssertTrue(screen(try press(FieldEditorFlow.Action.block(ids[1]), by: owner))?.text?.contains("no such record") ?? false)
        _ = try press(FieldEditorFlow.Action.block(ids[0]), by: owner)
        XCTAssertTrue(try typed("ab", by: owner).hasPrefix("⚠️"), "BlockReasonInput's length")
        XCTAssertTrue(try typed("— — —", by: owner).contains("letter or digit"))
        XCTAssertTrue(try typed("National holiday", by: owner).contains("Holiday → National holiday"))
        XCTAssertEqual(try harness.db.query("SELECT reason FROM blocks WHERE id = $1", [.int(ids[0])])[0].get("reason") as String, "National holiday")
        // Removed while its reason was asked: refused at commit, audited so.
        _ = try press(FieldEditorFlow.Action.block(ids[0]), by: owner)
        try harness.db.query("DELETE FROM blocks WHERE id = $1", [.int(ids[0])])
        XCTAssertTrue(try typed("Another reason", by: owner).contains("Not saved"))
        XCTAssertTrue(try harness.audit().last?.details.contains("refused:not_found") ?? false)
    }

    func testAStaffDisplayNameOfAnAdminsRow() throws {
        let staff = try press(FieldEditorFlow.Action.staff, by: owner)
        let members = screen(staff)?.buttons.filter { $0.data.contains(".m.") }.map(\.data)
        XCTAssertEqual(members, [data(FieldEditorFlow.Action.member(moderator.id))], "owners have no row")
        XCTAssertTrue(screen(try press(FieldEditorFlow.Action.member(owner.id), by: owner))?.text?.contains("no such record") ?? false)
        _ = try press(FieldEditorFlow.Action.member(moderator.id), by: owner)
        XCTAssertTrue(try typed("", by: owner).hasPrefix("⚠️"))
        XCTAssertTrue(try typed(String(repeating: "я", count: 65), by: owner).hasPrefix("⚠️"))
        XCTAssertTrue(try typed("Max the stylist", by: owner).contains("staff name: — → Max the stylist"))
        XCTAssertEqual(try harness.db.query("SELECT display_name FROM admins WHERE user_id = $1", [.int(moderator.id)])[0]
            .get("display_name") as String, "Max the stylist")
        XCTAssertEqual(try harness.audit().last?.target, "admin:\(moderator.id)")
    }

    func testAModeratorIsRefusedAndAudited() throws {
        let menu = try harness.command("admin", from: moderator)
        XCTAssertFalse(menu[0].buttons.map(\.data).contains(data(FieldEditorFlow.Action.home)))
        for action in [FieldEditorFlow.Action.home, .service(haircut.id), .serviceField(haircut.id, field: 0)] {
            XCTAssertEqual(answer(try press(action, by: moderator)), Texts.alert(.noAccess, in: .en))
        }
        XCTAssertEqual(try harness.audit().map(\.allowed), [false, false, false])
        XCTAssertEqual(Set(try harness.audit().compactMap(\.target)), ["flow:fe"])
        // A super admin demoted while the value is asked: the answer is refused.
        let demoted = WorkerHarness.person(5, "Dora")
        try harness.setRole(demoted, "super_admin")
        _ = try press(FieldEditorFlow.Action.serviceField(haircut.id, field: 0), by: demoted)
        try harness.setRole(demoted, "moderator")
        _ = try typed("Renamed", by: demoted)
        XCTAssertEqual(try service(haircut.id).name, "Haircut")
        XCTAssertEqual(try harness.audit().last?.allowed, false)
    }
}

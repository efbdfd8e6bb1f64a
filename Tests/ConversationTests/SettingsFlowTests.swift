import Booking
@testable import Conversation
import Foundation
import Texts
import XCTest

/// The settings flow at the seam: the typed value waits in the state for Confirm, which
/// is one change asked of the store and one audit entry; a role lost meanwhile is refused
/// at commit; a store refusal is recorded as one.
final class SettingsFlowTests: ConversationTestCase {
    private var values: SettingValues { SettingValues(rules: rules, address: "Main St 1", contact: "") }
    private var slotStep: SettingsFlow.Action { .edit(SettingName.allCases.firstIndex(of: .slotStep)!) }

    /// Asks the slot step as a super admin and types `answer`: the state at the confirmation.
    private func confirmation(_ answer: String, store: StoreFixture) -> Turn {
        let asked = turn(press(slotStep), store: store, role: .superAdmin)
        return turn(.text(answer, from: anna), state: asked.state, store: store, role: .superAdmin)
    }

    func testConfirmAsksTheStoreOnceAndIsAuditedWithOldAndNew() {
        let store = store { $0.settings = self.values; $0.roleAtCommit = .superAdmin }
        let shown = confirmation("30", store: store)
        XCTAssertEqual(screen(shown).text, SettingsText.confirm(SettingDiff(setting: .slotStep, old: values,
                                                                            new: SettingChange.number(.slotStep, 30).applied(to: values)),
                                                                stranded: []).text(in: .en))
        XCTAssertEqual(store.changesAsked, [], "nothing changes before Confirm")
        let saved = turn(press(SettingsFlow.Action.confirm), state: shown.state, store: store, role: .superAdmin)
        XCTAssertTrue(screen(saved).text.hasPrefix("✅ Saved"), screen(saved).text)
        XCTAssertEqual(store.changesAsked, [.setting(.number(.slotStep, 30), by: ChangeActor(id: anna.id, role: .superAdmin))])
        XCTAssertEqual(store.audited, [.settingChanged(key: "slot_step_minutes", old: "60", new: "30", refusal: nil)])
        XCTAssertEqual(saved.state.draft, #"{"days":[]}"#, "nothing waits any more")
    }

    func testARoleLostBeforeConfirmIsRefusedAtCommitAndAStoreRefusalIsAuditedAsOne() {
        let revoked = store { $0.settings = self.values; $0.roleAtCommit = .moderator }
        let shown = confirmation("30", store: revoked)
        let refused = turn(press(SettingsFlow.Action.confirm), state: shown.state, store: revoked, role: .superAdmin)
        XCTAssertEqual(answers(refused), [alert(.noAccess)])
        XCTAssertEqual(revoked.changesAsked, [])
        XCTAssertEqual(revoked.refusals, [.attempt(flow: "st", step: "k")])

        let refusing = store { $0.roleAtCommit = .superAdmin }  // no settings: the store refuses the value
        let asked = confirmation("30", store: refusing)
        let notSaved = turn(press(SettingsFlow.Action.confirm), state: asked.state, store: refusing, role: .superAdmin)
        XCTAssertEqual(screen(notSaved).text, SettingsText.notSaved.text(in: .en))
        XCTAssertEqual(refusing.audited, [.settingChanged(key: "slot_step_minutes", old: "", new: "30", refusal: "outOfRange")])
        XCTAssertEqual(AuditAction.settingChanged(key: "k", old: "", new: "30", refusal: "outOfRange").details["outcome"],
                       .text("refused:outOfRange"))
    }

    func testADayOffReadsTheBookingsItWouldStrand() {
        let monday = msk(12, 7, 11)
        let store = store { $0.bookings = [self.booking(monday), self.booking(self.msk(12, 8, 11), id: 6)] }
        let asked = turn(press(SettingsFlow.Action.day(1)), store: store, role: .superAdmin)
        let shown = turn(press(SettingsFlow.Action.dayOff), state: asked.state, store: store, role: .superAdmin)
        XCTAssertEqual(store.readsAsked.last, .bookingsOutside(hours: nil, on: [.monday]))
        XCTAssertTrue(screen(shown).text.contains("1 booking on Monday 7 Dec would fall outside the new hours"), screen(shown).text)
    }
}

import Booking
@testable import Conversation
import Foundation
import Texts
import XCTest

/// The field editor against the store's seam: a typed value goes to the store only through
/// the field's own check, run in the change (at commit), and every outcome is audited.
final class FieldEditorFlowTests: ConversationTestCase {
    private func editorStore() -> StoreFixture {
        store {
            $0.roleAtCommit = .superAdmin
            $0.staffServices = [StaffService(id: 1, fields: ServiceFields(name: "Alpha", durationMinutes: 60), active: true, archived: false,
                                             displayOrder: 1),
                                StaffService(id: 2, fields: ServiceFields(name: "Bravo", durationMinutes: 60), active: true, archived: false,
                                             displayOrder: 2)]
        }
    }

    private func asking(_ target: FieldEditorFlow.Target) throws -> ConversationState {
        ConversationState(flow: FieldEditorFlow.id, messageID: 900,
                          draft: String(decoding: try JSONEncoder().encode(FieldEditorFlow.State(target: target)), as: UTF8.self))
    }

    func testAServiceNameGoesThroughTheFormsCheckAndTheServicesSave() throws {
        let state = try asking(.service(1, key: "name"))
        let invalid = editorStore()
        _ = turn(.text("🎉", from: anna), state: state, store: invalid, role: .superAdmin)
        XCTAssertEqual(invalid.changesAsked, [.fieldEdit("lock service 1")], "refused by the form's check: nothing saved")
        XCTAssertEqual(invalid.audited, [.fieldEdited(target: "service:1", field: "name", old: "", new: "🎉", outcome: .refused("invalid"))])

        let taken = editorStore()
        let again = turn(.text("bravo", from: anna), state: state, store: taken, role: .superAdmin)
        XCTAssertTrue(screen(again).text.contains("already taken"), screen(again).text)
        XCTAssertEqual(taken.staffServices[0].fields.name, "Alpha")

        let saved = editorStore()
        _ = turn(.text("Alpine", from: anna), state: state, store: saved, role: .superAdmin)
        XCTAssertEqual(saved.changesAsked, [.fieldEdit("lock service 1"), .service("update", 1)])
        XCTAssertEqual(saved.staffServices[0].fields.name, "Alpine")
        XCTAssertEqual(saved.audited, [.fieldEdited(target: "service:1", field: "name", old: "Alpha", new: "Alpine", outcome: .done)])
    }

    func testADisplayNameAndABlockReasonUseTheirOwnChecks() throws {
        let store = editorStore()
        store.staffRows = [StaffMemberInfo(person: ClientInfo(id: 7, name: "Max"), displayName: nil)]
        _ = turn(.text(String(repeating: "x", count: 65), from: anna), state: try asking(.displayName(7)), store: store, role: .superAdmin)
        XCTAssertEqual(store.staffRows[0].displayName, nil)
        _ = turn(.text("Max", from: anna), state: try asking(.displayName(7)), store: store, role: .superAdmin)
        XCTAssertEqual(store.staffRows[0].displayName, "Max")

        store.blocksNow = now
        store.blocks = [BlockInfo(id: 3, range: TimeRange(start: msk(12, 10, 10), end: msk(12, 10, 12)), reason: "Holiday")]
        _ = turn(.text("ok", from: anna), state: try asking(.blockReason(3)), store: store, role: .superAdmin)
        XCTAssertEqual(store.blocks[0].reason, "Holiday", "BlockReasonInput wants 3 characters")
        _ = turn(.text("Repairs", from: anna), state: try asking(.blockReason(3)), store: store, role: .superAdmin)
        XCTAssertEqual(store.blocks[0].reason, "Repairs")
        XCTAssertEqual(store.audited.last, .fieldEdited(target: "block:3", field: "reason", old: "Holiday", new: "Repairs", outcome: .done))
    }
}

import Booking
@testable import Conversation
import Foundation
import Texts
import XCTest

/// The staff's booking card against the store's seam: each step reads only what it shows,
/// a typed reason is checked before anything is asked of the store, and the audit entry of
/// every change says what the store decided.
final class StaffBookingFlowTests: ConversationTestCase {
    private var visit: Date { msk(12, 10, 11) }

    private func staffStore(roleAtCommit: Role = .moderator) -> StoreFixture {
        store {
            $0.roleAtCommit = roleAtCommit
            $0.allBookings = [StaffBooking(booking: self.booking(self.visit), client: self.annaInfo, state: .confirmed)]
        }
    }

    private func state(_ draft: StaffBookingFlow.State) throws -> ConversationState {
        ConversationState(flow: StaffBookingFlow.id, messageID: 900, draft: String(decoding: try JSONEncoder().encode(draft), as: UTF8.self))
    }

    func testTheMoveScreensReadTheBookingAndTheirDaysWithoutIt() {
        let store = staffStore()
        let day = date(visit)
        let result = turn(press(StaffBookingFlow.Action.moveDay(5, day: day.dayNumber)), store: store, role: .moderator)
        XCTAssertEqual(store.readsAsked, [.staffBooking(5), .occupancy(days: day...day, excluding: 5)])
        XCTAssertEqual(store.changesAsked, [])
        XCTAssertTrue(screen(result).text.contains("Moving to"), screen(result).text)
    }

    func testATypedReasonIsCheckedBeforeTheStoreIsAskedAndConfirmCancelsWithIt() throws {
        let asking = try state(StaffBookingFlow.State(cancelling: 5))
        for bad in ["", " \n ", String(repeating: "я", count: 501), "\u{0}"] {
            let store = staffStore()
            let result = turn(.text(bad, from: anna), state: asking, store: store, role: .moderator)
            XCTAssertEqual(store.changesAsked, [], "'\(bad.prefix(10))'")
            XCTAssertTrue(screen(result).text.hasPrefix("⚠️ It needs 1 to 500 characters"), screen(result).text)
            XCTAssertEqual(result.state.flow, StaffBookingFlow.id, "still asking")
        }
        let typed = turn(.text(String(repeating: "я", count: 500), from: anna), state: asking, store: staffStore(), role: .moderator)
        XCTAssertEqual(typed.state.draft.flatMap { try? JSONDecoder().decode(StaffBookingFlow.State.self, from: Data($0.utf8)) },
                       StaffBookingFlow.State(cancelling: 5, reason: String(repeating: "я", count: 500)))

        let confirming = try state(StaffBookingFlow.State(cancelling: 5, reason: "Ill"))
        let store = staffStore()
        store.cancelled = .refused(.inPast)
        _ = turn(press(StaffBookingFlow.Action.confirmCancel(5)), state: confirming, store: store, role: .moderator)
        XCTAssertEqual(store.changesAsked, [.cancel(booking: 5, by: ChangeActor(id: anna.id, role: .moderator), reason: "Ill")])
        XCTAssertEqual(store.audited, [.bookingCancelled(booking: 5, client: nil, reason: "Ill", outcome: .refused("in_past"))])

        // Confirm for another booking than the one whose reason was typed asks nothing.
        let other = staffStore()
        _ = turn(press(StaffBookingFlow.Action.confirmCancel(6)), state: confirming, store: other, role: .moderator)
        XCTAssertEqual(other.changesAsked, [])
    }

    func testARoleRevokedBeforeCommitIsAuditedAsRefusedNotDone() {
        let store = staffStore(roleAtCommit: .client)
        let result = turn(press(StaffBookingFlow.Action.close(5, .noShow)), store: store, role: .moderator)
        XCTAssertEqual(store.changesAsked, [])
        XCTAssertEqual(store.refusals, [.bookingClosed(booking: 5, client: nil, as: .noShow, outcome: .refused("no_access"))])
        XCTAssertEqual(answers(result), [alert(.noAccess)])
    }

    func testClientLookUpsAreParsedStrictly() {
        XCTAssertEqual(ClientsFlow.key(" 42 "), .id(42))
        XCTAssertEqual(ClientsFlow.key("@Anna_K"), .username("Anna_K"))
        XCTAssertEqual(ClientsFlow.key("anna_k"), .username("anna_k"))
        for garbage in ["", "0", "-1", "9223372036854775808", "@", "@a b", "анна", "🙂", "an hour", String(repeating: "1", count: 41)] {
            XCTAssertNil(ClientsFlow.key(garbage), garbage)
        }
    }
}

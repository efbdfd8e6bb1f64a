import Booking
@testable import Conversation
import Foundation
import Texts
import XCTest

/// The services screens against the in-memory store: which buttons a card offers in each
/// state, the form's name check seeing the names its step read, and a change refused at
/// commit (a role revoked meanwhile) leaving the services as they were.
final class ServicesFlowTests: ConversationTestCase {
    private func service(_ id: Int64, _ name: String, active: Bool = true, archived: Bool = false, order: Int = 0) -> StaffService {
        StaffService(id: id, fields: ServiceFields(name: name, durationMinutes: 60), active: active, archived: archived, displayOrder: order)
    }

    private func staffStore() -> StoreFixture {
        store {
            $0.roleAtCommit = .moderator
            $0.staffServices = [service(1, "Alpha", order: 1), service(2, "Bravo", active: false, order: 2),
                                service(3, "Charlie", archived: true)]
            $0.serviceBookingCounts = [1: ServiceBookingCounts(upcoming: 2, ever: 5)]
        }
    }

    private func labels(_ turn: Turn) -> [String] { screen(turn).buttons.joined().map(\.text) }
    private func en(_ button: ServicesButton) -> String { button.label(in: .en) }

    func testACardOffersWhatItsStateAllows() {
        let store = staffStore()
        let booked = turn(press(ServicesFlow.Action.card(1)), store: store, role: .moderator)
        XCTAssertEqual(labels(booked), [en(.edit), en(.deactivate), en(.down), en(.archive), en(.toList)])
        XCTAssertTrue(screen(booked).text.contains("📅 Upcoming bookings: 2"))
        let neverBooked = turn(press(ServicesFlow.Action.card(2)), store: store, role: .moderator)
        XCTAssertEqual(labels(neverBooked), [en(.edit), en(.activate), en(.up), en(.delete), en(.toList)])
        let archived = turn(press(ServicesFlow.Action.card(3)), store: store, role: .moderator)
        XCTAssertEqual(labels(archived), [en(.restore), en(.toList)])
        let list = turn(press(ServicesFlow.Action.list), store: store, role: .moderator)
        XCTAssertEqual(Array(labels(list).map { String($0.prefix(1)) }.dropFirst().prefix(3)), ["🟢", "⚪️", "🗄"], "in use first, archived after")
        XCTAssertEqual(store.changesAsked, [], "screens change nothing")
    }

    func testTheNameCheckSeesTheNamesItsStepReadAndNotArchivedOnes() throws {
        let store = staffStore()
        var stored = turn(press(ServiceFormFlow.Action.new), store: store, role: .moderator).state.encoded()
        let taken = turn(.text("alpha", from: anna), stored: stored, store: store, role: .moderator)
        XCTAssertEqual(messages(taken), [FieldAgain(problem: .taken, prompt: ServicesText.askName).text(in: .en)])
        stored = taken.state.encoded()
        let archivedName = turn(.text("Charlie", from: anna), stored: stored, store: store, role: .moderator)
        XCTAssertEqual(messages(archivedName), [ServicesText.askDescription.text(in: .en)], "an archived name can be used again")
        XCTAssertEqual(store.changesAsked, [])
    }

    func testAChangeRefusedAtCommitChangesNothingAndIsRecordedAsAnAttempt() {
        let store = staffStore()
        store.roleAtCommit = .client
        let refused = turn(press(ServicesFlow.Action.deactivate(1)), store: store, role: .moderator)
        XCTAssertEqual(store.changesAsked, [])
        XCTAssertEqual(store.refusals, [.serviceDeactivated(service: 1, refused: nil)])
        XCTAssertEqual(store.staffServices.first?.active, true)
        XCTAssertFalse(answers(refused).isEmpty)
    }
}

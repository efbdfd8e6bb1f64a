import Booking
import Conversation
import Foundation
import Postgres
import Store
import Texts
@testable import Worker
import XCTest

/// The clients' screens (SPEC admin 4) through the worker's real transaction: totals (a
/// client is someone who ever booked), the top ten by completed visits, a look-up by id or
/// @username whatever is typed, and a client's card leading to their bookings' cards.
final class ClientsTests: HarnessTestCase {
    private let moderator = WorkerHarness.person(2, "Max")
    private let anna = Person(id: 40, firstName: "Anna", username: "Anna_K", languageCode: "en")

    private func type(_ text: String) throws -> [WorkerHarness.Sent] { try harness.send(.text(text, from: moderator)) }

    func testTotalsTopTenAndALookUpByIdOrUsernameWhateverIsTyped() throws {
        try harness.setRole(moderator, "moderator")
        let record = try harness.booking(of: anna)
        try ClientStore(connection: harness.db).register(id: anna.id, firstName: "Anna", username: "Anna_K", now: harness.now)
        // Someone registered who never booked is not a client; a past visit of another makes the top.
        try ClientStore(connection: harness.db).register(id: 50, firstName: "Idle", now: harness.now)
        try ClientStore(connection: harness.db).register(id: 41, firstName: "Bob", now: harness.now)
        let afternoon = record.range.start.addingTimeInterval(3 * 3600)
        let bob = try harness.db.transaction { tx in
            try BookingStore(connection: tx, defaults: harness.rules).create(client: 41, service: record.serviceID, start: afternoon,
                                                                           by: .client(41), now: harness.now)
        }
        try harness.db.query("UPDATE bookings SET status = 'completed' WHERE id = $1", [.int(try XCTUnwrap(bob.value).id)])
        // Staff who book (to try the bot, or as anyone would) are not clients: neither the moderator nor the owner.
        for (person, hours) in [(moderator.id, 5.0), (owner.id, 6.0)] {
            try ClientStore(connection: harness.db).register(id: person, firstName: "Staff", now: harness.now)
            _ = try harness.db.transaction { tx in
                try BookingStore(connection: tx, defaults: harness.rules).create(client: person, service: record.serviceID,
                                                                               start: record.range.start.addingTimeInterval(hours * 3600),
                                                                               by: .client(person), now: harness.now)
            }
        }

        let menu = try harness.command("admin", from: moderator)
        XCTAssertTrue(menu[0].buttons.map(\.data).contains(data(ClientsFlow.Action.home)), "the staff menu has the clients")
        let home = try harness.press(data(ClientsFlow.Action.home), from: moderator)
        let text = try XCTUnwrap(home[0].text)
        XCTAssertTrue(text.contains("Clients in total (ever booked): 2"), text)
        XCTAssertTrue(text.contains("New this week: 2"), text)
        XCTAssertTrue(text.contains("1. Bob, id 41 — 1 visit"), text)
        XCTAssertFalse(text.contains("id 40 —"), "no completed visit, not in the top")

        let ask = try harness.press(data(ClientsFlow.Action.find), from: moderator)
        XCTAssertEqual(ask[0].text, ClientsText.ask.text(in: .en))

        // Hostile text is answered and asked again; the look-up stays open.
        for garbage in ["   ", "🙂🙂🙂", String(repeating: "a", count: 5000), "-5", "99999999999999999999999", "an hour", "@", "@@anna", "0"] {
            let sent = try type(garbage)
            XCTAssertEqual(sent.last?.text, ClientsText.badQuery.text(in: .en), "'\(garbage.prefix(20))'")
        }
        XCTAssertEqual(try type("@nobody_here").last?.text, ClientsText.notFound(query: "@nobody_here").text(in: .en))
        XCTAssertEqual(try type("777").last?.text, ClientsText.notFound(query: "777").text(in: .en))

        for query in ["40", "@anna_k", "ANNA_K"] {
            let card = try type(query)
            let shown = try XCTUnwrap(card.last)
            XCTAssertTrue(shown.text?.hasPrefix("👤 Anna (@Anna_K), id 40") ?? false, "\(query): \(shown.text ?? "")")
            XCTAssertTrue(shown.text?.contains("Upcoming bookings: 1") ?? false)
            XCTAssertTrue(shown.buttons.map(\.data).contains(data(StaffBookingFlow.Action.card(record.id))), query)
            if query == "40" {
                // The look-up closes with the card: further text is not a look-up.
                XCTAssertEqual(try type("41").last?.text, Texts.text(.unknownInput, in: .en))
                _ = try harness.press(data(ClientsFlow.Action.find), from: moderator)
            } else {
                _ = try harness.press(data(ClientsFlow.Action.find), from: moderator)
            }
        }

        // The card's booking button opens the same staff card (same actions).
        let bookingCard = try harness.press(data(StaffBookingFlow.Action.card(record.id)), from: moderator)
        XCTAssertTrue(bookingCard[0].buttons.map(\.data).contains(data(StaffBookingFlow.Action.cancel(record.id))))
        // A forged client id answers cleanly.
        let forged = try harness.press(data(ClientsFlow.Action.client(123_456)), from: moderator)
        XCTAssertEqual(forged[0].text, ClientsText.notFound(query: "123456").text(in: .en))
        XCTAssertEqual(try harness.audit(), [], "looking is not a change")
        XCTAssertEqual(try harness.count("SELECT count(*) AS n FROM bookings WHERE status = 'confirmed'"), 3, "Anna's and the two staff's")
    }
}

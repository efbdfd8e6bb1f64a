import Booking
@testable import Conversation
import Foundation
import Texts
import XCTest

/// The dashboard through the router against the in-memory store: the figures of a small
/// business counted as the store would, the recommendations they call for, Refresh and
/// Back; moderators and super admins only.
final class DashboardFlowTests: ConversationTestCase {
    /// `days` before now (Thursday 3 December 2026, 10:00 in Moscow), `hours` later.
    private func ago(_ days: Int, hours: Int = 0) -> Date {
        now.addingTimeInterval(Double(-days * 86_400 + hours * 3600))
    }

    /// A week that began on Monday 30 November.
    private func business(_ store: StoreFixture) {
        store.dashboardStaff = [99]
        store.dashboardServices = [
            .init(id: 7, name: "Haircut", priceCents: 150_000, createdAt: msk(1, 1, 9).addingTimeInterval(-400 * 86_400)),
            .init(id: 8, name: "Coloring", priceCents: nil, createdAt: msk(1, 1, 9).addingTimeInterval(-400 * 86_400)),
            .init(id: 9, name: "Massage", priceCents: 300_000, createdAt: msk(1, 1, 9).addingTimeInterval(-400 * 86_400)),
        ]
        let made = ago(5)  // within 30 days: Haircut and Coloring are booked, Massage is not
        // Clients 1 and 2 first booked before Monday; client 3 this week (a booking since
        // cancelled still makes a client); 99 is staff, and their booking makes no client.
        store.dashboardBookings = [
            .init(client: 1, serviceID: 7, start: msk(12, 3, 12), createdAt: made),                   // today, to come
            .init(client: 2, serviceID: 8, start: msk(12, 4, 11), createdAt: made),                   // tomorrow
            .init(client: 1, serviceID: 7, start: msk(12, 1, 10), status: .completed, createdAt: made),
            .init(client: 2, serviceID: 7, start: msk(12, 1, 12), status: .completed, createdAt: made),
            .init(client: 2, serviceID: 8, start: ago(8, hours: 2), status: .completed, createdAt: made),
            .init(client: 1, serviceID: 7, start: ago(13, hours: 2), status: .noShow, createdAt: made),
            .init(client: 3, serviceID: 7, start: msk(12, 5, 12), status: .cancelled, createdAt: ago(3), cancelledAt: msk(12, 2, 9)),
            .init(client: 99, serviceID: 7, start: ago(40), status: .cancelled, createdAt: ago(45), cancelledAt: ago(40)),  // staff: no client
        ]
        store.ratings = [5, 4]
    }

    func testAModeratorSeesTheFiguresAndTheRecommendations() throws {
        let store = self.store(business)
        let shown = turn(press(DashboardFlow.Action.show), store: store, role: .moderator)
        let (text, buttons) = screen(shown)
        XCTAssertEqual(store.readsAsked, [.dashboard(DashboardWindow(now: now, clock: clock))])
        for line in ["📊 Dashboard as of 10:00", "👥 Clients (ever booked): 3, new this week: 1", "📅 Upcoming bookings: 2",
                     "🗓 Bookings today: 1, in the next 7 days: 1", "❌ Cancellations in 7 days: 1, in 30 days: 1",
                     "🚫 No-shows in 30 days: 1, all time: 1", "⭐️ Average rating: 4.5 of 5 (2 reviews)",
                     "💰 Revenue in 30 days (estimate): 3,000", "• Haircut: 2 visits × 1,500 = 3,000",
                     "• not counted: 1 visit to services without a numeric price", "Today: 11% booked",
                     "• Today is only 11% booked", "• Nobody has booked “Massage” in 30 days"] {
            XCTAssertTrue(text.contains(line), "missing \(line) in\n\(text)")
        }
        XCTAssertFalse(text.contains("cancellations in the last 7 days"), "one cancellation is not many")
        XCTAssertEqual(buttons.joined().map(action), [.dashboard(.show), .staff(.home)])
        XCTAssertEqual(shown.state, ConversationState(flow: "db", messageID: 900))
        XCTAssertEqual(answers(shown), [nil])
        XCTAssertEqual(store.changesAsked, [])
        XCTAssertEqual(store.audited, [], "looking is no change")

        // Refresh reads again and edits the same message.
        let again = self.store(business)
        let refreshed = turn(press(buttons[0][0]), state: shown.state, store: again, role: .superAdmin)
        XCTAssertEqual(screen(refreshed).text, text)
        XCTAssertEqual(again.readsAsked.count, 1)
    }

    func testAnEmptyBusinessShowsZerosAndNoAverage() throws {
        let store = StoreFixture(person: anna.id)
        let (text, _) = screen(turn(press(DashboardFlow.Action.show), store: store, role: .moderator))
        for line in ["Clients (ever booked): 0, new this week: 0", "Upcoming bookings: 0", "Bookings today: 0, in the next 7 days: 0",
                     "No reviews yet", "Revenue in 30 days (estimate): 0\n• no visits with a numeric price", "Mo: 0%",
                     "Today: 0% booked"] {
            XCTAssertTrue(text.contains(line), "missing \(line) in\n\(text)")
        }
    }

    func testAClientIsRefusedAndTheStoreNeverAsked() throws {
        let store = store()
        let refused = turn(press(DashboardFlow.Action.show), store: store, role: .client)
        XCTAssertEqual(refused.replies, [.answer(queryID: "q1", text: alert(.noAccess), alert: false)])
        XCTAssertEqual(store.readsAsked, [])
        XCTAssertEqual(store.refusals, [.attempt(flow: "db", step: "s")])
    }

    func testTheStaffMenuOffersTheDashboardToModerators() throws {
        let menu = turn(command("admin"), store: store(), role: .moderator)
        let dashboard = screen(menu).buttons.joined().first { action($0) == .dashboard(.show) }
        XCTAssertEqual(dashboard?.text, "📊 Dashboard")
    }
}

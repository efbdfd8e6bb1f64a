import Booking
import Conversation
import Foundation
import Postgres
import Store
import TestSupport
import Texts
@testable import Worker
import XCTest

/// The dashboard against real PostgreSQL: 1,000 bookings seeded from a fixed seed, every
/// figure counted again by hand in Swift from the seed list (not from SQL) and compared;
/// the screen for staff, refused and audited for anyone else; an empty database in zeros.
final class DashboardScreenTests: HarnessTestCase {
    private let moderator = WorkerHarness.person(2, "Max")
    /// Thursday 3 December 2026, 10:00 in Moscow.
    private let fixedNow = Date(timeIntervalSince1970: 1_796_281_200)

    override func setUpWithError() throws {
        try super.setUpWithError()
        harness.now = fixedNow
    }

    private func screen(_ sent: [WorkerHarness.Sent]) -> String { sent.first { !$0.isAnswer }?.text ?? "" }
    private var showData: String { CallbackEnvelope.encode(DashboardFlow.Action.show, issuedAt: harness.now) }
    private var window: DashboardWindow { DashboardWindow(now: harness.now, clock: harness.clock) }

    private func figures() throws -> DashboardFigures {
        try FlowReads(db: harness.db, defaults: harness.rules, rules: harness.rules, owners: [owner.id], now: harness.now)
            .dashboard(window)
    }

    // MARK: The seed

    private struct SeedService {
        let name: String
        let minutes: Int
        let priceCents: Int64?
        var active = true
        var archived = false
        var createdDaysAgo = 400
        /// Booked by the seed (only long ago for "Spa", so nobody booked it in 30 days).
        var booked = true
        var id: Int64 = 0
    }

    private struct SeedBooking {
        let client: Int64
        let service: Int
        let start: Date
        let minutes: Int
        let status: String
        let createdAt: Date
        let cancelledAt: Date?
        var rating: Int?
    }

    private struct Seed {
        var services: [SeedService]
        var clients: [(id: Int64, createdAt: Date)]
        var bookings: [SeedBooking]
    }

    /// 1,000 bookings of 120 clients over 60 days back and 20 ahead, each on a resource of its
    /// own (the no-overlap constraint holds whatever the draw), statuses as time allows.
    private func makeSeed() -> Seed {
        var random = SplitMix64(seed: 0xDA5B_0A2D)
        let now = harness.now
        var services = [
            SeedService(name: "Cut", minutes: 60, priceCents: 150_000),
            SeedService(name: "Color", minutes: 90, priceCents: 299_999),
            SeedService(name: "Chat", minutes: 30, priceCents: nil),
            SeedService(name: "Spa", minutes: 120, priceCents: 500_000),
            SeedService(name: "Nails", minutes: 45, priceCents: 80_000, booked: false),
            SeedService(name: "Old", minutes: 60, priceCents: 100_000, archived: true, booked: false),
            SeedService(name: "Off", minutes: 60, priceCents: nil, active: false, booked: false),
            SeedService(name: "Brand new", minutes: 60, priceCents: 10_000, createdDaysAgo: 5, booked: false),
        ]
        services[3].booked = false  // Spa: added below, only long ago
        let w = window
        // 120 regulars, and 10 newcomers whose one booking was made this week (for a future visit).
        let clients = (0..<120).map { index in
            (id: Int64(100 + index), createdAt: now.addingTimeInterval(-Double(random.int(0...(60 * 1440))) * 60))
        } + (0..<10).map { index in (id: Int64(300 + index), createdAt: w.weekStart) }
        // The boundaries themselves, then random minutes.
        let edges = [w.todayStart, w.tomorrowStart, w.nextWeekEnd, w.now, w.last30DaysStart, w.loadStart,
                     w.tomorrowStart.addingTimeInterval(-60), w.nextWeekEnd.addingTimeInterval(-60)]
        var bookings: [SeedBooking] = []
        for index in 0..<1000 {
            let spa = index >= edges.count && index % 50 == 0
            let service = spa ? 3 : random.pick([0, 0, 1, 2, 1, 0])
            let start = index < edges.count ? edges[index]
                : spa ? now.addingTimeInterval(-Double(random.int((40 * 1440)...(60 * 1440))) * 60)
                : now.addingTimeInterval(Double(random.int((-60 * 1440)...(20 * 1440))) * 60)
            let past = start < now
            let draw = random.int(0...99)
            let status = past ? (draw < 45 ? "completed" : draw < 60 ? "confirmed" : draw < 75 ? "no_show" : "cancelled")
                : (draw < 80 ? "confirmed" : "cancelled")
            let until = min(start, now)
            let createdAt = until.addingTimeInterval(-Double(random.int(1...(20 * 1440))) * 60)
            let cancelledAt = status == "cancelled"
                ? createdAt.addingTimeInterval((until.timeIntervalSince(createdAt) * random.unit()).rounded(.down)) : nil
            let rating = status == "completed" && random.chance(40) ? random.int(1...5) : nil
            let newcomer = index >= 990 && start > now
            bookings.append(SeedBooking(client: newcomer ? Int64(300 + index - 990) : random.pick(Array(clients.prefix(120))).id,
                                        service: service, start: start, minutes: services[service].minutes,
                                        status: newcomer ? "confirmed" : status,
                                        createdAt: newcomer ? w.weekStart : createdAt, cancelledAt: newcomer ? nil : cancelledAt,
                                        rating: newcomer ? nil : rating))
        }
        return Seed(services: services, clients: clients, bookings: bookings)
    }

    private func store(_ seed: inout Seed) throws {
        let db = harness.db
        try harness.setRole(moderator, "moderator")
        try harness.setRole(WorkerHarness.person(5, "Sam"), "super_admin")
        try ClientStore(connection: db).register(id: owner.id, firstName: owner.firstName, now: harness.now)
        for index in seed.services.indices {
            let service = seed.services[index]
            let record = try ServiceStore(connection: db).create(name: service.name, durationMinutes: service.minutes,
                                                                priceAmount: service.priceCents.map { Double($0) / 100 })
            try db.query("UPDATE services SET active = $2, archived = $3, created_at = $4 WHERE id = $1",
                         [.int(record.id), .bool(service.active), .bool(service.archived),
                          .timestamp(harness.now.addingTimeInterval(-Double(service.createdDaysAgo) * 86_400))])
            seed.services[index].id = record.id
        }
        try db.transaction { tx in
            for client in seed.clients {
                try tx.query("INSERT INTO users (id, first_name, created_at) VALUES ($1, 'Client', $2)",
                             [.int(client.id), .timestamp(client.createdAt)])
            }
            try tx.query("INSERT INTO resources (id, name) SELECT g, 'seat ' || g FROM generate_series(1001, 2000) g")
            for (index, booking) in seed.bookings.enumerated() {
                let id: Int64 = try tx.query("""
                    INSERT INTO bookings (user_id, service_id, resource_id, during, duration_minutes, status, cancelled_at, created_at)
                    VALUES ($1, $2, $3, tstzrange($4, $5), $6, $7, $8, $9) RETURNING id
                    """, [.int(booking.client), .int(seed.services[booking.service].id), .int(Int64(1001 + index)),
                          .timestamp(booking.start), .timestamp(booking.start.addingTimeInterval(Double(booking.minutes) * 60)),
                          .int(Int64(booking.minutes)), .text(booking.status), booking.cancelledAt.map(PostgresValue.timestamp) ?? .null,
                          .timestamp(booking.createdAt)])[0].get("id")
                if let rating = booking.rating {
                    try tx.query("INSERT INTO reviews (booking_id, user_id, rating) VALUES ($1, $2, $3)",
                                 [.int(id), .int(booking.client), .int(Int64(rating))])
                }
            }
        }
    }

    // MARK: The hand count

    private func handCount(_ seed: Seed) -> DashboardFigures {
        let w = window
        let clock = harness.clock
        let now = harness.now
        var figures = DashboardFigures()
        // Clients: who ever booked; new: whose first booking was made since Monday.
        let firstBooked = Dictionary(seed.bookings.map { ($0.client, $0.createdAt) }, uniquingKeysWith: min)
        figures.clientsTotal = firstBooked.count
        figures.clientsNewThisWeek = firstBooked.values.filter { $0 >= w.weekStart }.count
        for booking in seed.bookings {
            let held = booking.status != "cancelled"
            if booking.status == "confirmed" && booking.start >= now { figures.upcoming += 1 }
            if held && clock.localDate(of: booking.start) == w.today { figures.bookingsToday += 1 }
            let day = clock.localDate(of: booking.start).dayNumber - w.today.dayNumber
            if held && (1...7).contains(day) { figures.bookingsNext7Days += 1 }
            if let cancelled = booking.cancelledAt {
                if now.timeIntervalSince(cancelled) <= 7 * 86_400 { figures.cancelledLast7Days += 1 }
                if now.timeIntervalSince(cancelled) <= 30 * 86_400 { figures.cancelledLast30Days += 1 }
            }
            let inLast30 = booking.start < now && now.timeIntervalSince(booking.start) <= 30 * 86_400
            if booking.status == "no_show" {
                figures.noShowsAllTime += 1
                if inLast30 { figures.noShowsLast30Days += 1 }
            }
            if let rating = booking.rating {
                figures.reviewCount += 1
                figures.ratingSum += rating
            }
            let loadDays = (w.today.dayNumber - 7 * DashboardWindow.loadWeeks)...w.today.dayNumber
            if held && loadDays.contains(clock.localDate(of: booking.start).dayNumber) {
                figures.bookedMinutes[clock.localDate(of: booking.start), default: 0] += booking.minutes
            }
        }
        for (index, service) in seed.services.enumerated() {
            let visits = seed.bookings.filter {
                $0.service == index && ($0.status == "confirmed" || $0.status == "completed")
                    && $0.start < now && now.timeIntervalSince($0.start) <= 30 * 86_400
            }.count
            if visits > 0 {
                figures.revenue.append(ServiceRevenue(serviceID: service.id, name: service.name, visits: visits, priceCents: service.priceCents))
            }
            let bookedLately = seed.bookings.contains { $0.service == index && now.timeIntervalSince($0.createdAt) <= 30 * 86_400 }
            if service.active && !service.archived && service.createdDaysAgo > 30 && !bookedLately {
                figures.idleServices.append(IdleService(serviceID: service.id, name: service.name))
            }
        }
        return figures
    }

    // MARK: Tests

    func testEveryFigureMatchesAHandCountOfAThousandSeededBookings() throws {
        var seed = makeSeed()
        try store(&seed)
        XCTAssertEqual(try harness.count("SELECT count(*) AS n FROM bookings"), 1000)
        let expected = handCount(seed)
        // The seed reaches every figure (none of the comparisons below is 0 == 0).
        for status in ["confirmed", "cancelled", "completed", "no_show"] {
            XCTAssertGreaterThan(seed.bookings.filter { $0.status == status }.count, 50, status)
        }
        XCTAssertGreaterThan(expected.clientsNewThisWeek, 0)
        XCTAssertGreaterThan(expected.bookingsToday, 0)
        XCTAssertGreaterThan(expected.cancelledLast7Days, 0)
        XCTAssertGreaterThan(expected.noShowsLast30Days, 0)
        XCTAssertLessThan(expected.noShowsLast30Days, expected.noShowsAllTime)
        XCTAssertGreaterThan(expected.reviewCount, 0)
        XCTAssertEqual(Set(expected.revenue.map(\.name)), ["Cut", "Color", "Chat"])
        XCTAssertEqual(expected.idleServices.map(\.name), ["Spa", "Nails"])
        XCTAssertEqual(expected.bookedMinutes.count, 29, "every day of the load window has bookings")

        let counted = try figures()
        XCTAssertEqual(counted.clientsTotal, expected.clientsTotal, "clients total")
        XCTAssertEqual(counted.clientsNewThisWeek, expected.clientsNewThisWeek, "clients new this week")
        XCTAssertEqual(counted.upcoming, expected.upcoming, "upcoming")
        XCTAssertEqual(counted.bookingsToday, expected.bookingsToday, "today")
        XCTAssertEqual(counted.bookingsNext7Days, expected.bookingsNext7Days, "next 7 days")
        XCTAssertEqual(counted.cancelledLast7Days, expected.cancelledLast7Days, "cancellations 7 days")
        XCTAssertEqual(counted.cancelledLast30Days, expected.cancelledLast30Days, "cancellations 30 days")
        XCTAssertEqual(counted.noShowsLast30Days, expected.noShowsLast30Days, "no-shows 30 days")
        XCTAssertEqual(counted.noShowsAllTime, expected.noShowsAllTime, "no-shows")
        XCTAssertEqual(counted.reviewCount, expected.reviewCount, "reviews")
        XCTAssertEqual(counted.ratingSum, expected.ratingSum, "ratings")
        XCTAssertEqual(counted.revenue, expected.revenue, "revenue by service")
        XCTAssertEqual(counted.bookedMinutes, expected.bookedMinutes, "load per day")
        XCTAssertEqual(counted.idleServices, expected.idleServices, "services nobody books")
        XCTAssertEqual(counted, expected)

        // The screen a moderator sees shows the same figures.
        let report = DashboardReport(figures: expected, window: window, schedule: harness.rules.schedule)
        let text = screen(try harness.press(showData, from: moderator))
        XCTAssertEqual(text, DashboardText.screen(report, asOf: LocalDateTime(harness.now, clock: harness.clock)).text(in: .en))
    }

    func testAModeratorSeesTheDashboardWithRefreshAndBack() throws {
        try harness.setRole(moderator, "moderator")
        let menu = try harness.command("admin", from: moderator)
        let open = try XCTUnwrap(menu.flatMap(\.buttons).first { $0.text == DashboardButton.open.label(in: .en) })
        let shown = try harness.press(open.data, from: moderator)
        XCTAssertTrue(screen(shown).hasPrefix("📊 Dashboard as of 10:00"), screen(shown))
        XCTAssertEqual(shown.filter(\.isAnswer).count, 1)
        XCTAssertEqual(shown.first?.method, "editMessageText")
        XCTAssertEqual(shown.flatMap(\.buttons).map(\.text),
                       [DashboardButton.refresh.label(in: .en), DashboardButton.back.label(in: .en)])
        XCTAssertEqual(try harness.audit(), [], "looking changes nothing and is not audited")
        // Refresh, an hour later: the same screen, as of then.
        harness.now = harness.now.addingTimeInterval(3600)
        let refreshed = try harness.press(try XCTUnwrap(shown.flatMap(\.buttons).first).data, from: moderator)
        XCTAssertTrue(screen(refreshed).hasPrefix("📊 Dashboard as of 11:00"), screen(refreshed))
        // Back: the staff menu.
        let back = try harness.press(try XCTUnwrap(shown.flatMap(\.buttons).last).data, from: moderator)
        XCTAssertEqual(screen(back), StaffText.menu(role: .moderator).text(in: .en))
    }

    func testAStrangerIsRefusedAndAudited() throws {
        let refused = try harness.press(showData, from: stranger)
        XCTAssertEqual(refused.map(\.method), ["answerCallbackQuery"])
        XCTAssertEqual(refused.first?.answerText, Texts.alert(.noAccess, in: .en))
        XCTAssertEqual(try harness.audit(), [WorkerHarness.AuditRow(actor: stranger.id, action: "flow.step", target: "flow:db",
                                                                    details: #"{"step": "s"}"#, allowed: false)])
        // A moderator whose role was taken away is refused the same way.
        try harness.setRole(moderator, "moderator")
        try harness.setRole(moderator, nil)
        XCTAssertEqual(try harness.press(showData, from: moderator).first?.answerText, Texts.alert(.noAccess, in: .en))
    }

    func testAnEmptyDatabaseShowsZerosWithoutDividingByZero() throws {
        XCTAssertEqual(try figures(), DashboardFigures(), "nobody but staff, nothing booked")
        let text = screen(try harness.press(showData, from: owner))
        for line in ["Clients (ever booked): 0, new this week: 0", "Upcoming bookings: 0", "No-shows in 30 days: 0, all time: 0", "No reviews yet",
                     "Revenue in 30 days (estimate): 0", "Today: 0% booked"] {
            XCTAssertTrue(text.contains(line), "missing \(line) in\n\(text)")
        }
    }
}

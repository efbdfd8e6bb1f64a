import Booking
import Foundation
import Postgres
import Store
import TestSupport
import XCTest

/// Not a test: `scripts/dashboard-plans` runs it (DASHBOARD_PLANS=1) to print the plan of
/// every dashboard query over 100,000 bookings, for docs/dashboard.md. Skipped otherwise.
final class DashboardPlansReport: MigratedDatabaseTestCase {
    func testPrintThePlansOfEveryDashboardQueryAtAHundredThousandBookings() throws {
        try XCTSkipUnless(ProcessInfo.processInfo.environment["DASHBOARD_PLANS"] == "1", "run by scripts/dashboard-plans")
        // Thursday 3 December 2026, 10:00 in Moscow.
        let now = Date(timeIntervalSince1970: 1_796_281_200)
        try db.query("INSERT INTO users (id, first_name, created_at) SELECT g, 'Client', $1 - (g % 90) * interval '1 day' "
                     + "FROM generate_series(100, 20099) g", [.timestamp(now)])
        try db.query("""
            INSERT INTO services (name, duration_minutes, price_amount, created_at)
            SELECT 'Service ' || g, 60, CASE WHEN g % 4 = 0 THEN NULL ELSE 1000 + g END, $1 - interval '400 days'
            FROM generate_series(1, 12) g
            """, [.timestamp(now)])
        try db.query("INSERT INTO resources (id, name) SELECT g, 'seat ' || g FROM generate_series(2, 20) g")
        // 20 resources, back-to-back hours on each: 5,000 hours from 180 days ago to about
        // 28 days ahead; the status as time allows, drawn from the row number.
        try db.query("""
            WITH drawn AS (
                SELECT g, $2::timestamptz + (g / 20) * interval '1 hour' AS t, (g * 37 + g / 7) % 100 AS r
                FROM generate_series(0, 99999) g),
            slots AS (
                SELECT *, CASE WHEN t >= $1 THEN CASE WHEN r < 80 THEN 'confirmed' ELSE 'cancelled' END
                               WHEN r < 45 THEN 'completed' WHEN r < 60 THEN 'confirmed' WHEN r < 75 THEN 'no_show'
                               ELSE 'cancelled' END AS status
                FROM drawn)
            INSERT INTO bookings (user_id, service_id, resource_id, during, duration_minutes, status, cancelled_at, created_at)
            SELECT 100 + (g * 7919) % 20000, (SELECT min(id) FROM services) + g % 11, 1 + g % 20,
                   tstzrange(t, t + interval '1 hour'), 60, status,
                   CASE WHEN status = 'cancelled' THEN least(t, $1) - (r % 48) * interval '1 hour' END,
                   least(t, $1) - (1 + r % 20) * interval '1 day' - interval '2 days'
            FROM slots
            """, [.timestamp(now), .timestamp(now.addingTimeInterval(-180 * 86_400))])
        try db.query("INSERT INTO reviews (booking_id, user_id, rating) SELECT id, user_id, 1 + id % 5 FROM bookings "
                     + "WHERE status = 'completed' AND id % 3 = 0")
        // As autovacuum leaves a table at rest: statistics, and the visibility map that lets
        // an index-only scan skip the heap.
        try db.query("VACUUM ANALYZE")
        let counts = try db.query("SELECT status, count(*) AS n FROM bookings GROUP BY status ORDER BY status")
            .map { "\(try $0.get("status") as String) \(try $0.get("n") as Int)" }
        print("== seeded: \(try db.query("SELECT count(*) AS n FROM bookings")[0].get("n") as Int) bookings (\(counts.joined(separator: ", "))), "
              + "\(try db.query("SELECT count(*) AS n FROM users")[0].get("n") as Int) users, "
              + "\(try db.query("SELECT count(*) AS n FROM reviews")[0].get("n") as Int) reviews")
        let window = DashboardWindow(now: now, clock: BusinessClock(zoneIdentifier: "Europe/Moscow")!)
        let store = DashboardStore(connection: db)
        _ = try store.figures(window, staff: [1])  // warm the cache, as a dashboard opened twice would be
        for (name, plan) in try store.plans(window, staff: [1]) {
            print("== \(name)\n\(plan)\n")
        }
    }
}

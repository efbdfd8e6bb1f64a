import Booking
import Foundation
import Postgres

/// The dashboard's figures (SPEC admin 1): each group of numbers is one query over an
/// index that serves it (0007_dashboard_indexes.sql; plans at 100,000 bookings in
/// docs/dashboard.md). Local days arrive as instants from `DashboardWindow`, so the
/// queries compare timestamps; only the load groups by the business's local day.
public struct DashboardStore {
    /// One of the dashboard's queries with its parameters, named for the plans report.
    public struct Query: Sendable {
        public let name: String
        let sql: String
        let values: [PostgresValue]
    }

    private let db: PostgresConnection

    public init(connection: PostgresConnection) {
        self.db = connection
    }

    /// `staff`: people who are staff without an `admins` row (the owners), not clients.
    public func figures(_ window: DashboardWindow, staff: [Int64] = []) throws -> DashboardFigures {
        let q = Self.queries(window, staff: staff)
        var figures = DashboardFigures()
        let clients = try one(q.clients)
        figures.clientsTotal = try clients.get("total")
        figures.clientsNewThisWeek = try clients.get("new")
        figures.upcoming = try one(q.upcoming).get("n")
        let soon = try one(q.soon)
        figures.bookingsToday = try soon.get("today")
        figures.bookingsNext7Days = try soon.get("next")
        let cancelled = try one(q.cancellations)
        figures.cancelledLast7Days = try cancelled.get("last7")
        figures.cancelledLast30Days = try cancelled.get("last30")
        let noShows = try one(q.noShows)
        figures.noShowsLast30Days = try noShows.get("recent")
        figures.noShowsAllTime = try noShows.get("total")
        let rating = try one(q.rating)
        figures.reviewCount = try rating.get("n")
        figures.ratingSum = try rating.get("total")
        figures.revenue = try run(q.revenue).map { row in
            ServiceRevenue(serviceID: try row.get("id"), name: try row.get("name"), visits: try row.get("visits"),
                           priceCents: try row.get("cents"))
        }
        figures.bookedMinutes = Dictionary(uniqueKeysWithValues: try run(q.load).map { row in
            (LocalDate(dayNumber: try row.get("day")), try row.get("minutes") as Int)
        })
        figures.idleServices = try run(q.idleServices).map { row in
            IdleService(serviceID: try row.get("id"), name: try row.get("name"))
        }
        return figures
    }

    /// `EXPLAIN (ANALYZE, BUFFERS)` of every query, for `scripts/dashboard-plans`.
    public func plans(_ window: DashboardWindow, staff: [Int64] = []) throws -> [(name: String, plan: String)] {
        try Self.queries(window, staff: staff).all.map { query in
            let rows = try db.query("EXPLAIN (ANALYZE, BUFFERS) " + query.sql, query.values)
            return (query.name, try rows.map { try $0.get(0) as String }.joined(separator: "\n"))
        }
    }

    private func run(_ query: Query) throws -> PostgresRows { try db.query(query.sql, query.values) }

    private func one(_ query: Query) throws -> PostgresRow {
        guard let row = try run(query).first else { throw PostgresError.decoding("\(query.name): no row") }
        return row
    }

    struct Queries {
        let clients, upcoming, soon, cancellations, noShows, rating, revenue, load, idleServices: Query
        var all: [Query] { [clients, upcoming, soon, cancellations, noShows, rating, revenue, load, idleServices] }
    }

    /// Clients: everyone who ever booked (whatever became of it), staff (admins rows,
    /// owners) excluded; new: their first booking was made since `since`. The Clients
    /// screen counts them the same way.
    static func clientsQuery(since: Date, staff: [Int64]) -> Query {
        Query(name: "clients", sql: """
            SELECT count(*) AS total, count(*) FILTER (WHERE first >= $1) AS new
            FROM (SELECT user_id, min(created_at) AS first FROM bookings
                  WHERE user_id <> ALL ($2::bigint[]) AND user_id NOT IN (SELECT user_id FROM admins)
                  GROUP BY user_id) AS clients
            """, values: [.timestamp(since), .intArray(Set(staff))])
    }

    /// The clients in total and those new since `since` (the dashboard's first figure).
    public func clients(since: Date, staff: [Int64]) throws -> (total: Int, new: Int) {
        let row = try one(Self.clientsQuery(since: since, staff: staff))
        return (try row.get("total"), try row.get("new"))
    }

    static func queries(_ w: DashboardWindow, staff: [Int64]) -> Queries {
        Queries(
            clients: clientsQuery(since: w.weekStart, staff: staff),
            upcoming: Query(name: "upcoming", sql: """
                SELECT count(*) AS n FROM bookings WHERE status = 'confirmed' AND lower(during) >= $1
                """, values: [.timestamp(w.now)]),
            // Today and the seven days after it, in one range of the start index.
            soon: Query(name: "today and next 7 days", sql: """
                SELECT count(*) FILTER (WHERE lower(during) < $2) AS today, count(*) FILTER (WHERE lower(during) >= $2) AS next
                FROM bookings WHERE status <> 'cancelled' AND lower(during) >= $1 AND lower(during) < $3
                """, values: [.timestamp(w.todayStart), .timestamp(w.tomorrowStart), .timestamp(w.nextWeekEnd)]),
            cancellations: Query(name: "cancellations", sql: """
                SELECT count(*) AS last30, count(*) FILTER (WHERE cancelled_at >= $2) AS last7
                FROM bookings WHERE status = 'cancelled' AND cancelled_at >= $1 AND cancelled_at <= $3
                """, values: [.timestamp(w.last30DaysStart), .timestamp(w.last7DaysStart), .timestamp(w.now)]),
            noShows: Query(name: "no-shows", sql: """
                SELECT count(*) AS total, count(*) FILTER (WHERE lower(during) >= $1 AND lower(during) < $2) AS recent
                FROM bookings WHERE status = 'no_show'
                """, values: [.timestamp(w.last30DaysStart), .timestamp(w.now)]),
            rating: Query(name: "rating", sql: """
                SELECT count(*) AS n, coalesce(sum(rating), 0) AS total FROM reviews
                """, values: []),
            // Visits that took place or are still expected to (completed, confirmed) and
            // started in the last 30 days, per service, at the service's price now.
            revenue: Query(name: "revenue by service", sql: """
                SELECT s.id, s.name, (s.price_amount * 100)::bigint AS cents, b.visits
                FROM (SELECT service_id, count(*) AS visits FROM bookings
                      WHERE status IN ('confirmed', 'completed') AND lower(during) >= $1 AND lower(during) < $2
                      GROUP BY service_id) b
                JOIN services s ON s.id = b.service_id
                ORDER BY s.display_order, s.id
                """, values: [.timestamp(w.last30DaysStart), .timestamp(w.now)]),
            // Minutes held for clients (not cancelled) per local start day, over the load window.
            load: Query(name: "load per day", sql: """
                SELECT ((lower(during) AT TIME ZONE $3)::date - DATE '1970-01-01') AS day, sum(duration_minutes)::bigint AS minutes
                FROM bookings WHERE status <> 'cancelled' AND lower(during) >= $1 AND lower(during) < $2
                GROUP BY 1
                """, values: [.timestamp(w.loadStart), .timestamp(w.tomorrowStart), .text(w.zoneIdentifier)]),
            // Active services older than 30 days that no booking was made for since.
            idleServices: Query(name: "services nobody books", sql: """
                SELECT s.id, s.name FROM services s
                WHERE s.active AND NOT s.archived AND s.created_at < $1
                  AND NOT EXISTS (SELECT 1 FROM bookings b WHERE b.service_id = s.id AND b.created_at >= $1)
                ORDER BY s.display_order, s.id
                """, values: [.timestamp(w.last30DaysStart)]))
    }
}

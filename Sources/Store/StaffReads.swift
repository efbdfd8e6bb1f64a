import Foundation
import Postgres

/// A person as staff screens name them.
public struct PersonName: Sendable, Equatable {
    public let id: Int64
    public let firstName: String
    public let lastName: String?
    public let username: String?

    /// First and last name as Telegram gives them.
    public var fullName: String {
        guard let lastName, !lastName.isEmpty else { return firstName }
        return firstName.isEmpty ? lastName : "\(firstName) \(lastName)"
    }
}

/// A booking with its client and, when cancelled, who cancelled it.
public struct StaffBookingRow: Sendable, Equatable {
    public let record: BookingRecord
    public let client: PersonName
    /// Nil unless cancelled by someone the bot knows.
    public let canceller: PersonName?
}

/// A client and their completed visits.
public struct ClientVisitCount: Sendable, Equatable {
    public let client: PersonName
    public let completed: Int
}

/// The staff's reads over bookings and clients (the schedule, a booking's card, the
/// clients screen). Read only; every list is bounded by the caller's limit.
public struct StaffReads {
    private let db: PostgresConnection

    public init(connection: PostgresConnection) {
        self.db = connection
    }

    /// Bookings starting in `from..<to` that are not cancelled, in time order.
    public func bookings(startingFrom from: Date, to: Date, limit: Int) throws -> [StaffBookingRow] {
        try rows(where: "status <> 'cancelled' AND lower(during) >= $1 AND lower(during) < $2", order: .soonestFirst,
                 [.timestamp(from), .timestamp(to), .int(Int64(limit))])
    }

    /// Confirmed bookings overlapping `from..<to` (by interval), in time order.
    public func confirmedBookings(overlapping from: Date, to: Date, limit: Int) throws -> [StaffBookingRow] {
        try rows(where: "status = 'confirmed' AND during && tstzrange($1, $2, '[)')", order: .soonestFirst,
                 [.timestamp(from), .timestamp(to), .int(Int64(limit))])
    }

    public func booking(_ id: Int64) throws -> StaffBookingRow? {
        try rows(where: "id = $1", order: .soonestFirst, [.int(id), .int(1)]).first
    }

    /// A client's bookings of every status, the latest start first.
    public func bookings(ofClient client: Int64, limit: Int) throws -> [StaffBookingRow] {
        try rows(where: "user_id = $1", order: .latestFirst, [.int(client), .int(Int64(limit))])
    }

    /// The clients with the most completed visits (ties: the lower id first).
    public func topClients(limit: Int) throws -> [ClientVisitCount] {
        try db.query("""
            SELECT u.id, u.first_name, u.last_name, u.username, count(*) AS n
            FROM bookings b JOIN users u ON u.id = b.user_id
            WHERE b.status = 'completed'
            GROUP BY u.id ORDER BY n DESC, u.id LIMIT $1
            """, [.int(Int64(limit))]).map { ClientVisitCount(client: try Self.person($0, prefix: ""), completed: try $0.get("n")) }
    }

    public func person(id: Int64) throws -> PersonName? {
        try db.query("SELECT id, first_name, last_name, username FROM users WHERE id = $1", [.int(id)]).first
            .map { try Self.person($0, prefix: "") }
    }

    /// By Telegram username, case-insensitively (the `users_username` index); the lowest
    /// id when an old username lingers on someone else's row.
    public func person(username: String) throws -> PersonName? {
        try db.query("""
            SELECT id, first_name, last_name, username FROM users WHERE lower(username) = lower($1) ORDER BY id LIMIT 1
            """, [.text(username)]).first.map { try Self.person($0, prefix: "") }
    }

    // MARK: Pieces

    private enum Order {
        case soonestFirst, latestFirst

        /// Inside the bookings' subquery, then over its rows.
        var inner: String { self == .soonestFirst ? "lower(during), id" : "lower(during) DESC, id DESC" }
        var outer: String { self == .soonestFirst ? "b.starts_at, b.id" : "b.starts_at DESC, b.id DESC" }
    }

    /// `filter` is one of this file's constants; the values are parameters ($1, $2, …, the
    /// last one the limit).
    private func rows(where filter: String, order: Order, _ values: [PostgresValue]) throws -> [StaffBookingRow] {
        try db.query("""
            SELECT b.*, u.id AS c_id, u.first_name AS c_first_name, u.last_name AS c_last_name, u.username AS c_username,
                   x.id AS x_id, x.first_name AS x_first_name, x.last_name AS x_last_name, x.username AS x_username
            FROM (SELECT \(BookingRecord.columns) FROM bookings WHERE \(filter) ORDER BY \(order.inner) LIMIT $\(values.count)) AS b
            JOIN users u ON u.id = b.user_id
            LEFT JOIN users x ON x.id = b.cancelled_by
            ORDER BY \(order.outer)
            """, values).map { row in
            let cancellerID: Int64? = try row.get("x_id")
            return StaffBookingRow(record: try BookingRecord(row: row), client: try Self.person(row, prefix: "c_"),
                                   canceller: try cancellerID.map { _ in try Self.person(row, prefix: "x_") })
        }
    }

    private static func person(_ row: PostgresRow, prefix: String) throws -> PersonName {
        PersonName(id: try row.get("\(prefix)id"), firstName: try row.get("\(prefix)first_name"),
                   lastName: try row.get("\(prefix)last_name"), username: try row.get("\(prefix)username"))
    }
}

import Foundation
import Postgres

/// One booking as the bookings export writes it, with its client's and canceller's names
/// as last seen.
public struct BookingExportRow: Sendable, Equatable {
    public let id: Int64
    public let start: Date
    public let end: Date
    public let service: String
    public let priceText: String
    public let clientID: Int64
    public let clientFirstName: String?
    public let clientLastName: String?
    public let clientUsername: String?
    /// `confirmed`, `cancelled`, `completed` or `no_show`.
    public let status: String
    public let cancelledBy: Int64?
    public let cancelledByName: String?
    public let cancelReason: String?
    public let createdAt: Date

    public init(id: Int64, start: Date, end: Date, service: String, priceText: String, clientID: Int64, clientFirstName: String?,
                clientLastName: String?, clientUsername: String?, status: String, cancelledBy: Int64?, cancelledByName: String?,
                cancelReason: String?, createdAt: Date) {
        self.id = id
        self.start = start
        self.end = end
        self.service = service
        self.priceText = priceText
        self.clientID = clientID
        self.clientFirstName = clientFirstName
        self.clientLastName = clientLastName
        self.clientUsername = clientUsername
        self.status = status
        self.cancelledBy = cancelledBy
        self.cancelledByName = cancelledByName
        self.cancelReason = cancelReason
        self.createdAt = createdAt
    }
}

/// The bookings export's reads (SPEC admin 13): bookings of every status whose start lies
/// in `[from, to)`.
public struct BookingExportStore {
    private let db: PostgresConnection

    public init(connection: PostgresConnection) {
        self.db = connection
    }

    public func count(from: Date, to: Date) throws -> Int {
        try db.query("SELECT count(*) AS n FROM bookings WHERE lower(during) >= $1 AND lower(during) < $2",
                     [.timestamp(from), .timestamp(to)])[0].get("n")
    }

    /// The first `limit` bookings by start, and how many the range holds in all: one
    /// bounded read however many there are.
    public func rows(from: Date, to: Date, limit: Int) throws -> (rows: [BookingExportRow], total: Int) {
        let total = try count(from: from, to: to)
        let rows = try db.query("""
            SELECT b.id, lower(b.during) AS start_at, upper(b.during) AS end_at, s.name AS service, s.price_text, b.user_id,
                   u.first_name, u.last_name, u.username, b.status, b.cancelled_by, c.first_name AS cancelled_by_name,
                   b.cancel_reason, b.created_at
            FROM bookings b
            JOIN services s ON s.id = b.service_id
            LEFT JOIN users u ON u.id = b.user_id
            LEFT JOIN users c ON c.id = b.cancelled_by
            WHERE lower(b.during) >= $1 AND lower(b.during) < $2
            ORDER BY lower(b.during), b.id
            LIMIT $3
            """, [.timestamp(from), .timestamp(to), .int(Int64(limit))]).map { row in
            BookingExportRow(id: try row.get("id"), start: try row.get("start_at"), end: try row.get("end_at"), service: try row.get("service"),
                             priceText: try row.get("price_text"), clientID: try row.get("user_id"), clientFirstName: try row.get("first_name"),
                             clientLastName: try row.get("last_name"), clientUsername: try row.get("username"), status: try row.get("status"),
                             cancelledBy: try row.get("cancelled_by"), cancelledByName: try row.get("cancelled_by_name"),
                             cancelReason: try row.get("cancel_reason"), createdAt: try row.get("created_at"))
        }
        return (rows, total)
    }
}

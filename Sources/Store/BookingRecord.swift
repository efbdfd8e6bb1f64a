import Booking
import Foundation
import Postgres

public enum BookingStatus: String, Sendable, Codable {
    case confirmed
    case cancelled
    case completed
    case noShow = "no_show"
}

/// One row of `bookings`.
public struct BookingRecord: Sendable, Equatable {
    public let id: Int64
    public let clientID: Int64
    public let serviceID: Int64
    public let resourceID: Int64
    public let range: TimeRange
    public let durationMinutes: Int
    public let status: BookingStatus
    public let cancelledAt: Date?
    public let cancelledBy: Int64?
    public let cancelReason: String?

    /// The columns `init(row:)` reads, for SELECT and RETURNING lists.
    static let columns = """
        id, user_id, service_id, resource_id, lower(during) AS starts_at, upper(during) AS ends_at,
        duration_minutes, status, cancelled_at, cancelled_by, cancel_reason
        """

    init(row: PostgresRow) throws {
        id = try row.get("id")
        clientID = try row.get("user_id")
        serviceID = try row.get("service_id")
        resourceID = try row.get("resource_id")
        range = TimeRange(start: try row.get("starts_at"), end: try row.get("ends_at"))
        durationMinutes = try row.get("duration_minutes")
        guard let status = BookingStatus(rawValue: try row.get("status")) else {
            throw PostgresError.decoding("bookings.status holds an unknown value")
        }
        self.status = status
        cancelledAt = try row.get("cancelled_at")
        cancelledBy = try row.get("cancelled_by")
        cancelReason = try row.get("cancel_reason")
    }
}

/// What a booking transaction decided.
public enum BookingOutcome<Value: Sendable>: Sendable {
    case done(Value)
    /// A rule said no; nothing was written.
    case refused(BookingRefusal)
    /// No such booking, or not this client's (a forged button looks the same).
    case notFound
    /// The booking is no longer confirmed (already cancelled, completed or a no-show).
    case notConfirmed(BookingStatus)

    public var value: Value? {
        if case .done(let value) = self { return value }
        return nil
    }

    public var refusal: BookingRefusal? {
        if case .refused(let refusal) = self { return refusal }
        return nil
    }
}

/// A booking before and after a move.
public struct Move: Sendable, Equatable {
    public let before: BookingRecord
    public let after: BookingRecord
}

/// A block and the bookings it cancelled (their clients are to be told).
public struct BlockResult: Sendable, Equatable {
    public let blockID: Int64
    public let cancelled: [BookingRecord]
}

/// Who does something, as the store records it.
public struct Actor: Sendable, Equatable {
    public let id: Int64
    public let role: BookingActor

    public static func client(_ id: Int64) -> Actor { Actor(id: id, role: .client) }
    public static func admin(_ id: Int64) -> Actor { Actor(id: id, role: .admin) }
}

import Booking
import Foundation
import Texts

/// A service as the flows know it.
public struct BookableService: Sendable, Equatable {
    public var id: Int64
    public var name: String
    public var durationMinutes: Int
    /// The admin's price text; empty when none is shown.
    public var price: String
    public var description: String
    /// Active and not archived: it can be booked now.
    public var bookable: Bool

    public init(id: Int64, name: String, durationMinutes: Int, price: String, description: String = "", bookable: Bool = true) {
        self.id = id
        self.name = name
        self.durationMinutes = durationMinutes
        self.price = price
        self.description = description
        self.bookable = bookable
    }

    public var info: ServiceInfo {
        ServiceInfo(name: name, durationMinutes: durationMinutes, price: price, description: description)
    }
}

/// One confirmed booking, as its client sees it.
public struct ClientBooking: Sendable, Equatable {
    public var id: Int64
    public var service: BookableService
    public var start: Date
    /// The length it was booked with (a later change of the service does not alter it).
    public var durationMinutes: Int
    /// Whose booking it is, when the store said (a staff change's audit row names them).
    public var clientID: Int64?

    public init(id: Int64, service: BookableService, start: Date, durationMinutes: Int, clientID: Int64? = nil) {
        self.id = id
        self.service = service
        self.start = start
        self.durationMinutes = durationMinutes
        self.clientID = clientID
    }

    public var range: TimeRange { TimeRange(start: start, minutes: durationMinutes) }
}

/// One row of the audit log, as the audit screen reads it.
public struct AuditRecord: Sendable, Equatable {
    public var time: Date
    public var actorID: Int64
    /// The actor's name and username as last seen (nil when they never wrote to the bot).
    public var actorName: String?
    public var actorUsername: String?
    /// `audit_log.action`, `target` and `details` (JSON) as stored.
    public var action: String
    public var target: String?
    public var details: String
    public var allowed: Bool

    public init(time: Date, actorID: Int64, actorName: String?, actorUsername: String?, action: String, target: String?,
                details: String, allowed: Bool) {
        self.time = time
        self.actorID = actorID
        self.actorName = actorName
        self.actorUsername = actorUsername
        self.action = action
        self.target = target
        self.details = details
        self.allowed = allowed
    }
}

/// A page of the audit log, newest first, and how many entries the log holds.
public struct AuditPage: Sendable, Equatable {
    public var records: [AuditRecord]
    public var total: Int

    public init(records: [AuditRecord], total: Int) {
        self.records = records
        self.total = total
    }
}

// MARK: Schedule

/// Where a booking stands.
public enum BookingState: String, Sendable, Equatable, CaseIterable {
    case confirmed
    case cancelled
    case completed
    case noShow = "no_show"
}

/// One booking as staff see it: any status, with its client and, when cancelled, by whom
/// and why.
public struct StaffBooking: Sendable, Equatable {
    public var booking: ClientBooking
    public var client: ClientInfo
    public var state: BookingState
    /// Who cancelled it (the client, or a staff member) and why; nil unless cancelled.
    public var cancelledBy: ClientInfo?
    public var cancelReason: String?

    public init(booking: ClientBooking, client: ClientInfo, state: BookingState, cancelledBy: ClientInfo? = nil,
                cancelReason: String? = nil) {
        self.booking = booking
        self.client = client
        self.state = state
        self.cancelledBy = cancelledBy
        self.cancelReason = cancelReason
    }

    public var id: Int64 { booking.id }
    public var start: Date { booking.start }
}

/// How a visit went, as staff mark it once it has begun.
public enum VisitOutcome: String, Sendable, Equatable, CaseIterable {
    case completed
    case noShow = "no_show"
}

// MARK: Clients

/// The clients screen's figures. A client is a person who ever made a booking (whatever
/// became of it): registered users who never booked are not counted.
public struct ClientsOverview: Sendable, Equatable {
    public var total: Int
    /// Clients whose first booking was made since the given instant.
    public var newSince: Int
    /// The most completed visits first (ties: the earlier client first); only clients with one or more.
    public var top: [ClientVisits]

    public init(total: Int, newSince: Int, top: [ClientVisits]) {
        self.total = total
        self.newSince = newSince
        self.top = top
    }
}

public struct ClientVisits: Sendable, Equatable {
    public var client: ClientInfo
    public var completed: Int

    public init(client: ClientInfo, completed: Int) {
        self.client = client
        self.completed = completed
    }
}

/// How staff look a client up.
public enum ClientKey: Sendable, Equatable {
    case id(Int64)
    /// Without the "@", compared case-insensitively.
    case username(String)
}

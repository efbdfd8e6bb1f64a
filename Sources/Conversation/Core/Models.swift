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

    public init(id: Int64, service: BookableService, start: Date, durationMinutes: Int) {
        self.id = id
        self.service = service
        self.start = start
        self.durationMinutes = durationMinutes
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

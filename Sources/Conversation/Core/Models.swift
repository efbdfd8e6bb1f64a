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

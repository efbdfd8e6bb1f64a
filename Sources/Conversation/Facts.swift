import Booking
import Foundation
import Texts

/// A service as the booking flow knows it.
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

/// One confirmed booking of the person talking to the bot.
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

/// What the store must read for one update, so that no update pays for facts it does
/// not use. `Dialogue.plan` says it before the transaction reads anything.
public struct FactNeeds: Sendable, Equatable {
    /// How many bookings the person ever made (the welcome back).
    public var profile = false
    /// Every bookable service, in the admin's order (the service list, About).
    public var services = false
    /// One service by id, whatever its state.
    public var service: Int64?
    /// The person's upcoming bookings and past visits (My bookings, the n/limit counter).
    public var clientBookings = false
    /// One booking, only if it is this person's and still confirmed.
    public var booking: Int64?
    /// What is taken on these local days (bookings and blocks).
    public var days: ClosedRange<LocalDate>?
    /// Leave this booking out of `days`' occupancy: a booking being moved never
    /// conflicts with itself.
    public var occupancyExcluding: Int64?

    public init() {}
}

/// A change to the calendar the dialogue asks for. The store decides, at commit time and
/// with every rule, whether it happens; `Facts.outcome` says what it decided.
public enum BookingIntent: Sendable, Equatable {
    case book(service: Int64, start: Date)
    case cancel(booking: Int64)
    case move(booking: Int64, start: Date)
    /// Stars for a visit (the store checks: this client's, over, not yet rated).
    case rate(booking: Int64, stars: Int)
    /// The optional comment after the stars.
    case comment(booking: Int64, text: String)
}

/// What the store said to a rating.
public enum RatingResult: Sendable, Equatable {
    case saved
    case alreadyReviewed
    /// The visit has not taken place (yet).
    case notYet
    case notFound
}

/// What the store did with a `BookingIntent`.
public enum IntentOutcome: Sendable, Equatable {
    case booked(ClientBooking)
    case cancelled(ClientBooking)
    case moved(from: ClientBooking, to: ClientBooking)
    case refused(BookingRefusal)
    /// No such booking of this person, or no longer confirmed.
    case notFound
    case rated(RatingResult)
    /// The comment was kept (false: there was no review waiting for one).
    case commented(Bool)
}

/// What the store knows that the dialogue needs, read in the update's transaction after
/// the intent (if any) was carried out, so the screens show the calendar as it now is.
/// Fields that `FactNeeds` did not ask for are empty.
public struct Facts: Sendable {
    public var isNewUser: Bool
    /// Confirmed and completed bookings the person ever made.
    public var bookingsMade: Int
    /// The rules in force (settings over defaults).
    public var rules: BookingRules
    /// The address stored in settings, if an admin set one.
    public var serviceLocation: String?
    /// Bookable services, in the admin's order.
    public var services: [BookableService]
    /// The service `FactNeeds.service` named; nil when it does not exist.
    public var service: BookableService?
    /// Confirmed bookings that have not started, soonest first.
    public var upcoming: [ClientBooking]
    /// Visits that took place (completed).
    public var pastVisits: Int
    /// The booking `FactNeeds.booking` named, when it is this person's and confirmed.
    public var booking: ClientBooking?
    /// What is taken on the days `FactNeeds.days` named.
    public var occupancy: Occupancy
    /// The store's decision on the plan's intent.
    public var outcome: IntentOutcome?

    public init(isNewUser: Bool = false, bookingsMade: Int = 0, rules: BookingRules, serviceLocation: String? = nil,
                services: [BookableService] = [], service: BookableService? = nil, upcoming: [ClientBooking] = [],
                pastVisits: Int = 0, booking: ClientBooking? = nil, occupancy: Occupancy = .empty, outcome: IntentOutcome? = nil) {
        self.isNewUser = isNewUser
        self.bookingsMade = bookingsMade
        self.rules = rules
        self.serviceLocation = serviceLocation
        self.services = services
        self.service = service
        self.upcoming = upcoming
        self.pastVisits = pastVisits
        self.booking = booking
        self.occupancy = occupancy
        self.outcome = outcome
    }
}

/// What the dialogue wants read and done for one update.
public struct Plan: Sendable, Equatable {
    public var needs: FactNeeds
    public var intent: BookingIntent?

    public init(needs: FactNeeds = FactNeeds(), intent: BookingIntent? = nil) {
        self.needs = needs
        self.intent = intent
    }
}

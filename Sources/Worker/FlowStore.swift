import Booking
import Conversation
import Foundation
import Postgres
import Store

/// The flows' reads and changes against PostgreSQL, inside the update's transaction.
/// Changes reach it only through `ChangeRunner`; the stores check every rule at commit.
struct FlowStore: StoreReads, StoreChanges {
    let db: PostgresConnection
    let defaults: BookingRules
    /// The rules in force for this update (settings over defaults).
    let rules: BookingRules
    let now: Date

    private var bookings: BookingStore { BookingStore(connection: db, defaults: defaults) }
    private var services: ServiceStore { ServiceStore(connection: db) }

    // MARK: Reads

    func bookingsMade(by person: Int64) throws -> Int {
        try bookings.count(of: person, statuses: [.confirmed, .completed])
    }

    func bookableServices() throws -> [BookableService] {
        try services.bookable().map(BookableService.init)
    }

    func service(_ id: Int64) throws -> BookableService? {
        try services.service(id).map(BookableService.init)
    }

    func upcomingBookings(of person: Int64) throws -> [ClientBooking] {
        try clientBookings(bookings.upcomingBookings(of: person, now: now))
    }

    func pastVisits(of person: Int64) throws -> Int {
        try bookings.count(of: person, statuses: [.completed])
    }

    func confirmedBooking(_ id: Int64, of person: Int64) throws -> ClientBooking? {
        guard let booking = try bookings.booking(id), booking.clientID == person, booking.status == .confirmed else { return nil }
        return try clientBookings([booking]).first
    }

    func occupancy(days: ClosedRange<LocalDate>, excluding booking: Int64?) throws -> Occupancy {
        let range = TimeRange(start: rules.clock.startOfDay(days.lowerBound), end: rules.clock.startOfDay(days.upperBound.adding(days: 1)))
        return try bookings.occupancy(around: range, excluding: booking)
    }

    // MARK: Changes

    func book(service: Int64, start: Date, client: Int64, by actor: Conversation.Actor) throws -> ChangeResult<ClientBooking> {
        try result(bookings.create(client: client, service: service, start: start, by: storeActor(actor), now: now)) {
            try clientBookings([$0])[0]
        }
    }

    func cancel(booking: Int64, by actor: Conversation.Actor, reason: String?) throws -> ChangeResult<ClientBooking> {
        try result(bookings.cancel(booking: booking, by: storeActor(actor), reason: reason, now: now)) { try clientBookings([$0])[0] }
    }

    func move(booking: Int64, to start: Date, by actor: Conversation.Actor) throws -> ChangeResult<BookingMove> {
        try result(bookings.reschedule(booking: booking, to: start, by: storeActor(actor), now: now)) {
            let both = try clientBookings([$0.before, $0.after])
            return BookingMove(from: both[0], to: both[1])
        }
    }

    func rate(booking: Int64, by client: Int64, stars: Int) throws -> RatingOutcome {
        try ReviewStore(connection: db).rate(booking: booking, by: client, stars: stars, now: now)
    }

    func comment(booking: Int64, by client: Int64, text: String) throws -> Bool {
        try ReviewStore(connection: db).comment(booking: booking, by: client, text: text, now: now)
    }

    // MARK: Mapping

    /// Staff act as the business (any booking, the staff rules); anyone else as a client on
    /// their own bookings.
    private func storeActor(_ actor: Conversation.Actor) -> Store.Actor {
        actor.role == .client ? .client(actor.id) : .admin(actor.id)
    }

    private func result<Value, Shown>(_ outcome: BookingOutcome<Value>, done: (Value) throws -> Shown) throws -> ChangeResult<Shown> {
        switch outcome {
        case .done(let value): return .done(try done(value))
        case .refused(let refusal): return .refused(refusal)
        case .notFound, .notConfirmed: return .notFound
        }
    }

    /// Bookings as their client sees them; their services are read in one query.
    private func clientBookings(_ records: [BookingRecord]) throws -> [ClientBooking] {
        let services = try services.services(ids: Set(records.map(\.serviceID)))
        return try records.map { record in
            guard let service = services[record.serviceID] else {
                throw PostgresError.decoding("booking \(record.id) names a missing service")
            }
            return ClientBooking(id: record.id, service: BookableService(service), start: record.range.start,
                                 durationMinutes: record.durationMinutes)
        }
    }
}

extension BookableService {
    init(_ record: ServiceRecord) {
        self.init(id: record.id, name: record.name, durationMinutes: record.durationMinutes, price: record.priceText,
                  description: record.description, bookable: record.active && !record.archived)
    }
}

import Booking
import Conversation
import Foundation
import Postgres
import Store

/// Reads, inside the update's transaction, the facts a `Plan` asks for, and carries out
/// its booking intent through `BookingStore` (which checks every rule at commit time).
struct FactsReader {
    let db: PostgresConnection
    let defaults: BookingRules

    /// The intent's outcome, as the dialogue reads it.
    func carryOut(_ intent: BookingIntent, client: Int64, now: Date) throws -> IntentOutcome {
        let store = BookingStore(connection: db, defaults: defaults)
        switch intent {
        case .book(let service, let start):
            return try outcome(store.create(client: client, service: service, start: start, by: .client(client), now: now)) {
                .booked(try clientBooking($0))
            }
        case .cancel(let booking):
            return try outcome(store.cancel(booking: booking, by: .client(client), reason: nil, now: now)) {
                .cancelled(try clientBooking($0))
            }
        case .move(let booking, let start):
            return try outcome(store.reschedule(booking: booking, to: start, by: .client(client), now: now)) {
                let both = try clientBookings([$0.before, $0.after])
                return .moved(from: both[0], to: both[1])
            }
        case .rate(let booking, let stars):
            switch try ReviewStore(connection: db).rate(booking: booking, by: client, stars: stars, now: now) {
            case .saved: return .rated(.saved)
            case .alreadyReviewed: return .rated(.alreadyReviewed)
            case .notYet: return .rated(.notYet)
            case .notFound: return .rated(.notFound)
            }
        case .comment(let booking, let text):
            return .commented(try ReviewStore(connection: db).comment(booking: booking, by: client, text: text, now: now))
        }
    }

    func read(_ needs: FactNeeds, person: Int64, isNewUser: Bool, outcome: IntentOutcome?, now: Date) throws -> Facts {
        let settings = SettingsStore(connection: db)
        let bookings = BookingStore(connection: db, defaults: defaults)
        let services = ServiceStore(connection: db)
        let (rules, location) = try settings.inForce(defaults: defaults)
        var facts = Facts(isNewUser: isNewUser, rules: rules, serviceLocation: location, outcome: outcome)
        if needs.profile {
            facts.bookingsMade = try bookings.count(of: person, statuses: [.confirmed, .completed])
        }
        if needs.services {
            facts.services = try services.bookable().map(BookableService.init)
        }
        if let id = needs.service {
            facts.service = try services.service(id).map(BookableService.init)
        }
        if needs.clientBookings {
            facts.upcoming = try clientBookings(bookings.upcomingBookings(of: person, now: now))
            facts.pastVisits = try bookings.count(of: person, statuses: [.completed])
        }
        if let id = needs.booking, let booking = try bookings.booking(id), booking.clientID == person, booking.status == .confirmed {
            facts.booking = try clientBooking(booking)
        }
        if let days = needs.days {
            let range = TimeRange(start: rules.clock.startOfDay(days.lowerBound), end: rules.clock.startOfDay(days.upperBound.adding(days: 1)))
            facts.occupancy = try bookings.occupancy(around: range, excluding: needs.occupancyExcluding)
        }
        return facts
    }

    private func outcome<Value>(_ result: BookingOutcome<Value>, done: (Value) throws -> IntentOutcome) throws -> IntentOutcome {
        switch result {
        case .done(let value): return try done(value)
        case .refused(let refusal): return .refused(refusal)
        case .notFound, .notConfirmed: return .notFound
        }
    }

    private func clientBooking(_ record: BookingRecord) throws -> ClientBooking {
        try clientBookings([record])[0]
    }

    /// Bookings as their client sees them; their services are read in one query.
    private func clientBookings(_ records: [BookingRecord]) throws -> [ClientBooking] {
        let services = try ServiceStore(connection: db).services(ids: Set(records.map(\.serviceID)))
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

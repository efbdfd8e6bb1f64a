import Booking
import Conversation
import Foundation
import Postgres
import Store

/// What the flows read, against PostgreSQL inside the update's transaction. It can only
/// read: the changes are another type, reached only through `ChangeRunner`.
struct FlowReads: StoreReads {
    let db: PostgresConnection
    let defaults: BookingRules
    /// The rules in force for this update (settings over defaults).
    let rules: BookingRules
    let now: Date

    private var bookings: BookingStore { BookingStore(connection: db, defaults: defaults) }
    private var services: ServiceStore { ServiceStore(connection: db) }

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

    func auditPage(offset: Int, limit: Int) throws -> AuditPage {
        let page = try AuditLog(connection: db).page(offset: offset, limit: limit)
        return AuditPage(records: page.entries.map { entry in
            AuditRecord(time: entry.time, actorID: entry.actorID, actorName: entry.actorFirstName, actorUsername: entry.actorUsername,
                        action: entry.action, target: entry.target, details: entry.details, allowed: entry.allowed)
        }, total: page.total)
    }

    func occupancy(days: ClosedRange<LocalDate>, excluding booking: Int64?) throws -> Occupancy {
        let range = TimeRange(start: rules.clock.startOfDay(days.lowerBound), end: rules.clock.startOfDay(days.upperBound.adding(days: 1)))
        return try bookings.occupancy(around: range, excluding: booking)
    }

    // MARK: Services

    func allServices() throws -> [StaffService] {
        try services.all().map(StaffService.init)
    }

    func serviceBookings(_ id: Int64) throws -> ServiceBookingCounts {
        let counts = try services.bookingCounts(id, now: now)
        return ServiceBookingCounts(upcoming: counts.upcoming, ever: counts.ever)
    }

    /// Bookings as their client sees them; their services are read in one query.
    func clientBookings(_ records: [BookingRecord]) throws -> [ClientBooking] {
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

extension StaffService {
    init(_ record: ServiceRecord) {
        self.init(id: record.id, fields: ServiceFields(name: record.name, description: record.description,
                                                       durationMinutes: record.durationMinutes, priceText: record.priceText,
                                                       priceCents: record.priceCents),
                  active: record.active, archived: record.archived, displayOrder: record.displayOrder)
    }
}

import Booking
import Foundation

/// What the flows may read, inside the update's transaction. The worker implements it
/// against PostgreSQL; each flow's `Query` composes these into its own typed result.
public protocol StoreReads {
    /// Confirmed and completed bookings the person ever made.
    func bookingsMade(by person: Int64) throws -> Int
    /// Bookable services, in the admin's order.
    func bookableServices() throws -> [BookableService]
    /// One service by id, whatever its state.
    func service(_ id: Int64) throws -> BookableService?
    /// The person's confirmed bookings that have not started, soonest first.
    func upcomingBookings(of person: Int64) throws -> [ClientBooking]
    /// Visits of the person that took place (completed).
    func pastVisits(of person: Int64) throws -> Int
    /// The booking, only if it is this person's and still confirmed.
    func confirmedBooking(_ id: Int64, of person: Int64) throws -> ClientBooking?
    /// What is taken on these local days (bookings and blocks), leaving out `excluding`
    /// (a booking being moved never conflicts with itself).
    func occupancy(days: ClosedRange<LocalDate>, excluding booking: Int64?) throws -> Occupancy
    /// `limit` entries of the audit log from `offset`, newest first.
    func auditPage(offset: Int, limit: Int) throws -> AuditPage

    // MARK: Services
    /// Every service: the ones in use (active or not) in display order, then the archived.
    func allServices() throws -> [StaffService]
    /// The bookings that name this service.
    func serviceBookings(_ id: Int64) throws -> ServiceBookingCounts
}

/// What the flows may change. Every change is run by the worker's change runner, which
/// re-checks the actor's access inside the transaction and writes the audit row; the
/// store decides at commit time, with every rule, whether it happens.
public protocol StoreChanges {
    func book(service: Int64, start: Date, client: Int64, by actor: ChangeActor) throws -> ChangeResult<ClientBooking>
    func cancel(booking: Int64, by actor: ChangeActor, reason: String?) throws -> ChangeResult<ClientBooking>
    func move(booking: Int64, to start: Date, by actor: ChangeActor) throws -> ChangeResult<BookingMove>
    /// Stars for a visit (the store checks: this client's, over, not yet rated).
    func rate(booking: Int64, by client: Int64, stars: Int) throws -> RatingOutcome
    /// The optional comment after the stars; false when no review waited for one.
    func comment(booking: Int64, by client: Int64, text: String) throws -> Bool

    // MARK: Services
    /// A new service, last in the order (refused: `nameTaken`).
    func createService(_ fields: ServiceFields) throws -> ServiceResult
    /// Every field of a service in use at once (refused: `notFound`, `archived`, `nameTaken`).
    func updateService(_ id: Int64, _ fields: ServiceFields) throws -> ServiceResult
    func setServiceActive(_ id: Int64, _ active: Bool) throws -> ServiceResult
    /// Out of use for good, its rows kept: only a service that was ever booked.
    func archiveService(_ id: Int64) throws -> ServiceResult
    /// Back in use, inactive, last in the order (refused: `nameTaken` when its name is in use again).
    func restoreService(_ id: Int64) throws -> ServiceResult
    /// Gone: only a service never booked, decided in the one statement that deletes it.
    func deleteService(_ id: Int64) throws -> ServiceResult
    /// Swaps the service with its neighbour in the order.
    func moveService(_ id: Int64, _ direction: ServiceMove) throws -> ServiceResult
}

/// Who makes a change, as the store's rules see them.
public struct ChangeActor: Sendable, Equatable {
    public var id: Int64
    public var role: Role

    public init(id: Int64, role: Role) {
        self.id = id
        self.role = role
    }
}

/// What the store decided on a booking change.
public enum ChangeResult<Value: Sendable & Equatable>: Sendable, Equatable {
    case done(Value)
    case refused(BookingRefusal)
    /// No such booking visible to the actor, or no longer confirmed.
    case notFound
}

/// A booking before and after a move.
public struct BookingMove: Sendable, Equatable {
    public var from: ClientBooking
    public var to: ClientBooking

    public init(from: ClientBooking, to: ClientBooking) {
        self.from = from
        self.to = to
    }
}

/// A flow's read for one step, with its own typed result.
public protocol FlowQuery: Sendable {
    associatedtype Result: Sendable
    func read(from store: any StoreReads) throws -> Result
}

/// A flow's change for one step, with its own typed outcome and the audit entry it
/// leaves when staff make it.
public protocol FlowChange: Sendable {
    associatedtype Outcome: Sendable
    /// What the audit log records of this change: given its outcome when it ran, nil when
    /// it was refused for lack of access (then the attempt is recorded). Nil for a
    /// client's own change, which is not audited; a staff flow's change that names none
    /// is recorded as a step of its flow.
    func audit(of outcome: Outcome?) -> AuditAction?
    func apply(to store: any StoreChanges, by actor: ChangeActor) throws -> Outcome
}

/// A step that reads nothing.
public struct NoQuery: FlowQuery {
    public init() {}
    public func read(from store: any StoreReads) throws {}
}

/// A flow that changes nothing.
public enum NoChange: FlowChange {
    public func audit(of outcome: Void?) -> AuditAction? { nil }
    public func apply(to store: any StoreChanges, by actor: ChangeActor) throws {}
}

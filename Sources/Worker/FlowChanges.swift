import Booking
import Conversation
import Foundation
import Postgres
import Store

/// What the flows change, through the Store's repositories (which check every rule at
/// commit time). Only `ChangeRunner` holds one, after it checked the actor's access.
struct FlowChanges: StoreChanges {
    let reads: FlowReads

    private var db: PostgresConnection { reads.db }
    private var now: Date { reads.now }
    private var bookings: BookingStore { BookingStore(connection: db, defaults: reads.defaults) }

    func book(service: Int64, start: Date, client: Int64, by actor: ChangeActor) throws -> ChangeResult<ClientBooking> {
        try result(bookings.create(client: client, service: service, start: start, by: storeActor(actor), now: now)) {
            try reads.clientBookings([$0])[0]
        }
    }

    func cancel(booking: Int64, by actor: ChangeActor, reason: String?) throws -> ChangeResult<ClientBooking> {
        try result(bookings.cancel(booking: booking, by: storeActor(actor), reason: reason, now: now)) { try reads.clientBookings([$0])[0] }
    }

    func move(booking: Int64, to start: Date, by actor: ChangeActor) throws -> ChangeResult<BookingMove> {
        try result(bookings.reschedule(booking: booking, to: start, by: storeActor(actor), now: now)) {
            let both = try reads.clientBookings([$0.before, $0.after])
            return BookingMove(from: both[0], to: both[1])
        }
    }

    func rate(booking: Int64, by client: Int64, stars: Int) throws -> RatingOutcome {
        try ReviewStore(connection: db).rate(booking: booking, by: client, stars: stars, now: now)
    }

    func comment(booking: Int64, by client: Int64, text: String) throws -> Bool {
        try ReviewStore(connection: db).comment(booking: booking, by: client, text: text, now: now)
    }

    // MARK: Schedule

    func closeVisit(booking: Int64, as outcome: VisitOutcome, by actor: ChangeActor) throws -> ChangeResult<ClientBooking> {
        let status: BookingStatus = outcome == .completed ? .completed : .noShow
        return try result(bookings.closeVisit(booking: booking, as: status, by: storeActor(actor), now: now)) {
            try reads.clientBookings([$0])[0]
        }
    }

    // MARK: Mapping

    /// Staff act as the business (any booking, the staff rules); anyone else as a client on
    /// their own bookings.
    private func storeActor(_ actor: ChangeActor) -> Store.Actor {
        actor.role == .client ? .client(actor.id) : .admin(actor.id)
    }

    private func result<Value, Shown>(_ outcome: BookingOutcome<Value>, done: (Value) throws -> Shown) throws -> ChangeResult<Shown> {
        switch outcome {
        case .done(let value): return .done(try done(value))
        case .refused(let refusal): return .refused(refusal)
        case .notFound, .notConfirmed: return .notFound
        }
    }
}

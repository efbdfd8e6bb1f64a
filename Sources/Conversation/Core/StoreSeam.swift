import Booking
import Foundation
import Texts

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

    // MARK: Notifications

    /// Which booking notices the person takes (empty for someone who is not staff).
    func notices(of person: Int64) throws -> [NoticeKind: Bool]

    // MARK: Dashboard

    /// The dashboard's figures, counted between the window's instants.
    func dashboard(_ window: DashboardWindow) throws -> DashboardFigures

    // MARK: Settings

    /// Confirmed bookings not yet started on these weekdays that lie outside `hours` (all
    /// of them when nil: a day off), per local day, soonest first: what a change of work
    /// hours would leave stranded.
    func bookingsOutside(hours: DayHours?, on weekdays: Set<Weekday>) throws -> [StrandedDay]

    // MARK: Schedule

    /// Bookings starting in `from..<to` that are not cancelled, in time order (at most `limit`).
    func staffBookings(from: Date, to: Date, limit: Int) throws -> [StaffBooking]
    /// One booking, whatever its status and whoever's it is.
    func staffBooking(_ id: Int64) throws -> StaffBooking?

    // MARK: Clients

    /// Clients in total, those new since `newSince`, and the `top` by completed visits.
    func clientsOverview(newSince: Date, top: Int) throws -> ClientsOverview
    /// A registered person by id or username (nil: nobody).
    func findClient(_ key: ClientKey) throws -> ClientInfo?
    /// A client's bookings of every status, the latest start first (at most `limit`).
    func bookings(ofClient client: Int64, limit: Int) throws -> [StaffBooking]

    // MARK: Services
    /// Every service: the ones in use (active or not) in display order, then the archived.
    func allServices() throws -> [StaffService]
    /// The bookings that name this service.
    func serviceBookings(_ id: Int64) throws -> ServiceBookingCounts

    // MARK: Mass changes

    /// The window's confirmed bookings not yet started, and where a shift by `minutes`
    /// (range-checked by the caller) would put them, with every conflict; nothing changes.
    func shiftPreview(_ window: ShiftWindow, minutes: Int) throws -> ShiftPreview
    /// A service's confirmed bookings not yet started, in time order.
    func futureBookings(ofService id: Int64) throws -> [StaffBooking]
    // MARK: Admins

    /// The owners (`ADMIN_IDS`), then the staff added in the bot: super admins, then
    /// moderators, each by when they were added.
    func staffMembers() throws -> [StaffMember]
    /// One of them (nil: neither an owner nor staff added in the bot).
    func staffMember(_ id: Int64) throws -> StaffMember?

    // MARK: Bookings export

    /// Bookings of any status starting on these local days (both included).
    func bookingsCount(from: LocalDate, to: LocalDate) throws -> Int
    // MARK: Blocking

    /// Blocks not yet over (ongoing and future), soonest first: `limit` from `offset`.
    func currentBlocks(offset: Int, limit: Int) throws -> BlockPage
    /// One block, whenever it is.
    func block(_ id: Int64) throws -> BlockInfo?
    /// The blocks that overlap the range (a day of the schedule), in time order.
    func blocks(overlapping range: TimeRange) throws -> [BlockInfo]
    /// Confirmed bookings that overlap the range (by interval: one that starts before it
    /// and ends inside counts), in time order (at most `limit`).
    func confirmedBookings(overlapping range: TimeRange, limit: Int) throws -> [StaffBooking]

    // MARK: Field editor

    /// Staff added in the bot (the owners from `ADMIN_IDS` have no row), by id.
    func staffMembers() throws -> [StaffMemberInfo]
    // MARK: Broadcast

    /// Who a broadcast from `sender` would reach now (everyone who has not blocked the bot, the sender left out).
    func broadcastAudience(excluding sender: Int64) throws -> Int
    /// One broadcast's figures so far (nil: none with this id).
    func broadcast(_ id: Int64) throws -> BroadcastFigures?
    /// The latest broadcasts, newest first.
    func recentBroadcasts(limit: Int) throws -> [BroadcastFigures]
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

    // MARK: Notifications

    /// The person's own choice for one kind of booking notice.
    func setNotice(_ kind: NoticeKind, enabled: Bool, for person: Int64) throws

    // MARK: Settings

    /// Makes the change over the values in force (read again, settings changes one at a
    /// time), if the store takes the value; never touches a booking.
    func changeSetting(_ change: SettingChange, by actor: ChangeActor) throws -> SettingChangeResult

    // MARK: Schedule

    /// Staff mark how a visit went (the store checks: confirmed, begun; pending reminders withdrawn).
    func closeVisit(booking: Int64, as outcome: VisitOutcome, by actor: ChangeActor) throws -> ChangeResult<ClientBooking>

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

    // MARK: Mass changes

    /// Shifts the window's bookings by `minutes`, all or none: only if they are exactly
    /// `expected` (the previewed ids) and none conflicts at commit.
    func shiftDay(_ window: ShiftWindow, minutes: Int, expected: [Int64], by actor: ChangeActor) throws -> ShiftResult
    /// Moves every future booking of `from` to `to` (in use, the same length), all or none,
    /// only if they are exactly `expected`.
    func moveServiceBookings(from: Int64, to: Int64, expected: [Int64], by actor: ChangeActor) throws -> ServiceMoveResult
    // MARK: Admins

    /// A registered person becomes staff with `role` (refused: `notRegistered`, `owner`,
    /// `alreadyStaff`, `hourlyLimit` — the actor's additions of the last hour counted in
    /// this transaction, one actor's additions at a time).
    func addStaff(_ person: Int64, role: Role, by actor: ChangeActor) throws -> StaffChangeResult
    /// Moderator ⇄ super admin (refused: `themselves`, `owner`, `notStaff`, `unchanged`, `lastSuperAdmin`).
    func setStaffRole(_ person: Int64, role: Role, by actor: ChangeActor) throws -> StaffChangeResult
    /// No longer staff (refused: `themselves`, `owner`, `notStaff`, `lastSuperAdmin`).
    func removeStaff(_ person: Int64, by actor: ChangeActor) throws -> StaffChangeResult
    // MARK: Blocking

    /// Blocks the range and cancels the confirmed bookings under it, in one transaction,
    /// only if those bookings are exactly `expected` (the preview's); else `.changed`.
    func block(_ range: TimeRange, reason: String, expecting expected: Set<Int64>, by actor: ChangeActor) throws -> BlockingOutcome
    /// Removes a block not yet over; nil when there is none.
    func unblock(_ id: Int64) throws -> BlockInfo?

    // MARK: Field editor

    /// The service, locked until the commit (an edit of one field decides on the others as
    /// they are); nil when there is none.
    func serviceForEdit(_ id: Int64) throws -> StaffService?
    /// A new reason for a block not yet over: the old one, or nil when there is none.
    func setBlockReason(_ id: Int64, _ reason: String) throws -> String?
    /// A staff row's display name: the old one ("" when none), or nil when there is no row.
    func setDisplayName(_ staff: Int64, _ name: String) throws -> String?
    // MARK: Broadcast

    /// A broadcast of `text` (a photo's caption when `photo` is a file id) from the actor,
    /// status 'sending': the reminders process records its recipients and the workers send
    /// it. `language` is the report's.
    func createBroadcast(text: String, photo: String?, language: Language, by actor: ChangeActor) throws -> BroadcastCreated
}

/// A broadcast just confirmed: its id and whom it is for.
public struct BroadcastCreated: Sendable, Equatable {
    public var id: Int64
    public var recipients: Int

    public init(id: Int64, recipients: Int) {
        self.id = id
        self.recipients = recipients
    }
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

extension ChangeResult {
    /// What the audit row says of it: done, or refused by the store and why.
    public var auditOutcome: AuditOutcome {
        switch self {
        case .done: return .done
        case .refused(let refusal): return .refused(refusal.rawValue)
        case .notFound: return .refused("not_found")
        }
    }

    public var value: Value? {
        if case .done(let value) = self { return value }
        return nil
    }
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

import Booking
@testable import Conversation
import Foundation
import Texts

/// The worker's side of one fuzzed update, in memory: reads from the scenario's store,
/// the store's scripted decisions, and the change runner's access check against the role
/// at commit. Records every read, change and refused step, for the invariants.
final class FuzzSession: FlowSession, StoreReads, StoreChanges {
    enum Change {
        case book(start: Date)
        case cancel
        case move(start: Date)
        case rate(stars: Int)
        case comment(String)
        case setting(SettingChange)
        case closeVisit
        /// Only ever the person's own choice.
        case notice(for: Int64)
        /// A service change, with the fields it would write (nil: none).
        case service(ServiceFields?)
        /// A mass shift by these minutes; a service's bookings moved.
        case massShift(minutes: Int)
        case serviceMove
        /// A change of the staff: the person it names.
        case staff(Int64)
        /// A block with its reason; a block removed.
        case block(TimeRange, reason: String)
        case unblock
        /// A field editor's text written to a block or a staff row.
        case fieldText(String)
        case broadcast(text: String, photo: String?)
    }

    let world: StoreWorld
    let person: Int64
    private(set) var readsAsked: [String] = []
    private(set) var changesAsked: [Change] = []
    /// The access of each change the runner allowed (some ask nothing of the store: the
    /// start of an export).
    private(set) var changesRun: [Access] = []
    private(set) var refusals: [AuditAction] = []

    init(_ world: StoreWorld, person: Int64) {
        self.world = world
        self.person = person
    }

    /// Whether the update reached the store at all.
    var touched: Bool { !readsAsked.isEmpty || !changesAsked.isEmpty || !refusals.isEmpty }

    var reads: any StoreReads { self }

    func run<C: FlowChange>(_ change: C, flow: FlowID, access: Access, step: String) throws -> C.Outcome? {
        guard access.allows(world.roleAtCommit) else {
            refusals.append(change.audit(of: nil) ?? .attempt(flow: flow, step: step))
            return nil
        }
        // As the worker's runner: a client flow's change acts as the client, whoever presses it.
        let outcome = try change.apply(to: self, by: ChangeActor(id: person, role: access.isStaff ? world.roleAtCommit : .client))
        _ = change.audit(of: outcome)
        changesRun.append(access)
        return outcome
    }

    func refused(_ attempt: AuditAction) throws {
        refusals.append(attempt)
    }

    // MARK: Reads

    func bookingsMade(by person: Int64) throws -> Int {
        readsAsked.append("bookingsMade")
        return world.bookingsMade
    }

    func bookableServices() throws -> [BookableService] {
        readsAsked.append("bookableServices")
        return world.services.filter(\.bookable)
    }

    func service(_ id: Int64) throws -> BookableService? {
        readsAsked.append("service")
        return world.services.first { $0.id == id }
    }

    func upcomingBookings(of person: Int64) throws -> [ClientBooking] {
        readsAsked.append("upcomingBookings")
        return world.bookings
    }

    func pastVisits(of person: Int64) throws -> Int {
        readsAsked.append("pastVisits")
        return world.pastVisits
    }

    func confirmedBooking(_ id: Int64, of person: Int64) throws -> ClientBooking? {
        readsAsked.append("confirmedBooking")
        return (world.bookings + [world.started].compactMap { $0 }).first { $0.id == id }
    }

    func auditPage(offset: Int, limit: Int) throws -> AuditPage {
        readsAsked.append("auditPage")
        guard limit <= 50 else { fatalError("a step read \(limit) audit entries at once") }
        return AuditPage(records: [], total: 0)
    }

    func dashboard(_ window: DashboardWindow) throws -> DashboardFigures {
        readsAsked.append("dashboard")
        return DashboardFigures(upcoming: world.bookings.count, reviewCount: world.pastVisits, ratingSum: world.pastVisits * 5,
                                revenue: world.services.map { ServiceRevenue(serviceID: $0.id, name: $0.name, visits: 1, priceCents: $0.id) })
    }

    func occupancy(days: ClosedRange<LocalDate>, excluding booking: Int64?) throws -> Occupancy {
        readsAsked.append("occupancy")
        // Days far apart would mean a step that reads more than a month at once.
        guard days.upperBound.dayNumber - days.lowerBound.dayNumber <= 31 else {
            fatalError("a step read \(days.upperBound.dayNumber - days.lowerBound.dayNumber + 1) days at once: \(days)")
        }
        return world.occupancy
    }

    func bookingsOutside(hours: DayHours?, on weekdays: Set<Weekday>) throws -> [StrandedDay] {
        readsAsked.append("bookingsOutside")
        guard weekdays.count <= 7 else { fatalError("more than seven weekdays") }
        return []
    }

    // MARK: Staff reads

    /// The scenario's bookings (and the one that started) as staff see them: the fuzzing person's.
    private var staffView: [StaffBooking] {
        (world.bookings + [world.started].compactMap { $0 }).map {
            StaffBooking(booking: $0, client: ClientInfo(id: person, name: "Fuzz"), state: .confirmed)
        }
    }

    func staffBookings(from: Date, to: Date, limit: Int) throws -> [StaffBooking] {
        readsAsked.append("staffBookings")
        guard to.timeIntervalSince(from) <= 31 * 86_400, limit <= 1000 else { fatalError("a step read too many bookings at once") }
        return Array(staffView.filter { $0.start >= from && $0.start < to }.prefix(limit))
    }

    func staffBooking(_ id: Int64) throws -> StaffBooking? {
        readsAsked.append("staffBooking")
        return staffView.first { $0.id == id }
    }

    func clientsOverview(newSince: Date, top: Int) throws -> ClientsOverview {
        readsAsked.append("clientsOverview")
        return ClientsOverview(total: 1, newSince: 0, top: [])
    }

    func findClient(_ key: ClientKey) throws -> ClientInfo? {
        readsAsked.append("findClient")
        return key == .id(person) ? ClientInfo(id: person, name: "Fuzz") : nil
    }

    func bookings(ofClient client: Int64, limit: Int) throws -> [StaffBooking] {
        readsAsked.append("bookingsOfClient")
        guard limit <= 100 else { fatalError("a step read \(limit) bookings of a client at once") }
        return Array(staffView.filter { $0.client.id == client }.prefix(limit))
    }

    func notices(of person: Int64) throws -> [NoticeKind: Bool] {
        readsAsked.append("notices")
        return [:]
    }

    // MARK: Changes

    func setNotice(_ kind: NoticeKind, enabled: Bool, for person: Int64) throws {
        changesAsked.append(.notice(for: person))
    }

    func changeSetting(_ change: SettingChange, by actor: ChangeActor) throws -> SettingChangeResult {
        changesAsked.append(.setting(change))
        let before = SettingValues(rules: Scenario.plain.rules, address: "", contact: "")
        return .done(before: before, after: change.applied(to: before))
    }

    func book(service: Int64, start: Date, client: Int64, by actor: ChangeActor) throws -> ChangeResult<ClientBooking> {
        changesAsked.append(.book(start: start))
        return world.booked
    }

    func cancel(booking: Int64, by actor: ChangeActor, reason: String?) throws -> ChangeResult<ClientBooking> {
        changesAsked.append(.cancel)
        return world.cancelled
    }

    func move(booking: Int64, to start: Date, by actor: ChangeActor) throws -> ChangeResult<BookingMove> {
        changesAsked.append(.move(start: start))
        return world.moved
    }

    func rate(booking: Int64, by client: Int64, stars: Int) throws -> RatingOutcome {
        changesAsked.append(.rate(stars: stars))
        return world.rating
    }

    func comment(booking: Int64, by client: Int64, text: String) throws -> Bool {
        changesAsked.append(.comment(text))
        return world.commentKept
    }

    func closeVisit(booking: Int64, as outcome: VisitOutcome, by actor: ChangeActor) throws -> ChangeResult<ClientBooking> {
        changesAsked.append(.closeVisit)
        return world.cancelled
    }

    // MARK: Services

    /// The scenario's services as the staff screens see them.
    private var staffServices: [StaffService] {
        world.services.enumerated().map { index, service in
            StaffService(id: service.id, fields: ServiceFields(name: service.name, description: service.description,
                                                               durationMinutes: service.durationMinutes, priceText: service.price),
                         active: service.bookable, archived: false, displayOrder: index)
        }
    }

    func allServices() throws -> [StaffService] {
        readsAsked.append("allServices")
        return staffServices
    }

    func serviceBookings(_ id: Int64) throws -> ServiceBookingCounts {
        readsAsked.append("serviceBookings")
        return ServiceBookingCounts(upcoming: world.bookings.count, ever: world.bookingsMade)
    }

    /// The store's decision on a change of an existing service: done when the scenario has it.
    private func decide(_ id: Int64, _ fields: ServiceFields? = nil) -> ServiceResult {
        changesAsked.append(.service(fields))
        guard var service = staffServices.first(where: { $0.id == id }) else { return .refused(.notFound) }
        let before = service.fields
        if let fields { service.fields = fields }
        return .done(service, before: before)
    }

    func createService(_ fields: ServiceFields) throws -> ServiceResult {
        changesAsked.append(.service(fields))
        return .done(StaffService(id: 1, fields: fields, active: true, archived: false, displayOrder: 1), before: nil)
    }

    func updateService(_ id: Int64, _ fields: ServiceFields) throws -> ServiceResult { decide(id, fields) }
    func setServiceActive(_ id: Int64, _ active: Bool) throws -> ServiceResult { decide(id) }
    func archiveService(_ id: Int64) throws -> ServiceResult { decide(id) }
    func restoreService(_ id: Int64) throws -> ServiceResult { decide(id) }
    func deleteService(_ id: Int64) throws -> ServiceResult { decide(id) }
    func moveService(_ id: Int64, _ direction: ServiceMove) throws -> ServiceResult { decide(id) }

    // MARK: Mass changes

    func shiftPreview(_ window: ShiftWindow, minutes: Int) throws -> ShiftPreview {
        readsAsked.append("shiftPreview")
        let rules = Scenario.plain.rules
        let moving = staffView.filter { $0.state == .confirmed && window.holds($0.start, clock: rules.clock) }
        let plan = DayShift.plan(moving.map { ($0.id, TimeRange(start: $0.start, minutes: $0.booking.durationMinutes)) }, minutes: minutes,
                                 rules: rules, now: Scenario.plain.now, others: world.occupancy)
        return ShiftPreview(lines: zip(moving.sorted { ($0.start, $0.id) < ($1.start, $1.id) }, plan).map { booking, planned in
            MassLine(id: booking.id, client: booking.client, service: booking.booking.service.name, from: booking.start,
                     to: planned.to.start, conflict: planned.conflict)
        })
    }

    func futureBookings(ofService id: Int64) throws -> [StaffBooking] {
        readsAsked.append("futureBookings")
        return staffView.filter { $0.booking.service.id == id }
    }

    func shiftDay(_ window: ShiftWindow, minutes: Int, expected: [Int64], by actor: ChangeActor) throws -> ShiftResult {
        changesAsked.append(.massShift(minutes: minutes))
        return .nothing
    }

    func moveServiceBookings(from: Int64, to: Int64, expected: [Int64], by actor: ChangeActor) throws -> ServiceMoveResult {
        changesAsked.append(.serviceMove)
        return .refused(.changed)
    }

    // MARK: Admins

    /// The person as the only staff member the scenario has (an owner when a super admin).
    func staffMembers() throws -> [StaffMember] {
        readsAsked.append("staffMembers")
        return [try staffMember(person)].compactMap { $0 }
    }

    func staffMember(_ id: Int64) throws -> StaffMember? {
        readsAsked.append("staffMember")
        guard id == person, world.roleAtCommit != .client else { return nil }
        return StaffMember(id: id, isOwner: world.roleAtCommit == .superAdmin, role: world.roleAtCommit, firstName: "Fuzz")
    }

    /// Every change of the staff is refused as the store would for the only member there is.
    func addStaff(_ person: Int64, role: Role, by actor: ChangeActor) throws -> StaffChangeResult {
        changesAsked.append(.staff(person))
        return .refused(person == actor.id ? .alreadyStaff : .notRegistered)
    }

    func setStaffRole(_ person: Int64, role: Role, by actor: ChangeActor) throws -> StaffChangeResult {
        changesAsked.append(.staff(person))
        return .refused(person == actor.id ? .themselves : .notStaff)
    }

    func removeStaff(_ person: Int64, by actor: ChangeActor) throws -> StaffChangeResult {
        changesAsked.append(.staff(person))
        return .refused(person == actor.id ? .themselves : .notStaff)
    }

    // MARK: Bookings export

    func bookingsCount(from: LocalDate, to: LocalDate) throws -> Int {
        readsAsked.append("bookingsCount")
        guard to.dayNumber - from.dayNumber < BookingsExportRange.maxDays else { fatalError("a step counted \(from)...\(to)") }
        return world.bookings.count
    }

    // MARK: Blocking

    func currentBlocks(offset: Int, limit: Int) throws -> BlockPage {
        readsAsked.append("currentBlocks")
        guard limit <= 50 else { fatalError("a step read \(limit) blocks at once") }
        return BlockPage(blocks: [], total: 0)
    }

    func block(_ id: Int64) throws -> BlockInfo? {
        readsAsked.append("block")
        return nil
    }

    func blocks(overlapping range: TimeRange) throws -> [BlockInfo] {
        readsAsked.append("blocksOverlapping")
        return []
    }

    func confirmedBookings(overlapping range: TimeRange, limit: Int) throws -> [StaffBooking] {
        readsAsked.append("confirmedOverlapping")
        guard limit <= 1000 else { fatalError("a step read \(limit) bookings at once") }
        return Array(staffView.filter { TimeRange(start: $0.start, minutes: $0.booking.durationMinutes).overlaps(range) }.prefix(limit))
    }

    func block(_ range: TimeRange, reason: String, expecting expected: Set<Int64>, by actor: ChangeActor) throws -> BlockingOutcome {
        changesAsked.append(.block(range, reason: reason))
        return .done(block: 1, cancelled: [])
    }

    func unblock(_ id: Int64) throws -> BlockInfo? {
        changesAsked.append(.unblock)
        return nil
    }

    // MARK: Field editor

    func staffMembers() throws -> [StaffMemberInfo] {
        readsAsked.append("staffMembers")
        return [StaffMemberInfo(person: ClientInfo(id: person, name: "Fuzz"), displayName: nil)]
    }

    /// A read under a lock, before the one change of the step.
    func serviceForEdit(_ id: Int64) throws -> StaffService? {
        readsAsked.append("serviceForEdit")
        return staffServices.first { $0.id == id }
    }

    func setBlockReason(_ id: Int64, _ reason: String) throws -> String? {
        changesAsked.append(.fieldText(reason))
        return nil
    }

    func setDisplayName(_ staff: Int64, _ name: String) throws -> String? {
        changesAsked.append(.fieldText(name))
        return ""
    }

    // MARK: Broadcast

    func broadcastAudience(excluding sender: Int64) throws -> Int {
        readsAsked.append("broadcastAudience")
        return world.bookingsMade
    }

    func broadcast(_ id: Int64) throws -> BroadcastFigures? {
        readsAsked.append("broadcast")
        return id == 1 ? BroadcastFigures(id: 1, status: .sending, text: "Hello", total: 3, recorded: 2, sent: 1, failed: 0, blocked: 1) : nil
    }

    func recentBroadcasts(limit: Int) throws -> [BroadcastFigures] {
        readsAsked.append("recentBroadcasts")
        return try [broadcast(1)].compactMap { $0 }
    }

    func createBroadcast(text: String, photo: String?, language: Language, by actor: ChangeActor) throws -> BroadcastCreated {
        changesAsked.append(.broadcast(text: text, photo: photo))
        return BroadcastCreated(id: 2, recipients: 3)
    }
}

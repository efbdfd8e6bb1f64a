import Booking
@testable import Conversation
import Foundation
import Texts

/// The flows' seam to the store, in memory: fixed services, bookings and occupancy, the
/// store's decision on each kind of change scripted in advance, and a record of every
/// read, change and refused step it was asked for. A test double of our own seam (the
/// worker's `FlowReads`, `FlowChanges` and `ChangeRunner`), not of PostgreSQL: the store's rules are
/// tested against a real database in StoreTests and WorkerTests.
final class StoreFixture: FlowSession, StoreReads, StoreChanges {
    /// A read a flow asked for.
    enum Read: Equatable, CustomStringConvertible {
        case bookingsMade(by: Int64)
        case bookableServices
        case service(Int64)
        case upcomingBookings(of: Int64)
        case pastVisits(of: Int64)
        case confirmedBooking(Int64, of: Int64)
        case occupancy(days: ClosedRange<LocalDate>, excluding: Int64?)
        case auditPage(offset: Int, limit: Int)
        case notices(of: Int64)
        case dashboard(DashboardWindow)
        case bookingsOutside(hours: DayHours?, on: Set<Weekday>)
        case staffBookings(from: Date, to: Date)
        case staffBooking(Int64)
        case clientsOverview(newSince: Date)
        case findClient(ClientKey)
        case bookingsOfClient(Int64)
        case allServices
        case serviceBookings(Int64)
        case shiftPreview(ShiftWindow, minutes: Int)
        case futureBookings(ofService: Int64)
        case currentBlocks(offset: Int, limit: Int)
        case block(Int64)
        case blocksOverlapping(TimeRange)
        case confirmedOverlapping(TimeRange)
        case broadcastAudience(excluding: Int64)
        case broadcast(Int64)
        case recentBroadcasts

        var description: String {
            switch self {
            case .bookingsMade(let person): return "bookingsMade(by: \(person))"
            case .bookableServices: return "bookableServices"
            case .service(let id): return "service(\(id))"
            case .upcomingBookings(let person): return "upcomingBookings(of: \(person))"
            case .pastVisits(let person): return "pastVisits(of: \(person))"
            case .confirmedBooking(let id, let person): return "confirmedBooking(\(id), of: \(person))"
            case .occupancy(let days, let excluding): return "occupancy(\(days), excluding: \(excluding.map(String.init) ?? "nil"))"
            case .auditPage(let offset, let limit): return "auditPage(offset: \(offset), limit: \(limit))"
            case .notices(let person): return "notices(of: \(person))"
            case .dashboard(let window): return "dashboard(now: \(window.now))"
            case .bookingsOutside(let hours, let days): return "bookingsOutside(\(String(describing: hours)), on: \(days.map(\.rawValue).sorted()))"
            case .staffBookings(let from, let to): return "staffBookings(from: \(from), to: \(to))"
            case .staffBooking(let id): return "staffBooking(\(id))"
            case .clientsOverview(let since): return "clientsOverview(newSince: \(since))"
            case .findClient(let key): return "findClient(\(key))"
            case .bookingsOfClient(let id): return "bookings(ofClient: \(id))"
            case .allServices: return "allServices"
            case .serviceBookings(let id): return "serviceBookings(\(id))"
            case .shiftPreview(let window, let minutes): return "shiftPreview(\(window), minutes: \(minutes))"
            case .futureBookings(let id): return "futureBookings(ofService: \(id))"
            case .currentBlocks(let offset, let limit): return "currentBlocks(offset: \(offset), limit: \(limit))"
            case .block(let id): return "block(\(id))"
            case .blocksOverlapping(let range): return "blocks(overlapping: \(range))"
            case .confirmedOverlapping(let range): return "confirmedBookings(overlapping: \(range))"
            case .broadcastAudience(let sender): return "broadcastAudience(excluding: \(sender))"
            case .broadcast(let id): return "broadcast(\(id))"
            case .recentBroadcasts: return "recentBroadcasts"
            }
        }
    }

    /// A change the store was asked to make (after the change runner let it through).
    enum Change: Equatable {
        case book(service: Int64, start: Date, client: Int64, by: ChangeActor)
        case cancel(booking: Int64, by: ChangeActor, reason: String?)
        case move(booking: Int64, to: Date, by: ChangeActor)
        case rate(booking: Int64, by: Int64, stars: Int)
        case comment(booking: Int64, by: Int64, text: String)
        case setNotice(NoticeKind, enabled: Bool, for: Int64)
        case setting(SettingChange, by: ChangeActor)
        case closeVisit(booking: Int64, as: VisitOutcome, by: ChangeActor)
        case service(String, Int64?)
        case shiftDay(ShiftWindow, minutes: Int, expected: [Int64], by: ChangeActor)
        case moveServiceBookings(from: Int64, to: Int64, expected: [Int64], by: ChangeActor)
        case staff(String, Int64)
        case block(TimeRange, reason: String, expected: Set<Int64>)
        case unblock(Int64)
        case fieldEdit(String)
        case createBroadcast(text: String, photo: String?, by: ChangeActor)
    }

    /// The person behind the update: the owner of `bookings`, and the actor of changes.
    let person: Int64
    /// The role the change runner reads again at commit (it may differ from the role the
    /// update started with: revoked meanwhile).
    var roleAtCommit: Role = .client

    var bookingsMadeCount = 0
    /// Every service the store has; the bookable ones are listed.
    var services: [BookableService] = []
    /// The person's confirmed bookings that have not started, soonest first.
    var bookings: [ClientBooking] = []
    var pastVisitCount = 0
    /// What is taken on whatever days are asked for.
    var occupancy: Occupancy = .empty
    /// The person's notice choices (a change updates them).
    var notices: [NoticeKind: Bool] = [:]

    /// The business as the dashboard counts it: services, every booking, ratings; the
    /// staff (whose bookings make no clients).
    struct DashboardService {
        var id: Int64
        var name: String
        var priceCents: Int64?
        var active = true
        var archived = false
        var createdAt: Date
    }
    struct DashboardBooking {
        var client: Int64 = 1
        var serviceID: Int64
        var start: Date
        var durationMinutes = 60
        var status: BookingStatus = .confirmed
        var createdAt: Date
        var cancelledAt: Date?
    }
    enum BookingStatus { case confirmed, cancelled, completed, noShow }
    var dashboardStaff: Set<Int64> = []
    var dashboardServices: [DashboardService] = []
    var dashboardBookings: [DashboardBooking] = []
    var ratings: [Int] = []

    // The store's decisions, scripted.
    var booked: ChangeResult<ClientBooking> = .notFound
    var cancelled: ChangeResult<ClientBooking> = .notFound
    var moved: ChangeResult<BookingMove> = .notFound
    var rating: RatingOutcome = .notFound
    var commentKept = false
    var closed: ChangeResult<ClientBooking> = .notFound

    // The staff side: every booking of every client, any status; the people the bot knows
    // (with when each first booked).
    var allBookings: [StaffBooking] = []
    var people: [ClientInfo] = []
    var firstBooked: [Int64: Date] = [:]
    /// The settings in force (nil: a change of settings is refused, as the store refuses a
    /// value out of range); a change is made to them.
    var settings: SettingValues?
    /// The zone the bookings' local days are read in.
    var clock = BusinessClock(zoneIdentifier: "Europe/Moscow")!

    /// The staff's view of the services (the services screens); kept apart from
    /// `services`, which the client flows read.
    var staffServices: [StaffService] = []
    /// Bookings ever made per service, and the upcoming confirmed ones.
    var serviceBookingCounts: [Int64: ServiceBookingCounts] = [:]
    /// The owners and the staff added in the bot, in the order they came; additions per
    /// actor so far (the store counts the last hour's) and the limit.
    var staff: [StaffMember] = []
    var additions: [Int64: Int] = [:]
    var additionsPerHour = 3

    /// The blocks of the calendar, and the moment that says which are over.
    var blocks: [BlockInfo] = []
    var blocksNow = Date()
    /// Staff added in the bot (the field editor's display names).
    var staffRows: [StaffMemberInfo] = []

    private(set) var readsAsked: [Read] = []
    private(set) var changesAsked: [Change] = []
    /// Steps refused for lack of access, by the router or at commit (audited, not allowed).
    private(set) var refusals: [AuditAction] = []
    /// Changes allowed that leave an audit row (staff flows).
    private(set) var audited: [AuditAction] = []

    init(person: Int64) {
        self.person = person
    }

    /// Nothing read, nothing changed, nothing refused: the store never heard of the update.
    var untouched: Bool { readsAsked.isEmpty && changesAsked.isEmpty && refusals.isEmpty && audited.isEmpty }

    // MARK: FlowSession

    var reads: any StoreReads { self }

    func run<C: FlowChange>(_ change: C, flow: FlowID, access: Access, step: String) throws -> C.Outcome? {
        guard access.allows(roleAtCommit) else {
            refusals.append(change.audit(of: nil) ?? .attempt(flow: flow, step: step))
            return nil
        }
        // As the worker's runner: a client flow's change acts as the client, whoever presses it.
        let outcome = try change.apply(to: self, by: ChangeActor(id: person, role: access.isStaff ? roleAtCommit : .client))
        if let entry = change.audit(of: outcome) {
            audited.append(entry)
        } else if access.isStaff {
            audited.append(.attempt(flow: flow, step: step))
        }
        return outcome
    }

    func refused(_ attempt: AuditAction) throws {
        refusals.append(attempt)
    }

    // MARK: StoreReads

    func bookingsMade(by person: Int64) throws -> Int {
        readsAsked.append(.bookingsMade(by: person))
        return person == self.person ? bookingsMadeCount : 0
    }

    func bookableServices() throws -> [BookableService] {
        readsAsked.append(.bookableServices)
        return services.filter(\.bookable)
    }

    func service(_ id: Int64) throws -> BookableService? {
        readsAsked.append(.service(id))
        return services.first { $0.id == id }
    }

    func upcomingBookings(of person: Int64) throws -> [ClientBooking] {
        readsAsked.append(.upcomingBookings(of: person))
        return person == self.person ? bookings : []
    }

    func pastVisits(of person: Int64) throws -> Int {
        readsAsked.append(.pastVisits(of: person))
        return person == self.person ? pastVisitCount : 0
    }

    func confirmedBooking(_ id: Int64, of person: Int64) throws -> ClientBooking? {
        readsAsked.append(.confirmedBooking(id, of: person))
        return person == self.person ? bookings.first { $0.id == id } : nil
    }

    func occupancy(days: ClosedRange<LocalDate>, excluding booking: Int64?) throws -> Occupancy {
        readsAsked.append(.occupancy(days: days, excluding: booking))
        return occupancy
    }

    func auditPage(offset: Int, limit: Int) throws -> AuditPage {
        readsAsked.append(.auditPage(offset: offset, limit: limit))
        return AuditPage(records: [], total: 0)
    }

    func notices(of person: Int64) throws -> [NoticeKind: Bool] {
        readsAsked.append(.notices(of: person))
        return notices
    }

    // MARK: Dashboard

    func dashboard(_ window: DashboardWindow) throws -> DashboardFigures {
        readsAsked.append(.dashboard(window))
        let clock = BusinessClock(zoneIdentifier: window.zoneIdentifier)!
        // Clients: who ever booked, staff excluded; new: first booking made this week.
        let firstBooked = Dictionary(dashboardBookings.filter { !dashboardStaff.contains($0.client) }.map { ($0.client, $0.createdAt) },
                                     uniquingKeysWith: min)
        let held = dashboardBookings.filter { $0.status != .cancelled }
        let cancelled = dashboardBookings.filter { $0.status == .cancelled }.compactMap(\.cancelledAt).filter { $0 <= window.now }
        let noShows = dashboardBookings.filter { $0.status == .noShow }
        let visits = dashboardBookings.filter {
            ($0.status == .confirmed || $0.status == .completed) && $0.start >= window.last30DaysStart && $0.start < window.now
        }
        var minutes: [LocalDate: Int] = [:]
        for booking in held where booking.start >= window.loadStart && booking.start < window.tomorrowStart {
            minutes[clock.localDate(of: booking.start), default: 0] += booking.durationMinutes
        }
        return DashboardFigures(
            clientsTotal: firstBooked.count, clientsNewThisWeek: firstBooked.values.filter { $0 >= window.weekStart }.count,
            upcoming: dashboardBookings.filter { $0.status == .confirmed && $0.start >= window.now }.count,
            bookingsToday: held.filter { $0.start >= window.todayStart && $0.start < window.tomorrowStart }.count,
            bookingsNext7Days: held.filter { $0.start >= window.tomorrowStart && $0.start < window.nextWeekEnd }.count,
            cancelledLast7Days: cancelled.filter { $0 >= window.last7DaysStart }.count,
            cancelledLast30Days: cancelled.filter { $0 >= window.last30DaysStart }.count,
            noShowsLast30Days: noShows.filter { $0.start >= window.last30DaysStart && $0.start < window.now }.count,
            noShowsAllTime: noShows.count, reviewCount: ratings.count, ratingSum: ratings.reduce(0, +),
            revenue: dashboardServices.compactMap { service in
                let count = visits.filter { $0.serviceID == service.id }.count
                return count == 0 ? nil : ServiceRevenue(serviceID: service.id, name: service.name, visits: count, priceCents: service.priceCents)
            },
            bookedMinutes: minutes,
            idleServices: dashboardServices.filter { service in
                service.active && !service.archived && service.createdAt < window.last30DaysStart
                    && !dashboardBookings.contains { $0.serviceID == service.id && $0.createdAt >= window.last30DaysStart }
            }.map { IdleService(serviceID: $0.id, name: $0.name) })
    }

    func bookingsOutside(hours: DayHours?, on weekdays: Set<Weekday>) throws -> [StrandedDay] {
        readsAsked.append(.bookingsOutside(hours: hours, on: weekdays))
        // As the store: `bookings` are all confirmed and not started; counted per local day.
        var perDay: [LocalDate: Int] = [:]
        for booking in bookings {
            let day = clock.localDate(of: booking.start)
            guard weekdays.contains(day.weekday) else { continue }
            let start = clock.minuteOfDay(of: booking.start)
            if let hours, start >= hours.open, start + booking.durationMinutes <= hours.close { continue }
            perDay[day, default: 0] += 1
        }
        return perDay.keys.sorted { $0.dayNumber < $1.dayNumber }.map { StrandedDay(date: $0, count: perDay[$0]!) }
    }

    // MARK: Schedule

    func staffBookings(from: Date, to: Date, limit: Int) throws -> [StaffBooking] {
        readsAsked.append(.staffBookings(from: from, to: to))
        return Array(allBookings.filter { $0.state != .cancelled && $0.start >= from && $0.start < to }
            .sorted { ($0.start, $0.id) < ($1.start, $1.id) }.prefix(limit))
    }

    func staffBooking(_ id: Int64) throws -> StaffBooking? {
        readsAsked.append(.staffBooking(id))
        return allBookings.first { $0.id == id }
    }

    // MARK: Clients

    func clientsOverview(newSince: Date, top: Int) throws -> ClientsOverview {
        readsAsked.append(.clientsOverview(newSince: newSince))
        let clients = Set(allBookings.map(\.client.id))
        let completed = Dictionary(grouping: allBookings.filter { $0.state == .completed }, by: \.client.id)
        let ranked = completed.map { ClientVisits(client: $0.value[0].client, completed: $0.value.count) }
            .sorted { ($1.completed, $0.client.id) < ($0.completed, $1.client.id) }
        return ClientsOverview(total: clients.count, newSince: clients.filter { (firstBooked[$0] ?? .distantPast) >= newSince }.count,
                               top: Array(ranked.prefix(top)))
    }

    func findClient(_ key: ClientKey) throws -> ClientInfo? {
        readsAsked.append(.findClient(key))
        switch key {
        case .id(let id): return people.first { $0.id == id }
        case .username(let name): return people.filter { $0.username?.lowercased() == name.lowercased() }.min { $0.id < $1.id }
        }
    }

    func bookings(ofClient client: Int64, limit: Int) throws -> [StaffBooking] {
        readsAsked.append(.bookingsOfClient(client))
        return Array(allBookings.filter { $0.client.id == client }.sorted { ($0.start, $0.id) > ($1.start, $1.id) }.prefix(limit))
    }

    // MARK: StoreChanges

    func setNotice(_ kind: NoticeKind, enabled: Bool, for person: Int64) throws {
        changesAsked.append(.setNotice(kind, enabled: enabled, for: person))
        notices[kind] = enabled
    }

    func changeSetting(_ change: SettingChange, by actor: ChangeActor) throws -> SettingChangeResult {
        changesAsked.append(.setting(change, by: actor))
        guard let before = settings else { return .refused("outOfRange") }
        settings = change.applied(to: before)
        return .done(before: before, after: settings!)
    }

    func book(service: Int64, start: Date, client: Int64, by actor: ChangeActor) throws -> ChangeResult<ClientBooking> {
        changesAsked.append(.book(service: service, start: start, client: client, by: actor))
        return booked
    }

    func cancel(booking: Int64, by actor: ChangeActor, reason: String?) throws -> ChangeResult<ClientBooking> {
        changesAsked.append(.cancel(booking: booking, by: actor, reason: reason))
        return cancelled
    }

    func move(booking: Int64, to start: Date, by actor: ChangeActor) throws -> ChangeResult<BookingMove> {
        changesAsked.append(.move(booking: booking, to: start, by: actor))
        return moved
    }

    func rate(booking: Int64, by client: Int64, stars: Int) throws -> RatingOutcome {
        changesAsked.append(.rate(booking: booking, by: client, stars: stars))
        return rating
    }

    func comment(booking: Int64, by client: Int64, text: String) throws -> Bool {
        changesAsked.append(.comment(booking: booking, by: client, text: text))
        return commentKept
    }

    func closeVisit(booking: Int64, as outcome: VisitOutcome, by actor: ChangeActor) throws -> ChangeResult<ClientBooking> {
        changesAsked.append(.closeVisit(booking: booking, as: outcome, by: actor))
        return closed
    }

    // MARK: Services

    func allServices() throws -> [StaffService] {
        readsAsked.append(.allServices)
        let inUse = staffServices.filter { !$0.archived }.sorted { ($0.displayOrder, $0.id) < ($1.displayOrder, $1.id) }
        return inUse + staffServices.filter(\.archived).sorted { ($0.displayOrder, $0.id) < ($1.displayOrder, $1.id) }
    }

    func serviceBookings(_ id: Int64) throws -> ServiceBookingCounts {
        readsAsked.append(.serviceBookings(id))
        return serviceBookingCounts[id] ?? ServiceBookingCounts(upcoming: 0, ever: 0)
    }

    private func nameTaken(_ name: String, besides id: Int64?) -> Bool {
        staffServices.contains { !$0.archived && $0.id != id && $0.fields.name.lowercased() == name.lowercased() }
    }

    private func index(_ id: Int64) -> Int? { staffServices.firstIndex { $0.id == id } }

    /// Changes the service at `id` as the store would, or says why not.
    private func change(_ id: Int64, archived: Bool?, _ body: (inout StaffService) -> ServiceRefusal?) -> ServiceResult {
        guard let index = index(id) else { return .refused(.notFound) }
        if let archived, staffServices[index].archived != archived { return .refused(archived ? .notArchived : .archived) }
        let before = staffServices[index]
        var service = before
        if let refusal = body(&service) { return .refused(refusal) }
        staffServices[index] = service
        return .done(service, before: before.fields)
    }

    private var nextOrder: Int { (staffServices.filter { !$0.archived }.map(\.displayOrder).max() ?? 0) + 1 }

    func createService(_ fields: ServiceFields) throws -> ServiceResult {
        changesAsked.append(.service("create", nil))
        guard !nameTaken(fields.name, besides: nil) else { return .refused(.nameTaken) }
        let service = StaffService(id: (staffServices.map(\.id).max() ?? 0) + 1, fields: fields, active: true, archived: false,
                                   displayOrder: nextOrder)
        staffServices.append(service)
        return .done(service, before: nil)
    }

    func updateService(_ id: Int64, _ fields: ServiceFields) throws -> ServiceResult {
        changesAsked.append(.service("update", id))
        return change(id, archived: false) { service in
            guard !nameTaken(fields.name, besides: id) else { return .nameTaken }
            service.fields = fields
            return nil
        }
    }

    func setServiceActive(_ id: Int64, _ active: Bool) throws -> ServiceResult {
        changesAsked.append(.service(active ? "activate" : "deactivate", id))
        return change(id, archived: false) { service in
            service.active = active
            return nil
        }
    }

    func archiveService(_ id: Int64) throws -> ServiceResult {
        changesAsked.append(.service("archive", id))
        let booked = (serviceBookingCounts[id]?.ever ?? 0) > 0
        return change(id, archived: false) { service in
            guard booked else { return .neverBooked }
            (service.archived, service.active) = (true, false)
            return nil
        }
    }

    func restoreService(_ id: Int64) throws -> ServiceResult {
        changesAsked.append(.service("restore", id))
        let order = nextOrder
        return change(id, archived: true) { service in
            guard !nameTaken(service.fields.name, besides: id) else { return .nameTaken }
            (service.archived, service.active, service.displayOrder) = (false, false, order)
            return nil
        }
    }

    func deleteService(_ id: Int64) throws -> ServiceResult {
        changesAsked.append(.service("delete", id))
        guard let index = index(id) else { return .refused(.notFound) }
        guard (serviceBookingCounts[id]?.ever ?? 0) == 0 else { return .refused(.hasBookings) }
        let service = staffServices.remove(at: index)
        return .done(service, before: service.fields)
    }

    func moveService(_ id: Int64, _ direction: ServiceMove) throws -> ServiceResult {
        changesAsked.append(.service("move \(direction.rawValue)", id))
        var order = try allServices().filter { !$0.archived }.map(\.id)
        readsAsked.removeLast()
        guard let position = order.firstIndex(of: id) else { return change(id, archived: false) { _ in .notFound } }
        let other = position + (direction == .up ? -1 : 1)
        guard order.indices.contains(other) else { return .refused(.atEdge) }
        let before = staffServices[index(id)!]
        order.swapAt(position, other)
        for (place, service) in order.enumerated() { staffServices[index(service)!].displayOrder = place + 1 }
        return .done(staffServices[index(id)!], before: before.fields)
    }

    // MARK: Mass changes

    /// The rules a shift is planned with, and the store's "now" (the flow tests' now).
    var shiftRules: BookingRules?
    var shiftNow = Date(timeIntervalSince1970: 1_796_281_200)

    private func shiftPlan(_ window: ShiftWindow, minutes: Int) -> (moving: [StaffBooking], plan: [ShiftedRange]) {
        guard let rules = shiftRules else { return ([], []) }
        let moving = allBookings.filter { $0.state == .confirmed && $0.start > shiftNow && window.holds($0.start, clock: rules.clock) }
            .sorted { ($0.start, $0.id) < ($1.start, $1.id) }
        let ids = Set(moving.map(\.id))
        let others = Occupancy(bookings: allBookings.filter { $0.state == .confirmed && !ids.contains($0.id) }
                                   .map { TimeRange(start: $0.start, minutes: $0.booking.durationMinutes) },
                               blocks: blocks.map(\.range))
        let plan = DayShift.plan(moving.map { ($0.id, TimeRange(start: $0.start, minutes: $0.booking.durationMinutes)) },
                                 minutes: minutes, rules: rules, now: shiftNow, others: others)
        return (moving, plan)
    }

    private func preview(_ moving: [StaffBooking], _ plan: [ShiftedRange]) -> ShiftPreview {
        ShiftPreview(lines: zip(moving, plan).map { booking, planned in
            MassLine(id: booking.id, client: booking.client, service: booking.booking.service.name, from: booking.start,
                     to: planned.to.start, conflict: planned.conflict)
        })
    }

    func shiftPreview(_ window: ShiftWindow, minutes: Int) throws -> ShiftPreview {
        readsAsked.append(.shiftPreview(window, minutes: minutes))
        let (moving, plan) = shiftPlan(window, minutes: minutes)
        return preview(moving, plan)
    }

    func futureBookings(ofService id: Int64) throws -> [StaffBooking] {
        readsAsked.append(.futureBookings(ofService: id))
        return allBookings.filter { $0.state == .confirmed && $0.start > shiftNow && $0.booking.service.id == id }
            .sorted { ($0.start, $0.id) < ($1.start, $1.id) }
    }

    func shiftDay(_ window: ShiftWindow, minutes: Int, expected: [Int64], by actor: ChangeActor) throws -> ShiftResult {
        changesAsked.append(.shiftDay(window, minutes: minutes, expected: expected, by: actor))
        let (moving, plan) = shiftPlan(window, minutes: minutes)
        guard !moving.isEmpty else { return .nothing }
        guard Set(expected) == Set(moving.map(\.id)), expected.count == moving.count else { return .changed(preview(moving, plan)) }
        guard plan.allSatisfy({ $0.conflict == nil }) else { return .conflicts(preview(moving, plan)) }
        let done = preview(moving, plan).lines
        for (booking, planned) in zip(moving, plan) {
            if let index = allBookings.firstIndex(where: { $0.id == booking.id }) { allBookings[index].booking.start = planned.to.start }
        }
        return .done(done)
    }

    func moveServiceBookings(from: Int64, to: Int64, expected: [Int64], by actor: ChangeActor) throws -> ServiceMoveResult {
        changesAsked.append(.moveServiceBookings(from: from, to: to, expected: expected, by: actor))
        guard from != to else { return .refused(.sameService) }
        guard let source = staffServices.first(where: { $0.id == from }), let target = staffServices.first(where: { $0.id == to }) else {
            return .refused(.notFound)
        }
        guard target.active, !target.archived else { return .refused(.targetUnavailable) }
        guard source.fields.durationMinutes == target.fields.durationMinutes else { return .refused(.durationDiffers) }
        let moving = try futureBookings(ofService: from)
        guard !moving.isEmpty else { return .refused(.nothingToMove) }
        guard Set(moving.map(\.id)) == Set(expected), moving.count == expected.count else { return .refused(.changed) }
        let service = BookableService(id: target.id, name: target.fields.name, durationMinutes: target.fields.durationMinutes,
                                      price: target.fields.priceText)
        for booking in moving {
            if let index = allBookings.firstIndex(where: { $0.id == booking.id }) { allBookings[index].booking.service = service }
        }
        return .done(moving.map { MassLine(id: $0.id, client: $0.client, service: target.fields.name, from: $0.start, to: $0.start) })
    }

    // MARK: Admins
    // The staff as the store keeps them, with its rules: `staff` (owners flagged), and the
    // additions each actor made, for the hourly limit.

    func staffMembers() throws -> [StaffMember] {
        let rank = { (member: StaffMember) in member.isOwner ? 0 : member.role == .superAdmin ? 1 : 2 }
        return staff.enumerated().sorted { (rank($0.element), $0.offset) < (rank($1.element), $1.offset) }.map(\.element)
    }

    func staffMember(_ id: Int64) throws -> StaffMember? {
        staff.first { $0.id == id }
    }

    func addStaff(_ person: Int64, role: Role, by actor: ChangeActor) throws -> StaffChangeResult {
        changesAsked.append(.staff("add \(role)", person))
        if let known = staff.first(where: { $0.id == person }) { return .refused(known.isOwner ? .owner : .alreadyStaff) }
        guard let registered = people.first(where: { $0.id == person }) else { return .refused(.notRegistered) }
        guard additions[actor.id, default: 0] < additionsPerHour else { return .refused(.hourlyLimit) }
        additions[actor.id, default: 0] += 1
        let member = StaffMember(id: person, isOwner: false, role: role, firstName: registered.name, username: registered.username,
                                 addedBy: actor.id)
        staff.append(member)
        return .done(member)
    }

    func setStaffRole(_ person: Int64, role: Role, by actor: ChangeActor) throws -> StaffChangeResult {
        changesAsked.append(.staff("role \(role)", person))
        if let refusal = staffRefusal(person, by: actor, leaving: role == .superAdmin) { return .refused(refusal) }
        let index = staff.firstIndex { $0.id == person }!
        if staff[index].role == role { return .refused(.unchanged) }
        staff[index].role = role
        return .done(staff[index])
    }

    func removeStaff(_ person: Int64, by actor: ChangeActor) throws -> StaffChangeResult {
        changesAsked.append(.staff("remove", person))
        if let refusal = staffRefusal(person, by: actor, leaving: false) { return .refused(refusal) }
        return .done(staff.remove(at: staff.firstIndex { $0.id == person }!))
    }

    /// The store's rules of a role change or removal; `stays`: whether the person stays a super admin.
    private func staffRefusal(_ person: Int64, by actor: ChangeActor, leaving stays: Bool) -> StaffRefusal? {
        if person == actor.id { return .themselves }
        guard let member = staff.first(where: { $0.id == person }) else { return .notStaff }
        if member.isOwner { return .owner }
        if member.role == .superAdmin, !stays, !staff.contains(where: { $0.id != person && $0.role == .superAdmin }) { return .lastSuperAdmin }
        return nil
    }

    // MARK: Bookings export

    func bookingsCount(from: LocalDate, to: LocalDate) throws -> Int {
        allBookings.filter { (from...to).contains(clock.localDate(of: $0.start)) }.count
    }

    // MARK: Blocking

    func currentBlocks(offset: Int, limit: Int) throws -> BlockPage {
        readsAsked.append(.currentBlocks(offset: offset, limit: limit))
        let current = blocks.filter { $0.range.end > blocksNow }.sorted { ($0.range.start, $0.id) < ($1.range.start, $1.id) }
        return BlockPage(blocks: Array(current.dropFirst(offset).prefix(limit)), total: current.count)
    }

    func block(_ id: Int64) throws -> BlockInfo? {
        readsAsked.append(.block(id))
        return blocks.first { $0.id == id }
    }

    func blocks(overlapping range: TimeRange) throws -> [BlockInfo] {
        readsAsked.append(.blocksOverlapping(range))
        return blocks.filter { $0.range.overlaps(range) }.sorted { ($0.range.start, $0.id) < ($1.range.start, $1.id) }
    }

    func confirmedBookings(overlapping range: TimeRange, limit: Int) throws -> [StaffBooking] {
        readsAsked.append(.confirmedOverlapping(range))
        return Array(overlapping(range).prefix(limit))
    }

    private func overlapping(_ range: TimeRange) -> [StaffBooking] {
        allBookings.filter { $0.state == .confirmed && TimeRange(start: $0.start, minutes: $0.booking.durationMinutes).overlaps(range) }
            .sorted { ($0.start, $0.id) < ($1.start, $1.id) }
    }

    /// As the store: only when the bookings under the range are the expected ones; they are cancelled.
    func block(_ range: TimeRange, reason: String, expecting expected: Set<Int64>, by actor: ChangeActor) throws -> BlockingOutcome {
        changesAsked.append(.block(range, reason: reason, expected: expected))
        let under = overlapping(range)
        guard Set(under.map(\.id)) == expected else { return .changed }
        let id = (blocks.map(\.id).max() ?? 0) + 1
        blocks.append(BlockInfo(id: id, range: range, reason: reason))
        for booking in under {
            if let index = allBookings.firstIndex(where: { $0.id == booking.id }) {
                allBookings[index].state = .cancelled
                allBookings[index].cancelReason = reason
            }
        }
        occupancy.blocks.append(range)
        return .done(block: id, cancelled: under.map { booking in
            var cancelled = booking
            (cancelled.state, cancelled.cancelReason) = (.cancelled, reason)
            return cancelled
        })
    }

    func unblock(_ id: Int64) throws -> BlockInfo? {
        changesAsked.append(.unblock(id))
        guard let index = blocks.firstIndex(where: { $0.id == id && $0.range.end > blocksNow }) else { return nil }
        return blocks.remove(at: index)
    }

    // MARK: Field editor

    func staffMembers() throws -> [StaffMemberInfo] { staffRows }

    func serviceForEdit(_ id: Int64) throws -> StaffService? {
        changesAsked.append(.fieldEdit("lock service \(id)"))
        return staffServices.first { $0.id == id }
    }

    func setBlockReason(_ id: Int64, _ reason: String) throws -> String? {
        changesAsked.append(.fieldEdit("block \(id) reason \(reason)"))
        guard let index = blocks.firstIndex(where: { $0.id == id && $0.range.end > blocksNow }) else { return nil }
        defer { blocks[index].reason = reason }
        return blocks[index].reason
    }

    func setDisplayName(_ staff: Int64, _ name: String) throws -> String? {
        changesAsked.append(.fieldEdit("admin \(staff) name \(name)"))
        guard let index = staffRows.firstIndex(where: { $0.person.id == staff }) else { return nil }
        defer { staffRows[index].displayName = name }
        return staffRows[index].displayName ?? ""
    }

    // MARK: Broadcast

    /// The people the bot knows, and who of them blocked it (broadcasts reach the others).
    var broadcastUsers: Set<Int64> = []
    var blockedUsers: Set<Int64> = []
    var broadcasts: [BroadcastFigures] = []

    func broadcastAudience(excluding sender: Int64) throws -> Int {
        readsAsked.append(.broadcastAudience(excluding: sender))
        return broadcastUsers.subtracting(blockedUsers).subtracting([sender]).count
    }

    func broadcast(_ id: Int64) throws -> BroadcastFigures? {
        readsAsked.append(.broadcast(id))
        return broadcasts.first { $0.id == id }
    }

    func recentBroadcasts(limit: Int) throws -> [BroadcastFigures] {
        readsAsked.append(.recentBroadcasts)
        return Array(broadcasts.sorted { $0.id > $1.id }.prefix(limit))
    }

    func createBroadcast(text: String, photo: String?, language: Language, by actor: ChangeActor) throws -> BroadcastCreated {
        changesAsked.append(.createBroadcast(text: text, photo: photo, by: actor))
        let recipients = broadcastUsers.subtracting(blockedUsers).subtracting([actor.id]).count
        let id = (broadcasts.map(\.id).max() ?? 0) + 1
        broadcasts.append(BroadcastFigures(id: id, status: .sending, text: text, total: recipients, recorded: 0, sent: 0, failed: 0, blocked: 0))
        return BroadcastCreated(id: id, recipients: recipients)
    }
}

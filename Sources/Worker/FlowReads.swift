import Booking
import Conversation
import Foundation
import Postgres
import Store
import Texts

/// What the flows read, against PostgreSQL inside the update's transaction. It can only
/// read: the changes are another type, reached only through `ChangeRunner`.
struct FlowReads: StoreReads {
    let db: PostgresConnection
    let defaults: BookingRules
    /// The rules in force for this update (settings over defaults).
    let rules: BookingRules
    /// `ADMIN_IDS`: staff whatever is stored (never counted as clients).
    let owners: [Int64]
    let now: Date
    /// `SERVICE_LOCATION`, the address while none is stored.
    var configuredAddress = ""
    /// `MAX_ADMIN_ADDITIONS_PER_HOUR`.
    var adminAdditionsPerHour = 3

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

    // MARK: Notifications

    func notices(of person: Int64) throws -> [NoticeKind: Bool] {
        try AdminStore(connection: db).notices(of: person, owners: owners)
    }

    func occupancy(days: ClosedRange<LocalDate>, excluding booking: Int64?) throws -> Occupancy {
        let range = TimeRange(start: rules.clock.startOfDay(days.lowerBound), end: rules.clock.startOfDay(days.upperBound.adding(days: 1)))
        return try bookings.occupancy(around: range, excluding: booking)
    }

    // MARK: Dashboard

    func dashboard(_ window: DashboardWindow) throws -> DashboardFigures {
        try DashboardStore(connection: db).figures(window, staff: owners)
    }

    // MARK: Settings

    func bookingsOutside(hours: DayHours?, on weekdays: Set<Weekday>) throws -> [StrandedDay] {
        try bookings.confirmedOutside(hours: hours, on: weekdays, zone: rules.clock.timeZone.identifier, after: now)
            .map { StrandedDay(date: $0.day, count: $0.count) }
    }

    // MARK: Services

    func allServices() throws -> [StaffService] {
        try services.all().map(StaffService.init)
    }

    func serviceBookings(_ id: Int64) throws -> ServiceBookingCounts {
        let counts = try services.bookingCounts(id, now: now)
        return ServiceBookingCounts(upcoming: counts.upcoming, ever: counts.ever)
    }

    // MARK: Mass changes

    func shiftPreview(_ window: ShiftWindow, minutes: Int) throws -> ShiftPreview {
        let (records, plan) = try bookings.planShift(window, minutes: minutes, now: now)
        return try shiftPreview(records, plan)
    }

    /// The bookings with where the plan puts them and their conflicts.
    func shiftPreview(_ records: [BookingRecord], _ plan: [ShiftedRange]) throws -> ShiftPreview {
        let lines = try massLines(records)
        let planned = Dictionary(uniqueKeysWithValues: plan.map { ($0.id, $0) })
        return ShiftPreview(lines: lines.map { line in
            var line = line
            line.to = planned[line.id]?.to.start ?? line.from
            line.conflict = planned[line.id]?.conflict
            return line
        })
    }

    func futureBookings(ofService id: Int64) throws -> [StaffBooking] {
        try staffBookings(try bookings.futureBookings(ofService: id, now: now))
    }

    /// Bookings as the staff screens list them, their clients and services read in one query each.
    func staffBookings(_ records: [BookingRecord]) throws -> [StaffBooking] {
        let people = try bookings.people(Set(records.map(\.clientID)))
        return try zip(records, clientBookings(records)).map { record, booking in
            StaffBooking(booking: booking, client: people[record.clientID].map(ClientInfo.init) ?? ClientInfo(id: record.clientID, name: "", username: nil),
                         state: BookingState(record.status))
        }
    }

    /// Bookings as a mass change lists them (where they are now), their clients and services read in one query each.
    func massLines(_ records: [BookingRecord]) throws -> [MassLine] {
        let people = try bookings.people(Set(records.map(\.clientID)))
        return try zip(records, clientBookings(records)).map { record, booking in
            MassLine(id: record.id, client: people[record.clientID].map(ClientInfo.init) ?? ClientInfo(id: record.clientID, name: "", username: nil),
                     service: booking.service.name, from: record.range.start, to: record.range.start)
        }
    }

    /// Bookings as their client sees them; their services are read in one query.
    func clientBookings(_ records: [BookingRecord]) throws -> [ClientBooking] {
        let services = try services.services(ids: Set(records.map(\.serviceID)))
        return try records.map { record in
            guard let service = services[record.serviceID] else {
                throw PostgresError.decoding("booking \(record.id) names a missing service")
            }
            return ClientBooking(id: record.id, service: BookableService(service), start: record.range.start,
                                 durationMinutes: record.durationMinutes, clientID: record.clientID)
        }
    }

    // MARK: Schedule

    private var staff: StaffReads { StaffReads(connection: db) }

    func staffBookings(from: Date, to: Date, limit: Int) throws -> [StaffBooking] {
        try staffBookings(staff.bookings(startingFrom: from, to: to, limit: limit))
    }

    func staffBooking(_ id: Int64) throws -> StaffBooking? {
        try staff.booking(id).map { try staffBookings([$0])[0] }
    }

    // MARK: Clients

    func clientsOverview(newSince: Date, top: Int) throws -> ClientsOverview {
        let clients = try DashboardStore(connection: db).clients(since: newSince, staff: owners)
        return ClientsOverview(total: clients.total, newSince: clients.new,
                        top: try staff.topClients(limit: top).map { ClientVisits(client: ClientInfo($0.client), completed: $0.completed) })
    }

    func findClient(_ key: ClientKey) throws -> ClientInfo? {
        switch key {
        case .id(let id): return try staff.person(id: id).map(ClientInfo.init)
        case .username(let name): return try staff.person(username: name).map(ClientInfo.init)
        }
    }

    func bookings(ofClient client: Int64, limit: Int) throws -> [StaffBooking] {
        try staffBookings(staff.bookings(ofClient: client, limit: limit))
    }

    // MARK: Blocking

    private var blockStore: BlockStore { BlockStore(connection: db, defaults: defaults) }

    func currentBlocks(offset: Int, limit: Int) throws -> BlockPage {
        let page = try blockStore.current(at: now, offset: offset, limit: limit)
        return BlockPage(blocks: page.blocks.map(BlockInfo.init), total: page.total)
    }

    func block(_ id: Int64) throws -> BlockInfo? {
        try blockStore.block(id).map(BlockInfo.init)
    }

    func blocks(overlapping range: TimeRange) throws -> [BlockInfo] {
        try blockStore.overlapping(range).map(BlockInfo.init)
    }

    func confirmedBookings(overlapping range: TimeRange, limit: Int) throws -> [StaffBooking] {
        try staffBookings(staff.confirmedBookings(overlapping: range.start, to: range.end, limit: limit))
    }

    // MARK: Field editor

    func staffMembers() throws -> [StaffMemberInfo] {
        try FieldEditorStore(connection: db).staffMembers(limit: 100).map {
            StaffMemberInfo(person: ClientInfo($0.person), displayName: $0.displayName)
        }
    }

    private func staffBookings(_ rows: [StaffBookingRow]) throws -> [StaffBooking] {
        let bookings = try clientBookings(rows.map(\.record))
        return zip(rows, bookings).map { row, booking in
            let record = row.record
            return StaffBooking(booking: booking, client: ClientInfo(row.client), state: BookingState(record.status),
                                cancelledBy: record.status == .cancelled ? row.canceller.map(ClientInfo.init) : nil,
                                cancelReason: record.status == .cancelled ? record.cancelReason : nil)
        }
    }
}

extension BlockInfo {
    init(_ record: BlockRecord) {
        self.init(id: record.id, range: record.range, reason: record.reason)
    }
}

extension ClientInfo {
    init(_ person: PersonName) {
        self.init(id: person.id, name: person.fullName, username: person.username)
    }
}

extension BookingState {
    init(_ status: BookingStatus) {
        switch status {
        case .confirmed: self = .confirmed
        case .cancelled: self = .cancelled
        case .completed: self = .completed
        case .noShow: self = .noShow
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

// MARK: Admins

extension FlowReads {
    func staffMembers() throws -> [StaffMember] {
        try StaffRoster(connection: db, owners: owners).members().map(StaffMember.init)
    }

    func staffMember(_ id: Int64) throws -> StaffMember? {
        try StaffRoster(connection: db, owners: owners).member(id).map(StaffMember.init)
    }
}

// MARK: Bookings export

extension FlowReads {
    func bookingsCount(from: LocalDate, to: LocalDate) throws -> Int {
        try BookingExportStore(connection: db).count(from: rules.clock.startOfDay(from), to: rules.clock.startOfDay(to.adding(days: 1)))
    }
}

extension StaffMember {
    init(_ row: StaffRow) {
        self.init(id: row.id, isOwner: row.isOwner, role: Role(storedName: row.role) ?? .moderator, displayName: row.displayName,
                  firstName: row.firstName, username: row.username, addedBy: row.addedBy, addedByName: row.addedByName)
    }
}

// MARK: Broadcast

extension FlowReads {
    func broadcastAudience(excluding sender: Int64) throws -> Int {
        try BroadcastStore(connection: db).audience(excluding: sender)
    }

    func broadcast(_ id: Int64) throws -> BroadcastFigures? {
        try BroadcastStore(connection: db).progress(id).map(BroadcastFigures.init)
    }

    func recentBroadcasts(limit: Int) throws -> [BroadcastFigures] {
        try BroadcastStore(connection: db).recent(limit: limit).map(BroadcastFigures.init)
    }
}

extension BroadcastFigures {
    init(_ progress: BroadcastProgress) {
        let status: Status = progress.status == .sending ? .sending : progress.status == .done ? .done : .other
        self.init(id: progress.id, status: status, text: progress.text, total: progress.total, recorded: progress.recorded,
                  sent: progress.sent, failed: progress.failed, blocked: progress.blocked)
    }
}

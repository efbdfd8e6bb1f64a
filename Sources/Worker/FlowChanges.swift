import Booking
import Conversation
import Foundation
import Postgres
import SortedJSON
import Store
import Texts

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

    // MARK: Notifications

    func setNotice(_ kind: NoticeKind, enabled: Bool, for person: Int64) throws {
        try AdminStore(connection: db).setNotice(kind, enabled: enabled, for: person, now: now)
    }

    // MARK: Settings

    func changeSetting(_ change: SettingChange, by actor: ChangeActor) throws -> SettingChangeResult {
        let settings = SettingsStore(connection: db)
        try settings.lockForChange()
        let before = try inForce(settings)
        let wanted = change.applied(to: before)
        let key = Self.key(change.setting)
        let json = try Self.json(change.setting, wanted)
        guard SettingsStore.accepts(key, json: json) else { return .refused("outOfRange") }
        try settings.set(key, json: json, by: actor.id)
        return .done(before: before, after: try inForce(settings))
    }

    private func inForce(_ settings: SettingsStore) throws -> SettingValues {
        let (rules, address, contact) = try settings.inForce(defaults: reads.defaults)
        return SettingValues(rules: rules, address: address ?? reads.configuredAddress, contact: contact ?? "")
    }

    private static func key(_ setting: SettingName) -> SettingsStore.Key {
        switch setting {
        case .workHours: return .workHours
        case .slotStep: return .slotStepMinutes
        case .horizon: return .bookingHorizonMonths
        case .notice: return .minNoticeMinutes
        case .limit: return .maxBookingsPerUser
        case .cancelCutoff: return .cancellationHours
        case .moveCutoff: return .rescheduleHours
        case .reminders: return .reminderOffsets
        case .feedback: return .feedbackHoursAfter
        case .address: return .serviceLocation
        case .contact: return .businessContact
        }
    }

    /// The stored JSON of one setting of `values` (the whole week for work hours).
    private static func json(_ setting: SettingName, _ values: SettingValues) throws -> String {
        let value: Any
        switch setting {
        case .workHours:
            var week: [String: Any] = [:]
            for day in Weekday.allCases {
                week[String(day.rawValue)] = values.schedule.hours(on: day).map { [$0.open, $0.close] } ?? NSNull()
            }
            value = week
        case .slotStep: value = values.slotStepMinutes
        case .horizon: value = values.horizonMonths
        case .notice: value = values.minNoticeMinutes
        case .limit: value = values.bookingLimit
        case .cancelCutoff: value = values.cancellationHours
        case .moveCutoff: value = values.rescheduleHours
        case .reminders: value = values.reminderOffsetsMinutes
        case .feedback: value = values.feedbackHours
        case .address: value = values.address
        case .contact: value = values.contact
        }
        return try SortedJSON.string(value)
    }

    // MARK: Schedule

    func closeVisit(booking: Int64, as outcome: VisitOutcome, by actor: ChangeActor) throws -> ChangeResult<ClientBooking> {
        let status: BookingStatus = outcome == .completed ? .completed : .noShow
        return try result(bookings.closeVisit(booking: booking, as: status, by: storeActor(actor), now: now)) {
            try reads.clientBookings([$0])[0]
        }
    }

    // MARK: Services

    private var services: ServiceStore { ServiceStore(connection: db) }

    func createService(_ fields: ServiceFields) throws -> ServiceResult {
        guard let created = try services.create(StoredServiceFields(fields)) else { return .refused(.nameTaken) }
        return .done(StaffService(created), before: nil)
    }

    func updateService(_ id: Int64, _ fields: ServiceFields) throws -> ServiceResult {
        result(try services.update(id, StoredServiceFields(fields)))
    }

    func setServiceActive(_ id: Int64, _ active: Bool) throws -> ServiceResult {
        result(try services.setActive(id, active: active))
    }

    func archiveService(_ id: Int64) throws -> ServiceResult {
        result(try services.archive(id))
    }

    func restoreService(_ id: Int64) throws -> ServiceResult {
        result(try services.restore(id))
    }

    func deleteService(_ id: Int64) throws -> ServiceResult {
        result(try services.deleteIfNeverBooked(id))
    }

    func moveService(_ id: Int64, _ direction: ServiceMove) throws -> ServiceResult {
        result(try services.move(id, by: direction == .up ? -1 : 1))
    }

    private func result(_ write: ServiceWrite) -> ServiceResult {
        switch write {
        case .done(let before, let after): return .done(StaffService(after), before: StaffService(before).fields)
        case .notFound: return .refused(.notFound)
        case .nameTaken: return .refused(.nameTaken)
        case .archived: return .refused(.archived)
        case .notArchived: return .refused(.notArchived)
        case .neverBooked: return .refused(.neverBooked)
        case .hasBookings: return .refused(.hasBookings)
        case .atEdge: return .refused(.atEdge)
        }
    }

    // MARK: Mass changes

    func shiftDay(_ window: ShiftWindow, minutes: Int, expected: [Int64], by actor: ChangeActor) throws -> ShiftResult {
        // Only staff reach this (the change runner checked the flow's group); a client's id never moves anyone's booking.
        guard actor.role != .client else { return .nothing }
        switch try bookings.shift(window, minutes: minutes, expected: expected, by: storeActor(actor), now: now) {
        case .done(let moves):
            let before = try reads.massLines(moves.map(\.before))
            return .done(zip(before, moves).map { line, move in
                var line = line
                line.to = move.after.range.start
                return line
            })
        case .changed(let records, let plan): return .changed(try reads.shiftPreview(records, plan))
        case .conflicts(let records, let plan): return .conflicts(try reads.shiftPreview(records, plan))
        case .nothing: return .nothing
        }
    }

    func moveServiceBookings(from: Int64, to: Int64, expected: [Int64], by actor: ChangeActor) throws -> ServiceMoveResult {
        guard actor.role != .client else { return .refused(.notFound) }
        switch try bookings.moveBookings(ofService: from, to: to, expected: expected, by: storeActor(actor), now: now) {
        case .done(let moved): return .done(try reads.massLines(moved))
        case .refused(let refusal): return .refused(ServiceMoveProblem(rawValue: refusal.rawValue) ?? .notFound)
        }
    }

    // MARK: Blocking

    func block(_ range: TimeRange, reason: String, expecting expected: Set<Int64>, by actor: ChangeActor) throws -> BlockingOutcome {
        switch try BlockStore(connection: db, defaults: reads.defaults).block(range, reason: reason, expecting: expected,
                                                                              by: storeActor(actor), now: now) {
        case .done(let result): return .done(block: result.blockID, cancelled: try reads.staffBookings(result.cancelled))
        case .changed: return .changed
        }
    }

    func unblock(_ id: Int64) throws -> BlockInfo? {
        try BlockStore(connection: db, defaults: reads.defaults).remove(id, now: now).map(BlockInfo.init)
    }

    // MARK: Field editor

    func serviceForEdit(_ id: Int64) throws -> StaffService? {
        guard try FieldEditorStore(connection: db).lockService(id) else { return nil }
        return try reads.allServices().first { $0.id == id }
    }

    func setBlockReason(_ id: Int64, _ reason: String) throws -> String? {
        try BlockStore(connection: db, defaults: reads.defaults).setReason(id, reason, now: now)?.before.reason
    }

    func setDisplayName(_ staff: Int64, _ name: String) throws -> String? {
        try FieldEditorStore(connection: db).setDisplayName(staff, name)
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

// MARK: Admins

extension FlowChanges {
    private var roster: StaffRoster { StaffRoster(connection: reads.db, owners: reads.owners) }

    func addStaff(_ person: Int64, role: Role, by actor: ChangeActor) throws -> StaffChangeResult {
        Self.result(try roster.add(person, role: role.storedName ?? "moderator", by: actor.id, limit: reads.adminAdditionsPerHour,
                                   now: reads.now))
    }

    func setStaffRole(_ person: Int64, role: Role, by actor: ChangeActor) throws -> StaffChangeResult {
        Self.result(try roster.setRole(person, role: role.storedName ?? "moderator", by: actor.id))
    }

    func removeStaff(_ person: Int64, by actor: ChangeActor) throws -> StaffChangeResult {
        Self.result(try roster.remove(person, by: actor.id))
    }

    private static func result(_ write: RosterWrite) -> StaffChangeResult {
        switch write {
        case .done(let row): return .done(StaffMember(row))
        // The same reasons on both sides of the seam (the audit rows store them).
        case .refused(let why): return .refused(StaffRefusal(rawValue: why.rawValue) ?? .notStaff)
        }
    }
}

extension StoredServiceFields {
    init(_ fields: ServiceFields) {
        self.init(name: fields.name, description: fields.description, durationMinutes: fields.durationMinutes,
                  priceText: fields.priceText, priceCents: fields.priceCents)
    }
}

// MARK: Broadcast

extension FlowChanges {
    func createBroadcast(text: String, photo: String?, language: Language, by actor: ChangeActor) throws -> BroadcastCreated {
        let store = BroadcastStore(connection: reads.db)
        let id = try store.create(text: text, photoFileID: photo, by: actor.id, language: language.rawValue, now: reads.now)
        return BroadcastCreated(id: id, recipients: try store.progress(id)?.total ?? 0)
    }
}

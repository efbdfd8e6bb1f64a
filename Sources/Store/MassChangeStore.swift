import Booking
import Foundation
import Postgres

/// What a mass shift decided at commit.
public enum ShiftWrite: Sendable, Equatable {
    /// Every booking moved, in time order.
    case done([Move])
    /// The bookings at commit are not the ones previewed (`expected`): nothing moved; they,
    /// with the fresh plan.
    case changed([BookingRecord], [ShiftedRange])
    /// A booking would land on a conflict: nothing moved; the bookings, with the plan and its conflicts.
    case conflicts([BookingRecord], [ShiftedRange])
    /// No booking in the window any more.
    case nothing
}

/// Why a service's bookings were not moved to another service.
public enum ServiceMoveRefusal: String, Sendable, Equatable {
    case notFound = "not_found"
    case sameService = "same_service"
    /// The target is inactive or archived.
    case targetUnavailable = "target_unavailable"
    case durationDiffers = "duration_differs"
    /// The bookings at commit are not the ones previewed.
    case changed = "changed"
    case nothingToMove = "nothing_to_move"
}

/// What moving a service's bookings decided at commit.
public enum ServiceMoveWrite: Sendable, Equatable {
    /// The bookings, as they are now (on the new service), in time order.
    case done([BookingRecord])
    case refused(ServiceMoveRefusal)
}

/// The mass changes (SPEC admin 9): every booking of part of a day shifted by the same
/// minutes, or every future booking of a service moved to another service, all or nothing
/// in the caller's transaction, with each booking's history and reminders as a single move
/// leaves them.
extension BookingStore {
    // MARK: Shift a day

    /// The confirmed bookings of the window that have not started, in time order; locked
    /// when `locking` (the commit).
    public func shiftCandidates(_ window: ShiftWindow, clock: BusinessClock, now: Date, locking: Bool = false,
                                resource: Int64 = defaultResource) throws -> [BookingRecord] {
        let day = window.dayRange(clock: clock)
        return try db.query("""
            SELECT \(BookingRecord.columns) FROM bookings
            WHERE resource_id = $1 AND status = 'confirmed' AND lower(during) >= $2 AND lower(during) < $3 AND lower(during) > $4
            ORDER BY lower(during), id \(locking ? "FOR UPDATE" : "")
            """, [.int(resource), .timestamp(day.start), .timestamp(day.end), .timestamp(now)])
            .map(BookingRecord.init(row:))
            .filter { window.holds($0.range.start, clock: clock) }
    }

    /// The window's bookings and where a shift by `minutes` would put them, with every
    /// conflict, against the rules in force; nothing is changed (the preview).
    public func planShift(_ window: ShiftWindow, minutes: Int, now: Date) throws -> (bookings: [BookingRecord], plan: [ShiftedRange]) {
        let rules = try SettingsStore(connection: db).rules(defaults: defaults)
        let bookings = try shiftCandidates(window, clock: rules.clock, now: now)
        return (bookings, try plan(bookings, window: window, minutes: minutes, rules: rules, now: now))
    }

    /// Shifts the window's bookings by `minutes` if they are exactly `expected` (the ids the
    /// preview showed) and none lands on a conflict, all in one go; otherwise nothing moves.
    /// The resource is locked exclusively, as a block locks it: no booking is made or moved
    /// meanwhile, so the check below is the truth at commit.
    public func shift(_ window: ShiftWindow, minutes: Int, expected: [Int64], by admin: Actor, now: Date,
                      resource: Int64 = defaultResource) throws -> ShiftWrite {
        try requireTransaction()
        guard abs(minutes) <= DayShift.maxMinutes, minutes != 0 else { return .nothing }
        let rules = try SettingsStore(connection: db).rules(defaults: defaults)
        try lockResource(resource, exclusive: true)
        let bookings = try shiftCandidates(window, clock: rules.clock, now: now, locking: true, resource: resource)
        guard !bookings.isEmpty else { return .nothing }
        let plan = try plan(bookings, window: window, minutes: minutes, rules: rules, now: now, resource: resource)
        guard Set(bookings.map(\.id)) == Set(expected), bookings.count == expected.count else { return .changed(bookings, plan) }
        guard plan.allSatisfy({ $0.conflict == nil }) else { return .conflicts(bookings, plan) }
        // One statement: the overlap constraint, deferrable (0009), is checked at its end, so
        // 10:00 → 11:00 does not meet 11:00 before that one moved on. A violation then (a race
        // the lock above should make impossible) undoes the savepoint and moves nothing.
        let moved: [BookingRecord]
        do {
            moved = try db.savepoint {
                try db.query("""
                    UPDATE bookings AS b SET during = tstzrange(to_timestamp(m.s / 1000.0), to_timestamp(m.e / 1000.0), '[)'), updated_at = $4
                    FROM unnest($1::bigint[], $2::bigint[], $3::bigint[]) AS m (moved_id, s, e)
                    WHERE b.id = m.moved_id
                    RETURNING \(BookingRecord.columns)
                    """, [.intArray(plan.map(\.id)), .intArray(plan.map { Self.milliseconds($0.to.start) }),
                          .intArray(plan.map { Self.milliseconds($0.to.end) }),
                          .timestamp(now)]).map(BookingRecord.init(row:))
            }
        } catch PostgresError.exclusionViolation {
            return .conflicts(bookings, plan.map { ShiftedRange(id: $0.id, from: $0.from, to: $0.to, conflict: .overlapsBooking) })
        }
        let after = Dictionary(uniqueKeysWithValues: moved.map { ($0.id, $0) })
        var moves: [Move] = []
        for before in bookings {
            guard let movedNow = after[before.id] else { throw PostgresError.misuse("booking \(before.id) was not shifted") }
            try planReminders(for: movedNow, rules: rules, now: now)
            try recordHistory(before.id, "moved", old: before.range, new: movedNow.range, actor: admin, reason: nil, now: now)
            moves.append(Move(before: before, after: movedNow))
        }
        return .done(moves)
    }

    /// An instant as whole milliseconds since 1970, for an array parameter (bookings start on whole minutes).
    private static func milliseconds(_ date: Date) -> Int64 { Int64((date.timeIntervalSince1970 * 1000).rounded()) }

    private func plan(_ bookings: [BookingRecord], window: ShiftWindow, minutes: Int, rules: BookingRules, now: Date,
                      resource: Int64 = defaultResource) throws -> [ShiftedRange] {
        guard !bookings.isEmpty else { return [] }
        // A shift of at most 12 hours of visits of at most 8 hours stays within a day either side.
        let around = TimeRange(start: rules.clock.startOfDay(window.day.adding(days: -1)),
                               end: rules.clock.startOfDay(window.day.adding(days: 2)))
        let others = try occupancy(around: around, excludingAll: bookings.map(\.id), resource: resource)
        return DayShift.plan(bookings.map { ($0.id, $0.range) }, minutes: minutes, rules: rules, now: now, others: others)
    }

    /// What is taken around a range apart from these bookings: the others and the blocks.
    private func occupancy(around range: TimeRange, excludingAll ids: [Int64], resource: Int64) throws -> Occupancy {
        let parameters: [PostgresValue] = [.int(resource), .timestamp(range.start), .timestamp(range.end)]
        func ranges(_ rows: PostgresRows) throws -> [TimeRange] {
            try rows.map { TimeRange(start: try $0.get("s"), end: try $0.get("e")) }
        }
        let bookings = try db.query("""
            SELECT lower(during) AS s, upper(during) AS e FROM bookings
            WHERE resource_id = $1 AND status = 'confirmed' AND during && tstzrange($2, $3, '[)') AND id <> ALL ($4::bigint[])
            """, parameters + [.intArray(ids)])
        let blocks = try db.query("""
            SELECT lower(during) AS s, upper(during) AS e FROM blocks WHERE resource_id = $1 AND during && tstzrange($2, $3, '[)')
            """, parameters)
        return Occupancy(bookings: try ranges(bookings), blocks: try ranges(blocks))
    }

    // MARK: Move a service's bookings

    /// A service's confirmed bookings that have not started, in time order.
    public func futureBookings(ofService service: Int64, now: Date, locking: Bool = false) throws -> [BookingRecord] {
        try db.query("""
            SELECT \(BookingRecord.columns) FROM bookings
            WHERE service_id = $1 AND status = 'confirmed' AND lower(during) > $2
            ORDER BY lower(during), id \(locking ? "FOR UPDATE" : "")
            """, [.int(service), .timestamp(now)]).map(BookingRecord.init(row:))
    }

    /// Moves every future confirmed booking of `from` to `to` (in use and of the same
    /// length), if they are exactly `expected`; times do not change, so neither do the
    /// reminders (their text reads the service when it is sent).
    public func moveBookings(ofService from: Int64, to: Int64, expected: [Int64], by admin: Actor, now: Date,
                             resource: Int64 = defaultResource) throws -> ServiceMoveWrite {
        try requireTransaction()
        guard from != to else { return .refused(.sameService) }
        // The resource alone first (as a block takes it): no booking of `from` is made meanwhile.
        try lockResource(resource, exclusive: true)
        let bookings = try futureBookings(ofService: from, now: now, locking: true)
        let services = try db.query("""
            SELECT id, duration_minutes, active, archived FROM services WHERE id = ANY ($1::bigint[]) ORDER BY id FOR SHARE
            """, [.intArray([from, to])])
        func service(_ id: Int64) throws -> PostgresRow? { try services.first { try $0.get("id") as Int64 == id } }
        guard let source = try service(from), let target = try service(to) else { return .refused(.notFound) }
        guard try target.get("active") as Bool, !(try target.get("archived") as Bool) else { return .refused(.targetUnavailable) }
        guard try source.get("duration_minutes") as Int == (try target.get("duration_minutes") as Int) else {
            return .refused(.durationDiffers)
        }
        guard !bookings.isEmpty else { return .refused(.nothingToMove) }
        guard Set(bookings.map(\.id)) == Set(expected), bookings.count == expected.count else { return .refused(.changed) }
        let moved = try db.query("""
            UPDATE bookings SET service_id = $2, updated_at = $3 WHERE id = ANY ($1::bigint[])
            RETURNING \(BookingRecord.columns)
            """, [.intArray(bookings.map(\.id)), .int(to), .timestamp(now)]).map(BookingRecord.init(row:))
            .sorted { ($0.range.start, $0.id) < ($1.range.start, $1.id) }
        for booking in moved {
            try recordHistory(booking.id, "service_changed", old: booking.range, new: booking.range, actor: admin,
                              reason: "service \(from) → \(to)", now: now)
        }
        return .done(moved)
    }
}

extension BookingStore {
    /// The people with these ids, by id (the clients a mass change names).
    public func people(_ ids: Set<Int64>) throws -> [Int64: PersonName] {
        guard !ids.isEmpty else { return [:] }
        let rows = try db.query("SELECT id, first_name, last_name, username FROM users WHERE id = ANY ($1::bigint[])", [.intArray(ids)])
        var people: [Int64: PersonName] = [:]
        for row in rows {
            let person = PersonName(id: try row.get("id"), firstName: try row.get("first_name"), lastName: try row.get("last_name"),
                                    username: try row.get("username"))
            people[person.id] = person
        }
        return people
    }
}

import Booking
import Foundation
import Postgres

/// The booking transactions: create, cancel, reschedule and block.
///
/// Each runs inside the caller's open transaction (the worker's, with its
/// processed_updates row and outbox), so that every effect of an update commits or rolls
/// back together. Each re-reads the rules from `settings`, locks what it decides on, and
/// checks everything with `BookingRules.refusal` at commit time. Overlaps between
/// bookings are settled by the exclusion constraint (23P01), never by check-then-insert.
///
/// Locks, always in this order: the resource row (bookings share it, a block takes it
/// alone, so a block and a booking never miss each other), then the client or booking
/// row, then the service row.
public struct BookingStore {
    let db: PostgresConnection
    let defaults: BookingRules

    public init(connection: PostgresConnection, defaults: BookingRules) {
        self.db = connection
        self.defaults = defaults
    }

    /// The default (and for now only) specialist.
    public static let defaultResource: Int64 = 1

    // MARK: - Create

    public func create(client: Int64, service: Int64, start: Date, by actor: Actor, now: Date,
                       resource: Int64 = defaultResource) throws -> BookingOutcome<BookingRecord> {
        try requireTransaction()
        let rules = try SettingsStore(connection: db).rules(defaults: defaults)
        try lockResource(resource, exclusive: false)
        guard try db.query("SELECT 1 FROM users WHERE id = $1 FOR UPDATE", [.int(client)]).count == 1 else {
            return .notFound
        }
        guard let service = try lockService(service) else { return .refused(.notActive) }
        let request = SlotRequest(start: start, durationMinutes: service.durationMinutes, serviceActive: service.bookable)
        let active: Int = try db.query("""
            SELECT count(*) AS n FROM bookings WHERE user_id = $1 AND status = 'confirmed' AND lower(during) > $2
            """, [.int(client), .timestamp(now)])[0].get("n")
        let occupancy = try occupancy(around: request.range, resource: resource, excluding: nil)
        if let refusal = rules.refusal(for: .book(request, activeBookings: active), by: actor.role, now: now, occupancy: occupancy) {
            return .refused(refusal)
        }
        let inserted = try insertSettlingOverlap {
            try db.query("""
                INSERT INTO bookings (user_id, service_id, resource_id, during, duration_minutes, created_at, updated_at)
                VALUES ($1, $2, $3, tstzrange($4, $5, '[)'), $6, $7, $7)
                RETURNING \(BookingRecord.columns)
                """, [.int(client), .int(service.id), .int(resource), .timestamp(request.range.start),
                      .timestamp(request.range.end), .int(service.durationMinutes), .timestamp(now)])
        }
        guard let row = inserted else { return .refused(.overlapsBooking) }
        let booking = try BookingRecord(row: row)
        try planReminders(for: booking, rules: rules, now: now)
        try recordHistory(booking.id, "created", old: nil, new: booking.range, actor: actor, reason: nil, now: now)
        return .done(booking)
    }

    // MARK: - Cancel

    /// Cancels softly: the row stays with who, why and when; pending reminders are withdrawn.
    public func cancel(booking id: Int64, by actor: Actor, reason: String?, now: Date) throws -> BookingOutcome<BookingRecord> {
        try requireTransaction()
        let rules = try SettingsStore(connection: db).rules(defaults: defaults)
        guard let booking = try lockBooking(id, visibleTo: actor) else { return .notFound }
        guard booking.status == .confirmed else { return .notConfirmed(booking.status) }
        if let refusal = rules.refusal(for: .cancel(currentStart: booking.range.start), by: actor.role, now: now, occupancy: .empty) {
            return .refused(refusal)
        }
        let cancelled = try BookingRecord(row: db.query("""
            UPDATE bookings SET status = 'cancelled', cancelled_at = $2, cancelled_by = $3, cancel_reason = $4, updated_at = $2
            WHERE id = $1 RETURNING \(BookingRecord.columns)
            """, [.int(id), .timestamp(now), .int(actor.id), .optional(reason, PostgresValue.text)])[0])
        try withdrawReminders(of: [id], now: now)
        try recordHistory(id, "cancelled", old: booking.range, new: nil, actor: actor, reason: reason, now: now)
        return .done(cancelled)
    }

    // MARK: - Reschedule

    /// Moves a booking in one statement, so its old time is freed and the new one taken
    /// atomically and it never conflicts with itself; reminders are planned again.
    public func reschedule(booking id: Int64, to start: Date, by actor: Actor, now: Date) throws -> BookingOutcome<Move> {
        try requireTransaction()
        let rules = try SettingsStore(connection: db).rules(defaults: defaults)
        guard let probe = try db.query("SELECT resource_id FROM bookings WHERE id = $1", [.int(id)]).first else { return .notFound }
        let resource: Int64 = try probe.get("resource_id")
        try lockResource(resource, exclusive: false)
        guard let booking = try lockBooking(id, visibleTo: actor) else { return .notFound }
        guard booking.status == .confirmed else { return .notConfirmed(booking.status) }
        let service = try lockService(booking.serviceID)
        // The booking keeps the length it was booked with.
        let request = SlotRequest(start: start, durationMinutes: booking.durationMinutes, serviceActive: service?.bookable ?? false)
        let occupancy = try occupancy(around: request.range, resource: resource, excluding: id)
        if let refusal = rules.refusal(for: .move(request, currentStart: booking.range.start), by: actor.role, now: now, occupancy: occupancy) {
            return .refused(refusal)
        }
        let updated = try insertSettlingOverlap {
            try db.query("""
                UPDATE bookings SET during = tstzrange($2, $3, '[)'), updated_at = $4
                WHERE id = $1 RETURNING \(BookingRecord.columns)
                """, [.int(id), .timestamp(request.range.start), .timestamp(request.range.end), .timestamp(now)])
        }
        guard let row = updated else { return .refused(.overlapsBooking) }
        let moved = try BookingRecord(row: row)
        try planReminders(for: moved, rules: rules, now: now)
        try recordHistory(id, "moved", old: booking.range, new: moved.range, actor: actor, reason: nil, now: now)
        return .done(Move(before: booking, after: moved))
    }

    // MARK: - Work hours

    /// Confirmed bookings not yet started, on these weekdays (local, in the zone named by
    /// its IANA identifier), that lie outside `hours` — all of them when `hours` is nil (a
    /// day off) — counted per local day, in one query: what a change of hours would leave
    /// stranded. Nothing is changed.
    public func confirmedOutside(hours: DayHours?, on weekdays: Set<Weekday>, zone: String, after now: Date)
        throws -> [(day: LocalDate, count: Int)] {
        guard !weekdays.isEmpty else { return [] }
        return try db.query("""
            WITH local AS (
              SELECT lower(during) AT TIME ZONE $1 AS starts, upper(during) AT TIME ZONE $1 AS ends
              FROM bookings WHERE status = 'confirmed' AND lower(during) > $2
            )
            SELECT starts::date - DATE '1970-01-01' AS day, count(*) AS n
            FROM local
            WHERE extract(isodow FROM starts)::int = ANY($3::int[])
              AND ($4::int IS NULL
                   OR extract(epoch FROM starts - date_trunc('day', starts)) / 60 < $4::int
                   OR extract(epoch FROM ends - date_trunc('day', starts)) / 60 > $5::int)
            GROUP BY 1 ORDER BY 1
            """, [.text(zone), .timestamp(now), .intArray(weekdays.map { Int64($0.rawValue) }),
                  hours.map { .int(Int64($0.open)) } ?? .null, hours.map { .int(Int64($0.close)) } ?? .null]).map { row in
            (LocalDate(dayNumber: try row.get("day")), try row.get("n"))
        }
    }

    // MARK: - Visits

    /// Staff mark how a visit went (`completed` or `no_show`): a confirmed booking once it
    /// has begun (the rules' own check, at commit), or a visit the reminders process marked
    /// completed when it ended, as a no-show (the usual case: a no-show is known after the
    /// slot). Reminders still pending are withdrawn (a no-show's review request too), with
    /// a history row naming the actor.
    public func closeVisit(booking id: Int64, as status: BookingStatus, by actor: Actor, now: Date) throws -> BookingOutcome<BookingRecord> {
        try requireTransaction()
        guard status == .completed || status == .noShow else { throw PostgresError.misuse("a visit closes as completed or no_show") }
        // Clients never mark visits, not even their own.
        guard actor.role == .admin else { return .notFound }
        guard let booking = try lockBooking(id, visibleTo: actor) else { return .notFound }
        guard booking.status == .confirmed || (booking.status == .completed && status == .noShow) else {
            return .notConfirmed(booking.status)
        }
        // Whether the visit began reads no setting: the defaults answer it as the stored ones would.
        if let refusal = defaults.refusal(for: .closeVisit(start: booking.range.start), by: actor.role, now: now, occupancy: .empty) {
            return .refused(refusal)
        }
        let closed = try BookingRecord(row: db.query("""
            UPDATE bookings SET status = $2, updated_at = $3 WHERE id = $1 RETURNING \(BookingRecord.columns)
            """, [.int(id), .text(status.rawValue), .timestamp(now)])[0])
        try withdrawReminders(of: [id], now: now, reviewToo: status == .noShow)
        try recordHistory(id, status.rawValue, old: booking.range, new: booking.range, actor: actor, reason: nil, now: now)
        return .done(closed)
    }

    // MARK: - Block

    /// How many confirmed bookings a block of this range would cancel (the preview).
    public func confirmedBookings(overlapping range: TimeRange, resource: Int64 = defaultResource) throws -> [BookingRecord] {
        try db.query("""
            SELECT \(BookingRecord.columns) FROM bookings
            WHERE resource_id = $1 AND status = 'confirmed' AND during && tstzrange($2, $3, '[)')
            ORDER BY lower(during)
            """, [.int(resource), .timestamp(range.start), .timestamp(range.end)]).map(BookingRecord.init(row:))
    }

    /// Blocks time and, in the same transaction, cancels every confirmed booking it
    /// overlaps (with the reason), returning them so their clients can be told.
    public func block(_ range: TimeRange, reason: String, by admin: Actor, now: Date,
                      resource: Int64 = defaultResource) throws -> BlockResult {
        try requireTransaction()
        // Exclusive: bookings in flight finish first and are seen below; bookings that
        // start later wait and then see the block.
        try lockResource(resource, exclusive: true)
        let blockID: Int64 = try db.query("""
            INSERT INTO blocks (resource_id, during, reason, created_by, created_at)
            VALUES ($1, tstzrange($2, $3, '[)'), $4, $5, $6) RETURNING id
            """, [.int(resource), .timestamp(range.start), .timestamp(range.end), .text(reason), .int(admin.id), .timestamp(now)])[0].get("id")
        let cancelled = try db.query("""
            UPDATE bookings SET status = 'cancelled', cancelled_at = $4, cancelled_by = $5, cancel_reason = $6, updated_at = $4
            WHERE resource_id = $1 AND status = 'confirmed' AND during && tstzrange($2, $3, '[)')
            RETURNING \(BookingRecord.columns)
            """, [.int(resource), .timestamp(range.start), .timestamp(range.end), .timestamp(now), .int(admin.id), .text(reason)])
            .map(BookingRecord.init(row:))
            .sorted { $0.range.start < $1.range.start }
        try withdrawReminders(of: cancelled.map(\.id), now: now)
        for booking in cancelled {
            try recordHistory(booking.id, "cancelled", old: booking.range, new: nil, actor: admin, reason: reason, now: now)
        }
        return BlockResult(blockID: blockID, cancelled: cancelled)
    }

    // MARK: - Reading

    public func booking(_ id: Int64) throws -> BookingRecord? {
        try db.query("SELECT \(BookingRecord.columns) FROM bookings WHERE id = $1", [.int(id)]).first.map(BookingRecord.init(row:))
    }

    /// A client's confirmed bookings that have not started, soonest first.
    public func upcomingBookings(of client: Int64, now: Date) throws -> [BookingRecord] {
        try db.query("""
            SELECT \(BookingRecord.columns) FROM bookings
            WHERE user_id = $1 AND status = 'confirmed' AND lower(during) > $2 ORDER BY lower(during)
            """, [.int(client), .timestamp(now)]).map(BookingRecord.init(row:))
    }

    /// How many of a client's bookings have one of these statuses (past visits are
    /// `completed`; the bookings ever made are `confirmed` and `completed`).
    public func count(of client: Int64, statuses: [BookingStatus]) throws -> Int {
        try db.query("SELECT count(*) AS n FROM bookings WHERE user_id = $1 AND status = ANY ($2::text[])",
                     [.int(client), .textArray(statuses.map(\.rawValue))])[0].get("n")
    }

    /// What is taken around a range: confirmed bookings and blocks of the resource.
    public func occupancy(around range: TimeRange, resource: Int64 = defaultResource, excluding booking: Int64?) throws -> Occupancy {
        let parameters: [PostgresValue] = [.int(resource), .timestamp(range.start), .timestamp(range.end), booking.map { .int($0) } ?? .null]
        let bookings = try db.query("""
            SELECT lower(during) AS s, upper(during) AS e FROM bookings
            WHERE resource_id = $1 AND status = 'confirmed' AND during && tstzrange($2, $3, '[)')
              AND ($4::bigint IS NULL OR id <> $4::bigint)
            """, parameters)
        let blocks = try db.query("""
            SELECT lower(during) AS s, upper(during) AS e FROM blocks
            WHERE resource_id = $1 AND during && tstzrange($2, $3, '[)')
            """, Array(parameters.prefix(3)))
        func ranges(_ rows: PostgresRows) throws -> [TimeRange] {
            try rows.map { TimeRange(start: try $0.get("s"), end: try $0.get("e")) }
        }
        return Occupancy(bookings: try ranges(bookings), blocks: try ranges(blocks))
    }

    // MARK: - Pieces

    private struct LockedService {
        let id: Int64
        let durationMinutes: Int
        let bookable: Bool
    }

    func requireTransaction() throws {
        guard db.inTransaction else { throw PostgresError.misuse("booking changes run inside the caller's transaction") }
    }

    func lockResource(_ resource: Int64, exclusive: Bool) throws {
        let mode = exclusive ? "FOR UPDATE" : "FOR SHARE"
        guard try db.query("SELECT 1 FROM resources WHERE id = $1 \(mode)", [.int(resource)]).count == 1 else {
            throw PostgresError.misuse("no resource \(resource)")
        }
    }

    private func lockService(_ id: Int64) throws -> LockedService? {
        guard let row = try db.query("SELECT id, duration_minutes, active, archived FROM services WHERE id = $1 FOR SHARE", [.int(id)]).first else {
            return nil
        }
        let active: Bool = try row.get("active")
        let archived: Bool = try row.get("archived")
        return LockedService(id: try row.get("id"), durationMinutes: try row.get("duration_minutes"), bookable: active && !archived)
    }

    /// The booking, locked; nil when it does not exist or a client asks for another's.
    private func lockBooking(_ id: Int64, visibleTo actor: Actor) throws -> BookingRecord? {
        guard let row = try db.query("SELECT \(BookingRecord.columns) FROM bookings WHERE id = $1 FOR UPDATE", [.int(id)]).first else {
            return nil
        }
        let booking = try BookingRecord(row: row)
        if actor.role == .client && booking.clientID != actor.id { return nil }
        return booking
    }

    /// Runs a write that the exclusion constraint may refuse; nil when it did (the
    /// savepoint keeps the caller's transaction alive for the refusal reply).
    private func insertSettlingOverlap(_ write: () throws -> PostgresRows) throws -> PostgresRow? {
        do {
            return try db.savepoint { try write() }.first
        } catch PostgresError.exclusionViolation {
            return nil
        }
    }

    /// Plans one reminder per offset still ahead, and the review request; a moved
    /// booking's earlier plan is replaced (sent marks reset: the new time deserves its own reminder), and offsets
    /// now in the past are withdrawn.
    func planReminders(for booking: BookingRecord, rules: BookingRules, now: Date) throws {
        let due = rules.reminderDueTimes(start: booking.range.start, now: now)
        for (offset, dueAt) in due {
            try db.query("""
                INSERT INTO reminders (booking_id, kind, offset_minutes, due_at) VALUES ($1, 'reminder', $2, $3)
                ON CONFLICT (booking_id, kind, offset_minutes)
                DO UPDATE SET due_at = EXCLUDED.due_at, sent_at = NULL, missed_at = NULL, withdrawn_at = NULL, attempts = 0, last_error = NULL
                """, [.int(booking.id), .int(offset), .timestamp(dueAt)])
        }
        // The review request: one per booking (offset 0), after the visit ends.
        let reviewDue = booking.range.end.addingTimeInterval(Double(rules.feedbackHoursAfter) * 3600)
        try db.query("""
            INSERT INTO reminders (booking_id, kind, offset_minutes, due_at) VALUES ($1, 'review', 0, $2)
            ON CONFLICT (booking_id, kind, offset_minutes)
            DO UPDATE SET due_at = EXCLUDED.due_at, sent_at = NULL, missed_at = NULL, withdrawn_at = NULL, attempts = 0, last_error = NULL
            """, [.int(booking.id), .timestamp(reviewDue)])
        try db.query("""
            UPDATE reminders SET withdrawn_at = $3
            WHERE booking_id = $1 AND kind = 'reminder' AND NOT (offset_minutes = ANY ($2::int[]))
              AND sent_at IS NULL AND missed_at IS NULL AND withdrawn_at IS NULL
            """, [.int(booking.id), .intArray(due.map { Int64($0.offsetMinutes) }), .timestamp(now)])
    }

    /// The bookings' messages not yet sent: their reminders, and their review request
    /// unless `reviewToo` is false (a completed visit is still asked for stars).
    private func withdrawReminders(of bookings: [Int64], now: Date, reviewToo: Bool = true) throws {
        guard !bookings.isEmpty else { return }
        try db.query("""
            UPDATE reminders SET withdrawn_at = $2
            WHERE booking_id = ANY ($1::bigint[]) AND ($3 OR kind = 'reminder')
              AND sent_at IS NULL AND missed_at IS NULL AND withdrawn_at IS NULL
            """, [.intArray(bookings), .timestamp(now), .bool(reviewToo)])
    }

    func recordHistory(_ booking: Int64, _ action: String, old: TimeRange?, new: TimeRange?, actor: Actor, reason: String?, now: Date) throws {
        try db.query("""
            INSERT INTO booking_history (booking_id, action, old_during, new_during, actor_id, reason, created_at)
            VALUES ($1, $2,
                    CASE WHEN $3::timestamptz IS NULL THEN NULL ELSE tstzrange($3, $4, '[)') END,
                    CASE WHEN $5::timestamptz IS NULL THEN NULL ELSE tstzrange($5, $6, '[)') END,
                    $7, $8, $9)
            """, [.int(booking), .text(action),
                  old.map { .timestamp($0.start) } ?? .null, old.map { .timestamp($0.end) } ?? .null,
                  new.map { .timestamp($0.start) } ?? .null, new.map { .timestamp($0.end) } ?? .null,
                  .int(actor.id), reason.map { .text($0) } ?? .null, .timestamp(now)])
    }
}

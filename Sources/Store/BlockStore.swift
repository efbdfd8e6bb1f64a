import Booking
import Foundation
import Postgres

/// One row of `blocks`, with who made it.
public struct BlockRecord: Sendable, Equatable {
    public let id: Int64
    public let range: TimeRange
    public let reason: String
    public let createdBy: Int64?

    static let columns = "id, lower(during) AS starts_at, upper(during) AS ends_at, reason, created_by"

    init(row: PostgresRow) throws {
        id = try row.get("id")
        range = TimeRange(start: try row.get("starts_at"), end: try row.get("ends_at"))
        reason = try row.get("reason")
        createdBy = try row.get("created_by")
    }
}

/// What a block asked for on a preview decided at commit.
public enum BlockAttempt: Sendable, Equatable {
    case done(BlockResult)
    /// The confirmed bookings the range overlaps are no longer those the preview showed
    /// (booked, cancelled or moved meanwhile): nothing was written.
    case changed(current: [BookingRecord])
}

/// The blocks of the calendar (SPEC admin 7): listed, found, removed, their reason edited.
/// Creating one is `BookingStore.block`, which cancels what it covers in the same
/// transaction; this type takes the resource lock the same way before it decides.
public struct BlockStore {
    private let db: PostgresConnection
    private let defaults: BookingRules

    public init(connection: PostgresConnection, defaults: BookingRules) {
        self.db = connection
        self.defaults = defaults
    }

    /// Blocks not yet over (ongoing and future), soonest first: `limit` from `offset`, and
    /// how many there are.
    public func current(at now: Date, offset: Int, limit: Int,
                        resource: Int64 = BookingStore.defaultResource) throws -> (blocks: [BlockRecord], total: Int) {
        let total: Int = try db.query("SELECT count(*) AS n FROM blocks WHERE resource_id = $1 AND upper(during) > $2",
                                      [.int(resource), .timestamp(now)])[0].get("n")
        let rows = try db.query("""
            SELECT \(BlockRecord.columns) FROM blocks WHERE resource_id = $1 AND upper(during) > $2
            ORDER BY lower(during), id OFFSET $3 LIMIT $4
            """, [.int(resource), .timestamp(now), .int(Int64(offset)), .int(Int64(limit))]).map(BlockRecord.init(row:))
        return (rows, total)
    }

    /// The blocks that overlap `range` (a day of the schedule), in time order.
    public func overlapping(_ range: TimeRange, resource: Int64 = BookingStore.defaultResource) throws -> [BlockRecord] {
        try db.query("""
            SELECT \(BlockRecord.columns) FROM blocks WHERE resource_id = $1 AND during && tstzrange($2, $3, '[)')
            ORDER BY lower(during), id LIMIT 100
            """, [.int(resource), .timestamp(range.start), .timestamp(range.end)]).map(BlockRecord.init(row:))
    }

    public func block(_ id: Int64) throws -> BlockRecord? {
        try db.query("SELECT \(BlockRecord.columns) FROM blocks WHERE id = $1", [.int(id)]).first.map(BlockRecord.init(row:))
    }

    /// Blocks the range only if the confirmed bookings it overlaps are exactly `expected`
    /// (the ones the admin saw on the preview): decided under the resource's exclusive lock,
    /// so no booking can come or go between the comparison and the block.
    public func block(_ range: TimeRange, reason: String, expecting expected: Set<Int64>, by admin: Actor, now: Date,
                      resource: Int64 = BookingStore.defaultResource) throws -> BlockAttempt {
        guard db.inTransaction else { throw PostgresError.misuse("a block runs inside the caller's transaction") }
        guard try db.query("SELECT 1 FROM resources WHERE id = $1 FOR UPDATE", [.int(resource)]).count == 1 else {
            throw PostgresError.misuse("no resource \(resource)")
        }
        let bookings = BookingStore(connection: db, defaults: defaults)
        let current = try bookings.confirmedBookings(overlapping: range, resource: resource)
        guard Set(current.map(\.id)) == expected else { return .changed(current: current) }
        return .done(try bookings.block(range, reason: reason, by: admin, now: now, resource: resource))
    }

    /// Removes a block that is not over yet; nil when there is none (a forged id, removed
    /// already, or in the past, which is history).
    public func remove(_ id: Int64, now: Date) throws -> BlockRecord? {
        try db.query("DELETE FROM blocks WHERE id = $1 AND upper(during) > $2 RETURNING \(BlockRecord.columns)",
                     [.int(id), .timestamp(now)]).first.map(BlockRecord.init(row:))
    }

    /// A new reason for a block not over yet (the field editor); the row before and after,
    /// or nil when there is none.
    public func setReason(_ id: Int64, _ reason: String, now: Date) throws -> (before: BlockRecord, after: BlockRecord)? {
        guard let before = try db.query("SELECT \(BlockRecord.columns) FROM blocks WHERE id = $1 AND upper(during) > $2 FOR UPDATE",
                                        [.int(id), .timestamp(now)]).first.map(BlockRecord.init(row:)) else { return nil }
        let after = try BlockRecord(row: db.query("UPDATE blocks SET reason = $2 WHERE id = $1 RETURNING \(BlockRecord.columns)",
                                                  [.int(id), .text(reason)])[0])
        return (before, after)
    }
}

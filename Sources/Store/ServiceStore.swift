import Foundation
import Postgres

/// One row of `services`.
public struct ServiceRecord: Sendable, Equatable {
    public let id: Int64
    public let name: String
    public let description: String
    public let durationMinutes: Int
    public let priceText: String
    public let priceAmount: Double?
    /// The same amount exactly, in hundredths.
    public let priceCents: Int64?
    public let active: Bool
    public let archived: Bool
    public let displayOrder: Int

    static let columns = "id, name, description, duration_minutes, price_text, price_amount::float8 AS price_amount, "
        + "(price_amount * 100)::bigint AS price_cents, active, archived, display_order"

    init(row: PostgresRow) throws {
        id = try row.get("id")
        name = try row.get("name")
        description = try row.get("description")
        durationMinutes = try row.get("duration_minutes")
        priceText = try row.get("price_text")
        priceAmount = try row.get("price_amount")
        priceCents = try row.get("price_cents")
        active = try row.get("active")
        archived = try row.get("archived")
        displayOrder = try row.get("display_order")
    }
}

/// `services`: what can be booked. Field rules are the table's CHECKs; the staff's form
/// explains them before they are hit. A service that was ever booked is never deleted
/// (archived instead: out of use, its rows kept).
public struct ServiceStore {
    private let db: PostgresConnection

    public init(connection: PostgresConnection) {
        self.db = connection
    }

    public func create(name: String, durationMinutes: Int, description: String = "", priceText: String = "",
                       priceAmount: Double? = nil, displayOrder: Int = 0) throws -> ServiceRecord {
        try ServiceRecord(row: db.query("""
            INSERT INTO services (name, description, duration_minutes, price_text, price_amount, display_order)
            VALUES ($1, $2, $3, $4, $5, $6) RETURNING \(ServiceRecord.columns)
            """, [.text(name), .text(description), .int(durationMinutes), .text(priceText),
                  .optional(priceAmount, PostgresValue.double), .int(displayOrder)])[0])
    }

    public func setActive(_ id: Int64, _ active: Bool) throws {
        try db.query("UPDATE services SET active = $2, updated_at = now() WHERE id = $1", [.int(id), .bool(active)])
    }

    public func service(_ id: Int64) throws -> ServiceRecord? {
        try db.query("SELECT \(ServiceRecord.columns) FROM services WHERE id = $1", [.int(id)]).first.map(ServiceRecord.init(row:))
    }

    /// The services with these ids (archived ones too), in one query.
    public func services(ids: Set<Int64>) throws -> [Int64: ServiceRecord] {
        guard !ids.isEmpty else { return [:] }
        let records = try db.query("SELECT \(ServiceRecord.columns) FROM services WHERE id = ANY ($1::bigint[])",
                                   [.intArray(ids)]).map(ServiceRecord.init(row:))
        return Dictionary(uniqueKeysWithValues: records.map { ($0.id, $0) })
    }

    /// Active services in the admin-defined order: what the booking flow offers.
    public func bookable() throws -> [ServiceRecord] {
        try db.query("""
            SELECT \(ServiceRecord.columns) FROM services WHERE active AND NOT archived ORDER BY display_order, id
            """).map(ServiceRecord.init(row:))
    }

    // MARK: Staff

    /// Every service: the ones in use in display order, then the archived ones.
    public func all() throws -> [ServiceRecord] {
        try db.query("SELECT \(ServiceRecord.columns) FROM services ORDER BY archived, display_order, id").map(ServiceRecord.init(row:))
    }

    /// Confirmed bookings of the service not yet started, and every booking it ever had.
    public func bookingCounts(_ id: Int64, now: Date) throws -> (upcoming: Int, ever: Int) {
        let row = try db.query("""
            SELECT count(*) FILTER (WHERE status = 'confirmed' AND lower(during) > $2) AS upcoming, count(*) AS ever
            FROM bookings WHERE service_id = $1
            """, [.int(id), .timestamp(now)])[0]
        return (try row.get("upcoming"), try row.get("ever"))
    }

    /// A new service in use, last in the order; nil when its name is taken (the unique
    /// index settles a race with another staff member's create).
    public func create(_ fields: StoredServiceFields) throws -> ServiceRecord? {
        try settlingName {
            try db.query("""
                INSERT INTO services (name, description, duration_minutes, price_text, price_amount, display_order)
                VALUES ($1, $2, $3, $4, $5::bigint::numeric / 100,
                        (SELECT coalesce(max(display_order), 0) + 1 FROM services WHERE NOT archived))
                RETURNING \(ServiceRecord.columns)
                """, fields.values).first
        }
    }

    /// Every field of a service in use; `.nameTaken` when its new name is another's.
    public func update(_ id: Int64, _ fields: StoredServiceFields) throws -> ServiceWrite {
        guard let before = try locked(id) else { return .notFound }
        guard !before.archived else { return .archived(before) }
        let after = try settlingName {
            try db.query("""
                UPDATE services SET name = $2, description = $3, duration_minutes = $4, price_text = $5,
                       price_amount = $6::bigint::numeric / 100, updated_at = now()
                WHERE id = $1 RETURNING \(ServiceRecord.columns)
                """, [.int(id)] + fields.values).first
        }
        return after.map { .done(before: before, after: $0) } ?? .nameTaken
    }

    /// Switches a service in use on or off.
    public func setActive(_ id: Int64, active: Bool) throws -> ServiceWrite {
        guard let before = try locked(id) else { return .notFound }
        guard !before.archived else { return .archived(before) }
        let after = try ServiceRecord(row: db.query("""
            UPDATE services SET active = $2, updated_at = now() WHERE id = $1 RETURNING \(ServiceRecord.columns)
            """, [.int(id), .bool(active)])[0])
        return .done(before: before, after: after)
    }

    /// Out of use for good (not offered, not in the order), its rows kept: only a service
    /// that was ever booked (one never booked is deleted instead).
    public func archive(_ id: Int64) throws -> ServiceWrite {
        guard let before = try locked(id) else { return .notFound }
        guard !before.archived else { return .archived(before) }
        guard let after = try db.query("""
            UPDATE services SET archived = true, active = false, updated_at = now()
            WHERE id = $1 AND EXISTS (SELECT 1 FROM bookings WHERE service_id = $1) RETURNING \(ServiceRecord.columns)
            """, [.int(id)]).first else { return .neverBooked(before) }
        return .done(before: before, after: try ServiceRecord(row: after))
    }

    /// Back in use, switched off (the staff look at it before offering it again), last in
    /// the order; `.nameTaken` when a service in use has its name now.
    public func restore(_ id: Int64) throws -> ServiceWrite {
        guard let before = try locked(id) else { return .notFound }
        guard before.archived else { return .notArchived(before) }
        let after = try settlingName {
            try db.query("""
                UPDATE services SET archived = false, active = false, updated_at = now(),
                       display_order = (SELECT coalesce(max(display_order), 0) + 1 FROM services WHERE NOT archived)
                WHERE id = $1 RETURNING \(ServiceRecord.columns)
                """, [.int(id)]).first
        }
        return after.map { .done(before: before, after: $0) } ?? .nameTaken
    }

    /// Deletes a service that was never booked, decided in the deleting statement itself;
    /// a booking committed meanwhile makes the foreign key refuse it, which reads the same.
    public func deleteIfNeverBooked(_ id: Int64) throws -> ServiceWrite {
        let deleted: PostgresRow?
        do {
            deleted = try db.savepoint {
                try db.query("""
                    DELETE FROM services s WHERE s.id = $1 AND NOT EXISTS (SELECT 1 FROM bookings b WHERE b.service_id = s.id)
                    RETURNING \(ServiceRecord.columns)
                    """, [.int(id)]).first
            }
        } catch PostgresError.foreignKeyViolation {
            deleted = nil
        }
        if let deleted {
            let record = try ServiceRecord(row: deleted)
            return .done(before: record, after: record)
        }
        guard let existing = try service(id) else { return .notFound }
        return .hasBookings(existing)
    }

    /// Swaps a service in use with its neighbour. The order is first renumbered 1…n (by
    /// order, then id), all rows in use locked, so equal orders (every row 0 by default)
    /// still give one well-defined order and a swap always moves.
    public func move(_ id: Int64, by step: Int) throws -> ServiceWrite {
        // Every row in use locked first, in id order (as any other move locks them), then
        // nothing else: two moves at once queue instead of deadlocking.
        try db.query("SELECT id FROM services WHERE NOT archived ORDER BY id FOR UPDATE")
        guard let before = try service(id) else { return .notFound }
        guard !before.archived else { return .archived(before) }
        try db.query("""
            UPDATE services s SET display_order = r.n
            FROM (SELECT id, row_number() OVER (ORDER BY display_order, id) AS n FROM services WHERE NOT archived) r
            WHERE s.id = r.id AND s.display_order <> r.n
            """)
        let order: [Int64] = try db.query("SELECT id FROM services WHERE NOT archived ORDER BY display_order, id").map { try $0.get("id") }
        guard let index = order.firstIndex(of: id) else { return .notFound }
        let other = index + step
        guard order.indices.contains(other) else { return .atEdge(before) }
        try db.query("""
            UPDATE services SET display_order = CASE WHEN id = $1 THEN $3 ELSE $4 END::integer, updated_at = now()
            WHERE id IN ($1, $2)
            """, [.int(id), .int(order[other]), .int(Int64(other + 1)), .int(Int64(index + 1))])
        guard let after = try service(id) else { return .notFound }
        return .done(before: before, after: after)
    }

    private func locked(_ id: Int64) throws -> ServiceRecord? {
        try db.query("SELECT \(ServiceRecord.columns) FROM services WHERE id = $1 FOR UPDATE", [.int(id)]).first.map(ServiceRecord.init(row:))
    }

    /// Runs a write that may hit `services_name_unique`; nil when it did (the savepoint
    /// keeps the update's transaction alive for the answer and its audit row).
    private func settlingName(_ write: () throws -> PostgresRow?) throws -> ServiceRecord? {
        do {
            return try db.savepoint { try write() }.map(ServiceRecord.init(row:))
        } catch PostgresError.uniqueViolation(let error) where error.constraint == "services_name_unique" {
            return nil
        }
    }
}

/// A service's fields as the store writes them (already checked by the staff's form).
public struct StoredServiceFields: Sendable, Equatable {
    public var name: String
    public var description: String
    public var durationMinutes: Int
    public var priceText: String
    public var priceCents: Int64?

    public init(name: String, description: String, durationMinutes: Int, priceText: String, priceCents: Int64?) {
        self.name = name
        self.description = description
        self.durationMinutes = durationMinutes
        self.priceText = priceText
        self.priceCents = priceCents
    }

    var values: [PostgresValue] {
        [.text(name), .text(description), .int(Int64(durationMinutes)), .text(priceText), .optional(priceCents) { .int($0) }]
    }
}

/// What the store decided on a service change (`before` is the row as it was).
public enum ServiceWrite: Sendable, Equatable {
    case done(before: ServiceRecord, after: ServiceRecord)
    case notFound
    case nameTaken
    case archived(ServiceRecord)
    case notArchived(ServiceRecord)
    case neverBooked(ServiceRecord)
    case hasBookings(ServiceRecord)
    case atEdge(ServiceRecord)
}

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
    public let active: Bool
    public let archived: Bool
    public let displayOrder: Int

    static let columns = "id, name, description, duration_minutes, price_text, price_amount::float8 AS price_amount, active, archived, display_order"

    init(row: PostgresRow) throws {
        id = try row.get("id")
        name = try row.get("name")
        description = try row.get("description")
        durationMinutes = try row.get("duration_minutes")
        priceText = try row.get("price_text")
        priceAmount = try row.get("price_amount")
        active = try row.get("active")
        archived = try row.get("archived")
        displayOrder = try row.get("display_order")
    }
}

/// `services`: what can be booked. Field rules are the table's CHECKs; the admin screens
/// (a later issue) explain them before they are hit.
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
}

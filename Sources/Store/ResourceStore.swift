import Foundation
import Postgres

/// What can be booked: each resource (a chair, a room) takes one booking at a time; the
/// business starts with one, `BookingStore.defaultResource`, which is all the bot's
/// screens offer so far. More are added by hand (or by the chaos run's planted visits).
public struct ResourceStore {
    private let db: PostgresConnection

    public init(connection: PostgresConnection) {
        db = connection
    }

    /// Adds one; returns its id (the next free one: the table has no sequence, and two
    /// adding at once get a unique violation, not a shared id).
    public func add(name: String) throws -> Int64 {
        try db.query("INSERT INTO resources (id, name) SELECT coalesce(max(id), 0) + 1, $1 FROM resources RETURNING id",
                     [.text(name)])[0].get("id")
    }
}

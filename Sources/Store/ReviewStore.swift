import Booking
import Foundation
import Postgres

/// `reviews`: one per booking, only by its client, only after the visit (SPEC client 9).
/// Every rule is checked here, inside the caller's transaction, at the moment of the
/// press: a request's buttons cannot be replayed into a second review.
public struct ReviewStore {
    private let db: PostgresConnection

    public init(connection: PostgresConnection) {
        self.db = connection
    }

    public func rate(booking id: Int64, by client: Int64, stars: Int, now: Date) throws -> RatingOutcome {
        guard (1...5).contains(stars) else { return .notFound }
        // The booking row is locked, so two presses of one request settle one after another.
        guard let row = try db.query("SELECT user_id, status, upper(during) AS ends FROM bookings WHERE id = $1 FOR UPDATE",
                                     [.int(id)]).first, try row.get("user_id") as Int64 == client else { return .notFound }
        let status: String = try row.get("status")
        let ends: Date = try row.get("ends")
        guard ends <= now, status == "confirmed" || status == "completed" else { return .notYet }
        let inserted = try db.query("""
            INSERT INTO reviews (booking_id, user_id, rating, created_at, updated_at) VALUES ($1, $2, $3, $4, $4)
            ON CONFLICT (booking_id) DO NOTHING
            """, [.int(id), .int(client), .int(stars), .timestamp(now)]).affectedRows
        return inserted == 1 ? .saved : .alreadyReviewed
    }

    /// The optional comment after the stars, kept once; false when there is no review of
    /// this client's to comment on or it has its comment already.
    public func comment(booking id: Int64, by client: Int64, text: String, now: Date) throws -> Bool {
        try db.query("""
            UPDATE reviews SET comment = $3, updated_at = $4 WHERE booking_id = $1 AND user_id = $2 AND comment IS NULL
            """, [.int(id), .int(client), .text(text), .timestamp(now)]).affectedRows == 1
    }
}

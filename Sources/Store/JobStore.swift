import Foundation
import Postgres

/// One background job, as claimed.
public struct JobRecord: Sendable, Equatable {
    public let id: Int64
    public let kind: String
    /// Its payload as JSON text (the kind says what it holds).
    public let payload: String
    public let requestedBy: Int64
    /// Attempts so far, this one included.
    public let attempts: Int
}

/// What `fail` decided about a job whose attempt failed.
public enum JobFailure: Sendable, Equatable {
    /// It runs again after this moment.
    case retry(at: Date)
    /// That was the last attempt: it is marked failed for good.
    case givenUp
}

/// `jobs`: work started by a turn (inside the turn's transaction) and run later by the
/// reminders process.
///
/// A job runs in two steps. `claimNext` takes the next due job no one holds (`FOR UPDATE
/// SKIP LOCKED`, so any number of runners share the work), counts the attempt and leases
/// the job by moving `run_after` past the lease, committed on its own: an attempt whose
/// runner dies is counted all the same, and the job comes back when the lease ends. The
/// work then runs in a second transaction that first `hold`s the job (still this attempt's,
/// not finished) and ends with `finish` — or, when the work threw, `fail` in a
/// transaction of its own, which gives the job up after its last attempt.
public struct JobStore {
    private let db: PostgresConnection

    public init(connection: PostgresConnection) {
        self.db = connection
    }

    /// Adds a job, due at once, inside the caller's transaction (the turn that starts it):
    /// it exists only if that transaction commits. Returns its id. The same request of the
    /// same person while an earlier one is unfinished joins it (a double press on Confirm
    /// makes one file, not two); the person's updates run one at a time, so the second
    /// sees the first.
    @discardableResult
    public func enqueue(kind: String, payload: String, requestedBy: Int64, now: Date) throws -> Int64 {
        guard db.inTransaction else { throw PostgresError.misuse("a job is enqueued inside the caller's transaction") }
        if let pending: Int64 = try db.query("""
            SELECT id FROM jobs WHERE kind = $1 AND payload = $2::jsonb AND requested_by = $3 AND finished_at IS NULL
            ORDER BY id LIMIT 1
            """, [.text(kind), .json(payload), .int(requestedBy)]).first?.get("id") {
            return pending
        }
        return try db.query("""
            INSERT INTO jobs (kind, payload, requested_by, created_at, run_after) VALUES ($1, $2, $3, $4, $4) RETURNING id
            """, [.text(kind), .json(payload), .int(requestedBy), .timestamp(now)])[0].get("id")
    }

    /// Claims the next due job no one holds: counts the attempt and leases it until
    /// `now + lease` (it is due again then, unless finished or failed meanwhile). Runs in
    /// the caller's transaction, which should commit at once: the attempt counts only then.
    public func claimNext(now: Date, lease: TimeInterval) throws -> JobRecord? {
        guard db.inTransaction else { throw PostgresError.misuse("claiming a job runs inside the caller's transaction") }
        return try db.query("""
            UPDATE jobs SET attempts = attempts + 1, started_at = $1, run_after = $2
            WHERE id = (SELECT id FROM jobs WHERE finished_at IS NULL AND run_after <= $1
                        ORDER BY run_after, id LIMIT 1 FOR UPDATE SKIP LOCKED)
            RETURNING id, kind, payload::text AS payload, requested_by, attempts
            """, [.timestamp(now), .timestamp(now.addingTimeInterval(lease))]).first.map { row in
            JobRecord(id: try row.get("id"), kind: try row.get("kind"), payload: try row.get("payload"),
                      requestedBy: try row.get("requested_by"), attempts: try row.get("attempts"))
        }
    }

    /// Locks the claimed job for the caller's transaction; false when it is no longer this
    /// attempt's (its lease ran out and another runner claimed it, or it was finished).
    /// Waits for a runner still working on it (up to the session's lock timeout).
    public func hold(_ job: JobRecord) throws -> Bool {
        guard db.inTransaction else { throw PostgresError.misuse("holding a job runs inside the caller's transaction") }
        return try db.query("SELECT 1 FROM jobs WHERE id = $1 AND attempts = $2 AND finished_at IS NULL FOR UPDATE",
                            [.int(job.id), .int(job.attempts)]).count == 1
    }

    /// Done: its results were written in the same transaction.
    public func finish(_ id: Int64, now: Date) throws {
        try db.query("UPDATE jobs SET finished_at = $2 WHERE id = $1", [.int(id), .timestamp(now)])
    }

    /// Records a failed attempt (`hold` the job first): due again after `retryAfter` while
    /// attempts remain, given up on (finished and failed) from the `maxAttempts`th on. The
    /// error is kept, cut to 500 characters.
    public func fail(_ job: JobRecord, error: String, retryAfter: TimeInterval, maxAttempts: Int, now: Date) throws -> JobFailure {
        let message = String(error.prefix(500))
        guard job.attempts < maxAttempts else {
            try db.query("UPDATE jobs SET finished_at = $2, failed_at = $2, last_error = $3 WHERE id = $1",
                         [.int(job.id), .timestamp(now), .text(message)])
            return .givenUp
        }
        let next = now.addingTimeInterval(retryAfter)
        try db.query("UPDATE jobs SET run_after = $2, last_error = $3 WHERE id = $1", [.int(job.id), .timestamp(next), .text(message)])
        return .retry(at: next)
    }

    /// Jobs not finished yet (waiting, leased or between attempts).
    public func pending() throws -> Int {
        try db.query("SELECT count(*) AS n FROM jobs WHERE finished_at IS NULL")[0].get("n")
    }
}

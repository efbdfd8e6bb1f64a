import Dispatch
import Foundation
import Postgres
import Store
import TestSupport
import XCTest

/// `jobs` on a migrated scratch database: a job exists only with the transaction that
/// started it; claimers never share one; a failed attempt waits out its backoff; the last
/// one gives the job up; a runner that dies loses its lease and its attempt still counts.
final class JobStoreTests: MigratedDatabaseTestCase {
    private let t0 = Date(timeIntervalSince1970: 1_790_000_000)

    /// Requests made so far: each enqueued one is its own (the same one again would join it).
    private var made = 0

    @discardableResult
    private func enqueue(_ count: Int = 1, by person: Int64 = 7) throws -> [Int64] {
        try db.transaction { tx in
            try (0..<count).map { _ in
                made += 1
                return try JobStore(connection: tx).enqueue(kind: "audit_export", payload: made == 1 ? #"{"chat": 7}"# : #"{"chat": 7, "n": \#(made)}"#,
                                                            requestedBy: person, now: t0)
            }
        }
    }

    private func claim(at now: Date, lease: TimeInterval = 60, on connection: PostgresConnection? = nil) throws -> JobRecord? {
        try (connection ?? db).transaction { tx in try JobStore(connection: tx).claimNext(now: now, lease: lease) }
    }

    private func count(_ sql: String) throws -> Int { try db.query(sql)[0].get("n") }

    func testAJobExistsOnlyIfTheTransactionThatStartedItCommits() throws {
        struct TurnFailed: Error {}
        XCTAssertThrowsError(try db.transaction { tx in
            try JobStore(connection: tx).enqueue(kind: "audit_export", payload: "{}", requestedBy: 7, now: t0)
            throw TurnFailed()
        })
        XCTAssertEqual(try count("SELECT count(*) AS n FROM jobs"), 0, "rolled back with its turn")
        XCTAssertThrowsError(try JobStore(connection: db).enqueue(kind: "audit_export", payload: "{}", requestedBy: 7, now: t0),
                             "outside a transaction it would commit alone")
        XCTAssertNil(try claim(at: t0))

        let id = try XCTUnwrap(try enqueue().first)
        let claimed = try XCTUnwrap(try claim(at: t0))
        XCTAssertEqual([String(claimed.id), claimed.kind, claimed.payload, String(claimed.requestedBy), String(claimed.attempts)],
                       [String(id), "audit_export", #"{"chat": 7}"#, "7", "1"])
        XCTAssertNil(try claim(at: t0.addingTimeInterval(59)), "leased")
        try db.transaction { tx in
            let store = JobStore(connection: tx)
            XCTAssertTrue(try store.hold(claimed))
            try store.finish(claimed.id, now: t0)
        }
        XCTAssertNil(try claim(at: t0.addingTimeInterval(3600)), "done for good")
        XCTAssertEqual(try JobStore(connection: db).pending(), 0)
    }

    func testTheSameRequestWhileOneIsUnfinishedJoinsItAndAFinishedOneDoesNot() throws {
        let enqueueSame = { (person: Int64) in
            try self.db.transaction { tx in
                try JobStore(connection: tx).enqueue(kind: "audit_export", payload: #"{"chat": 7}"#, requestedBy: person, now: self.t0)
            }
        }
        let first = try enqueueSame(7)
        XCTAssertEqual(try enqueueSame(7), first, "a double press: one job")
        XCTAssertNotEqual(try enqueueSame(8), first, "another person's request is their own")
        let claimed = try XCTUnwrap(try claim(at: t0))
        XCTAssertEqual(try enqueueSame(7), first, "still running: joined")
        try db.transaction { tx in
            let store = JobStore(connection: tx)
            XCTAssertTrue(try store.hold(claimed))
            try store.finish(claimed.id, now: t0)
        }
        XCTAssertNotEqual(try enqueueSame(7), first, "after it finished, a new request is a new job")
        XCTAssertEqual(try count("SELECT count(*) AS n FROM jobs"), 3)
    }

    func testTwoClaimersNeverGetTheSameJob() throws {
        try enqueue(2)
        // One claim in flight holds its row: the other claimer skips it, without waiting.
        let other = try database.connect()
        let (first, second) = try db.transaction { tx -> (JobRecord?, JobRecord?) in
            let mine = try JobStore(connection: tx).claimNext(now: t0, lease: 60)
            return (mine, try claim(at: t0, on: other))
        }
        XCTAssertNotNil(first)
        XCTAssertNotNil(second)
        XCTAssertNotEqual(first?.id, second?.id)
        XCTAssertNil(try claim(at: t0), "both leased")

        // Many jobs, four claimers at once: each job claimed exactly once.
        let ids = try enqueue(60)
        final class Claimed: @unchecked Sendable {
            let lock = NSLock()
            var ids: [Int64] = []
            var errors: [String] = []
        }
        let claimed = Claimed()
        let url = database.url
        let now = t0
        DispatchQueue.concurrentPerform(iterations: 4) { _ in
            do {
                let connection = try PostgresConnection(url: url)
                // Bounded: a claim that handed out a job twice must fail here, not spin.
                for _ in 0...ids.count {
                    guard let job = try connection.transaction({ try JobStore(connection: $0).claimNext(now: now, lease: 60) }) else { break }
                    claimed.lock.withLock { claimed.ids.append(job.id) }
                }
            } catch {
                claimed.lock.withLock { claimed.errors.append("\(error)") }
            }
        }
        XCTAssertEqual(claimed.errors, [])
        XCTAssertEqual(claimed.ids.count, ids.count, "no job twice")
        XCTAssertEqual(Set(claimed.ids), Set(ids), "and none left out")
    }

    func testAFailedAttemptWaitsItsBackoffAndTheLastOneGivesTheJobUp() throws {
        try enqueue()
        var now = t0
        for attempt in 1...3 {
            let job = try XCTUnwrap(try claim(at: now), "attempt \(attempt)")
            XCTAssertEqual(job.attempts, attempt)
            let decided = try db.transaction { tx -> JobFailure in
                let store = JobStore(connection: tx)
                XCTAssertTrue(try store.hold(job))
                return try store.fail(job, error: "boom \(attempt)", retryAfter: 30, maxAttempts: 3, now: now)
            }
            if attempt < 3 {
                XCTAssertEqual(decided, .retry(at: now.addingTimeInterval(30)))
                XCTAssertNil(try claim(at: now.addingTimeInterval(29)), "backing off")
                now = now.addingTimeInterval(30)
            } else {
                XCTAssertEqual(decided, .givenUp)
            }
        }
        XCTAssertNil(try claim(at: now.addingTimeInterval(86_400)), "never again")
        let row = try db.query("SELECT attempts, last_error, failed_at IS NOT NULL AS failed, finished_at IS NOT NULL AS finished FROM jobs")[0]
        XCTAssertEqual(try row.get("attempts") as Int, 3)
        XCTAssertEqual(try row.get("last_error") as String, "boom 3")
        XCTAssertTrue(try row.get("failed") as Bool)
        XCTAssertTrue(try row.get("finished") as Bool)
    }

    func testARunnerThatDiesLosesItsLeaseAndItsAttemptStillCounts() throws {
        try enqueue()
        let dead = try XCTUnwrap(try claim(at: t0, lease: 120))
        XCTAssertNil(try claim(at: t0.addingTimeInterval(119)))
        let next = try XCTUnwrap(try claim(at: t0.addingTimeInterval(120)), "the lease ran out")
        XCTAssertEqual(next.attempts, 2, "the dead runner's attempt counted")
        try db.transaction { tx in
            XCTAssertFalse(try JobStore(connection: tx).hold(dead), "the old attempt holds nothing any more")
            XCTAssertTrue(try JobStore(connection: tx).hold(next))
        }
    }

    func testFinishedJobsArePrunedWithTheOutboxAndPendingOnesKept() throws {
        let ids = try enqueue(3)
        let done = try XCTUnwrap(try claim(at: t0))
        try db.transaction { tx in try JobStore(connection: tx).finish(done.id, now: t0) }
        let failed = try XCTUnwrap(try claim(at: t0))
        _ = try db.transaction { tx in try JobStore(connection: tx).fail(failed, error: "x", retryAfter: 1, maxAttempts: 1, now: t0) }
        let retention: TimeInterval = 14 * 86_400
        XCTAssertEqual(try RetentionStore(connection: db).prune(now: t0.addingTimeInterval(retention - 60), outboxRetention: retention).jobs, 0)
        let pruned = try RetentionStore(connection: db).prune(now: t0.addingTimeInterval(retention + 60), outboxRetention: retention)
        XCTAssertEqual(pruned.jobs, 2, "the done one and the given-up one")
        XCTAssertEqual(try db.query("SELECT id FROM jobs").map { try $0.get("id") as Int64 }, ids.filter { $0 != done.id && $0 != failed.id })
    }
}

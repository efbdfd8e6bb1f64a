import Booking
import Conversation
import Delivery
import Foundation
import Logging
import Postgres
import Store
import Texts

/// Runs the background jobs turns started (`Effect.startJob`), one per call, for the
/// reminders process: a round runs at most one job, so reminders wait for at most one
/// job's work, and each job's work is one bounded transaction.
///
/// A call claims the next due job (its attempt counted and committed first, so a job that
/// kills its runner still runs out of attempts), then in one transaction holds it, runs
/// its handler, writes the result as background outbox rows of the requester's chat and
/// marks it done. A handler that throws leaves nothing behind: the job is due again after
/// a backoff, and after its last attempt it is failed for good and the requester told.
public struct JobRunner {
    public struct Settings: Sendable {
        /// Attempts before a job is given up on.
        public var maxAttempts = 3
        /// How long a claimed job is left to its runner before another may claim it.
        public var lease: TimeInterval = 120
        /// The wait after the first failed attempt; doubled after each further one.
        public var retryAfter: TimeInterval = 30
        /// The newest audit entries an export holds.
        public var auditExportLimit = 10_000
        /// The bookings a bookings export holds (the first by start; the message says when a range had more).
        public var bookingsExportLimit = 20_000

        public init() {}
    }

    /// What one call did.
    public enum Outcome: Sendable, Equatable {
        /// Nothing was due.
        case idle
        /// Done; its result waits in the chat's outbox.
        case done(job: Int64, chat: Int64)
        /// It failed and runs again at that moment.
        case retrying(job: Int64, at: Date)
        /// Given up on; `chat` (if any) was told so.
        case failed(job: Int64, chat: Int64?)
        /// Its lease ran out and another runner has it now.
        case lost(job: Int64)

        /// The chat to send to now, if any.
        public var chat: Int64? {
            switch self {
            case .done(_, let chat): return chat
            case .failed(_, let chat): return chat
            case .idle, .retrying, .lost: return nil
            }
        }
    }

    let db: PostgresConnection
    /// The business's clock (the export's times and file name).
    let clock: BusinessClock
    let settings: Settings
    let logger: Logger

    public init(db: PostgresConnection, clock: BusinessClock, settings: Settings = Settings(), logger: Logger) {
        self.db = db
        self.clock = clock
        self.settings = settings
        self.logger = logger
    }

    /// Claims and runs the next due job, if any.
    public func runNext(now: Date) throws -> Outcome {
        guard let claimed = try db.transaction({ try JobStore(connection: $0).claimNext(now: now, lease: settings.lease) }) else {
            return .idle
        }
        let metadata: Logger.Metadata = ["job": "\(claimed.id)", "kind": "\(claimed.kind)", "attempt": "\(claimed.attempts)"]
        let job: Job
        do {
            job = try Job(kind: claimed.kind, payload: claimed.payload)
        } catch {
            // Written by another version or by hand: nothing here can run it, ever.
            logger.error("job cannot be read; given up", metadata: metadata.merging(["error": "\(error)"]) { $1 })
            return try recordFailure(claimed, job: nil, error: "\(error)", attemptsLeft: false, now: now)
        }
        guard claimed.attempts <= settings.maxAttempts else {
            // The last attempt's runner stopped in the middle (killed, or the job killed it).
            logger.error("job's last attempt never finished; given up", metadata: metadata)
            return try recordFailure(claimed, job: job, error: "an attempt never finished", attemptsLeft: false, now: now)
        }
        do {
            let outcome = try db.transaction { tx -> Outcome in
                let store = JobStore(connection: tx)
                guard try store.hold(claimed) else { return .lost(job: claimed.id) }
                let outbox = OutboxStore(connection: tx)
                for reply in try replies(of: job, in: tx, now: now) {
                    try outbox.add(reply, chatID: job.requester.chat, updateID: nil, lane: .background, now: now)
                }
                try store.finish(claimed.id, now: now)
                return .done(job: claimed.id, chat: job.requester.chat)
            }
            logger.info("job done", metadata: metadata)
            return outcome
        } catch {
            logger.error("job failed", metadata: metadata.merging(["error": "\(error)"]) { $1 })
            return try recordFailure(claimed, job: job, error: "\(error)", attemptsLeft: true, now: now)
        }
    }

    /// The job's result, as replies to the requester's chat.
    private func replies(of job: Job, in tx: PostgresConnection, now: Date) throws -> [Outgoing] {
        switch job {
        case .auditExport(let requester):
            return try AuditExport(clock: clock, limit: settings.auditExportLimit).replies(for: requester, in: tx, now: now)
        case .bookingsExport(let requester, let range):
            return try BookingsExport(clock: clock, limit: settings.bookingsExportLimit).replies(for: requester, range: range, in: tx)
        }
    }

    /// What the requester is told when their job is given up on.
    private func failureText(of job: Job) -> any StaffScreenText {
        switch job {
        case .auditExport: return StaffText.auditExportFailed
        case .bookingsExport: return BookingsExportText.failed
        }
    }

    /// A failed attempt, in a transaction of its own: retried after a backoff while
    /// attempts are left, otherwise failed for good with a message to the requester (a job
    /// that cannot be read has nobody to tell in a language it knows: the log says it).
    private func recordFailure(_ claimed: JobRecord, job: Job?, error: String, attemptsLeft: Bool, now: Date) throws -> Outcome {
        try db.transaction { tx -> Outcome in
            let store = JobStore(connection: tx)
            guard try store.hold(claimed) else { return .lost(job: claimed.id) }
            let backoff = settings.retryAfter * pow(2, Double(max(0, claimed.attempts - 1)))
            switch try store.fail(claimed, error: error, retryAfter: backoff, maxAttempts: attemptsLeft ? settings.maxAttempts : 0,
                                  now: now) {
            case .retry(let at):
                return .retrying(job: claimed.id, at: at)
            case .givenUp:
                guard let job else { return .failed(job: claimed.id, chat: nil) }
                let requester = job.requester
                try OutboxStore(connection: tx).add(.message(text: failureText(of: job).text(in: requester.language), menu: nil,
                                                             buttons: nil),
                                                    chatID: requester.chat, updateID: nil, lane: .background, now: now)
                logger.warning("job given up; the requester was told", metadata: ["job": "\(claimed.id)", "kind": "\(claimed.kind)"])
                return .failed(job: claimed.id, chat: requester.chat)
            }
        }
    }
}

import Conversation
import Delivery
import Foundation
import Logging
import Postgres
import Store
import Texts

/// A reminders round's share of the broadcasts (SPEC admin 8): one batch of recipients
/// recorded with their outbox rows, and one finished broadcast reported, each in a
/// transaction of its own. Sending is not done here: the rows are on the broadcast lane,
/// which only the workers' dispatchers send (`OutboxLane.broadcast`).
struct BroadcastRounds {
    let db: PostgresConnection
    let batchSize: Int
    let logger: Logger

    /// True when it did something (the next round starts at once).
    func run(now: Date) throws -> Bool {
        let expanded = try expandOneBatch(now: now)
        failAbandonedSends()
        let finished = try finishOne(now: now)
        return expanded || finished
    }

    /// A broadcast row whose sender died mid-call is in doubt: failed as unknown, never
    /// sent twice (`OutboxStore.claimForSending`). A minute is far past any call's timeout.
    static let abandonedAfterSeconds = 60

    private func failAbandonedSends() {
        do {
            let failed = try OutboxStore(connection: db).failAbandonedSends(olderThan: Self.abandonedAfterSeconds)
            if failed > 0 { logger.warning("broadcast rows in doubt after a sender stopped mid-call; not sent again", metadata: ["rows": "\(failed)"]) }
        } catch {
            logger.warning("could not look for abandoned broadcast sends", metadata: ["error": "\(error)"])
        }
    }

    private func expandOneBatch(now: Date) throws -> Bool {
        try db.transaction { tx -> Bool in
            guard let batch = try BroadcastStore(connection: tx).expandNext(limit: batchSize, lane: OutboxLane.broadcast.rawValue, now: now, message: { text, photo in
                try OutgoingRequests.request(for: BroadcastFlow.message(text: text, photo: photo), chatID: 0)
            }) else { return false }
            if batch.complete {
                logger.info("broadcast wholly recorded", metadata: ["broadcast": "\(batch.broadcast)"])
            }
            return true
        }
    }

    private func finishOne(now: Date) throws -> Bool {
        try db.transaction { tx -> Bool in
            let report = try BroadcastStore(connection: tx).finishNext(now: now, lane: OutboxLane.broadcast.rawValue) { figures, code in
                let language = Language(rawValue: code) ?? .ru
                let text = BroadcastText.report(BroadcastFigures(figures)).text(in: language)
                return try OutgoingRequests.request(for: .message(text: text, menu: nil, buttons: nil), chatID: figures.createdBy)
            }
            guard let report else { return false }
            logger.info("broadcast done", metadata: ["broadcast": "\(report.progress.id)", "sent": "\(report.progress.sent)",
                                                     "failed": "\(report.progress.failed)", "blocked": "\(report.progress.blocked)"])
            return true
        }
    }
}

extension BroadcastFigures {
    fileprivate init(_ progress: BroadcastProgress) {
        let status: Status = progress.status == .sending ? .sending : progress.status == .done ? .done : .other
        self.init(id: progress.id, status: status, text: progress.text, total: progress.total, recorded: progress.recorded,
                  sent: progress.sent, failed: progress.failed, blocked: progress.blocked)
    }
}

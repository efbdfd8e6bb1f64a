import Booking
import Conversation
import Delivery
import ErrorCapture
import Foundation
import Logging
import Postgres
import Queue
import Stats
import Store
import Telegram
import Texts
import WireSupport

/// Handles one update of a chat: one PostgreSQL transaction holds the update's
/// `processed_updates` row, the conversation state, the store effects and the replies as
/// outbox rows. It sends nothing: it returns the committed rows, and the process's
/// `OutboxDispatcher` sends them while the loop goes on to the next update.
///
/// A replay (the previous worker died after its commit, before the queue ack) finds the
/// update in `processed_updates`, changes nothing, and hands over what the chat still
/// has unsent.
struct UpdateHandler {
    let db: PostgresConnection
    let router: Router
    let defaults: BookingRules
    /// `ADMIN_IDS`: told of every booking change, with the admins who keep notices on.
    let owners: [Int64]
    let floodGuard: FloodGuard
    /// The system clock, unless a test moved it (`ProcessClock`).
    let clock: ProcessClock
    let logger: Logger
    var hooks = TestHooks()

    /// What handling an update left to do and to tell.
    struct Handled {
        var kind: String
        /// Its steps' times, for a sampled trace.
        var spans: [TraceSpan]
        /// Committed and unsent: for the dispatcher.
        var rows: [OutboxMessage]
    }

    /// Handles the update in one transaction. `leaseHeld` is asked just before the commit:
    /// a worker that lost its chat while it was paused rolls back instead of committing
    /// beside the chat's new owner.
    @discardableResult
    func handle(chat: Int64, update queued: QueuedUpdate, leaseHeld: () -> Bool = { true }) throws -> Handled {
        let started = Date()
        let update = try Update.decode(queued.payload)
        Breadcrumbs.leave("update \(update.kind) \(update.updateID)", category: "worker")
        let now = clock.now()
        var spans: [TraceSpan] = []
        // Telegram dates messages to the second: the wait in line from then to here.
        if let sent = update.message?.date, Double(sent) < started.timeIntervalSince1970 {
            spans.append(TraceSpan(op: "queue.wait", start: Date(timeIntervalSince1970: Double(sent)), end: started))
        }
        let transactionStart = Date()
        let rows = try db.transaction { tx -> [OutboxMessage]? in
            guard try UpdateLedger(connection: tx).claim(updateID: update.updateID, chatID: chat, now: now) else { return nil }
            if let membership = IncomingUpdate.membership(update) {
                // Telegram's word that the person blocked (or unblocked) the bot: broadcasts
                // and reminders skip them from now on, not only after a 403.
                let users = ClientStore(connection: tx)
                if membership.blocked { try users.markBlocked(membership.user, at: now) } else { try users.markUnblocked(membership.user) }
                return []
            }
            guard let incoming = IncomingUpdate.read(update) else { return [] }
            hooks.reached(text: update.message?.text)
            // Checked only for updates seen for the first time, so a replay never warns twice;
            // judged by when ingress received them, so a backlog never reads as haste.
            let verdict = try floodGuard.check(incoming, updateID: update.updateID, receivedAt: queued.receivedAt ?? Date())
            let rows: [OutboxMessage]
            if verdict == .pass {
                rows = try UpdateTurn(router: router, defaults: defaults, owners: owners, logger: logger)
                    .run(incoming, chat: chat, updateID: update.updateID, now: now, in: tx)
            } else {
                rows = try UpdateTurn.write(router.tooFast(incoming, warn: verdict == .dropWithWarning), chat: chat, updateID: update.updateID,
                                            now: now, in: tx)
            }
            guard leaseHeld() else { throw LeaseLost() }
            return rows
        }
        spans.append(TraceSpan(op: "db.transaction", start: transactionStart, end: Date()))
        guard let rows else {
            Breadcrumbs.leave("replayed: effects were committed before", category: "worker")
            logger.info("update replayed; effects already committed", metadata: ["update_id": "\(update.updateID)"])
            // What the first try committed and could not send goes now, in order.
            return Handled(kind: "\(update.kind)", spans: spans, rows: try OutboxStore(connection: db).pending(chatID: chat))
        }
        Breadcrumbs.leave("transaction committed", category: "worker")
        return Handled(kind: "\(update.kind)", spans: spans, rows: rows)
    }
}

extension UpdateHandler {
    /// After an update was parked: tells the person something went wrong (and answers
    /// their button press, which must never hang), best effort. Returns the rows to send.
    func apologize(chat: Int64, raw: Data) -> [OutboxMessage] {
        guard let update = try? Update.decode(raw), let incoming = IncomingUpdate.read(update) else { return [] }
        do {
            return try db.transaction { tx in
                try UpdateTurn.write(router.apology(for: incoming, now: clock.now()), chat: chat, updateID: update.updateID, now: clock.now(), in: tx)
            }
        } catch {
            logger.error("cannot tell the user about a parked update", metadata: ["chat": "\(chat)", "error": "\(error)"])
            return []
        }
    }
}

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
/// outbox rows; after the commit the chat's replies are sent in order.
///
/// A replay (the previous worker died after its commit, before the queue ack) finds the
/// update in `processed_updates`, changes nothing, and only sends what is still unsent.
struct UpdateHandler {
    let db: PostgresConnection
    let telegram: TelegramClient
    /// The deployment's shared budget of Telegram sends.
    let limiter: SendRateLimiter
    /// The deployment's figures (Telegram's refusals are counted as they happen).
    let stats: DeploymentStats
    let router: Router
    let defaults: BookingRules
    /// `ADMIN_IDS`: told of every booking change, with the admins who keep notices on.
    let owners: [Int64]
    let floodGuard: FloodGuard
    /// The system clock, unless a test moved it (`ProcessClock`).
    let clock: ProcessClock
    let logger: Logger
    var hooks = TestHooks()

    /// Handles the update; returns its kind and its steps' times, for a sampled trace.
    /// `leaseHeld` is asked just before the commit: a worker that lost its chat while it
    /// was paused rolls back instead of committing beside the chat's new owner.
    @discardableResult
    func handle(chat: Int64, update queued: QueuedUpdate, leaseHeld: () -> Bool = { true }) throws -> (kind: String, spans: [TraceSpan]) {
        let started = Date()
        let sender = OutboxSender(db: db, telegram: telegram, limiter: limiter, stats: stats, logger: logger)
        // Replies an earlier update committed but could not send go first: order per chat.
        try sender.flush(chatID: chat)
        let update = try Update.decode(queued.payload)
        Breadcrumbs.leave("update \(update.kind) \(update.updateID)", category: "worker")
        let now = clock.now()
        var notified: [Int64] = []
        var spans: [TraceSpan] = []
        // Telegram dates messages to the second: the wait in line from then to here.
        if let sent = update.message?.date, Double(sent) < started.timeIntervalSince1970 {
            spans.append(TraceSpan(op: "queue.wait", start: Date(timeIntervalSince1970: Double(sent)), end: started))
        }
        let transactionStart = Date()
        let replayed = try db.transaction { tx -> Bool in
            notified = []
            guard try UpdateLedger(connection: tx).claim(updateID: update.updateID, chatID: chat, now: now) else { return true }
            guard let incoming = IncomingUpdate.read(update) else { return false }
            hooks.reached(text: update.message?.text)
            // Checked only for updates seen for the first time, so a replay never warns twice;
            // judged by when ingress received them, so a backlog never reads as haste.
            let verdict = try floodGuard.check(incoming, updateID: update.updateID, receivedAt: queued.receivedAt ?? Date())
            if verdict == .pass {
                notified = try UpdateTurn(router: router, defaults: defaults, owners: owners, logger: logger)
                    .run(incoming, chat: chat, updateID: update.updateID, now: now, in: tx)
            } else {
                try UpdateTurn.write(router.tooFast(incoming, warn: verdict == .dropWithWarning), chat: chat, updateID: update.updateID, now: now, in: tx)
            }
            guard leaseHeld() else { throw LeaseLost() }
            return false
        }
        spans.append(TraceSpan(op: "db.transaction", start: transactionStart, end: Date()))
        Breadcrumbs.leave(replayed ? "replayed: effects were committed before" : "transaction committed", category: "worker")
        if replayed { logger.info("update replayed; effects already committed", metadata: ["update_id": "\(update.updateID)"]) }
        let sendStart = Date()
        try sender.flush(chatID: chat)
        // A chat busy with another sender: that sender or the sweeper sends it.
        for other in notified where other != chat {
            _ = try sender.flushIfFree(chatID: other)
        }
        spans.append(TraceSpan(op: "telegram.send", start: sendStart, end: Date()))
        return ("\(update.kind)", spans)
    }
}

extension UpdateHandler {
    /// After an update was parked: tells the person something went wrong (and answers
    /// their button press, which must never hang), best effort.
    func apologize(chat: Int64, raw: Data) {
        guard let update = try? Update.decode(raw), let incoming = IncomingUpdate.read(update) else { return }
        do {
            try db.transaction { tx in
                try UpdateTurn.write(router.apology(for: incoming, now: clock.now()), chat: chat, updateID: update.updateID, now: clock.now(), in: tx)
            }
            try OutboxSender(db: db, telegram: telegram, limiter: limiter, stats: stats, logger: logger).flush(chatID: chat)
        } catch {
            logger.error("cannot tell the user about a parked update", metadata: ["chat": "\(chat)", "error": "\(error)"])
        }
    }
}

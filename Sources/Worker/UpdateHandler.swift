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
    let dialogue: Dialogue
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
                notified = try apply(incoming, chat: chat, updateID: update.updateID, now: now, in: tx)
            } else {
                try write(dialogue.tooFast(incoming, warn: verdict == .dropWithWarning), chat: chat, updateID: update.updateID, now: now, in: tx)
            }
            guard leaseHeld() else { throw LeaseLost() }
            return false
        }
        spans.append(TraceSpan(op: "db.transaction", start: transactionStart, end: Date()))
        Breadcrumbs.leave(replayed ? "replayed: effects were committed before" : "transaction committed", category: "worker")
        if replayed { logger.info("update replayed; effects already committed", metadata: ["update_id": "\(update.updateID)"]) }
        let sendStart = Date()
        try sender.flush(chatID: chat)
        // An admin's chat busy with another sender: that sender or the sweeper sends it.
        for admin in notified where admin != chat {
            _ = try sender.flushIfFree(chatID: admin)
        }
        spans.append(TraceSpan(op: "telegram.send", start: sendStart, end: Date()))
        return ("\(update.kind)", spans)
    }

    /// Runs the dialogue's two steps in the transaction; returns the admins notified.
    private func apply(_ incoming: Incoming, chat: Int64, updateID: Int64, now: Date, in tx: PostgresConnection) throws -> [Int64] {
        let person = incoming.person
        let isNew = try ClientStore(connection: tx).register(id: person.id, firstName: person.firstName, username: person.username,
                                                             languageCode: person.languageCode, now: now)
        let conversations = ConversationStore(connection: tx)
        let state = try conversations.load(chatID: chat, userID: person.id)
            .flatMap { try? JSONDecoder().decode(ConversationState.self, from: Data($0.utf8)) } ?? ConversationState()
        let plan = dialogue.plan(for: incoming, state: state, now: now)
        let reader = FactsReader(db: tx, defaults: defaults)
        let outcome = try plan.intent.map { try reader.carryOut($0, client: person.id, now: now) }
        let facts = try reader.read(plan.needs, person: person.id, isNewUser: isNew, outcome: outcome, now: now)
        let turn = dialogue.respond(to: incoming, state: state, facts: facts, now: now)
        let encoded = String(decoding: try JSONEncoder().encode(turn.state), as: UTF8.self)
        try conversations.save(chatID: chat, userID: person.id, state: turn.state.screen.rawValue, data: encoded, now: now)
        try write(turn.replies, chat: chat, updateID: updateID, now: now, in: tx)
        guard let notice = turn.adminNotice else { return [] }
        let recipients = try AdminStore(connection: tx).noticeRecipients(owners: owners, except: person.id)
        for recipient in recipients {
            let text = Texts.text(notice, in: dialogue.language(forCode: recipient.languageCode))
            // In the interactive lane: staff act on these, and there are few of them.
            try OutboxStore(connection: tx).add(.message(text: text, menu: nil, buttons: nil), chatID: recipient.userID,
                                                updateID: updateID, now: now)
        }
        return recipients.map(\.userID)
    }

    /// The replies, as outbox rows of this transaction.
    private func write(_ replies: [Outgoing], chat: Int64, updateID: Int64, now: Date, in tx: PostgresConnection) throws {
        let outbox = OutboxStore(connection: tx)
        for reply in replies {
            try outbox.add(reply, chatID: chat, updateID: updateID, now: now)
        }
    }
}

extension UpdateHandler {
    /// After an update was parked: tells the person something went wrong (and answers
    /// their button press, which must never hang), best effort.
    func apologize(chat: Int64, raw: Data) {
        guard let update = try? Update.decode(raw), let incoming = IncomingUpdate.read(update) else { return }
        do {
            try db.transaction { tx in
                try write(dialogue.apology(for: incoming), chat: chat, updateID: update.updateID, now: clock.now(), in: tx)
            }
            try OutboxSender(db: db, telegram: telegram, limiter: limiter, stats: stats, logger: logger).flush(chatID: chat)
        } catch {
            logger.error("cannot tell the user about a parked update", metadata: ["chat": "\(chat)", "error": "\(error)"])
        }
    }
}

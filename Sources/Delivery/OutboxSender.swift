import Foundation
import Logging
import Postgres
import Stats
import Store
import Telegram

/// Sends a chat's committed replies in order.
///
/// Any process may send any chat's rows (the worker its own chat's and the admins'
/// notices, the reminders process whatever waited too long), so each row goes out in a
/// short transaction holding the chat's advisory lock: one sender per chat at a time, the
/// row marked under the lock, so nothing goes twice and order holds. The lock is the
/// transaction's, so a sender that dies or freezes loses it to the server (its session
/// ends, or the idle-in-transaction timeout ends it) instead of holding the chat forever;
/// a wait for it is bounded by the session's `lock_timeout`.
///
/// Telegram's answer decides each row's fate: sent; refused for good (400: kept with the
/// reason; 403: the user blocked the bot and is marked so); or a transient failure (429
/// after its `retry_after`, 5xx, network), which leaves the row, and every later one of
/// the chat, for the next flush — order is never broken to get a later reply out first.
///
/// It leaves the broadcast lane's rows alone (`OutboxLane.broadcast`): they are the
/// workers' dispatchers' to send, so that the process expanding a broadcast, killed in the
/// middle of a call, never leaves one of them in doubt.
public struct OutboxSender {
    let db: PostgresConnection
    let telegram: TelegramClient
    let limiter: SendRateLimiter?
    /// Where Telegram's refusals are counted for `/metrics` (nil: not counted).
    let stats: DeploymentStats?
    let logger: Logger
    /// The longest 429 wait done inline; longer ones leave the row for later.
    var maxInlineFloodWait = 5
    /// A call's bound: well inside the session's idle-in-transaction timeout (at least
    /// 15 s, the configuration insists), so a slow Telegram never costs the sender its
    /// lock in the middle of a row.
    var callTimeout: Double = 10
    /// The longest a flush waits for the deployment's send budget before it leaves the
    /// row for the next one.
    var maxBudgetWait: TimeInterval = 5

    /// `limiter` nil sends without the shared budget (tests of the sender alone).
    public init(db: PostgresConnection, telegram: TelegramClient, limiter: SendRateLimiter?, stats: DeploymentStats? = nil, logger: Logger) {
        self.db = db
        self.telegram = telegram
        self.limiter = limiter
        self.stats = stats
        self.logger = logger
    }

    /// Sends everything pending for the chat, waiting for the chat's lock (up to the
    /// session's lock timeout). Returns true when nothing is left (sent, or refused for good).
    @discardableResult
    public func flush(chatID: Int64) throws -> Bool {
        // Most flushes find nothing (the worker asks before every update): no lock then.
        // A row committed after this look is its committer's to send.
        guard try OutboxStore(connection: db).hasPending(chatID: chatID, sparingBroadcasts: true) else { return true }
        return try sendPending(chatID, waitForLock: true) ?? false
    }

    /// Like `flush`, unless another sender holds the chat (it sends the rows then):
    /// nil when the chat was busy.
    public func flushIfFree(chatID: Int64) throws -> Bool? {
        try sendPending(chatID, waitForLock: false)
    }

    private enum Step {
        case sent(more: Bool), empty, stopped, busy
        /// Nothing was sent: wait this long outside any transaction, then try the row again.
        case wait(TimeInterval, flood: Bool)
    }

    /// One row per transaction, again while more wait: rows committed while these went out
    /// are sent by this sender, not left for the sweeper. Each transaction also looks at
    /// the row after its own, so the last row needs no transaction just to find nothing.
    /// Waits (for the send budget, for a short 429) happen between transactions, never
    /// inside one: a transaction holds only one call to Telegram, well within the
    /// session's idle-in-transaction timeout.
    private func sendPending(_ chatID: Int64, waitForLock: Bool) throws -> Bool? {
        var budgetWaited: TimeInterval = 0
        var floodWaits = 0
        while true {
            let step = try db.transaction { tx -> Step in
                let outbox = OutboxStore(connection: tx)
                if waitForLock {
                    try outbox.lockChat(chatID)
                } else if !(try outbox.tryLockChat(chatID)) {
                    return .busy
                }
                let next = try outbox.pending(chatID: chatID, limit: 2, sparingBroadcasts: true)
                guard let message = next.first else { return .empty }
                return try send(message, outbox: outbox, mayWaitForFlood: floodWaits < 2, more: next.count > 1)
            }
            switch step {
            case .sent(more: true):
                (budgetWaited, floodWaits) = (0, 0)
            case .sent(more: false), .empty:
                return true
            case .stopped:
                return false
            case .busy:
                return nil
            case .wait(let seconds, flood: true):
                floodWaits += 1
                Thread.sleep(forTimeInterval: seconds)
            case .wait(let seconds, flood: false):
                // The budget stayed spent that long: the row waits for the next flush.
                guard budgetWaited < maxBudgetWait else { return false }
                let nap = min(seconds, 1, maxBudgetWait - budgetWaited)
                budgetWaited += nap
                Thread.sleep(forTimeInterval: nap)
            }
        }
    }

    /// Sends one row and records its fate, or says how long to wait first.
    private func send(_ message: OutboxMessage, outbox: OutboxStore, mayWaitForFlood: Bool, more: Bool) throws -> Step {
        let document: DocumentUpload?
        do {
            document = message.method == DocumentUpload.method ? try DocumentUpload(payload: message.payload) : nil
        } catch {
            try outbox.markFailed(message.id, error: "unreadable document row: \(error)", now: Date())
            logger.error("document row unreadable; not sent", metadata: ["chat": "\(message.chatID)", "row": "\(message.id)"])
            return .sent(more: more)
        }
        // A Redis failure lets the send through (Telegram's 429 still guards).
        if message.countsAgainstFloodLimits, let limiter,
           let wait = try? limiter.acquire(message.budgetLane, chat: message.chatID), wait > 0 {
            return .wait(wait, flood: false)
        }
        do {
            if let document {
                // The one row that is not a JSON call: its bytes go up as a multipart upload.
                _ = try telegram.sendDocument(chatID: document.chatID, fileName: document.fileName, data: document.contents,
                                              caption: document.caption, timeout: callTimeout)
            } else {
                _ = try telegram.call(method: message.method, payload: Data(message.payload.utf8), timeout: callTimeout)
            }
            try outbox.markSent(message.id, now: Date())
        } catch let error as TelegramError {
            stats?.telegramError(kind: error.kind)
            switch RowFate(refusal: error, method: message.method) {
            case .floodWait(let seconds) where seconds <= maxInlineFloodWait && mayWaitForFlood:
                logger.warning("Telegram asked to slow down; waiting", metadata: ["chat": "\(message.chatID)", "seconds": "\(seconds)"])
                try? limiter?.hold(chat: message.chatID, seconds: seconds)
                return .wait(Double(seconds), flood: true)
            case .delivered(let note):
                try outbox.markSent(message.id, now: Date(), note: note)
                if note != nil { logger.info("press answer refused as too old; counted as delivered", metadata: ["chat": "\(message.chatID)"]) }
            case .blocked(let description):
                try outbox.markFailed(message.id, error: description, now: Date())
                try ClientStore(connection: db).markBlocked(message.chatID, at: Date())
                logger.info("user blocked the bot", metadata: ["chat": "\(message.chatID)"])
            case .refused(let reason):
                try outbox.markFailed(message.id, error: reason, now: Date())
                logger.error("reply refused by Telegram", metadata: ["chat": "\(message.chatID)", "method": "\(message.method)", "error": "\(reason)"])
            case .floodWait(let seconds):
                try? limiter?.hold(chat: message.chatID, seconds: seconds)
                try outbox.markAttempt(message.id, error: "\(error)")
                logger.warning("reply not sent yet; will retry", metadata: ["chat": "\(message.chatID)", "error": "\(error)"])
                return .stopped
            case .retryLater:
                try outbox.markAttempt(message.id, error: "\(error)")
                logger.warning("reply not sent yet; will retry", metadata: ["chat": "\(message.chatID)", "error": "\(error)"])
                return .stopped
            }
        }
        return .sent(more: more)
    }
}

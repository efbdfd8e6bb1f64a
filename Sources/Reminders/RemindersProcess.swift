import Booking
import Conversation
import Delivery
import Foundation
import Keys
import Logging
import Postgres
import Redis
import Stats
import Store
import Telegram
import WireSupport

/// `bookingbot reminders`: sends what falls due and what was left behind, and runs the
/// background jobs turns started.
///
/// Each round: visits that ended become completed; due reminders and review requests are
/// claimed (`FOR UPDATE SKIP LOCKED`, so any number of these processes share the work),
/// each turned into an outbox row and marked sent — or missed, or withdrawn — in the
/// same transaction, so a message is queued exactly once whatever crashes; at most one
/// background job runs (`JobRunner`: an export, its file written to the outbox with the
/// job marked done), so reminders wait for one job's work at most; one batch of a
/// broadcast's recipients is recorded and a finished broadcast reported (`BroadcastRounds`:
/// its rows are the workers' to send, never this process's); then those
/// chats' outboxes are flushed, and so are chats whose replies waited longer than
/// `sweepAge` (a worker died between commit and send, or Telegram failed). Sending goes
/// through `OutboxSender`: one sender per chat at a time, in order, within the shared
/// send budget, background lane.
public final class RemindersProcess: @unchecked Sendable {
    public struct Settings: Sendable {
        public var name: String
        public var redis: RedisEndpoint
        public var prefix: String
        public var databaseURL: String
        public var telegramURL: String
        public var token: String
        public var defaults: BookingRules
        public var dialogue: ConversationSettings
        public var sendRatePerSecond: Double
        /// `TELEGRAM_CHAT_SEND_RATE`.
        public var chatSendRatePerSecond: Double = 1
        /// Rest between rounds that found nothing to do.
        public var tick: TimeInterval = 1
        /// `OUTBOX_RETENTION_DAYS`: how long delivered replies are kept.
        public var outboxRetention: TimeInterval = 14 * 86_400
        /// How often old ledger and outbox rows are pruned.
        public var pruneEvery: TimeInterval = 60
        /// The database session's bounds (statement, lock and idle-in-transaction timeouts).
        public var databaseLimits = PostgresSessionLimits.service
        public var batchSize = 100
        /// Broadcast recipients recorded (with their outbox rows) per transaction, one batch a round.
        public var broadcastBatch = 200
        /// Replies unsent for this long are sent by this process.
        public var sweepAge: TimeInterval = 3
        /// Background jobs: attempts, lease, backoff, export size.
        public var jobs = JobRunner.Settings()

        public init(name: String, redis: RedisEndpoint, prefix: String, databaseURL: String, telegramURL: String, token: String,
                    defaults: BookingRules, dialogue: ConversationSettings, sendRatePerSecond: Double) {
            self.name = name
            self.redis = redis
            self.prefix = prefix
            self.databaseURL = databaseURL
            self.telegramURL = telegramURL
            self.token = token
            self.defaults = defaults
            self.dialogue = dialogue
            self.sendRatePerSecond = sendRatePerSecond
        }
    }

    private let settings: Settings
    private let clock: ProcessClock
    private let logger: Logger
    private let threads = LoopThreads()
    private var lastPrune = Date.distantPast

    public init(settings: Settings, clock: ProcessClock = .fromEnvironment(), logger: Logger) {
        self.settings = settings
        self.clock = clock
        self.logger = logger
    }

    public func start() {
        threads.spawn("reminders") { [self] in loop() }
    }

    /// Finishes the round in hand (one transaction at a time) and returns within `grace`;
    /// false when the round was still busy then.
    @discardableResult
    public func stop(grace: TimeInterval) -> Bool {
        threads.stop(grace: grace)
    }

    private var shouldStop: Bool { threads.isStopping }

    private func rest(_ seconds: TimeInterval) { threads.rest(seconds) }

    private func loop() {
        var backoff = Backoff(initial: 0.2, maximum: 5)
        while !shouldStop {
            do {
                let db = try PostgresConnection(url: settings.databaseURL,
                                                options: PostgresOptions(applicationName: "bookingbot-reminders", limits: settings.databaseLimits))
                let redis = try RedisConnection(endpoint: settings.redis)
                let stats = DeploymentStats(redis: redis, prefix: settings.prefix)
                let sender = OutboxSender(db: db, telegram: TelegramClient(baseURL: settings.telegramURL, token: settings.token),
                                          limiter: SendRateLimiter(redis: redis, prefix: settings.prefix, perSecond: settings.sendRatePerSecond,
                                                                           chatPerSecond: settings.chatSendRatePerSecond),
                                          stats: stats, logger: logger)
                logger.info("reminders started")
                while !shouldStop {
                    let busy = try round(db: db, redis: redis, stats: stats, sender: sender)
                    backoff = Backoff(initial: 0.2, maximum: 5)
                    if !busy { rest(settings.tick) }
                }
            } catch {
                logger.error("reminders round failed; reconnecting", error: error, metadata: ["error": "\(error)"])
                rest(backoff.nextDelay())
            }
        }
    }

    /// One round; true when it found work (the next round starts at once).
    private func round(db: PostgresConnection, redis: RedisConnection, stats: DeploymentStats, sender: OutboxSender) throws -> Bool {
        let now = clock.now()
        let began = Date()  // wall time: the lag is read against other processes' clocks
        heartbeat(redis)
        let store = ReminderStore(connection: db)
        let completed = try store.completeFinishedVisits(now: now)
        if completed > 0 { logger.info("visits completed", metadata: ["count": "\(completed)"]) }
        var chats: [Int64] = []
        var missed = 0
        while !shouldStop {
            let batch = try queueDue(db: db, now: now)
            chats += batch.chats
            missed += batch.missed
            if batch.claimed < settings.batchSize { break }
        }
        stats.reminderRound(began: began, sent: chats.count, missed: missed, outboxBacklog: try OutboxStore(connection: db).backlog())
        // One job a round: the next round starts at once while more wait.
        let job = shouldStop ? .idle : try JobRunner(db: db, clock: settings.dialogue.clock, settings: settings.jobs, logger: logger)
            .runNext(now: now)
        let broadcasts = shouldStop ? false : try BroadcastRounds(db: db, batchSize: settings.broadcastBatch, logger: logger).run(now: now)
        let stale = try OutboxStore(connection: db).chatsWithStaleRows(olderThan: now.addingTimeInterval(-settings.sweepAge), sparingBroadcasts: true,
                                                                       limit: settings.batchSize)
        var seen = Set<Int64>()
        for chat in chats + [job.chat].compactMap({ $0 }) + stale where seen.insert(chat).inserted && !shouldStop {
            _ = try sender.flushIfFree(chatID: chat)
        }
        try pruneIfDue(db: db, now: now)
        return !chats.isEmpty || !stale.isEmpty || job != .idle || broadcasts
    }

    /// Old ledger rows and delivered replies, now and then, a few batches at a time.
    private func pruneIfDue(db: PostgresConnection, now: Date) throws {
        guard Date().timeIntervalSince(lastPrune) >= settings.pruneEvery else { return }
        lastPrune = Date()
        let pruned = try RetentionStore(connection: db).prune(now: now, outboxRetention: settings.outboxRetention)
        if pruned.total > 0 {
            logger.info("old rows pruned", metadata: ["processed_updates": "\(pruned.updates)", "outbox": "\(pruned.outbox)",
                                                      "jobs": "\(pruned.jobs)"])
        }
    }

    /// Claims one batch of due rows and decides each, in one transaction.
    private func queueDue(db: PostgresConnection, now: Date) throws -> (claimed: Int, chats: [Int64], missed: Int) {
        try db.transaction { tx in
            let reminders = ReminderStore(connection: tx)
            let due = try reminders.claimDue(now: now, limit: settings.batchSize)
            guard !due.isEmpty else { return (0, [], 0) }
            let inForce = try SettingsStore(connection: tx).inForce(defaults: settings.defaults)
            let (rules, address) = (inForce.rules, inForce.serviceLocation ?? settings.dialogue.serviceLocation)
            let notices = Notices(settings: settings.dialogue)
            let outbox = OutboxStore(connection: tx)
            var chats: [Int64] = []
            var missed = 0
            for row in due {
                switch ReminderDecision(row, now: now) {
                case .withdraw:
                    try reminders.markWithdrawn(row.id, now: now)
                case .miss(let reason):
                    try reminders.markMissed(row.id, reason: reason, now: now)
                    missed += 1
                    logger.info("reminder missed", metadata: ["reminder": "\(row.id)", "reason": "\(reason)"])
                case .send:
                    let booking = ClientBooking(row)
                    let message = row.kind == .reminder
                        ? notices.reminder(for: booking, languageCode: row.languageCode, rules: rules, address: address, now: now)
                        : notices.reviewRequest(for: booking, languageCode: row.languageCode, now: now)
                    try outbox.add(message, chatID: row.clientID, updateID: nil, lane: .background, now: now)
                    try reminders.markSent(row.id, now: now)
                    chats.append(row.clientID)
                }
            }
            return (due.count, chats, missed)
        }
    }

    /// The process's heartbeat: its score in `{prefix}:reminders` (wall-clock ms, like the
    /// workers' set), so `bookingbot status` counts live ones without scanning keys.
    public static func heartbeatKey(prefix: String) -> String { RedisKeys(prefix: prefix).remindersAlive }

    private func heartbeat(_ redis: RedisConnection) {
        let key = Self.heartbeatKey(prefix: settings.prefix)
        let milliseconds = Int64(Date().timeIntervalSince1970 * 1000)
        _ = try? redis.pipeline([["ZADD", key, String(milliseconds), settings.name],
                                 ["ZREMRANGEBYSCORE", key, "-inf", String(milliseconds - 86_400_000)]])
    }
}

/// What to do with a due row (the downtime policy lives here).
enum ReminderDecision: Equatable {
    case send
    /// Too late or nobody to send it to; kept with the reason.
    case miss(String)
    /// Not wanted any more.
    case withdraw

    init(_ row: DueReminder, now: Date) {
        switch row.kind {
        case .reminder:
            // Sent late only while the visit has not started: afterwards it helps nobody
            // (the visit may have been marked completed in the meantime).
            if row.visitStart <= now && row.bookingStatus != .cancelled { self = .miss("the visit had started") }
            else if row.bookingStatus != .confirmed { self = .withdraw }
            else if row.clientBlockedBot { self = .miss("the client blocked the bot") }
            else { self = .send }
        case .review:
            if row.bookingStatus != .confirmed && row.bookingStatus != .completed { self = .withdraw }
            else if row.reviewed { self = .withdraw }
            else if row.clientBlockedBot { self = .miss("the client blocked the bot") }
            else { self = .send }
        }
    }
}

extension ClientBooking {
    init(_ row: DueReminder) {
        self.init(id: row.bookingID, service: BookableService(id: row.serviceID, name: row.serviceName, durationMinutes: row.durationMinutes,
                                                              price: row.servicePrice),
                  start: row.visitStart, durationMinutes: row.durationMinutes)
    }
}

import Foundation
import Logging
import Postgres
import Redis
import Stats
import Store
import Telegram

/// Sends what transactions committed without making anyone wait for Telegram (DESIGN,
/// Outbound to Telegram): a worker loop hands over its update's committed rows and goes
/// on to the next update, while this sender keeps many calls in flight.
///
/// - A press answer goes out at once: outside the chat's order (it only stops the
///   button's spinner) and outside the send budget (Telegram does not count it).
/// - A chat's messages go one call at a time, oldest first, while this process holds the
///   chat's send lock (`OutboxStore.holdChat`: a session-level advisory lock, the one
///   `OutboxSender` takes per transaction), so any process may send any chat and order
///   holds across processes. A chat another sender holds is left to it: a holder looks
///   again after letting go (`letGo`), and the reminders' sweeper takes what waits longer.
/// - Each message waits for the shared budget (`SendRateLimiter`): replies before
///   background sends, every chat in turn (`ChatLine.goesBefore`), at most one
///   call per chat in flight; a 429 holds that chat for every process. Staff notices
///   waiting for one chat go as one message (`NoticeBatch`).
/// - Telegram's answer decides each row's fate (`RowFate`); the marks are written in
///   batches, committed before a chat's lock goes back, so nobody sends a row twice.
///   A reply costs two statements: the hold with its read (`OutboxStore.holdChat`), and
///   the delivery's mark with the release and the look again (`OutboxStore.settle`).
/// - When the database fails, this session ends and its locks with it: the sender forgets
///   its chats, and their rows wait, unsent, for the next holder (at least once).
/// - A broadcast's row is the exception: at most once. It is marked, committed, before its
///   call (`claim`); a marked row is never read again, a network error (the call may
///   have arrived) refuses it as unknown, and one left marked by a sender that died is
///   failed as unknown by the reminders process (`OutboxStore.failAbandonedSends`).
/// - Every second it sweeps: rows left unsent for `sweepAge` (a worker died between its
///   commit and its sends, or Telegram kept failing) are taken like any others, so no
///   reply waits for a process that will not come back.
///
/// One thread of its own with one PostgreSQL and one Redis connection; the calls run on
/// the HTTP client's thread, which hands each result back here.
public final class OutboxDispatcher: @unchecked Sendable {
    public struct Settings: Sendable {
        public var databaseURL: String
        public var redis: RedisEndpoint
        public var prefix: String
        /// `TELEGRAM_SEND_RATE`.
        public var sendRatePerSecond: Double
        /// `TELEGRAM_CHAT_SEND_RATE`.
        public var chatSendRatePerSecond: Double = 1
        /// A call's bound.
        public var callTimeout: Double = 10
        /// Messages in flight at once (press answers come on top).
        public var maxInFlight = 48
        /// Rows kept in memory; past it new rows stay in the database for the sweeper.
        public var maxRowsInMemory = 20_000
        /// Transient failures of a chat's head before the chat is left to the sweeper.
        public var maxFailures = 4
        /// Tries, a little apart, to take a chat another sender holds before leaving it.
        public var maxBusyTries = 6
        /// The database session's bounds (`PG_STATEMENT_TIMEOUT` and its kin), as the
        /// loops have them. The session also ends when idle past the idle-in-transaction
        /// bound (at least 15 s): if this process freezes, its locks go with it.
        public var databaseLimits = PostgresSessionLimits.service
        /// A quiet session is touched this often, so the server never ends it as idle.
        public var keepAliveEvery: TimeInterval = 10
        /// Chats in hand past which a sweep takes no more: a backlog (a broadcast) is taken a
        /// bounded number of chats at a time, since each held chat is a lock in the server's
        /// small shared lock table, and the budget sends only so many a second anyway.
        public var maxSweptLines = 400
        /// Rows unsent this long are swept, looked for every `sweepEvery`.
        public var sweepAge: TimeInterval = 3
        public var sweepEvery: TimeInterval = 1
        /// The clock rows are dated by (`ProcessClock`: tests move it).
        public var now: @Sendable () -> Date = { Date() }

        public init(databaseURL: String, redis: RedisEndpoint, prefix: String, sendRatePerSecond: Double) {
            self.databaseURL = databaseURL
            self.redis = redis
            self.prefix = prefix
            self.sendRatePerSecond = sendRatePerSecond
        }
    }

    private let settings: Settings
    private let telegram: ConcurrentTelegramClient
    private let logger: Logger
    private let inbox = Inbox()
    private var thread: Thread?
    private let finished = DispatchSemaphore(value: 0)

    public init(settings: Settings, telegram: ConcurrentTelegramClient, logger: Logger) {
        self.settings = settings
        self.telegram = telegram
        self.logger = logger
    }

    public func start() {
        let thread = Thread { [self] in
            run()
            finished.signal()
        }
        thread.name = "outbox-dispatcher"
        self.thread = thread
        thread.start()
    }

    /// Rows a transaction just committed (any chats). Never blocks.
    public func committed(_ rows: [OutboxMessage]) {
        guard !rows.isEmpty else { return }
        inbox.post(.rows(rows))
    }

    /// Sends what is still queued, up to `grace` seconds, then lets every chat go.
    /// Returns false when something was still unsent then (it stays in the database).
    @discardableResult
    public func stop(grace: TimeInterval) -> Bool {
        inbox.post(.stop(deadline: Self.now() + max(0, grace)))
        guard thread != nil else { return true }
        _ = finished.wait(timeout: .now() + max(0, grace) + 5)
        return inbox.drainedAtStop
    }

    // MARK: - The dispatcher's thread

    private enum Event {
        case rows([OutboxMessage])
        case finished(chat: Int64, call: Int, rows: [OutboxMessage], result: Result<Data, TelegramError>)
        case stop(deadline: TimeInterval)
    }

    /// Everything below belongs to the dispatcher's thread.
    private var lines: [Int64: ChatLine] = [:]
    private var answers: [OutboxMessage] = []
    private var answersInFlight: Set<Int64> = []
    private var marks = Marks()
    /// Chats given up on (Telegram kept failing): not looked at again until then.
    private var resting: [Int64: TimeInterval] = [:]
    private var stopDeadline: TimeInterval?
    private var databaseRetryAt: TimeInterval = 0
    private var nextSweep: TimeInterval = 0
    private var lastStatement: TimeInterval = 0
    /// Rows held in memory, counted when a batch of events arrives.
    private var rowsInMemory = 0
    /// Until then the budget is not asked (Redis failed): sends go without it.
    private var limiterDownUntil: TimeInterval = 0

    private func run() {
        var db: PostgresConnection?
        var redis: RedisConnection?
        while true {
            let wake = nextWake()
            rowsInMemory = lines.values.reduce(answers.count) { $0 + $1.rows.count }
            for event in inbox.take(until: wake) { absorb(event) }
            startAnswers()
            if Self.now() >= databaseRetryAt {
                do {
                    let connection = try db ?? connectDatabase()
                    db = connection
                    try letGo(connection)  // the calls' outcomes first: before the sweep, and before any lock goes back
                    try sweep(connection)
                    try holdWaitingChats(connection)
                    try readHeldChats(connection)
                    try letGo(connection)  // chats just taken with nothing left to send
                    try keepAlive(connection)
                    startAnswers()  // the sweep's
                } catch {
                    logger.error("outbox sender lost the database; its chats are left to the next sender", metadata: ["error": "\(error)"])
                    db?.close()  // the session's end frees every lock it held
                    db = nil
                    forgetChats()
                    databaseRetryAt = Self.now() + 1
                }
            }
            if redis == nil && Self.now() >= limiterDownUntil {
                redis = try? RedisConnection(endpoint: settings.redis, options: RedisOptions(connectTimeout: 1, readTimeout: 1, reconnectWindow: 0))
                if redis == nil { limiterDownUntil = Self.now() + 1 }
            }
            startMessages(redis: Self.now() >= limiterDownUntil ? redis : nil, db: db)
            if let deadline = stopDeadline, isIdle || Self.now() >= deadline {
                inbox.drainedAtStop = isIdle
                break
            }
        }
        // Calls still out end first (their outcomes marked), then the locks go back with
        // the session: no chat is taken by another sender while a call of this one is out.
        telegram.shutdown()
        for event in inbox.take(until: Self.now()) { absorb(event) }
        if let db {
            try? writeMarks(db)
            db.close()
        }
    }

    private var isIdle: Bool { lines.isEmpty && answers.isEmpty && answersInFlight.isEmpty && marks.isEmpty }

    private func connectDatabase() throws -> PostgresConnection {
        var limits = settings.databaseLimits
        limits.idleSessionTimeout = max(limits.idleInTransactionTimeout, 15)
        limits.synchronousCommit = false
        var options = PostgresOptions(connectTimeout: 2, reconnectWindow: 0.5, applicationName: "bookingbot-sender", limits: limits)
        options.reconnectBackoffMaximum = 0.25
        return try PostgresConnection(url: settings.databaseURL, options: options)
    }

    private func absorb(_ event: Event) {
        switch event {
        case .rows(let rows):
            guard rowsInMemory + rows.count <= settings.maxRowsInMemory else {
                logger.warning("outbox sender full; rows left to the sweeper", metadata: ["rows": "\(rows.count)"])
                return
            }
            rowsInMemory += rows.count
            answers += rows.filter(\.isPressAnswer)
            for (chat, messages) in Dictionary(grouping: rows.filter { !$0.isPressAnswer }, by: \.chatID) where resting[chat] == nil {
                lines[chat, default: ChatLine(joined: Self.now())].add(messages)
            }
        case .finished(let chat, let call, let rows, let result):
            if rows.first?.isPressAnswer == true { rows.forEach { answersInFlight.remove($0.id) } }
            record(result, of: rows, chat: chat, call: call)
        case .stop(let deadline):
            stopDeadline = deadline
        }
    }

    /// Press answers first, before anything else: no lock, no budget, no order.
    private func startAnswers() {
        for answer in answers {
            answersInFlight.insert(answer.id)
            call(answer.chatID, [answer], payload: answer.payload)
        }
        answers = []
    }

    /// A call's outcome: the rows' marks, and what the chat's line does next.
    private func record(_ result: Result<Data, TelegramError>, of rows: [OutboxMessage], chat: Int64, call: Int) {
        // The call of the chat's line as it is now (not of one forgotten since, after the
        // database failed): only then does its outcome move the line on.
        let ownCall = rows.first?.isPressAnswer == false && lines[chat]?.isSending == true && lines[chat]?.call == call
        var fate: RowFate
        switch result {
        case .success:
            fate = .delivered(note: nil)
        case .failure(let error):
            fate = RowFate(refusal: error, method: rows.first?.method ?? "")
            pendingErrorKinds.append(error.kind)
            if rows.first?.priority == OutboxLane.broadcast.rawValue, Self.mayHaveArrived(error) {
                // The call may have reached Telegram: a broadcast row is not sent twice.
                fate = .refused("unknown: \(error); not sent again (at most once)")
            }
        }
        switch fate {
        case .delivered(let note):
            marks.delivered += rows.map(\.id)
            if let note { marks.notes += rows.map { ($0.id, note) } }
            if ownCall { lines[chat]?.finish() }
        case .refused(let reason):
            marks.refused += rows.map { ($0.id, reason) }
            logger.error("reply refused by Telegram", metadata: ["chat": "\(chat)", "method": "\(rows.first?.method ?? "")", "error": "\(reason)"])
            if ownCall { lines[chat]?.finish() }
        case .blocked(let reason):
            marks.refused += rows.map { ($0.id, reason) }
            marks.blocked.append(chat)
            logger.info("user blocked the bot", metadata: ["chat": "\(chat)"])
            if ownCall { lines[chat]?.finish() }
        case .floodWait(let seconds):
            marks.attempts += rows.map { ($0.id, "telegram: too many requests, retry after \(seconds) s") }
            // Telegram does not count answers; a 429 on one says nothing of the chat's messages.
            if rows.first?.isPressAnswer == false { pendingHolds.append((chat, seconds)) }
            // An answer is not retried here: a sweep sends it again.
            if ownCall {
                lines[chat]?.inFlight = []
                lines[chat]?.notBefore = Self.now() + Double(min(max(seconds, 1), 3600))
            }
            logger.warning("Telegram asked to slow down", metadata: ["chat": "\(chat)", "seconds": "\(seconds)"])
        case .retryLater(let reason):
            marks.attempts += rows.map { ($0.id, reason) }
            guard ownCall, var line = lines[chat] else { return }
            line.inFlight = []
            line.failures += 1
            if line.failures >= settings.maxFailures {
                // Telegram keeps failing for this chat: its rows wait in the database for
                // the sweeper, and the lock goes back with the next `letGo`.
                logger.warning("replies not sent yet; left to the sweeper", metadata: ["chat": "\(chat)", "error": "\(reason)"])
                line.rows = []
                resting[chat] = Self.now() + 30
            } else {
                line.notBefore = Self.now() + 0.25 * pow(2, Double(line.failures - 1))
            }
            lines[chat] = line
        }
    }

    /// 429 holds and error counts, for `startMessages` to pass on to Redis.
    private var pendingHolds: [(chat: Int64, seconds: Int)] = []
    private var pendingErrorKinds: [String] = []
    /// Each call's number (`ChatLine.call`).
    private var calls = 0

    /// Takes up what was left unsent too long: its chats as lines (held by another sender,
    /// they stay its), its press answers at once.
    private func sweep(_ db: PostgresConnection) throws {
        let now = Self.now()
        guard now >= nextSweep, stopDeadline == nil else { return }
        nextSweep = now + settings.sweepEvery
        let outbox = OutboxStore(connection: db)
        let moment = settings.now().addingTimeInterval(-settings.sweepAge)
        lastStatement = now
        // Chats this process has in hand or at rest are not the sweep's; press answers too
        // old for Telegram are the reminders' sweep's (it marks them refused as too old).
        let room = min(100, settings.maxSweptLines - lines.count)
        if room > 0 {
            let busy = Array(lines.keys) + Array(resting.keys)
            for chat in try outbox.chatsWithStaleRows(olderThan: moment, messagesOnly: true, excluding: busy, limit: room) {
                lines[chat] = ChatLine(joined: Self.now())
            }
        }
        let known = Set(answers.map(\.id)).union(answersInFlight)
        answers += try outbox.staleAnswers(olderThan: moment, since: settings.now().addingTimeInterval(-Self.pressAnswerLifetime), limit: 100)
            .filter { !known.contains($0.id) && resting[$0.chatID] == nil }
    }

    /// Takes the lock of every chat that has rows and no lock yet. A chat held by another
    /// sender is tried again a few times, a little apart, then left to that sender, which
    /// looks again after letting go.
    private func holdWaitingChats(_ db: PostgresConnection) throws {
        let now = Self.now()
        let outbox = OutboxStore(connection: db)
        for (chat, line) in lines where !line.held && line.notBefore <= now {
            lastStatement = now
            guard let stored = try outbox.holdChat(chat, known: line.rows.map(\.id)) else {
                var busy = line
                busy.busyTries += 1
                if busy.busyTries >= settings.maxBusyTries {
                    lines[chat] = nil
                } else {
                    busy.notBefore = now + 0.01 * pow(2, Double(busy.busyTries))
                    lines[chat] = busy
                }
                continue
            }
            lines[chat]?.hold(stored)
        }
    }

    /// Reads again the held chats whose next row came from a loop of this process after
    /// the last read: another process may have committed a reply to the chat in between.
    private func readHeldChats(_ db: PostgresConnection) throws {
        let outbox = OutboxStore(connection: db)
        for (chat, line) in lines where line.needsRead {
            let stored = try outbox.unsentMessages(chatID: chat, after: line.readThrough, known: line.rows.map(\.id))
            lines[chat]?.read(stored, after: line.readThrough)
        }
    }

    /// Writes the calls' outcomes and gives back the lock of every drained chat, then
    /// looks again at those chats: rows committed while this process held them were left
    /// to it by their committer. Deliveries, the releases and the look go as one call
    /// (`OutboxStore.settle`, which commits the marks before the locks go back); the rarer
    /// fates (refusals, notes, retries) first, in statements of their own.
    private func letGo(_ db: PostgresConnection) throws {
        let now = Self.now()
        resting = resting.filter { $0.value > now }
        let drained = lines.filter(\.value.isDrained).map(\.key)
        guard !marks.isEmpty || !drained.isEmpty else { return }
        var sent = marks.delivered
        if !marks.holdsOnlyDeliveries {
            try writeMarks(db)
            sent = []
        }
        let waiting = try OutboxStore(connection: db).settle(sent: sent, now: Date(), release: drained)
        marks = Marks()
        drained.forEach { lines[$0] = nil }
        lastStatement = Self.now()
        for chat in waiting where resting[chat] == nil {
            lines[chat] = ChatLine(joined: Self.now())
        }
    }

    private func keepAlive(_ db: PostgresConnection) throws {
        let now = Self.now()
        guard now - lastStatement >= settings.keepAliveEvery else { return }
        try OutboxStore(connection: db).touchSession()
        lastStatement = now
    }

    private func writeMarks(_ db: PostgresConnection) throws {
        guard !marks.isEmpty else { return }
        let outbox = OutboxStore(connection: db)
        let now = Date()
        try outbox.markSent(marks.delivered, now: now)
        for (id, note) in marks.notes { try outbox.markSent(id, now: now, note: note) }
        for (id, reason) in marks.refused { try outbox.markFailed(id, error: reason, now: now) }
        for chat in marks.blocked { try ClientStore(connection: db).markBlocked(chat, at: now) }
        for (id, reason) in marks.attempts { try outbox.markAttempt(id, error: reason) }
        marks = Marks()
        lastStatement = Self.now()
    }

    /// Starts the next message of every held chat whose turn it is (`ChatLine.goesBefore`);
    /// one call per chat; within the budget.
    /// Without Redis the budget is not asked for a second at a time (Telegram's 429
    /// still guards): a failed Redis must not stall every chat behind its timeouts.
    private func startMessages(redis: RedisConnection?, db: PostgresConnection?) {
        if let redis, !pendingHolds.isEmpty || !pendingErrorKinds.isEmpty {
            // A Redis that stopped answering costs one timeout here, not one per item.
            do {
                let limiter = SendRateLimiter(redis: redis, prefix: settings.prefix, perSecond: settings.sendRatePerSecond)
                for hold in pendingHolds { try limiter.hold(chat: hold.chat, seconds: hold.seconds) }
                try DeploymentStats(redis: redis, prefix: settings.prefix)
                    .telegramErrors(Dictionary(pendingErrorKinds.map { ($0, 1) }, uniquingKeysWith: +))
            } catch {
                logger.warning("send budget unavailable; sending without it", metadata: ["error": "\(error)"])
                limiterDownUntil = Self.now() + 1
            }
        }
        pendingHolds = []
        pendingErrorKinds = []
        let now = Self.now()
        guard stopDeadline.map({ now < $0 }) ?? true else { return }
        var inFlight = lines.values.filter(\.isSending).count
        let ready = lines.filter { $0.value.held && !$0.value.isSending && !$0.value.rows.isEmpty && !$0.value.needsRead && $0.value.notBefore <= now }
            .sorted { $0.value.goesBefore($1.value) }
        let limiter = redis.map { SendRateLimiter(redis: $0, prefix: settings.prefix, perSecond: settings.sendRatePerSecond, chatPerSecond: settings.chatSendRatePerSecond) }
        /// A lane whose bot-wide budget is spent: every chat of it waits as long.
        var laneWaits: [Int: TimeInterval] = [:]
        for (chat, line) in ready where inFlight < settings.maxInFlight {
            let head = line.rows[0]
            if let wait = laneWaits[head.priority] {
                lines[chat]?.notBefore = now + wait
                continue
            }
            if head.countsAgainstFloodLimits, let limiter, now >= limiterDownUntil {
                do {
                    if case .wait(let seconds, let wholeBot) = try limiter.request(head.budgetLane, chat: chat) {
                        lines[chat]?.notBefore = now + seconds
                        if wholeBot { laneWaits[head.priority] = seconds }
                        continue
                    }
                } catch {
                    logger.warning("send budget unavailable; sending without it", metadata: ["error": "\(error)"])
                    limiterDownUntil = now + 1
                }
            }
            if head.priority == OutboxLane.broadcast.rawValue {
                // At most once: the row is marked, committed, before the call.
                switch claim(head, db: db) {
                case .claimed: break
                case .gone:
                    lines[chat]?.rows.removeFirst()
                    continue
                case .later:
                    lines[chat]?.notBefore = now + 1
                    continue
                }
            }
            let batch = NoticeBatch.take(from: line.rows.prefix { $0.id <= line.readThrough })
            lines[chat]?.inFlight = batch.rows
            lines[chat]?.lastStarted = now
            inFlight += 1
            call(chat, batch.rows, payload: batch.payload)
        }
    }

    private enum Claim { case claimed, gone, later }

    /// A failed call that may still have delivered its message: a timeout, a connection
    /// cut mid-answer, a shutdown with the call out, a gateway that timed out behind
    /// Telegram's front. Not a refused connect or an unknown host: nothing left then.
    static func mayHaveArrived(_ error: TelegramError) -> Bool {
        switch error {
        case .network(.timedOut), .network(.transport), .network(.shutDown), .network(.responseTooLarge): return true
        case .server(let status, _): return status == 504
        default: return false
        }
    }

    /// A broadcast row may go once it is marked as being sent (`OutboxStore.claimForSending`):
    /// `gone` when it is sent, refused or in doubt already; `later` without the database.
    private func claim(_ row: OutboxMessage, db: PostgresConnection?) -> Claim {
        guard let db else { return .later }
        do {
            lastStatement = Self.now()
            return try OutboxStore(connection: db).claimForSending(row.id) ? .claimed : .gone
        } catch {
            logger.warning("outbox sender could not mark a broadcast row; trying later", metadata: ["error": "\(error)"])
            return .later
        }
    }

    /// One call for `rows` (one row, or notices merged into `payload`).
    private func call(_ chat: Int64, _ rows: [OutboxMessage], payload: String) {
        let row = rows[0]
        calls += 1
        let number = calls
        if rows.first?.isPressAnswer == false { lines[chat]?.call = number }
        let done: @Sendable (Result<Data, TelegramError>) -> Void = { [inbox] result in
            inbox.post(.finished(chat: chat, call: number, rows: rows, result: result))
        }
        if row.method == DocumentUpload.method {
            // The one row that is not a JSON call: its bytes go up as a multipart upload.
            guard let document = try? DocumentUpload(payload: row.payload) else {
                done(.failure(.invalidResponse("unreadable document row")))
                return
            }
            telegram.startDocument(chatID: document.chatID, fileName: document.fileName, data: document.contents,
                                   caption: document.caption, timeout: settings.callTimeout, completion: done)
        } else {
            telegram.start(method: row.method, payload: Data(payload.utf8), timeout: settings.callTimeout, completion: done)
        }
    }

    /// After the database failed: its session (and every lock) is gone, so no chat may be
    /// sent from memory any more. Calls in flight finish; their marks are kept.
    private func forgetChats() {
        lines = [:]
    }

    /// When the thread must look again even if nothing arrives: the next chat whose wait
    /// ends, or whose lock is to be taken (when the database may be tried). A chat ready
    /// now but kept back by `maxInFlight` waits for a call to end, which wakes the thread.
    private func nextWake() -> TimeInterval {
        let now = Self.now()
        let room = lines.values.filter(\.isSending).count < settings.maxInFlight
        var wake = now + settings.keepAliveEvery
        for line in lines.values where !line.isSending {
            if line.held && line.notBefore <= now && !room { continue }
            wake = min(wake, max(line.notBefore, line.held ? now : databaseRetryAt))
        }
        if let stopDeadline { wake = min(wake, stopDeadline) } else { wake = min(wake, max(nextSweep, databaseRetryAt)) }
        return wake
    }

    static func now() -> TimeInterval { ProcessInfo.processInfo.systemUptime }

    /// Telegram refuses an answer to a press older than this.
    static let pressAnswerLifetime: TimeInterval = 15
}

/// The rows' fates, written to the database in one go.
private struct Marks {
    var delivered: [Int64] = []
    var notes: [(Int64, String)] = []
    var refused: [(Int64, String)] = []
    var blocked: [Int64] = []
    var attempts: [(Int64, String)] = []

    var isEmpty: Bool { delivered.isEmpty && holdsOnlyDeliveries }
    var holdsOnlyDeliveries: Bool { notes.isEmpty && refused.isEmpty && blocked.isEmpty && attempts.isEmpty }
}

extension OutboxDispatcher {
    /// The events for the dispatcher's thread, from any thread.
    private final class Inbox: @unchecked Sendable {
        private let condition = NSCondition()
        private var events: [Event] = []
        /// Set by the thread as it ends.
        private var drained = false

        var drainedAtStop: Bool {
            get { condition.withLock { drained } }
            set { condition.withLock { drained = newValue } }
        }

        func post(_ event: Event) {
            condition.withLock {
                events.append(event)
                condition.signal()
            }
        }

        /// The events so far, waiting for one until `deadline` (monotonic seconds).
        func take(until deadline: TimeInterval) -> [Event] {
            condition.withLock {
                if events.isEmpty {
                    let seconds = deadline - OutboxDispatcher.now()
                    if seconds > 0 { _ = condition.wait(until: Date().addingTimeInterval(seconds)) }
                }
                defer { events = [] }
                return events
            }
        }
    }
}

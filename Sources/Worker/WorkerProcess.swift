import Booking
import Conversation
import Delivery
import ErrorCapture
import Foundation
import HTTP
import Logging
import Postgres
import Queue
import Redis
import Stats
import Store
import Telegram
import Texts
import WireSupport

/// `bookingbot worker`: N independent loops, each on a thread of its own with its own
/// Redis and PostgreSQL connections, claiming chats from the queue and handling their
/// updates in order, and one `OutboxDispatcher` that sends what they commit, so no loop
/// ever waits for Telegram. Stateless: any loop of any worker can take any chat.
/// PostgreSQL connections: one per loop and one for the dispatcher.
public final class WorkerProcess: @unchecked Sendable {
    public struct Settings: Sendable {
        public var concurrency: Int
        public var name: String
        public var redis: RedisEndpoint
        public var prefix: String
        public var databaseURL: String
        public var telegramURL: String
        public var token: String
        public var defaults: BookingRules
        /// `ADMIN_IDS`.
        public var owners: [Int64]
        public var dialogue: ConversationSettings
        public var lease: TimeInterval
        public var maxAttempts: Int
        /// Hand-outs of an update whose handler never came back (the process died) before
        /// it is parked.
        public var maxHandouts = 3
        /// The database session's bounds (statement, lock and idle-in-transaction timeouts).
        public var databaseLimits = PostgresSessionLimits.service
        /// Flood guard windows (RATE_LIMIT_MESSAGE / RATE_LIMIT_CALLBACK), seconds.
        public var messageWindow: TimeInterval
        public var buttonWindow: TimeInterval
        /// What error events say about this process (environment, release, server).
        public var errorContext: EventContext
        /// `SENTRY_QUEUE_MAX`: the cap of the Redis error list.
        public var errorQueueMax: Int
        /// `TELEGRAM_SEND_RATE`: the deployment's sends a second.
        public var sendRatePerSecond: Double = 30
        /// `TELEGRAM_CHAT_SEND_RATE`: the sends a second to one chat.
        public var chatSendRatePerSecond: Double = 1
        /// `SENTRY_TRACES_SAMPLE_RATE` (0 when Sentry is off): the share of updates traced.
        public var tracesSampleRate: Double = 0

        public init(concurrency: Int, name: String, redis: RedisEndpoint, prefix: String, databaseURL: String, telegramURL: String,
                    token: String, defaults: BookingRules, owners: [Int64] = [], dialogue: ConversationSettings, lease: TimeInterval = 30, maxAttempts: Int = 5,
                    messageWindow: TimeInterval = 0.5, buttonWindow: TimeInterval = 0.3,
                    errorContext: EventContext = EventContext(process: "worker", version: BuildInfo.version, gitSHA: BuildInfo.gitSHA,
                                                              environment: "production"),
                    errorQueueMax: Int = 10_000) {
            self.concurrency = concurrency
            self.name = name
            self.redis = redis
            self.prefix = prefix
            self.databaseURL = databaseURL
            self.telegramURL = telegramURL
            self.token = token
            self.defaults = defaults
            self.owners = owners
            self.dialogue = dialogue
            self.lease = lease
            self.maxAttempts = maxAttempts
            self.messageWindow = messageWindow
            self.buttonWindow = buttonWindow
            self.errorContext = errorContext
            self.errorQueueMax = errorQueueMax
        }
    }

    private let settings: Settings
    private let logger: Logger
    private let threads = LoopThreads()
    /// Each loop's lease keeper, so a stop past its grace can give the chats in hand back.
    private let keepers = Keepers()
    private let dispatcher: OutboxDispatcher

    public init(settings: Settings, logger: Logger) {
        self.settings = settings
        self.logger = logger
        var sending = OutboxDispatcher.Settings(databaseURL: settings.databaseURL, redis: settings.redis, prefix: settings.prefix,
                                                sendRatePerSecond: settings.sendRatePerSecond)
        sending.chatSendRatePerSecond = settings.chatSendRatePerSecond
        let clock = ProcessClock.fromEnvironment()
        sending.now = { clock.now() }
        sending.databaseLimits = settings.databaseLimits
        let http = ConcurrentHTTPClient(maxInFlight: sending.maxInFlight + 32, name: "telegram")
        dispatcher = OutboxDispatcher(settings: sending, telegram: ConcurrentTelegramClient(baseURL: settings.telegramURL, token: settings.token, http: http),
                                      logger: logger)
    }

    public func start() {
        dispatcher.start()
        Thread { [self] in registerCommands() }.start()
        for index in 1...settings.concurrency {
            threads.spawn("worker-\(index)") { [self] in loop(id: "\(settings.name)-\(index)") }
        }
    }

    /// Stops claiming, lets each loop finish the update in hand, and waits up to `grace`.
    /// Returns false when a loop was still busy at the deadline.
    /// Chats still in hand then are released (their transactions die with the process).
    @discardableResult
    public func stop(grace: TimeInterval) -> Bool {
        let deadline = Date().addingTimeInterval(grace)
        let clean = threads.stop(grace: grace)
        if !clean { keepers.abandonAll() }
        // What the loops committed goes out within what is left of the grace (at least a
        // moment); anything still unsent then stays in the outbox for the sweeper.
        let sent = dispatcher.stop(grace: max(0.5, deadline.timeIntervalSinceNow))
        return clean && sent
    }

    private var shouldStop: Bool { threads.isStopping }

    /// The command menu in every supported language (setMyCommands is idempotent, so
    /// every worker may do it at start); the default list is in the fallback language.
    private func registerCommands() {
        let telegram = TelegramClient(baseURL: settings.telegramURL, token: settings.token)
        let fallback = Language.resolve(setting: settings.dialogue.languageSetting, userLanguageCode: nil)
        let lists: [(String?, Language)] = Language.allCases.map { ($0.rawValue, $0) } + [(nil, fallback)]
        for (code, language) in lists {
            let commands = Texts.commands(in: language).map { BotCommand(command: $0.command, description: $0.description) }
            do {
                try telegram.setMyCommands(commands: commands, languageCode: code)
            } catch {
                logger.warning("cannot register the command menu", metadata: ["language": "\(code ?? "default")", "error": "\(error)"])
            }
        }
    }

    private func loop(id: String) {
        var backoff = Backoff(initial: 0.2, maximum: 5)
        while !shouldStop {
            do {
                let redis = try RedisConnection(endpoint: settings.redis)
                let queue = ChatQueue(redis: redis, prefix: settings.prefix)
                var databaseOptions = PostgresOptions(applicationName: "bookingbot-worker", limits: settings.databaseLimits)
                // A loop notices within half a second that the database is back.
                databaseOptions.reconnectBackoffMaximum = 0.5
                let db = try PostgresConnection(url: settings.databaseURL, options: databaseOptions)
                var loopLogger = logger
                loopLogger[metadataKey: "worker"] = "\(id)"
                var errorContext = settings.errorContext
                errorContext.tags["worker"] = id
                let traceRate = settings.tracesSampleRate
                let reporter = ErrorReporter(endpoint: settings.redis, prefix: settings.prefix, context: errorContext,
                                             maxQueue: settings.errorQueueMax, logger: loopLogger)
                let flood = FloodGuard(redis: redis, prefix: settings.prefix, messageWindow: settings.messageWindow,
                                       buttonWindow: settings.buttonWindow)
                let stats = DeploymentStats(redis: redis, prefix: settings.prefix)
                let handler = UpdateHandler(db: db, router: Router(settings: settings.dialogue),
                                            defaults: settings.defaults, owners: settings.owners, floodGuard: flood, clock: ProcessClock.fromEnvironment(),
                                            logger: loopLogger, hooks: TestHooks.fromEnvironment())
                let endpoint = settings.redis, prefix = settings.prefix, dispatcher = dispatcher
                let keeper = LeaseKeeper(worker: id, lease: settings.lease) {
                    ChatQueue(redis: try RedisConnection(endpoint: endpoint), prefix: prefix)
                }
                keepers.add(keeper)
                defer {
                    keepers.remove(keeper)
                    keeper.stop()
                }
                let consumer = QueueConsumer(
                    queue: queue,
                    settings: .init(worker: id, lease: settings.lease, maxAttempts: settings.maxAttempts, maxHandouts: settings.maxHandouts),
                    logger: loopLogger,
                    keeper: keeper,
                    // The figures of an update handled go with its ack, in one round trip.
                    handleRecording: { chat, queued in
                        Breadcrumbs.begin()  // this update's log lines, for its events
                        let raw = queued.payload
                        do {
                            let started = Date()
                            let handled = try handler.handle(chat: chat, update: queued, leaseHeld: { !keeper.isLost })
                            dispatcher.committed(handled.rows)
                            let figures = stats.handledCommands(kind: handled.kind, seconds: Date().timeIntervalSince(started))
                            if TransactionEvent.sampled(rate: traceRate) {
                                reporter.push(TransactionEvent(name: "update \(handled.kind)", start: handled.spans.first?.start ?? started,
                                                               end: Date(), spans: handled.spans, context: errorContext,
                                                               tags: ["update_type": handled.kind]))
                            }
                            return figures
                        } catch let error as LeaseLost {
                            throw error
                        } catch let error where error.isInfrastructureFault {
                            // The database or Redis, not the update, failed: no attempt is
                            // counted, no apology; the chat goes back at once.
                            throw QueueUnavailable("\(error)")
                        } catch {
                            // Every failed attempt reaches Sentry (through the errors list),
                            // never waited on: a Redis outage drops the event, not the update.
                            let kind = Self.updateType(raw)
                            stats.failed(kind: kind)
                            reporter.capture(error, tags: ["update_type": kind], breadcrumbs: Breadcrumbs.current)
                            throw error
                        }
                    },
                    parked: { chat, raw, error in
                        dispatcher.committed(handler.apologize(chat: chat, raw: raw))
                    })
                loopLogger.info("worker loop started")
                consumer.run(shouldStop: { self.shouldStop })
            } catch {
                logger.error("worker loop cannot start; retrying", metadata: ["error": "\(error)"])
                Thread.sleep(forTimeInterval: backoff.nextDelay())
            }
        }
    }
}

extension WorkerProcess {
    /// The kind of update, for an error event's tags ("message", "callback_query", …).
    static func updateType(_ raw: Data) -> String {
        guard let update = try? Update.decode(raw) else { return "undecodable" }
        return "\(update.kind)"
    }
}

extension Error {
    /// A failure of what the update ran on (database, Redis), not of the update itself.
    var isInfrastructureFault: Bool {
        switch self {
        case let error as PostgresError: return error.isInfrastructureFault
        case let error as RedisError: return error.isTransient
        default: return false
        }
    }
}

/// The lease keepers of a worker's loops.
private final class Keepers: @unchecked Sendable {
    private let lock = NSLock()
    private var all: [ObjectIdentifier: LeaseKeeper] = [:]

    func add(_ keeper: LeaseKeeper) { lock.withLock { all[ObjectIdentifier(keeper)] = keeper } }
    func remove(_ keeper: LeaseKeeper) { lock.withLock { all[ObjectIdentifier(keeper)] = nil } }
    func abandonAll() { lock.withLock { Array(all.values) }.forEach { $0.abandon() } }
}

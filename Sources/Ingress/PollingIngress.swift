import Foundation
import Keys
import Logging
import Queue
import Redis
import Telegram
import WireSupport

/// Long-polls Telegram and enqueues what it gets, on a thread of its own.
///
/// Only the leader polls (see `LeaderLock`). The getUpdates offset lives in Redis, so a
/// new leader goes on where the old one stopped, and it advances only after every update
/// of a batch is enqueued: an update Telegram handed over is confirmed to Telegram (by
/// the next call's offset) only once Redis has it. A crash in between makes Telegram
/// send the batch again, and the queue's dedup enqueues each update once.
public final class PollingIngress: @unchecked Sendable {
    public struct Settings: Sendable {
        public var pollTimeoutSeconds: Int
        public var leaderTTL: TimeInterval
        public var instance: String

        public init(pollTimeoutSeconds: Int = 10, leaderTTL: TimeInterval = 30, instance: String) {
            self.pollTimeoutSeconds = pollTimeoutSeconds
            self.leaderTTL = leaderTTL
            self.instance = instance
        }
    }

    private let settings: Settings
    private let makeRedis: () throws -> RedisConnection
    private let makeTelegram: () -> TelegramClient
    private let prefix: String
    private let counters: IngressCounters
    private let logger: Logger
    private let stopLock = NSCondition()
    private var stopping = false
    private var finished = false

    public init(settings: Settings, prefix: String, counters: IngressCounters, logger: Logger,
                redis: @escaping () throws -> RedisConnection, telegram: @escaping () -> TelegramClient) {
        self.settings = settings
        self.prefix = prefix
        self.counters = counters
        self.logger = logger
        self.makeRedis = redis
        self.makeTelegram = telegram
    }

    public func start() {
        let thread = Thread { [self] in
            run()
            stopLock.withLock {
                finished = true
                stopLock.broadcast()
            }
        }
        thread.name = "polling"
        thread.start()
    }

    /// Asks the loop to stop after the current poll and waits up to `timeout` for it.
    public func stop(timeout: TimeInterval) {
        stopLock.withLock {
            stopping = true
            let deadline = Date().addingTimeInterval(timeout)
            while !finished && stopLock.wait(until: deadline) {}
        }
    }

    private var shouldStop: Bool { stopLock.withLock { stopping } }

    private func run() {
        let telegram = makeTelegram()
        var redis: RedisConnection?
        var backoff = Backoff(initial: 0.2, maximum: 5)
        var leading = false
        while !shouldStop {
            do {
                if redis == nil { redis = try makeRedis() }
                let connection = redis!
                let keys = RedisKeys(prefix: prefix)
                let lock = LeaderLock(redis: connection, key: keys.ingressLeader, instance: settings.instance, timeToLive: settings.leaderTTL)
                guard try lock.acquireOrRenew() else {
                    if leading { logger.warning("lost the polling leadership") }
                    leading = false
                    sleepUnlessStopping(2)
                    continue
                }
                if !leading { logger.info("polling leader", metadata: ["instance": "\(settings.instance)"]) }
                leading = true
                try pollOnce(telegram: telegram, redis: connection, keys: keys)
                backoff.reset()
            } catch {
                counters.add("poll_errors")
                logger.error("polling failed; retrying", error: error, metadata: ["error": "\(error)"])
                sleepUnlessStopping(backoff.nextDelay())
            }
        }
        if leading, let redis {
            try? LeaderLock(redis: redis, key: RedisKeys(prefix: prefix).ingressLeader, instance: settings.instance,
                            timeToLive: settings.leaderTTL).release()
        }
        logger.info("polling stopped")
    }

    private func pollOnce(telegram: TelegramClient, redis: RedisConnection, keys: RedisKeys) throws {
        let offsetKey = keys.ingressOffset
        let offset = try redis.command("GET", offsetKey).int
        let body = Data("{\"timeout\":\(settings.pollTimeoutSeconds),\"limit\":100\(offset.map { ",\"offset\":\($0)" } ?? "")}".utf8)
        let result = try telegram.call(method: "getUpdates", payload: body)
        // Each update's own bytes, cut out of the answer: parsing the whole answer and
        // writing every update out again was most of ingress's CPU per update. Anything
        // that is not a well-formed array fails the poll as before (the offset stays).
        guard let items = RawJSON.elements(of: result) else {
            throw TelegramError.invalidResponse("getUpdates result is not a JSON array")
        }
        guard !items.isEmpty else { return }
        let queue = ChatQueue(redis: redis, prefix: prefix)
        var lastID: Int64?
        for payload in items {
            switch UpdateIntake.read(payload) {
            case .success(let update):
                let fresh = try queue.enqueue(chat: update.chat, updateID: update.updateID, payload: update.payload, kind: update.kind)
                counters.add(fresh ? "enqueued" : "duplicate")
                lastID = max(lastID ?? update.updateID, update.updateID)
            case .failure(let rejection):
                counters.add(rejection.rawValue)
                logger.warning("Telegram sent something that is not an update; skipped", metadata: ["reason": "\(rejection.rawValue)"])
                if let id = ((try? JSONSerialization.jsonObject(with: payload)) as? [String: Any])?["update_id"] as? Int64 {
                    lastID = max(lastID ?? id, id)
                }
            }
        }
        if let lastID {
            // Confirmed to Telegram by the next getUpdates; written only after the enqueues.
            try redis.command("SET", offsetKey, lastID + 1)
        }
    }

    private func sleepUnlessStopping(_ seconds: TimeInterval) {
        stopLock.withLock {
            let deadline = Date().addingTimeInterval(seconds)
            while !stopping && stopLock.wait(until: deadline) {}
        }
    }
}

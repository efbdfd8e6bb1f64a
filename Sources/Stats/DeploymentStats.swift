import Foundation
import Keys
import Queue
import Redis

/// The deployment's figures for `/metrics`, kept in Redis: every process adds to the same
/// numbers, so any ingress instance reports the whole deployment, and a restarted process
/// loses none of them.
///
/// Recording is best effort and never throws: a figure missed while Redis is down must not
/// fail an update or a reminder round.
public struct DeploymentStats {
    /// Upper bounds (seconds) of the processing-time histogram's buckets; one more, +Inf, follows.
    public static let latencyBuckets: [Double] = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60]

    private let redis: RedisConnection
    private let keys: RedisKeys

    public init(redis: RedisConnection, prefix: String) {
        self.redis = redis
        self.keys = RedisKeys(prefix: prefix)
    }

    // MARK: Recording

    /// An update handled in `seconds` (from claim to its replies sent or committed).
    public func handled(kind: String, seconds: Double) {
        _ = try? redis.pipeline(handledCommands(kind: kind, seconds: seconds))
    }

    /// The commands `handled` sends, for a caller that sends them along with its own
    /// (the worker's queue loop, with the update's ack: one round trip for both).
    public func handledCommands(kind: String, seconds: Double) -> [[any RedisArgument]] {
        let bucket = Self.latencyBuckets.firstIndex { seconds <= $0 } ?? Self.latencyBuckets.count
        return [["HINCRBY", keys.stats, "processed:\(kind)", "1"],
                ["HINCRBY", keys.statsLatency, "bucket:\(bucket)", "1"],
                ["HINCRBYFLOAT", keys.statsLatency, "sum", String(seconds)]]
    }

    /// A failed attempt at an update.
    public func failed(kind: String) {
        _ = try? redis.command("HINCRBY", keys.stats, "failed:\(kind)", "1")
    }

    /// A Bot API call that Telegram (or the way to it) refused; `kind` is a `TelegramErrorKind` name.
    public func telegramError(kind: String) {
        _ = try? redis.command("HINCRBY", keys.statsTelegram, kind, "1")
    }

    /// Many of Telegram's refusals at once, by kind, in one round trip.
    public func telegramErrors(_ counts: [String: Int]) throws {
        guard !counts.isEmpty else { return }
        _ = try redis.pipeline(counts.map { ["HINCRBY", keys.statsTelegram, $0.key, String($0.value)] })
    }

    /// A reminders round done: every reminder due when it `began` is decided. Also what it
    /// sent and missed, and the outbox rows still unsent at its end.
    public func reminderRound(began: Date, sent: Int, missed: Int, outboxBacklog: Int) {
        var commands: [[any RedisArgument]] = [["HSET", keys.statsReminders, "round_began_ms", String(Int64(began.timeIntervalSince1970 * 1000)),
                                                "outbox_backlog", String(outboxBacklog)]]
        if sent > 0 { commands.append(["HINCRBY", keys.statsReminders, "sent", String(sent)]) }
        if missed > 0 { commands.append(["HINCRBY", keys.statsReminders, "missed", String(missed)]) }
        _ = try? redis.pipeline(commands)
    }

    // MARK: Reading

    /// Everything `/metrics` shows, read in one round trip.
    public func snapshot(now: Date, heartbeatTTL: TimeInterval) throws -> DeploymentSnapshot {
        let figures = try ChatQueue(redis: redis, prefix: keys.prefix).figures(now: now, heartbeatTTL: heartbeatTTL)
        let recent = Int64(now.timeIntervalSince1970 * 1000) - Int64(heartbeatTTL * 1000)
        let replies = try redis.pipeline([
            ["HGETALL", keys.stats], ["HGETALL", keys.statsLatency], ["HGETALL", keys.statsTelegram], ["HGETALL", keys.statsReminders],
            ["HGETALL", keys.statsSentry], ["LLEN", keys.errors], ["LLEN", keys.errorsSending],
            ["ZCOUNT", keys.remindersAlive, String(recent), "+inf"],
        ])
        let queue = Self.fields(replies[0])
        let latency = Self.fields(replies[1])
        let reminders = Self.fields(replies[3])
        let sentry = Self.fields(replies[4])
        return DeploymentSnapshot(
            figures: figures,
            received: Self.labelled(queue, prefix: "received:"),
            processed: Self.labelled(queue, prefix: "processed:"),
            failed: Self.labelled(queue, prefix: "failed:"),
            latencyBuckets: (0...Self.latencyBuckets.count).map { Int(latency["bucket:\($0)"] ?? 0) },
            latencySum: latency["sum"] ?? 0,
            telegramErrors: Self.fields(replies[2]).mapValues { Int($0) },
            remindersAlive: Int(replies[7].int ?? 0),
            reminderLagSeconds: reminders["round_began_ms"].map { max(0, now.timeIntervalSince1970 - $0 / 1000) },
            remindersSent: Int(reminders["sent"] ?? 0),
            remindersMissed: Int(reminders["missed"] ?? 0),
            outboxBacklog: Int(reminders["outbox_backlog"] ?? 0),
            sentryQueue: Int(replies[5].int ?? 0) + Int(replies[6].int ?? 0),
            sentrySent: Int(sentry["sent"] ?? 0),
            sentryDropped: Self.labelled(sentry, prefix: "dropped:"))
    }

    /// A hash reply as field → number (fields that are not numbers are left out).
    private static func fields(_ reply: RedisValue) -> [String: Double] {
        let items = reply.array?.compactMap(\.string) ?? []
        var result: [String: Double] = [:]
        for index in stride(from: 0, to: items.count - 1, by: 2) {
            if let value = Double(items[index + 1]) { result[items[index]] = value }
        }
        return result
    }

    private static func labelled(_ fields: [String: Double], prefix: String) -> [String: Int] {
        var result: [String: Int] = [:]
        for (name, value) in fields where name.hasPrefix(prefix) { result[String(name.dropFirst(prefix.count))] = Int(value) }
        return result
    }
}

/// The deployment's figures at one moment.
public struct DeploymentSnapshot: Sendable, Equatable {
    public var figures: Figures
    /// By update type (message, callback_query, …).
    public var received: [String: Int]
    public var processed: [String: Int]
    public var failed: [String: Int]
    /// Counts per bucket of `DeploymentStats.latencyBuckets`, the last one +Inf (not cumulative).
    public var latencyBuckets: [Int]
    public var latencySum: Double
    /// By `TelegramErrorKind` name.
    public var telegramErrors: [String: Int]
    public var remindersAlive: Int
    /// Time since the last completed reminders round began: nothing due before then waits.
    /// It grows while reminders are down or failing (nil: no round ever completed).
    public var reminderLagSeconds: Double?
    public var remindersSent: Int
    public var remindersMissed: Int
    public var outboxBacklog: Int
    public var sentryQueue: Int
    public var sentrySent: Int
    /// By reason (send_error, ratelimit_backoff, network_error, …).
    public var sentryDropped: [String: Int]
}

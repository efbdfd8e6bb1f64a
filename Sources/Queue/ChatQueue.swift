import Foundation
import Keys
import Redis

/// A chat-grouped reliable queue in Redis (like BullMQ Pro groups or SQS message
/// groups): updates of one chat are handed out strictly in order, to one worker at a
/// time; different chats go to different workers in parallel.
///
/// A worker claims a chat (taking a lease), acks each update as it finishes it (getting
/// the next one), and releases the chat when its inbox is empty. A worker that dies keeps
/// its lease only until the deadline: `reap` (run by every worker every few seconds)
/// puts the chat back in play. An update is removed only when it is acked or parked.
///
/// Blocking, like the `RedisConnection` it uses: one queue object per thread.
public final class ChatQueue {
    public let keys: RedisKeys
    /// The connection the queue works on (other figures may share it).
    public let redis: RedisConnection

    /// Telegram keeps an update for 24 hours; a re-send after that cannot happen.
    public static let dedupWindowSeconds = 86_400
    /// Parked updates kept, newest first.
    public static let deadCap = 10_000

    public init(redis: RedisConnection, prefix: String) {
        self.redis = redis
        self.keys = RedisKeys(prefix: prefix)
    }

    // MARK: Ingress

    /// Adds a raw update to its chat's inbox, in `update_id` order, stamped with Redis's
    /// time. Returns false, enqueueing nothing, when this update id was enqueued before
    /// (Telegram re-sending). `now` replaces Redis's clock (tests only).
    @discardableResult
    public func enqueue(chat: Int64, updateID: Int64?, payload: Data, now: Date? = nil, kind: String = "") throws -> Bool {
        let seen = updateID.map(keys.seen) ?? ""
        let result = try redis.evaluate(QueueScripts.enqueue,
                                        keys: [seen, keys.inbox(chat), keys.ready, keys.lease, keys.wake, keys.stats,
                                               keys.handouts, keys.attempts],
                                        arguments: [String(chat), payload, Self.milliseconds(now), Self.dedupWindowSeconds, kind,
                                                    updateID.map(String.init) ?? ""])
        return result.int == 1
    }

    // MARK: Workers

    /// Takes the oldest claimable chat and its first update, or nil when none waits.
    /// A head already handed out `maxHandouts` times without coming back is parked on the
    /// way (`Claim.parked`).
    public func claim(worker: String, now: Date? = nil, lease: TimeInterval, maxHandouts: Int = 3) throws -> Claim? {
        let reply = try redis.evaluate(QueueScripts.claim,
                                       keys: [keys.ready, keys.lease, keys.owner, keys.handouts, keys.dead, keys.stats, keys.attempts],
                                       arguments: [Self.milliseconds(now), Int(lease * 1000), worker, keys.inboxPrefix,
                                                   max(1, maxHandouts), Self.deadCap])
        guard let items = reply.array, items.count >= 3, let chatText = items[0].string, let chat = Int64(chatText),
              let head = items[1].data else { return nil }
        let handouts = Int(items[2].int ?? 0)
        return Claim(chat: chat, update: head.isEmpty ? nil : QueuedUpdate(entry: head, handouts: handouts),
                     parked: items.dropFirst(3).compactMap(\.data).map { QueuedUpdate(entry: $0, handouts: handouts).payload })
    }

    /// Marks `update` (the chat's head) done and extends the lease; the chat stays this
    /// worker's even when nothing follows (the caller releases it).
    public func ack(chat: Int64, update: QueuedUpdate, worker: String, now: Date? = nil, lease: TimeInterval) throws -> Next {
        let reply = try evaluateAck(chat: chat, update: update, worker: worker, now: now, lease: lease, release: "", figures: [])
        guard let items = reply.array, let code = items.first?.int else { return .leaseLost }
        switch code {
        case 1: return items.count > 1 ? items[1].data.map { Next.update(QueuedUpdate(entry: $0, handouts: 1)) } ?? .empty : .empty
        case 0: return .empty
        default: return .leaseLost
        }
    }

    /// Marks `update` done and, in the same script, gives the chat back when nothing
    /// follows it or when `release` is `.always` (the caller stops after this update): the
    /// state `ack` then `release` would leave, in one round trip. `figures` (best-effort
    /// counters, their replies unread) go in the same write, ahead of the ack.
    public func ack(chat: Int64, update: QueuedUpdate, worker: String, now: Date? = nil, lease: TimeInterval,
                    release: ReleaseAfterAck, figures: [[any RedisArgument]] = []) throws -> Acked {
        let mode = switch release {
        case .whenEmpty: "empty"
        case .always: "always"
        }
        let reply = try evaluateAck(chat: chat, update: update, worker: worker, now: now, lease: lease, release: mode, figures: figures)
        guard let items = reply.array, let code = items.first?.int else { return .leaseLost }
        switch code {
        case 1 where items.count > 1: return items[1].data.map { Acked.update(QueuedUpdate(entry: $0, handouts: 1)) } ?? .leaseLost
        case 2: return .released
        default: return .leaseLost
        }
    }

    private func evaluateAck(chat: Int64, update: QueuedUpdate, worker: String, now: Date?, lease: TimeInterval, release: String,
                             figures: [[any RedisArgument]]) throws -> RedisValue {
        try redis.evaluate(QueueScripts.ack,
                           keys: [keys.inbox(chat), keys.lease, keys.owner, keys.attempts, keys.stats, keys.handouts, keys.ready, keys.wake],
                           arguments: [String(chat), worker, update.entry, Self.milliseconds(now), Int(lease * 1000), release],
                           after: figures)
    }

    /// Gives the chat back; if updates wait it becomes claimable after `delay`.
    /// Returns false when the lease had already passed to someone else.
    @discardableResult
    public func release(chat: Int64, worker: String, delay: TimeInterval = 0, now: Date? = nil) throws -> Bool {
        try redis.evaluate(QueueScripts.release,
                           keys: [keys.inbox(chat), keys.ready, keys.lease, keys.owner, keys.wake, keys.handouts],
                           arguments: [String(chat), worker, Int(max(0, delay) * 1000), Self.milliseconds(now)]).int == 1
    }

    /// Extends the lease of a chat this worker still holds; false when it is no longer its.
    public func renew(chat: Int64, worker: String, lease: TimeInterval, now: Date? = nil) throws -> Bool {
        try redis.evaluate(QueueScripts.renew, keys: [keys.lease, keys.owner],
                           arguments: [String(chat), worker, Int(lease * 1000), Self.milliseconds(now)]).int == 1
    }

    /// Records a failure of the chat's head update. Below `maxAttempts` the caller
    /// releases the chat with a backoff; at the limit the update is parked in the dead
    /// list with `error` and the chat goes on with its next update.
    public func fail(chat: Int64, update: QueuedUpdate, worker: String, error: String, maxAttempts: Int, now: Date? = nil) throws -> Failure {
        let reply = try redis.evaluate(QueueScripts.fail,
                                       keys: [keys.inbox(chat), keys.attempts, keys.dead, keys.owner, keys.stats, keys.handouts],
                                       arguments: [String(chat), worker, update.entry, error, maxAttempts, Self.milliseconds(now), Self.deadCap])
        guard let items = reply.array, let code = items.first?.int else { return .leaseLost }
        let attempts = items.count > 1 ? Int(items[1].int ?? 0) : 0
        switch code {
        case 0: return .retry(attempts: attempts)
        case 1: return .parked(attempts: attempts)
        default: return .leaseLost
        }
    }

    /// The head update of a chat (as waiting; nil when the inbox is empty).
    public func head(of chat: Int64) throws -> QueuedUpdate? {
        try redis.command("LINDEX", keys.inbox(chat), 0).data.map { QueuedUpdate(entry: $0, handouts: 0) }
    }

    /// Puts chats whose lease expired back in play; returns how many.
    @discardableResult
    public func reap(now: Date? = nil) throws -> Int {
        Int(try redis.evaluate(QueueScripts.reap, keys: [keys.lease, keys.owner, keys.ready, keys.wake],
                               arguments: [Self.milliseconds(now), keys.inboxPrefix]).int ?? 0)
    }

    /// Blocks up to `timeout` for a hint that work arrived (a hint only: callers claim
    /// after it whatever it says).
    public func waitForWork(timeout: TimeInterval) throws {
        try redis.setReadTimeout(timeout + 2)
        defer { try? redis.setReadTimeout(redis.options.readTimeout) }
        // Milliseconds written by hand: String(format:) costs more than the call around it.
        let milliseconds = Int((min(max(timeout, 0), 86_400) * 1000).rounded())
        let fraction = String(milliseconds % 1000)
        try redis.command("BLPOP", keys.wake, "\(milliseconds / 1000).\(String(repeating: "0", count: 3 - fraction.count))\(fraction)")
    }

    /// Records that a worker is alive (by Redis's clock).
    public func heartbeat(worker: String, now: Date? = nil) throws {
        try redis.evaluate(QueueScripts.heartbeat, keys: [keys.workers], arguments: [worker, Self.milliseconds(now)])
    }

    /// Forgets a worker that stopped cleanly.
    public func retire(worker: String) throws {
        try redis.command("ZREM", keys.workers, worker)
    }

    /// Checks that Redis answers (for health checks).
    public func ping() throws {
        try redis.command("PING")
    }

    // MARK: The dead list

    /// Parked updates, newest first: each a JSON object with `chat`, `update` (the raw
    /// update), `error`, `attempts` and `failed_at_ms`.
    public func dead(limit: Int) throws -> [Data] {
        try redis.command("LRANGE", keys.dead, "0", String(max(0, limit - 1))).array?.compactMap(\.data) ?? []
    }

    /// Takes one parked entry off the list (as read by `dead`); false when it is gone.
    @discardableResult
    public func removeDead(_ entry: Data) throws -> Bool {
        (try redis.command("LREM", keys.dead, "1", entry).int ?? 0) == 1
    }

    // MARK: Figures (each O(1) or O(log n))

    /// Ages are measured by Redis's clock, like the scores (`now` replaces it in tests).
    public func figures(now: Date? = nil, heartbeatTTL: TimeInterval) throws -> Figures {
        let nowMS = try redis.evaluate(QueueScripts.now, keys: [], arguments: [Self.milliseconds(now)]).int ?? 0
        let replies = try redis.pipeline([
            ["HGET", keys.stats, "depth"],
            ["ZRANGEBYSCORE", keys.ready, "-inf", nowMS, "WITHSCORES", "LIMIT", 0, 1],
            ["ZCARD", keys.lease],
            ["LLEN", keys.dead],
            ["ZCOUNT", keys.workers, nowMS - Int64(heartbeatTTL * 1000), "+inf"],
            ["HGET", keys.stats, "dead"],
        ])
        let oldest = replies[1].array.flatMap { $0.count == 2 ? $0[1].string.flatMap(Double.init) : nil }
        return Figures(
            depth: Int(replies[0].int ?? 0),
            oldestWaitingSeconds: oldest.map { max(0, (Double(nowMS) - $0) / 1000) },
            chatsInProgress: Int(replies[2].int ?? 0),
            deadUpdates: Int(replies[3].int ?? 0),
            liveWorkers: Int(replies[4].int ?? 0),
            parkedTotal: Int(replies[5].int ?? 0))
    }

    /// A test's time for a script, or "" for Redis's own clock.
    static func milliseconds(_ date: Date?) -> String {
        date.map { String(Int64(($0.timeIntervalSince1970 * 1000).rounded())) } ?? ""
    }
}

/// A chat taken by a worker, with its first waiting update.
public struct Claim: Sendable, Equatable {
    public let chat: Int64
    /// Nil when every waiting update was parked on the way.
    public let update: QueuedUpdate?
    /// Raw updates parked by this claim: handed out too often, their handler never came back.
    public let parked: [Data]
}

/// An update as the queue holds it.
public struct QueuedUpdate: Sendable, Equatable {
    /// The inbox entry as stored: ack and fail name the head by it.
    public let entry: Data
    /// The raw update, as Telegram sent it.
    public let payload: Data
    public let updateID: Int64?
    /// When ingress queued it, by Redis's clock (nil for entries queued before the stamp).
    public let receivedAt: Date?
    /// Times it was handed out without its handler coming back, this one included.
    public let handouts: Int

    /// Reads an entry: `bb1 <update id or -> <received ms>\n<raw update>`, or a bare update.
    public init(entry: Data, handouts: Int) {
        self.entry = entry
        self.handouts = handouts
        let header = Array("bb1 ".utf8)
        guard entry.starts(with: header), let newline = entry.firstIndex(of: UInt8(ascii: "\n")) else {
            (payload, updateID, receivedAt) = (entry, nil, nil)
            return
        }
        let fields = String(decoding: entry[entry.startIndex..<newline], as: UTF8.self).split(separator: " ")
        payload = Data(entry[entry.index(after: newline)...])
        updateID = fields.count > 1 ? Int64(fields[1]) : nil
        receivedAt = fields.count > 2 ? Int64(fields[2]).map { Date(timeIntervalSince1970: Double($0) / 1000) } : nil
    }
}

/// What follows an ack.
public enum Next: Sendable, Equatable {
    /// The chat's next update, still under this worker's lease.
    case update(QueuedUpdate)
    /// Nothing waits: release the chat.
    case empty
    /// The lease expired and the chat went to another worker: stop working on it.
    case leaseLost
}

/// When an ack that may release gives the chat back.
public enum ReleaseAfterAck: Sendable, Equatable {
    /// Only when nothing follows the acked update.
    case whenEmpty
    /// Whatever follows (it goes back to `ready`, behind the chats already waiting).
    case always
}

/// What follows an ack that may release.
public enum Acked: Sendable, Equatable {
    /// The chat's next update, still under this worker's lease.
    case update(QueuedUpdate)
    /// The chat was given back (back in `ready` if updates wait).
    case released
    /// The lease expired and the chat went to another worker: nothing was given back.
    case leaseLost
}

/// What follows a failure.
public enum Failure: Sendable, Equatable {
    case retry(attempts: Int)
    case parked(attempts: Int)
    case leaseLost
}

/// The queue's health figures.
public struct Figures: Sendable, Equatable {
    /// Updates enqueued and not yet acked or parked.
    public let depth: Int
    /// Age of the oldest chat waiting to be claimed (nil: none waits).
    public let oldestWaitingSeconds: Double?
    public let chatsInProgress: Int
    public let deadUpdates: Int
    public let liveWorkers: Int
    /// Updates ever parked (a counter: the dead list itself is capped, and shrinks on retry/drop).
    public let parkedTotal: Int
}

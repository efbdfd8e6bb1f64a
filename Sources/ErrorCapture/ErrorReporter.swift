import Foundation
import Keys
import Logging
import Observability
import Redis

/// Pushes error events onto the capped `errors` list in Redis, where the forwarder
/// (`bookingbot errors`) picks them up for Sentry.
///
/// Blocking, like the connection it owns: call it from a loop's own thread, never from
/// Swift's cooperative pool. One reporter per loop is the intended use; a lock makes
/// sharing one safe, though callers then wait on each other's pushes.
///
/// Reporting never slows the caller down for long: the connection has short timeouts,
/// nothing is retried, and while Redis is unreachable events are dropped and counted in
/// `dropped` (after a failure no connection is tried for `pauseAfterFailure`). Events
/// never carry user texts: see `ErrorEvent`.
public final class ErrorReporter: @unchecked Sendable {
    /// Timeouts for reporting: short, and no reconnect window (one connect attempt).
    public static let defaultOptions = RedisOptions(connectTimeout: 0.3, readTimeout: 0.5, reconnectWindow: 0)

    /// `{prefix}:errors`.
    public let key: String
    private let keys: RedisKeys
    /// The list is trimmed to this many events (`SENTRY_QUEUE_MAX`), the newest kept.
    public let maxQueue: Int
    public let context: EventContext

    private let endpoint: RedisEndpoint
    private let pauseAfterFailure: TimeInterval
    private let options: RedisOptions
    private let scrubber: SecretScrubber
    private let logger: Logger?
    private let lock = NSLock()
    private var connection: RedisConnection?
    private var quietUntil = Date.distantPast
    private var failing = false
    private var droppedCount = 0

    /// Connects lazily, at the first capture: a process starts even while Redis is down.
    /// `maxQueue` below 1 counts as 1; `pauseAfterFailure` is how long captures are
    /// dropped without trying Redis after it failed once.
    public init(endpoint: RedisEndpoint, prefix: String, context: EventContext, maxQueue: Int = 10_000,
                options: RedisOptions = ErrorReporter.defaultOptions, pauseAfterFailure: TimeInterval = 1,
                scrubber: SecretScrubber = .shared, logger: Logger? = nil) {
        self.endpoint = endpoint
        self.keys = RedisKeys(prefix: prefix)
        self.key = keys.errors
        self.maxQueue = max(1, maxQueue)
        self.context = context
        self.options = options
        self.pauseAfterFailure = pauseAfterFailure
        self.scrubber = scrubber
        self.logger = logger
    }

    /// Events dropped because Redis could not take them.
    public var dropped: Int { lock.withLock { droppedCount } }

    /// Reports a thrown error with the caller's stack. Returns the event id, or nil when
    /// the event was dropped.
    @discardableResult @inline(never)
    public func capture(_ error: Error, level: ErrorLevel = .error, tags: [String: String] = [:],
                        breadcrumbs: [Breadcrumb] = []) -> String? {
        push(ErrorEvent(error: error, level: level, context: context, tags: tags, breadcrumbs: breadcrumbs,
                        frames: StackFrame.current(droppingCallers: 1)))
    }

    /// Reports a fixed message (a literal: never user text). Returns the event id, or nil
    /// when the event was dropped.
    @discardableResult
    public func capture(message: StaticString, level: ErrorLevel = .warning, tags: [String: String] = [:]) -> String? {
        push(ErrorEvent(message: message, level: level, context: context, tags: tags))
    }

    /// LPUSHes an event, trims the list and marks the event's fate "queued" in one MULTI,
    /// sent as one pipeline: an event that reached Redis can be followed to its end
    /// (the forwarder sets "sent" or "dropped:…"). Returns the event id, or nil when
    /// Redis did not take it (then `dropped` grows).
    @discardableResult
    public func push(_ event: ErrorEvent) -> String? {
        push(json: event.jsonData(scrubber: scrubber), eventID: event.eventID)
    }

    /// Queues a sampled performance trace, the same way.
    @discardableResult
    public func push(_ transaction: TransactionEvent) -> String? {
        push(json: transaction.jsonData(scrubber: scrubber), eventID: transaction.eventID)
    }

    private func push(json: Data, eventID: String) -> String? {
        lock.withLock {
            guard Date() >= quietUntil else {
                droppedCount += 1
                return nil
            }
            do {
                let redis = try connection ?? RedisConnection(endpoint: endpoint, options: options)
                connection = redis
                let results = try redis.transaction([["LPUSH", key, json], ["LTRIM", key, 0, maxQueue - 1],
                                                     ["SET", keys.errorFate(eventID), "queued", "EX", "3600"]])
                guard let length = results[0].int else { throw RedisError.server("unexpected LPUSH reply") }
                if length > maxQueue {
                    // The trim dropped the oldest: counted with the forwarder's drops, for /metrics.
                    _ = try? redis.command("HINCRBY", keys.statsSentry, "dropped:queue_overflow", String(length - Int64(maxQueue)))
                }
                if failing {
                    failing = false
                    logger?.info("error events reach Redis again", metadata: ["dropped": "\(droppedCount)"])
                }
                return eventID
            } catch {
                droppedCount += 1
                quietUntil = Date().addingTimeInterval(pauseAfterFailure)
                if !failing {
                    failing = true
                    logger?.warning("error events are dropped: Redis does not take them", metadata: ["error": "\(error)"])
                }
                return nil
            }
        }
    }
}

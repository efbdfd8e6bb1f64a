import Foundation
import Logging
import WireSupport

/// The loop a worker thread runs over the queue: claim a chat, handle its updates in
/// order, ack each, release the chat; reap expired leases and send heartbeats on the way.
///
/// An update whose handler throws is retried with backoff (the chat is released with a
/// later `readyAt`, so other chats go on meanwhile) and parked in the dead list after
/// `maxAttempts`; then the chat's next update is handled. Redis errors never end the
/// loop: it waits and goes on (the connection reconnects by itself).
public final class QueueConsumer {
    public struct Settings: Sendable {
        public var worker: String
        public var lease: TimeInterval
        public var maxAttempts: Int
        public var reapEvery: TimeInterval
        public var heartbeatEvery: TimeInterval
        /// Longest wait for a wake-up hint when nothing is claimable.
        public var idleWait: TimeInterval
        /// Backoff before a failed update is tried again: initial × 2^(attempt-1), capped.
        public var retryInitial: TimeInterval
        public var retryMaximum: TimeInterval
        /// Updates of one chat handled in a row before it goes to the back of the line, so
        /// a chat that never stops typing cannot keep a loop from everyone else.
        public var maxInARow = 10

        public init(worker: String, lease: TimeInterval = 30, maxAttempts: Int = 5, reapEvery: TimeInterval = 5,
                    heartbeatEvery: TimeInterval = 5, idleWait: TimeInterval = 1, retryInitial: TimeInterval = 1,
                    retryMaximum: TimeInterval = 60) {
            self.worker = worker
            self.lease = lease
            self.maxAttempts = maxAttempts
            self.reapEvery = reapEvery
            self.heartbeatEvery = heartbeatEvery
            self.idleWait = idleWait
            self.retryInitial = retryInitial
            self.retryMaximum = retryMaximum
        }

        func retryDelay(attempt: Int) -> TimeInterval {
            min(retryMaximum, retryInitial * pow(2, Double(max(0, attempt - 1))))
        }
    }

    /// Handles one update of a chat; throwing counts as a failed attempt.
    public typealias Handler = (_ chat: Int64, _ update: Data) throws -> Void
    /// Told when an update is parked (to report it and tell the user).
    public typealias ParkedHandler = (_ chat: Int64, _ update: Data, _ error: String) -> Void

    private let queue: ChatQueue
    private let settings: Settings
    private let logger: Logger
    private let handle: Handler
    private let parked: ParkedHandler
    private var lastReap = Date.distantPast
    private var lastHeartbeat = Date.distantPast

    public init(queue: ChatQueue, settings: Settings, logger: Logger, handle: @escaping Handler,
                parked: @escaping ParkedHandler = { _, _, _ in }) {
        self.queue = queue
        self.settings = settings
        self.logger = logger
        self.handle = handle
        self.parked = parked
    }

    /// Runs until `shouldStop` says so; a chat in hand is finished update by update up to
    /// the stop, then released, so nothing waits for its lease to expire.
    public func run(shouldStop: () -> Bool) {
        var backoff = Backoff(initial: 0.1, maximum: 5)
        while !shouldStop() {
            do {
                try housekeeping()
                if let claim = try queue.claim(worker: settings.worker, now: Date(), lease: settings.lease) {
                    try work(on: claim, shouldStop: shouldStop)
                } else {
                    try queue.waitForWork(timeout: settings.idleWait)
                }
                backoff.reset()
            } catch {
                logger.error("queue unavailable; waiting", metadata: ["error": "\(error)"])
                Thread.sleep(forTimeInterval: backoff.nextDelay())
            }
        }
        try? queue.retire(worker: settings.worker)
    }

    private func housekeeping() throws {
        let now = Date()
        if now.timeIntervalSince(lastHeartbeat) >= settings.heartbeatEvery {
            try queue.heartbeat(worker: settings.worker, now: now)
            lastHeartbeat = now
        }
        if now.timeIntervalSince(lastReap) >= settings.reapEvery {
            let reaped = try queue.reap(now: now)
            if reaped > 0 { logger.warning("expired leases put back in play", metadata: ["chats": "\(reaped)"]) }
            lastReap = now
        }
    }

    private func work(on claim: Claim, shouldStop: () -> Bool) throws {
        let chat = claim.chat
        var update = claim.update
        var handled = 0
        while true {
            handled += 1
            let next: Next
            do {
                try handle(chat, update)
                next = try queue.ack(chat: chat, update: update, worker: settings.worker, now: Date(), lease: settings.lease)
            } catch let failure where !(failure is QueueUnavailable) {
                let message = "\(failure)"
                switch try queue.fail(chat: chat, update: update, worker: settings.worker, error: message,
                                      maxAttempts: settings.maxAttempts, now: Date()) {
                case .retry(let attempts):
                    logger.warning("update failed; will retry", metadata: ["chat": "\(chat)", "attempt": "\(attempts)", "error": "\(message)"])
                    try queue.release(chat: chat, worker: settings.worker,
                                      readyAt: Date().addingTimeInterval(settings.retryDelay(attempt: attempts)))
                    return
                case .parked(let attempts):
                    logger.error("update parked in the dead list", metadata: ["chat": "\(chat)", "attempts": "\(attempts)", "error": "\(message)"])
                    parked(chat, update, message)
                    next = try queue.head(of: chat).map(Next.update) ?? .empty
                case .leaseLost:
                    return
                }
            }
            switch next {
            case .update(let following) where !shouldStop() && handled < settings.maxInARow:
                update = following
            case .update, .empty:
                // Back to `ready` behind the chats already waiting (their scores are older).
                try queue.release(chat: chat, worker: settings.worker, readyAt: Date())
                return
            case .leaseLost:
                logger.warning("lease lost; another worker has the chat", metadata: ["chat": "\(chat)"])
                return
            }
        }
    }
}

/// Thrown by a handler when the failure is the infrastructure's, not the update's (the
/// database is down): the update is not counted as a failed attempt; the chat is simply
/// left to its lease.
public struct QueueUnavailable: Error, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}

import Foundation
import Logging
import Redis
import WireSupport

/// The loop a worker thread runs over the queue: claim a chat, handle its updates in
/// order, ack each, release the chat; reap expired leases and send heartbeats on the way.
/// Under load an update costs the claim and one ack: the ack carries the handler's
/// figures and releases the chat itself when it is the last of the turn.
///
/// Three kinds of failure, three answers:
/// - the handler's own (it threw): retried with backoff (the chat is released with a
///   delay, so other chats go on meanwhile) and parked in the dead list after
///   `maxAttempts`; then the chat's next update is handled;
/// - the infrastructure's (`QueueUnavailable`: the database or Redis failed under it):
///   the chat is released at once with a short delay, and no attempt is counted;
/// - the process's (it died, or froze past its lease): the queue counts hand-outs at
///   claim, and a head handed out `maxHandouts` times without coming back is parked there.
/// Redis errors never end the loop: it waits and goes on (the connection reconnects).
public final class QueueConsumer {
    public struct Settings: Sendable {
        public var worker: String
        public var lease: TimeInterval
        public var maxAttempts: Int
        /// Hand-outs of one update whose handler never came back before it is parked.
        public var maxHandouts: Int
        public var reapEvery: TimeInterval
        public var heartbeatEvery: TimeInterval
        /// Longest wait for a wake-up hint when nothing is claimable.
        public var idleWait: TimeInterval
        /// Backoff before a failed update is tried again: initial × 2^(attempt-1), capped.
        public var retryInitial: TimeInterval
        public var retryMaximum: TimeInterval
        /// How long a chat waits after an infrastructure fault before it is claimable again
        /// (short: it should go on within moments of the database coming back).
        public var faultDelay: TimeInterval = 0.25
        /// Updates of one chat handled in a row before it goes to the back of the line, so
        /// a chat that never stops typing cannot keep a loop from everyone else.
        public var maxInARow = 10

        public init(worker: String, lease: TimeInterval = 30, maxAttempts: Int = 5, maxHandouts: Int = 3, reapEvery: TimeInterval = 5,
                    heartbeatEvery: TimeInterval = 5, idleWait: TimeInterval = 1, retryInitial: TimeInterval = 1,
                    retryMaximum: TimeInterval = 60) {
            self.worker = worker
            self.lease = lease
            self.maxAttempts = maxAttempts
            self.maxHandouts = maxHandouts
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

    /// Handles one update of a chat; throwing counts as a failed attempt, unless it is a
    /// `QueueUnavailable` (not the update's fault) or `LeaseLost`.
    public typealias Handler = (_ chat: Int64, _ update: QueuedUpdate) throws -> Void
    /// A `Handler` that returns Redis commands recording figures about the update (best
    /// effort: their replies are not read), sent in the ack's round trip.
    public typealias RecordingHandler = (_ chat: Int64, _ update: QueuedUpdate) throws -> [[any RedisArgument]]
    /// Told when an update is parked (to report it and tell the user).
    public typealias ParkedHandler = (_ chat: Int64, _ update: Data, _ error: String) -> Void

    private let queue: ChatQueue
    private let settings: Settings
    private let logger: Logger
    private let keeper: LeaseKeeper?
    private let handle: RecordingHandler
    private let parked: ParkedHandler
    private var lastReap = Date.distantPast
    private var lastHeartbeat = Date.distantPast
    /// A chat whose ack, fail or release Redis did not answer: given back as soon as
    /// Redis answers again (the owner check makes a repeat harmless), so it neither waits
    /// out its lease nor has its hand-out taken for a crash.
    private var unreleased: Int64?

    /// `keeper` renews the lease while an update is in hand (nil: the lease runs out
    /// after `settings.lease` however long the handler takes).
    public convenience init(queue: ChatQueue, settings: Settings, logger: Logger, keeper: LeaseKeeper? = nil, handle: @escaping Handler,
                            parked: @escaping ParkedHandler = { _, _, _ in }) {
        self.init(queue: queue, settings: settings, logger: logger, keeper: keeper, handleRecording: { chat, update in
            try handle(chat, update)
            return []
        }, parked: parked)
    }

    /// `handleRecording`'s figures go with the update's ack (and are lost with it when
    /// Redis does not answer, as a figure recorded on its own would be).
    public init(queue: ChatQueue, settings: Settings, logger: Logger, keeper: LeaseKeeper? = nil,
                handleRecording: @escaping RecordingHandler, parked: @escaping ParkedHandler = { _, _, _ in }) {
        self.queue = queue
        self.settings = settings
        self.logger = logger
        self.keeper = keeper
        self.handle = handleRecording
        self.parked = parked
    }

    /// Runs until `shouldStop` says so; a chat in hand is finished update by update up to
    /// the stop, then released, so nothing waits for its lease to expire.
    public func run(shouldStop: () -> Bool) {
        var redisBackoff = Backoff(initial: 0.1, maximum: 5)
        // Short: a loop must notice within moments that the database is back.
        var faultBackoff = Backoff(initial: 0.05, maximum: 1)
        while !shouldStop() {
            do {
                try housekeeping()
                if let chat = unreleased {
                    try queue.release(chat: chat, worker: settings.worker, delay: settings.faultDelay)
                    unreleased = nil
                }
                if let claim = try queue.claim(worker: settings.worker, lease: settings.lease, maxHandouts: settings.maxHandouts) {
                    if try workReleasingOnFailure(on: claim, shouldStop: shouldStop) == .infrastructureFault {
                        Thread.sleep(forTimeInterval: faultBackoff.nextDelay())
                    } else {
                        faultBackoff.reset()
                    }
                } else {
                    try queue.waitForWork(timeout: settings.idleWait)
                }
                redisBackoff.reset()
            } catch {
                logger.error("queue unavailable; waiting", metadata: ["error": "\(error)"])
                Thread.sleep(forTimeInterval: redisBackoff.nextDelay())
            }
        }
        if let chat = unreleased { _ = try? queue.release(chat: chat, worker: settings.worker) }
        try? queue.retire(worker: settings.worker)
    }

    private func workReleasingOnFailure(on claim: Claim, shouldStop: () -> Bool) throws -> Ending {
        do {
            return try work(on: claim, shouldStop: shouldStop)
        } catch {
            unreleased = claim.chat
            throw error
        }
    }

    private func housekeeping() throws {
        let now = Date()
        if now.timeIntervalSince(lastHeartbeat) >= settings.heartbeatEvery {
            try queue.heartbeat(worker: settings.worker)
            lastHeartbeat = now
        }
        if now.timeIntervalSince(lastReap) >= settings.reapEvery {
            let reaped = try queue.reap()
            if reaped > 0 { logger.warning("expired leases put back in play", metadata: ["chats": "\(reaped)"]) }
            lastReap = now
        }
    }

    private enum Ending { case done, infrastructureFault }

    private func work(on claim: Claim, shouldStop: () -> Bool) throws -> Ending {
        let chat = claim.chat
        keeper?.hold(chat)
        defer { keeper?.drop() }
        for payload in claim.parked {
            logger.error("update parked in the dead list: worker died while handling it",
                         metadata: ["chat": "\(chat)", "deliveries": "\(settings.maxHandouts)"])
            parked(chat, payload, "worker died while handling it")
        }
        guard var update = claim.update else {
            try queue.release(chat: chat, worker: settings.worker)
            return .done
        }
        var handled = 0
        while true {
            handled += 1
            // The keeper's bound on renewals runs per update (the ack just confirmed the chat is ours).
            if handled > 1 { keeper?.hold(chat) }
            let figures: [[any RedisArgument]]
            do {
                figures = try handle(chat, update)
            } catch is LeaseLost {
                logger.warning("lease lost while handling; another worker has the chat", metadata: ["chat": "\(chat)"])
                return .done
            } catch let fault as QueueUnavailable {
                // Not the update's fault: no attempt counted, no apology; the chat goes
                // back at once instead of waiting out its lease.
                logger.warning("update waits for the infrastructure", metadata: ["chat": "\(chat)", "error": "\(fault)"])
                try queue.release(chat: chat, worker: settings.worker, delay: settings.faultDelay)
                return .infrastructureFault
            } catch {
                return try failed(update, chat: chat, error: error)
            }
            // Outside the handler's `do`: an ack that Redis did not answer is not the
            // update's failure (its effects are committed; a replay finds them); the chat
            // is given back once Redis answers (`unreleased`: a repeat of a release the
            // ack did make finds the chat no longer ours and changes nothing).
            // The last update of a turn (a stop, or the chat's share in a row) gives the chat
            // back in the same step, to `ready` behind the chats already waiting if more follow.
            let last = shouldStop() || handled >= settings.maxInARow
            switch try queue.ack(chat: chat, update: update, worker: settings.worker, lease: settings.lease,
                                 release: last ? .always : .whenEmpty, figures: figures) {
            case .update(let following):
                update = following
            case .released:
                return .done
            case .leaseLost:
                logger.warning("lease lost; another worker has the chat", metadata: ["chat": "\(chat)"])
                return .done
            }
        }
    }

    private func failed(_ update: QueuedUpdate, chat: Int64, error: Error) throws -> Ending {
        let message = "\(error)"
        switch try queue.fail(chat: chat, update: update, worker: settings.worker, error: message, maxAttempts: settings.maxAttempts) {
        case .retry(let attempts):
            logger.warning("update failed; will retry", metadata: ["chat": "\(chat)", "attempt": "\(attempts)", "error": "\(message)"])
            try queue.release(chat: chat, worker: settings.worker, delay: settings.retryDelay(attempt: attempts))
        case .parked(let attempts):
            logger.error("update parked in the dead list", metadata: ["chat": "\(chat)", "attempts": "\(attempts)", "error": "\(message)"])
            parked(chat, update.payload, message)
            try queue.release(chat: chat, worker: settings.worker)
        case .leaseLost:
            break
        }
        return .done
    }
}

/// Thrown by a handler when the failure is the infrastructure's, not the update's (the
/// database is down or read-only, a lock wait timed out, Redis is unreachable): the
/// update is not counted as a failed attempt, and its chat is given back at once.
public struct QueueUnavailable: Error, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}

/// Thrown by a handler that finds its lease gone (it was paused past it): whatever it
/// did is rolled back, and the chat is the new owner's.
public struct LeaseLost: Error, CustomStringConvertible {
    public init() {}
    public var description: String { "the chat's lease passed to another worker" }
}

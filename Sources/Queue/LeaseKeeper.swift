import Foundation
import Redis

/// Keeps a loop's lease alive while it handles an update, like a visibility-timeout
/// heartbeat: a thread of its own, on a connection of its own, renews the lease every
/// third of it, so a slow but live update never loses its chat to the reaper, while a
/// frozen or dead process stops renewing and loses it within one lease.
///
/// It renews only its own lease (the script checks the owner) and at most for `maxHold`,
/// so even a handler stuck in a call without a bound frees its chat in the end. When a
/// renewal finds the chat gone to another worker, `isLost` turns true: the handler checks
/// it before committing, so a worker that wakes from a pause writes nothing.
public final class LeaseKeeper: @unchecked Sendable {
    private let state = NSCondition()
    private let worker: String
    private let lease: TimeInterval
    private let maxHold: TimeInterval
    private let connect: () throws -> ChatQueue
    private var held: (chat: Int64, since: Date)?
    private var lostChat: Int64?
    private var stopped = false

    /// `connect` opens the keeper's own connection (it is called on the keeper's thread).
    public init(worker: String, lease: TimeInterval, maxHold: TimeInterval? = nil, connect: @escaping () throws -> ChatQueue) {
        self.worker = worker
        self.lease = lease
        self.maxHold = maxHold ?? lease * 10
        self.connect = connect
        let thread = Thread { [self] in run() }
        thread.name = "lease-\(worker)"
        thread.start()
    }

    /// The loop took `chat` (or goes on to its next update): renew its lease from now on,
    /// for at most `maxHold`.
    public func hold(_ chat: Int64) {
        state.withLock {
            held = (chat, Date())
            lostChat = nil
        }
    }

    /// The loop gave the chat back (or lost it).
    public func drop() {
        state.withLock { held = nil }
    }

    /// True when a renewal found the chat in hand owned by another worker, or it was
    /// abandoned at a stop.
    public var isLost: Bool {
        state.withLock { held != nil && lostChat == held?.chat }
    }

    /// At a stop whose grace ran out with an update still in hand: gives the chat back at
    /// once, so it does not wait out the lease (the update's transaction dies with the
    /// process and commits nothing; should it get as far as its commit first, it finds the
    /// chat lost). Called from another thread, on a connection of its own.
    public func abandon() {
        guard let chat = state.withLock({ () -> Int64? in
            let chat = held?.chat
            lostChat = chat
            return chat
        }) else { return }
        _ = try? connect().release(chat: chat, worker: worker)
    }

    /// Ends the keeper's thread.
    public func stop() {
        state.withLock {
            stopped = true
            state.broadcast()
        }
    }

    /// Renews every third of the lease. The Redis call runs outside the lock (it may take
    /// seconds while Redis is away), so `isLost`, `hold` and `drop` never wait for it.
    private func run() {
        var queue: ChatQueue?
        while true {
            let due: Int64? = state.withLock {
                _ = state.wait(until: Date().addingTimeInterval(lease / 3))
                guard !stopped, let (chat, since) = held, Date().timeIntervalSince(since) < maxHold, lostChat != chat else { return nil }
                return chat
            }
            if state.withLock({ stopped }) { return }
            guard let chat = due else { continue }
            do {
                let connection = try queue ?? connect()
                queue = connection
                // A Redis error leaves the lease as it was; the next round tries again.
                if try !connection.renew(chat: chat, worker: worker, lease: lease) {
                    state.withLock { if held?.chat == chat { lostChat = chat } }
                }
            } catch {
                continue
            }
        }
    }
}

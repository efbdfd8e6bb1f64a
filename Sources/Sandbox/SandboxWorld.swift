import Dispatch
import Foundation
import Telegram

/// The emulated Bot API's whole state: users, chats, pending updates, the webhook, the
/// call log, and the rules Telegram enforces on each method.
///
/// One condition lock guards everything: the state is reached only through `locked` (and
/// the waits below), so nothing reads or writes it without the lock. Its waiters are the
/// webhook dispatcher thread and blocking control calls; long polls (async HTTP handlers)
/// wait on continuations instead, so no thread of Swift's cooperative pool ever sleeps on
/// the lock. Every change bumps `version` and wakes both kinds of waiter.
///
/// This file holds the state, the lock and the waiting. The Bot API methods and the call
/// log are in SandboxWorld+BotAPI.swift, the webhook in +Webhook, getUpdates in +Polling,
/// the simulated users in +Users, the calls' round trips in +Latency; the records they
/// keep in SandboxRecords.swift, flood control in FloodBudgets.swift.
final class SandboxWorld: @unchecked Sendable {
    let options: SandboxOptions
    let bot: User
    private let condition = NSCondition()

    // Guarded by `condition`.
    private var state: State
    private var waiters: [Int: WaiterSlot] = [:]
    private var nextWaiterID = 1
    private var requestsInFlight = 0
    private var streamsOpen = 0

    /// Everything the emulated Telegram holds, each concern's part a value of its own.
    /// Only `locked` hands it out, so every read and write of it holds the lock.
    struct State {
        let options: SandboxOptions
        let bot: User
        /// Moves on every change (`changed()`); waiters compare it.
        private(set) var version = 0
        private(set) var stopped = false
        /// The simulated users (SandboxWorld+Users.swift) and their private chats with the bot.
        var users: [Int64: User] = [:]
        /// Who a user is, for whoever acts as them in the web chat ("owner"…).
        var notes: [Int64: String] = [:]
        var chats: [Int64: ChatRecord] = [:]
        var updates: UpdateQueue
        var queries = CallbackQueries()
        var files = BotFiles()
        /// `setMyCommands` lists by scope and language (SandboxWorld+BotAPI.swift).
        var commands: [String: [BotCommand]] = [:]
        var calls = CallLog()
        var polls = PollState()
        var webhook = WebhookState()
        /// Telegram's flood control (FloodBudgets.swift); nil when the options set no limits.
        var flood: FloodBudgets?
        /// Bot API calls between arrival and answer (SandboxWorld+Latency.swift). Not a
        /// change waiters wait for: moving it does not bump `version`.
        var botCalls = CallsInFlight()

        init(options: SandboxOptions, bot: User) {
            self.options = options
            self.bot = bot
            updates = UpdateQueue(firstID: options.firstUpdateID)
            flood = options.floodLimits.map(FloodBudgets.init)
        }

        /// Records that something changed: `locked` wakes every waiter when it returns.
        mutating func changed() {
            version += 1
        }

        mutating func stop() {
            stopped = true
            changed()
        }

        /// The Sandbox clock's now, in Unix seconds (message dates).
        var now: Int { Int(options.now().timeIntervalSince1970) }

        /// Seconds a press may wait for its answer; nil: forever. The option is public, so
        /// a negative one counts as 0, and NaN or +infinity as none.
        var pressAnswerDeadline: Double? {
            guard let deadline = options.pressAnswerDeadline, !deadline.isNaN, deadline != .infinity else { return nil }
            return max(0, deadline)
        }
    }

    init(options: SandboxOptions) {
        self.options = options
        let bot = User(id: options.botID, isBot: true, firstName: options.botFirstName, username: options.botUsername)
        self.bot = bot
        state = State(options: options, bot: bot)
    }

    /// Runs `body` on the state with the lock held; wakes every waiter if it changed anything.
    func locked<T>(_ body: (inout State) throws -> T) rethrows -> T {
        condition.lock()
        defer { condition.unlock() }
        return try update(body)
    }

    /// `locked` for a caller that holds the lock already.
    private func update<T>(_ body: (inout State) throws -> T) rethrows -> T {
        let before = state.version
        defer { if state.version != before { wakeWaiters() } }
        return try body(&state)
    }

    private func withLock<T>(_ body: () throws -> T) rethrows -> T {
        condition.lock()
        defer { condition.unlock() }
        return try body()
    }

    /// Wakes every waiter after a change. Called with the lock held.
    private func wakeWaiters() {
        for (id, slot) in waiters {
            if case .registered(let continuation) = slot {
                waiters[id] = nil
                continuation.resume()
            } else {
                waiters[id] = .fired
            }
        }
        condition.broadcast()
    }

    /// A counter that moves on every change.
    var version: Int { withLock { state.version } }

    func stop() {
        locked { $0.stop() }
    }

    var isStopped: Bool { withLock { state.stopped } }

    /// Counts requests being answered, so `stop()` can let them finish: cancelling a
    /// connection in the middle of writing its response is not safe in NIO.
    func beginRequest() {
        withLock { requestsInFlight += 1 }
    }

    func endRequest() {
        withLock {
            requestsInFlight -= 1
            condition.broadcast()
        }
    }

    /// A live stream (the web chat's events) opens, unless `limit` are open; it counts as
    /// a request being answered until `endStream`.
    func beginStream(limit: Int) -> Bool {
        withLock {
            guard streamsOpen < limit else { return false }
            streamsOpen += 1
            requestsInFlight += 1
            return true
        }
    }

    func endStream() {
        withLock {
            streamsOpen -= 1
            requestsInFlight -= 1
            condition.broadcast()
        }
    }

    /// Blocks until no request is being answered, or `timeout` passes.
    func waitForIdleRequests(timeout: TimeInterval) {
        let deadline = Date().addingTimeInterval(timeout)
        withLock {
            while requestsInFlight > 0 && condition.wait(until: deadline) {}
        }
    }

    /// Updates not yet confirmed (by getUpdates' offset or a webhook's 2xx).
    var pendingCount: Int { locked { $0.updates.count } }

    // MARK: - Waiting

    private enum WaiterSlot {
        case pending
        case registered(CheckedContinuation<Void, Never>)
        case fired
    }

    /// Suspends until the state changes after `generation` or the deadline passes,
    /// without holding a thread.
    func waitForChange(after generation: Int, until deadline: DispatchTime) async {
        let id: Int = withLock {
            defer { nextWaiterID += 1 }
            waiters[nextWaiterID] = .pending
            return nextWaiterID
        }
        let timer = Task {
            let now = DispatchTime.now().uptimeNanoseconds
            if deadline.uptimeNanoseconds > now {
                try? await Task.sleep(nanoseconds: deadline.uptimeNanoseconds - now)
            }
            self.fire(id)
        }
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            withLock {
                if case .fired? = waiters[id] {
                    waiters[id] = nil
                    continuation.resume()
                } else if state.version != generation || state.stopped {
                    waiters[id] = nil
                    continuation.resume()
                } else {
                    waiters[id] = .registered(continuation)
                }
            }
        }
        timer.cancel()
        withLock { waiters[id] = nil }
    }

    private func fire(_ id: Int) {
        withLock {
            switch waiters[id] {
            case .registered(let continuation)?:
                waiters[id] = nil
                continuation.resume()
            case .pending?:
                waiters[id] = .fired
            case .fired?, nil:
                break
            }
        }
    }

    /// What a blocking wait's step decided: done with a value, or wait for a change until a time.
    enum Attempt<T> {
        case done(T)
        case wait(until: Date)
    }

    /// Blocks the calling thread (never one of the cooperative pool): calls `attempt` with
    /// the lock held until it is done, releasing the lock in between until something
    /// changes or the time it names passes.
    func blockingWait<T>(_ attempt: (inout State) -> Attempt<T>) -> T {
        withLock {
            while true {
                switch update(attempt) {
                case .done(let value): return value
                case .wait(let deadline): _ = condition.wait(until: deadline)
                }
            }
        }
    }

    /// Blocks until the state changes after `generation` or `timeout` passes; returns the
    /// version then.
    func blockingWait(after generation: Int, timeout: TimeInterval) -> Int {
        let deadline = Date().addingTimeInterval(timeout)
        return blockingWait { state in
            state.version != generation || state.stopped || Date() >= deadline ? .done(state.version) : .wait(until: deadline)
        }
    }
}

/// The updates not yet confirmed, oldest first, and the numbering of new ones.
struct UpdateQueue {
    private var nextID: Int64
    private(set) var pending: [PendingUpdate] = []
    /// The kinds getUpdates or setWebhook last asked for (nil or empty: every kind).
    private(set) var allowed: [String]?

    init(firstID: Int64) { nextID = firstID }

    var count: Int { pending.count }

    func first(_ limit: Int) -> [PendingUpdate] { Array(pending.prefix(limit)) }

    /// Numbers the update and queues it, unless `allowed` leaves its kind out.
    mutating func enqueue(_ draft: Update, group: Int64) -> Update {
        var update = draft
        update.updateID = nextID
        nextID += 1
        let raw = (try? JSONEncoder.sorted.encode(update)) ?? Data()
        if let allowed, !allowed.isEmpty, !allowed.contains(update.kind.description) { return update }
        pending.append(PendingUpdate(id: update.updateID, group: group, raw: raw))
        // Decoded back from its bytes, so the caller's copy carries `raw` like a received one.
        return (try? Update.decode(raw)) ?? update
    }

    mutating func allow(_ kinds: [String]) { allowed = kinds }

    /// Drops what `offset` confirms (getUpdates: every id below it; negative: all but the
    /// last -offset). True when anything was dropped.
    mutating func confirm(_ offset: Int64) -> Bool {
        let before = pending.count
        if offset < 0 {
            pending = Array(pending.suffix(Int(min(-offset, Int64(pending.count)))))
        } else {
            pending.removeAll { $0.id < offset }
        }
        return pending.count != before
    }

    mutating func remove(_ id: Int64) { pending.removeAll { $0.id == id } }

    mutating func removeAll() { pending.removeAll() }
}

import Foundation

/// The threads a long-running process does its work on, and their stop: each loop runs
/// on a thread of its own (blocking C calls never touch Swift's cooperative pool), asks
/// `isStopping` between pieces of work, rests with `rest` (cut short by a stop), and
/// `stop(grace:)` waits for all of them up to a deadline.
public final class LoopThreads: @unchecked Sendable {
    private let state = NSCondition()
    private var running = 0
    private var deadline: Date?

    public init() {}

    /// Starts `body` on a new thread named `name`.
    public func spawn(_ name: String, _ body: @escaping @Sendable () -> Void) {
        state.withLock { running += 1 }
        let thread = Thread { [self] in
            body()
            state.withLock {
                running -= 1
                state.broadcast()
            }
        }
        thread.name = name
        thread.start()
    }

    /// True once a stop was asked for.
    public var isStopping: Bool { state.withLock { deadline != nil } }

    /// When the loops must be done (nil while running normally).
    public var stopDeadline: Date? { state.withLock { deadline } }

    /// Sleeps up to `seconds`, waking at once when a stop is asked for.
    public func rest(_ seconds: TimeInterval) {
        state.withLock {
            let until = Date().addingTimeInterval(max(0, seconds))
            while deadline == nil && state.wait(until: until) {}
        }
    }

    /// Asks every loop to stop and waits up to `grace` (plus `slack`) for them; false when
    /// one was still busy then.
    @discardableResult
    public func stop(grace: TimeInterval, slack: TimeInterval = 0) -> Bool {
        state.withLock {
            let end = Date().addingTimeInterval(grace)
            deadline = end
            state.broadcast()
            while running > 0 && state.wait(until: end.addingTimeInterval(slack)) {}
            return running == 0
        }
    }
}

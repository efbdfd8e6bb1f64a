import Foundation

/// Capped exponential backoff with jitter, for reconnect loops.
///
/// The jitter (a random delay in the upper half of the ceiling) keeps many processes that
/// lost the same server from all knocking again at the same instant when it comes back.
public struct Backoff: Sendable {
    public var initial: Double
    public var maximum: Double
    public var multiplier: Double
    public private(set) var attempt = 0

    public init(initial: Double = 0.05, maximum: Double = 2, multiplier: Double = 2) {
        precondition(initial > 0 && maximum >= initial && multiplier >= 1)
        self.initial = initial
        self.maximum = maximum
        self.multiplier = multiplier
    }

    /// The ceiling for the current attempt: initial × multiplier^attempt, capped.
    public var currentCeiling: Double {
        min(maximum, initial * pow(multiplier, Double(attempt)))
    }

    /// The delay to wait before the next try; advances the attempt counter.
    public mutating func nextDelay() -> Double {
        let ceiling = currentCeiling
        attempt += 1
        return Double.random(in: (ceiling / 2)...ceiling)
    }

    public mutating func reset() { attempt = 0 }
}

/// Runs `operation` until it succeeds or `deadline` passes, sleeping a backoff delay
/// between tries; the last error is rethrown, and so is at once an error that
/// `isPermanent` says waiting will not fix (wrong password). Only for blocking callers on
/// their own thread (it sleeps the calling thread).
public func retryingUntil<T>(
    deadline: Date,
    backoff: Backoff = Backoff(),
    giveUpOn isPermanent: (Error) -> Bool = { _ in false },
    _ operation: () throws -> T
) throws -> T {
    var backoff = backoff
    while true {
        do {
            return try operation()
        } catch {
            if isPermanent(error) { throw error }
            let delay = backoff.nextDelay()
            if Date().addingTimeInterval(delay) >= deadline { throw error }
            Thread.sleep(forTimeInterval: delay)
        }
    }
}

import Foundation

/// A read that callers share: while one is in flight, everyone who asks waits for it
/// instead of starting another, and its result serves later callers for `freshFor`.
/// However many scrapes arrive, the work behind them stays at one at a time.
public actor SharedRead<Value: Sendable> {
    private let freshFor: TimeInterval
    private let read: @Sendable () async -> Value
    private var last: (value: Value, at: Date)?
    private var inFlight: Task<Value, Never>?

    public init(freshFor: TimeInterval, read: @escaping @Sendable () async -> Value) {
        self.freshFor = freshFor
        self.read = read
    }

    public func value() async -> Value {
        if let last, Date().timeIntervalSince(last.at) < freshFor { return last.value }
        if let inFlight { return await inFlight.value }
        let task = Task { await read() }
        inFlight = task
        let value = await task.value
        last = (value, Date())
        inFlight = nil
        return value
    }
}

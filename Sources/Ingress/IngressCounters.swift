import Foundation

/// This process's ingress counters, for `/metrics` and logs.
public final class IngressCounters: @unchecked Sendable {
    private let lock = NSLock()
    private var values: [String: Int] = [:]

    public init() {}

    public func add(_ name: String, _ amount: Int = 1) {
        lock.withLock { values[name, default: 0] += amount }
    }

    public var snapshot: [String: Int] { lock.withLock { values } }
}

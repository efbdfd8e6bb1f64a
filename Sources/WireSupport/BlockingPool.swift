import Foundation

/// Runs blocking work (a Redis command, a SQL statement) on threads of its own, each
/// owning one resource such as a connection, so that async code — an HTTP handler — can
/// use the blocking wire clients without stalling Swift's cooperative pool.
///
/// A thread opens its resource on first use, and tries again with the next job when that
/// fails, so the pool starts even while the server behind it is down.
public final class BlockingPool<Resource>: @unchecked Sendable {
    private let condition = NSCondition()
    private var jobs: [(inout Resource?) -> Void] = []
    private var stopping = false
    private let open: () throws -> Resource

    /// Starts `threads` threads named `name-1`, `name-2`, …; `open` makes a thread's resource.
    public init(threads: Int, name: String, open: @escaping () throws -> Resource) {
        precondition(threads > 0)
        self.open = open
        for index in 1...threads {
            let thread = Thread { [unowned self] in self.serve() }
            thread.name = "\(name)-\(index)"
            thread.start()
        }
    }

    /// Runs `body` on one of the pool's threads with that thread's resource.
    public func run<T: Sendable>(_ body: @escaping @Sendable (Resource) throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            submit { resource in
                do {
                    if resource == nil { resource = try self.open() }
                    continuation.resume(returning: try body(resource!))
                } catch {
                    continuation.resume(throwing: error)
                }
            }
        }
    }

    /// Lets the threads finish the jobs already submitted and end.
    public func shutdown() {
        condition.withLock {
            stopping = true
            condition.broadcast()
        }
    }

    private func submit(_ job: @escaping (inout Resource?) -> Void) {
        condition.withLock {
            jobs.append(job)
            condition.signal()
        }
    }

    private func serve() {
        var resource: Resource?
        while true {
            condition.lock()
            while jobs.isEmpty && !stopping { condition.wait() }
            if jobs.isEmpty && stopping {
                condition.unlock()
                return
            }
            let job = jobs.removeFirst()
            condition.unlock()
            job(&resource)
        }
    }
}

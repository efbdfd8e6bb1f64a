import Foundation
import XCTest

/// Outcomes of asynchronous calls by request index, recorded on the thread that completes
/// them and read on the test's: each request must complete exactly once.
public final class Outcomes<Success: Sendable, Failure: Error>: @unchecked Sendable {
    private let lock = NSCondition()
    private var byIndex: [Int: [Result<Success, Failure>]] = [:]
    private var recorded = 0

    public init() {}

    public func record(_ index: Int, _ outcome: Result<Success, Failure>) {
        lock.withLock {
            byIndex[index, default: []].append(outcome)
            recorded += 1
            lock.broadcast()
        }
    }

    public var count: Int { lock.withLock { recorded } }

    /// Blocks until `count` outcomes were recorded; false after `timeout`.
    public func wait(for count: Int, timeout: TimeInterval) -> Bool {
        let deadline = Date().addingTimeInterval(timeout)
        return lock.withLock {
            while recorded < count {
                if !lock.wait(until: deadline) { return recorded >= count }
            }
            return true
        }
    }

    /// Each index's one outcome, in index order; a missing or repeated one fails the test.
    public func all(count: Int, file: StaticString = #filePath, line: UInt = #line) -> [Result<Success, Failure>] {
        let recorded = lock.withLock { byIndex }
        XCTAssertEqual(recorded.keys.sorted(), Array(0..<count), "one outcome per request", file: file, line: line)
        for (index, outcomes) in recorded where outcomes.count != 1 {
            XCTFail("request \(index) completed \(outcomes.count) times", file: file, line: line)
        }
        return (0..<count).compactMap { recorded[$0]?.first }
    }
}

extension Result {
    public var failure: Failure? {
        if case .failure(let error) = self { return error }
        return nil
    }
}


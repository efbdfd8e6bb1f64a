import Foundation
import WireSupport
import XCTest

final class BackoffTests: XCTestCase {
    func testCeilingGrowsThenStopsAtTheMaximum() {
        var backoff = Backoff(initial: 0.1, maximum: 1, multiplier: 2)
        var ceilings: [Double] = []
        for _ in 0..<8 {
            ceilings.append(backoff.currentCeiling)
            _ = backoff.nextDelay()
        }
        XCTAssertEqual(ceilings.map { ($0 * 1000).rounded() }, [100, 200, 400, 800, 1000, 1000, 1000, 1000])
    }

    func testDelaysStayInTheUpperHalfOfTheCeiling() {
        var backoff = Backoff(initial: 0.1, maximum: 0.8)
        for _ in 0..<200 {
            let ceiling = backoff.currentCeiling
            let delay = backoff.nextDelay()
            XCTAssert(delay >= ceiling / 2 && delay <= ceiling, "\(delay) outside [\(ceiling / 2), \(ceiling)]")
        }
    }

    func testResetStartsOver() {
        var backoff = Backoff(initial: 0.1, maximum: 5)
        for _ in 0..<5 { _ = backoff.nextDelay() }
        backoff.reset()
        XCTAssertEqual(backoff.currentCeiling, 0.1, accuracy: 1e-9)
    }

    func testRetryingUntilReturnsOnceTheOperationSucceeds() throws {
        var calls = 0
        let value = try retryingUntil(deadline: Date().addingTimeInterval(5), backoff: Backoff(initial: 0.001, maximum: 0.002)) {
            calls += 1
            if calls < 4 { throw URLError(.cannotConnectToHost) }
            return "ok"
        }
        XCTAssertEqual(value, "ok")
        XCTAssertEqual(calls, 4)
    }

    func testRetryingUntilRethrowsTheLastErrorAfterTheDeadline() {
        var calls = 0
        XCTAssertThrowsError(try retryingUntil(deadline: Date().addingTimeInterval(0.3), backoff: Backoff(initial: 0.01, maximum: 0.02)) { () -> Int in
            calls += 1
            throw URLError(.timedOut)
        }) { error in
            XCTAssertEqual((error as? URLError)?.code, .timedOut)
        }
        XCTAssertGreaterThan(calls, 1)
    }
}

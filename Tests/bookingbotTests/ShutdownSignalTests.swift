@testable import bookingbot
import Foundation
import XCTest

/// `ShutdownSignal` in this test process (one signal only: a second would end it).
final class ShutdownSignalTests: XCTestCase {
    /// Once `install` has returned, a signal reaches the handler: none is dropped while the
    /// handlers are still being put in place.
    func testASignalRightAfterInstallReachesTheHandler() {
        let caught = DispatchSemaphore(value: 0)
        ShutdownSignal.install { caught.signal() }
        kill(getpid(), SIGTERM)
        XCTAssertEqual(caught.wait(timeout: .now() + 5), .success, "the signal was dropped")
    }
}

import HTTP
import Telegram
@testable import Delivery
import XCTest

/// Which failed calls leave a broadcast's message in doubt (it may have arrived, so it is
/// not sent again) and which say for sure it did not (it goes again).
final class BroadcastDoubtTests: XCTestCase {
    func testACallThatMayHaveArrivedIsInDoubtAndOneThatNeverLeftIsNot() {
        let inDoubt: [TelegramError] = [.network(.timedOut("total")), .network(.transport(code: 56, message: "reset")), .network(.shutDown),
                                        .server(status: 504, description: "Gateway Timeout")]
        let notSent: [TelegramError] = [.network(.cannotConnect("refused")), .network(.cannotResolveHost("api.telegram.org")),
                                        .server(status: 502, description: "Bad Gateway"), .flood(retryAfter: 3)]
        for error in inDoubt { XCTAssertTrue(OutboxDispatcher.mayHaveArrived(error), "\(error)") }
        for error in notSent { XCTAssertFalse(OutboxDispatcher.mayHaveArrived(error), "\(error)") }
    }
}

import BotTestSupport
import Conversation
import Delivery
import Foundation
import Logging
import Queue
import Stats
import Telegram
import TestSupport
import WireSupport
@testable import Worker
import XCTest

/// The handler's last check before its commit: a worker that lost its chat (it was
/// paused past its lease, and the chat went to another worker) rolls back.
final class LeaseFenceTests: BotTestCase {
    private func handler() throws -> UpdateHandler {
        let redis = try TestServices.redisConnection()
        return UpdateHandler(
            db: try database.connect(),
            router: Router(settings: ConversationSettings(languageSetting: "auto", serviceLocation: "", callbackTTL: 3600, clock: clock)),
            defaults: defaults, owners: [], floodGuard: FloodGuard(redis: redis, prefix: prefix, messageWindow: 0, buttonWindow: 0),
            clock: ProcessClock(), logger: Logger(label: "test"))
    }

    func testAHandlerThatLostItsLeaseCommitsNothingAndOneThatHoldsItDoes() throws {
        user(971, "Lena", language: "en")
        let update = QueuedUpdate(entry: try sandbox.sendText("/start", from: 971).raw, handouts: 1)
        let handler = try handler()
        XCTAssertThrowsError(try handler.handle(chat: 971, update: update, leaseHeld: { false })) { XCTAssertTrue($0 is LeaseLost, "\($0)") }
        for table in ["processed_updates", "users", "conversations", "outbox"] {
            XCTAssertEqual(try count("SELECT count(*) AS n FROM \(table)"), 0, "nothing in \(table)")
        }
        let handled = try handler.handle(chat: 971, update: update, leaseHeld: { true })
        XCTAssertEqual(try count("SELECT count(*) AS n FROM processed_updates"), 1)
        XCTAssertEqual(handled.rows.map(\.method), ["sendMessage", "sendMessage"], "welcome and menu, committed for the sender")
        XCTAssertEqual(try count("SELECT count(*) AS n FROM outbox WHERE sent_at IS NULL"), 2)
    }
}

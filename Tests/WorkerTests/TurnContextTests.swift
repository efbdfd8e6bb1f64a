import Conversation
import Foundation
import Postgres
import Store
import Texts
@testable import Worker
import XCTest

/// A turn reads who is writing in one statement (`TurnContextStore`): through the real
/// turn, a person is new at their first update only, and what they changed in Telegram
/// is what the next reply calls them.
final class TurnContextTests: HarnessTestCase {
    func testAPersonIsWelcomedAsNewOnceThenBackUnderTheNameTheyHaveNow() throws {
        let anna = WorkerHarness.person(40, "Anna")
        let first = try harness.command("start", from: anna).filter { $0.chat == anna.id }
        XCTAssertTrue(first.contains { $0.buttons.count == 2 }, "the new person's welcome offers how it works and booking")
        XCTAssertFalse(first.contains { $0.text == Texts.text(.welcomeBack(name: "Anna", bookingCount: 0), in: .en) })

        let again = try harness.command("start", from: anna).compactMap(\.text)
        XCTAssertEqual(again, [Texts.text(.welcomeBack(name: "Anna", bookingCount: 0), in: .en)])

        var renamed = anna
        renamed.firstName = "Anya"
        renamed.username = "anya_k"
        let back = try harness.command("start", from: renamed).compactMap(\.text)
        XCTAssertEqual(back, [Texts.text(.welcomeBack(name: "Anya", bookingCount: 0), in: .en)])
        let row = try harness.db.query("SELECT first_name, username FROM users WHERE id = 40")[0]
        XCTAssertEqual(try row.get("first_name") as String, "Anya")
        XCTAssertEqual(try row.get("username") as String?, "anya_k")
    }
}

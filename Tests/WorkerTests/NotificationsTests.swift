import Booking
import Conversation
import Foundation
import Store
import Texts
@testable import Worker
import XCTest

/// SPEC admin 14: each staff member turns new-booking, cancellation and move notices on or
/// off for themselves; owners take them all by default; the choice is audited and decides
/// who is told.
final class NotificationsTests: HarnessTestCase {
    private let moderator = WorkerHarness.person(2, "Max")
    private let client = WorkerHarness.person(40, "Anna")

    private func screen(_ choices: [NoticeKind: Bool]) -> String { NotificationsText.choices(choices).text(in: .en) }
    private func data(_ action: NotificationsFlow.Action) -> String { CallbackEnvelope.encode(action, issuedAt: harness.now) }

    /// The chats a staff notice of this kind reaches when the client changes a booking.
    private func told(of kind: NoticeKind) throws -> [Int64] {
        try harness.db.transaction { tx in
            try EffectWriter(db: tx, settings: ConversationSettings(languageSetting: "en", serviceLocation: "", callbackTTL: 60,
                                                                    clock: harness.clock),
                             owners: harness.owners, person: client.id, updateID: 77, now: harness.now)
                .write([.notifyStaff(kind, .help)]).map(\.chatID)
        }
    }

    func testOwnersTakeEveryNoticeByDefaultAndAModeratorFollowsTheirStoredChoice() throws {
        try harness.setRole(moderator, "moderator")
        let shown = try harness.press(data(.show), from: owner)
        XCTAssertEqual(shown.first?.text, screen([.newBooking: true, .cancellation: true, .move: true]))
        XCTAssertEqual(try told(of: .cancellation), [owner.id, moderator.id], "admins.notify defaults to on")

        try harness.db.query("UPDATE admins SET notify = false WHERE user_id = $1", [.int(moderator.id)])
        XCTAssertEqual(try told(of: .newBooking), [owner.id], "the stored default of an admin added in the bot")
        XCTAssertEqual(try harness.press(data(.show), from: moderator).first?.text,
                       screen([.newBooking: false, .cancellation: false, .move: false]))
    }

    func testTurningOneKindOffStopsOnlyThatKindAndIsAudited() throws {
        let off = try harness.press(data(.set(.cancellation, on: false)), from: owner)
        XCTAssertEqual(off.first?.text, screen([.newBooking: true, .cancellation: false, .move: true]), "the screen shows the new choice")
        XCTAssertEqual(off.first?.buttons.map(\.text).prefix(3), [
            NotificationsButton.toggle(.newBooking, isOn: true).label(in: .en),
            NotificationsButton.toggle(.cancellation, isOn: false).label(in: .en),
            NotificationsButton.toggle(.move, isOn: true).label(in: .en),
        ])
        XCTAssertEqual(try told(of: .cancellation), [], "the owner turned cancellations off")
        XCTAssertEqual(try told(of: .newBooking), [owner.id])
        XCTAssertEqual(try told(of: .move), [owner.id])
        let row = try XCTUnwrap(try harness.audit().last)
        XCTAssertEqual(row.action, "notices.set")
        XCTAssertEqual(row.target, "notices:cancellation")
        XCTAssertTrue(row.allowed)

        try harness.press(data(.set(.cancellation, on: true)), from: owner)
        XCTAssertEqual(try told(of: .cancellation), [owner.id], "and on again")
        XCTAssertEqual(try harness.audit().filter { $0.action == "notices.set" }.count, 2)
    }

    func testAChoiceIsThePersonsOwnAndAClientIsRefused() throws {
        try harness.setRole(moderator, "moderator")
        try harness.press(data(.set(.move, on: false)), from: moderator)
        XCTAssertEqual(try told(of: .move), [owner.id], "the moderator's choice")
        XCTAssertEqual(try harness.press(data(.show), from: owner).first?.text,
                       screen([.newBooking: true, .cancellation: true, .move: true]), "the owner's own choices are untouched")

        let refused = try harness.press(data(.set(.newBooking, on: false)), from: stranger)
        XCTAssertEqual(refused.map(\.method), ["answerCallbackQuery"])
        XCTAssertEqual(refused.first?.answerText, Texts.alert(.noAccess, in: .en))
        XCTAssertEqual(try harness.count("SELECT count(*)::int AS n FROM notice_preferences WHERE user_id = $1", [.int(stranger.id)]), 0)
        XCTAssertEqual(try harness.audit().last?.allowed, false)
    }

    func testTheAuditScreenNamesTheChoice() throws {
        try harness.press(data(.set(.newBooking, on: false)), from: owner)
        let page = try XCTUnwrap(try harness.command("audit", from: owner).first?.text)
        XCTAssertTrue(page.contains("notifications of new bookings turned off"), page)
    }

    func testAForgedKindIsAnsweredAndChangesNothing() throws {
        for (code, numbers) in [("tn", [2]), ("tc", [1, 1]), ("tm", []), ("tx", [1]), ("t", [0, 1])] {
            let forged = CallbackEnvelope.encode(flow: NotificationsFlow.id, ButtonCode(code, numbers), issuedAt: harness.now)
            let sent = try harness.press(forged, from: owner)
            XCTAssertEqual(sent.map(\.method), ["answerCallbackQuery"], "\(code) \(numbers)")
            XCTAssertEqual(sent.first?.answerText, Texts.alert(.invalidButton, in: .en), "\(code) \(numbers)")
        }
        XCTAssertEqual(try harness.count("SELECT count(*)::int AS n FROM notice_preferences"), 0)
    }
}

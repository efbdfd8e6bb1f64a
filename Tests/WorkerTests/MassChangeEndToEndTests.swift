import Booking
import BotTestSupport
import Conversation
import Foundation
import Postgres
import Sandbox
import Store
import Telegram
import Texts
import XCTest

/// Issue 17's acceptance 2, as a moderator would do it, against the real ingress and
/// worker processes and the Sandbox: a shift of +30 minutes where one booking would
/// collide moves nothing and lists the collision; +60 minutes moves all, and each client
/// is told exactly once (the Sandbox's messages per client chat are counted).
final class MassChangeEndToEndTests: BotTestCase {
    private let owner: Int64 = 3000
    private let moderator: Int64 = 3001
    private let anna: Int64 = 3101
    private let bob: Int64 = 3102
    private let carl: Int64 = 3103

    private func staff(_ label: any StaffLabel) -> String { label.label(in: .en) }

    /// Sends text and waits for a new message of the bot that contains `expected`; returns its text.
    private func typeAndWait(_ text: String, from user: Int64, until expected: String) throws -> String? {
        let before = botMessages(user)
        _ = try sandbox.sendText(text, from: user)
        return try waitFor(user) { $0.botMessages.count > before && ($0.botMessages.last?.text?.contains(expected) ?? false) }
            .botMessages.last?.text
    }

    private func botMessages(_ user: Int64) -> Int { sandbox.transcript(chatID: user)?.botMessages.count ?? 0 }

    func testAShiftWithACollisionMovesNothingAndAShiftWithoutMovesAllTellingEachClientOnce() throws {
        try startBot(["ADMIN_IDS": "\(owner)", "BOT_LANGUAGE": "en"])
        let db = try database.connect()
        // A day well ahead, 30-minute visits on a 30-minute grid: Anna 09:00 and Bob 10:00
        // (moved by a 09:00–10:30 shift), Carl 10:30 (not moved). +30 puts Bob onto Carl.
        let day = clock.localDate(of: now).adding(days: 5)
        let at = { (minute: Int) in self.clock.instant(of: day, minute: minute)! }
        var ids: [Int64] = []
        try db.transaction { tx in
            try SettingsStore(connection: tx).set(.slotStepMinutes, json: "30", by: nil)
            let trim = try ServiceStore(connection: tx).create(name: "Trim", durationMinutes: 30)
            try ClientStore(connection: tx).register(id: moderator, firstName: "Max", languageCode: "en", now: Date())
            try tx.query("INSERT INTO admins (user_id, role, notify) VALUES ($1, 'moderator', false)", [.int(moderator)])
            for (id, name, minute) in [(anna, "Anna", 540), (bob, "Bob", 600), (carl, "Carl", 630)] {
                try ClientStore(connection: tx).register(id: id, firstName: name, languageCode: "en", now: Date())
                let outcome = try BookingStore(connection: tx, defaults: defaults).create(client: id, service: trim.id, start: at(minute),
                                                                                        by: .client(id), now: now)
                ids.append(try XCTUnwrap(outcome.value).id)
            }
        }
        let starts = { () throws -> [Date] in
            try db.query("SELECT lower(during) AS s FROM bookings WHERE id = ANY ($1::bigint[]) ORDER BY id", [.intArray(ids)])
                .map { try $0.get("s") }
        }
        for (id, name) in [(owner, "Olga"), (moderator, "Max"), (anna, "Anna"), (bob, "Bob"), (carl, "Carl")] {
            user(id, name, language: "en")
        }
        // The clients have talked to the bot before (Telegram lets a bot write only to those who did).
        for client in [anna, bob, carl] { try say("/start", from: client, thenBotMessages: 1) }

        try say("/admin", from: moderator, thenBotMessages: 1)
        try tap(staff(MassChangeButton.menuEntry), of: moderator)
        try tap(staff(MassChangeButton.shiftDay), of: moderator)
        if day.month != clock.localDate(of: now).month { try tap(staff(MassChangeButton.nextMonth), of: moderator) }
        try tap(staff(MassChangeButton.day(day.day, past: false)), of: moderator)
        XCTAssertTrue(lastText(moderator)?.contains("3 confirmed bookings") ?? false, lastText(moderator) ?? "")
        _ = try typeAndWait("9:00-10:30", from: moderator, until: "By how much?")

        // +30: Bob's 10:00 would land on Carl's 10:30. Nothing moves; the collision is listed; no Confirm.
        let conflicted = try XCTUnwrap(try typeAndWait("+30", from: moderator, until: "nothing moves"))
        XCTAssertTrue(conflicted.contains("⛔ 10:00 → 10:30 · Bob · Trim — overlaps another booking"), conflicted)
        XCTAssertTrue(conflicted.contains("1 conflict — nothing moves"), conflicted)
        let buttons = sandbox.transcript(chatID: moderator)?.botMessages.last?.inlineButtons.map(\.text) ?? []
        XCTAssertFalse(buttons.contains { $0.hasPrefix("✅") }, "\(buttons)")
        XCTAssertEqual(try starts(), [at(540), at(600), at(630)])

        // +60: no collision; Confirm moves both.
        let before = [anna, bob, carl].map(botMessages)
        try tap(staff(MassChangeButton.changeMinutes), of: moderator)
        let clean = try XCTUnwrap(try typeAndWait("+60", from: moderator, until: "No conflicts"))
        XCTAssertTrue(clean.contains("No conflicts: 2 bookings will move"), clean)
        try tap(staff(MassChangeButton.confirmShift(count: 2)), of: moderator)
        _ = try waitFor(moderator) { $0.botMessages.last?.text?.hasPrefix("✅") ?? false }
        XCTAssertEqual(try starts(), [at(600), at(660), at(630)])

        for client in [anna, bob, carl] { try waitUntilSent(client) }
        let annaTold = try waitFor(anna) { $0.botMessages.count > before[0] }
        let bobTold = try waitFor(bob) { $0.botMessages.count > before[1] }
        XCTAssertEqual([anna, bob, carl].map(botMessages), [before[0] + 1, before[1] + 1, before[2]], "each client told exactly once")
        let from = LocalDateTime(at(600), clock: clock)
        let to = LocalDateTime(at(660), clock: clock)
        XCTAssertEqual(bobTold.botMessages.last?.text, Texts.text(.shiftedByBusiness(moves: [MovedTime(service: "Trim", from: from, to: to)]),
                                                                  in: .en))
        XCTAssertTrue(annaTold.botMessages.last?.text?.contains("Was: ") ?? false)

        let audit: [String] = try db.query("SELECT action || ' ' || (details->>'outcome') AS row FROM audit_log WHERE actor_id = $1 ORDER BY id",
                                           [.int(moderator)]).map { try $0.get("row") }
        XCTAssertEqual(audit, ["booking.shift done"], "previews change and record nothing; the shift is one row")
        try TranscriptWriter.save(sandbox.transcript(chatID: moderator), as: "17-mass-shift-moderator-en")
        try TranscriptWriter.save(sandbox.transcript(chatID: bob), as: "17-mass-shift-client-en")
    }
}

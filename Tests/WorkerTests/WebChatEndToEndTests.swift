import BotTestSupport
import Foundation
import Sandbox
import Telegram
import TestSupport
import Texts
import XCTest

/// Issue 18's acceptance: the Sandbox's web chat driven in a real headless Chromium
/// (Debian's, through Playwright from PyPI: `scripts/test` installs both) against the bot
/// as it runs (ingress and a worker processes, PostgreSQL, Redis). The journey itself is
/// Tests/Browser/web_chat_journey.py; this test starts everything, hands it the words
/// from the bot's catalogs, and checks what the journey did in the database and the chats.
final class WebChatEndToEndTests: BotTestCase {
    private let owner: Int64 = 1001

    func testAClientBooksInTheBrowserWhileTheOwnersChatShowsTheNoticeLive() throws {
        try startBot(["ADMIN_IDS": "\(owner)"])
        sandbox.register(User(id: owner, firstName: "Olga", languageCode: "ru"), note: "owner")
        let client = "Emma"
        let spec: [String: Any] = [
            "url": sandbox.baseURL + "/", "owner": owner, "client": ["name": client, "language": "en"],
            "book": label(.book, .en), "service": "Haircut", "confirm": label(.confirm, .en),
            "booked": String(text(.booked(booking: summary(start: Date()), address: "", reminderOffsetsMinutes: []), .en)
                .split(separator: "\n")[0]),
            "booked_alert": Texts.alert(.booked, in: .en),
        ]
        let run = try BrowserScript.run("web_chat_journey.py", spec: spec)
        XCTAssertEqual(run.status, 0, "the browser journey failed:\n\(run.stderr)\n\(run.stdout)\n\(logs)")
        guard run.status == 0 else { return }
        let result = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any], run.stdout)
        let clientID = Int64(try XCTUnwrap(result["client_id"] as? Int))

        // What the page showed is what happened: one booking of that new person, which the
        // bot confirmed in their chat, and the owner's chat got its notice.
        let bookings = try database.connect().query(
            "SELECT lower(during) AS starts_at FROM bookings WHERE user_id = $1 AND status = 'confirmed'", [.int(clientID)])
        XCTAssertEqual(bookings.count, 1)
        let start: Date = try XCTUnwrap(bookings.first).get("starts_at")
        let transcript = try XCTUnwrap(sandbox.transcript(chatID: clientID))
        XCTAssertEqual(transcript.user.firstName, client)
        XCTAssertEqual(transcript.botMessages.last?.text,
                       text(.booked(booking: summary(start: start), address: "Main St 1",
                                    reminderOffsetsMinutes: defaults.reminderDueTimes(start: start, now: Date()).map(\.offsetMinutes)), .en))
        XCTAssertEqual(result["booked"] as? String, transcript.botMessages.last?.text, "the page shows the bot's words exactly")
        let notices = try XCTUnwrap(sandbox.transcript(chatID: owner)).botMessages.filter { $0.text?.contains(client) == true }
        XCTAssertEqual(notices.count, 1)
        XCTAssertEqual(result["owner_notice"] as? String, notices.first?.text)
        let edited = try XCTUnwrap(result["edited_in_place"] as? [String: Int])
        XCTAssertEqual(edited["copies"], 1)
        XCTAssertEqual(edited["messages_before"], edited["messages_after"])
        XCTAssertGreaterThanOrEqual(transcript.message(Int64(try XCTUnwrap(edited["message_id"])))?.editCount ?? 0, 1)
        for shot in ["web-chat-calendar.png", "web-chat-owner.png"] {
            let size = (try? FileManager.default.attributesOfItem(atPath: "\(BrowserScript.screenshots)/\(shot)")[.size] as? Int) ?? 0
            XCTAssertGreaterThan(size, 10_000, shot)
        }
        try TranscriptWriter.save(transcript, as: "18-web-chat-client-en")
        try TranscriptWriter.save(sandbox.transcript(chatID: owner), as: "18-web-chat-owner-ru")
    }
}

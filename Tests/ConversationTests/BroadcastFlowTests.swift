import Booking
@testable import Conversation
import Foundation
import Texts
import XCTest

/// The broadcast's screens through the router (SPEC admin 8): the text, its preview as
/// recipients get it, Send as one audited change; bad text asked again; moderators refused.
final class BroadcastFlowTests: ConversationTestCase {
    private func shown(_ text: BroadcastText) -> String { text.text(in: .en) }
    private func typed(_ text: String) -> Incoming { .text(text, from: anna) }

    private func audience() -> StoreFixture {
        store {
            $0.roleAtCommit = .superAdmin
            $0.broadcastUsers = [anna.id, 2, 3, 4, 5]
            $0.blockedUsers = [5]
        }
    }

    func testTheTextIsPreviewedAsSentThenSentOnceWithItsAuditEntry() throws {
        let store = audience()
        let list = turn(press(BroadcastFlow.Action.list), store: store, role: .superAdmin)
        XCTAssertEqual(screen(list).text, shown(.list(count: 0)))
        let ask = turn(press(BroadcastFlow.Action.new), state: list.state, store: store, role: .superAdmin)
        XCTAssertEqual(screen(ask).text, shown(.ask(limit: 4096)))

        let body = "Dear clients,\n*we* are closed on <Monday> & reopen Tuesday 🌷"
        let preview = turn(typed(body), state: ask.state, store: store, role: .superAdmin)
        XCTAssertEqual(messages(preview).first, body, "the message exactly as recipients get it, first")
        XCTAssertEqual(messages(preview).last, shown(.preview(recipients: 3)), "everyone who has not blocked the bot but the sender")
        XCTAssertTrue(store.changesAsked.isEmpty)

        let sent = turn(press(BroadcastFlow.Action.confirm), state: preview.state, store: store, role: .superAdmin)
        XCTAssertEqual(screen(sent).text, shown(.started(id: 1, recipients: 3)))
        XCTAssertEqual(store.changesAsked, [.createBroadcast(text: body, photo: nil, by: ChangeActor(id: anna.id, role: .superAdmin))])
        XCTAssertEqual(store.audited, [.broadcastCreated(broadcast: 1, recipients: 3, length: body.utf16.count, refused: nil)])

        // Send again (a double tap, or the old button): nothing is sent twice.
        let again = turn(press(BroadcastFlow.Action.confirm), state: sent.state, store: store, role: .superAdmin)
        XCTAssertEqual(screen(again).text, shown(.nothingToSend))
        XCTAssertEqual(store.changesAsked.count, 1)

        let progress = turn(press(BroadcastFlow.Action.show(1)), state: sent.state, store: store, role: .superAdmin)
        XCTAssertEqual(screen(progress).text, shown(.progress(store.broadcasts[0])))
    }

    func testBadTextIsAskedAgainAndNothingIsRead() throws {
        let cases: [(String, BroadcastProblem?)] = [
            ("", .empty), ("   \n\t ", .empty), ("\u{0}", .empty),
            (String(repeating: "a", count: 4097), .tooLong(length: 4097, limit: 4096)),
            (String(repeating: "🌷", count: 2500), .tooLong(length: 5000, limit: 4096)),
            (String(repeating: "a", count: 4096), nil), ("-1", nil), ("99999999999999999999999", nil),
        ]
        for (text, problem) in cases {
            let store = audience()
            let reply = turn(typed(text), state: ConversationState(flow: "bc", messageID: 900, draft: #"{"asking":true}"#), store: store,
                             role: .superAdmin)
            if let problem {
                XCTAssertEqual(screen(reply).text, shown(.askAgain(problem, limit: 4096)), text)
                XCTAssertEqual(store.readsAsked.count, 0)
            } else {
                XCTAssertEqual(messages(reply).first, text)
            }
            XCTAssertTrue(store.changesAsked.isEmpty)
        }
    }

    func testAPhotoWithACaptionIsPreviewedAndSentAsAPhoto() throws {
        let store = audience()
        let asking = ConversationState(flow: "bc", messageID: 900, draft: #"{"asking":true}"#)
        let preview = turn(.photo(fileID: "AgACphoto1", caption: "Spring offer", from: anna), state: asking, store: store, role: .superAdmin)
        XCTAssertEqual(preview.replies.first, .photo(fileID: "AgACphoto1", caption: "Spring offer", buttons: nil))
        XCTAssertEqual(messages(preview).last, shown(.preview(recipients: 3)))
        let sent = turn(press(BroadcastFlow.Action.confirm), state: preview.state, store: store, role: .superAdmin)
        XCTAssertEqual(store.changesAsked, [.createBroadcast(text: "Spring offer", photo: "AgACphoto1", by: ChangeActor(id: anna.id, role: .superAdmin))])
        XCTAssertEqual(screen(sent).text, shown(.started(id: 1, recipients: 3)))

        // Without a caption it goes as the photo alone; a caption over 1024 is asked again.
        let bare = turn(.photo(fileID: "AgACphoto2", caption: nil, from: anna), state: asking, store: audience(), role: .superAdmin)
        XCTAssertEqual(bare.replies.first, .photo(fileID: "AgACphoto2", caption: nil, buttons: nil))
        let long = turn(.photo(fileID: "AgACphoto3", caption: String(repeating: "x", count: 1025), from: anna), state: asking, store: audience(),
                        role: .superAdmin)
        XCTAssertEqual(screen(long).text, shown(.askAgain(.tooLong(length: 1025, limit: 1024), limit: 1024)))
        // A photo nobody asked for is not understood, as before.
        let stray = turn(.photo(fileID: "AgACphoto4", caption: "hi", from: anna), store: audience(), role: .superAdmin)
        XCTAssertEqual(messages(stray), [text(.unknownInput)])
    }

    func testAModeratorIsRefusedAtEveryStep() throws {
        for action in [BroadcastFlow.Action.list, .new, .confirm, .show(1)] {
            let store = self.store { $0.roleAtCommit = .moderator }
            let refused = turn(press(action), store: store, role: .moderator)
            XCTAssertEqual(answers(refused).count, 1)
            XCTAssertEqual(store.refusals, [.attempt(flow: "bc", step: action.encoded.code)])
            XCTAssertTrue(store.changesAsked.isEmpty)
        }
    }

    func testAForgedBroadcastIsNotFound() throws {
        let store = audience()
        let reply = turn(press(BroadcastFlow.Action.show(424242)), store: store, role: .superAdmin)
        XCTAssertEqual(screen(reply).text, shown(.notFound))
    }
}

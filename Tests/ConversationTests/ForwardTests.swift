import Booking
@testable import Conversation
import Foundation
import Texts
import XCTest

/// Forwarded messages at the router: a forward's text reaches a flow waiting for text as
/// it always did; one without text only reaches a flow that takes forwards (the admins
/// screen, which reads the person from the origin); otherwise "I didn't understand".
final class ForwardTests: ConversationTestCase {
    private let vera = ForwardOrigin.user(id: 77, firstName: "Vera", username: nil, isBot: false)

    private func screenText(_ replies: [Outgoing]) -> [String] {
        replies.compactMap { reply in
            if case .message(let text, _, _) = reply { return text }
            return nil
        }
    }

    func testAForwardsTextIsTypedIntoTheOpenFlowAndOneWithoutTextIsNot() throws {
        let searching = ConversationState(flow: ClientsFlow.id, messageID: 900, draft: #"{"searching":true}"#)
        let fixture = store { $0.people = [ClientInfo(id: 5, name: "Bob")] }
        let typed = turn(.forwarded(vera, text: "5", from: anna), state: searching, store: fixture, role: .moderator)
        XCTAssertEqual(fixture.readsAsked.first, .findClient(.id(5)), "the forwarded text was the look-up")
        XCTAssertFalse(screenText(typed.replies).contains(text(.unknownInput)))

        let photo = turn(.forwarded(vera, text: nil, from: anna), state: searching, store: store(), role: .moderator)
        XCTAssertEqual(screenText(photo.replies), [text(.unknownInput)])
        XCTAssertEqual(photo.state, searching, "the flow stays open")
        XCTAssertEqual(turn(.forwarded(vera, text: "hi", from: anna)).replies, [menuMessage(.unknownInput)], "nothing open")
    }

    func testTheAdminsScreenTakesAForwardWithoutTextAndReadsThePersonFromItsOrigin() throws {
        let adding = ConversationState(flow: AdminsFlow.id, messageID: 900, draft: #"{"adding":true}"#)
        let fixture = store { $0.people = [ClientInfo(id: 77, name: "Vera")] }
        let reply = turn(.forwarded(vera, text: nil, from: anna), state: adding, store: fixture, role: .superAdmin)
        XCTAssertEqual(screen(reply).text, AdminsText.confirmAdd(id: 77, name: "Vera", username: nil).text(in: .en))
        XCTAssertEqual(fixture.readsAsked, [.findClient(.id(77))])
        for (origin, problem) in [(ForwardOrigin.hiddenUser(name: String(repeating: "x", count: 500)), AdminsInputProblem.hiddenUser(name: String(repeating: "x", count: 64))),
                                  (.user(id: 9, firstName: "B", username: "b_bot", isBot: true), .bot), (.chat, .chat),
                                  (.user(id: 1 << 53, firstName: "Z", username: nil, isBot: false), .notAnID)] {
            let refused = turn(.forwarded(origin, text: "12345", from: anna), state: adding, store: store(), role: .superAdmin)
            XCTAssertEqual(screen(refused).text, AdminsText.ask(limit: 3, problem: problem).text(in: .en), "\(origin)")
        }
    }
}

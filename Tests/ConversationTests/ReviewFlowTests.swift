import Booking
@testable import Conversation
import Foundation
import Texts
import XCTest

/// Reviews (SPEC client 9): stars from the request's buttons, then an optional comment as
/// the next text; the store decides whether a rating counts.
final class ReviewFlowTests: ConversationTestCase {
    private let entry = Entry(messageID: 900)

    func testStarsThenAnOptionalCommentEachAsTheStoreDecided() {
        let rate = ReviewFlow.Action.rate(booking: 5, stars: 4)
        guard case .rate(booking: 5, stars: 4)? = ReviewFlow().plan(.pressed(rate, entry), state: nil, in: context()).change else {
            return XCTFail("the stars are the store's to save")
        }
        let store = store { $0.rating = .saved }
        let saved = turn(press(rate), store: store)
        XCTAssertEqual(store.changesAsked, [.rate(booking: 5, by: 42, stars: 4)])
        XCTAssertEqual(screen(saved).text, text(.askReviewComment(stars: 4)))
        XCTAssertEqual(screen(saved).buttons.joined().compactMap(action), [.review(.skip(booking: 5))])
        XCTAssertEqual(answers(saved), [alert(.ratingSaved(stars: 4))])
        XCTAssertEqual(saved.state, ConversationState(flow: "r", messageID: 900, draft: #"{"booking":5}"#))
        for (result, alert) in [(RatingOutcome.alreadyReviewed, Texts.Alert.alreadyReviewed), (.notYet, .reviewTooEarly),
                                (.notFound, .bookingNotFound)] {
            let reply = ReviewFlow().respond(.pressed(rate, entry), state: nil, read: (), outcome: .rated(result), in: context())
            XCTAssertEqual(reply, Reply(replies: [], alert: alert, next: .stay), "\(result)")
            let refused = turn(press(rate), store: self.store { $0.rating = result })
            XCTAssertEqual(answers(refused), [self.alert(alert)])
            XCTAssertEqual(refused.replies.count, 1, "\(result): nothing else changes")
            XCTAssertEqual(refused.state, .idle)
        }

        // The next text is the comment (cut to the table's limit); a menu button is not.
        let long = String(repeating: "ж", count: 2500)
        let commenting = self.store { $0.commentKept = true }
        let thanked = turn(.text(long, from: anna), state: saved.state, store: commenting)
        XCTAssertEqual(commenting.changesAsked, [.comment(booking: 5, by: 42, text: String(repeating: "ж", count: 2000))])
        XCTAssertEqual(thanked.state, .idle)
        XCTAssertEqual(thanked.replies.first, .clearButtons(messageID: 900), "the Skip button goes")
        XCTAssertEqual(thanked.replies.last.flatMap { if case .message(let text, _, _) = $0 { return text } else { return nil } },
                       text(.reviewThanks))

        let about = self.store()
        let aboutTurn = turn(.text(label(.about), from: anna), state: saved.state, store: about)
        XCTAssertEqual(about.changesAsked, [])
        XCTAssertEqual(aboutTurn.state, saved.state, "About keeps the review waiting for its comment")
        let idle = self.store()
        _ = turn(.text("later", from: anna), store: idle)
        XCTAssertEqual(idle.changesAsked, [], "no review waiting: just text")

        let skipped = turn(press(ReviewFlow.Action.skip(booking: 5)), state: saved.state)
        XCTAssertEqual(screen(skipped).text, text(.reviewThanks))
        XCTAssertEqual(skipped.state, .idle)
    }

    func testTheReviewRequestOffersOneToFiveStars() {
        let visit = booking(msk(12, 2, 12), id: 9)
        let request = Notices(settings: settings).reviewRequest(for: visit, languageCode: "en", now: now)
        let (shown, buttons) = screen([request])
        XCTAssertEqual(shown, text(.reviewRequest(service: "Haircut", date: date(msk(12, 2, 12)))))
        XCTAssertEqual(buttons.map { $0.compactMap(action) }, [(1...5).map { .review(.rate(booking: 9, stars: $0)) }])
        XCTAssertEqual(buttons.joined().map(\.text), (1...5).map { label(.stars($0)) })
    }
}

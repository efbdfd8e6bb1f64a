import Booking
@testable import Conversation
import Foundation
import Texts

/// What must hold for every update, beyond not trapping. A broken one is a finding: it
/// stops the process like a trap would, so libFuzzer keeps the input.
enum Invariants {
    static func check(incoming: Incoming, state: ConversationState, plan: Plan, turn: Turn, scenario: Scenario) {
        func fail(_ what: String) -> Never {
            fatalError("\(what)\n  incoming: \(incoming)\n  plan: \(plan)\n  replies: \(turn.replies)")
        }
        if case .button(let queryID, let data, _, _) = incoming {
            // Every press is answered exactly once.
            let answers = turn.replies.filter { if case .answer(let id, _, _) = $0 { return id == queryID } else { return false } }
            if answers.count != 1 { fail("a press got \(answers.count) answers") }
            // Data the bot did not make, or made too long ago, reads nothing and changes nothing.
            if case .failure = CallbackData.decode(data, now: scenario.now, ttl: scenario.settings.callbackTTL) {
                if plan != Plan() { fail("a rejected press has a plan") }
                if turn.state != state || turn.adminNotice != nil || turn.replies.count > 2 { fail("a rejected press changed something") }
            }
        }
        if case .comment(_, let text) = plan.intent, text.unicodeScalars.count > ReviewLimits.maxCommentLength {
            fail("a comment of \(text.unicodeScalars.count) scalars would break the reviews CHECK")
        }
        // The bot's own buttons must work when pressed: within 64 bytes and accepted.
        // (Not for dates past the calendar's ends, where a ▶ may lead nowhere.)
        guard !scenario.extreme else { return }
        for reply in turn.replies {
            let buttons: [[InlineButton]]
            switch reply {
            case .message(_, _, let rows?), .edit(_, _, let rows?): buttons = rows
            default: continue
            }
            for button in buttons.joined() {
                guard case .success = CallbackData.decode(button.data, now: scenario.now, ttl: max(scenario.settings.callbackTTL, 60)) else {
                    fail("the bot made a button its own decoder refuses: '\(button.data)' (\(button.text))")
                }
            }
        }
    }
}

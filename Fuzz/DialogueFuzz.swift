import Booking
@testable import Conversation
import Foundation
import Texts

/// Target `dialogue`: the pure conversation over an arbitrary state, update and facts.
/// The header (`FuzzInput`) chooses the settings, the moment, the facts, the state and
/// the kind of update; the payload is its text, command or button data.
@_cdecl("LLVMFuzzerTestOneInput")
public func dialogueFuzz(_ start: UnsafeRawPointer?, _ count: Int) -> CInt {
    var input = FuzzInput(UnsafeRawBufferPointer(start: start, count: count))
    let incoming = DialogueCase.incoming(&input)
    let state = DialogueCase.state(&input)
    let scenario = Scenario(&input)
    let plan = scenario.dialogue.plan(for: incoming, state: state, now: scenario.now)
    let turn = scenario.dialogue.respond(to: incoming, state: state, facts: scenario.facts, now: scenario.now)
    Invariants.check(incoming: incoming, state: state, plan: plan, turn: turn, scenario: scenario)
    _ = scenario.dialogue.apology(for: incoming)
    _ = scenario.dialogue.tooFast(incoming, warn: input.bool())
    return 0
}

enum DialogueCase {
    /// The first header byte is the kind (seeds set it): 0 button, 1 text, 2 command,
    /// 3 anything else. The payload is the data, text or "name argument".
    static func incoming(_ input: inout FuzzInput) -> Incoming {
        let kind = input.byte() % 4
        let person = Person(id: Int64(input.int(1...Int(Int64.max))), firstName: input.pick(Scenario.names),
                            username: input.pick([nil, "anna", ""]), languageCode: input.pick([nil, "ru", "en", "de", "", "ru-RU"]))
        let payload = input.payloadText
        switch kind {
        case 0:
            return .button(queryID: "q", data: payload, messageID: input.chance(10) ? nil : Int64(input.int(1...Int(Int64.max))), from: person)
        case 1:
            return .text(payload, from: person)
        case 2:
            let parts = payload.split(separator: " ", maxSplits: 1, omittingEmptySubsequences: false)
            return .command(String(parts.first ?? ""), argument: parts.count > 1 ? String(parts[1]) : "", from: person)
        default:
            return .unsupported(from: person)
        }
    }

    /// The second header byte is the screen (seeds set it).
    static func state(_ input: inout FuzzInput) -> ConversationState {
        let screens: [ConversationState.Screen] = [.idle, .booking, .myBookings, .cancelling, .moving, .reviewComment]
        let screen = screens[Int(input.byte()) % screens.count]
        return ConversationState(screen: screen, flowMessageID: input.chance(50) ? Int64(input.int(1...Int(Int64.max))) : nil,
                                 reviewBooking: input.chance(20) ? nil : Int64(input.int(1...Int(Int64.max))))
    }
}

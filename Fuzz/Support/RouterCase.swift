import Booking
@testable import Conversation
import Foundation
import Texts

/// One update through the router with a fresh in-memory session, its invariants checked;
/// and the updates and stored states a fuzz header chooses.
enum RouterCase {
    /// One update through the router, with its invariants checked.
    static func run(_ incoming: Incoming, stored: String?, scenario: Scenario) -> Turn {
        let session = FuzzSession(scenario.store, person: incoming.person.id)
        let turn: Turn
        do {
            turn = try scenario.router.handle(incoming, stored: stored, situation: scenario.situation(for: incoming.person), session: session)
        } catch {
            fatalError("the router threw with a session that never throws: \(error)")
        }
        Invariants.check(incoming: incoming, stored: stored, turn: turn, session: session, scenario: scenario)
        return turn
    }

    /// The kind: 0 button, 1 text, 2 command, 3 anything else. The payload is the data,
    /// text or "name argument".
    static func incoming(kind: UInt8, _ input: inout FuzzInput) -> Incoming {
        let person = Person(id: Int64(input.int(1...Int(Int64.max))), firstName: input.pick(Scenario.names),
                            username: input.pick([nil, "anna", ""]), languageCode: input.pick([nil, "ru", "en", "de", "", "ru-RU"]))
        let payload = input.payloadText
        switch kind % 4 {
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

    /// The stored state (`conversations.data`): 0 none yet, 1 idle, 2–7 an open flow
    /// (booking, my bookings, cancel, move, staff menu, review with its draft), 8 version
    /// 1's shape, 9 a flow that is not registered, 10 a draft its flow cannot read, 11 any
    /// short text.
    static func stored(_ choice: UInt8, _ input: inout FuzzInput) -> String? {
        let message: Int64? = input.chance(50) ? Int64(input.int(1...Int(Int64.max))) : nil
        let booking = input.chance(80) ? Int64(input.int(1...5)) : Int64(input.int(1...Int(Int64.max)))
        switch choice % 12 {
        case 0: return nil
        case 1: return ConversationState.idle.encoded()
        case 2...6:
            let flows: [FlowID] = ["b", "l", "c", "v", "a"]
            return ConversationState(flow: flows[Int(choice % 12) - 2], messageID: message).encoded()
        case 7: return ConversationState(flow: "r", messageID: message, draft: #"{"booking":\#(booking)}"#).encoded()
        case 8:
            let screen = input.pick(["idle", "booking", "myBookings", "cancelling", "moving", "reviewComment", "settings"])
            let fields = [#""screen":"\#(screen)""#] + (message.map { [#""flowMessageID":\#($0)"#] } ?? [])
                + (input.chance(80) ? [#""reviewBooking":\#(booking)"#] : [])
            return "{" + fields.joined(separator: ",") + "}"
        case 9: return ConversationState(flow: "zz", messageID: message).encoded()
        case 10: return ConversationState(flow: "r", messageID: message, draft: input.pick(["{}", "[]", "", #"{"booking":"x"}"#])).encoded()
        default: return input.shortText(maxLength: 40)
        }
    }
}
